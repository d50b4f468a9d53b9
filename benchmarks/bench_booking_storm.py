"""A booking storm: 200 concurrent POST /api/bookings for the same slot -> exactly one 201.

Runs against a real `studiobook serve` on SQLite and on PostgreSQL (127.0.0.1:5432, database test, a
private schema). Prints the status counts, the wall time and requests per second.
"""
from __future__ import annotations

import os
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.serverproc import ServerProcess  # noqa: E402

PG_URL = os.environ.get("STUDIOBOOK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
N = int(os.environ.get("STORM_REQUESTS", "200"))


def storm(server: ServerProcess, label: str) -> bool:
    barrier = threading.Barrier(N)
    codes: Counter[int] = Counter()
    lock = threading.Lock()

    def one(i: int) -> None:
        body = {"service": "portrait", "start": "2026-12-03T10:00:00-07:00",
                "client": {"name": f"Storm {i}", "email": f"storm{i}@example.com", "phone": ""}}
        barrier.wait()
        try:
            status, _ = server.request("POST", "/api/bookings", body, timeout=120)
        except Exception:  # noqa: BLE001 - a dropped connection counts as a failure
            status = 0
        with lock:
            codes[status] += 1

    threads = [threading.Thread(target=one, args=(i,)) for i in range(N)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    _, listed = server.request("GET", "/admin/api/bookings?from=2026-12-03&to=2026-12-03",
                               headers={"Authorization": "Bearer bench-token"})
    stored = [b for b in listed if b["status"] in ("pending", "confirmed")]
    ok = codes.get(201, 0) == 1 and len(stored) == 1 and codes.get(409, 0) == N - 1
    print(f"storm_{label}_requests: {N}")
    print(f"storm_{label}_status_counts: {dict(sorted(codes.items()))}")
    print(f"storm_{label}_bookings_stored: {len(stored)}")
    print(f"storm_{label}_seconds: {elapsed:.2f}  ({N / elapsed:.0f} req/s)")
    print(f"storm_{label}_exactly_one_success: {'yes' if ok else 'NO'}")
    return ok


def main() -> int:
    ok = True
    with ServerProcess() as server:
        ok &= storm(server, "sqlite")
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        with ServerProcess(database_url=f"{PG_URL}?options=-csearch_path%3D{schema},public") as server:
            ok &= storm(server, "postgresql")
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
