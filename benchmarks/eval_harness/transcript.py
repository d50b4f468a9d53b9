"""What happened in one conversation: the client's turns, the studio's replies, and transport problems."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional


@dataclass
class Turn:
    sent: str                        # what the client wrote now (new text only)
    reply: Optional[str] = None      # the studio's answer (chat reply, or the text of the mails it sent)
    seconds: float = 0.0
    kind: str = "scripted"           # "scripted" or "verification" (the code the client read from a mail)
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Transcript:
    channel: str
    turns: list[Turn] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)   # every studio answer the client saw, in order
    errors: list[str] = field(default_factory=list)    # transport failures: the conversation broke off
    notes: list[str] = field(default_factory=list)     # harness remarks (e.g. code mail never arrived)

    @property
    def broken(self) -> bool:
        return bool(self.errors)

    def as_dict(self) -> dict[str, Any]:
        return {"channel": self.channel, "errors": self.errors, "notes": self.notes,
                "turns": [{"kind": t.kind, "sent": t.sent, "reply": t.reply, "seconds": round(t.seconds, 3),
                           **({"detail": t.detail} if t.detail else {})} for t in self.turns]}
