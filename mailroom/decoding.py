"""Bytes to text for mail: charsets that lie, 8-bit header bytes, control characters, format=flowed.

Why lenient: a declared charset is often wrong (mislabelled UTF-8, latin-1 that is really
windows-1252, codecs that are not charsets at all); decoding must never raise, because a stored
mail must always be readable by the owner. Pure functions; no I/O.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["CTRL_RE", "clean_text", "decode_bytes", "fix_surrogates", "unflow"]


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


def fix_surrogates(s: str) -> str:
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


CTRL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(s: str) -> str:
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = CTRL_RE.sub("", s)
    return s.replace("\ufeff", "")


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
