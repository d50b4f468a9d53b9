"""Periods resolve deterministically against the studio clock (2026-11-24, a Tuesday, in Denver)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from assistant.admin_bot.periods import Clock, find_period

TZ = ZoneInfo("America/Denver")
CLOCK = Clock(datetime(2026, 11, 24, 9, 0, tzinfo=TZ), TZ)


def span(text: str, forward: bool = False) -> tuple[str, str, str]:
    period = find_period(text, CLOCK, forward=forward)
    assert period is not None and period.start is not None and period.end is not None
    return (period.start.isoformat(), period.end.isoformat(), period.label)


@pytest.mark.parametrize("text, expected", [
    ("last month", ("2026-10-01T00:00:00-06:00", "2026-11-01T00:00:00-06:00", "October 2026")),
    ("this month", ("2026-11-01T00:00:00-06:00", "2026-12-01T00:00:00-07:00", "November 2026")),
    ("this quarter", ("2026-10-01T00:00:00-06:00", "2027-01-01T00:00:00-07:00", "Q4 2026")),
    ("last year", ("2025-01-01T00:00:00-07:00", "2026-01-01T00:00:00-07:00", "2025")),
    ("in october", ("2026-10-01T00:00:00-06:00", "2026-11-01T00:00:00-06:00", "October 2026")),
    ("in december", ("2025-12-01T00:00:00-07:00", "2026-01-01T00:00:00-07:00", "December 2025")),
    ("october 2025", ("2025-10-01T00:00:00-06:00", "2025-11-01T00:00:00-06:00", "October 2025")),
    ("since june", ("2026-06-01T00:00:00-06:00", "2026-11-25T00:00:00-07:00", "Jun 1 – Nov 24, 2026 (since June 2026)")),
    ("last 30 days", ("2026-10-26T00:00:00-06:00", "2026-11-25T00:00:00-07:00",
                      "last 30 days (Oct 26 – Nov 24, 2026)")),
    ("this week", ("2026-11-23T00:00:00-07:00", "2026-11-30T00:00:00-07:00", "this week (Nov 23 – Nov 29, 2026)")),
    ("next week", ("2026-11-30T00:00:00-07:00", "2026-12-07T00:00:00-07:00", "next week (Nov 30 – Dec 6, 2026)")),
    ("today", ("2026-11-24T00:00:00-07:00", "2026-11-25T00:00:00-07:00", "today (Tue Nov 24, 2026)")),
    ("tomorrow", ("2026-11-25T00:00:00-07:00", "2026-11-26T00:00:00-07:00", "tomorrow (Wed Nov 25, 2026)")),
    ("yesterday", ("2026-11-23T00:00:00-07:00", "2026-11-24T00:00:00-07:00", "yesterday (Mon Nov 23, 2026)")),
    ("q2 2025", ("2025-04-01T00:00:00-06:00", "2025-07-01T00:00:00-06:00", "Q2 2025")),
    ("from march to may", ("2026-03-01T00:00:00-07:00", "2026-06-01T00:00:00-06:00", "March 2026 – May 2026")),
    ("on december 1st", ("2026-12-01T00:00:00-07:00", "2026-12-02T00:00:00-07:00", "Tue Dec 1, 2026")),
])
def test_backward_looking_periods(text, expected):
    assert span(text) == expected


def test_a_bare_month_looks_ahead_for_calendar_questions():
    assert span("what's on in january", forward=True)[2] == "January 2027"
    assert span("revenue in january")[2] == "January 2026"


def test_march_2026_crosses_the_dst_change_in_local_midnights():
    start, end, _ = span("march 2026")
    assert (start, end) == ("2026-03-01T00:00:00-07:00", "2026-04-01T00:00:00-06:00")


def test_may_as_a_verb_is_not_a_month():
    assert find_period("may i see the revenue", CLOCK) is None
