"""Turn raw RFC 5322 bytes into a ``ParsedMail``: the pure, I/O-free first step of the mailroom.

Why it is written this way:

* Real mail is messy and partly hostile. ``parse_message`` never raises: malformed headers, missing
  or truncated bodies, wrong charsets and broken transfer encodings all degrade to a best effort,
  so a stored message can always be processed (and shown to the owner) instead of crashing a worker.
* Addresses go through ``email.policy.default`` header objects (see ``addresses``), never
  ``email.utils.parseaddr`` (CVE-2023-27043). Header and body sizes are capped.
* ``text`` is what a person would read: the text/plain alternative when there is one, else the
  HTML converted to text (``html_to_text`` keeps the line structure and marks ``<blockquote>``
  quotes with ``>`` so that quote stripping works the same on both).
* ``body_hash`` is computed over a normalised form of the body so that a re-delivery (the same mail
  retried by the sender's server, possibly re-encoded) hashes the same.
"""

from __future__ import annotations

import codecs
import email
import email.header
import email.message
import email.utils
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email import policy
from html.parser import HTMLParser
from typing import Iterator

from mailroom.addresses import extract_addr, extract_addrs

__all__ = [
    "QUOTE_MARK",
    "ParsedMail",
    "decode_bytes",
    "html_to_text",
    "new_text",
    "normalize_body_for_hash",
    "parse_message",
    "sanitize_filename",
    "unflow",
]

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_CHARS = 200_000
MAX_PARTS = 1000
MAX_IDS = 100

#: Headers that carry no information for the mailroom and can be huge; left out of ``headers``.
_SKIP_HEADERS = frozenset(
    {
        "received",
        "dkim-signature",
        "domainkey-signature",
        "arc-seal",
        "arc-message-signature",
        "arc-authentication-results",
        "x-google-dkim-signature",
        "x-gm-message-state",
        "x-google-smtp-source",
        "x-received",
        "x-microsoft-antispam",
        "x-microsoft-antispam-message-info",
        "x-microsoft-antispam-mailbox-delivery",
        "x-forefront-antispam-report",
        "x-message-info",
        "x-ms-exchange-antispam-messagedata-chunkcount",
        "x-ms-exchange-antispam-messagedata-0",
    }
)


@dataclass(frozen=True)
class ParsedMail:
    """Everything the mailroom needs from one message; built only by ``parse_message``."""

    message_id: str | None
    in_reply_to: list[str]
    references: list[str]
    subject: str
    from_addr: str | None
    from_name: str | None
    to_addrs: list[str]
    reply_to: str | None
    date: datetime | None
    text: str
    html: str | None
    attachments: list[tuple[str, str, bytes]]
    headers: dict[str, str]
    auth_results: list[str]
    body_hash: str
    size: int
    # extensions (not required by the brief, useful to classify and thread)
    cc_addrs: list[str] = field(default_factory=list)
    content_type: str = "text/plain"
    part_types: list[str] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    truncated: bool = False

    def header(self, name: str, default: str | None = None) -> str | None:
        """A header value by case-insensitive name (several occurrences are joined by newlines)."""
        return self.headers.get(name.lower(), default)


# --------------------------------------------------------------------------------------------
# charsets and text decoding

_CHARSET_ALIASES = {
    "unknown-8bit": None,
    "x-unknown": None,
    "unknown": None,
    "x-user-defined": None,
    "default": None,
    "charset": None,
    "8bit": None,
    "us-ascii": "ascii",
    "ascii": "ascii",
    "ansi_x3.4-1968": "ascii",
    "iso-8859-1": "cp1252",  # WHATWG: labels for latin-1 mean windows-1252
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "windows-1252": "cp1252",
    "cp1252": "cp1252",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "x-mac-roman": "mac_roman",
    "macintosh": "mac_roman",
    "x-mac-ce": "mac_latin2",
    "shift-jis": "cp932",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "big5": "big5hkscs",
    "iso-8859-8-i": "iso-8859-8",
    "utf8": "utf-8",
    "utf-16": "utf-16",
    "x-utf-8": "utf-8",
}
_LEGACY_SINGLE_BYTE = {"ascii", "cp1252"}


def _codec_for(charset: str | None) -> str | None:
    """Map a MIME charset label to a Python codec name, or None when unknown/absent."""
    if not charset:
        return None
    label = str(charset).strip().strip("\"'").lower()
    if "''" in label:  # RFC 2231 leftovers like utf-8''
        label = label.split("''", 1)[0]
    label = label.strip()
    if not label:
        return None
    if label in _CHARSET_ALIASES:
        return _CHARSET_ALIASES[label]
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):
        return None
    if name in ("latin-1", "iso8859-1"):
        return "cp1252"
    # never decode mail with codecs that are not charsets (rot13, base64_codec, zlib_codec...)
    if not _is_text_codec(name):
        return None
    return name


def _is_text_codec(name: str) -> bool:
    try:
        info = codecs.lookup(name)
    except LookupError:
        return False
    return getattr(info, "_is_text_encoding", True) is not False


def _decode_legacy(data: bytes) -> str:
    """windows-1252 with the five undefined bytes mapped as latin-1 (never fails)."""
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return "".join(
            b.decode("cp1252", errors="strict") if b[0] not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else b.decode("latin-1")
            for b in (data[i : i + 1] for i in range(len(data)))
        )


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Decode body bytes declared as ``charset``; wrong or unknown charsets never raise.

    Order: the declared charset strictly; for absent/unknown/ASCII/latin-1 labels UTF-8 is tried
    first when the bytes are valid UTF-8 (mislabelled UTF-8 is the most common error); then
    windows-1252; a declared multi-byte charset that fails falls back to UTF-8, then to itself with
    replacement characters.
    """
    if not data:
        return ""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    codec = _codec_for(charset)
    if codec is None or codec in _LEGACY_SINGLE_BYTE:
        if codec == "ascii" or codec is None:
            try:
                return data.decode("ascii")
            except UnicodeDecodeError:
                pass
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return _decode_legacy(data)
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        pass
    except Exception:
        codec = "utf-8"
    if codec in ("utf-8", "utf_8"):  # "utf-8" that is not: nearly always windows-1252 in practice
        return _decode_legacy(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode(codec, errors="replace")
    except Exception:
        return data.decode("utf-8", errors="replace")


_SURROGATE_RE = re.compile(r"[\udc80-\udcff]")


def _fix_surrogates(s: str) -> str:
    """Header text parsed from 8-bit bytes carries surrogate escapes; decode them as UTF-8 or cp1252."""
    if not _SURROGATE_RE.search(s):
        return s
    try:
        raw = s.encode("utf-8", errors="surrogateescape")
    except UnicodeEncodeError:
        return _SURROGATE_RE.sub("\ufffd", s)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_legacy(raw)


_CTRL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean_text(s: str) -> str:
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = _CTRL_RE.sub("", s)
    return s.replace("\ufeff", "")


def _unfold(value: str) -> str:
    return re.sub(r"[\r\n]+", " ", re.sub(r"\r?\n(?=[ \t])", "", value)).strip()


# --------------------------------------------------------------------------------------------
# format=flowed (RFC 3676)


def unflow(text: str, delsp: bool = False) -> str:
    """Undo format=flowed: join soft-broken lines (trailing space), honouring quote depth and DelSp.

    Quoted lines are re-emitted as ``"> " * depth``-style prefixes (``">" * depth + " "``) so
    quote detection sees them.
    """
    out: list[tuple[int, str]] = []
    buf: str | None = None
    buf_depth = 0
    for raw_line in text.split("\n"):
        line = raw_line.rstrip("\r")
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        if content.startswith(" "):  # space-stuffing (and the space after quote markers)
            content = content[1:]
        is_sig = content == "-- "
        flowed = content.endswith(" ") and not is_sig
        if flowed and delsp:
            content = content[:-1]
        if buf is not None and depth == buf_depth:
            buf += content
        else:
            if buf is not None:  # a flowed line followed by a different depth: treat it as fixed
                out.append((buf_depth, buf))
            buf, buf_depth = content, depth
        if not flowed:
            out.append((buf_depth, buf))
            buf = None
    if buf is not None:
        out.append((buf_depth, buf))
    lines = []
    for depth, content in out:
        if depth:
            lines.append(">" * depth + (" " + content if content else ""))
        else:
            lines.append(content)
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# HTML to text

_BLOCK_TAGS = frozenset(
    {
        "p", "div", "blockquote", "address", "article", "aside", "center", "dd", "details", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "hr", "li", "main", "nav", "ol", "pre", "section", "summary", "table",
        "tbody", "thead", "tfoot", "tr", "ul", "body", "html", "caption",
    }
)
_DROP_TAGS = frozenset({"style", "script", "head", "title", "template", "noscript", "object", "svg", "math", "xml"})
_VOID_TAGS = frozenset({"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"})
_WS_RE = re.compile(r"[ \t\n\r\f\v\u200b]+")

#: Line emitted by ``html_to_text(mark_quotes=True)`` where a mail program's reply header starts
#: (Outlook's divRplyFwdMsg, the bordered header block, ...): everything from here on is quoted.
QUOTE_MARK = "\ue000\ue000 quoted message follows \ue000\ue000"

_OUTLOOK_BORDER_RE = re.compile(r"border-top\s*:\s*solid\s+#(?:e1e1e1|b5c4df)", re.I)


class _HTMLToText(HTMLParser):
    """Small, lenient HTML-to-text converter (html.parser): keeps line structure, drops style/script."""

    def __init__(self, mark_quotes: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.mark_quotes = mark_quotes
        self.lines: list[tuple[int, str]] = []
        self.cur: list[str] = []
        self.cur_depth: int | None = None
        self.depth = 0  # blockquote (quote) depth
        self.drop = 0
        self.pre = 0
        self.stack: list[tuple[str, bool]] = []  # (tag, is_quote_blockquote)
        self.in_list: list[str] = []
        self.chars = 0

    # -- output helpers
    def _text(self, s: str) -> None:
        if not s:
            return
        if self.cur_depth is None:
            self.cur_depth = self.depth
        self.cur.append(s)
        self.chars += len(s)

    def _break(self, force: bool = False) -> None:
        line = "".join(self.cur)
        if line.strip(" \t\xa0") or force:
            self.lines.append((self.cur_depth if self.cur_depth is not None else self.depth, line))
        self.cur = []
        self.cur_depth = None

    def _blank(self) -> None:
        """Ensure the output ends with an empty line (paragraph gap)."""
        self._break()
        if self.lines and self.lines[-1][1].strip(" \t\xa0"):
            self.lines.append((self.depth, ""))

    def _mark(self) -> None:
        self._break()
        self.lines.append((0, QUOTE_MARK))

    # -- parser callbacks
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if ":" in tag:  # o:p, v:shape and friends from Word
            return
        if tag in _DROP_TAGS:
            if tag not in _VOID_TAGS:
                self.drop += 1
            return
        if self.drop:
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        if self.mark_quotes and tag in ("div", "span", "hr", "table"):
            ident = a.get("id", "")
            cls = a.get("class", "")
            if (
                ident == "divRplyFwdMsg"
                or ident.startswith("divRpF")
                or ident == "appendonsend"
                or ident == "stopSpelling"
                or ident == "OLK_SRC_BODY_SECTION"
                or "OutlookMessageHeader" in cls
                or "yahoo_quoted" in cls
                or (tag == "div" and _OUTLOOK_BORDER_RE.search(a.get("style", "")))
            ):
                self._mark()
        if tag == "br":
            self._break(force=True)
            return
        if tag == "hr":
            self._break()
            return
        if tag in _VOID_TAGS:
            return
        is_quote = False
        if tag == "blockquote":
            style = a.get("style", "").replace(" ", "").lower()
            indent_only = "border:none" in style and "border-left" not in style and a.get("type", "").lower() != "cite"
            is_quote = not indent_only
        if tag in _BLOCK_TAGS:  # <p> margins are usually 0 in mail (Outlook): one line break, no gap
            self._break()
        if tag == "pre":
            self.pre += 1
        if tag in ("ul", "ol"):
            self.in_list.append(tag)
        if tag == "li":
            self._text("- ")
        if tag in ("td", "th") and self.cur:
            self._text("\t")
        if is_quote:
            self._break()
            self.depth += 1
        self.stack.append((tag, is_quote))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag in _VOID_TAGS or tag == "br":
            self.handle_starttag(tag, attrs)
        # a self-closed non-void tag (<div/>) is treated as empty

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if ":" in tag:
            return
        if tag in _DROP_TAGS:
            if self.drop:
                self.drop -= 1
            return
        if self.drop or tag in _VOID_TAGS:
            return
        # pop to the matching open tag (lenient with unclosed tags)
        idx = None
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                idx = i
                break
        if idx is None:
            if tag in _BLOCK_TAGS:
                self._break()
            return
        popped = self.stack[idx:]
        del self.stack[idx:]
        for t, is_quote in reversed(popped):
            if t in _BLOCK_TAGS:
                self._break()
            if t == "pre" and self.pre:
                self.pre -= 1
            if t in ("ul", "ol") and self.in_list:
                self.in_list.pop()
            if is_quote:
                self._break()
                self.depth = max(0, self.depth - 1)

    def handle_data(self, data: str) -> None:
        if self.drop or not data:
            return
        if self.pre:
            parts = data.replace("\r\n", "\n").split("\n")
            for i, part in enumerate(parts):
                if i:
                    self._break(force=True)
                self._text(part)
            return
        text = _WS_RE.sub(" ", data)
        if not self.cur or "".join(self.cur).endswith((" ", "\t")):
            text = text.lstrip(" ")
        self._text(text)

    def handle_comment(self, data: str) -> None:  # conditional comments, <!--[if mso]> etc.
        return

    def result(self) -> str:
        self._break()
        out: list[str] = []
        for depth, line in self.lines:
            if line == QUOTE_MARK:
                out.append(line)
                continue
            line = line.replace("\xa0", " ").rstrip()
            if depth:
                out.append(">" * depth + (" " + line.lstrip() if line.strip() else ""))
            else:
                out.append(line.lstrip(" ") if not self.pre else line)
        text = "\n".join(out)
        text = re.sub(r"\n{3,}", "\n\n", text)
        return text.strip("\n")


_TAG_RE = re.compile(r"<[^>]*>")


def html_to_text(html: str, *, mark_quotes: bool = False) -> str:
    """Readable text from an HTML mail body.

    Line breaks are kept for ``<br>``, block elements (``p``, ``div``, ``blockquote``, ``li``,
    ``tr`` ...); ``<style>``, ``<script>``, ``<head>`` and comments are dropped; entities are
    decoded; quoting ``<blockquote>`` content is prefixed with ``>`` per level. With
    ``mark_quotes`` a ``QUOTE_MARK`` line is emitted where a known mail program's reply header
    begins (used by ``quotes.strip_quoted``).
    """
    if not html:
        return ""
    parser = _HTMLToText(mark_quotes=mark_quotes)
    try:
        parser.feed(html)
        parser.close()
        return parser.result()
    except Exception:  # html.parser is lenient, but never let a converter crash the mailroom
        import html as html_mod

        text = _TAG_RE.sub(" ", re.sub(r"(?is)<(style|script|head)\b.*?</\1\s*>", " ", html))
        return re.sub(r"[ \t]+", " ", html_mod.unescape(text)).strip()


# --------------------------------------------------------------------------------------------
# MIME walking


def _safe_ctype(part: email.message.Message) -> str:
    try:
        ctype = part.get_content_type()
    except Exception:
        return "application/octet-stream"
    return ctype if ctype and "/" in ctype else "application/octet-stream"


def _safe_param(part: email.message.Message, name: str, default: str | None = None) -> str | None:
    try:
        value = part.get_param(name, header="content-type")
    except Exception:
        return default
    if value is None:
        return default
    if isinstance(value, tuple):  # RFC 2231 (charset, language, value)
        try:
            value = email.utils.collapse_rfc2231_value(value)
        except Exception:
            value = value[2] if len(value) > 2 else ""
    return _fix_surrogates(str(value))


def _disposition(part: email.message.Message) -> str:
    try:
        return (part.get_content_disposition() or "").lower()
    except Exception:
        return ""


def _filename(part: email.message.Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    if not name:
        name = _safe_param(part, "name")
    if not name:
        return None
    try:
        if "=?" in name:
            name = str(email.header.make_header(email.header.decode_header(name)))
    except Exception:
        pass
    return _fix_surrogates(str(name))


def _payload_bytes(part: email.message.Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return data
    try:
        raw = part.get_payload()
    except Exception:
        return b""
    if isinstance(raw, str):
        return raw.encode("utf-8", errors="surrogateescape")
    if isinstance(raw, list):  # message/* containers
        chunks = []
        for sub in raw:
            try:
                chunks.append(sub.as_bytes(policy=policy.compat32))
            except Exception:
                try:
                    chunks.append(str(sub).encode("utf-8", errors="replace"))
                except Exception:
                    pass
        return b"\n".join(chunks)
    return b""


_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)


def _decode_part(part: email.message.Message, max_chars: int) -> str:
    data = _payload_bytes(part)
    charset = _safe_param(part, "charset")
    ctype = _safe_ctype(part)
    if not charset and ctype == "text/html":
        m = _META_CHARSET_RE.search(data[:4096])
        if m:
            charset = m.group(1).decode("ascii", "replace")
    text = _clean_text(decode_bytes(data, charset))
    if ctype == "text/plain" and (_safe_param(part, "format") or "").lower() == "flowed":
        delsp = (_safe_param(part, "delsp") or "").lower() == "yes"
        text = unflow(text, delsp=delsp)
    return text[:max_chars]


@dataclass
class _Segment:
    plain: str | None = None
    html: str | None = None


class _Walker:
    def __init__(self, max_body_chars: int, max_parts: int) -> None:
        self.max_body_chars = max_body_chars
        self.max_parts = max_parts
        self.body_parts: set[int] = set()
        self.count = 0
        self.part_types: list[str] = []
        self.defects: list[str] = []

    def iter_parts(self, part: email.message.Message) -> list[email.message.Message]:
        try:
            payload = part.get_payload()
        except Exception:
            return []
        if not isinstance(payload, list):
            return []
        return [p for p in payload if isinstance(p, email.message.Message)]

    def segments(self, part: email.message.Message, depth: int = 0, have_body: bool = False) -> list[_Segment]:
        """The body segments of ``part`` in reading order (alternatives resolved)."""
        self.count += 1
        if self.count > self.max_parts or depth > 40:
            return []
        ctype = _safe_ctype(part)
        maintype, _, subtype = ctype.partition("/")
        disp = _disposition(part)
        if maintype == "multipart":
            children = self.iter_parts(part)
            if not children:
                return []
            if subtype == "alternative":
                return self._alternative(children, depth)
            if subtype == "related":
                start = _safe_param(part, "start")
                root = children[0]
                if start:
                    for c in children:
                        if (c.get("content-id") or "").strip() == start.strip():
                            root = c
                            break
                return self.segments(root, depth + 1, have_body)
            if subtype in ("signed",):
                return self.segments(children[0], depth + 1, have_body)
            if subtype == "encrypted":
                return []
            if subtype == "report":  # the first part is the human-readable notification
                return self.segments(children[0], depth + 1, have_body)
            out: list[_Segment] = []
            for child in children:
                out.extend(self.segments(child, depth + 1, have_body or bool(out)))
            return out
        if maintype != "text" or subtype not in ("plain", "html"):
            return []
        if disp == "attachment":
            return []
        if depth and _filename(part) and (have_body or disp != "inline"):
            return []  # a named text file next to the body is an attachment
        self.body_parts.add(id(part))
        text = _decode_part(part, self.max_body_chars)
        if subtype == "plain":
            return [_Segment(plain=text)]
        return [_Segment(html=text)]

    def _alternative(self, children: list[email.message.Message], depth: int) -> list[_Segment]:
        plain: str | None = None
        html: str | None = None
        for child in children:
            segs = self.segments(child, depth + 1)
            if not segs:
                continue
            if plain is None and all(s.plain is not None for s in segs):
                joined = "\n\n".join(s.plain or "" for s in segs)
                if joined.strip():
                    plain = joined
            if any(s.html is not None for s in segs):
                html = "\n".join(s.html for s in segs if s.html is not None)  # last (richest) wins
        for child in children:  # every text alternative is a body part, chosen or not
            if _safe_ctype(child) in ("text/plain", "text/html") and _disposition(child) != "attachment":
                self.body_parts.add(id(child))
        if plain is None and html is None:
            return []
        return [_Segment(plain=plain, html=html)]

    def leaves(self, part: email.message.Message, depth: int = 0) -> Iterator[email.message.Message]:
        """All leaf parts, not descending into attached messages (message/rfc822 is one leaf)."""
        if depth > 40:
            return
        ctype = _safe_ctype(part)
        self.part_types.append(ctype)
        if len(self.part_types) > self.max_parts:
            return
        if ctype.startswith("multipart/"):
            for child in self.iter_parts(part):
                yield from self.leaves(child, depth + 1)
            return
        yield part


_DEFAULT_NAMES = {
    "message/rfc822": "message.eml",
    "message/global": "message.eml",
    "message/delivery-status": "delivery-status.txt",
    "message/global-delivery-status": "delivery-status.txt",
    "message/disposition-notification": "disposition-notification.txt",
    "text/rfc822-headers": "headers.txt",
    "text/calendar": "invite.ics",
}
_UNSAFE_NAME_RE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED_NAMES = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {f"lpt{i}" for i in range(1, 10)}


def sanitize_filename(name: str | None, content_type: str = "application/octet-stream") -> str:
    """A filename safe to show and to store under: no directories, control or shell-special characters."""
    import mimetypes

    name = unicodedata.normalize("NFC", _fix_surrogates(name or ""))
    name = name.replace("\\", "/").split("/")[-1]
    name = _UNSAFE_NAME_RE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if stem.lower() in _RESERVED_NAMES:
        stem = "_" + stem
    name = f"{stem}.{ext}" if ext else stem
    if not name or name in (".", ".."):
        ctype = (content_type or "").lower()
        if ctype in _DEFAULT_NAMES:
            name = _DEFAULT_NAMES[ctype]
        else:
            name = "attachment" + (mimetypes.guess_extension(ctype) or ".bin")
    encoded = name.encode("utf-8")
    if len(encoded) > 200:
        ext_part = ("." + ext)[:20] if ext else ""
        budget = 200 - len(ext_part.encode("utf-8"))
        stem_b = name[: len(name) - len(ext_part)].encode("utf-8")[:budget]
        name = stem_b.decode("utf-8", errors="ignore") + ext_part
    return name


# --------------------------------------------------------------------------------------------
# headers

_MSGID_RE = re.compile(r"<\s*([^<>\s]+?)\s*>")
_BARE_ID_RE = re.compile(r"[^<>\s@]+@[^<>\s@]+")


def _clean_id(value: str) -> str | None:
    value = value.strip()
    if not value or len(value) > 500 or "@" not in value:
        return None
    if any(c.isspace() for c in value) or _CTRL_RE.search(value):
        return None
    left, _, right = value.rpartition("@")
    if not left or not right:
        return None
    return value


def _ids(value: str | None, limit: int = MAX_IDS) -> list[str]:
    """Message-ids in a References/In-Reply-To value: ``<id>`` tokens, else bare ``local@domain`` words."""
    if not value:
        return []
    found = [m.group(1) for m in _MSGID_RE.finditer(value)]
    if not found:
        found = _BARE_ID_RE.findall(value)
    out: list[str] = []
    seen: set[str] = set()
    for raw in found:
        cid = _clean_id(raw)
        if cid and cid not in seen:
            seen.add(cid)
            out.append(cid)
    return out[-limit:]


def _message_id(value: str | None) -> str | None:
    if not value:
        return None
    m = _MSGID_RE.search(value)
    if m:
        return _clean_id(m.group(1))
    stripped = value.strip()
    if _BARE_ID_RE.fullmatch(stripped):
        return _clean_id(stripped)
    return None


def _decode_header_value(name: str, raw: str) -> str:
    """Decoded, unfolded text of one header (encoded words resolved; 8-bit bytes repaired)."""
    raw = _fix_surrogates(raw)  # before the registry turns undecodable bytes into U+FFFD
    try:
        value = str(policy.default.header_fetch_parse(name, raw))
    except Exception:
        try:
            value = str(email.header.make_header(email.header.decode_header(raw)))
        except Exception:
            value = raw
    return _unfold(_fix_surrogates(value))


def _split_header_block(raw: bytes, max_header_bytes: int) -> tuple[bytes, bool]:
    """Cap the header block at ``max_header_bytes`` (cut at a line boundary), keep the body."""
    m = re.search(rb"\r?\n\r?\n", raw)
    head_end = m.start() if m else len(raw)
    if head_end <= max_header_bytes:
        return raw, False
    head = raw[:max_header_bytes]
    nl = head.rfind(b"\n")
    head = head[: nl if nl > 0 else 0]
    # drop a dangling continuation so the cut header does not swallow the separator
    body = raw[m.end() :] if m else b""
    return head.rstrip(b"\r\n") + b"\n\n" + body, True


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = email.utils.parsedate_to_datetime(value)
    except Exception:
        return None
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    if not (1970 <= dt.year <= 9999):
        return None
    return dt


def normalize_body_for_hash(text: str) -> str:
    """NFC, no zero-width/nbsp differences, whitespace runs collapsed: transport-stable body form."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\xa0", " ").replace("\u200b", "").replace("\ufeff", "")
    return " ".join(text.split())


# --------------------------------------------------------------------------------------------
# the entry points


def parse_message(
    raw: bytes,
    *,
    max_header_bytes: int = MAX_HEADER_BYTES,
    max_body_chars: int = MAX_BODY_CHARS,
    max_parts: int = MAX_PARTS,
) -> ParsedMail:
    """Parse raw message bytes into a ``ParsedMail``. Never raises on malformed input."""
    if isinstance(raw, str):  # be forgiving with callers holding text
        raw = raw.encode("utf-8", errors="surrogateescape")
    if not isinstance(raw, (bytes, bytearray, memoryview)):
        raw = b""
    raw = bytes(raw)
    size = len(raw)
    defects: list[str] = []
    data, truncated = _split_header_block(raw, max_header_bytes)
    if truncated:
        defects.append("HeaderBlockTruncated")
    try:
        msg = email.message_from_bytes(data, policy=policy.default)
    except Exception as exc:  # RecursionError on absurd nesting, or parser bugs
        defects.append(f"ParseError:{type(exc).__name__}")
        try:
            msg = email.message_from_bytes(data, policy=policy.compat32)
        except Exception:
            msg = email.message.EmailMessage(policy=policy.default)
    try:
        return _build(msg, size, max_body_chars, max_parts, defects, truncated)
    except RecursionError:
        defects.append("ParseError:RecursionError")
    except Exception as exc:  # pragma: no cover - defensive: keep the promise of never raising
        defects.append(f"ParseError:{type(exc).__name__}")
    return _fallback(raw, size, max_body_chars, defects)


def _fallback(raw: bytes, size: int, max_body_chars: int, defects: list[str]) -> ParsedMail:
    m = re.search(rb"\r?\n\r?\n", raw)
    body = raw[m.end() :] if m else b""
    text = _clean_text(decode_bytes(body, None))[:max_body_chars]
    return ParsedMail(
        message_id=None, in_reply_to=[], references=[], subject="", from_addr=None, from_name=None,
        to_addrs=[], reply_to=None, date=None, text=text, html=None, attachments=[], headers={},
        auth_results=[], body_hash=hashlib.sha256(normalize_body_for_hash(text).encode("utf-8")).hexdigest(),
        size=size, defects=defects, truncated=True,
    )


def _build(
    msg: email.message.Message, size: int, max_body_chars: int, max_parts: int, defects: list[str], truncated: bool
) -> ParsedMail:
    # headers: raw values first (parsing them may fail individually)
    try:
        raw_items = list(msg.raw_items()) if hasattr(msg, "raw_items") else list(msg._headers)  # noqa: SLF001
    except Exception:
        raw_items = []
    headers: dict[str, str] = {}
    raw_by_name: dict[str, list[str]] = {}
    auth_results: list[str] = []
    for name, value in raw_items:
        if not isinstance(name, str):
            continue
        lname = name.strip().lower()
        if not lname or not isinstance(value, str):
            continue
        raw_by_name.setdefault(lname, []).append(value)
        if lname in _SKIP_HEADERS:
            continue
        decoded = _decode_header_value(name, value)
        if lname == "authentication-results":
            auth_results.append(decoded)
        headers[lname] = f"{headers[lname]}\n{decoded}" if lname in headers else decoded

    def first(name: str) -> str | None:
        values = raw_by_name.get(name)
        return values[0] if values else None

    def first_decoded(name: str) -> str | None:
        v = first(name)
        return _decode_header_value(name, v) if v is not None else None

    subject = " ".join((first_decoded("subject") or "").split())
    # address headers are parsed from their raw text (8-bit bytes repaired) by the header registry
    frm = first("from")
    parsed_from = extract_addr(_fix_surrogates(frm)) if frm and len(raw_by_name["from"]) == 1 else None
    to_addrs = [a for v in raw_by_name.get("to", []) for _, a in extract_addrs(_fix_surrogates(v))]
    cc_addrs = [a for v in raw_by_name.get("cc", []) for _, a in extract_addrs(_fix_surrogates(v))]
    rt = first("reply-to")
    parsed_rt = extract_addr(_fix_surrogates(rt)) if rt else None

    # body
    walker = _Walker(max_body_chars, max_parts)
    try:
        segments = walker.segments(msg)
    except RecursionError:
        segments = []
        defects.append("BodyRecursionError")
    texts: list[str] = []
    htmls: list[str] = []
    for seg in segments:
        if seg.plain is not None and seg.plain.strip():
            texts.append(seg.plain)
        elif seg.html is not None:
            texts.append(html_to_text(seg.html))
        if seg.html is not None:
            htmls.append(seg.html)
    text = "\n\n".join(t.strip("\n") for t in texts if t is not None)[:max_body_chars]
    html = "\n".join(htmls)[:max_body_chars] if htmls else None

    attachments: list[tuple[str, str, bytes]] = []
    try:
        leaves = list(walker.leaves(msg))
    except RecursionError:
        leaves = []
        defects.append("AttachmentRecursionError")
    if msg.is_multipart() or id(msg) not in walker.body_parts:
        for leaf in leaves:
            if id(leaf) in walker.body_parts:
                continue
            if leaf is msg and not leaf.is_multipart() and _safe_ctype(leaf).startswith("text/") and not _filename(leaf):
                continue  # a single-part mail whose only part could not serve as body (e.g. text/enriched)
            ctype = _safe_ctype(leaf)
            data = _payload_bytes(leaf)
            if not data and not _filename(leaf):
                continue
            attachments.append((sanitize_filename(_filename(leaf), ctype), ctype, data))

    try:
        for d in getattr(msg, "defects", []) or []:
            defects.append(type(d).__name__)
    except Exception:
        pass

    hasher = hashlib.sha256(normalize_body_for_hash(text).encode("utf-8", errors="replace"))
    for _, _, data in attachments:  # a forged "re-delivery" with other attachments must not dedupe
        hasher.update(b"\0" + hashlib.sha256(data).digest())

    return ParsedMail(
        message_id=_message_id(first("message-id")),
        in_reply_to=_ids(first("in-reply-to")),
        references=_ids(" ".join(raw_by_name.get("references", []))),
        subject=subject,
        from_addr=parsed_from[1] if parsed_from else None,
        from_name=(parsed_from[0] or None) if parsed_from else None,
        to_addrs=to_addrs,
        reply_to=parsed_rt[1] if parsed_rt else None,
        date=_parse_date(first("date")),
        text=text,
        html=html,
        attachments=attachments,
        headers=headers,
        auth_results=auth_results,
        body_hash=hasher.hexdigest(),
        size=size,
        cc_addrs=cc_addrs,
        content_type=_safe_ctype(msg),
        part_types=walker.part_types,
        defects=defects,
        truncated=truncated,
    )


def new_text(parsed: ParsedMail) -> str:
    """What the sender wrote in this mail, without quoted history and signatures."""
    from mailroom.quotes import strip_quoted

    return strip_quoted(parsed.text, html=parsed.html)
