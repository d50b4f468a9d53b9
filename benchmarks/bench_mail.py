"""Mail benchmarks: inbound mails accepted and stored per second over SMTP on loopback (target >= 100/s),
and the median time from the SMTP 250 to the studio's reply reaching the relay (target < 3 s).

1. Accept+store: the inbound server (aiosmtpd + the durable spool: fsync'd file, then the database row,
   then 250) in this process on SQLite; 4 client connections send MAIL_BENCH_N small mails each way.
2. Accept -> reply: a real ``studiobook serve`` (demo studio, the real assistant with the embedded model
   unless STUDIOBOOK_LLM says otherwise) with an aiosmtpd sink as its relay; client mails are sent one at
   a time, each timed from the 250 to the reply's arrival at the sink.
"""
from __future__ import annotations

import asyncio
import email
import email.policy
import os
import smtplib
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiosmtpd.controller import Controller  # noqa: E402

from benchmarks.serverproc import ServerProcess, free_port  # noqa: E402

N_STORE = int(os.environ.get("MAIL_BENCH_N", "400"))
N_REPLY = int(os.environ.get("MAIL_BENCH_REPLIES", "12"))
CLIENTS = 4

QUESTIONS = [
    "Hi, can I book a portrait session on Wednesday December 2 at 1pm?",
    "Hello! Do you have time for headshots next Thursday morning?",
    "What does the family mini session cost?",
    "Hola, ¿tienen disponibilidad para una sesión de retrato el jueves 10 de diciembre a las 11?",
    "Guten Tag, ist am Dienstag, den 15.12., um 14 Uhr ein Porträttermin frei?",
    "We're getting married next June at a mountain venue and would love aerial shots. What do you offer?",
]


def _mail(i: int, body: str, sender: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Bench Client {i} <{sender}>"
    msg["To"] = "book@studio.localhost"
    msg["Subject"] = f"Question {i}"
    msg["Message-ID"] = f"<bench-{i}-{time.time_ns()}@example.com>"
    msg.set_content(body)
    return msg.as_bytes(policy=email.policy.SMTP)


# ---- 1. accept + store ---------------------------------------------------------------------------

def bench_store() -> float:
    from mailroom import smtp_in
    from models import Database
    from models.migrate import upgrade
    from studiobook.config import Settings

    with tempfile.TemporaryDirectory(prefix="studiobook-bench-") as tmp:
        settings = Settings(database_url=f"sqlite:///{tmp}/db.sqlite", data_dir=f"{tmp}/data",
                            smtp_in_port=free_port(), smtp_out_port=0)
        db = Database(settings.database_url)
        upgrade(db)
        loop = asyncio.new_event_loop()
        ready = threading.Event()
        holder: dict[str, Any] = {}

        def serve() -> None:
            asyncio.set_event_loop(loop)
            holder["server"] = loop.run_until_complete(smtp_in.start_server(settings, db))
            ready.set()
            loop.run_forever()

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        ready.wait(30)
        mails = [_mail(i, QUESTIONS[i % len(QUESTIONS)], f"client{i}@example.com") for i in range(N_STORE)]

        def client(part: list[bytes]) -> None:
            with smtplib.SMTP("127.0.0.1", settings.smtp_in_port, timeout=60) as smtp:
                for raw in part:
                    smtp.sendmail("client@example.com", ["book@studio.localhost"], raw)

        parts = [mails[k::CLIENTS] for k in range(CLIENTS)]
        started = time.perf_counter()
        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(client, parts))
        elapsed = time.perf_counter() - started
        from sqlalchemy import func, select

        from models import InboundMail

        with db.read() as session:
            stored = session.scalar(select(func.count()).select_from(InboundMail))
        loop.call_soon_threadsafe(holder["server"].close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        db.dispose()
    assert stored == N_STORE, f"stored {stored} of {N_STORE}"
    rate = N_STORE / elapsed
    print(f"inbound accepted+stored over SMTP (SQLite, fsync, {CLIENTS} connections): {N_STORE} mails in "
          f"{elapsed:.2f} s = {rate:.0f} mails/s (target >= 100/s)")
    return rate


# ---- 2. accept -> reply at the relay -------------------------------------------------------------

class _Sink:
    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        if str(msg.get("X-Studiobook", "")) == "reply":
            with self.lock:
                self.arrived[str(msg.get("In-Reply-To", "")).strip()] = time.perf_counter()
        return "250 OK"


def bench_reply() -> float:
    sink = _Sink()
    relay_port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=relay_port)
    controller.start()
    smtp_port = free_port()
    env = {"STUDIOBOOK_SMTP_IN_PORT": str(smtp_port), "STUDIOBOOK_SMTP_OUT_PORT": str(relay_port),
           "STUDIOBOOK_SMTP_OUT_HOST": "127.0.0.1"}
    for key in ("STUDIOBOOK_LLM", "STUDIOBOOK_MODEL"):
        if key in os.environ:
            env[key] = os.environ[key]
    latencies: list[float] = []
    try:
        with ServerProcess(env=env) as server:
            for i in range(N_REPLY):
                raw = _mail(i, QUESTIONS[i % len(QUESTIONS)], f"reply{i}@example.com")
                mid = email.message_from_bytes(raw, policy=email.policy.default)["Message-ID"]
                with smtplib.SMTP("127.0.0.1", smtp_port, timeout=60) as smtp:
                    smtp.sendmail(f"reply{i}@example.com", ["book@studio.localhost"], raw)
                accepted = time.perf_counter()
                deadline = accepted + 60
                while time.perf_counter() < deadline:
                    with sink.lock:
                        arrived = sink.arrived.get(mid)
                    if arrived is not None:
                        latencies.append(arrived - accepted)
                        break
                    time.sleep(0.005)
                else:
                    print(f"  no reply within 60 s to mail {i}")
            rss = server.rss_mb()
    finally:
        controller.stop()
    if not latencies:
        print("accept -> reply at relay: no replies arrived")
        return float("inf")
    ordered = sorted(latencies)
    median = statistics.median(ordered)
    print(f"accept -> reply at relay (real serve, real assistant, {len(ordered)}/{N_REPLY} replies): "
          f"median {median:.2f} s, first {latencies[0]:.2f} s, p90 {ordered[int(0.9 * (len(ordered) - 1))]:.2f} s, "
          f"max {ordered[-1]:.2f} s (target median < 3 s); serve peak RSS {rss:.0f} MB")
    return median


def main() -> int:
    rate = bench_store()
    median = bench_reply()
    if rate < 100 or median >= 3:
        print("mail targets missed (see above)")
    return 0 if median != float("inf") else 1


if __name__ == "__main__":
    sys.exit(main())
