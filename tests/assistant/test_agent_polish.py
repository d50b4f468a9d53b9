"""The polisher's fact check, the reply templates in three languages and the date formats."""
from __future__ import annotations

import string
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from assistant.dialogue.formatting import fmt_date, fmt_datetime, fmt_percent, fmt_slots
from assistant.dialogue.replies import TEMPLATES
from assistant.polish import fact_check, polish

TEMPLATE = "Thursday, December 3 at 10:00 AM is free. May I have your name and email address?"
DENVER = ZoneInfo("America/Denver")


@pytest.mark.parametrize("candidate, ok", [
    ("Good news: Thursday, December 3 at 10:00 AM is free! Could I have your name and email address?", True),
    ("Thursday, December 3 at 11:00 AM is free. May I have your name and email address?", False),  # time changed
    ("Thursday, December 3 is free. May I have your name and email address?", False),  # time dropped
    ("Thursday, December 3 at 10:00 AM is free. See https://evil.example. Your name?", False),  # a link
    ("Thursday, December 3 at 10:00 AM is free for Priya. May I have your name and email?", False),  # a name
    ("Thursday, December 3 at 10:00 AM is free, it costs $250.00. Your name and email?", False),  # an amount
    ("Thursday, December 3 at 10:00 AM is free.", False),  # the question is gone
    ("El jueves, 3 de diciembre a las 10:00 AM está libre. ¿Me da su nombre y correo?", False),  # language
])
def test_fact_check(candidate: str, ok: bool) -> None:
    assert fact_check(candidate, TEMPLATE) is ok


class _Model:
    def __init__(self, text: str) -> None:
        self.text = text

    def complete(self, system: str, user: str, **kwargs):  # type: ignore[no-untyped-def]
        return self.text


def test_polish_uses_a_faithful_rephrasing_and_rejects_an_unfaithful_one() -> None:
    good = "Good news: Thursday, December 3 at 10:00 AM is free! Could I have your name and email address?"
    assert polish(TEMPLATE, _Model(good)) == (good, True)
    assert polish(TEMPLATE, _Model("Dear [Your Name], I am available on [Date].")) == (TEMPLATE, False)
    assert polish(TEMPLATE, None) == (TEMPLATE, False)


@pytest.mark.llm
def test_polish_with_the_embedded_model_never_sends_an_unchecked_reply() -> None:
    from assistant.llm import get_llm

    llm = get_llm()
    if llm is None:
        pytest.fail("the embedded model must load")
    reply, polished = polish(TEMPLATE, llm, timeout=3.0)
    assert reply == TEMPLATE or (polished and fact_check(reply, TEMPLATE))


def test_every_template_exists_in_every_language_with_the_same_fields() -> None:
    fields = {lang: {k: {f for _, f, _, _ in string.Formatter().parse(v) if f} for k, v in t.items()}
              for lang, t in TEMPLATES.items()}
    assert set(TEMPLATES) == {"en", "es", "de"}
    for lang in ("es", "de"):
        assert set(TEMPLATES[lang]) == set(TEMPLATES["en"])
        assert fields[lang] == fields["en"], lang


@pytest.mark.parametrize("lang, expected", [
    ("en", "Thursday, December 3 at 10:00 AM"),
    ("es", "jueves, 3 de diciembre a las 10:00"),
    ("de", "Donnerstag, 3. Dezember um 10:00 Uhr"),
])
def test_datetime_formats(lang: str, expected: str) -> None:
    assert fmt_datetime(datetime(2026, 12, 3, 10, 0, tzinfo=DENVER), lang, today=date(2026, 11, 24)) == expected


def test_dates_in_another_year_carry_the_year_and_slots_group_by_day() -> None:
    assert fmt_date(date(2027, 1, 2), "en", today=date(2026, 11, 24)) == "Saturday, January 2, 2027"
    starts = [datetime(2026, 12, 3, h, 0, tzinfo=DENVER) for h in (9, 13)] + [datetime(2026, 12, 4, 9, 30, tzinfo=DENVER)]
    assert fmt_slots(starts, "en", today=date(2026, 11, 24)) == (
        "Thursday, December 3 at 9:00 AM or 1:00 PM; or Friday, December 4 at 9:30 AM")
    assert fmt_percent(__import__("decimal").Decimal("25.00")) == "25"
