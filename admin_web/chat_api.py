"""``POST /api/chat`` (CONTRACT.md) and the embeddable chat widget (``/widget.js``, ``/widget.css``).

The endpoint is a thin shell around ``assistant.agent.handle_message`` (run in a worker thread):
input checks with readable errors (400 malformed, 422 too long, 429 too fast), one turn at a time per
conversation (a double-clicked send must not race the dialogue state), and exactly the contract's
response shape. The widget is plain JS + CSS served by the app, so one ``<script src="/widget.js"
defer></script>`` tag on any page adds the chat.
"""
from __future__ import annotations

import asyncio
import ipaddress
import math
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any, Optional

from quart import Blueprint, Quart, Response, jsonify, request

from .context import ctx
from .parsing import BadRequest, json_body

bp = Blueprint("chat_api", __name__)

MAX_MESSAGE_CHARS = 4000
MAX_ID_CHARS = 64
STATIC = Path(__file__).resolve().parent / "static"
#: (requests, seconds): per client address and per conversation. Generous for people, not for scripts.
PER_ADDRESS = (60, 60.0)
PER_CONVERSATION = (20, 60.0)


class SlidingWindow:
    """Requests per key in the last ``seconds``; in memory (one process per studio)."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit, self.seconds = limit, seconds
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, now: Optional[float] = None) -> Optional[int]:
        """Count one request; seconds to wait if it is over the limit (then it is not counted)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and now - hits[0] >= self.seconds:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1, math.ceil(self.seconds - (now - hits[0])))
            hits.append(now)
            if len(self._hits) > 50_000:  # forget idle keys rather than grow without bound
                for k in [k for k, v in self._hits.items() if not v][:10_000]:
                    del self._hits[k]
            return None


def _limiters() -> tuple[SlidingWindow, SlidingWindow, dict[str, asyncio.Lock]]:
    extras = ctx().extras
    if "chat_limits" not in extras:
        extras["chat_limits"] = (SlidingWindow(*PER_ADDRESS), SlidingWindow(*PER_CONVERSATION), {})
    return extras["chat_limits"]


def _too_many(wait: int) -> Any:
    response = jsonify({"error": f"Too many messages at once; please wait {wait} seconds and try again."})
    return response, 429, {"Retry-After": str(wait)}


@bp.post("/api/chat")
async def chat() -> Any:
    data = await json_body()
    message = data.get("message")
    if not isinstance(message, str) or not message.strip():
        raise BadRequest("'message' is required: the client's text as a non-empty string.", "message")
    if len(message) > MAX_MESSAGE_CHARS:
        return jsonify({"error": f"The message is too long ({MAX_MESSAGE_CHARS} characters at most).",
                        "field": "message"}), 422
    conversation_id = data.get("conversation_id")
    if conversation_id is not None and not isinstance(conversation_id, str):
        raise BadRequest("'conversation_id' must be a string or null.", "conversation_id")
    if conversation_id is not None and (not conversation_id.strip() or len(conversation_id) > MAX_ID_CHARS):
        conversation_id = None  # unknown ids simply start a new conversation
    by_address, by_conversation, locks = _limiters()
    address = request.headers.get("X-Forwarded-For", "").split(",")[0].strip() if _trust_proxy() else ""
    address = address or (request.remote_addr or "unknown")
    # Loopback is the studio's own machine (its scripts, a reverse proxy in front of the app): never
    # throttle it by address, since every client behind the proxy would share that one address.
    wait = None if _is_loopback(address) else by_address.hit(f"ip:{address}")
    if wait is None and conversation_id:
        wait = by_conversation.hit(f"conv:{conversation_id}")
    if wait is not None:
        return _too_many(wait)
    app = ctx()
    from assistant.agent import handle_message

    lock = locks.setdefault(conversation_id or "", asyncio.Lock()) if conversation_id else asyncio.Lock()
    async with lock:
        reply = await app.run(handle_message, app.db, app.settings, channel="chat", text=message,
                              conversation_id=conversation_id, now=app.now())
    if conversation_id and len(locks) > 10_000:
        locks.clear()
    return jsonify({"conversation_id": reply.conversation_id, "reply": reply.text, "booking": reply.booking})


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _trust_proxy() -> bool:
    return bool(ctx().extras.get("trust_proxy"))


def _static(name: str, content_type: str) -> Response:
    body = (STATIC / name).read_bytes()
    return Response(body, content_type=content_type,
                    headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"})


@bp.get("/widget.js")
async def widget_js() -> Response:
    return _static("widget.js", "application/javascript; charset=utf-8")


@bp.get("/widget.css")
async def widget_css() -> Response:
    return _static("widget.css", "text/css; charset=utf-8")


def _warm_model(app: Quart) -> None:
    """Load the model in the background at start, so it is ready when a message needs it."""
    from assistant.agent import warm_model

    warm_model(app.extensions["studiobook"].settings)


def register(app: Quart) -> None:
    app.register_blueprint(bp)

    @app.before_serving
    async def _warm() -> None:
        _warm_model(app)
