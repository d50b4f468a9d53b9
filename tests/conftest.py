"""Shared fixtures: each test builds a real database (SQLite file, or PostgreSQL) with the demo studio.

Datasette-style: fixtures build what a test needs, tests read like a small story of a user action.
"""
from __future__ import annotations

import json
import os
import uuid
from datetime import datetime
from dataclasses import replace
from pathlib import Path
from typing import Iterator

import pytest

from models import Database
from models.migrate import upgrade
from models.repo.loader import load_studio
from studiobook.config import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("STUDIOBOOK_SHARED_DIR", ROOT.parent / "shared"))
DEMO_FILE = SHARED / "fixtures" / "demo-studio.json"
DEMO_NOW = "2026-11-24T09:00:00-07:00"
PG_URL = os.environ.get("STUDIOBOOK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def demo_data() -> dict:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a fresh studio in a temporary data directory, clock frozen at the demo's "now"."""
    return Settings(database_url=f"sqlite:///{tmp_path}/studiobook.db", data_dir=str(tmp_path / "data"),
                    now=DEMO_NOW, admin_token="test-admin-token", secret_key="test-secret",
                    smtp_in_port=0, smtp_out_port=0)


@pytest.fixture
def empty_db(settings: Settings) -> Iterator[Database]:
    db = Database(settings.database_url)
    upgrade(db)
    yield db
    db.dispose()


@pytest.fixture
def db(empty_db: Database) -> Database:
    """A migrated SQLite database holding the demo studio."""
    load_studio(empty_db, demo_data(), now=datetime.fromisoformat(DEMO_NOW))
    return empty_db


def _reset_pg_schema(url: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()


@pytest.fixture
def pg_settings(settings: Settings) -> Iterator[Settings]:
    """Settings pointing at a private schema in the PostgreSQL test database (dropped afterwards).

    Never skipped: CI starts PostgreSQL (.ci/run), and a missing server must fail loudly.
    """
    schema = f"t_{uuid.uuid4().hex[:12]}"
    _reset_pg_schema(PG_URL, schema)
    url = f"{PG_URL}?options=-csearch_path%3D{schema},public"
    yield replace(settings, database_url=url)
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture
def pg_db(pg_settings: Settings) -> Iterator[Database]:
    """A migrated PostgreSQL database (own schema) holding the demo studio."""
    db = Database(pg_settings.database_url)
    upgrade(db)
    load_studio(db, demo_data(), now=datetime.fromisoformat(DEMO_NOW))
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest) -> Database:
    """The demo studio on both backends: the test runs once per backend."""
    return request.getfixturevalue("db" if request.param == "sqlite" else "pg_db")


@pytest.fixture
def app(settings: Settings, db: Database):  # type: ignore[no-untyped-def]
    from admin_web.app import create_app

    return create_app(settings, db)


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def admin_headers() -> dict[str, str]:
    return {"Authorization": "Bearer test-admin-token"}
