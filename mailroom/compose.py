"""Build the studio's mails (text + HTML from Jinja2 templates) and queue them as proper replies.

Why one module: every mail the studio sends — an assistant answer, a booking notice, a reminder — must
look the same and thread the same way: From ``book@domain`` with the studio's name, Reply-To the
thread's secret address ``book+<token>@domain`` (so the answer comes back to the same conversation and
proves the sender), In-Reply-To/References to the last mail of the thread, a "Re:" subject for answers.
The HTML part is rendered from the text (autoescaped): the only link in it is the signed portal link we
made, never one taken from model output. Recipients always come from the database.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from email.utils import formataddr
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from mailroom.addresses import make_reply_address
from models import Booking, Conversation, Message, OutboxMail, Studio
from models.base import utcnow
from models.repo.outbox import queue_mail
from studiobook.config import Settings
from studiobook.links import portal_url

LANGS = ("en", "es", "de")
TEMPLATES = Path(__file__).parent / "templates"
MAX_REFERENCES = 20

_env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)

PORTAL_LABEL = {"en": "Your booking", "es": "Tu reserva", "de": "Ihre Buchung"}
_WEEKDAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
}
_MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"],
}
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$"}


def language(*candidates: Optional[str]) -> str:
    """The first supported language among the candidates (client, conversation...), else English."""
    for value in candidates:
        code = (value or "").lower()[:2]
        if code in LANGS:
            return code
    return "en"


def format_when(moment: datetime, tz_name: str, lang: str) -> str:
    """A session time as a person writes it, in the studio's time zone."""
    local = moment.astimezone(ZoneInfo(tz_name or "UTC"))
    day, month = _WEEKDAYS[lang][local.weekday()], _MONTHS[lang][local.month - 1]
    zone = local.tzname() or ""
    if lang == "es":
        return f"{day} {local.day} de {month} de {local.year}, {local:%H:%M} ({zone})"
    if lang == "de":
        return f"{day}, {local.day}. {month} {local.year}, {local:%H:%M} Uhr ({zone})"
    hour = local.hour % 12 or 12
    return f"{day}, {month} {local.day}, {local.year} at {hour}:{local:%M} {'AM' if local.hour < 12 else 'PM'} ({zone})"


def format_money(cents: int, currency: str, lang: str) -> str:
    amount = Decimal(cents) / 100
    symbol = _SYMBOLS.get(currency, "")
    if lang == "en":
        return f"{symbol}{amount:,.2f}" if symbol else f"{amount:,.2f} {currency}"
    text = f"{amount:,.2f}".replace(",", "\0").replace(".", ",").replace("\0", ".")
    return f"{text} {symbol or currency}"


def greeting(name: str, lang: str) -> str:
    first = (name or "").split()[0] if (name or "").split() else ""
    if lang == "es":
        return f"Hola {first}:" if first else "Hola:"
    if lang == "de":
        return f"Hallo {first}," if first else "Guten Tag,"
    return f"Hi {first}," if first else "Hello,"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(kind: str, lang: str, subject: str = "", links: Optional[Mapping[str, str]] = None,
           **context: Any) -> Rendered:
    """Render ``text/<lang>/<kind>.txt`` (English when missing) and the HTML layout from its text.

    ``links`` maps URLs we made (the portal link) to button labels; any other text stays text.
    """
    try:
        template = _env.get_template(f"text/{lang}/{kind}.txt")
    except TemplateNotFound:
        template = _env.get_template(f"text/en/{kind}.txt")
    module = template.make_module(dict(context, lang=lang))
    text = _tidy(str(module))
    subject = " ".join(str(getattr(module, "subject", "") or subject).split())
    return Rendered(subject=subject, text=text, html=html_from_text(text, subject, lang, links or {}))


def _tidy(text: str) -> str:
    lines = [line.rstrip() if line != "-- " else line for line in text.strip("\n").splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def html_from_text(text: str, subject: str, lang: str, links: Mapping[str, str]) -> str:
    """The HTML alternative: the same paragraphs, escaped; our own links become buttons."""
    blocks: list[dict[str, Any]] = []
    for chunk in re.split(r"\n\s*\n", text.strip("\n")):
        lines = chunk.splitlines()
        if lines and lines[0] == "-- ":
            blocks.append({"signature": True, "lines": lines[1:], "link": None})
            continue
        if lines and lines[-1].strip() in links:
            url = lines[-1].strip()
            lead = lines[:-1]
            if lead and lead[-1].strip().rstrip(":") == links[url]:  # "Your booking:" is the button itself
                lead = lead[:-1]
            if lead:
                blocks.append({"lines": lead, "link": None, "signature": False})
            blocks.append({"link": url, "label": links[url], "lines": [], "signature": False})
            continue
        blocks.append({"lines": lines, "link": None, "signature": False})
    return _env.get_template("layout.html").render(blocks=blocks, subject=subject, lang=lang)


# ---- threading and queueing -----------------------------------------------------------------

def conversation_link(conversation_id: str) -> str:
    """Where the owner answers a thread (notification links): the console's approvals page."""
    return f"/admin/approvals#conversation-{conversation_id}"


def get_studio(session: Session) -> Studio:
    studio = session.scalars(select(Studio).order_by(Studio.id).limit(1)).first()
    return studio if studio is not None else Studio(name="Studio", timezone="UTC", currency="USD")


def from_header(settings: Settings, studio: Studio) -> str:
    return formataddr((studio.name, settings.book_address))


def reply_to_address(settings: Settings, conversation: Conversation) -> str:
    return make_reply_address(conversation.reply_token, settings.mail_domain)


def thread_ids(session: Session, conversation_id: str) -> list[str]:
    """The conversation's Message-IDs (ours and the client's), oldest first, for References."""
    rows = session.scalars(select(Message.mail_message_id)
                           .where(Message.conversation_id == conversation_id, Message.mail_message_id.is_not(None))
                           .order_by(Message.id.desc()).limit(MAX_REFERENCES)).all()
    return list(reversed(rows))


@dataclass
class Outgoing:
    """What to send into a conversation; ``references`` defaults to the conversation's own chain."""

    kind: str
    rendered: Rendered
    in_reply_to: Optional[str] = None
    references: Optional[Sequence[str]] = None
    booking_id: Optional[int] = None
    attachments: Sequence[Mapping[str, Any]] = field(default_factory=tuple)
    dedupe_key: Optional[str] = None
    auto_reply: bool = False


def queue_to_conversation(session: Session, settings: Settings, conversation: Conversation,
                          out: Outgoing) -> Optional[OutboxMail]:
    """Queue ``out`` to the conversation's address and record it as an outgoing message of the thread.

    Returns None when ``dedupe_key`` was queued before (scheduled mails are idempotent).
    """
    if not conversation.email:
        raise ValueError(f"conversation {conversation.id} has no email address to write to")
    references = list(out.references) if out.references is not None else thread_ids(session, conversation.id)
    in_reply_to = out.in_reply_to or (references[-1] if references else None)
    if in_reply_to and in_reply_to not in references:
        references.append(in_reply_to)
    studio = get_studio(session)
    mail = queue_mail(session, domain=settings.mail_domain, to_addr=conversation.email,
                      subject=out.rendered.subject, body_text=out.rendered.text, body_html=out.rendered.html,
                      kind=out.kind, from_addr=from_header(settings, studio),
                      reply_to=reply_to_address(settings, conversation), in_reply_to=in_reply_to,
                      references=references[-MAX_REFERENCES:], attachments=out.attachments,
                      booking_id=out.booking_id, conversation_id=conversation.id, dedupe_key=out.dedupe_key,
                      auto_reply=out.auto_reply)
    if mail is None:
        return None
    session.add(Message(conversation_id=conversation.id, direction="out", channel="email",
                        sender=settings.book_address, body=out.rendered.text, mail_message_id=mail.message_id,
                        meta={"outbox_id": mail.id, "kind": out.kind, "subject": out.rendered.subject}))
    conversation.last_message_at = utcnow()
    return mail


def booking_context(settings: Settings, session: Session, booking: Booking, lang: str) -> dict[str, Any]:
    """Everything the booking templates show, formatted for ``lang``; the portal link is signed here."""
    studio = get_studio(session)
    tz = studio.timezone or "UTC"
    portal = portal_url(settings, booking.id, booking.client.email)
    return {
        "greeting": greeting(booking.client.name, lang), "studio": studio.name, "studio_phone": studio.phone,
        "owner": studio.owner or studio.name, "service": booking.service.title,
        "when": format_when(booking.start_at, tz, lang), "location": booking.location or "",
        "total": format_money(booking.total_cents, booking.currency, lang),
        "deposit": format_money(booking.deposit_cents, booking.currency, lang)
        if booking.payment_choice == "deposit" and booking.deposit_cents else "",
        "portal": portal, "portal_label": PORTAL_LABEL[lang],
    }


def portal_links(context: Mapping[str, Any]) -> dict[str, str]:
    return {context["portal"]: context["portal_label"]} if context.get("portal") else {}
