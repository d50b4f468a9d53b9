"""Chat turns over HTTP with the embedded model: p50/p95 per turn and the server's peak memory.

Replays every chat conversation of the shared fixtures and benchmarks/cases against one real
`studiobook serve` (fresh demo studio, frozen clock), one turn at a time like a client typing.
Targets (issue 9): p50 < 1.0 s, p95 < 2.5 s, peak RSS < 600 MB.
"""
from __future__ import annotations

import glob
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.serverproc import DEMO, ServerProcess  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MAX_CONVERSATIONS = 60


def conversations() -> list[list[str]]:
    files = [DEMO.parent / "conversations.jsonl", *sorted(glob.glob(str(ROOT / "benchmarks/cases/chat_*.jsonl")))]
    found = []
    for path in files:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                if case.get("channel") == "chat":
                    found.append([m if isinstance(m, str) else m["text"] for m in case["messages"]])
    return found[:MAX_CONVERSATIONS]


def main() -> int:
    turns: list[float] = []
    with ServerProcess() as server:
        time.sleep(8)  # the model loads in the background at start; measure steady state
        for messages in conversations():
            conversation_id = None
            for message in messages:
                started = time.perf_counter()
                status, body = server.request("POST", "/api/chat", {"conversation_id": conversation_id,
                                                                     "message": message})
                turns.append(time.perf_counter() - started)
                if status != 200:
                    print(f"chat turn failed with {status}: {body}")
                    return 1
                conversation_id = body["conversation_id"]
        rss = server.rss_mb()
    turns.sort()
    p95 = turns[min(len(turns) - 1, int(round(0.95 * (len(turns) - 1))))]
    print(f"chat_turns: {len(turns)}")
    print(f"chat_turn_p50_s: {statistics.median(turns):.3f}")
    print(f"chat_turn_p95_s: {p95:.3f}")
    print(f"chat_turn_max_s: {turns[-1]:.3f}")
    print(f"serve_peak_rss_mb: {rss:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
