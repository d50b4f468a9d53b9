"""Render the shared reply templates (``../shared/mail-corpus/replies/*.eml``) into real mail bytes.

Why: tests and the evaluation harness need replies exactly as real mail programs send them --
Outlook's header block, Gmail's wrapped attribution, Thunderbird's bottom-posted format=flowed,
OWA's iso-8859-1 HTML-only body, base64 from Outlook for iOS -- with the client's new text and
the studio's quoted mail filled in. The templates store bodies decoded with placeholders;
``X-Template-*`` pseudo-headers say how to encode them and are never sent:

* ``X-Template-Subject-Prefix: "RE: "`` -- the reply prefix this program puts on the subject
  (default ``Re: ``);
* ``X-Template-CTE-If-Needed: quoted-printable|8bit`` -- the transfer encoding to switch to when
  the body is not 7-bit clean (non-ASCII text or lines over 998 octets); a declared ``us-ascii``
  charset then becomes ``utf-8``.

Placeholders: header ``{FROM} {TO} {SUBJECT} {DATE} {MESSAGE_ID:style} {IN_REPLY_TO}
{REFERENCES} {THREAD_INDEX} {THREAD_TOPIC} {BOUNDARYn:style}``; text ``{NEW_TEXT} {QUOTED_TEXT}
{QUOTED_TEXT_GT}``; HTML ``{NEW_HTML} {NEW_HTML_DIV} {NEW_HTML_MSO} {QUOTED_HTML}
{QUOTED_HTML_MSO}``; quoted-mail facts ``{Q_FROM} {Q_FROM_NAME} {Q_FROM_EMAIL} {Q_TO}
{Q_SUBJECT} {Q_DATE:style}`` (HTML-escaped inside text/html parts).

Pure: reads only the template file; the output is deterministic for the same inputs (random ids
are seeded from them) unless ``date`` is left to default to the current time.
"""

from __future__ import annotations

import base64
import email.header
import email.message
import email.utils
import hashlib
import html as html_mod
import json
import os
import random
import re
import uuid
from datetime import datetime, timedelta, timezone
from email import quoprimime
from pathlib import Path
from typing import Sequence

from mailroom.addresses import extract_addr

__all__ = [
    "corpus_dir",
    "render_reply",
    "replies_dir",
    "shared_dir",
    "template_manifest",
    "template_names",
]

_PLACEHOLDER_RE = re.compile(r"\{([A-Z][A-Z0-9_]*)(?::([A-Za-z0-9_]+))?\}")


# --------------------------------------------------------------------------------------------
# locating the shared corpus


def shared_dir() -> Path:
    """``$STUDIOBOOK_SHARED_DIR`` or the ``shared`` directory beside the project checkout."""
    env = os.environ.get("STUDIOBOOK_SHARED_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "shared"


def corpus_dir() -> Path:
    """The mail corpus (``shared/mail-corpus``); the env override may also point at it directly."""
    base = shared_dir()
    if (base / "replies").is_dir() and (base / "machine").is_dir():
        return base
    return base / "mail-corpus"


def replies_dir() -> Path:
    return corpus_dir() / "replies"


def template_manifest(templates_dir: str | Path | None = None) -> list[dict]:
    path = Path(templates_dir) if templates_dir else replies_dir()
    with open(path / "manifest.json", encoding="utf-8") as fh:
        return json.load(fh)


def template_names(templates_dir: str | Path | None = None) -> list[str]:
    """Names of all reply templates (the ``.eml`` files), sorted."""
    path = Path(templates_dir) if templates_dir else replies_dir()
    return sorted(p.stem for p in path.glob("*.eml"))


# --------------------------------------------------------------------------------------------
# values

_EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
_DE_DAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
_DE_DAYS_SHORT = ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."]
_DE_MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
              "November", "Dezember"]
_DE_MONTHS_SHORT = ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."]
_FR_MONTHS_SHORT = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]


def _h12(dt: datetime) -> tuple[int, str]:
    h = dt.hour % 12 or 12
    return h, ("AM" if dt.hour < 12 else "PM")


def format_quoted_date(dt: datetime, style: str | None) -> str:
    """The quoted mail's date as each mail program writes it in its attribution/header block."""
    h, ampm = _h12(dt)
    day_en, mon_en = _EN_DAYS[dt.weekday()], _EN_MONTHS[dt.month - 1]
    if style == "gmail_en":  # Tue, Nov 24, 2026 at 9:05 AM
        return f"{day_en[:3]}, {mon_en[:3]} {dt.day}, {dt.year} at {h}:{dt.minute:02d} {ampm}"
    if style == "gmail_de":  # Di., 24. Nov. 2026 um 09:05 Uhr
        return (f"{_DE_DAYS_SHORT[dt.weekday()]}, {dt.day}. {_DE_MONTHS_SHORT[dt.month - 1]} {dt.year} "
                f"um {dt.hour:02d}:{dt.minute:02d} Uhr")
    if style == "apple_fr":  # 24 nov. 2026 à 09:05
        return f"{dt.day} {_FR_MONTHS_SHORT[dt.month - 1]} {dt.year} à {dt.hour:02d}:{dt.minute:02d}"
    if style == "apple_en":  # Nov 24, 2026, at 9:05 AM
        return f"{mon_en[:3]} {dt.day}, {dt.year}, at {h}:{dt.minute:02d} {ampm}"
    if style in ("outlook_en", "yahoo_en"):  # Tuesday, November 24, 2026 9:05 AM
        return f"{day_en}, {mon_en} {dt.day}, {dt.year} {h}:{dt.minute:02d} {ampm}"
    if style == "outlook_de":  # Dienstag, 24. November 2026 09:05
        return f"{_DE_DAYS[dt.weekday()]}, {dt.day}. {_DE_MONTHS[dt.month - 1]} {dt.year} {dt.hour:02d}:{dt.minute:02d}"
    if style == "outlookmobile_en":  # Tuesday, November 24, 2026 9:05:12 AM
        return f"{day_en}, {mon_en} {dt.day}, {dt.year} {h}:{dt.minute:02d}:{dt.second:02d} {ampm}"
    if style == "thunderbird_en":  # 11/24/26 9:05 AM
        return f"{dt.month}/{dt.day}/{dt.year % 100:02d} {h}:{dt.minute:02d} {ampm}"
    return email.utils.format_datetime(dt)


def _split_addr(value: str, what: str) -> tuple[str, str]:
    parsed = extract_addr(value)
    if parsed is None:
        raise ValueError(f"{what} is not a single valid address: {value!r}")
    return parsed


def _format_addr(name: str, addr: str) -> str:
    return email.utils.formataddr((name, addr), charset="utf-8") if name else addr


def _plain_addr(name: str, addr: str) -> str:
    """How a mail program shows an address inside a body (decoded, no RFC 2047)."""
    return f"{name} <{addr}>" if name else addr


def _bracket_id(value: str) -> str:
    v = value.strip()
    if not v:
        return ""
    if not v.startswith("<"):
        v = "<" + v
    if not v.endswith(">"):
        v += ">"
    return v


def _one_line(value: str) -> str:
    return re.sub(r"[\r\n\t]+", " ", value or "").strip()


def _encode_unstructured(value: str, header_name: str) -> str:
    value = _one_line(value)
    if value.isascii():
        return value
    return email.header.Header(value, "utf-8", header_name=header_name).encode(linesep="\n")


def _reply_subject(subject: str, prefix: str) -> str:
    base = _one_line(subject)
    base = re.sub(r"^(?:(?:re|aw|sv|antw|r|rif|vs|odp|ynt|res)\s*(?:\[\d+\])?\s*:\s*)+", "", base, flags=re.I)
    return prefix + base


class _Ids:
    """Message-IDs, boundaries and thread indexes in the style of each mail program (seeded)."""

    def __init__(self, rng: random.Random, from_domain: str) -> None:
        self.rng = rng
        self.domain = from_domain
        self.boundaries: dict[tuple[str, str], str] = {}

    def _chars(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def message_id(self, style: str | None) -> str:
        r = self.rng
        hexd, up = "0123456789abcdef", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        if style == "gmail":
            return "<CA" + self._chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+_-", 44) + "@mail.gmail.com>"
        if style == "apple":
            return f"<{uuid.UUID(int=r.getrandbits(128), version=4)}@{self.domain}>".upper().replace(
                "@" + self.domain.upper(), "@" + self.domain
            )
        if style == "outlook":
            return f"<{self._chars(hexd, 4)}01d9{self._chars(hexd, 4)}${self._chars(hexd, 8)}${self._chars(hexd, 8)}$@{self.domain}>"
        if style == "outlookmobile":
            host = "AM0PR04MB" + self._chars("0123456789", 4)
            return f"<{host}{self._chars(up, 28)}@{host}.eurprd04.prod.outlook.com>"
        if style == "exchange":
            return f"<{self._chars(hexd.upper(), 40)}@EXCH-MBX01.{self.domain}>"
        if style == "thunderbird":
            return f"<{uuid.UUID(int=r.getrandbits(128), version=4)}@{self.domain}>"
        if style == "yahoo":
            return f"<{r.randrange(10**12, 10**13)}.{r.randrange(10**4, 10**5)}.YahooMailNeo@web{r.randrange(100, 999)}.mail.ne1.yahoo.com>"
        return f"<{uuid.UUID(int=r.getrandbits(128), version=4)}@{self.domain}>"

    def boundary(self, name: str, style: str | None) -> str:
        key = (name, style or "")
        if key not in self.boundaries:
            hexd = "0123456789abcdef"
            if style == "gmail":
                b = "000000000000" + self._chars(hexd, 12)
            elif style == "outlook":
                b = f"----=_NextPart_000_{self._chars(hexd.upper(), 4)}_01D9{self._chars(hexd.upper(), 4)}.{self._chars(hexd.upper(), 8)}"
            elif style == "outlookmobile":
                b = "_000_" + self._chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 44) + "_"
            else:
                b = "=_" + self._chars(hexd, 28)
            self.boundaries[key] = b
        return self.boundaries[key]

    def thread_index(self) -> str:
        return base64.b64encode(bytes(self.rng.getrandbits(8) for _ in range(22))).decode("ascii")


def _html_lines(text: str) -> list[str]:
    return [html_mod.escape(line) for line in text.split("\n")]


def _new_html(text: str) -> str:  # OWA: lines separated by <br>
    return "<br>\n".join(_html_lines(text))


def _new_html_div(text: str) -> str:  # Gmail / Outlook mobile: one <div> per line, <div><br></div> for blanks
    return "".join(f"<div>{line}</div>" if line.strip() else "<div><br></div>" for line in _html_lines(text))


def _html_mso(text: str) -> str:  # Word-generated Outlook HTML
    return "\n".join(
        f"<p class=MsoNormal>{line}<o:p></o:p></p>" if line.strip() else "<p class=MsoNormal><o:p>&nbsp;</o:p></p>"
        for line in _html_lines(text)
    )


def _quoted_html(text: str) -> str:
    return '<div dir="ltr">' + "<br>\n".join(_html_lines(text)) + "<br></div>"


def _gt(text: str) -> str:
    return "\n".join(("> " + line) if line.strip() else ">" for line in text.split("\n"))


# --------------------------------------------------------------------------------------------
# format=flowed and transfer encodings


def _wrap_flowed(content: str, width: int) -> list[str]:
    chunks: list[str] = []
    while len(content) > width:
        cut = content.rfind(" ", 0, width)
        if cut <= 0:
            cut = content.find(" ", width)
            if cut == -1:
                break
        chunks.append(content[: cut + 1])  # soft break: the line keeps its trailing space
        content = content[cut + 1 :]
    chunks.append(content)
    return chunks


def flow_text(text: str, width: int = 72) -> str:
    """Encode text as format=flowed (RFC 3676, DelSp=no) the way Thunderbird does, quotes included."""
    out: list[str] = []
    for line in text.split("\n"):
        if line == "-- ":
            out.append(line)
            continue
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        if depth and content.startswith(" "):
            content = content[1:]
        content = content.rstrip(" ")
        prefix = ">" * depth
        for chunk in _wrap_flowed(content, max(20, width - len(prefix) - 1)):
            if depth:
                out.append(prefix + (" " + chunk if chunk else ""))
            elif chunk.startswith((" ", ">", "From ")):
                out.append(" " + chunk)  # space-stuffing
            else:
                out.append(chunk)
    return "\n".join(out)


def _needs_encoding(data: bytes) -> bool:
    return any(b > 127 for b in data) or any(len(line) > 998 for line in data.split(b"\n"))


def _qp(data: bytes) -> str:
    return quoprimime.body_encode(data.decode("latin-1"), maxlinelen=76, eol="\n")


def _b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii").rstrip("\n")


# --------------------------------------------------------------------------------------------
# the template engine


def _parse_headers(block: str) -> list[list[str]]:
    headers: list[list[str]] = []
    for line in block.split("\n"):
        if not line:
            continue
        if line[0] in " \t" and headers:
            headers[-1][1] += "\n" + line
        else:
            name, _, value = line.partition(":")
            headers.append([name, value[1:] if value.startswith(" ") else value])
    return headers


def _header_value(headers: list[list[str]], name: str) -> str | None:
    for h, v in headers:
        if h.lower() == name:
            return re.sub(r"\n[ \t]*", " ", v).strip()
    return None


def _set_header(headers: list[list[str]], name: str, value: str, after: str = "content-type") -> None:
    for h in headers:
        if h[0].lower() == name.lower():
            h[1] = value
            return
    idx = next((i for i, h in enumerate(headers) if h[0].lower() == after), len(headers) - 1)
    headers.insert(idx + 1, [name, value])


def _ctype_info(value: str | None) -> tuple[str, dict[str, str]]:
    m = email.message.Message()
    m["Content-Type"] = value or "text/plain"
    params = {k.lower(): v for k, v in (m.get_params() or [])[1:]}
    return m.get_content_type(), params


class _Renderer:
    def __init__(self, header_values: dict[str, str], text_values: dict[str, str], html_values: dict[str, str],
                 ids: _Ids, qdate: datetime) -> None:
        self.header_values = header_values
        self.text_values = text_values
        self.html_values = html_values
        self.ids = ids
        self.qdate = qdate

    def _sub(self, text: str, values: dict[str, str], *, html: bool) -> str:
        def repl(m: re.Match[str]) -> str:
            name, style = m.group(1), m.group(2)
            if name in values and not style:
                return values[name]
            if name == "Q_DATE":
                v = format_quoted_date(self.qdate, style)
                return html_mod.escape(v) if html else v
            if name == "MESSAGE_ID":
                return self.ids.message_id(style)
            if name.startswith("BOUNDARY"):
                return self.ids.boundary(name, style)
            if name == "THREAD_INDEX":
                return self.ids.thread_index()
            if name in values:
                return values[name]
            raise ValueError(f"unknown template placeholder {m.group(0)}")

        return _PLACEHOLDER_RE.sub(repl, text)

    def entity(self, text: str, subject_prefix: list[str]) -> bytes:
        head, _, body = text.partition("\n\n")
        headers = _parse_headers(head)
        opts: dict[str, str] = {}
        kept: list[list[str]] = []
        for name, value in headers:
            if name.lower().startswith("x-template-"):
                v = value.strip()
                if len(v) >= 2 and v[0] == v[-1] == '"':
                    v = v[1:-1]
                opts[name.lower()] = v
            else:
                kept.append([name, value])
        if "x-template-subject-prefix" in opts:
            subject_prefix[0] = opts["x-template-subject-prefix"]
        # header placeholders (SUBJECT needs the prefix, which may come from this very block)
        values = dict(self.header_values)
        values["SUBJECT"] = _encode_unstructured(_reply_subject(values.pop("_SUBJECT_BASE"), subject_prefix[0]), "Subject")
        out_headers: list[list[str]] = []
        for name, value in kept:
            new_value = self._sub(value, values, html=False)
            if not new_value.strip() and value.strip().startswith("{"):
                continue  # e.g. no References for a first reply
            out_headers.append([name, new_value])
        ctype, params = _ctype_info(_header_value(out_headers, "content-type"))
        if ctype.startswith("multipart/"):
            body_bytes = self._multipart(body, params.get("boundary", ""), subject_prefix)
        else:
            body_bytes = self._leaf(body, ctype, params, out_headers, opts)
        head_bytes = "\n".join(f"{n}: {v}" if v else f"{n}:" for n, v in out_headers).encode("utf-8")
        return head_bytes.replace(b"\n", b"\r\n") + b"\r\n\r\n" + body_bytes

    def _multipart(self, body: str, boundary: str, subject_prefix: list[str]) -> bytes:
        delim = "--" + boundary
        preamble: list[str] = []
        parts: list[list[str]] = []
        epilogue: list[str] = []
        state = "pre"
        for line in body.split("\n"):
            stripped = line.rstrip()
            if stripped == delim + "--":
                state = "epi"
                continue
            if stripped == delim:
                parts.append([])
                state = "part"
                continue
            if state == "pre":
                preamble.append(line)
            elif state == "part":
                parts[-1].append(line)
            else:
                epilogue.append(line)
        chunks: list[bytes] = []
        if preamble:
            chunks.append("\r\n".join(preamble).encode("utf-8"))
        for lines in parts:
            # the CRLF that joins a part to the next delimiter is the delimiter's own (RFC 2046)
            part_text = "\n".join(lines)
            chunks.append(delim.encode("ascii") + b"\r\n" + self.entity(part_text, subject_prefix))
        chunks.append(delim.encode("ascii") + b"--")
        out = b"\r\n".join(chunks)
        if epilogue and any(epilogue):
            out += b"\r\n" + "\r\n".join(epilogue).encode("utf-8")
        return out + b"\r\n"

    def _leaf(self, body: str, ctype: str, params: dict[str, str], headers: list[list[str]],
              opts: dict[str, str]) -> bytes:
        is_html = ctype == "text/html"
        text = self._sub(body, self.html_values if is_html else self.text_values, html=is_html)
        if params.get("format", "").lower() == "flowed":
            text = flow_text(text)
        charset = (params.get("charset") or "us-ascii").lower()
        if charset in ("iso-8859-1", "latin-1", "latin1", "windows-1252"):
            data = text.encode(charset if charset != "latin1" else "latin-1",
                               errors="xmlcharrefreplace" if is_html else "replace")
        else:
            data = text.encode("utf-8")
            if charset in ("us-ascii", "ascii") and not data.isascii():
                ct = _header_value(headers, "content-type") or ""
                _set_header(headers, "Content-Type",
                            re.sub(r'charset="?[^";\s]+"?', 'charset="utf-8"', ct, flags=re.I))
        declared = (_header_value(headers, "content-transfer-encoding") or "").lower() or None
        cte = declared
        if _needs_encoding(data):
            if opts.get("x-template-cte-if-needed"):
                cte = opts["x-template-cte-if-needed"].lower()
            elif cte in (None, "7bit"):
                cte = "quoted-printable"
        if cte != declared and cte is not None:
            _set_header(headers, "Content-Transfer-Encoding", cte)
        if cte == "quoted-printable":
            encoded = _qp(data).encode("ascii")
        elif cte == "base64":
            encoded = _b64(data).encode("ascii")
        else:
            encoded = data
        return encoded.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


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
    templates_dir: str | Path | None = None,
    seed: int | str | None = None,
) -> bytes:
    """Real RFC 5322 bytes of a client's reply laid out like ``template_name``'s mail program.

    ``new_text`` is what the client writes now; ``quoted_text`` the studio mail being answered
    (quoted below/above as that program does); ``subject`` the studio mail's subject (the
    program's "Re:"/"RE:"/"AW:" prefix is added); ``in_reply_to``/``references`` message-ids with or
    without angle brackets; ``from_addr`` the client, ``to_addr`` the studio (``Name <addr>`` or a
    bare address). ``quoted_from``/``quoted_to`` default to the studio/the client, ``quoted_date``
    to two hours before ``date`` (default: now). ``message_id`` overrides the program-style id.
    """
    name = template_name[:-4] if template_name.endswith(".eml") else template_name
    tdir = Path(templates_dir) if templates_dir else replies_dir()
    path = tdir / f"{name}.eml"
    if not path.is_file() or "/" in name or "\\" in name:
        raise ValueError(f"unknown reply template {template_name!r} (have: {', '.join(template_names(tdir))})")
    template = path.read_text(encoding="utf-8").replace("\r\n", "\n")

    new_text = (new_text or "").replace("\r\n", "\n").replace("\r", "\n")
    quoted_text = (quoted_text or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    client_name, client_addr = _split_addr(from_addr, "from_addr")
    studio_name, studio_addr = _split_addr(to_addr, "to_addr")
    q_from_name, q_from_addr = _split_addr(quoted_from, "quoted_from") if quoted_from else (studio_name, studio_addr)
    q_to_name, q_to_addr = _split_addr(quoted_to, "quoted_to") if quoted_to else (client_name, client_addr)

    if date is None:
        date = datetime.now(timezone.utc).replace(microsecond=0)
    if date.tzinfo is None:
        date = date.replace(tzinfo=timezone.utc)
    if quoted_date is None:
        quoted_date = date - timedelta(hours=2)
    if quoted_date.tzinfo is None:
        quoted_date = quoted_date.replace(tzinfo=timezone.utc)

    irt = _bracket_id(in_reply_to or "")
    if isinstance(references, str):
        refs = [_bracket_id(r) for r in re.findall(r"<[^<>]+>|[^\s<>]+", references)]
    else:
        refs = [_bracket_id(r) for r in (references or []) if r and r.strip()]
    if irt and irt not in refs:
        refs.append(irt)

    seed_material = seed if seed is not None else "\0".join([name, new_text, quoted_text, subject or "", irt, client_addr])
    rng = random.Random(hashlib.sha256(str(seed_material).encode("utf-8")).hexdigest())
    ids = _Ids(rng, client_addr.rpartition("@")[2])

    base_subject = _one_line(subject or "")
    header_values = {
        "FROM": _format_addr(client_name, client_addr),
        "TO": _format_addr(studio_name, studio_addr),
        "_SUBJECT_BASE": base_subject,
        "THREAD_TOPIC": _encode_unstructured(_reply_subject(base_subject, ""), "Thread-Topic"),
        "DATE": email.utils.format_datetime(date),
        "IN_REPLY_TO": irt,
        "REFERENCES": "\n ".join(refs),
    }
    if message_id:
        header_values["MESSAGE_ID"] = _bracket_id(message_id)
    q_subject = _reply_subject(base_subject, "")
    text_values = {
        "NEW_TEXT": new_text,
        "QUOTED_TEXT": quoted_text,
        "QUOTED_TEXT_GT": _gt(quoted_text),
        "Q_FROM": _plain_addr(q_from_name, q_from_addr),
        "Q_FROM_NAME": q_from_name or q_from_addr,
        "Q_FROM_EMAIL": q_from_addr,
        "Q_TO": _plain_addr(q_to_name, q_to_addr),
        "Q_SUBJECT": q_subject,
    }
    html_values = {k: html_mod.escape(v) for k, v in text_values.items()}
    html_values.update(
        {
            "NEW_HTML": _new_html(new_text),
            "NEW_HTML_DIV": _new_html_div(new_text),
            "NEW_HTML_MSO": _html_mso(new_text),
            "QUOTED_HTML": _quoted_html(quoted_text),
            "QUOTED_HTML_MSO": _html_mso(quoted_text),
        }
    )
    renderer = _Renderer(header_values, text_values, html_values, ids, quoted_date)
    # boundaries first: the multipart splitter must see the real delimiter lines
    template = re.sub(r"\{(BOUNDARY[0-9]*)(?::([A-Za-z0-9_]+))?\}", lambda m: ids.boundary(m.group(1), m.group(2)), template)
    if message_id:
        template = re.sub(r"\{MESSAGE_ID(?::[A-Za-z0-9_]+)?\}", "{MESSAGE_ID}", template)
    # SUBJECT is resolved per header block (the prefix pseudo-header sits in the top block)
    renderer.header_values = dict(header_values)
    out = renderer.entity(template, ["Re: "])
    if not out.endswith(b"\r\n"):
        out += b"\r\n"
    return out
