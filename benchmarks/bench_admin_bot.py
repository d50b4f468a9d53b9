"""Median answer time of the admin question bot on a studio with 10 000 bookings (target < 1.5 s).

Builds a temporary SQLite studio (demo catalogue + ``generate_history`` with 10 000 bookings and 2 000
clients), asks a mixed set of questions several times with the embedded model enabled (as ``studiobook
ask`` would), and prints the generation time, the median and the 90th percentile per question and overall.
Run: ``python benchmarks/bench_admin_bot.py [--bookings N] [--rounds N] [--no-model]``.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script by `make bench`
    sys.path.insert(0, str(ROOT))

QUESTIONS = (
    "What was revenue in October?", "Who booked most last month?", "Who hasn't paid their deposit?",
    "What percentage of clients came back?", "Which weekdays are busiest for portraits?", "Any gaps next week?",
    "What's on next week?", "Revenue by service last year", "Monthly revenue for 2025", "What's in the pipeline?",
    "What's the chat to booking conversion rate?", "Outstanding balances", "Most popular add-ons",
    "How far in advance do clients book?", "What's Priya's phone number?", "Clients tagged VIP",
    "cancel booking 3", "What was my profit in October?",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-model", action="store_true")
    args = parser.parse_args(argv)

    from assistant.admin_bot import answer_question
    from benchmarks.eval_admin import NOW, demo_file
    from benchmarks.history import generate_history
    from models import Database
    from models.migrate import upgrade
    from models.repo.loader import load_studio
    from studiobook.config import Settings

    llm = None
    if not args.no_model:
        from assistant.llm import get_llm

        started = time.perf_counter()
        llm = get_llm()
        print(f"model: {llm.name if llm else 'unavailable'} loaded in {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory(prefix="bench-admin-") as tmp:
        db = Database(f"sqlite:///{tmp}/bench.db")
        upgrade(db)
        load_studio(db, json.loads(demo_file().read_text(encoding="utf-8")))
        started = time.perf_counter()
        history = generate_history(db, seed=1, clients=args.clients, bookings=args.bookings)
        print(f"generate_history: {history.summary()} in {time.perf_counter() - started:.2f} s")
        settings = Settings(database_url=db.url, now=NOW)
        per_question: dict[str, list[float]] = {q: [] for q in QUESTIONS}
        for _ in range(args.rounds):
            for question in QUESTIONS:
                t0 = time.perf_counter()
                answer_question(db, settings, question, llm=llm)
                per_question[question].append(time.perf_counter() - t0)
        db.dispose()
    every = sorted(t for times in per_question.values() for t in times)
    for question, times in per_question.items():
        print(f"  {statistics.median(times) * 1000:7.1f} ms  {question}")
    p90 = every[int(len(every) * 0.9) - 1]
    median = statistics.median(every)
    print(f"admin bot on {args.bookings} bookings: median {median * 1000:.1f} ms, p90 {p90 * 1000:.1f} ms, "
          f"max {every[-1] * 1000:.1f} ms over {len(every)} answers (target: median < 1500 ms)")
    return 0 if median < 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
