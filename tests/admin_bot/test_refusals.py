"""The bot only reads: change requests and SQL are refused and change nothing; questions about things
the database does not record are refused with what it can answer instead, never with invented figures."""
from __future__ import annotations

import re

import pytest

from assistant.admin_bot.refuse import CAPABILITIES

from .conftest import checksum

WRITES = [
    "cancel booking 3", "Delete Tom Becker", "Please mark Priya's booking as paid", "DROP TABLE bookings;",
    "SELECT * FROM clients", "update clients set phone = '555' where id = 1", "Can you refund Alicia's deposit?",
    "Send Priya a reminder", "Reschedule Priya's session to Friday", "Add a VIP tag to Tom",
    "revenue; DELETE FROM payments", "Change the price of the portrait session to $300",
]


@pytest.mark.parametrize("question", WRITES)
def test_write_requests_are_refused_and_change_nothing(ask, db, question):
    before = checksum(db)
    result = ask(question)
    assert result.refused and result.data == [] and result.query is None
    assert "nothing was changed" in result.answer.lower() or "Nothing was changed" in result.answer
    assert checksum(db) == before


def test_sql_gets_its_own_reason(ask):
    assert ask("DROP TABLE bookings;").answer.startswith(
        "I don't run SQL or database commands typed into a question; I only answer questions in words, read-only.")


@pytest.mark.parametrize("question, reason", [
    ("What was my profit in October?", "Expenses and costs are not recorded (so neither is profit)"),
    ("How many Instagram followers do I have?", "Social media, website and advertising figures are not in the"),
    ("What's our average Google review rating?", "Reviews and client satisfaction are not recorded"),
    ("Predict next year's revenue", "I only report what is recorded; I don't forecast or predict"),
    ("When is Priya's birthday?", "I only know clients' names, email addresses, phone numbers, tags, notes"),
    ("blorp fizzle wub", "I can't answer that from the studio's records."),
])
def test_unanswerable_questions_say_what_can_be_answered(ask, question, reason):
    result = ask(question)
    assert result.refused and result.data == []
    assert result.answer.startswith(reason)
    assert result.answer.endswith(f"I can answer questions about: {CAPABILITIES}.")
    assert not re.search(r"\$\d", result.answer)  # no money figure


def test_reads_that_mention_cancellations_are_not_write_requests(ask):
    result = ask("How many bookings were cancelled last month?")
    assert (result.refused, result.answer) == (False, "0 cancelled bookings for October 2026 (0.0% of 2 bookings in that period).")


def test_an_overlong_question_is_refused(ask):
    assert ask("revenue " * 100).refused
