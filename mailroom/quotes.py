"""Keep only what the sender wrote now: strip quoted history, reply headers and signatures.

Why: a client's reply repeats the studio's mail (with OTHER dates, times and prices). If the
assistant read the quote, "Thursday 3 December at 10:00" from the studio's offer would be taken as
the client's choice. The rules follow how real mail programs lay out replies:

* ``>``-prefixed quotes with an attribution line ("On ... wrote:", "Am ... schrieb ...:",
  "Le ... a écrit :", "El ... escribió:"; Gmail wraps it over two lines) -- top-posted (Gmail,
  Apple Mail, iPhone) or bottom-posted/interleaved (Thunderbird): quoted lines are removed wherever
  they are, the text around them is kept;
* unprefixed quotes below a reply header block ("From:/Sent:/To:/Subject:" in several languages,
  Outlook, Outlook mobile, OWA, Yahoo) or a separator ("-----Original Message-----",
  "-----Ursprüngliche Nachricht-----", an underscore rule): everything from there on is cut;
* the "-- " signature separator and mobile signatures ("Sent from my iPhone", "Von meinem iPhone
  gesendet", "Get Outlook for iOS", ...).

Pure functions; no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from mailroom.html_text import QUOTE_MARK, html_to_text

if TYPE_CHECKING:
    from mailroom.parsing import ParsedMail

__all__ = ["new_text", "strip_quoted", "strip_quoted_text", "is_mobile_signature"]

_WS = r"[ \t\u00a0\u202f]"

# ---- reply header blocks (Outlook & co.) -----------------------------------------------------
_LABELS: dict[str, str] = {
    "from": r"from|von|de|van|da|od|fr[åa]n|fra|l[äa]hett[äa]j[äa]|felad[óo]|от|差出人|发件人|寄件者|afzender|remitente|exp[ée]diteur|mittente",
    "date": r"sent|date|dato|gesendet|datum|envoy[ée]|enviado|fecha|data|verzonden|skickat|sendt|inviato|wys[łl]ano|l[äa]hetetty|d[áa]tum|отправлено|дата|送信日時|发送时间|日期|sent at",
    "to": r"to|an|[àa]|para|aan|till|til|do|vastaanottaja|c[íi]mzett|кому|宛先|收件人",
    "cc": r"cc|kopie|copie|cco|bcc|kopia|kopio|копия|抄送",
    "subject": r"subject|betreff|objet|asunto|oggetto|onderwerp|[äa]mne|emne|assunto|temat|aihe|t[áa]rgy|тема|件名|主题|主旨",
    "reply": r"reply-to|antwort an|r[ée]pondre [àa]|responder a",
}
_LABEL_RES = {
    kind: re.compile(rf"^{_WS}*\**{_WS}*(?:{alts}){_WS}*\**{_WS}*[:：]", re.IGNORECASE)
    for kind, alts in _LABELS.items()
}

# ---- separators ------------------------------------------------------------------------------
_SEPARATOR_RE = re.compile(
    r"^\s*[-=_*]{2,}\s*(?:original message|original|ursp?r[üu]ngliche nachricht|message d['’]origine|"
    r"mensaje original|messaggio originale|oorspronkelijk bericht|origin[ae]lt? meddelande|"
    r"originalmeddelelse|oprindelig (?:besked|meddelelse)|opprinnelig (?:melding|beskjed)|ursprungligt meddelande|"
    r"alkuper[äa]inen viesti|oryginalna wiadomo[śs][ćc]|wiadomo[śs][ćc] oryginalna|"
    r"mensagem original|исходное сообщение|forwarded message|weitergeleitete nachricht|"
    r"message transf[ée]r[ée]|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht|"
    r"reply message|reply above this line)\s*[-=_*]{2,}\s*$",
    re.IGNORECASE,
)
_FORWARD_INTRO_RE = re.compile(
    r"^\s*(?:begin forwarded message|anfang der weitergeleiteten nachricht|d[ée]but du message r[ée]exp[ée]di[ée]|"
    r"inicio del mensaje reenviado|inizio messaggio inoltrato|begin doorgestuurd bericht)\s*:\s*$",
    re.IGNORECASE,
)
_RULE_RE = re.compile(r"^\s*(?:_{8,}|-{8,}|={8,}|\*{8,}|—{4,})\s*$")
_SIG_SEP_RE = re.compile(r"^--[ \u00a0]?$")

# ---- attribution lines -------------------------------------------------------------------------
_ATTR_STARTERS_RE = re.compile(
    r"^\s*(?:on|am|le|el|il|il giorno|in data|em|op|den|dne|w dniu|pada|vào|på|dana|в)\s",
    re.IGNORECASE,
)
_ATTR_VERB_RE = re.compile(
    r"(?:\bwrote|\bwrites|\bschrieb|\bschreef|\ba [ée]crit|\bescribi[óo]|\bha scritto|\bscrive|\bescreveu|"
    r"\bskrev|\bskrevet|\bnapisa[łl](?:\(a\)|a)?|\bpisze|\bkirjoitti|\bnapsal(?:\(a\))?|\b[íi]rta|"
    r"написал[а]?|\bmenulis|đã viết)\b",
    re.IGNORECASE,
)
_GENERIC_ATTR_RE = re.compile(
    r"^.{1,200}(?:\bwrote|\bschrieb|\ba [ée]crit|\bescribi[óo]|\bha scritto|\bescreveu|\bschreef|\bskrev)"
    r"(?:\s+[^:\n]{0,120})?\s*:\s*$",
    re.IGNORECASE,
)
_EMAIL_RE = re.compile(r"[^\s<>()\[\]\"',;:]+@[^\s<>()\[\]\"',;:]+\.[^\s<>()\[\]\"',;:]+")
#: Zoho and some webmails: "---- On Wed, 24 Feb 2021 14:02:50 +0530 john@example.com wrote ----"
_DASHED_ATTR_RE = re.compile(r"^\s*-{2,}\s*(?P<inner>.{5,300}?)\s*-{2,}\s*$")


def _is_attribution_text(text: str, *, strict: bool, single_line: bool) -> bool:
    """Does this (joined) text read like "On <date>, <name> <address> wrote:" in some language?

    Accepted: a known starter word ("On", "Am", "Le", "El", "Em", "Il giorno", ...) with a reply verb;
    or, whatever the first word (Finnish "pe 20. lokakuuta ...", Gmail-Android's "Name <addr>
    schrieb am ...", Russian "ср, 30 апр. 2025 г. в 15:19, Name <addr>:"), an address plus a date-ish
    digit plus a reply verb or a closing ">:". ``strict`` (no '>' quote follows) demands a digit or an
    address, so prose like "My partner wrote:" is never cut.
    """
    t = text.rstrip()
    if not t.endswith((":", "：")):
        return False
    starts = bool(_ATTR_STARTERS_RE.match(t))
    verb = bool(_ATTR_VERB_RE.search(t))
    addr = bool(_EMAIL_RE.search(t))
    digit = bool(re.search(r"\d", t))
    if starts and verb and (digit or addr or not strict):
        return True
    if addr and digit and (verb or re.search(r"[>)\]]\s*[:：]$", t)):
        return True
    return not strict and single_line and bool(_GENERIC_ATTR_RE.match(t))


# ---- mobile signatures -------------------------------------------------------------------------
_DEVICE = (
    r"iphone|ipad|ipod|android|samsung|galaxy|blackberry|mobile|mobil|phone|smartphone|handy|m[óo]vil|"
    r"tel[ée]fono|telefone|celular|portable|tablet|huawei|xiaomi|pixel|oneplus|nokia|motorola|fairphone|"
    r"appareil|outlook|yahoo|mail|e-mail|email|gmail|aol|proton ?mail|spark|airmail|bluemail|gmx|web\.de|"
    r"t-online|windows|ios|watch|courriel|correo|posta|thunderbird|mailbird|newton|edison|superhuman|"
    r"fastmail|zoho|tutanota|tuta"
)
_DEVICE_RE = re.compile(rf"(?:{_DEVICE})", re.IGNORECASE)
_MOBILE_RES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^sent (?:from|with|via|using|by|on) .{1,60}$",
        r"^(?:get|download) (?:the )?(?:outlook|yahoo mail|gmail)(?: app)? (?:for|on) (?:ios|android|iphone|ipad|mac|windows)$",
        r"^(?:t[ée]l[ée]charger|obtenir|descargar|obtener|scarica|baixe|baixar) (?:l'application )?outlook "
        r"(?:pour|para|per) (?:ios|android)$",
        r"^outlook f[üu]r (?:ios|android) (?:herunterladen|beziehen)$",
        r"^von mein(?:em)? .{1,50} gesendet\.?$",
        r"^gesendet (?:von|mit|vom|über|aus) .{1,50}$",
        r"^von .{1,40} (?:für|for) \w+ gesendet\.?$",
        r"^(?:outlook|mail) für (?:ios|android) beziehen$",
        r"^enviado (?:desde|con|a trav[ée]s de|do|de|via) .{1,50}$",
        r"^obt(?:ener|enha|enir) (?:o )?outlook (?:para|pour) (?:ios|android)$",
        r"^envoy[ée] (?:de|depuis|[àa] partir de|avec|via|par|du) .{1,50}$",
        r"^inviato (?:da|dal|dalla|con) .{1,40}$",
        r"^(?:verzonden|verstuurd) (?:met|vanaf|van|via|from) .{1,40}$",
        r"^(?:skickat|skickad) (?:från|fr[åa]n min) .{1,40}$",
        r"^sendt fra .{1,40}$",
        r"^wys[łl]ane z .{1,40}$",
        r"^l[äa]hetetty .{1,40}$",
        r"^odesl[áa]no z .{1,40}$",
    )
]
_URL_TAIL_RE = re.compile(r"\s*(?:<\s*https?://[^>]*>|\(\s*https?://[^)]*\)|\[\s*https?://[^\]]*\])\s*")

_ZERO_WIDTH_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def _is_quoted(line: str) -> bool:
    return line.lstrip(" \t").startswith(">")


def _blank(line: str) -> bool:
    return not line.strip(" \t\u00a0\u202f\u3000")


def is_mobile_signature(line: str) -> bool:
    """True for a full line like "Sent from my iPhone" / "Von meinem iPhone gesendet" / "Get Outlook for iOS"."""
    s = _URL_TAIL_RE.sub(" ", line).strip(" \t\u00a0*_").rstrip(".!").strip()
    if not s or len(s) > 90:
        return False
    for rx in _MOBILE_RES:
        if rx.match(s):
            return bool(_DEVICE_RE.search(s))
    return False


def _label_kind(line: str) -> str | None:
    for kind, rx in _LABEL_RES.items():
        if rx.match(line):
            return kind
    return None


def _header_block_at(lines: list[str], i: int) -> bool:
    """A reply header block (From/Sent/To/Subject in any common language) starts at line ``i``."""
    first = _label_kind(lines[i])
    if first is None:
        return False
    kinds = {first}
    blanks = 0
    for j in range(i + 1, min(len(lines), i + 10)):
        line = lines[j]
        if _blank(line):
            blanks += 1
            if blanks > 1:
                break
            continue
        blanks = 0
        kind = _label_kind(line)
        if kind:
            kinds.add(kind)
    if len(kinds) >= 3 and ("from" in kinds or {"date", "subject"} <= kinds):
        return True
    # two-line variants ("From: x" + "Sent: y") directly under a rule or separator
    if len(kinds) >= 2 and "from" in kinds and i > 0:
        prev = next((lines[k] for k in range(i - 1, -1, -1) if not _blank(lines[k])), "")
        if _RULE_RE.match(prev) or _SEPARATOR_RE.match(prev):
            return True
    return False


def _joined(lines: list[str], i: int, k: int) -> str | None:
    chunk = lines[i : i + k]
    if len(chunk) < k or any(_blank(x) or _is_quoted(x) for x in chunk):
        return None
    return " ".join(x.strip() for x in chunk)


def _attribution_len(lines: list[str], i: int, *, strict: bool) -> int:
    """Number of lines (1-3) forming an attribution line that starts at ``i``, or 0.

    ``strict`` (used when no quoted block follows): see ``_is_attribution_text``.
    """
    first = lines[i]
    if _blank(first) or _is_quoted(first):
        return 0
    for k in (1, 2, 3):
        text = _joined(lines, i, k)
        if text is None or len(text) > 400:
            return 0
        if k > 1:
            # a wrapped attribution: the first line does not end a sentence, later lines do not start one
            # ("23." or "So." end German dates and abbreviations, not sentences)
            if re.search(r"(?:[^\W\d_]{4,}[.]|[!?:])$", first.rstrip()):
                return 0
            if any(_ATTR_STARTERS_RE.match(x) for x in lines[i + 1 : i + k]):
                return 0
        if _is_attribution_text(text, strict=strict, single_line=k == 1):
            return k
    return 0


def _next_nonblank(lines: list[str], j: int) -> int | None:
    while j < len(lines):
        if not _blank(lines[j]):
            return j
        j += 1
    return None


def _cut_index(lines: list[str]) -> tuple[int, bool]:
    """Index where unprefixed quoted history (or the signature) begins; and whether it was a quote."""
    for i, line in enumerate(lines):
        if _is_quoted(line) or _blank(line):
            continue
        stripped = line.strip()
        if stripped == QUOTE_MARK:
            return i, True
        if _SEPARATOR_RE.match(line) or _FORWARD_INTRO_RE.match(line):
            return i, True
        dashed = _DASHED_ATTR_RE.match(line)
        if dashed and _is_attribution_text(dashed.group("inner") + ":", strict=True, single_line=True):
            return i, True
        if _header_block_at(lines, i):
            return i, True
        if _SIG_SEP_RE.match(line):
            return i, False
        k = _attribution_len(lines, i, strict=True)
        if k:
            nxt = _next_nonblank(lines, i + k)
            if nxt is None or not _is_quoted(lines[nxt]):
                return i, True
    return len(lines), False


def _normalise(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH_RE.sub("", text)
    return [line.rstrip(" \t") if line not in ("-- ",) else line for line in text.split("\n")]


def strip_quoted_text(text: str) -> tuple[str, bool]:
    """Strip a plain-text body; returns ``(new_text, found_quote)``."""
    lines = _normalise(text)
    cut, found = _cut_index(lines)
    if cut < len(lines):
        # the separator / rule / spacer lines right above the cut belong to the quote
        j = cut
        while j > 0 and (_blank(lines[j - 1]) or _RULE_RE.match(lines[j - 1]) or _SEPARATOR_RE.match(lines[j - 1])):
            j -= 1
        lines = lines[:j]
    out: list[str] = []
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if _is_quoted(line):
            found = True
            i += 1
            continue
        k = _attribution_len(lines, i, strict=False)
        if k:
            nxt = _next_nonblank(lines, i + k)
            if nxt is not None and _is_quoted(lines[nxt]):
                found = True
                i += k
                continue
        if is_mobile_signature(line):
            i += 1
            continue
        out.append(line.replace("\u00a0", " ").rstrip())
        i += 1
    # trailing rules (an underscore line left above a removed quote) and blank lines
    while out and (_blank(out[-1]) or _RULE_RE.match(out[-1])):
        out.pop()
    while out and _blank(out[0]):
        out.pop(0)
    result = "\n".join(out)
    result = re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", result)
    return result, found


def strip_quoted(text: str, html: str | None = None) -> str:
    """Only what the sender wrote now (quoted history and signatures removed).

    ``text`` is the plain body (for HTML-only mail: the HTML converted to text). ``html``, when
    given, is used as a second opinion: its structure (Outlook's reply header ``div``, Gmail's
    ``blockquote``) locates a quote that the plain text does not show.
    """
    result, found = strip_quoted_text(text or "")
    if html and not found:
        try:
            html_result, html_found = strip_quoted_text(html_to_text(html, mark_quotes=True))
        except Exception:  # pragma: no cover - html_to_text never raises, but stay safe
            html_result, html_found = "", False
        if html_found and html_result.strip():
            return html_result
    return result


def new_text(parsed: ParsedMail) -> str:
    """What the sender wrote in this mail, without quoted history and signatures."""
    return strip_quoted(parsed.text, html=parsed.html)
