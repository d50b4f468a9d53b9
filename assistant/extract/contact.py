"""E-mail address, phone number, name and verification-code extraction.

* ``extract_email`` - first address (lower-cased), also "name [at] domain [dot] com".
* ``extract_phone`` - US and international numbers, normalised to ``+<digits>`` when the country is
  known (``+`` or ``00`` prefix, 10-digit NANP numbers, 11 digits starting with 1, national numbers
  starting with 0 when ``default_country`` is not "1"); otherwise the bare digits. Dates, times,
  prices and verification codes are not phone numbers.
* ``extract_name`` - from cues ("my name is", "I'm", "it's", "this is", "me llamo", "soy",
  "ich heiße", "mein Name ist", "ich bin", "Name:"), a name right before an e-mail address
  ("Sam Ortiz, sam@...", also in any case after a cue or as the whole clause: "im marcus reed, marcus@...",
  "WALT KRAMER, walt@...", "We're Emma and Luis Ortega, emma@..."), "Dana here", and e-mail sign-offs ("Thanks,\\nLena Fischer", a lone last
  line "Priya"). Weak cues ("I'm", "it's", "soy", "ich bin") need capitalised words and reject
  ordinary words ("I'm looking", "I'm Free", "it's Friday").
* ``extract_verification_code`` - a 4-8 digit code after "code"/"código"/"Code"/"PIN", or a message
  that is only the code.
"""

from __future__ import annotations

import re
import unicodedata

from ._text import fold_str

__all__ = ["extract_email", "extract_emails", "extract_phone", "extract_name", "extract_verification_code"]

_EMAIL_RE = re.compile(r"(?<![\w.+\-])[A-Za-z0-9][A-Za-z0-9._%+\-']*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
                       r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![\w\-])")
_OBFUSCATED_RE = re.compile(
    r"\b([A-Za-z0-9._%+\-]+)\s*(?:\(at\)|\[at\]|\{at\}|\s+at\s+)\s*([A-Za-z0-9\-]+(?:\s*(?:\(dot\)|\[dot\]|\s+dot\s+|\.)\s*[A-Za-z0-9\-]+)*)"
    r"\s*(?:\(dot\)|\[dot\]|\s+dot\s+)\s*([A-Za-z]{2,6})\b", re.I)


def extract_emails(text: str) -> list[str]:
    if not text:
        return []
    out: list[str] = []
    for m in _EMAIL_RE.finditer(text):
        e = m.group(0).strip(".'").lower()
        if e not in out:
            out.append(e)
    if not out:
        for m in _OBFUSCATED_RE.finditer(text):
            domain = re.sub(r"\s*(?:\(dot\)|\[dot\]|\s+dot\s+|\.)\s*", ".", m[2], flags=re.I)
            e = f"{m[1]}@{domain}.{m[3]}".lower()
            if e not in out:
                out.append(e)
    return out


def extract_email(text: str) -> str | None:
    """First e-mail address in the text, lower-cased."""
    found = extract_emails(text)
    return found[0] if found else None


# --------------------------------------------------------------------------------------------------
# Phone
# --------------------------------------------------------------------------------------------------

_PHONE_CAND = re.compile(r"(?<![\w$€£.:/])(?:\+|00)?\(?\d[\d\s().\-/]{5,}\d(?![\w:/])")
_DATE_LIKE = re.compile(r"^\s*(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{1,2}[/.]\d{1,2})\s*$")


def _phone_candidates(text: str) -> list[tuple[str, str]]:
    out = []
    for m in _PHONE_CAND.finditer(text):
        raw = m.group(0).strip()
        # cut trailing separators (a candidate may swallow "... 0188 - " etc.)
        raw = raw.rstrip(" -./(")
        digits = re.sub(r"\D", "", raw)
        if _DATE_LIKE.match(raw):
            continue
        plus = raw.startswith("+") or raw.startswith("00")
        if not 7 <= len(digits) <= 15:
            continue
        body = raw.lstrip("+")
        groups = [g for g in re.split(r"[\s().\-/]+", body) if g]
        if len(groups) == 1 and not plus and len(digits) < 10:
            continue  # a bare 7-9 digit number: a code or an id, not a phone
        if not plus and any(len(g) < 2 for g in groups[1:]):
            continue
        if not plus and len(groups) > 1 and len(groups[0]) == 1 and groups[0] != "1":
            continue
        before = text[max(0, m.start() - 20):m.start()].lower()
        if re.search(r"(?:code|c[oó]digo|pin|otp|zip|order|invoice|#)\W*$", before):
            continue
        out.append((raw, digits))
    return out


def extract_phone(text: str, default_country: str = "1") -> str | None:
    """First phone number, normalised (see module doc)."""
    if not text:
        return None
    for raw, digits in _phone_candidates(text):
        if raw.startswith("+"):
            return "+" + digits
        if raw.startswith("00"):
            return "+" + digits[2:]
        if default_country == "1":
            if len(digits) == 10 and digits[0] not in "01":
                return "+1" + digits
            if len(digits) == 11 and digits[0] == "1":
                return "+" + digits
        elif digits.startswith("0") and not digits.startswith("00"):
            return "+" + default_country + digits[1:]
        return digits
    return None


# --------------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------------

_UP = "A-ZÀ-ÖØ-ÞĀ-Ž"
_LO = "a-zß-öø-ÿā-ž"
_CAP_WORD = rf"(?:[{_UP}]\.|[{_UP}][{_LO}]*(?:['’][{_UP}]?[{_LO}]+)?(?:-[{_UP}]?[{_LO}]+(?:['’][{_UP}]?[{_LO}]+)?)*)"
_ANY_WORD = rf"(?:[{_UP}]\.|[{_UP}{_LO}][{_LO}{_UP}'’]*(?:-[{_UP}{_LO}][{_LO}'’]+)*)"
_PARTICLE = r"(?:de|del|de\s+la|la|van|von|der|den|da|di|du|dos|das|le|y|bin|al|ter|zu|mc)"
_CAP_NAME = rf"{_CAP_WORD}(?:\s+(?:{_PARTICLE}\s+){{0,2}}{_CAP_WORD}){{0,3}}"
_ANY_NAME = rf"{_ANY_WORD}(?:\s+(?:{_PARTICLE}\s+){{0,2}}{_ANY_WORD}){{0,3}}"

_NON_NAMES = set("""
looking free interested available not so very a an the getting trying planning wondering writing reaching
hoping sorry happy good fine ok okay here back new on in at from just also still currently going glad
excited thinking booked busy ready sure afraid calling contacting emailing texting booking your with after
now based local pregnant engaged married wanting keen flexible out away traveling travelling unavailable
unable able buscando interesado interesada libre disponible nuevo nueva cliente de muy una un el la
fotografo fotografa hier neu interessiert auf leider gerade verfugbar frei kunde kundin am im ein eine
yes no yeah yep nope thanks thank hi hello hey hola hallo dear best regards cheers sincerely kind warm
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december today tomorrow tonight morning afternoon evening
a photographer the owner maya admin administrator assistant bot human customer client
it its this that there they we i me my our you he she what which who how why when where
great perfect awesome cool nice lovely wonderful amazing confirm confirmed book please pls
gracias danke merci saludos grusse gruss viele liebe beste herzliche mit freundlichen vielen
also and or but to for of by as if then than too really actually probably maybe hopefully
wedding portrait family branding headshots headshot session photo photos studio
coming done finished late early sick ill tired stuck confused curious checking following asking
gonna wanna need want like love would could should will can may might must shall
about around over under between into through during without within
aqui soy mi tu su es esta estoy ich bin ist mein meine wir sie du er es das der die
fotografin fotograf lehrerin lehrer mutter vater student studentin unternehmerin unternehmer kundin
braut brautigam selbststandig anfang ende mitte mama papa mom dad mum bride groom fotografo madre padre
novia novio estudiante profesora profesor
und oder y e o email e-mail mail correo telefon telephone phone number numero nummer handy cell mobile
on off up down just only still even almost already
""".split())
_NON_NAMES |= {"what's", "that's", "there's", "here's", "let's", "i'll", "i'd", "we're", "you're"}

_STRONG_CUES = re.compile(
    r"(?:\bmy\s+name\s+is|\bmy\s+name's|\bname\s*:|\bthe\s+name\s+is|\bthe\s+name's|\bfull\s+name\s*:?|"
    r"\bme\s+llamo|\bmi\s+nombre\s+es|\bnombre\s*:|\bich\s+hei(?:ß|ss)e|\bmein\s+name\s+ist|\bmein\s+name\s+lautet|"
    r"\bi\s+am\s+called|\bi'm\s+called|\bmy\s+full\s+name\s+is)\s+", re.I)
_WEAK_CUES = re.compile(
    r"(?:\bi'm|\bi’m|\bi\s+am|\bim|\bit's|\bit’s|\bits|\bthis\s+is|\bhere\s+is|\bsoy|\bich\s+bin|\bhier\s+ist|"
    r"\bhier\s+spricht|\bspeaking\s+is|\bcall\s+me|\baqu[ií]\s+(?:es|habla))\s+", re.I)
_SIGNOFFS = {
    "thanks", "thank you", "thanks so much", "thank you so much", "many thanks", "thanks a lot", "thx", "ty",
    "cheers", "best", "best regards", "best wishes", "regards", "kind regards", "warm regards", "warmly",
    "all the best", "sincerely", "yours", "yours truly", "take care", "talk soon", "see you", "xo", "xx",
    "saludos", "un saludo", "saludos cordiales", "gracias", "muchas gracias", "atentamente", "cordialmente",
    "un abrazo", "abrazos", "besos", "viele grusse", "liebe grusse", "lg", "vg", "mfg", "mit freundlichen grussen",
    "beste grusse", "herzliche grusse", "danke", "vielen dank", "gruss", "grusse", "schone grusse",
    "viele gruse", "liebe gruse", "freundliche grusse", "bis bald", "hasta pronto",
}
_QUOTE_START = re.compile(
    r"^(?:On\s.+wrote:|El\s.+escribi[oó]:|Am\s.+schrieb.*:|-{2,}\s*Original Message\s*-{2,}|-{2,}\s*Urspr[üu]ngliche Nachricht|"
    r"From:\s|Von:\s|De:\s|Sent from my|Enviado desde|Von meinem)", re.I | re.M)


def _tidy_name(raw: str) -> str | None:
    raw = re.sub(r"\s+", " ", raw).strip(" ,.;:!?-'’")
    if not raw:
        return None
    words = raw.split(" ")
    # cut at the first word that is clearly not part of a name
    kept: list[str] = []
    for w in words:
        fw = fold_str(w).strip(".,")
        initial = bool(re.fullmatch(r"\w\.", w))
        if kept and (fw in _NON_NAMES and not re.fullmatch(_PARTICLE, fw)) and not initial:
            break
        if not kept and fw in _NON_NAMES and not initial:
            return None
        kept.append(w)
    while kept and re.fullmatch(_PARTICLE, fold_str(kept[-1])):
        kept.pop()
    if not kept:
        return None
    name = " ".join(kept)
    if any(ch.isdigit() for ch in name) or "@" in name:
        return None
    if name.islower() or name.isupper():
        name = " ".join(w if re.fullmatch(_PARTICLE, w.lower()) and i else w[:1].upper() + w[1:].lower()
                        for i, w in enumerate(name.split(" ")))
    return name.strip(" .")


def _strip_quoted(text: str) -> str:
    m = _QUOTE_START.search(text)
    if m:
        text = text[:m.start()]
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))


def _is_cap_name(s: str) -> bool:
    return bool(re.fullmatch(_CAP_NAME, s.strip())) and not any(
        fold_str(w).strip(".") in _NON_NAMES and not re.fullmatch(_PARTICLE, w) and not re.fullmatch(r"\w\.", w)
        for w in s.split()) \
        and not re.search(r"['’]s\b", s)


_CLAUSE_CUE = re.compile(
    r"^(?:(?:hi|hello|hey|hola|hallo)[,!]?\s+)?(?P<cue>(?:i'?m|i’m|im|i\s+am|we'?re|we’re|we\s+are|this\s+is|it'?s|its|"
    r"my\s+name\s+is|our\s+names\s+are|soy|somos|me\s+llamo|ich\s+bin|wir\s+sind|ich\s+hei(?:ß|ss)e)\s+)?", re.I)
_CONNECTOR = {"and", "&", "y", "und"}


def _name_clause(before: str) -> str | None:
    """The words that make up the whole last clause before an e-mail address, in any case."""
    clause = re.split(r"[.;!?\n]+\s*", before.strip())[-1].strip()
    clause = re.sub(r"\s*(?:[,\-–:(<]\s*)$", "", clause)
    m = _CLAUSE_CUE.match(clause)
    cue = bool(m and m.group("cue"))
    rest = clause[m.end():] if m else clause
    words = rest.split()
    if not 1 <= len(words) <= 5 or (not cue and len(words) < 2):
        return None
    if not cue and not all(w.isupper() or w[:1].isupper() for w in words if w.lower() not in _CONNECTOR):
        return None  # without a cue, lower-case words are too often something else ("see you friday")
    if words[0].lower() in _CONNECTOR or words[-1].lower() in _CONNECTOR:
        return None
    out: list[str] = []
    for i, w in enumerate(words):
        if w.lower() in _CONNECTOR:
            out.append(w.lower())
            continue
        fw = fold_str(w)
        if not re.fullmatch(rf"[{_UP}{_LO}][{_UP}{_LO}'’\-]*", w) or (fw in _NON_NAMES and not (i and re.fullmatch(_PARTICLE, fw))):
            return None
        out.append(w[:1].upper() + w[1:].lower() if (w.islower() or w.isupper()) else w)
    if sum(1 for w in out if w in _CONNECTOR) > 1:
        return None
    return " ".join(out)


def extract_name(text: str, lang: str | None = None) -> str | None:
    """The client's own name, or None."""
    if not text:
        return None
    text = unicodedata.normalize("NFC", _strip_quoted(text))
    # 1. strong cues: lower-case names are fine ("my name is dana whitfield")
    for m in _STRONG_CUES.finditer(text):
        mm = re.match(_ANY_NAME, text[m.end():])
        if mm:
            name = _tidy_name(mm.group(0))
            if name:
                return name
    # 2. weak cues need capitalised words
    for m in _WEAK_CUES.finditer(text):
        mm = re.match(_CAP_NAME, text[m.end():])
        if not mm:
            continue
        cand = mm.group(0)
        if re.search(r"['’]s\b", cand):
            continue
        first = fold_str(cand.split()[0]).strip(".")
        if first in _NON_NAMES:
            continue
        # "I'm Jordan" at the start of a sentence but "I'm Looking Forward" -> the non-name check above
        name = _tidy_name(cand)
        if name:
            return name
    # 3. "Dana here"
    m = re.search(rf"(?:^|[.!?]\s+|,\s*|\n)({_CAP_NAME})\s+(?:here|aqu[ií]|hier)\b", text)
    if m and _is_cap_name(m[1]):
        return _tidy_name(m[1])
    # 4. name right before an e-mail address or phone ("Sam Ortiz, sam.ortiz@example.net", "Sam <sam@..>")
    for em in _EMAIL_RE.finditer(text):
        before = text[:em.start()]
        mm = re.search(rf"(?:^|[.!?\n]\s*|,\s*|:\s*|\b(?:hi|hello|hey|hola|hallo)[,!]?\s+)({_CAP_NAME})\s*(?:[,\-–:]\s*|\s+|\s*[<(]\s*)$", before)
        if mm and _is_cap_name(mm[1]):
            return _tidy_name(mm[1])
    # 4b. any case right before the e-mail, after a cue or as the whole clause ("im marcus reed, marcus@...",
    #     "WALT KRAMER, walt@...", "We're Emma and Luis Ortega, emma@...")
    for em in _EMAIL_RE.finditer(text):
        name = _name_clause(text[:em.start()])
        if name:
            return name
    # 5. sign-offs
    lines = [ln.strip() for ln in text.splitlines()]
    for i, ln in enumerate(lines):
        fl = fold_str(ln).strip(" ,.!-")
        head, _, rest = ln.partition(",")
        if fl in _SIGNOFFS:
            for nxt in lines[i + 1:i + 3]:
                if not nxt:
                    continue
                cand = nxt.strip(" ,.!-")
                if _is_cap_name(cand) and len(cand.split()) <= 4:
                    return _tidy_name(cand)
                break
        elif fold_str(head).strip(" ,.!-") in _SIGNOFFS and rest.strip():
            cand = rest.strip(" ,.!-")
            if _is_cap_name(cand) and len(cand.split()) <= 4:
                return _tidy_name(cand)
    # 6. a lone last line after a blank line ("...\n\nPriya")
    nonempty = [i for i, ln in enumerate(lines) if ln]
    if len(nonempty) >= 2:
        last = nonempty[-1]
        cand = lines[last].strip(" ,.!-")
        if last > 0 and lines[last - 1] == "" and _is_cap_name(cand) and len(cand.split()) <= 3 \
                and not re.search(r"[^\w\s'’.\-]", cand, re.UNICODE):
            return _tidy_name(cand)
    return None


# --------------------------------------------------------------------------------------------------
# Verification code
# --------------------------------------------------------------------------------------------------

_CODE_CUE = re.compile(
    r"(?:\bcode|\bc[oó]digo|\bpin|\botp|\bverification|\bbest[aä]tigungscode|\bcodigo)\b[^\d\n]{0,25}?(\d(?:[\s-]?\d){3,7})(?!\d)",
    re.I)
_CODE_BEFORE = re.compile(r"(?<![\d+\-])(\d{4,8})\s+(?:is|es|ist)\s+(?:my|the|mi|el|der|mein)\s+(?:code|c[oó]digo)", re.I)
_CODE_ONLY = re.compile(r"^\W*(\d{3,4}[\s-]?\d{1,4})\W*$")


def extract_verification_code(text: str) -> str | None:
    """A 4-8 digit verification code the client typed back."""
    if not text:
        return None
    for rx in (_CODE_CUE, _CODE_BEFORE):
        m = rx.search(text)
        if m:
            digits = re.sub(r"\D", "", m[1])
            if 4 <= len(digits) <= 8:
                return digits
    m = _CODE_ONLY.match(text.strip())
    if m:
        digits = re.sub(r"\D", "", m[1])
        if 4 <= len(digits) <= 8:
            return digits
    return None
