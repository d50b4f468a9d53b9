"""The calendar: month, week and day views of every session, coloured by service, status in words.

Status is never colour alone: each entry carries a symbol and (in week/day views) the word, pending
sessions are dashed and striped, cancelled ones struck through, no-shows cross-hatched.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from quart import Blueprint, request

from ..context import ctx
from ..pages import admin_page, render
from ..parsing import BadRequest, parse_date
from . import calendar_data as data

bp = Blueprint("console_calendar", __name__)

PX_PER_HOUR = 52


def _load(view: str, anchor: date) -> dict[str, Any]:
    with ctx().db.read() as session:
        tz = data.studio_tz(session)
        if view == "month":
            first, last = data.month_range(anchor)
        elif view == "week":
            first, last = data.week_range(anchor)
        else:
            first = last = anchor
        entries = data.load_entries(session, tz, first, last)
        weekly, blackouts = data.opening(session, first, last)
        services = session.execute(_services_query()).all()
    days = data.build_days(entries, first, last, weekly, blackouts, anchor.month if view == "month" else None)
    return {"days": days, "first": first, "last": last, "entries": entries,
            "services": [{"title": s.title, "color": s.color} for s in services]}


def _services_query():  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from models import Service

    return select(Service.title, Service.color).where(Service.active.is_(True)).order_by(Service.sort_order, Service.id)


def _title(view: str, anchor: date, first: date, last: date) -> str:
    if view == "month":
        return f"{anchor:%B %Y}"
    if view == "week":
        if first.month == last.month:
            return f"{first.day}–{last.day} {last:%B %Y}"
        return f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
    return f"{anchor:%A} {anchor.day} {anchor:%B %Y}"


@bp.get("/admin/calendar")
@admin_page
async def calendar() -> Any:
    view = request.args.get("view", "month")
    if view not in data.VIEWS:
        raise BadRequest("The calendar view must be month, week or day.", "view")
    today = ctx().now().astimezone(await _tz()).date()
    anchor = parse_date(request.args["date"], "date") if request.args.get("date") else today
    if not 1900 <= anchor.year <= 2999:
        raise BadRequest("Choose a date between the years 1900 and 2999.", "date")
    loaded = await ctx().run(_load, view, anchor)
    context: dict[str, Any] = dict(loaded, view=view, anchor=anchor, today=today,
                                   title=_title(view, anchor, loaded["first"], loaded["last"]),
                                   prev=data.shift(view, anchor, -1), next=data.shift(view, anchor, 1))
    if view in ("week", "day"):
        lo, hi = data.hour_bounds(loaded["days"])
        context.update(hour_lo=lo, hour_hi=hi, px=PX_PER_HOUR)
    counts: dict[str, int] = {}
    for e in loaded["entries"]:
        counts[e.status] = counts.get(e.status, 0) + 1
    context["status_counts"] = counts
    return await render(f"console/calendar_{view}.html", section="calendar", page_title="Calendar", **context)


async def _tz():  # type: ignore[no-untyped-def]
    from ..pages import studio_info

    return (await studio_info()).tz


def top_px(moment: Any, hour_lo: int, px: int) -> float:
    return round(((moment.hour - hour_lo) * 60 + moment.minute) * px / 60, 1)


def height_px(entry: data.Entry, hour_lo: int, hour_hi: int, px: int) -> float:
    start = entry.start
    end = entry.end if entry.end.date() == start.date() else start.replace(hour=23, minute=59)
    minutes = max(20, (end - start).total_seconds() / 60)
    limit = (hour_hi - start.hour) * 60 - start.minute
    return round(min(minutes, limit) * px / 60 - 2, 1)


bp.add_app_template_global(top_px, "top_px")
bp.add_app_template_global(height_px, "height_px")
bp.add_app_template_global(timedelta, "timedelta")
