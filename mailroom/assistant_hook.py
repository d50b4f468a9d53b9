"""Hand an inbound client mail to the booking assistant (``assistant.agent.handle_message``).

Why a hook module: the mailroom must work before the assistant exists and keep working if it fails
to import. The agent is imported lazily on every call (cheap once imported); when it is missing the
processor notifies the owner and the thread waits for them — the documented interim behaviour.
The agent may write to the database through the repositories (bookings, its own state); the reply
it returns is queued by the processor in the same transaction that marks the mail processed.
"""
from __future__ import annotations

import asyncio
import inspect
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Optional

from models import Database
from studiobook.config import Settings

log = logging.getLogger("studiobook.mail.assistant")


@dataclass(frozen=True)
class AgentAnswer:
    """The parts of the agent's ``AgentReply`` the mailroom uses."""

    conversation_id: Optional[str]
    text: str
    html: Optional[str]
    booking: Optional[dict[str, Any]]
    handover: bool
    language: Optional[str]


def load_handler() -> Optional[Callable[..., Any]]:
    """``assistant.agent.handle_message``, or None while the assistant is not part of this build."""
    try:
        from assistant.agent import handle_message
    except ImportError as exc:
        if exc.name not in ("assistant.agent", "assistant"):
            log.error("the assistant could not be imported: %s", exc)
        return None
    return handle_message


async def ask_assistant(db: Database, settings: Settings, *, text: str, conversation_id: str, sender_email: str,
                        sender_name: str, verified_sender: bool, now: datetime) -> Optional[AgentAnswer]:
    """The assistant's answer to one mail, or None when there is no assistant (the owner answers)."""
    handler = load_handler()
    if handler is None:
        return None
    kwargs = dict(channel="email", text=text, conversation_id=conversation_id, sender_email=sender_email,
                  sender_name=sender_name, verified_sender=verified_sender, now=now)
    if inspect.iscoroutinefunction(handler):
        result = await handler(db, settings, **kwargs)
    else:
        result = await asyncio.to_thread(handler, db, settings, **kwargs)
        if inspect.isawaitable(result):
            result = await result
    return _answer(result)


def _answer(result: Any) -> AgentAnswer:
    def get(name: str, default: Any = None) -> Any:
        return result.get(name, default) if isinstance(result, dict) else getattr(result, name, default)

    return AgentAnswer(conversation_id=get("conversation_id"), text=str(get("text") or ""), html=get("html"),
                       booking=get("booking"), handover=bool(get("handover", False)), language=get("language"))
