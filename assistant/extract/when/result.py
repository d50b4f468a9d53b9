"""``When``: what a message says about the date and time of a session."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class When:
    date: date | None = None
    time: time | None = None
    time_range: tuple[time, time] | None = None
    date_range: tuple[date, date] | None = None
    weekday_only: int | None = None
    explicit: bool = False
    matched_text: list[str] = field(default_factory=list)
    ambiguous: bool = False
    # extras
    approximate: bool = False  # "10ish", "around noon", "gegen 10", "sobre las 10"
    other_dates: tuple[date, ...] = ()  # further distinct dates mentioned (e.g. the old date in a reschedule)
    other_times: tuple[time, ...] = ()

    @property
    def is_empty(self) -> bool:
        return (self.date is None and self.time is None and self.time_range is None
                and self.date_range is None and self.weekday_only is None)

    def start(self, tz: str) -> datetime | None:
        """The aware start datetime when both a date and a time are known."""
        if self.date is None or self.time is None:
            return None
        return datetime.combine(self.date, self.time, tzinfo=ZoneInfo(tz))
