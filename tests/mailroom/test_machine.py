"""Machine mail (auto-replies, bounces, lists, bulk) is recognised; clients' mail is not."""

from __future__ import annotations

import pytest

from mailroom.machine import classify, is_our_own
from mailroom.parsing import parse_message

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

MANIFEST = corpus.machine_manifest()
KIND = {"auto-reply": "auto_reply", "bounce": "bounce", "list": "list"}


def test_the_corpus_has_all_37_machine_mails():
    assert len(MANIFEST) == 37
    assert sorted(e["file"] for e in MANIFEST) == [p.name for p in corpus.machine_files()]


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_every_corpus_mail_is_machine_mail_of_its_kind(entry):
    parsed = parse_message(corpus.read_machine(entry["file"]))

    verdict = classify(parsed, entry["envelope_from"])

    assert verdict.is_machine, verdict.reasons
    assert verdict.kind == KIND[entry["kind"]], verdict.reasons
    assert verdict.reasons


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_every_corpus_mail_is_machine_mail_without_an_envelope(entry):
    """Fetched over IMAP there is no SMTP envelope; the headers alone must do."""
    parsed = parse_message(corpus.read_machine(entry["file"]))
    assert classify(parsed, None).is_machine


@pytest.mark.parametrize("name", ["b-postfix-quotes-original.eml", "b-exim-quotes-original.eml"])
def test_a_bounce_that_quotes_the_studios_offer_is_a_bounce(name):
    parsed = parse_message(corpus.read_machine(name))
    everything = parsed.text + "".join(a[2].decode("utf-8", "replace") for a in parsed.attachments)
    assert "Thursday, December 3 at\n10:00 AM" in everything  # the studio's own offer is in there
    verdict = classify(parsed, "", our_domain="studio.localhost")
    assert verdict.is_machine and verdict.kind == "bounce"


def test_a_returned_copy_of_our_own_mail_is_recognised_with_one_more_hint():
    raw = (
        b"From: Mail Gateway <gateway@relay.example.net>\r\n"
        b"To: book@studio.localhost\r\nSubject: Your message\r\nMessage-ID: <x1@relay.example.net>\r\n"
        b"Precedence: junk\r\n"
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
        b"Could not be handed on.\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n"
        b"From: book@studio.localhost\r\nX-Studiobook: outbox\r\nMessage-ID: <abc@studio.localhost>\r\n"
        b"Subject: Re: Portrait\r\n\r\nThursday 3 December at 10:00\r\n--b--\r\n"
    )
    parsed = parse_message(raw)
    verdict = classify(parsed, "gateway@relay.example.net", our_domain="studio.localhost")
    assert verdict.is_machine
    assert "returns a message sent by us" in verdict.reasons


# ---- clients ----------------------------------------------------------------------------------------

GMAIL = """\
MIME-Version: 1.0
Date: Tue, 24 Nov 2026 10:02:11 -0700
Message-ID: <CAJx8kQ0m1v=abc123XYZ@mail.gmail.com>
Subject: {subject}
From: {from_}
To: book@studio.localhost
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable
ARC-Seal: i=1; a=rsa-sha256; t=1; cv=none; d=google.com; s=arc-20160816; b=abc
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=gmail.com; s=20230601; h=to:subject; bh=x; b=y
X-Gm-Message-State: AOJu0YwAAAA
X-Google-Smtp-Source: AGHT+IAAAA
Authentication-Results: mx.studio.localhost; dkim=pass header.d=gmail.com; spf=pass smtp.mailfrom=gmail.com

{body}
"""

OUTLOOK_365 = """\
From: {from_}
To: "book@studio.localhost" <book@studio.localhost>
Subject: {subject}
Thread-Topic: {subject}
Thread-Index: AQHbPq3n0dJ2zq5gXU2Ah9Yl2y8+Kw==
Date: Tue, 24 Nov 2026 17:02:11 +0000
Message-ID: <AM0PR04MB6547C2B1D0A4E8D9F0B6A4C7E3A99@AM0PR04MB6547.eurprd04.prod.outlook.com>
Accept-Language: en-US
Content-Language: en-US
X-MS-Has-Attach:
X-MS-TNEF-Correlator:
msip_labels:
x-ms-publictraffictype: Email
x-ms-traffictypediagnostic: AM0PR04MB6547:EE_|DB9PR04MB8218:EE_
x-ms-office365-filtering-correlation-id: 1c1b2c3d-aaaa-bbbb-cccc-0123456789ab
x-microsoft-antispam: BCL:0;ARA:13230040
x-forefront-antispam-report: CIP:255.255.255.255;CTRY:;LANG:en;SCL:1
x-ms-exchange-antispam-messagedata-chunkcount: 1
x-ms-exchange-antispam-messagedata-0: abc=
MIME-Version: 1.0
X-OriginatorOrg: example.onmicrosoft.com
X-MS-Exchange-CrossTenant-AuthAs: Internal
X-MS-Exchange-CrossTenant-AuthSource: AM0PR04MB6547.eurprd04.prod.outlook.com
X-MS-Exchange-CrossTenant-Network-Message-Id: 1c1b2c3d-aaaa-bbbb-cccc-0123456789ab
X-MS-Exchange-CrossTenant-originalarrivaltime: 24 Nov 2026 17:02:11.0000 (UTC)
X-MS-Exchange-CrossTenant-fromentityheader: Hosted
X-MS-Exchange-Transport-CrossTenantHeadersStamped: DB9PR04MB8218
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: base64

{body_b64}
"""

APPLE = """\
From: {from_}
Content-Type: text/plain;
\tcharset=utf-8
Content-Transfer-Encoding: quoted-printable
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))
Subject: {subject}
Message-Id: <9C2E6B5D-1F3A-4C8E-9E2B-7A1D3C5E7F90@icloud.com>
Date: Tue, 24 Nov 2026 18:02:11 +0100
To: book@studio.localhost
X-Mailer: Apple Mail (2.3774.600.62)

{body}
"""

THUNDERBIRD = """\
Message-ID: <8d6c1f7e-3b1a-4d0e-9a55-0f1e2d3c4b5a@posteo.de>
Date: Tue, 24 Nov 2026 18:02:11 +0100
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Content-Language: de-DE
To: book@studio.localhost
From: {from_}
Subject: {subject}
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 8bit

{body}
"""

GMX = """\
MIME-Version: 1.0
Message-ID: <trinity-5e6f7a8b-1234-4cde-9f00-aabbccddeeff-1732467731000@3c-app-gmx-bap12>
From: {from_}
To: book@studio.localhost
Subject: {subject}
Content-Type: text/plain; charset=UTF-8
Date: Tue, 24 Nov 2026 18:02:11 +0100
Importance: normal
Sensitivity: Normal
Content-Transfer-Encoding: quoted-printable
X-Priority: 3
X-Provags-ID: V03:K1:abcdef
UI-OutboundReport: notjunk:1;M01:P0:abc

{body}
"""

YAHOO = """\
Date: Tue, 24 Nov 2026 17:02:11 +0000 (UTC)
From: {from_}
To: "book@studio.localhost" <book@studio.localhost>
Message-ID: <1234567890.1234567.1732467731000@mail.yahoo.com>
Subject: {subject}
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit
X-Mailer: WebService/1.1.22876 YMailNorrin
X-Sonic-MF: <lucia@yahoo.es>

{body}
"""

PROTON = """\
Date: Tue, 24 Nov 2026 17:02:11 +0000
To: book@studio.localhost
From: {from_}
Subject: {subject}
Message-ID: <aBcDeFgHiJkLmNoPqRsTuVwXyZ=@proton.me>
Feedback-ID: 12345678:user:proton
X-Pm-Message-ID: 0123456789abcdef0123456789abcdef01234567
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

{body}
"""

FASTMAIL = """\
MIME-Version: 1.0
Message-Id: <0f9e8d7c-6b5a-4321-8765-43210fedcba9@app.fastmail.com>
Date: Tue, 24 Nov 2026 12:02:11 -0500
From: {from_}
To: book@studio.localhost
Subject: {subject}
Feedback-ID: i56a14606:Fastmail
User-Agent: Cyrus-JMAP/3.11.0-alpha0-1234-gabcdef0-fm-2024
Content-Type: text/plain

{body}
"""

MULTIPART_WITH_PHOTO = """\
From: {from_}
To: book@studio.localhost
Subject: {subject}
Date: Tue, 24 Nov 2026 18:02:11 +0100
Message-ID: <photo-1@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="Apple-Mail=_1"

--Apple-Mail=_1
Content-Type: text/plain; charset=utf-8

{body}
--Apple-Mail=_1
Content-Disposition: attachment; filename=moodboard.jpg
Content-Type: image/jpeg; name="moodboard.jpg"
Content-Transfer-Encoding: base64

/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAP8=
--Apple-Mail=_1--
"""


def _mail(template: str, from_: str, subject: str, body: str, extra: str = "") -> bytes:
    import base64

    text = template.format(
        from_=from_, subject=subject, body=body,
        body_b64=base64.encodebytes(body.encode("utf-8")).decode("ascii").strip(),
    )
    head, _, rest = text.partition("\n\n")
    if extra:
        head += "\n" + extra
    return (head + "\n\n" + rest).replace("\n", "\r\n").encode("utf-8")


HUMAN_MAILS = [
    ("gmail-en", GMAIL, "Kai Example <kai@gmail.com>", "Portrait session in December?",
     "Hi! Do you have time for a portrait session in early December?", ""),
    ("gmail-automatic-reply-question", GMAIL, "Kai Example <kai@gmail.com>", "Re: Automatic reply question",
     "I got an automatic reply from you - is the 5th still free?", ""),
    ("gmail-fwd-bounce", GMAIL, "Kai Example <kai@gmail.com>", "Fwd: Undeliverable: Portrait session",
     "My first mail bounced, so here it is again: Saturday 5 December at 10:00?", ""),
    ("outlook365-ooo-body", OUTLOOK_365, "Dana Miller <dana.miller@contoso.com>", "Booking for the team",
     "I'm out of office next week, can we book a headshot session for the 14th?", ""),
    ("outlook365-re-out-of-office", OUTLOOK_365, "Dana Miller <dana.miller@contoso.com>",
     "RE: Out of Office: Headshots", "Sorry, I am back now. Is Monday at 9:00 possible?", ""),
    ("outlook365-vacation-photos", OUTLOOK_365, "Dana Miller <dana.miller@contoso.com>", "Vacation photos",
     "Could you also edit some vacation photos of ours?", ""),
    ("outlook365-auto-submitted-no", OUTLOOK_365, "Dana Miller <dana.miller@contoso.com>", "Headshots",
     "Three people, any Friday morning.", "Auto-Submitted: no"),
    ("apple-fr", APPLE, "Amélie Durand <amelie.durand@icloud.com>", "Séance photo en famille",
     "Bonjour, je suis absente du bureau jusqu'au 2 décembre (réponse automatique désactivée), "
     "mais je voudrais réserver une séance le 12.", ""),
    ("apple-out-of-office-photos", APPLE, "Amélie Durand <amelie.durand@icloud.com>",
     "Out of office photos for our team?", "We need new team photos outside the office.", ""),
    ("thunderbird-de", THUNDERBIRD, "Jonas Weber <jonas@posteo.de>", "Anfrage Familienshooting",
     "Hallo,\nich habe eine Abwesenheitsnotiz eingerichtet, bin aber erreichbar.\n"
     "Passt der Samstag, 5. Dezember um 14:30 Uhr?\n\nGruß\nJonas", ""),
    ("thunderbird-autoreply-subject-inside", THUNDERBIRD, "Jonas Weber <jonas@posteo.de>",
     "Frage zur Automatische Antwort", "Ist die automatische Antwort von Ihnen gewollt?", ""),
    ("gmx-de", GMX, "Käthe Müller <kaethe.mueller@gmx.de>", "Hochzeit 2027",
     "Guten Tag, wir heiraten am 12. Juni 2027. Haben Sie an dem Tag noch frei?", ""),
    ("gmx-high-priority", GMX, "Käthe Müller <kaethe.mueller@gmx.de>", "Dringend: Termin verschieben",
     "Können wir den Termin auf Dienstag verschieben?", "X-Priority: 1"),
    ("yahoo-es", YAHOO, "Lucía Núñez <lucia@yahoo.es>", "Consulta sesión de fotos",
     "Hola, recibí una respuesta automática de su parte. ¿Tienen disponibilidad el martes?", ""),
    ("yahoo-es-delivery-word", YAHOO, "Lucía Núñez <lucia@yahoo.es>", "Entrega de las fotos",
     "¿Cuándo es la entrega de las fotos? Delivery failure no fue, ¿verdad?", ""),
    ("proton", PROTON, "Sam Rivera <sam.rivera@proton.me>", "Branding shoot",
     "Hello, I would like a branding shoot on a Friday in January.", ""),
    ("fastmail", FASTMAIL, "Alex Chen <alex@fastmail.com>", "Mailing list photos?",
     "Do you offer photos for our club's mailing list header? Any weekday works.", ""),
    ("photo-attachment", MULTIPART_WITH_PHOTO, "Noor Haddad <noor@example.org>", "Moodboard for our shoot",
     "Attached is our moodboard. Thursday 10 December at 15:00?", ""),
    ("subject-returned", GMAIL, "Kai Example <kai@gmail.com>", "Question about returned prints",
     "Can I return the prints I ordered?", ""),
    ("subject-warning-weather", GMAIL, "Kai Example <kai@gmail.com>", "Warning: rain forecast on Saturday",
     "Should we move the outdoor session indoors?", ""),
    ("subject-please-confirm", GMAIL, "Kai Example <kai@gmail.com>", "Please confirm my booking",
     "Please confirm my booking for Saturday at 10:00.", ""),
    ("subject-auto", GMAIL, "Kai Example <kai@gmail.com>", "Automotive shoot for my car",
     "Do you photograph cars?", ""),
    ("no-subject", GMAIL, "Kai Example <kai@gmail.com>", "", "Are you free on the 5th?", ""),
    ("mobile-sig", APPLE, "Amélie Durand <amelie.durand@icloud.com>", "Re: Your portrait session",
     "Yes\n\nSent from my iPhone", "In-Reply-To: <offer-2@studio.localhost>"),
]


@pytest.mark.parametrize("case", HUMAN_MAILS, ids=[c[0] for c in HUMAN_MAILS])
def test_clients_mail_is_not_machine_mail(case):
    _id, template, from_, subject, body, extra = case
    parsed = parse_message(_mail(template, from_, subject, body, extra))
    assert parsed.from_addr  # the mail really parsed

    verdict = classify(parsed, parsed.from_addr, our_domain="studio.localhost")

    assert not verdict.is_machine, verdict.reasons
    assert verdict.kind is None
    assert classify(parsed, None).is_machine is False


def test_there_are_at_least_twenty_client_mails():
    assert len(HUMAN_MAILS) >= 20


@pytest.mark.parametrize("template", corpus.reply_template_names())
def test_replies_from_every_mail_program_are_human(template):
    raw = corpus.render_reply(template, corpus.NEW_TEXTS["de"], corpus.STUDIO_OFFER, corpus.OFFER_SUBJECT,
                              corpus.OFFER_ID, None, corpus.CLIENT_DE, corpus.STUDIO_TOKEN_ADDR)
    parsed = parse_message(raw)
    verdict = classify(parsed, parsed.from_addr, our_domain="studio.localhost")
    assert not verdict.is_machine, verdict.reasons


# ---- single signals ----------------------------------------------------------------------------------

BASE = "From: Kai <kai@example.com>\r\nTo: book@studio.localhost\r\nSubject: {subject}\r\n{extra}\r\nHello\r\n"


@pytest.mark.parametrize(
    "extra, envelope, kind",
    [
        ("Auto-Submitted: auto-generated\r\n", "kai@example.com", "auto_reply"),
        ("Auto-Submitted: auto-replied (vacation)\r\n", "kai@example.com", "auto_reply"),
        ("X-Auto-Response-Suppress: OOF\r\n", "kai@example.com", "auto_reply"),
        ("Precedence: bulk\r\n", "kai@example.com", "bulk"),
        ("Precedence: list\r\n", "kai@example.com", "list"),
        ("Precedence: junk\r\n", "kai@example.com", "auto_reply"),
        ("Precedence: auto_reply\r\n", "kai@example.com", "auto_reply"),
        ("", "", "bounce"),
        ("", "<>", "bounce"),
        ("", "MAILER-DAEMON@mx.example.com", "bounce"),
        ("", "postmaster@example.com", "bounce"),
        ("List-Id: <photo.lists.example.com>\r\n", "kai@example.com", "list"),
        ("List-Unsubscribe: <mailto:u@example.com>\r\n", "kai@example.com", "bulk"),
        ("List-Post: <mailto:l@example.com>\r\n", "kai@example.com", "list"),
        ("List-Help: <mailto:l@example.com>\r\n", "kai@example.com", "list"),
        ("Mailing-List: contact l-help@example.com\r\n", "kai@example.com", "list"),
        ("X-Autoreply: yes\r\n", "kai@example.com", "auto_reply"),
        ("X-Autorespond: Out of office\r\n", "kai@example.com", "auto_reply"),
        ("X-Auto-Reply-From: kai@example.com\r\n", "kai@example.com", "auto_reply"),
        ("X-Mailer: Vacation autoresponder 1.2\r\n", "kai@example.com", "auto_reply"),
        ("X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent\r\n", "kai@example.com", "auto_reply"),
        ("X-Campaign: spring-2026\r\n", "kai@example.com", "bulk"),
        ("X-Mailgun-Sid: WyIxYjU2\r\n", "kai@example.com", "bulk"),
        ("X-Mailer: MailChimp Mailer\r\n", "kai@example.com", "bulk"),
        ("Feedback-ID: 1:campaign:esp\r\nX-Loop: kai@example.com\r\n", "kai@example.com", None),
        ("Content-Type: multipart/report; report-type=disposition-notification; boundary=x\r\n",
         "kai@example.com", "auto_reply"),
    ],
)
def test_single_signals(extra, envelope, kind):
    parsed = parse_message(BASE.format(subject="Hello", extra=extra).encode())
    verdict = classify(parsed, envelope)
    assert verdict.is_machine
    if kind:
        assert verdict.kind == kind, verdict.reasons


@pytest.mark.parametrize(
    "subject",
    [
        "Automatic reply: Portrait session",
        "Auto: Portrait session",
        "Out of Office: Portrait session",
        "Out of Office AutoReply: Portrait session",
        "Abwesenheitsnotiz: Ihr Termin",
        "Automatische Antwort: Ihr Termin",
        "Respuesta automática: Su sesión",
        "Réponse automatique : Votre séance",
        "Autoreply: hello",
        "Vacation reply",
        "Undeliverable: Portrait session",
        "Undelivered Mail Returned to Sender",
        "Delivery Status Notification (Failure)",
        "Mail delivery failed: returning message to sender",
        "Returned mail: see transcript for details",
        "Delivery failure",
        "Warning: could not send message for past 4 hours",
        "Nicht zustellbar: Ihr Termin",
        "Unzustellbar: Ihr Termin",
        "Re: hello (Automatic Response)",
    ],
)
def test_subject_conventions(subject):
    parsed = parse_message(BASE.format(subject=subject, extra="").encode())
    verdict = classify(parsed, "kai@example.com")
    assert verdict.is_machine, subject


def test_challenge_response_needs_a_challenge_sender():
    human = parse_message(BASE.format(subject="Please confirm your email address", extra="").encode())
    assert not classify(human, "kai@example.com").is_machine
    raw = BASE.format(subject="Please confirm your email address", extra="").replace(
        "Kai <kai@example.com>", "Boxbe <noreply@boxbe.com>")
    assert classify(parse_message(raw.encode()), "noreply@boxbe.com").kind == "auto_reply"


def test_auto_submitted_no_is_human():
    parsed = parse_message(BASE.format(subject="Hello", extra="Auto-Submitted: no\r\n").encode())
    assert classify(parsed, "kai@example.com") == classify(parsed, "kai@example.com")
    assert not classify(parsed, "kai@example.com").is_machine


# ---- our own mail -----------------------------------------------------------------------------------


def _own(headers: str) -> bytes:
    return ("From: Juniper & Light <book@studio.localhost>\r\nTo: kai@example.com\r\nSubject: Re: Portrait\r\n"
            + headers + "\r\nHello\r\n").encode()


def test_is_our_own_needs_the_marker_and_our_domain():
    assert is_our_own(parse_message(_own("Message-ID: <u1@studio.localhost>\r\nX-Studiobook: 1\r\n")), "studio.localhost")
    assert is_our_own(parse_message(_own("Message-ID: <u1@STUDIO.localhost>\r\nX-Studiobook: 1\r\n")), "studio.localhost")
    assert is_our_own(
        parse_message(_own("Message-ID: <x@mx.example.net>\r\nIn-Reply-To: <u0@studio.localhost>\r\nX-Studiobook: 1\r\n")),
        "studio.localhost",
    )
    # a client's reply: In-Reply-To at our domain, no marker
    assert not is_our_own(
        parse_message(_own("Message-ID: <x@example.com>\r\nIn-Reply-To: <u0@studio.localhost>\r\n")), "studio.localhost")
    # the marker alone at a foreign domain
    raw = _own("Message-ID: <x@example.com>\r\nX-Studiobook: 1\r\n").replace(b"book@studio.localhost", b"a@example.com")
    assert not is_our_own(parse_message(raw), "studio.localhost")
    assert not is_our_own(parse_message(_own("Message-ID: <u1@studio.localhost>\r\nX-Studiobook: 1\r\n")), "")
