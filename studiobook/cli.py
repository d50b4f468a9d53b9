"""The ``studiobook`` command (CONTRACT.md): migrate, load, create-admin, serve, ask."""
from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from pathlib import Path
from typing import Optional, Sequence

from .config import ConfigError, Settings, load_settings


def _db(settings: Settings):  # type: ignore[no-untyped-def]
    from models import Database

    return Database(settings.database_url)


def cmd_migrate(settings: Settings, _args: argparse.Namespace) -> int:
    from models.migrate import upgrade

    db = _db(settings)
    upgrade(db)
    print(f"database is up to date ({db.engine.url.render_as_string(hide_password=True)})")
    return 0


def load_file(settings: Settings, path: str) -> str:
    from models.migrate import upgrade
    from models.repo.loader import load_studio

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SystemExit(f"studiobook load: no such file: {path}")
    except json.JSONDecodeError as exc:
        raise SystemExit(f"studiobook load: {path} is not valid JSON: {exc}")
    db = _db(settings)
    upgrade(db)
    return load_studio(db, data, now=settings.current_time()).summary()


def cmd_load(settings: Settings, args: argparse.Namespace) -> int:
    from models.repo.errors import RepoError

    try:
        print(f"loaded {args.file}: {load_file(settings, args.file)}")
    except RepoError as exc:
        print(f"studiobook load: {exc.message} (nothing was changed)", file=sys.stderr)
        return 2
    return 0


def cmd_create_admin(settings: Settings, args: argparse.Namespace) -> int:
    from models.migrate import upgrade
    from models.repo.admins import create_or_update_admin
    from models.repo.errors import RepoError

    password = os.environ.get("STUDIOBOOK_ADMIN_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            print("studiobook create-admin: set STUDIOBOOK_ADMIN_PASSWORD or run it in a terminal", file=sys.stderr)
            return 2
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Repeat: "):
            print("passwords differ", file=sys.stderr)
            return 2
    db = _db(settings)
    upgrade(db)
    try:
        created = create_or_update_admin(db, args.email, password)
    except RepoError as exc:
        print(f"studiobook create-admin: {exc.message}", file=sys.stderr)
        return 2
    print(f"admin {args.email} {'created' if created else 'updated'}")
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(settings, load_if_empty=args.load_if_empty)


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    try:
        from assistant.admin_bot import answer_question
    except ImportError:
        print("studiobook ask: the admin question bot is not part of this build yet", file=sys.stderr)
        return 2
    db = _db(settings)
    result = answer_question(db, settings, args.question)
    print(result.answer)
    if args.json:
        print(json.dumps(result.data, indent=2, default=str))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="studiobook", description="Studiobook: a self-hosted booking assistant.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="create or upgrade the database schema").set_defaults(fn=cmd_migrate)
    p = sub.add_parser("load", help="load a studio description (demo-studio.json format); idempotent")
    p.add_argument("file")
    p.set_defaults(fn=cmd_load)
    p = sub.add_parser("create-admin", help="create an admin (password from STUDIOBOOK_ADMIN_PASSWORD or a prompt)")
    p.add_argument("email")
    p.set_defaults(fn=cmd_create_admin)
    p = sub.add_parser("serve", help="run the web app, mail servers, outbox and scheduler in one process")
    p.add_argument("--load-if-empty", metavar="FILE", help="load this studio file when the database has no studio")
    p.set_defaults(fn=cmd_serve)
    p = sub.add_parser("ask", help="ask the admin question bot")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="also print the rows the answer is based on")
    p.set_defaults(fn=cmd_ask)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    logging.basicConfig(level=os.environ.get("STUDIOBOOK_LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"studiobook: configuration error: {exc}", file=sys.stderr)
        return 2
    return int(args.fn(settings, args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
