"""Run cases: one fresh server and mail sink per case, the conversation, then the checks.

Speed without sharing state between cases: each worker starts the NEXT case's server (own sink, own
copy of the template database, that case's frozen clock) while the current conversation runs, and
stops finished servers in the background. A server start costs ~2.5 s and a stop ~0.8 s on this
machine kind; a scripted conversation often less than that.
"""
from __future__ import annotations

import shutil
import threading
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from .cases import Case
from .chat import run_chat
from .checks import CheckResult, evaluate
from .email import answers_to, run_email
from .server import DEMO_FILE, ServerError, StudioServer, TemplateDB, stop_all
from .sink import MailSink
from .transcript import Transcript


@dataclass
class Options:
    model: Optional[str] = None
    turn_timeout: float = 120.0        # one chat turn, or waiting for the studio's mail
    no_reply_grace: float = 6.0        # how long an email case expecting silence waits per message
    code_wait: float = 20.0            # how long the client waits for a verification mail
    settle: float = 1.0                # quiet time that ends a burst of studio mails
    startup_timeout: float = 120.0
    keep_logs: Optional[Path] = None   # copy the server log of failing cases here
    demo_file: Path = DEMO_FILE
    prefetch: bool = True              # start the next case's server while this one runs


@dataclass
class CaseResult:
    case: Case
    passed: bool
    checks: list[CheckResult] = field(default_factory=list)
    transcript: Optional[Transcript] = None
    seconds: float = 0.0               # the conversation and the checks
    startup_seconds: float = 0.0       # starting this case's server (overlapped when prefetched)
    error: str = ""
    log: str = ""

    @property
    def reason(self) -> str:
        if self.error:
            return self.error
        return " | ".join(f"{c.name}: {c.reason}" for c in self.checks if not c.ok)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.case.id, "file": self.case.source, "line": self.case.line, "channel": self.case.channel,
            "passed": self.passed, "reason": self.reason, "seconds": round(self.seconds, 2),
            "startup_seconds": round(self.startup_seconds, 2),
            "checks": [{"name": c.name, "ok": c.ok, "reason": c.reason} for c in self.checks],
            "transcript": self.transcript.as_dict() if self.transcript else None,
            **({"log": self.log} if self.log else {}),
        }


@dataclass
class Prepared:
    """A case with its sink and (started, unless ``error``) server."""

    case: Case
    sink: MailSink
    server: StudioServer
    error: str = ""


def prepare(case: Case, template: Optional[TemplateDB], opts: Options) -> Prepared:
    sink = MailSink().start()
    server = StudioServer(case.now, sink.port, model=opts.model, template=template, demo_file=opts.demo_file,
                          startup_timeout=opts.startup_timeout)
    prep = Prepared(case, sink, server)
    try:
        server.start()
    except ServerError as exc:
        prep.error = f"server: {exc}"
    except Exception as exc:  # reported per case
        prep.error = f"harness: could not start the server: {exc.__class__.__name__}: {exc}"
    return prep


def converse(prep: Prepared, opts: Options) -> CaseResult:
    """The conversation and the checks, on a prepared server (which keeps running)."""
    case, server, sink = prep.case, prep.server, prep.sink
    result = CaseResult(case, False, startup_seconds=server.startup_seconds)
    if prep.error:
        result.error = prep.error
        return result
    started = time.monotonic()
    try:
        before = server.bookings()
        if case.channel == "chat":
            transcript = run_chat(case, server, sink, turn_timeout=opts.turn_timeout, code_wait=opts.code_wait)
            replies = transcript.replies
            answers = None
        else:
            transcript = run_email(case, server, sink, reply_timeout=opts.turn_timeout,
                                   no_reply_grace=opts.no_reply_grace, settle=opts.settle)
            client = (case.client or {})["email"]
            answers = answers_to(sink, client, [t.detail.get("message_id", "") for t in transcript.turns])
            replies = [m.text for m in sink.to(client)]
        result.transcript = transcript
        if not server.alive():
            transcript.errors.append(f"studio server died during the conversation:\n{server.log_tail(10)}")
        after = server.bookings()
        result.checks = evaluate(case.expect, replies=replies, before=before, after=after, answers=answers,
                                 errors=transcript.errors)
        result.passed = all(c.ok for c in result.checks)
    except ServerError as exc:
        result.error = f"server: {exc}"
    except Exception as exc:  # the harness reports, per case, rather than dying on one
        result.error = f"harness: {exc.__class__.__name__}: {exc}"
    result.seconds = time.monotonic() - started
    if not result.passed:
        result.log = server.log_tail(40)
    return result


def finish(prep: Prepared, result: Optional[CaseResult], opts: Options) -> None:
    """Stop the server and the sink, keep the log of a failing case if asked, remove the temp dir."""
    prep.server.stop()
    prep.sink.stop()
    if result is not None and not result.passed and opts.keep_logs is not None:
        opts.keep_logs.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(prep.server.log_path, opts.keep_logs / f"{prep.case.id}.log")
        except OSError:
            pass
    prep.server.cleanup()


def run_case(case: Case, template: Optional[TemplateDB], opts: Options) -> CaseResult:
    """One case, start to finish, in the calling thread."""
    prep = prepare(case, template, opts)
    result = None
    try:
        result = converse(prep, opts)
        return result
    finally:
        finish(prep, result, opts)


def run_cases(cases: list[Case], opts: Options, jobs: int = 1,
              on_result: Optional[Callable[[CaseResult], None]] = None) -> list[CaseResult]:
    """All cases, ``jobs`` conversations at a time; results in case order (``on_result`` as they finish)."""
    template = TemplateDB(opts.demo_file)
    todo = deque(enumerate(cases))
    lock = threading.Lock()
    results: dict[int, CaseResult] = {}
    reaper = ThreadPoolExecutor(max_workers=2, thread_name_prefix="eval-stop")

    def take() -> Optional[tuple[int, Case]]:
        with lock:
            return todo.popleft() if todo else None

    def worker() -> None:
        starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eval-start")
        try:
            item = take()
            pending: Optional[Future[Prepared]] = starter.submit(prepare, item[1], template, opts) if item else None
            while item is not None and pending is not None:
                prep = pending.result()
                index = item[0]
                item = take()
                pending = None
                if item is not None and opts.prefetch:
                    pending = starter.submit(prepare, item[1], template, opts)
                result = converse(prep, opts)
                reaper.submit(finish, prep, result, opts)
                with lock:
                    results[index] = result
                if on_result:
                    on_result(result)
                if item is not None and pending is None:
                    pending = starter.submit(prepare, item[1], template, opts)
        finally:
            starter.shutdown(wait=True)

    try:
        template.build()
        threads = [threading.Thread(target=worker, name=f"eval-worker-{n}", daemon=True) for n in range(max(1, jobs))]
        for t in threads:
            t.start()
        for t in threads:
            while t.is_alive():
                t.join(0.5)
        missing = [i for i in range(len(cases)) if i not in results]
        for i in missing:  # a worker died on a harness bug: say so per case instead of hiding it
            results[i] = CaseResult(cases[i], False, error="harness: the case never ran (worker crashed)")
        return [results[i] for i in range(len(cases))]
    finally:
        reaper.shutdown(wait=True)
        stop_all()
        template.cleanup()
