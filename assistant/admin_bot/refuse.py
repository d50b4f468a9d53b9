"""Deciding in code what the bot will not answer, and saying what it can answer instead.

Why code: even a 1.5B model almost never says "I can't answer that" on its own (DESIGN.md), and a
made-up figure is worse than no answer. Three kinds of refusal, checked before any query runs:

* a request to **change** data (delete, cancel, mark as paid, update, send...) or **raw SQL** — the bot
  only reads, so it refuses and nothing is touched;
* a question about something the database does **not record** (profit and expenses, reviews, social
  media, weather, forecasts...);
* a question no query in the catalogue matches (decided by the router; the text comes from here).
"""
from __future__ import annotations

import re
from typing import Optional

CAPABILITIES = (
    "revenue and money received for any period (\"revenue in October\"), revenue by service or month, "
    "average booking value, outstanding balances and unpaid deposits; booking counts, cancellations and "
    "no-shows; top clients and the repeat-client rate; busiest weekdays and hours; add-on popularity, "
    "lead time and chat-to-booking conversion; the schedule (\"what's on next week\", \"next shoot\") and "
    "open gaps; and a client's contact details, bookings, spend and tags, or clients by tag such as VIP"
)

_LEAD = r"^(?:(?:hey|hi|ok|okay|so|now|and)[,\s]+)?(?:please\s+|pls\s+|can you\s+|could you\s+|would you\s+|will you\s+|" \
        r"i want (?:you )?to\s+|i'd like (?:you )?to\s+|i need (?:you )?to\s+|go ahead and\s+|let's\s+|just\s+)*"
_WRITE_VERBS = (r"delete|remove|erase|wipe|purge|drop|truncate|cancel|decline|approve|confirm|reschedule|move|"
                r"update|change|edit|modify|set|rename|merge|mark|flag|tag|untag|refund|charge|bill|invoice|"
                r"send|e-?mail(?!\s+(?:address|addresses|of|for)\b)|text|message|remind|notify|book|create|insert|"
                r"add|record|log|reset|clear|block|unblock|archive|restore|pay|void|assign|apply|raise|lower|discount")
_WRITE_START = re.compile(_LEAD + rf"(?:{_WRITE_VERBS})\b")
_WRITE_ANYWHERE = [
    re.compile(p) for p in (
        r"\bmark\b.*\bas\s+(?:paid|unpaid|completed|done|cancelled|canceled|no[- ]show|vip)\b",
        r"\b(?:cancel|delete|remove|refund|decline|approve|confirm)\s+(?:booking|appointment|session|invoice|"
        r"payment|client)s?\s*(?:#|no\.?|number)?\s*\d+",
        r"\b(?:cancel|delete|remove|erase|wipe)\s+(?:all|every|everything)\b",
        r"\b(?:cancel|delete|remove|refund|decline|approve|confirm)\s+(?:\w+'s|her|his|their|the|my)\s+"
        r"(?:booking|session|appointment|payment|deposit|invoice|client|record)s?\b",
        r"\bchange\s+(?:the\s+)?(?:price|status|date|time|email|phone|name)\b",
        r"\bgive\s+\w+\s+(?:a\s+)?(?:discount|refund)\b",
        r"\bcan (?:you|i) (?:delete|remove|cancel|update|change|edit|refund|mark|move|reschedule|send)\b",
    )
]
_SQL = re.compile("|".join((
    r"^\s*(?:pragma|attach|detach|vacuum)\b", r"^\s*with\s+\w+\s+as\s*\(",
    r";\s*(?:select|drop|delete|update|insert|alter|create|attach|pragma)\b", r"\bunion\s+(?:all\s+)?select\b",
    r"\bselect\s+(?:\*|distinct\b|count\s*\(|sum\s*\(|avg\s*\(|[\w.]+\s*,\s*[\w.]+)",
    r"\bselect\s+[\w.*]+\s+from\s+[\w.]+\s*(?:where\b|;|$|limit\b|order\b|group\b|join\b)",
    r"\bsqlite_master\b|\bpg_catalog\b|\binformation_schema\b", r"\b(?:drop|alter|truncate)\s+table\b",
    r"\bcreate\s+(?:table|index|view|trigger|role|user)\b", r"\binsert\s+into\b|\bdelete\s+from\b",
    r"\bupdate\s+\w+\s+set\b", r"--\s*$|/\*",
)), re.I)

#: Things the studio's database does not record: (pattern, what to say).
_NOT_RECORDED: tuple[tuple[str, str], ...] = (
    (r"\b(profit|profits|profitable|margin|margins|net income|earnings after|expenses?|(?:my|our|total|running|operating|studio) costs?|overheads?|rent|"
     r"salar(?:y|ies)|wages?|(?:did|do|have) (?:i|we) spen[dt]|my spending|tax bill|taxes owed|payroll)\b",
     "Expenses and costs are not recorded (so neither is profit)"),
    (r"\b(followers?|likes|instagram account|instagram posts?|posts?|website (?:visits|visitors|traffic)|"
     r"page ?views|visitors?|traffic|seo|ads?|advert\w*|campaigns?|clicks?|impressions)\b",
     "Social media, website and advertising figures are not in the studio's database"),
    (r"\b(reviews?|ratings?|rated|stars?|satisf\w*|happ(?:y|iest)|nps|testimonials?|complain\w*)\b",
     "Reviews and client satisfaction are not recorded"),
    (r"\b(weather|rain|sunny|forecast\w*|predict\w*|projection|project(?:ed)?|will (?:i|we) (?:make|earn|get)|"
     r"expect(?:ed)? (?:to )?(?:make|earn|revenue)|next year's revenue estimate|estimate\w*)\b",
     "I only report what is recorded; I don't forecast or predict"),
    (r"\b(cameras?|lens(?:es)?|gear|equipment|mileage|miles|kilomet\w*|drive|drove|driving|fuel|gas)\b",
     "Equipment and travel are not recorded"),
    (r"\b(birthdays?|birth ?date|age|how old|home address|(?<!email )(?<!e-mail )(?<!mail )address(?:es)?|lives?|living|married|husband|wife|kids' names|"
     r"children's names|social security|ssn|password|credit card|card number)\b",
     "I only know clients' names, email addresses, phone numbers, tags, notes and bookings"),
    (r"\b(hours? (?:did|have) (?:i|we) (?:spend|spent|work\w*)|editing time|time spent editing|hours worked|"
     r"overtime|timesheet)\b",
     "Working and editing time are not recorded"),
    (r"\b(why|should i|should we|what if|advice|recommend|suggest|improve|strategy|opinion|best way|meaning of life|"
     r"poem|joke|story|write me|translate|president|capital of|who won)\b",
     "I answer factual questions from the studio's records, not advice, opinions or general knowledge"),
    (r"\b(competitors?|market share|industry average|other studios?)\b",
     "Only this studio's own records are available"),
)


def write_request(question: str) -> bool:
    """True when the question asks to change something (or carries SQL); the bot never does."""
    text = question.strip().lower()
    if _SQL.search(text):
        return True
    if _WRITE_START.search(text):
        return True
    return any(p.search(text) for p in _WRITE_ANYWHERE)


def is_sql(question: str) -> bool:
    return bool(_SQL.search(question.strip().lower()))


def not_recorded(question: str) -> Optional[str]:
    """The reason a question asks for something the database does not hold, or None."""
    text = question.strip().lower()
    for pattern, reason in _NOT_RECORDED:
        if re.search(pattern, text):
            return reason
    return None


def write_refusal(question: str) -> str:
    if is_sql(question):
        return ("I don't run SQL or database commands typed into a question; I only answer questions in words, "
                "read-only. Nothing was changed. I can answer: " + CAPABILITIES + ".")
    return ("I can only read the studio's records, never change them, so I did not do that and nothing was "
            "changed. Use the admin console to make changes. I can answer questions about: " + CAPABILITIES + ".")


def unanswerable(reason: Optional[str] = None) -> str:
    lead = f"{reason}: I can't answer that from the studio's records." if reason else "I can't answer that from the studio's records."
    return f"{lead} I can answer questions about: {CAPABILITIES}."
