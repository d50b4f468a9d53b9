"""``make eval``: scripted client conversations against a fresh demo studio, through the real HTTP API and
the real SMTP port, with the clock frozen at each case's ``now``.

Cases (format: ``../shared/fixtures/README.md``) come from ``../shared/fixtures/conversations.jsonl`` and
``benchmarks/cases/*.jsonl`` unless ``--cases`` names others. Each case gets its own ``studiobook serve``
(fresh temp data dir and SQLite DB copied from a template holding the demo studio), an SMTP sink as the
outbound relay, and the checks of the format. Prints PASS/FAIL per case with a short reason, the pass rate
per file and overall, and timing.

    python -m benchmarks.eval_conversations [--model PATH] [--cases FILE/GLOB ...] [-k TEXT] [--jobs N]
                                            [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Optional, Sequence

from benchmarks.eval_harness.cases import Case, CaseError, expand, load_cases
from benchmarks.eval_harness.runner import CaseResult, Options, run_cases
from benchmarks.eval_harness.server import DEMO_FILE, ROOT, SHARED

DEFAULT_CASES = [str(SHARED / "fixtures" / "conversations.jsonl"), "benchmarks/cases/*.jsonl"]


def reply_template_names() -> Optional[set[str]]:
    directory = SHARED / "mail-corpus" / "replies"
    names = {p.stem for p in directory.glob("*.eml")}
    return names or None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m benchmarks.eval_conversations", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", metavar="PATH", help="GGUF model for the studio (STUDIOBOOK_MODEL); default: embedded")
    p.add_argument("--cases", metavar="FILE/GLOB", action="append",
                   help="case file or glob (repeatable); default: the shared fixtures plus benchmarks/cases/*.jsonl")
    p.add_argument("-k", dest="keyword", action="append", metavar="TEXT",
                   help="only cases whose id contains TEXT (repeatable: any of them)")
    p.add_argument("--jobs", "-j", type=int, default=1, help="servers running in parallel (default 1: 2-core machine)")
    p.add_argument("--json", metavar="OUT.json", help="write every result (checks, transcript, log tail) here")
    p.add_argument("--turn-timeout", type=float, default=120.0, help="seconds to wait for one answer (default 120)")
    p.add_argument("--no-reply-grace", type=float, default=6.0,
                   help="seconds an email case expecting no answer waits per message (default 6)")
    p.add_argument("--no-prefetch", action="store_true",
                   help="do not start the next case's server while a case runs (slower, fewer processes)")
    p.add_argument("--keep-logs", metavar="DIR", help="copy the server log of every failing case into DIR")
    p.add_argument("--fail-under", type=float, metavar="PERCENT",
                   help="exit with status 1 when the overall pass rate is below PERCENT")
    p.add_argument("--list", action="store_true", help="list the selected cases and exit")
    p.add_argument("-q", "--quiet", action="store_true", help="print only failures and the summary")
    return p


def select(cases: list[Case], keywords: Optional[Sequence[str]]) -> list[Case]:
    if not keywords:
        return cases
    return [c for c in cases if any(k in c.id for k in keywords)]


def _rel(path: str) -> str:
    try:
        return os.path.relpath(path, ROOT)
    except ValueError:
        return path


def print_result(r: CaseResult, width: int, quiet: bool) -> None:
    if r.passed and quiet:
        return
    turns = len(r.transcript.turns) if r.transcript else 0
    head = f"{'PASS' if r.passed else 'FAIL'}  {r.case.id:<{width}}  {r.case.channel:<5} {turns:>2} turns {r.seconds:6.1f}s"
    print(head if r.passed else f"{head}  {r.reason[:400]}", flush=True)


def summary(results: list[CaseResult], wall: float, out=sys.stdout) -> dict:  # type: ignore[no-untyped-def]
    per_file: dict[str, list[CaseResult]] = defaultdict(list)
    for r in results:
        per_file[_rel(r.case.source)].append(r)
    print("", file=out)
    print("pass rate per file:", file=out)
    files = {}
    for name, rs in per_file.items():
        passed = sum(r.passed for r in rs)
        files[name] = {"passed": passed, "total": len(rs), "rate": round(100 * passed / len(rs), 1)}
        print(f"  {name:<48} {passed:>4}/{len(rs):<4} {100 * passed / len(rs):6.1f} %", file=out)
    passed = sum(r.passed for r in results)
    total = len(results)
    rate = 100 * passed / total if total else 0.0
    by_channel = {}
    for ch in ("chat", "email"):
        rs = [r for r in results if r.case.channel == ch]
        if rs:
            by_channel[ch] = {"passed": sum(r.passed for r in rs), "total": len(rs)}
    secs = [r.seconds for r in results]
    starts = [r.startup_seconds for r in results if r.startup_seconds]
    print(f"overall: {passed}/{total} passed ({rate:.1f} %)"
          + "".join(f"; {ch} {v['passed']}/{v['total']}" for ch, v in by_channel.items()), file=out)
    if secs:
        print(f"time: {wall:.1f} s wall, {sum(secs) / len(secs):.1f} s per case on average "
              f"(max {max(secs):.1f} s; server start {sum(starts) / max(1, len(starts)):.2f} s on average)", file=out)
    failing = [r.case.id for r in results if not r.passed]
    if failing:
        print(f"failing ({len(failing)}): {', '.join(failing)}", file=out)
    return {"passed": passed, "total": total, "rate": round(rate, 1), "files": files, "channels": by_channel,
            "wall_seconds": round(wall, 1), "failing": failing}


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    if args.model and not Path(args.model).is_file():
        print(f"eval: no such model file: {args.model}", file=sys.stderr)
        return 2
    try:
        paths = expand(args.cases or DEFAULT_CASES, ROOT, allow_empty_glob=not args.cases)
        cases = select(load_cases(paths, reply_template_names()), args.keyword)
    except CaseError as exc:
        print(f"eval: {exc}", file=sys.stderr)
        return 2
    if not cases:
        print("eval: no case selected", file=sys.stderr)
        return 2
    if args.list:
        for c in cases:
            print(f"{c.id}\t{c.channel}\t{_rel(c.where)}")
        return 0
    opts = Options(model=args.model, turn_timeout=args.turn_timeout, no_reply_grace=args.no_reply_grace,
                   keep_logs=Path(args.keep_logs) if args.keep_logs else None, demo_file=DEMO_FILE,
                   prefetch=not args.no_prefetch)
    width = min(44, max(len(c.id) for c in cases))
    print(f"eval: {len(cases)} cases from {len(paths)} file(s), {max(1, args.jobs)} at a time, "
          f"model: {args.model or 'embedded default'}", flush=True)
    started = time.monotonic()
    results = run_cases(cases, opts, jobs=max(1, args.jobs),
                        on_result=lambda r: print_result(r, width, args.quiet))
    wall = time.monotonic() - started
    totals = summary(results, wall)
    if args.json:
        Path(args.json).write_text(json.dumps({"summary": {**totals, "model": args.model},
                                               "cases": [r.as_dict() for r in results]},
                                              indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"wrote {args.json}")
    if args.fail_under is not None and totals["rate"] < args.fail_under:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
