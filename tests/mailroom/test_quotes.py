"""What did the client write now? Replies from real mail programs, stripped of the studio's quoted mail."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mailroom.html_text import html_to_text
from mailroom.parsing import parse_message
from mailroom.quotes import is_mobile_signature, new_text, strip_quoted

try:  # tests/mailroom as a package
    from . import corpus
except ImportError:  # rootdir-relative test modules: load the helper by path under a unique name
    import importlib.util as _ilu
    import sys as _sys
    from pathlib import Path as _Path

    corpus = _sys.modules.get("studiobook_tests_mailroom_corpus")
    if corpus is None:
        _spec = _ilu.spec_from_file_location("studiobook_tests_mailroom_corpus", _Path(__file__).with_name("corpus.py"))
        corpus = _ilu.module_from_spec(_spec)
        _sys.modules[_spec.name] = corpus
        _spec.loader.exec_module(corpus)


def norm(text: str) -> str:
    return " ".join(text.split())


TEMPLATES = corpus.reply_template_names()


def test_the_corpus_has_all_ten_reply_layouts():
    names = {entry["name"] for entry in corpus.reply_manifest()}
    assert len(TEMPLATES) == 10
    assert set(TEMPLATES) == names


@pytest.mark.parametrize("quoted", ["offer", "offer-with-history"])
@pytest.mark.parametrize("text_id", sorted(corpus.NEW_TEXTS))
@pytest.mark.parametrize("template", TEMPLATES)
def test_reply_from_every_mail_program_yields_exactly_the_new_text(template, text_id, quoted):
    written = corpus.NEW_TEXTS[text_id]
    quoted_text = corpus.STUDIO_OFFER if quoted == "offer" else corpus.STUDIO_OFFER_WITH_HISTORY
    raw = corpus.render_reply(
        template,
        written,
        quoted_text,
        corpus.OFFER_SUBJECT,
        corpus.OFFER_ID,
        [corpus.FIRST_ID],
        corpus.CLIENT_DE if text_id == "de" else corpus.CLIENT,
        corpus.STUDIO_TOKEN_ADDR,
        date=datetime(2026, 11, 24, 18, 40, tzinfo=timezone(timedelta(hours=-7))),
        quoted_date=datetime(2026, 11, 24, 9, 5, 12, tzinfo=timezone(timedelta(hours=-7))),
    )
    parsed = parse_message(raw)

    result = new_text(parsed)

    assert norm(result) == norm(written)
    leaked = [p for p in corpus.QUOTED_PHRASES if p not in written and p in result]
    assert leaked == []
    # the quote really was in the mail: the test would be void otherwise
    assert "Thursday 3 December at 10:00" in parsed.text


@pytest.mark.parametrize("template", TEMPLATES)
def test_rendered_reply_threads_to_the_studio_mail(template):
    raw = corpus.render_reply(
        template, "Yes", corpus.STUDIO_OFFER, "Your portrait session", "offer-2@studio.localhost",
        ["<offer-1@studio.localhost>"], corpus.CLIENT_DE, corpus.STUDIO_TOKEN_ADDR,
    )
    parsed = parse_message(raw)
    assert b"X-Template" not in raw
    assert b"{" not in raw.split(b"\r\n\r\n", 1)[0]  # no placeholder left in the headers
    assert parsed.in_reply_to == ["offer-2@studio.localhost"]
    assert parsed.references == ["offer-1@studio.localhost", "offer-2@studio.localhost"]
    assert parsed.from_addr == "kaethe@example.de"
    assert parsed.from_name == "Käthe Müller"
    assert parsed.to_addrs == ["book+tok3n_abcdef12@studio.localhost"]
    assert parsed.subject.lower().endswith(": your portrait session")
    assert parsed.message_id and "@" in parsed.message_id
    assert parsed.date is not None


def test_templates_encode_bodies_as_their_program_does():
    de = corpus.NEW_TEXTS["de"]
    owa = corpus.render_reply("owa-html-only", de, corpus.STUDIO_OFFER, "S", "<a@b.c>")
    assert b'charset="iso-8859-1"' in owa and b"quoted-printable" in owa and b"&#8364;" in owa
    ios = corpus.render_reply("outlook-ios-fr", de, corpus.STUDIO_OFFER, "S", "<a@b.c>")
    assert ios.count(b"Content-Transfer-Encoding: base64") == 2
    tb = corpus.render_reply("thunderbird-bottom-post", corpus.NEW_TEXTS["en-multi"], corpus.STUDIO_OFFER, "S", "<a@b.c>")
    assert b"format=flowed" in tb and b"Content-Transfer-Encoding: 7bit" in tb
    assert any(line.endswith(b" ") for line in tb.split(b"\r\n"))  # soft line breaks
    tb8 = corpus.render_reply("thunderbird-bottom-post", de, corpus.STUDIO_OFFER, "S", "<a@b.c>")
    assert b"Content-Transfer-Encoding: 8bit" in tb8 and "Grüße".encode() in tb8
    yahoo = corpus.render_reply("yahoo-classic", de, corpus.STUDIO_OFFER, "S", "<a@b.c>")
    assert b'charset="utf-8"' in yahoo and b"Content-Transfer-Encoding: quoted-printable" in yahoo
    gmail_ascii = corpus.render_reply("gmail-web-en", "Yes", corpus.STUDIO_OFFER, "S", "<a@b.c>")
    plain_part = gmail_ascii.split(b"text/plain", 1)[1].split(b"--0000", 1)[0]
    assert b"Content-Transfer-Encoding" not in plain_part
    outlook = corpus.render_reply("outlook-desktop-de", "Ja", corpus.STUDIO_OFFER, "Ihr Termin", "<a@b.c>")
    assert b"Subject: AW: Ihr Termin" in outlook
    assert all(len(line) <= 998 for line in outlook.split(b"\r\n"))


def test_rendering_is_deterministic_for_the_same_inputs():
    when = datetime(2026, 11, 24, 18, 40, tzinfo=timezone.utc)
    a = corpus.render_reply("gmail-web-en", "Yes", corpus.STUDIO_OFFER, "S", "<a@b.c>", date=when)
    b = corpus.render_reply("gmail-web-en", "Yes", corpus.STUDIO_OFFER, "S", "<a@b.c>", date=when)
    assert a == b


def test_unknown_template_is_an_error():
    with pytest.raises(ValueError):
        corpus.render_reply("no-such-program", "Yes", "x", "S", "<a@b.c>")


# ---- layouts written out by hand ------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        # Outlook, German UI
        "Passt, danke!\n\nVon: Juniper & Light <book@studio.localhost>\nGesendet: Dienstag, 24. November 2026 09:05\n"
        "An: Kai <kai@example.com>\nBetreff: Termin\n\nDonnerstag, 3. Dezember um 10:00 Uhr",
        # Outlook, French UI (space and no-break space before the colon)
        "Passt, danke!\n\nDe : Juniper & Light <book@studio.localhost>\nEnvoyé\u00a0: mardi 24 novembre 2026 09:05\n"
        "À : Kai <kai@example.com>\nObjet : Termin\n\njeudi 3 décembre à 10h00",
        # Outlook, Spanish UI
        "Passt, danke!\n\nDe: Juniper & Light <book@studio.localhost>\nEnviado: martes, 24 de noviembre de 2026 9:05\n"
        "Para: Kai <kai@example.com>\nAsunto: Termin\n\njueves 3 de diciembre a las 10:00",
        # underscore rule from Outlook on the web
        "Passt, danke!\n\n________________________________\nFrom: Juniper & Light <book@studio.localhost>\n"
        "Sent: Tuesday, November 24, 2026 9:05 AM\nTo: Kai\nSubject: Termin\n\nThursday 3 December at 10:00",
        "Passt, danke!\n\n-----Ursprüngliche Nachricht-----\nVon: book@studio.localhost\nGesendet: Di 24.11.2026 09:05\n"
        "Betreff: Termin\n\nDonnerstag 10:00",
        "Passt, danke!\n\n-----Original Message-----\nFrom: book@studio.localhost\nSent: Tue 11/24/2026 9:05 AM\n"
        "To: kai@example.com\nSubject: Termin\n\nThursday 10:00",
        "Passt, danke!\n\n----- Original Message -----\nFrom: book@studio.localhost\nThursday 10:00",
        # attributions of Gmail / Apple in German, French and Spanish, with '>' quotes
        "Passt, danke!\n\nAm Di., 24. Nov. 2026 um 09:05 Uhr schrieb Juniper & Light <book@studio.localhost>:\n\n> Donnerstag 10:00",
        "Passt, danke!\n\nLe mar. 24 nov. 2026 à 09:05, Juniper & Light <book@studio.localhost> a écrit :\n> jeudi 10h00",
        "Passt, danke!\n\nEl mar, 24 nov 2026 a las 9:05, Juniper & Light (<book@studio.localhost>) escribió:\n> jueves 10:00",
        "Passt, danke!\n\nOn Tue, Nov 24, 2026 at 9:05 AM Juniper & Light <\nbook@studio.localhost> wrote:\n\n> Thursday 10:00",
        # attribution without a '>' quote below it (some clients indent instead)
        "Passt, danke!\n\nOn 24/11/2026 09:05, Juniper & Light <book@studio.localhost> wrote:\n\n    Thursday 10:00",
        # signatures
        "Passt, danke!\n\n-- \nKai Example\nPhone +1 303 555 0100",
        "Passt, danke!\n\nVon meinem iPhone gesendet",
        "Passt, danke!\n\nEnviado desde mi iPhone",
        "Passt, danke!\n\nEnvoyé de mon iPhone",
        "Passt, danke!\n\nGet Outlook for iOS<https://aka.ms/o0ukef>",
        "Passt, danke!\n\nSent from Yahoo Mail on Android",
        "Passt, danke!\n\nSent from my Samsung Galaxy smartphone.",
        # Danish Outlook, Zoho's dashed attribution, Gmail in Russian (no verb), Italian, Finnish, Portuguese
        "Passt, danke!\n\n-------- Oprindelig besked --------\nFra: Juniper <book@studio.localhost>\n"
        "Dato: 24.11.2026  09.05  (GMT-07:00)\nTil: kai@example.com\nEmne: Termin",
        "Passt, danke!\n\n---- On Tue, 24 Nov 2026 09:05:12 -0700 book@studio.localhost wrote ----\n\nThursday 10:00",
        "Passt, danke!\n\nвт, 24 нояб. 2026 г. в 09:05, Juniper <book@studio.localhost>:\n\nThursday 10:00",
        "Passt, danke!\n\nIn data 24 novembre 2026 09:05:12 \"Juniper\" <book@studio.localhost> ha scritto:\n\nGiovedì 10:00",
        "Passt, danke!\n\nti 24. marraskuuta 2026 klo 9.05 Juniper\n<book@studio.localhost> kirjoitti:\n\nThursday 10:00",
        "Passt, danke!\n\nEm 24 de novembro de 2026 às 09:05:12, Juniper (\nbook@studio.localhost) escreveu:\n\nQuinta 10:00",
        # Gmail for Android, German: "Name <addr> schrieb am <date wrapped>:"
        "Passt, danke!\n\nJuniper <book@studio.localhost> schrieb am Di., 24.\nNov. 2026, 09:05:\n\n> Donnerstag 10:00",
        "Passt, danke!\n\nTélécharger Outlook pour Android<https://aka.ms/ghei36>\n\n________________________________\n"
        "From: Juniper <book@studio.localhost>\nSent: Tuesday, November 24, 2026 9:05:12 AM\nTo: Kai\nSubject: Termin\n\nx",
        # zero-width and no-break spaces around the text, CRLF line ends
        "\u200bPasst, danke!\u00a0\r\n\u00a0\r\n> Thursday 10:00\r\n",
    ],
)
def test_plain_text_layouts(body):
    assert norm(strip_quoted(body)) == "Passt, danke!"


def test_interleaved_answers_keep_every_new_paragraph():
    body = (
        "On Tue, Nov 24, 2026 at 9:05 AM Maya <book@studio.localhost> wrote:\n"
        "> Would you like the drone add-on?\n"
        "\n"
        "Yes please.\n"
        "\n"
        "> Thursday 3 December at 10:00 or Friday at 16:30?\n"
        "\n"
        "Friday.\n"
    )
    assert strip_quoted(body) == "Yes please.\n\nFriday."


def test_text_without_quotes_is_returned_unchanged_apart_from_whitespace():
    body = "Hi,\n\nOn Monday I spoke to my partner.\nFrom now on we are flexible.\nDate: any Saturday in December\n"
    assert strip_quoted(body) == body.strip()


@pytest.mark.parametrize(
    "body",
    [
        "On the way home I thought about it.\nOn balance, Saturday is better.\n\nOn a side note: the dog comes too.",
        "Times we could do:\n2026-12-05 14:30\n05.12.2026 14:30\n12/05/2026 at 2:30 PM",
        "Your confirmation was sent from my iPhone app to my partner.\nShe wrote that Sent from my iPad is fine.",
        "I forwarded it from: my work address, kai@work.example.\nThe invoice comes From: accounting.",
        "Regards to Maya!\n--------------\nKai Example\n+1 303 555 0100",
    ],
)
def test_prose_that_resembles_markers_is_kept(body):
    assert strip_quoted(body) == body


def test_own_words_that_look_like_an_attribution_without_quote_are_kept():
    body = "On Saturday we are free.\nMy partner wrote down three options:\n1. 10:00\n2. 14:00"
    assert strip_quoted(body) == body


def test_html_only_gmail_reply_uses_the_blockquote():
    html = (
        '<div dir="ltr">Saturday at 11:00, please.</div><br><div class="gmail_quote"><div dir="ltr" '
        'class="gmail_attr">On Tue, Nov 24, 2026 at 9:05 AM Maya &lt;book@studio.localhost&gt; wrote:<br></div>'
        '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204)">'
        "Thursday 3 December at 10:00</blockquote></div>"
    )
    assert strip_quoted(html_to_text(html), html=html) == "Saturday at 11:00, please."


def test_thunderbird_html_bottom_post_keeps_the_text_after_the_quote():
    html = (
        '<html><body><div class="moz-cite-prefix">On 11/24/26 9:05 AM, Maya wrote:<br></div>'
        '<blockquote type="cite">Thursday 3 December at 10:00<br>Friday at 16:30</blockquote>'
        "<p>Friday at 16:30 is perfect.</p><p>Kai<br></p></body></html>"
    )
    assert strip_quoted(html_to_text(html), html=html) == "Friday at 16:30 is perfect.\nKai"


def test_html_reply_header_div_is_found_when_the_plain_text_shows_no_quote():
    # a plain alternative without the quote, an HTML alternative with Outlook mobile's header div
    html = (
        '<div dir="ltr">Saturday, please.</div><hr><div id="divRplyFwdMsg"><b>De :</b> Maya<br>'
        "<b>Objet :</b> Termin</div><div>Thursday 3 December at 10:00</div>"
    )
    assert strip_quoted("Saturday, please.", html=html) == "Saturday, please."
    # and an HTML-only mail: the text converted from that HTML
    assert strip_quoted(html_to_text(html), html=html) == "Saturday, please."


def test_indented_blockquote_without_quote_styling_is_not_a_quote():
    html = '<div>Our wishes:</div><blockquote style="margin: 0 0 0 40px; border: none; padding: 0px">outdoor, 10:00</blockquote>'
    assert strip_quoted(html_to_text(html), html=html) == "Our wishes:\noutdoor, 10:00"


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Sent from my iPhone", True),
        ("Sent from my iPad", True),
        ("Von meinem iPhone gesendet", True),
        ("Gesendet von meinem Samsung Galaxy", True),
        ("Enviado desde mi iPhone", True),
        ("Envoyé de mon iPhone", True),
        ("Envoyé à partir de Outlook pour iOS<https://aka.ms/o0ukef>", True),
        ("Get Outlook for Android", True),
        ("Sent from Yahoo Mail for iPhone", True),
        ("Inviato da iPhone", True),
        ("Sent from my office, I'll call you later", False),
        ("Sent the contract yesterday", False),
        ("Von Montag bis Freitag habe ich Zeit", False),
        ("Enviado el contrato ayer", False),
    ],
)
def test_mobile_signatures(line, expected):
    assert is_mobile_signature(line) is expected


def test_empty_and_garbage_input():
    assert strip_quoted("") == ""
    assert strip_quoted("> only a quote\n> nothing else") == ""
    assert strip_quoted("\n\n   \n") == ""
    assert strip_quoted("x" * 100_000) == "x" * 100_000
