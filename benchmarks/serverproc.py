"""Start `studiobook serve` in a subprocess on free ports with its own data directory (benchmarks, evals)."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
DEMO = Path(os.environ.get("STUDIOBOOK_SHARED_DIR", ROOT.parent / "shared")) / "fixtures" / "demo-studio.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """A real server: ``with ServerProcess(now=...) as srv: srv.url``."""

    def __init__(self, *, now: Optional[str] = "2026-11-24T09:00:00-07:00", database_url: Optional[str] = None,
                 env: Optional[dict[str, str]] = None, load: Optional[Path] = DEMO) -> None:
        self.tmp = tempfile.TemporaryDirectory(prefix="studiobook-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIOBOOK_")}
        self.env.update({
            "STUDIOBOOK_DATABASE_URL": database_url or f"sqlite:///{self.tmp.name}/db.sqlite",
            "STUDIOBOOK_DATA_DIR": self.tmp.name, "STUDIOBOOK_HTTP_PORT": str(self.port),
            "STUDIOBOOK_SMTP_IN_PORT": "0", "STUDIOBOOK_ADMIN_TOKEN": "bench-token", "STUDIOBOOK_LOG_LEVEL": "WARNING",
        })
        if now:
            self.env["STUDIOBOOK_NOW"] = now
        self.env.update(env or {})
        self.load = load
        self.proc: Optional[subprocess.Popen[bytes]] = None

    def __enter__(self) -> "ServerProcess":
        args = [sys.executable, "-m", "studiobook.cli", "serve"]
        if self.load:
            args += ["--load-if-empty", str(self.load)]
        self.log = open(Path(self.tmp.name) / "serve.log", "wb")
        self.proc = subprocess.Popen(args, cwd=self.tmp.name, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {(Path(self.tmp.name) / 'serve.log').read_text()[-2000:]}")
            try:
                urllib.request.urlopen(f"{self.url}/api/services", timeout=2).read()
                return self
            except OSError:
                time.sleep(0.25)
        raise RuntimeError("server did not start within 120 s")

    def __exit__(self, *exc: object) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()
        self.tmp.cleanup()

    def rss_mb(self) -> float:
        """Peak resident memory of the server process (VmHWM), in MB."""
        assert self.proc
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def request(self, method: str, path: str, body: Optional[dict] = None,
                headers: Optional[dict[str, str]] = None, timeout: float = 60) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.url}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")
