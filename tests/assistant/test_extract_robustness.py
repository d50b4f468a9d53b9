"""Property tests: no extractor raises on arbitrary input, and results stay within sane bounds."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.extract import (
    AddonInfo,
    ServiceInfo,
    classify_reply,
    detect_intents,
    detect_language,
    extract_all,
    parse_when,
)

TZ = "America/Denver"
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo(TZ))
SERVICES = [ServiceInfo("portrait", "Portrait Session"), ServiceInfo("wedding", "Wedding Day Coverage")]
ADDONS = [AddonInfo("drone", "Drone aerials"), AddonInfo("rush-editing", "Rush editing (72 hours)")]

WORDS = st.sampled_from([
    "next", "thursday", "Dec", "3rd", "at", "10", "am", "pm", "mañana", "a las", "um", "halb", "drei", "Uhr",
    "12/3", "3.12.", "2026-12-03", "tomorrow", "week", "noon", "quarter", "past", "two", "$250", "303-555-0188",
    "dana@example.com", "no", "yes", "drone", "without", "the", "portrait", "ß", "ñ", "😀", ":", "-", ",", ".",
    "el", "jueves", "de", "diciembre", "nächsten", "Freitag", "between", "and", "or", "ish", "0", "99", "31",
    "Feb", "29", "30", "the 31st", "24:00", "12:60", "00:00", "9999-99-99",
])
PHRASES = st.lists(WORDS, min_size=0, max_size=14).map(" ".join)
TEXT = st.one_of(st.text(max_size=200), PHRASES)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_parse_when_never_raises_and_stays_sane(text: str) -> None:
    w = parse_when(text, NOW, TZ)
    for d in [w.date, *(w.date_range or ()), *w.other_dates]:
        if d is not None:
            assert date(1900, 1, 1) <= d <= date(2200, 12, 31)
    if w.date_range:
        assert w.date_range[0] <= w.date_range[1]
    if w.time_range:
        assert w.time_range[0] < w.time_range[1]
    if w.weekday_only is not None:
        assert 0 <= w.weekday_only <= 6
    for part in w.matched_text:
        assert part and part in text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_extract_all_never_raises(text: str) -> None:
    x = extract_all(text, NOW, TZ, SERVICES, ADDONS)
    assert x.lang in ("en", "es", "de")
    assert x.reply in (None, "yes", "no", "change")
    assert x.payment in (None, "deposit", "at_session")
    assert not ({m.slug for m in x.addons.positive} & {m.slug for m in x.addons.negated})
    if x.code is not None:
        assert x.code.isdigit() and 4 <= len(x.code) <= 8
    if x.phone is not None:
        assert x.phone.lstrip("+").isdigit()


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_small_functions_total(text: str) -> None:
    assert detect_language(text) in ("en", "es", "de")
    assert classify_reply(text) in (None, "yes", "no", "change")
    assert isinstance(detect_intents(text), set)
