"""The `studiobook` command as an operator uses it, in a subprocess with its own data directory."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO_FILE

ROOT = Path(__file__).resolve().parents[2]


def run(tmp_path: Path, *args: str, env: dict | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIOBOOK_")}
    full_env.update({"STUDIOBOOK_DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite", "STUDIOBOOK_DATA_DIR": str(tmp_path)})
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "studiobook.cli", *args], cwd=tmp_path, env=full_env,
                          capture_output=True, text=True, timeout=120, input=input)


def test_migrate_then_load_twice_is_idempotent(tmp_path):
    assert run(tmp_path, "migrate").returncode == 0
    first = run(tmp_path, "load", str(DEMO_FILE))
    assert first.returncode == 0, first.stderr
    assert "6 bookings created" in first.stdout
    second = run(tmp_path, "load", str(DEMO_FILE))
    assert "6 bookings unchanged/updated" in second.stdout and "created" not in second.stdout


def test_a_bad_studio_file_changes_nothing_and_says_why(tmp_path):
    data = json.loads(DEMO_FILE.read_text())
    data["services"][0]["addons"].append("helicopter")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    result = run(tmp_path, "load", str(bad))
    assert result.returncode == 2
    assert "unknown add-on(s) helicopter" in result.stderr and "nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    missing = run(tmp_path, "load", str(tmp_path / "nope.json"))
    assert missing.returncode != 0 and "no such file" in missing.stderr


def test_create_admin_reads_the_password_from_the_environment(tmp_path):
    result = run(tmp_path, "create-admin", "maya@studio.localhost", env={"STUDIOBOOK_ADMIN_PASSWORD": "correct horse"})
    assert result.returncode == 0 and "admin maya@studio.localhost created" in result.stdout
    again = run(tmp_path, "create-admin", "maya@studio.localhost", env={"STUDIOBOOK_ADMIN_PASSWORD": "new password!"})
    assert "updated" in again.stdout
    short = run(tmp_path, "create-admin", "x@studio.localhost", env={"STUDIOBOOK_ADMIN_PASSWORD": "short"})
    assert short.returncode == 2 and "at least 8 characters" in short.stderr


def test_configuration_errors_are_reported_plainly(tmp_path):
    result = run(tmp_path, "migrate", env={"STUDIOBOOK_NOW": "yesterday"})
    assert result.returncode == 2
    assert "STUDIOBOOK_NOW must be an ISO datetime" in result.stderr


def test_serve_loads_the_demo_on_first_start_and_stops_on_sigterm(tmp_path):
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIOBOOK_")}
    env.update({"STUDIOBOOK_DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite", "STUDIOBOOK_DATA_DIR": str(tmp_path),
                "STUDIOBOOK_HTTP_PORT": str(port), "STUDIOBOOK_SMTP_IN_PORT": "0",
                "STUDIOBOOK_NOW": "2026-11-24T09:00:00-07:00"})
    proc = subprocess.Popen([sys.executable, "-m", "studiobook.cli", "serve", "--load-if-empty", str(DEMO_FILE)],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        body = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/services", timeout=2) as r:
                    body = json.loads(r.read())
                break
            except OSError:
                time.sleep(0.3)
        assert body is not None, "server did not come up"
        assert [s["slug"] for s in body][:2] == ["portrait", "family-mini"]
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert "Traceback" not in out
