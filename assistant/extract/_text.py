"""Text helpers shared by the extractors.

`fold()` lower-cases a message and strips diacritics (``ñ`` -> ``n``, ``ä`` -> ``a``, ``ß`` -> ``ss``),
keeping a map from every folded character back to the original character index, so that extractors
can work on one simple alphabet and still report the original spans they used.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Folded", "fold", "fold_str"]

_PUNCT_MAP = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",
    "\u00ba": "o", "\u00aa": "a",
    "\u00df": "ss", "\u1e9e": "ss",
    "\u00bf": " ", "\u00a1": " ",
}

_FOLD_CACHE: dict[str, str] = {}


def _fold_char(ch: str) -> str:
    got = _FOLD_CACHE.get(ch)
    if got is not None:
        return got
    if ch in _PUNCT_MAP:
        rep = _PUNCT_MAP[ch]
    elif ch.isascii():
        rep = ch.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", ch)
        rep = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
        if ch in "äöüÄÖÜ":  # keep the single letter; "ae" spellings are handled by vocabularies
            rep = rep[:1]
    if len(_FOLD_CACHE) < 4096:
        _FOLD_CACHE[ch] = rep
    return rep


@dataclass
class Folded:
    """A folded copy of ``original`` with ``index[i]`` = original index of folded char ``i``."""

    original: str
    text: str
    index: list[int]

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            i = self.index[start] if start < len(self.index) else len(self.original)
            return i, i
        return self.index[start], self.index[end - 1] + 1

    def orig(self, start: int, end: int) -> str:
        a, b = self.orig_span(start, end)
        return self.original[a:b]

    def replace(self, start: int, end: int, new: str) -> "Folded":
        """Return a copy with folded ``[start:end)`` replaced by ``new`` (index mapped to the old span)."""
        if start >= end:
            return self
        span = self.index[start:end]
        if len(new) == end - start:
            new_index = span
        else:
            new_index = [span[min(j, len(span) - 1)] for j in range(len(new))]
        return Folded(self.original, self.text[:start] + new + self.text[end:],
                      self.index[:start] + new_index + self.index[end:])

    def blank(self, start: int, end: int) -> "Folded":
        """Replace ``[start:end)`` by spaces (same length)."""
        return Folded(self.original, self.text[:start] + " " * (end - start) + self.text[end:], self.index)


def fold(text: str) -> Folded:
    out: list[str] = []
    idx: list[int] = []
    for i, ch in enumerate(text):
        rep = _fold_char(ch)
        for c in rep:
            out.append(c)
            idx.append(i)
    return Folded(text, "".join(out), idx)


def fold_str(text: str) -> str:
    return "".join(_fold_char(ch) for ch in text)


WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)?")


def words(folded_text: str) -> list[str]:
    return WORD_RE.findall(folded_text)


def osa_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions)."""
    try:
        from rapidfuzz.distance import OSA  # type: ignore

        return OSA.distance(a, b, score_cutoff=limit)
    except Exception:  # pragma: no cover - rapidfuzz missing
        la, lb = len(a), len(b)
        if abs(la - lb) > limit:
            return limit + 1
        prev2: list[int] = []
        prev = list(range(lb + 1))
        for i in range(1, la + 1):
            cur = [i] + [0] * lb
            for j in range(1, lb + 1):
                cost = 0 if a[i - 1] == b[j - 1] else 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                    cur[j] = min(cur[j], prev2[j - 2] + 1)
            prev2, prev = prev, cur
        return min(prev[lb], limit + 1)
