"""`studiobook ask` prints the answer, in a real subprocess against a temporary database."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ..conftest import DEMO_FILE, DEMO_NOW

ROOT = Path(__file__).resolve().parents[2]


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STUDIOBOOK_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db", "STUDIOBOOK_NOW": DEMO_NOW,
           "STUDIOBOOK_DATA_DIR": str(tmp_path / "data"), "STUDIOBOOK_LOG_LEVEL": "WARNING"}
    return subprocess.run([sys.executable, "-m", "studiobook.cli", *args], cwd=tmp_path, env=env, text=True,
                          capture_output=True, timeout=120)


def test_studiobook_ask_prints_the_answer(tmp_path):
    assert run(tmp_path, "load", str(DEMO_FILE)).returncode == 0
    done = run(tmp_path, "ask", "What was revenue in October?")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ("Revenue for October 2026: $900.00 from 2 bookings (completed and confirmed sessions by "
                           "session date; pending, cancelled, declined and no-show bookings excluded).\n")
    with_rows = run(tmp_path, "ask", "--json", "Clients tagged VIP")
    answer, rows = with_rows.stdout.split("\n", 1)
    assert answer == "1 client tagged VIP: Priya Raman (priya.raman@example.com, +1 303 555 0142)."
    assert json.loads(rows) == [{"client": "Priya Raman", "email": "priya.raman@example.com",
                                 "phone": "+1 303 555 0142", "tag": "VIP"}]


def test_studiobook_ask_without_a_studio_says_so(tmp_path):
    assert run(tmp_path, "migrate").returncode == 0
    done = run(tmp_path, "ask", "What was revenue in October?")
    assert done.stdout == "No studio is configured yet: load one with `studiobook load FILE.json`.\n"
