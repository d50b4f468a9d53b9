"""Intake answers: cleaned values and readable problems."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from booking_core import IntakeField, validate_fields


def test_wedding_answers_are_cleaned(services):
    cleaned, errors = validate_fields(services["wedding"].fields,
                                      {"venue": "  Chautauqua Dining Hall ", "guests": "120", "dress": "tux"})

    assert errors == []
    assert cleaned == {"venue": "Chautauqua Dining Hall", "guests": 120}  # unknown "dress" dropped


def test_missing_and_mistyped_wedding_answers(services):
    cleaned, errors = validate_fields(services["wedding"].fields, {"venue": "   ", "guests": "about a hundred"})

    assert cleaned == {}
    assert errors == [("venue", "Venue name is required"),
                      ("guests", "Approximate number of guests must be a number")]


def test_optional_empty_answers_are_left_out(services):
    cleaned, errors = validate_fields(services["portrait"].fields, {"people": ""})

    assert (cleaned, errors) == ({}, [])


def test_numbers():
    field = (IntakeField("n", "Count", "number"),)
    ok = {raw: validate_fields(field, {"n": raw})[0]["n"] for raw in ("12", " -3 ", "2.50", 7, 2.0, Decimal("1.5"))}

    assert ok == {"12": 12, " -3 ": -3, "2.50": Decimal("2.50"), 7: 7, 2.0: 2, Decimal("1.5"): Decimal("1.5")}
    for bad in ("1e5", "12 people", True, "NaN", float("inf"), [1]):
        assert validate_fields(field, {"n": bad})[1] == [("n", "Count must be a number")], bad


def test_booleans_dates_emails_phones_and_choices():
    fields = (
        IntakeField("pets", "Bringing pets", "boolean", required=True),
        IntakeField("day", "Preferred date", "date"),
        IntakeField("mail", "Email", "email"),
        IntakeField("tel", "Phone", "phone"),
        IntakeField("style", "Style", "choice", choices=("Classic", "Candid")),
    )

    cleaned, errors = validate_fields(fields, {"pets": "No", "day": "2027-06-12", "mail": " a@b.example ",
                                               "tel": "+1 (303) 555-0142", "style": "candid"})

    assert errors == []
    assert cleaned == {"pets": False, "day": date(2027, 6, 12), "mail": "a@b.example",
                       "tel": "+1 (303) 555-0142", "style": "Candid"}
    cleaned, errors = validate_fields(fields, {"pets": "maybe", "day": "12/06/2027", "mail": "nope",
                                               "tel": "call me", "style": "Moody"})
    assert cleaned == {}
    assert errors == [("pets", "Bringing pets must be yes or no"),
                      ("day", "Preferred date must be a date (YYYY-MM-DD)"),
                      ("mail", "Email must be an email address"),
                      ("tel", "Phone must be a phone number"),
                      ("style", "Style must be one of: Classic, Candid")]


def test_dates_must_be_iso_days():
    field = (IntakeField("d", "Event date", "date"),)

    assert validate_fields(field, {"d": date(2027, 6, 12)}) == ({"d": date(2027, 6, 12)}, [])
    for bad in (20270612, "20270612", "2027-06-31", "2027-06-12T10:00"):
        assert validate_fields(field, {"d": bad}) == ({}, [("d", "Event date must be a date (YYYY-MM-DD)")]), bad


def test_a_false_answer_to_a_required_yes_no_question_counts_as_answered():
    cleaned, errors = validate_fields((IntakeField("ok", "Consent", "boolean", required=True),), {"ok": False})

    assert (cleaned, errors) == ({"ok": False}, [])


def test_text_accepts_numbers_but_not_structures():
    field = (IntakeField("t", "Business name", "text"),)

    assert validate_fields(field, {"t": 42}) == ({"t": "42"}, [])
    assert validate_fields(field, {"t": {"x": 1}}) == ({}, [("t", "Business name must be text")])
