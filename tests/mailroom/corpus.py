"""Read the shared mail corpus in place, and render client replies from its templates.

The corpus lives outside the project (``../shared/mail-corpus``, or ``$STUDIOBOOK_SHARED_DIR/mail-corpus``)
and is never copied into it. ``render_reply`` is the entry point the evaluation harness uses too:
it fills a reply template (one per mail program) with a client's new text and the studio mail
being answered, and returns real RFC 5322 bytes encoded as that program would.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Sequence

from testkit import reply_templates
from testkit.reply_templates import corpus_dir

CORPUS_DIR = corpus_dir()
MACHINE_DIR = CORPUS_DIR / "machine"
REPLIES_DIR = CORPUS_DIR / "replies"


def machine_manifest() -> list[dict]:
    """Entries of ``machine/manifest.json`` (file, kind, envelope_from, signals, ...), in file order."""
    path = MACHINE_DIR / "manifest.json"
    if not path.is_file():
        return []
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def machine_files() -> list[Path]:
    return sorted(MACHINE_DIR.glob("*.eml")) if MACHINE_DIR.is_dir() else []


def read_machine(name: str) -> bytes:
    return (MACHINE_DIR / name).read_bytes()


def reply_manifest() -> list[dict]:
    path = REPLIES_DIR / "manifest.json"
    if not path.is_file():
        return []
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def reply_template_names() -> list[str]:
    return sorted(p.stem for p in REPLIES_DIR.glob("*.eml")) if REPLIES_DIR.is_dir() else []


def render_reply(
    template_name: str,
    new_text: str,
    quoted_text: str,
    subject: str,
    in_reply_to: str | None,
    references: Sequence[str] | str | None = None,
    from_addr: str = "Kai Example <kai@example.com>",
    to_addr: str = "Juniper & Light Photography <book@studio.localhost>",
    *,
    date: datetime | None = None,
    quoted_date: datetime | None = None,
    quoted_from: str | None = None,
    quoted_to: str | None = None,
    message_id: str | None = None,
    seed: int | str | None = None,
) -> bytes:
    """A client's reply as ``template_name``'s mail program sends it (see ``testkit.reply_templates``)."""
    return reply_templates.render_reply(
        template_name,
        new_text,
        quoted_text,
        subject,
        in_reply_to,
        references,
        from_addr,
        to_addr,
        date=date,
        quoted_date=quoted_date,
        quoted_from=quoted_from,
        quoted_to=quoted_to,
        message_id=message_id,
        templates_dir=REPLIES_DIR,
        seed=seed,
    )


# ---- sample content shared by the tests ---------------------------------------------------------

#: The studio's offer being answered: its dates and times must never leak into what the client "wrote".
STUDIO_OFFER = (
    "Hi Kai,\n"
    "\n"
    "Thanks for your note. For a Portrait Session I can offer Thursday 3 December at 10:00 or "
    "Friday 4 December at 16:30 (Mountain Time). The session is one hour in the studio at "
    "418 Pearl St, Boulder; the price is $250.\n"
    "\n"
    "Reply with the time you prefer and I will hold it for you.\n"
    "\n"
    "Maya Lindqvist\n"
    "Juniper & Light Photography"
)

#: A studio mail that itself quotes the client's first request and carries a "-- " signature.
STUDIO_OFFER_WITH_HISTORY = (
    "Hello again,\n"
    "\n"
    "The drone add-on is available on Thursday 3 December at 10:00 for $80 extra. Shall I add it?\n"
    "\n"
    "-- \n"
    "Juniper & Light Photography\n"
    "418 Pearl St, Boulder\n"
    "\n"
    "On Mon, Nov 23, 2026 at 8:12 AM Kai Example <kai@example.com> wrote:\n"
    "> Hi, I would like a portrait session on Wednesday 2 December at 08:00.\n"
    "> Is the drone available?"
)

#: Phrases of the quoted studio mails; none may appear in a client's stripped new text.
QUOTED_PHRASES = (
    "Thursday 3 December at 10:00",
    "16:30",
    "418 Pearl St",
    "$250",
    "$80",
    "Juniper",
    "Lindqvist",
    "Wednesday 2 December",
    "08:00",
    "wrote",
    "schrieb",
    "écrit",
    "Sent:",
    "Gesendet",
    "Original Message",
    "Sent from my iPhone",
    "Outlook",
    ">",
)

#: What clients write now: languages, paragraphs, dates/times, a one-word answer.
NEW_TEXTS: dict[str, str] = {
    "yes": "Yes",
    "en-short": "Friday works for me. See you then!",
    "en-multi": (
        "Hi Maya,\n"
        "\n"
        "Thanks for the quick reply! Unfortunately neither slot works for us because my partner is "
        "travelling that week, but would Saturday 12 December at 9:30 AM be possible instead? We would "
        "love the outdoor portrait option at Chautauqua Park if the weather allows.\n"
        "\n"
        "Also, could you tell me whether the drone add-on is available for that session?\n"
        "\n"
        "Best,\n"
        "Kai"
    ),
    "de": (
        "Hallo Maya,\n"
        "\n"
        "der Samstag, 5. Dezember um 14:30 Uhr passt mir sehr gut. Das Budget liegt bei 300 €, und wir "
        "würden gerne die Drohne dazubuchen, wenn das Wetter es zulässt.\n"
        "\n"
        "Viele Grüße\n"
        "Käthe"
    ),
    "es": (
        "Hola Maya:\n"
        "\n"
        "¿Podría ser el martes 8 de diciembre a las 11:00? Somos tres personas y un perro pequeño.\n"
        "\n"
        "Gracias,\n"
        "Lucía Núñez"
    ),
    "fr": "Bonjour,\n\nLe vendredi 11 décembre à 15h00 me convient parfaitement. Merci beaucoup !\n\nAmélie",
    "en-tricky": (
        "On Saturday 12 December I could come at 11:00.\n"
        "From my side the outdoor option is fine.\n"
        "To be honest, Sunday 13 December at 2 PM would be even better:\n"
        "- two adults\n"
        "- one toddler"
    ),
}

CLIENT = "Kai Example <kai@example.com>"
CLIENT_DE = "Käthe Müller <kaethe@example.de>"
STUDIO = "Juniper & Light Photography <book@studio.localhost>"
STUDIO_TOKEN_ADDR = "Juniper & Light Photography <book+Tok3n_abcDEF12@studio.localhost>"
OFFER_SUBJECT = "Your portrait session"
OFFER_ID = "<offer-2@studio.localhost>"
FIRST_ID = "<offer-1@studio.localhost>"
