"""The owner asks the demo studio plain questions and gets the exact figures (computed by hand from
demo-studio.json; the clock is 2026-11-24 09:00 in Denver, so "last month" is October 2026)."""
from __future__ import annotations


def test_who_booked_most_last_month_names_the_tie(ask):
    result = ask("Who booked most last month?")
    assert result.answer == (
        "Most bookings for October 2026: Alicia Gomez and Priya Raman with 1 booking each. Ranking: "
        "1. Alicia Gomez — 1 booking, $650.00 spent; 2. Priya Raman — 1 booking, $250.00 spent "
        "(bookings: cancelled and declined bookings not counted; spend: completed and confirmed sessions by "
        "session date).")
    assert result.data == [
        {"client": "Alicia Gomez", "email": "alicia@gomezbakery.example", "bookings": 1, "spend": "650.00"},
        {"client": "Priya Raman", "email": "priya.raman@example.com", "bookings": 1, "spend": "250.00"},
    ]
    assert result.query == "top_clients" and not result.refused


def test_revenue_in_october_states_figures_and_definition(ask):
    # Alicia's branding (2 h x $175 + drone $300 = $650) and Priya's portrait ($250)
    result = ask("What was revenue in October?")
    assert result.answer == ("Revenue for October 2026: $900.00 from 2 bookings (completed and confirmed sessions "
                             "by session date; pending, cancelled, declined and no-show bookings excluded).")
    assert result.data == [{"revenue": "900.00", "bookings": 2, "label": "October 2026",
                            "from": "2026-10-01T00:00:00-06:00", "to": "2026-11-01T00:00:00-06:00", "service": None}]


def test_nobody_owes_a_deposit(ask):
    result = ask("Who hasn't paid their deposit?")
    assert result.answer == ("Nobody: every pending or confirmed booking that pays a deposit has paid it "
                             "(0 unpaid deposits).")
    assert result.data == []


def test_priyas_phone_number(ask):
    result = ask("What's Priya's phone number?")
    assert result.answer == "Priya Raman: phone +1 303 555 0142, email priya.raman@example.com."
    assert result.data == [{"client": "Priya Raman", "email": "priya.raman@example.com", "phone": "+1 303 555 0142",
                            "tags": ["VIP", "referral:instagram"]}]


def test_a_typo_in_the_name_still_finds_the_client(ask):
    assert ask("phone number for Pryia Raman").answer == \
        "Priya Raman: phone +1 303 555 0142, email priya.raman@example.com."


def test_clients_tagged_vip(ask):
    result = ask("Clients tagged VIP")
    assert result.answer == "1 client tagged VIP: Priya Raman (priya.raman@example.com, +1 303 555 0142)."
    assert [r["client"] for r in result.data] == ["Priya Raman"]


def test_whats_on_next_week(ask):
    result = ask("What's on next week?")
    assert result.answer == ("1 booking for next week (Nov 30 – Dec 6, 2026): Tue Dec 1, 10:00–11:00 Portrait "
                             "Session with Priya Raman (confirmed).")
    assert [(r["id"], r["start"], r["status"]) for r in result.data] == [(5, "2026-12-01T10:00:00-07:00", "confirmed")]


def test_gaps_next_week_leave_room_around_priyas_session(ask):
    # Priya blocks 09:45-11:15 on Dec 1 (15-minute buffers), so a portrait fits from 11:30
    result = ask("Any gaps next week?")
    assert result.answer == (
        "Free time for a Portrait Session in next week (Nov 30 – Dec 6, 2026) on 5 days: Mon Nov 30 09:00–16:00; "
        "Tue Dec 1 11:30–16:00; Wed Dec 2 09:00–16:00; Thu Dec 3 09:00–16:00; Fri Dec 4 09:00–16:00.")
    assert result.data[1] == {"date": "2026-12-01", "weekday": "Tuesday", "service": "portrait",
                              "start": "2026-12-01T11:30:00-07:00", "end": "2026-12-01T16:00:00-07:00"}


def test_gaps_for_branding_are_fridays_only(ask):
    assert ask("When can I fit in a branding session next week?").answer == (
        "Free time for a Branding Session in next week (Nov 30 – Dec 6, 2026) on 1 day: Fri Dec 4 09:00–16:00.")


def test_repeat_client_rate(ask):
    assert ask("What percentage of clients came back?").answer == (
        "66.7% of clients came back: 2 of 3 clients with a booking (all time) booked 2 or more times "
        "(cancelled and declined bookings not counted).")


def test_busiest_weekday_for_portraits(ask):
    result = ask("Which weekdays are busiest for portraits?")
    assert result.answer.startswith("Busiest weekday for all time, Portrait Session: Tuesday with 3 bookings")
    assert result.data[1] == {"weekday": "Tuesday", "bookings": 3}


def test_outstanding_balances_after_deposits(ask):
    result = ask("Who owes me money?")
    assert result.answer == (
        "Outstanding balances: $3,057.50 across 2 bookings (completed and confirmed bookings, total minus payments "
        "received): Priya Raman $187.50 (Portrait Session, Tue Dec 1, 2026, confirmed); Alicia Gomez $2,870.00 "
        "(Wedding Day Coverage, Sat Jun 12, 2027, confirmed).")
    assert [(r["id"], r["paid"], r["balance"]) for r in result.data] == [(5, "62.50", "187.50"),
                                                                         (6, "1230.00", "2870.00")]


def test_a_clients_next_session(ask):
    assert ask("When is Alicia's next session?").answer == (
        "Alicia Gomez's next session: Sat Jun 12, 2027, 12:00–20:00 Wedding Day Coverage (confirmed). "
        "Last session: Fri Oct 16, 2026, 10:00 Branding Session (completed).")


def test_pipeline(ask):
    assert ask("What's in the pipeline?").answer == (
        "Upcoming pipeline (sessions from now on): 0 pending bookings worth $0.00 and 2 confirmed bookings worth "
        "$4,350.00.")


def test_counts_by_status_in_november(ask):
    assert ask("How many bookings in November?").answer == (
        "2 bookings for November 2026 (cancelled and declined bookings not counted): 1 completed, 1 no-show.")


def test_no_shows_with_rate(ask):
    assert ask("What's the no-show rate?").answer == (
        "1 no-show for all time (16.7% of 6 bookings in that period): Tom Becker (Professional Headshots, "
        "Thu Nov 12, 2026).")


def test_best_month(ask):
    assert ask("What was my best month this year?").answer.startswith(
        "Revenue per month, 2026 (completed and confirmed sessions by session date): best month Oct 2026 with "
        "$900.00, lowest Jan 2026 with $0.00; total $1,475.00 from 4 bookings.")


def test_unknown_client_is_said_not_invented(ask):
    result = ask("What's the phone number of Zed Quimby?")
    assert result.refused and result.data == []
    assert result.answer.startswith("I couldn't find a client matching")
