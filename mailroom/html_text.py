"""HTML mail bodies to readable text, keeping line structure and marking quotes.

Why hand-written on ``html.parser``: mail HTML is Word- and webmail-generated tag soup; what matters
is that line breaks survive (``<br>``, blocks), quoted ``<blockquote>`` content gets ``>`` prefixes
and the reply headers of known mail programs can be marked, so that quote stripping
(``mailroom.quotes``) works the same on HTML-only mail as on plain text. Pure; no I/O.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["QUOTE_MARK", "html_to_text"]

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
