"""The chat channel: the client's messages through ``POST /api/chat``, one conversation per case.

The ``verify_email`` flow of the fixture format: when a reply mentions a code, the client opens the
newest mail the studio sent to that address (captured by the sink), takes the last 4-8 digit number in
it and writes ``The code is NNNNNN`` before going on with the script.
"""
from __future__ import annotations

import re
import time
from typing import Any, Optional

from .cases import Case
from .server import StudioServer
from .sink import CapturedMail, MailSink
from .transcript import Transcript, Turn

# "code", "Code", "Bestätigungscode", "código": the word the reply uses when it mailed a code
CODE_WORD = re.compile(r"code\b|c[oó]digo", re.IGNORECASE)
CODE_NUMBER = re.compile(r"(?<!\d)\d{4,8}(?!\d)")
MAX_VERIFICATIONS = 3


def mentions_code(reply: str) -> bool:
    return bool(CODE_WORD.search(reply or ""))


def code_from_mail(mail: CapturedMail) -> Optional[str]:
    """The last 4-8 digit number in the mail's text (the fixture format's rule)."""
    numbers = CODE_NUMBER.findall(mail.text)
    return numbers[-1] if numbers else None


class ChatClient:
    def __init__(self, server: StudioServer, turn_timeout: float = 120.0) -> None:
        self.server = server
        self.turn_timeout = turn_timeout
        self.conversation_id: Optional[str] = None

    def say(self, text: str) -> tuple[Optional[str], dict[str, Any], Optional[str]]:
        """(reply, response body, error) for one message."""
        try:
            status, body = self.server.request("POST", "/api/chat",
                                               {"conversation_id": self.conversation_id, "message": text},
                                               timeout=self.turn_timeout)
        except (OSError, TimeoutError) as exc:
            return None, {}, f"POST /api/chat failed: {exc.__class__.__name__}: {exc}"
        if status != 200:
            detail = body.get("error") if isinstance(body, dict) else str(body)[:200]
            return None, body if isinstance(body, dict) else {}, f"POST /api/chat answered {status}: {detail}"
        if not isinstance(body, dict) or not isinstance(body.get("reply"), str):
            return None, {}, f"POST /api/chat: no 'reply' string in {str(body)[:200]}"
        if body.get("conversation_id"):
            self.conversation_id = str(body["conversation_id"])
        return body["reply"], body, None


def run_chat(case: Case, server: StudioServer, sink: MailSink, *, turn_timeout: float = 120.0,
             code_wait: float = 20.0) -> Transcript:
    transcript = Transcript("chat")
    client = ChatClient(server, turn_timeout)
    verifications = 0

    def turn(text: str, kind: str) -> Optional[str]:
        baseline = len(sink.to(case.verify_email)) if case.verify_email else 0
        started = time.monotonic()
        reply, body, error = client.say(text)
        t = Turn(sent=text, reply=reply, seconds=time.monotonic() - started, kind=kind)
        if body.get("booking"):
            t.detail["booking"] = body["booking"]
        transcript.turns.append(t)
        if error:
            transcript.errors.append(f"turn {len(transcript.turns)}: {error}")
            return None
        transcript.replies.append(reply or "")
        t.detail["mails_before"] = baseline
        return reply

    def maybe_verify(reply: str) -> bool:
        """Send the mailed code if the reply asks for one; False when the conversation broke off."""
        nonlocal verifications
        while case.verify_email and mentions_code(reply) and verifications < MAX_VERIFICATIONS:
            baseline = transcript.turns[-1].detail.get("mails_before", 0)
            if not sink.wait_for(case.verify_email, baseline + 1, code_wait):
                transcript.notes.append(f"a reply mentions a code but no new mail reached {case.verify_email} "
                                        f"within {code_wait:.0f} s")
                return True
            sink.wait_quiet(case.verify_email, 0.5, 3.0)
            mail = sink.to(case.verify_email)[-1]
            code = code_from_mail(mail)
            if code is None:
                transcript.notes.append(f"the newest mail to {case.verify_email} holds no 4-8 digit number")
                return True
            verifications += 1
            reply = turn(f"The code is {code}", "verification")
            if reply is None:
                return False
        return True

    for message in case.messages:
        text = message if isinstance(message, str) else message["text"]
        reply = turn(text, "scripted")
        if reply is None or not maybe_verify(reply):
            break
    return transcript
