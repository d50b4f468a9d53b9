"""parse_message: real mail is messy; every field is best effort and nothing ever raises."""

from __future__ import annotations

import base64
import random
from datetime import datetime, timedelta, timezone

import pytest

from mailroom.decoding import decode_bytes, unflow
from mailroom.html_text import html_to_text
from mailroom.mime import sanitize_filename
from mailroom.parsing import ParsedMail, normalize_body_for_hash, parse_message
from mailroom.quotes import new_text

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


def mail(headers: str, body: bytes | str = b"Hello\r\n", *, crlf: bool = True) -> bytes:
    head = headers.strip("\n").replace("\n", "\r\n" if crlf else "\n")
    if isinstance(body, str):
        body = body.encode("utf-8")
    sep = b"\r\n\r\n" if crlf else b"\n\n"
    return head.encode("utf-8", "surrogateescape") + sep + body


SIMPLE = """\
From: Kai Example <Kai@Example.com>
To: "Juniper & Light" <book@studio.localhost>, Other <other@example.org>
Cc: c@example.net
Reply-To: Kai Private <kai.private@example.com>
Subject: Portrait session
Date: Tue, 24 Nov 2026 10:02:11 -0700
Message-ID: <abc.123@mail.example.com>
In-Reply-To: <offer-2@studio.localhost>
References: <offer-1@studio.localhost>
 <offer-2@studio.localhost>
Authentication-Results: mx.studio.localhost; dkim=pass header.d=example.com
Authentication-Results: other.example; spf=pass
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
"""


def test_a_simple_mail_story():
    raw = mail(SIMPLE, "Saturday at 10:00, please.\r\n")

    p = parse_message(raw)

    assert isinstance(p, ParsedMail)
    assert p.message_id == "abc.123@mail.example.com"
    assert p.in_reply_to == ["offer-2@studio.localhost"]
    assert p.references == ["offer-1@studio.localhost", "offer-2@studio.localhost"]
    assert p.subject == "Portrait session"
    assert (p.from_addr, p.from_name) == ("kai@example.com", "Kai Example")
    assert p.to_addrs == ["book@studio.localhost", "other@example.org"]
    assert p.cc_addrs == ["c@example.net"]
    assert p.reply_to == "kai.private@example.com"
    assert p.date == datetime(2026, 11, 24, 10, 2, 11, tzinfo=timezone(timedelta(hours=-7)))
    assert p.text == "Saturday at 10:00, please."
    assert p.html is None
    assert p.attachments == []
    assert p.auth_results == ["mx.studio.localhost; dkim=pass header.d=example.com", "other.example; spf=pass"]
    assert p.headers["subject"] == "Portrait session"
    assert p.headers["authentication-results"].count("\n") == 1
    assert p.header("MESSAGE-ID") == "<abc.123@mail.example.com>"
    assert p.size == len(raw)
    assert len(p.body_hash) == 64
    assert new_text(p) == "Saturday at 10:00, please."


# ---- message ids -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("<abc@x.example>", "abc@x.example"),
        ("  <abc@x.example>  (added by relay)", "abc@x.example"),
        ("abc@x.example", "abc@x.example"),
        ("<a.b-c+d=e@[192.0.2.1]>", "a.b-c+d=e@[192.0.2.1]"),
        ("<>", None),
        ("<no-at-sign>", None),
        ("garbage", None),
        ("<has space@x.example>", None),
        ("", None),
    ],
)
def test_message_id_normalisation(value, expected):
    assert parse_message(mail(f"From: a@b.c\nMessage-ID: {value}")).message_id == expected


def test_missing_message_id_is_none():
    assert parse_message(mail("From: a@b.c")).message_id is None


def test_references_tolerate_garbage_and_duplicates():
    p = parse_message(mail(
        "From: a@b.c\nIn-Reply-To: Your message of Tue, 24 Nov <x1@a.example> (sent by Kai)\n"
        "References: <x0@a.example> junk <x1@a.example>\n\t<x0@a.example> <bad id@a.example>"))
    assert p.in_reply_to == ["x1@a.example"]
    assert p.references == ["x0@a.example", "x1@a.example"]
    bare = parse_message(mail("From: a@b.c\nIn-Reply-To: x1@a.example"))
    assert bare.in_reply_to == ["x1@a.example"]


# ---- headers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw_subject, expected",
    [
        ("=?utf-8?B?w4RuZGVydW5nOiBUZXJtaW4=?=", "Änderung: Termin"),
        ("=?iso-8859-1?Q?=C4nderung?= =?iso-8859-1?Q?_Termin?=", "Änderung Termin"),
        ("Re: =?UTF-8?Q?S=C3=A9ance_photo?=", "Re: Séance photo"),
        ("=?utf-8?q?unterminated", "=?utf-8?q?unterminated"),
        ("=?x-unknown?Q?abc?=", "abc"),
        ("Long subject\n folded over\n\ttwo lines", "Long subject folded over two lines"),
    ],
)
def test_subject_decoding(raw_subject, expected):
    assert parse_message(mail(f"From: a@b.c\nSubject: {raw_subject}")).subject == expected


def test_raw_8bit_headers_are_repaired():
    utf8 = b"From: K\xc3\xa4the <k@example.de>\r\nSubject: Gr\xc3\xbc\xc3\x9fe\r\n\r\nHi\r\n"
    p = parse_message(utf8)
    assert p.subject == "Grüße"
    assert (p.from_name, p.from_addr) == ("Käthe", "k@example.de")
    latin1 = b"From: k@example.de\r\nSubject: Gr\xfc\xdfe aus K\xf6ln\r\n\r\nHi\r\n"
    assert parse_message(latin1).subject == "Grüße aus Köln"


@pytest.mark.parametrize(
    "from_header, addr",
    [
        ("Kai <kai@example.com>", "kai@example.com"),
        ("MAILER-DAEMON", None),
        ("a@b.c, d@e.f", None),
        ("undisclosed-recipients:;", None),
        ("alice@example.org)<bob@example.org>", None),
        ('"alice@example.org" <bob@example.org>', "bob@example.org"),
        ("", None),
    ],
)
def test_from_addr_is_one_valid_address_or_none(from_header, addr):
    assert parse_message(mail(f"From: {from_header}\nSubject: x")).from_addr == addr


def test_two_from_headers_give_no_sender():
    assert parse_message(mail("From: a@b.c\nFrom: d@e.f")).from_addr is None


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Tue, 24 Nov 2026 10:02:11 -0000", datetime(2026, 11, 24, 10, 2, 11, tzinfo=timezone.utc)),
        ("24 Nov 2026 10:02:11 +0100", datetime(2026, 11, 24, 10, 2, 11, tzinfo=timezone(timedelta(hours=1)))),
        ("Mon, 5 Jul 2010 08:57:06 EDT", datetime(2010, 7, 5, 8, 57, 6, tzinfo=timezone(timedelta(hours=-4)))),
        ("yesterday", None),
        ("Tue, 99 Nov 2026 10:02:11 +0000", None),
    ],
)
def test_date(value, expected):
    p = parse_message(mail(f"From: a@b.c\nDate: {value}"))
    assert p.date == expected
    assert p.date is None or p.date.tzinfo is not None


# ---- bodies ------------------------------------------------------------------------------------------


def test_text_plain_is_preferred_over_html():
    raw = mail(
        "From: a@b.c\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=XX",
        "--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlain words\r\n"
        "--XX\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML <b>words</b></p>\r\n--XX--\r\n",
    )
    p = parse_message(raw)
    assert p.text == "Plain words"
    assert p.html == "<p>HTML <b>words</b></p>"  # the CRLF before a boundary belongs to the boundary
    assert p.attachments == []


def test_empty_plain_alternative_falls_back_to_html():
    raw = mail(
        "From: a@b.c\nContent-Type: multipart/alternative; boundary=XX",
        "--XX\r\nContent-Type: text/plain\r\n\r\n \r\n--XX\r\nContent-Type: text/html\r\n\r\n"
        "<div>Saturday<br>10:00</div>\r\n--XX--\r\n",
    )
    assert parse_message(raw).text == "Saturday\n10:00"


def test_html_only_mail_is_converted_to_text():
    html = (
        "<html><head><title>t</title><style>p {color:red}</style><script>alert(1)</script></head>"
        "<body><p>Hi&nbsp;Maya,</p><div>Saturday &amp; Sunday<br>work</div>"
        "<blockquote type=cite><p>Thursday 10:00</p></blockquote><!-- comment --><p>Kai</p></body></html>"
    )
    p = parse_message(mail("From: a@b.c\nContent-Type: text/html; charset=utf-8", html))
    assert p.text == "Hi Maya,\nSaturday & Sunday\nwork\n> Thursday 10:00\nKai"
    assert p.html == html
    assert new_text(p) == "Hi Maya,\nSaturday & Sunday\nwork\nKai"


def test_html_to_text_keeps_structure():
    assert html_to_text("a<br>b<br><br>c") == "a\nb\n\nc"
    assert html_to_text("<p>one</p><p>two</p>") == "one\ntwo"
    assert html_to_text("<ul><li>x</li><li>y</li></ul>") == "- x\n- y"
    assert html_to_text("<table><tr><td>a</td><td>b</td></tr></table>") == "a\tb"
    assert html_to_text("<pre>  keep\n  this</pre>") == "keep\nthis"
    assert html_to_text("<blockquote>q1<blockquote>q2</blockquote></blockquote>after") == "> q1\n>> q2\nafter"
    assert html_to_text("<p>unclosed <b>bold <div>block") == "unclosed bold\nblock"
    assert html_to_text("<![if !supportLists]>x<![endif]><o:p>y</o:p>") == "xy"
    assert html_to_text("") == ""


@pytest.mark.parametrize(
    "data, charset, expected",
    [
        ("Grüße".encode("utf-8"), "utf-8", "Grüße"),
        ("Grüße".encode("latin-1"), "iso-8859-1", "Grüße"),
        ("Grüße €".encode("cp1252"), "iso-8859-1", "Grüße €"),  # latin-1 label, windows-1252 bytes
        ("Grüße".encode("utf-8"), "iso-8859-1", "Grüße"),  # mislabelled UTF-8
        ("Grüße".encode("latin-1"), "utf-8", "Grüße"),  # "utf-8" that is not
        ("Grüße".encode("utf-8"), "x-unknown-foo", "Grüße"),
        ("Grüße".encode("latin-1"), None, "Grüße"),
        ("Grüße".encode("utf-8"), "us-ascii", "Grüße"),
        ("Grüße".encode("utf-8"), "rot13", "Grüße"),  # not a charset: never used to decode
        ("Grüße".encode("utf-8"), "base64", "Grüße"),
        ("żółć".encode("iso-8859-2"), "iso-8859-2", "żółć"),
        ("日本語".encode("shift_jis"), "shift-jis", "日本語"),
        ("日本語".encode("iso-2022-jp"), "iso-2022-jp", "日本語"),
        ("한국어".encode("cp949"), "ks_c_5601-1987", "한국어"),
        ("\ufeffHi".encode("utf-8"), None, "Hi"),
        (b"\x81\x8d\x8f", "windows-1252", "\x81\x8d\x8f"),
    ],
)
def test_decode_bytes_handles_any_charset(data, charset, expected):
    assert decode_bytes(data, charset) == expected


def test_body_charsets_and_transfer_encodings():
    def body_of(ctype: str, cte: str | None, payload: bytes) -> str:
        head = f"From: a@b.c\nContent-Type: {ctype}" + (f"\nContent-Transfer-Encoding: {cte}" if cte else "")
        return parse_message(mail(head, payload)).text

    assert body_of("text/plain; charset=utf-8", "quoted-printable", b"Gr=C3=BC=C3=9Fe, sehr lange Zeile =\r\nweiter") == \
        "Grüße, sehr lange Zeile weiter"
    assert body_of("text/plain; charset=utf-8", "base64", base64.encodebytes("Grüße".encode())) == "Grüße"
    assert body_of("text/plain; charset=iso-8859-2", "8bit", "żółć".encode("iso-8859-2")) == "żółć"
    assert body_of("text/plain; charset=utf-8", "base64", b"R3L=broken==base64!!") is not None
    assert body_of("text/plain; charset=\"utf-8''\"", None, "Grüße".encode()) == "Grüße"
    assert body_of("text/plain", "x-unknown-cte", b"plain") == "plain"
    assert body_of("text/plain; charset=utf-8", "quoted-printable", b"bad =ZZ escape") == "bad =ZZ escape"
    assert body_of("text/plain", None, b"nul\x00byte") == "nulbyte"


def test_format_flowed():
    text = "This is a long \r\nline.\r\n> quoted \r\n> too\r\n\r\n From stuffed\r\n-- \r\nsig"
    assert unflow(text.replace("\r\n", "\n")) == "This is a long line.\n> quoted too\n\nFrom stuffed\n-- \nsig"
    assert unflow("abc \ndef", delsp=True) == "abcdef"
    raw = mail("From: a@b.c\nContent-Type: text/plain; charset=utf-8; format=flowed; delsp=yes",
               "Zusammen \r\ngeschrieben\r\n")
    assert parse_message(raw).text == "Zusammengeschrieben"


def test_multipart_mixed_joins_inline_text_and_lists_attachments():
    jpg = base64.b64encode(b"\xff\xd8\xff\xe0JPEG").decode()
    raw = mail(
        "From: a@b.c\nContent-Type: multipart/mixed; boundary=M",
        "--M\r\nContent-Type: multipart/alternative; boundary=A\r\n\r\n"
        "--A\r\nContent-Type: text/plain\r\n\r\nFirst part\r\n--A\r\nContent-Type: text/html\r\n\r\n<p>First part</p>\r\n--A--\r\n"
        f"--M\r\nContent-Type: image/jpeg\r\nContent-Disposition: inline; filename=\"../../etc/pass\x01wd.jpg\"\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{jpg}\r\n"
        "--M\r\nContent-Type: text/plain\r\n\r\nSecond part\r\n"
        "--M\r\nContent-Type: text/plain; name=notes.txt\r\nContent-Disposition: attachment; filename*=utf-8''N%C3%B6tes.txt\r\n\r\n"
        "attached text\r\n"
        "--M\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
        "--M\r\nContent-Type: message/rfc822\r\n\r\nFrom: x@y.z\r\nSubject: inner\r\n\r\ninner body\r\n--M--\r\n",
    )
    p = parse_message(raw)
    assert p.text == "First part\n\nSecond part"
    assert p.html == "<p>First part</p>"
    names = [(n, t) for n, t, _ in p.attachments]
    assert names == [("pass_wd.jpg", "image/jpeg"), ("Nötes.txt", "text/plain"), ("invite.ics", "text/calendar"),
                     ("message.eml", "message/rfc822")]
    assert p.attachments[0][2] == b"\xff\xd8\xff\xe0JPEG"
    assert b"inner body" in p.attachments[3][2]
    assert "inner body" not in p.text


def test_multipart_related_and_signed_use_their_root_part():
    related = mail(
        "From: a@b.c\nContent-Type: multipart/related; boundary=R",
        "--R\r\nContent-Type: text/html\r\n\r\n<p>see <img src=cid:x></p>\r\n"
        "--R\r\nContent-Type: image/png\r\nContent-ID: <x>\r\n\r\nPNG\r\n--R--\r\n")
    p = parse_message(related)
    assert p.text == "see"
    assert [t for _, t, _ in p.attachments] == ["image/png"]
    signed = mail(
        "From: a@b.c\nContent-Type: multipart/signed; protocol=\"application/pgp-signature\"; boundary=S",
        "--S\r\nContent-Type: text/plain\r\n\r\nsigned words\r\n"
        "--S\r\nContent-Type: application/pgp-signature; name=signature.asc\r\n\r\n-----BEGIN PGP-----\r\n--S--\r\n")
    p = parse_message(signed)
    assert p.text == "signed words"
    assert [n for n, _, _ in p.attachments] == ["signature.asc"]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\kai\\photo.jpg", "photo.jpg"),
        ("..", "attachment.bin"),
        ("", "attachment.bin"),
        (None, "attachment.bin"),
        ("CON.txt", "_CON.txt"),
        (".htaccess", "htaccess"),
        ("a<b>c:d|e?f*g\"h.png", "a_b_c_d_e_f_g_h.png"),
        ("x" * 300 + ".jpeg", "x" * 195 + ".jpeg"),
    ],
)
def test_sanitize_filename(name, expected):
    assert sanitize_filename(name) == expected


# ---- dedupe hash and caps ----------------------------------------------------------------------------


def test_body_hash_is_stable_across_transport_changes():
    crlf = parse_message(mail(SIMPLE, "Grüße,\r\nKai  \r\n"))
    lf = parse_message(mail(SIMPLE, "Grüße,\nKai\n", crlf=False))
    qp = parse_message(mail(SIMPLE.replace("charset=utf-8", "charset=utf-8\nContent-Transfer-Encoding: quoted-printable"),
                            b"Gr=C3=BC=C3=9Fe,\r\nKai\r\n"))
    assert crlf.body_hash == lf.body_hash == qp.body_hash
    other = parse_message(mail(SIMPLE, "Grüße,\r\nKim\r\n"))
    assert other.body_hash != crlf.body_hash
    assert normalize_body_for_hash("a\u00a0 b\u200b") == "a b"


def test_body_hash_covers_attachments():
    def with_attachment(data: bytes) -> ParsedMail:
        return parse_message(mail(
            "From: a@b.c\nContent-Type: multipart/mixed; boundary=M",
            b"--M\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--M\r\nContent-Type: application/pdf\r\n"
            b"Content-Disposition: attachment; filename=a.pdf\r\n\r\n" + data + b"\r\n--M--\r\n"))

    assert with_attachment(b"%PDF-1").body_hash != with_attachment(b"%PDF-2").body_hash


def test_header_block_is_capped():
    big = "From: a@b.c\nSubject: capped\n" + "".join(f"X-Filler-{i}: {'y' * 200}\n" for i in range(1000))
    p = parse_message(mail(big, "the body survives"), max_header_bytes=8 * 1024)
    assert p.truncated
    assert p.subject == "capped"
    assert p.text == "the body survives"
    assert len(p.headers) < 100


def test_body_is_capped():
    p = parse_message(mail("From: a@b.c", "x" * 50_000), max_body_chars=1_000)
    assert len(p.text) == 1_000


# ---- never raise -------------------------------------------------------------------------------------

GARBAGE = [
    b"",
    b"\r\n\r\n",
    b"no headers at all, just text",
    b"From: a@b.c",  # no body
    b"From: a@b.c\r\nContent-Type: multipart/mixed\r\n\r\nno boundary",
    b"From: a@b.c\r\nContent-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nunterminated",
    b"From: a@b.c\r\nContent-Type: text/plain; charset=\r\n\r\nx",
    b"From: a@b.c\r\nContent-Type: /\r\n\r\nx",
    b"From: a@b.c\r\nContent-Type: text/plain; charset*=''\r\n\r\nx",
    b"From: a@b.c\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!",
    b"From: =?utf-8?b?////?= <a@b.c>\r\nSubject: =?utf-8?b?////?=\r\n\r\nx",
    b"From: bob@\r\nTo: @,@,;;\r\nReply-To: <<<>>>\r\nDate: \x00\r\n\r\nx",
    b"\x00\x01\x02\xff\xfe" * 100,
    b": no name\r\nname no colon\r\n\tcontinuation first\r\n\r\nbody",
    b"Subject: " + b"a" * 100_000 + b"\r\n\r\nbody",
    b"From: a@b.c\r\nContent-Type: multipart/alternative; boundary=A\r\n\r\n--A\r\nContent-Type: multipart/alternative; boundary=A\r\n\r\n--A--",
    b"Content-Type: message/rfc822\r\n\r\nContent-Type: message/rfc822\r\n\r\n",
    b"Content-Disposition: attachment; filename=\"=?utf-8?q?\r\n\r\nx",
]


@pytest.mark.parametrize("raw", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_never_raises(raw):
    p = parse_message(raw)
    assert isinstance(p, ParsedMail)
    assert isinstance(p.text, str)
    assert isinstance(new_text(p), str)
    assert p.size == len(raw)


def test_deep_nesting_does_not_raise():
    depth = 400
    head = "".join(f"--B{i}\r\nContent-Type: multipart/mixed; boundary=B{i + 1}\r\n\r\n" for i in range(depth))
    raw = ("From: a@b.c\r\nContent-Type: multipart/mixed; boundary=B0\r\n\r\n" + head + "deep\r\n").encode()
    assert isinstance(parse_message(raw), ParsedMail)


@pytest.mark.parametrize("path", corpus.machine_files(), ids=lambda p: p.name)
def test_every_corpus_mail_parses(path):
    raw = path.read_bytes()
    p = parse_message(raw)
    assert p.size == len(raw)
    assert p.text.strip() or p.attachments  # something readable came out
    assert p.date is not None
    assert p.from_addr is not None


def test_mutated_corpus_mails_never_raise():
    """Truncate, splice and flip bytes of real mail: parsing must degrade, not fail."""
    rng = random.Random(20261124)
    files = corpus.machine_files()
    assert files
    for _ in range(300):
        raw = bytearray(rng.choice(files).read_bytes())
        op = rng.randrange(4)
        if op == 0:
            raw = raw[: rng.randrange(len(raw) + 1)]
        elif op == 1:
            for _ in range(rng.randrange(1, 40)):
                raw[rng.randrange(len(raw))] = rng.randrange(256)
        elif op == 2:
            other = rng.choice(files).read_bytes()
            cut = rng.randrange(len(raw))
            raw = raw[:cut] + other[rng.randrange(len(other)):]
        else:
            raw = raw.replace(b"\n", b"\r", rng.randrange(1, 20))
        p = parse_message(bytes(raw))
        assert isinstance(new_text(p), str)


hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(
    st.lists(
        st.tuples(
            st.sampled_from(["From", "To", "Subject", "Content-Type", "Content-Transfer-Encoding", "Message-ID",
                             "References", "Date", "X-Other", "Content-Disposition", "Reply-To"]),
            st.text(max_size=80),
        ),
        max_size=8,
    ),
    st.binary(max_size=400),
)
def test_random_headers_and_bodies_never_raise(headers, body):
    head = "\r\n".join(f"{k}: {v}" for k, v in headers).encode("utf-8", "surrogatepass")
    p = parse_message(head + b"\r\n\r\n" + body)
    assert isinstance(p.text, str)
    assert isinstance(new_text(p), str)
