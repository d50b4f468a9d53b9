"""Start a real ``studiobook serve`` per case: fresh data dir and SQLite DB, frozen clock, free ports.

Startup is kept lean: the demo studio is migrated and loaded once into a template database
(``TemplateDB``), and every case starts from a byte copy of it. ``serve`` still gets
``--load-if-empty`` with the demo file, so a copy that somehow lost its studio is reloaded.
The model, if any, loads once per server process.
"""
from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("STUDIOBOOK_SHARED_DIR", ROOT.parent / "shared"))
DEMO_FILE = SHARED / "fixtures" / "demo-studio.json"
ADMIN_TOKEN = "eval-admin-token"


_LIVE: set["StudioServer"] = set()
_LIVE_LOCK = threading.Lock()


def stop_all() -> None:
    """Stop every server this process started and has not stopped yet (Ctrl-C, crashes, exit)."""
    with _LIVE_LOCK:
        live = list(_LIVE)
    for server in live:
        server.stop(timeout=5)


atexit.register(stop_all)


class ServerError(RuntimeError):
    """The server did not start or answer; the message carries the tail of its log."""


def studiobook_command() -> list[str]:
    """The ``studiobook`` console script of this interpreter's environment (or ``-m studiobook.cli``)."""
    script = Path(sys.executable).parent / "studiobook"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "studiobook.cli"]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    """The parent's environment without any STUDIOBOOK_* setting (no leaks from a developer shell)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIOBOOK_")}
    env.setdefault("PYTHONUNBUFFERED", "1")
    env.update(extra)
    return env


class TemplateDB:
    """A migrated SQLite database holding the demo studio, built once and copied for each case."""

    _lock = threading.Lock()

    def __init__(self, demo_file: Path = DEMO_FILE, workdir: Optional[Path] = None) -> None:
        self.demo_file = Path(demo_file)
        self._own_dir = workdir is None
        self.dir = Path(workdir or tempfile.mkdtemp(prefix="studiobook-eval-template-"))
        self.path = self.dir / "template.db"
        self.build_seconds = 0.0

    def build(self) -> "TemplateDB":
        with self._lock:
            if self.path.exists():
                return self
            started = time.monotonic()
            env = clean_env({"STUDIOBOOK_DATABASE_URL": f"sqlite:///{self.path}",
                             "STUDIOBOOK_DATA_DIR": str(self.dir / "data"),
                             "STUDIOBOOK_CONFIG": str(self.dir / "none.toml")})
            proc = subprocess.run(studiobook_command() + ["load", str(self.demo_file)], env=env, cwd=self.dir,
                                  capture_output=True, text=True, timeout=300)
            if proc.returncode != 0:
                raise ServerError(f"studiobook load failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
            # fold the WAL into the main file so a plain copy is complete
            con = sqlite3.connect(self.path)
            try:
                con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                con.execute("PRAGMA journal_mode=DELETE")
            finally:
                con.close()
            self.build_seconds = time.monotonic() - started
            return self

    def copy_to(self, target: Path) -> None:
        self.build()
        shutil.copyfile(self.path, target)

    def cleanup(self) -> None:
        if self._own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)


class StudioServer:
    """One ``studiobook serve`` subprocess for one case."""

    def __init__(self, now: str, smtp_out_port: int, *, model: Optional[str] = None,
                 template: Optional[TemplateDB] = None, demo_file: Path = DEMO_FILE,
                 startup_timeout: float = 120.0, keep_dir: bool = False, log_name: str = "serve.log") -> None:
        self.now = now
        self.smtp_out_port = smtp_out_port
        self.model = model
        self.template = template
        self.demo_file = Path(demo_file)
        self.startup_timeout = startup_timeout
        self.keep_dir = keep_dir
        self.dir = Path(tempfile.mkdtemp(prefix="studiobook-eval-"))
        self.log_path = self.dir / log_name
        self.http_port = 0
        self.smtp_in_port = 0
        self.proc: Optional[subprocess.Popen[bytes]] = None
        self.startup_seconds = 0.0
        self._log: Any = None

    # ---- addresses ----------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def book_address(self) -> str:
        return "book@studio.localhost"

    # ---- lifecycle ----------------------------------------------------------------------------
    def start(self) -> "StudioServer":
        started = time.monotonic()
        db_path = self.dir / "studiobook.db"
        if self.template is not None:
            self.template.copy_to(db_path)
        self.http_port = free_port()
        self.smtp_in_port = free_port()
        while self.smtp_in_port == self.http_port:
            self.smtp_in_port = free_port()
        env = {
            "STUDIOBOOK_DATABASE_URL": f"sqlite:///{db_path}",
            "STUDIOBOOK_DATA_DIR": str(self.dir / "data"),
            "STUDIOBOOK_CONFIG": str(self.dir / "none.toml"),
            "STUDIOBOOK_HTTP_HOST": "127.0.0.1",
            "STUDIOBOOK_HTTP_PORT": str(self.http_port),
            "STUDIOBOOK_SMTP_IN_HOST": "127.0.0.1",
            "STUDIOBOOK_SMTP_IN_PORT": str(self.smtp_in_port),
            "STUDIOBOOK_SMTP_OUT_HOST": "127.0.0.1",
            "STUDIOBOOK_SMTP_OUT_PORT": str(self.smtp_out_port),
            "STUDIOBOOK_SMTP_OUT_TLS": "none",
            "STUDIOBOOK_MAIL_DOMAIN": "studio.localhost",
            "STUDIOBOOK_NOW": self.now,
            "STUDIOBOOK_ADMIN_TOKEN": ADMIN_TOKEN,
            "STUDIOBOOK_SECRET_KEY": "eval-secret-key-not-for-production",
            "STUDIOBOOK_LOG_LEVEL": os.environ.get("STUDIOBOOK_EVAL_LOG_LEVEL", "INFO"),
        }
        if self.model:
            env["STUDIOBOOK_MODEL"] = str(Path(self.model).resolve())
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            studiobook_command() + ["serve", "--load-if-empty", str(self.demo_file)],
            env=clean_env(env), cwd=self.dir, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True)
        with _LIVE_LOCK:
            _LIVE.add(self)
        try:
            self._wait_http(started + self.startup_timeout)
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - started
        return self

    def _wait_http(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise ServerError(f"studiobook serve exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/api/services", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError, ConnectionError):
                pass
            time.sleep(0.1)
        raise ServerError(f"studiobook serve not ready after {self.startup_timeout:.0f} s:\n{self.log_tail()}")

    def wait_smtp(self, timeout: float = 15.0) -> bool:
        """True once the inbound SMTP port accepts connections (the mailroom is running)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.smtp_in_port), timeout=1):
                    return True
            except OSError:
                time.sleep(0.1)
        return False

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM (a clean stop, as CONTRACT.md promises), SIGKILL if it does not end in time."""
        proc, self.proc = self.proc, None
        with _LIVE_LOCK:
            _LIVE.discard(self)
        if proc is not None and proc.poll() is None:
            try:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
            except ProcessLookupError:
                pass
        if self._log is not None:
            self._log.close()
            self._log = None

    def cleanup(self) -> None:
        if not self.keep_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "StudioServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self.cleanup()

    def log_tail(self, lines: int = 25) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    # ---- HTTP ---------------------------------------------------------------------------------
    def request(self, method: str, path: str, body: Optional[dict[str, Any]] = None, *, admin: bool = False,
                timeout: float = 60.0) -> tuple[int, Any]:
        """(status, parsed JSON or text) for one request; transport errors raise ``OSError``."""
        data = json.dumps(body).encode("utf-8") if body is not None else None
        req = urllib.request.Request(self.base_url + path, data=data, method=method)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if admin:
            req.add_header("Authorization", f"Bearer {ADMIN_TOKEN}")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                status, raw = r.status, r.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        text = raw.decode("utf-8", "replace")
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def bookings(self) -> list[dict[str, Any]]:
        """All bookings from ``GET /admin/api/bookings`` with the bearer token."""
        status, body = self.request("GET", "/admin/api/bookings", admin=True)
        if status != 200 or not isinstance(body, list):
            raise ServerError(f"GET /admin/api/bookings answered {status}: {str(body)[:300]}")
        return body
