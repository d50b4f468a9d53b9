"""Templates carry the figures; a model may only reword them under a fact check; and the model is never
needed: with it enabled the figures are the same."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from assistant.admin_bot import answer_question
from assistant.admin_bot.answer import fact_check
from assistant.local_time_sql import offset_segments

TEMPLATE = "Revenue for October 2026: $900.00 from 2 bookings (completed and confirmed sessions by session date)."
ROWS = [{"revenue": "900.00", "bookings": 2}]


def test_a_faithful_rewording_passes():
    assert fact_check("In October 2026 you made $900.00 from 2 bookings, counting completed and confirmed "
                      "sessions.", TEMPLATE, ROWS)


@pytest.mark.parametrize("phrased", [
    "In October 2026 you made $950.00 from 2 bookings.",              # a changed amount
    "In October 2026 you made $900.00.",                              # a dropped figure
    "Great work, Priya! October 2026 brought $900.00 from 2 bookings.",  # a name not in the result
    "October 2026: $900.00 from 2 bookings, see https://example.com",   # a link
])
def test_unfaithful_rewordings_fail(phrased):
    assert not fact_check(phrased, TEMPLATE, ROWS)


def test_dst_changes_of_2026_in_denver():
    tz = ZoneInfo("America/Denver")
    segments = offset_segments(tz, datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2027, 1, 1, tzinfo=timezone.utc))
    assert segments == [(datetime(2026, 1, 1, tzinfo=timezone.utc), -420),
                        (datetime(2026, 3, 8, 9, 0, tzinfo=timezone.utc), -360),
                        (datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc), -420)]


def test_busiest_hours_are_local_on_both_backends(any_db, settings):
    # Priya's Oct 20 session at 09:30 MDT is 15:30 UTC; it must count as 09:00 local
    result = answer_question(any_db, settings, "busiest hours", llm=None)
    assert result.data == [{"hour": 9, "label": "09:00", "bookings": 1}, {"hour": 10, "label": "10:00", "bookings": 2},
                           {"hour": 11, "label": "11:00", "bookings": 1}, {"hour": 12, "label": "12:00", "bookings": 1},
                           {"hour": 13, "label": "13:00", "bookings": 1}]


@pytest.mark.llm
def test_the_embedded_model_changes_no_figure(db, settings):
    """With the default model loaded (tie-breaks and fact-checked phrasing on), every figure still holds."""
    for question, figure in (("What was revenue in October?", "$900.00"), ("Who owes me money?", "$3,057.50"),
                             ("Who booked most last month?", "Alicia Gomez")):
        without = answer_question(db, settings, question, llm=None)
        with_model = answer_question(db, settings, question, llm="auto", phrase=True)
        assert with_model.data == without.data
        assert figure in with_model.answer
        assert with_model.answer == without.answer or fact_check(with_model.answer, without.answer, without.data)
