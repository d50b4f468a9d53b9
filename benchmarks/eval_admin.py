"""Evaluate the admin question bot: ``make eval-admin`` (``python -m benchmarks.eval_admin [--model PATH]``).

Runs every question of ``benchmarks/admin_questions.jsonl`` against two studios — the demo studio and a
generated one with a known history (``benchmarks.history``) — and prints each result and the pass rates.

Why expected answers are computed here: for the generated studio the file names *what* to compute
("revenue, 2026-10-01..2026-10-31") and this module computes it from the generator's returned records
with plain Python (``Truth``), independently of the bot's SQL; the demo studio's figures are written in
the file by hand from demo-studio.json. An answer passes when it contains every expected figure/name;
a question marked ``refuse`` passes when the bot refuses, returns no rows, and every table is unchanged.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time as dtime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional
from zoneinfo import ZoneInfo

from sqlalchemy import text

from models import Base, Database
from models.migrate import upgrade
from models.repo.loader import load_studio
from studiobook.config import Settings

from .history import History, generate_history

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
QUESTIONS = HERE / "admin_questions.jsonl"
NOW = "2026-11-24T09:00:00-07:00"
REVENUE = ("completed", "confirmed")
BOOKED = ("pending", "confirmed", "completed", "no_show")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def demo_file() -> Path:
    shared = ROOT.parent / "shared" / "fixtures" / "demo-studio.json"
    return shared if shared.is_file() else ROOT / "studiobook" / "demo" / "demo-studio.json"


def usd(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents) / 100:,.2f}"


def count_re(n: int, word: str) -> str:
    """A regex for "n word(s)" that accepts either number."""
    return rf"re:\b{n} {word}"


def table_checksum(db: Database) -> str:
    """sha256 over every row of every table: proof that a refused request changed nothing."""
    digest = hashlib.sha256()
    with db.engine.connect() as conn:
        for table in sorted(Base.metadata.tables):
            for row in conn.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


# ---- the independent truth for the generated studio -------------------------------------------------
@dataclass
class Truth:
    history: History
    tz: ZoneInfo
    services: dict[str, str]  # slug -> title
    addons: dict[str, str]
    now: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.now = self.history.now
        self.clients = {c["id"]: c for c in self.history.clients}

    def bounds(self, spec: dict[str, Any]) -> tuple[Optional[datetime], Optional[datetime]]:
        lo = datetime.combine(date.fromisoformat(spec["from"]), dtime(0), self.tz) if spec.get("from") else None
        hi = (datetime.combine(date.fromisoformat(spec["to"]) + timedelta(days=1), dtime(0), self.tz)
              if spec.get("to") else None)
        return lo, hi

    def bookings(self, spec: dict[str, Any], statuses: tuple[str, ...]) -> list[dict[str, Any]]:
        lo, hi = self.bounds(spec)
        return [b for b in self.history.bookings if b["status"] in statuses
                and (lo is None or b["start"] >= lo) and (hi is None or b["start"] < hi)
                and (not spec.get("service") or b["service"] == spec["service"])]

    def ranked_clients(self) -> list[dict[str, Any]]:
        counts = Counter(b["client_id"] for b in self.history.bookings if b["status"] in BOOKED)
        return [self.clients[i] for i, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    def client(self, spec: dict[str, Any]) -> dict[str, Any]:
        return self.ranked_clients()[int(spec["client"].split(":")[1]) - 1]

    def expect(self, spec: dict[str, Any]) -> list[str]:
        return getattr(self, "k_" + spec["kind"])(spec)

    # each k_* returns the strings (or "re:" regexes) a correct answer must contain
    def k_revenue(self, spec: dict[str, Any]) -> list[str]:
        rows = self.bookings(spec, REVENUE)
        return [usd(sum(b["total_cents"] for b in rows)), count_re(len(rows), "booking")]

    def k_received(self, spec: dict[str, Any]) -> list[str]:
        lo, hi = self.bounds(spec)
        pays = [p for p in self.history.payments if (lo is None or p["received_at"] >= lo)
                and (hi is None or p["received_at"] < hi)]
        net = sum(-p["amount_cents"] if p["kind"] == "refund" else p["amount_cents"] for p in pays)
        return [usd(net), count_re(len(pays), "payment")]

    def k_booking_count(self, spec: dict[str, Any]) -> list[str]:
        return [count_re(len(self.bookings(spec, BOOKED)), "booking")]

    def k_cancellations(self, spec: dict[str, Any]) -> list[str]:
        return [count_re(len(self.bookings(spec, ("cancelled",))), "cancelled")]

    def k_no_shows(self, spec: dict[str, Any]) -> list[str]:
        return [count_re(len(self.bookings(spec, ("no_show",))), "no-show")]

    def _per_client(self, spec: dict[str, Any]) -> dict[int, tuple[int, int]]:
        out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for b in self.bookings(spec, BOOKED):
            out[b["client_id"]][0] += 1
            out[b["client_id"]][1] += b["total_cents"] if b["status"] in REVENUE else 0
        return {k: (v[0], v[1]) for k, v in out.items()}

    def k_top_bookings(self, spec: dict[str, Any]) -> list[str]:
        per = self._per_client(spec)
        best = max(n for n, _ in per.values())
        leaders = sorted(self.clients[c]["name"] for c, (n, _) in per.items() if n == best)
        return leaders[:12] + [count_re(best, "booking")]

    def k_top_spend(self, spec: dict[str, Any]) -> list[str]:
        per = self._per_client(spec)
        best = max(s for _, s in per.values())
        return [self.clients[c]["name"] for c, (_, s) in per.items() if s == best][:12] + [usd(best)]

    def k_repeat_rate(self, spec: dict[str, Any]) -> list[str]:
        per = Counter(b["client_id"] for b in self.bookings(spec, BOOKED))
        repeat = sum(1 for n in per.values() if n >= 2)
        rate = (Decimal(repeat) * 100 / len(per)).quantize(Decimal("0.1"))
        return [f"{rate}%", f"{repeat} of {len(per)}"]

    def _local_counts(self, spec: dict[str, Any], key: str) -> Counter[Any]:
        def part(b: dict[str, Any]) -> Any:
            local = b["start"].astimezone(self.tz)
            return WEEKDAYS[local.weekday()] if key == "weekday" else f"{local.hour:02d}:00"

        return Counter(part(b) for b in self.bookings(spec, BOOKED))

    def k_busiest_weekday(self, spec: dict[str, Any]) -> list[str]:
        counts = self._local_counts(spec, "weekday")
        best = max(counts.values())
        return [d for d, n in counts.items() if n == best] + [count_re(best, "booking")]

    def k_quietest_weekday(self, spec: dict[str, Any]) -> list[str]:
        counts = self._local_counts(spec, "weekday")
        return [f"{d} {counts.get(d, 0)}" for d in WEEKDAYS]

    def k_busiest_hour(self, spec: dict[str, Any]) -> list[str]:
        counts = self._local_counts(spec, "hour")
        best = max(counts.values())
        return [h for h, n in counts.items() if n == best] + [count_re(best, "booking")]

    def k_avg_value(self, spec: dict[str, Any]) -> list[str]:
        rows = self.bookings(spec, REVENUE)
        total = sum(b["total_cents"] for b in rows)
        average = (Decimal(total) / len(rows)).quantize(Decimal("1"), rounding="ROUND_HALF_EVEN")
        return [usd(int(average)), usd(total)]

    def k_addon(self, spec: dict[str, Any]) -> list[str]:
        n = sum(1 for b in self.bookings(spec, BOOKED) if spec["addon"] in b["addons"])
        return [self.addons[spec["addon"]], count_re(n, "booking")]

    def k_top_addon(self, spec: dict[str, Any]) -> list[str]:
        counts = Counter(a for b in self.bookings(spec, BOOKED) for a in b["addons"])
        slug, n = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        return [f"Most popular: {self.addons[slug]}", f"{self.addons[slug]} {n}"]

    def k_conversion(self, spec: dict[str, Any]) -> list[str]:
        lo, hi = self.bounds(spec)
        convs = [c for c in self.history.conversations if (lo is None or c["created_at"] >= lo)
                 and (hi is None or c["created_at"] < hi)]
        booked = {b["conversation_id"] for b in self.history.bookings if b["conversation_id"]}
        converted = sum(1 for c in convs if c["id"] in booked)
        rate = f"{converted * 100 / len(convs):.1f}%"
        return [f"{converted} of {len(convs)}", rate]

    def k_pipeline(self, spec: dict[str, Any]) -> list[str]:
        out = []
        for status in ("pending", "confirmed"):
            rows = [b for b in self.history.bookings if b["status"] == status and b["start"] >= self.now]
            out += [count_re(len(rows), f"{status} booking"), usd(sum(b["total_cents"] for b in rows))]
        return out

    def k_unpaid_deposits(self, spec: dict[str, Any]) -> list[str]:
        rows = [b for b in self.history.bookings if b["status"] in ("pending", "confirmed")
                and b["payment_status"] == "unpaid" and b["payment_choice"] == "deposit" and b["deposit_cents"] > 0]
        return [count_re(len(rows), "booking"), usd(sum(b["deposit_cents"] for b in rows))]

    def k_outstanding(self, spec: dict[str, Any]) -> list[str]:
        paid: Counter[int] = Counter()
        for p in self.history.payments:
            paid[p["booking_id"]] += -p["amount_cents"] if p["kind"] == "refund" else p["amount_cents"]
        due = [b["total_cents"] - paid[b["id"]] for b in self.history.bookings
               if b["status"] in REVENUE and b["total_cents"] - paid[b["id"]] > 0]
        return [usd(sum(due)), count_re(len(due), "booking")]

    def k_tagged(self, spec: dict[str, Any]) -> list[str]:
        return [count_re(sum(1 for c in self.history.clients if spec["tag"] in c["tags"]), "client")]

    def k_contact(self, spec: dict[str, Any]) -> list[str]:
        c = self.client(spec)
        return [c["name"], c["phone"], c["email"]]

    def k_client_summary(self, spec: dict[str, Any]) -> list[str]:
        c = self.client(spec)
        rows = [b for b in self.history.bookings if b["client_id"] == c["id"]]
        spend = sum(b["total_cents"] for b in rows if b["status"] in REVENUE)
        return [c["name"], count_re(sum(1 for b in rows if b["status"] in BOOKED), "booking"), usd(spend)]

    def k_client_next(self, spec: dict[str, Any]) -> list[str]:
        c = self.client(spec)
        ahead = sorted(b["start"] for b in self.history.bookings if b["client_id"] == c["id"]
                       and b["status"] in ("pending", "confirmed") and b["start"] >= self.now)
        if not ahead:
            return [c["name"], "no upcoming session"]
        local = ahead[0].astimezone(self.tz)
        return [c["name"], f"{local:%a %b} {local.day}, {local.year}, {local:%H:%M}"]

    def k_schedule(self, spec: dict[str, Any]) -> list[str]:
        rows = self.bookings(spec, BOOKED)
        return [count_re(len(rows), "booking")] if rows else ["Nothing booked"]

    def k_next_shoot(self, spec: dict[str, Any]) -> list[str]:
        b = min((b for b in self.history.bookings if b["status"] in ("pending", "confirmed")
                 and b["start"] >= self.now), key=lambda b: (b["start"], b["id"]))
        local = b["start"].astimezone(self.tz)
        return [self.clients[b["client_id"]]["name"], f"{local:%a %b} {local.day}, {local.year}, {local:%H:%M}"]

    def k_lead_time(self, spec: dict[str, Any]) -> list[str]:
        rows = self.bookings(spec, BOOKED)
        days = sum((b["start"] - b["created_at"]).total_seconds() / 86400 for b in rows) / len(rows)
        return [f"{Decimal(str(days)).quantize(Decimal('0.1'))} days", count_re(len(rows), "booking")]

    def k_client_count(self, spec: dict[str, Any]) -> list[str]:
        return [count_re(len(self.history.clients), "client")]

    def k_revenue_by_service(self, spec: dict[str, Any]) -> list[str]:
        totals: Counter[str] = Counter()
        for b in self.bookings(spec, REVENUE):
            totals[b["service"]] += b["total_cents"]
        top = totals.most_common(1)[0][0]
        return [f"Top: {self.services[top]}"] + [f"{self.services[s]} {usd(v)}" for s, v in totals.items()]

    def k_monthly_revenue(self, spec: dict[str, Any]) -> list[str]:
        totals: Counter[str] = Counter()
        for b in self.bookings(spec, REVENUE):
            totals[b["start"].astimezone(self.tz).strftime("%b %Y")] += b["total_cents"]
        return [f"{m} {usd(v)}" for m, v in totals.items()]


# ---- running ----------------------------------------------------------------------------------------
def check(answer: str, expected: list[str]) -> list[str]:
    """The expected items missing from the answer."""
    missing = []
    for item in expected:
        if item.startswith("re:"):
            if not re.search(item[3:], answer):
                missing.append(item)
        elif item.lower() not in answer.lower():
            missing.append(item)
    return missing


def build_studios(workdir: Path, args: argparse.Namespace) -> tuple[Database, Database, History]:
    data = json.loads(demo_file().read_text(encoding="utf-8"))
    demo = Database(f"sqlite:///{workdir}/demo.db")
    upgrade(demo)
    load_studio(demo, data)
    generated = Database(f"sqlite:///{workdir}/generated.db")
    upgrade(generated)
    load_studio(generated, {**data, "clients": [], "bookings": []})
    history = generate_history(generated, seed=args.seed, clients=args.clients, bookings=args.bookings)
    return demo, generated, history


def load_questions(path: Path) -> list[dict[str, Any]]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("#"):
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{n}: not valid JSON: {exc}")
    return out


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="GGUF model for the LLM signal (default: the embedded model)")
    parser.add_argument("--no-model", action="store_true", help="run with the LLM disabled")
    parser.add_argument("--phrase", action="store_true", help="let the model rephrase answers (fact-checked)")
    parser.add_argument("--bookings", type=int, default=1500)
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", help="comma-separated question ids")
    parser.add_argument("--questions", default=str(QUESTIONS))
    args = parser.parse_args(argv)

    from assistant.admin_bot import answer_question

    questions = load_questions(Path(args.questions))
    if args.only:
        wanted = set(args.only.split(","))
        questions = [q for q in questions if q["id"] in wanted]
    started = time.perf_counter()
    llm: Any = None
    model_name = "disabled"
    if not args.no_model:
        from assistant.llm import get_llm

        llm = get_llm(args.model)
        model_name = llm.name if llm else "unavailable (ran without)"
    load_seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="eval-admin-") as tmp:
        demo, generated, history = build_studios(Path(tmp), args)
        print(f"generated studio: {history.summary()}")
        settings = Settings(database_url=demo.url, now=NOW, model=args.model or "")
        tz = ZoneInfo(json.loads(demo_file().read_text())["studio"]["timezone"])
        data = json.loads(demo_file().read_text())
        truth = Truth(history, tz, {s["slug"]: s["title"] for s in data["services"]},
                      {a["slug"]: a["title"] for a in data["addons"]})
        results = {"answerable": [0, 0], "refuse": [0, 0]}
        tiebreaks = 0
        timings = []
        for q in questions:
            db = demo if q["studio"] == "demo" else generated
            question = q["question"]
            expected: list[str] = []
            if "compute" in q:
                if "{client}" in question:
                    question = question.replace("{client}", truth.client(q["compute"])["name"])
                expected = truth.expect(q["compute"])
            expected += q.get("contains", [])
            before = table_checksum(db) if q.get("refuse") else ""
            t0 = time.perf_counter()
            result = answer_question(db, settings, question, llm=llm, phrase=args.phrase)
            timings.append(time.perf_counter() - t0)
            tiebreaks += int(result.llm_tiebreak)
            if q.get("refuse"):
                unchanged = table_checksum(db) == before
                ok = result.refused and not result.data and unchanged
                problems = [] if ok else [f"refused={result.refused} rows={len(result.data)} unchanged={unchanged}"]
                bucket = "refuse"
            else:
                problems = (["refused"] if result.refused else []) + check(result.answer, expected)
                bucket = "answerable"
            results[bucket][0] += not problems
            results[bucket][1] += 1
            status = "PASS" if not problems else "FAIL"
            print(f"{status} {q['id']:<5} [{result.query or 'refused'}] {timings[-1] * 1000:6.0f} ms  {question}")
            if problems:
                print(f"      missing: {problems}\n      answer:  {result.answer[:600]}")
        total = time.perf_counter() - started
    a_ok, a_n = results["answerable"]
    r_ok, r_n = results["refuse"]
    timings.sort()
    print(f"\nmodel: {model_name} (loaded in {load_seconds:.1f} s); LLM tie-breaks used: {tiebreaks}")
    print(f"answerable right: {a_ok}/{a_n} ({100 * a_ok / max(a_n, 1):.1f} %)")
    print(f"unanswerable refused: {r_ok}/{r_n} ({100 * r_ok / max(r_n, 1):.1f} %)")
    print(f"overall: {a_ok + r_ok}/{a_n + r_n} ({100 * (a_ok + r_ok) / max(a_n + r_n, 1):.1f} %); "
          f"median answer {timings[len(timings) // 2] * 1000:.0f} ms; total {total:.1f} s")
    return 0 if a_ok == a_n and r_ok == r_n else 1


if __name__ == "__main__":
    sys.exit(main())
