"""The evaluation harness behind ``make eval``: its checks, its cases, its mail layout, and one real case.

Each piece is tested on what it must get exactly right: the checks on synthetic bookings and replies,
every case file against the fixture format and the demo studio's booking rules, the client's replies
as real mail programs lay them out, and one case end to end through a real ``studiobook serve``.
"""
from __future__ import annotations

import email
import email.policy
import json
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

import booking_core as core
from benchmarks.eval_conversations import DEFAULT_CASES, main as eval_main, reply_template_names
from benchmarks.eval_harness import checks
from benchmarks.eval_harness.cases import CaseError, expand, load_cases, validate
from benchmarks.eval_harness.chat import code_from_mail, mentions_code
from benchmarks.eval_harness.email import EmailClient
from benchmarks.eval_harness.server import ROOT
from benchmarks.eval_harness.sink import MailSink
from models.repo.catalog import existing_bookings, load_catalog

PRIYA_AT = "2026-12-01T10:00:00-07:00"


def booking(**kw: Any) -> dict[str, Any]:
    base = {"id": 7, "service": "portrait", "start": "2026-12-03T10:00:00-07:00", "status": "pending",
            "addons": ["film-look"], "client": {"name": "Dana", "email": "Dana.Whitfield@Example.com"}}
    base.update(kw)
    return base


PRIYA = booking(id=5, start=PRIYA_AT, status="confirmed", addons=[],
                client={"name": "Priya Raman", "email": "priya.raman@example.com"})
WANT = {"service": "portrait", "start": "2026-12-03T10:00:00-07:00", "addons": ["film-look"],
        "client_email": "dana.whitfield@example.com"}


# ---- checks on synthetic data ------------------------------------------------------------------

def test_an_expected_booking_matches_by_instant_addon_set_and_email_case():
    found = booking(start="2026-12-03T17:00:00+00:00", addons=["film-look"], status="confirmed")
    assert checks.check_booking(WANT, [PRIYA], [PRIYA, found]).ok


def test_a_booking_an_hour_off_after_the_dst_change_does_not_match():
    want = dict(WANT, start="2027-03-16T10:00:00-06:00")
    wrong = booking(start="2027-03-16T10:00:00-07:00")
    result = checks.check_booking(want, [PRIYA], [PRIYA, wrong])
    assert not result.ok
    assert "found #7 portrait 2027-03-16T10:00:00-07:00" in result.reason


@pytest.mark.parametrize("change", [{"status": "cancelled"}, {"status": "declined"}, {"addons": []},
                                    {"addons": ["film-look", "rush-editing"]}, {"service": "headshots"},
                                    {"client": {"email": "someone.else@example.com"}}])
def test_anything_but_the_exact_active_booking_fails(change):
    assert not checks.check_booking(WANT, [PRIYA], [PRIYA, booking(**change)]).ok


def test_no_booking_sees_new_and_moved_bookings_but_not_the_demo_ones():
    assert checks.check_no_booking([PRIYA], [PRIYA]).ok
    assert checks.check_no_booking([PRIYA], [PRIYA, booking(status="cancelled")]).ok
    assert not checks.check_no_booking([PRIYA], [PRIYA, booking()]).ok
    moved = dict(PRIYA, start="2026-12-03T10:00:00-07:00")
    result = checks.check_no_booking([PRIYA], [moved])
    assert not result.ok and "#5" in result.reason


def test_booking_still_at_and_no_booking_at_compare_instants_of_active_bookings():
    cancelled = dict(PRIYA, status="cancelled")
    assert checks.check_booking_still_at("2026-12-01T17:00:00Z", [PRIYA]).ok
    assert not checks.check_booking_still_at(PRIYA_AT, [cancelled]).ok
    assert checks.check_no_booking_at([PRIYA_AT, "2026-12-03T10:00:00-07:00"], [cancelled]).ok
    assert not checks.check_no_booking_at(PRIYA_AT, [PRIYA]).ok


def test_reply_checks_are_case_insensitive_over_all_replies_and_fold_odd_spaces():
    replies = ["Hi! That's $4,100.00 in total.", "The Wedding\u00a0Day Coverage includes Drone aerials."]
    assert checks.check_replies("reply_contains_any", ["4100", "4,100"], replies).ok
    assert checks.check_replies("reply_contains_all", ["wedding day coverage", "DRONE"], replies).ok
    assert not checks.check_replies("reply_contains_all", ["drone", "second shooter"], replies).ok
    assert checks.check_replies("reply_not_contains", ["555 0142", "priya.raman@example.com"], replies).ok
    failed = checks.check_replies("reply_not_contains", ["$4,100"], replies)
    assert not failed.ok and "$4,100" in failed.reason
    assert not checks.check_replies("reply_contains_any", ["48"], []).ok


def test_evaluate_fails_a_broken_conversation_even_when_every_expectation_holds():
    results = checks.evaluate({"no_booking": True}, replies=[], before=[PRIYA], after=[PRIYA],
                              errors=["turn 1: POST /api/chat answered 404: Not found."])
    assert [(r.name, r.ok) for r in results] == [("conversation", False), ("no_booking", True)]


def test_no_reply_lists_what_the_studio_sent():
    assert checks.check_no_reply([]).ok
    result = checks.check_no_reply(["Re: Automatic reply"])
    assert not result.ok and "Re: Automatic reply" in result.reason


# ---- the cases ----------------------------------------------------------------------------------

def all_cases():
    return load_cases(expand(DEFAULT_CASES, ROOT, allow_empty_glob=True), reply_template_names())


def test_every_case_file_follows_the_fixture_format_and_ours_are_many():
    cases = all_cases()
    ours = [c for c in cases if "benchmarks/cases" in c.source]
    assert len(ours) >= 150
    assert {c.channel for c in ours} == {"chat", "email"}
    formats = {m["format"] for c in ours for m in c.messages if isinstance(m, dict)}
    assert formats == reply_template_names()
    assert len({c.now for c in ours}) >= 5


def test_malformed_cases_are_rejected_with_the_reason():
    good = {"id": "x", "channel": "chat", "now": "2026-11-24T09:00:00-07:00", "messages": ["hi"],
            "expect": {"no_booking": True}}
    validate(good, "t:1")
    for bad, why in [({"now": "2026-11-24T09:00:00"}, "offset"), ({"channel": "fax"}, "channel"),
                     ({"expect": {"booking": {"service": "portrait"}}}, "booking"),
                     ({"expect": {"no_reply": True}}, "email"), ({"expect": {"reply_contains": "x"}}, "unknown")]:
        with pytest.raises(CaseError, match=why):
            validate({**good, **bad}, "t:1")


def _owner_booking(session, email: str, start: str):  # type: ignore[no-untyped-def]
    from models import Booking, Client
    from sqlalchemy import select

    rows = session.scalars(select(Booking).join(Client).where(Client.email == email)).all()
    return next((b.id for b in rows if b.start_at == datetime.fromisoformat(start)), None)


def test_every_expected_booking_is_allowed_by_the_studio_rules_at_the_case_now(db):
    """Honest cases: the booking a case expects is one booking_core accepts at that case's clock (a
    reschedule may use its own old slot's time)."""
    problems = []
    with db.read() as session:
        catalog = load_catalog(session)
        for case in all_cases():
            want = case.expect.get("booking")
            if not want:
                continue
            start = datetime.fromisoformat(want["start"])
            exclude = None
            gone = case.expect.get("no_booking_at", [])
            for old in gone if isinstance(gone, list) else [gone]:
                exclude = exclude or _owner_booking(session, want["client_email"], old)
            service = catalog.services[want["service"]]
            request = core.BookingRequest(service=service, start=start,
                                          addons=tuple(catalog.addons[a] for a in want["addons"]), location=None,
                                          fields={})
            existing = existing_bookings(session, catalog, start - timedelta(days=2), start + timedelta(days=2))
            result = core.check(request, existing, catalog.rules, datetime.fromisoformat(case.now),
                                exclude_booking_id=exclude)
            if not result.ok:
                problems.append(f"{case.id}: {result.reasons}")
    assert problems == []


# ---- verification codes ---------------------------------------------------------------------------

def _captured(sink: MailSink, msg: EmailMessage, rcpt: str):  # type: ignore[no-untyped-def]
    with smtplib.SMTP("127.0.0.1", sink.port, timeout=10) as smtp:
        smtp.send_message(msg, from_addr="book@studio.localhost", to_addrs=[rcpt])
    assert sink.wait_for(rcpt, 1, 5)
    return sink.to(rcpt)[-1]


def test_the_code_is_the_last_4_to_8_digit_number_of_the_mail_text():
    with MailSink() as sink:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = "book@studio.localhost", "priya@example.com", "Your code 2026"
        msg.set_content("Hi Priya,\n\nthe code for your booking #5 (phone 303 555 0142) is:\n\n  483920\n\nThanks")
        msg.add_alternative("<p>the code is <b>483920</b></p>", subtype="html")
        mail = _captured(sink, msg, "priya@example.com")
    assert code_from_mail(mail) == "483920"
    assert mentions_code("I've sent a 6-digit code to your email")
    assert mentions_code("Te enviamos un código de verificación")
    assert mentions_code("Bitte geben Sie den Bestätigungscode ein")
    assert not mentions_code("Your Portrait Session is booked.")


# ---- the client's mail, as mail programs lay it out --------------------------------------------

class _Studio:
    """What the email client needs of a server: the booking address and the inbound port."""

    book_address = "book@studio.localhost"

    def __init__(self, port: int) -> None:
        self.smtp_in_port = port


def _case(**extra: Any):  # type: ignore[no-untyped-def]
    data = {"id": "layout", "channel": "email", "now": "2026-11-24T09:00:00-07:00",
            "client": {"name": "Lena Fischer", "email": "lena.fischer@example.com"}, "subject": "Portrait session?",
            "headers": {"X-Case": "layout"}, "messages": ["Hello"], "expect": {"no_booking": True}}
    data.update(extra)
    return validate(data, "test:1")


STUDIO_TEXT = ("Portrait Session on Wednesday, December 2 at 1:00 PM\nOther free times: 9:00 AM, 11:30 AM\n"
               "Total: $325.00\nShall I book it?")


def _studio_mail(sink: MailSink):  # type: ignore[no-untyped-def]
    msg = EmailMessage()
    msg["From"] = "Juniper & Light Photography <book@studio.localhost>"
    msg["Reply-To"] = "book+tok3n123@studio.localhost"
    msg["To"] = "lena.fischer@example.com"
    msg["Subject"] = "Re: Portrait session?"
    msg["Message-ID"] = "<offer-2@studio.localhost>"
    msg["In-Reply-To"] = "<first@example.com>"
    msg["References"] = "<first@example.com>"
    msg["Date"] = "Tue, 24 Nov 2026 09:02:00 -0700"
    msg["Auto-Submitted"] = "auto-replied"
    msg.set_content(STUDIO_TEXT)
    with smtplib.SMTP("127.0.0.1", sink.port, timeout=10) as smtp:
        smtp.send_message(msg, to_addrs=["lena.fischer@example.com"])
    assert sink.wait_for("lena.fischer@example.com", 1, 5)
    return sink.to("lena.fischer@example.com")[-1]


def _body_text(msg: EmailMessage) -> str:
    parts = []
    for part in msg.walk():
        if part.get_content_type() in ("text/plain", "text/html"):
            parts.append(part.get_content())
    return "\n".join(parts)


@pytest.mark.parametrize("fmt", sorted(reply_template_names() or []) + [None])
def test_a_reply_goes_to_the_reply_to_address_threaded_and_laid_out_like_the_mail_program(fmt):
    with MailSink() as sink:
        last = _studio_mail(sink)
        client = EmailClient(_case(), _Studio(sink.port), sink)  # type: ignore[arg-type]
        client.count = 1
        raw, rcpt, mid = client.reply_mail("Yes, please book it.\n\nLena", fmt, last)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert rcpt == "book+tok3n123@studio.localhost"
    assert msg["To"].addresses[0].addr_spec == rcpt
    assert msg["From"].addresses[0].addr_spec == "lena.fischer@example.com"
    assert msg["Subject"].split(":", 1)[1].strip() == "Portrait session?"
    assert msg["Subject"].split(":", 1)[0] in ("Re", "RE", "AW")
    assert msg["In-Reply-To"].strip() == "<offer-2@studio.localhost>"
    assert msg["References"].split() == ["<first@example.com>", "<offer-2@studio.localhost>"]
    assert msg["Message-ID"].strip() == mid
    assert msg["X-Case"] == "layout"
    assert not any(k.lower().startswith("x-template") for k in msg.keys())
    assert msg["Date"] and email.utils.parsedate_to_datetime(msg["Date"]).year == 2026
    body = _body_text(msg)
    assert "Yes, please book it." in body
    if fmt is not None:  # the studio's offer is quoted, with its other times
        assert "Other free times: 9:00 AM, 11:30 AM" in body.replace("\r\n", "\n").replace("> ", "")
    if fmt == "thunderbird-bottom-post":
        assert body.index("Other free times") < body.index("Yes, please book it.")


def test_mail_reaches_the_inbound_port_with_crlf_and_a_null_sender_for_bounces():
    with MailSink() as studio_inbound, MailSink() as studio_out:
        bounce = _case(headers={"Return-Path": "<>", "Auto-Submitted": "auto-replied"},
                       client={"name": "Mail Delivery System", "email": "MAILER-DAEMON@mx.example.net"},
                       expect={"no_reply": True})
        client = EmailClient(bounce, _Studio(studio_inbound.port), studio_out)  # type: ignore[arg-type]
        raw, rcpt, _mid = client.first_mail("Undelivered Mail Returned to Sender\n.\nline after a dot")
        client.send(raw, rcpt)
        assert studio_inbound.wait_for("book@studio.localhost", 1, 5)
        got = studio_inbound.to("book@studio.localhost")[0]
    assert got.mail_from in ("", "<>")  # MAIL FROM:<>
    assert b"\r\n" in got.raw and b"\n" not in got.raw.replace(b"\r\n", b"")
    assert got.header("Auto-Submitted") == "auto-replied"
    assert got.header("Subject") == "Portrait session?"
    assert "line after a dot" in got.text


# ---- one real case through a real server -------------------------------------------------------

ONE_CASE = {
    "id": "harness-e2e-email-outlook", "channel": "email", "now": "2026-11-24T09:00:00-07:00",
    "client": {"name": "Harper Quinn", "email": "harper.quinn@example.com"}, "subject": "Portrait session in December",
    "messages": ["Hello,\n\nCould I book a portrait session on Thursday December 10 at 11am?\n\nBest regards,\nHarper Quinn",
                 {"text": "Yes, please book it. I'll pay the deposit.\n\nHarper", "format": "outlook-desktop-en"}],
    "expect": {"booking": {"service": "portrait", "start": "2026-12-10T11:00:00-07:00", "addons": [],
                           "client_email": "harper.quinn@example.com"},
               "booking_still_at": PRIYA_AT},
}


@pytest.mark.llm
def test_one_email_case_end_to_end_through_a_real_server(tmp_path: Path):
    """``make eval`` in small: the CLI starts ``studiobook serve`` (embedded model), mails the client's
    request to the inbound SMTP port, answers the studio's mail as Outlook does, and reads the booking
    back through the admin API. The case passes today; if it fails, the JSON says which side broke."""
    case_file = tmp_path / "one.jsonl"
    case_file.write_text(json.dumps(ONE_CASE) + "\n", encoding="utf-8")
    out = tmp_path / "out.json"
    assert eval_main(["--cases", str(case_file), "--json", str(out), "--turn-timeout", "60", "-q"]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    result = report["cases"][0]
    turns = result["transcript"]["turns"]
    assert [t["detail"]["to"].split("@")[1] for t in turns] == ["studio.localhost", "studio.localhost"]
    assert turns[0]["reply"], "the studio answered the first mail"
    assert turns[1]["detail"]["format"] == "outlook-desktop-en"
    assert {c["name"] for c in result["checks"]} == {"booking", "booking_still_at"}
    assert result["passed"], result["reason"]
    assert report["summary"]["passed"] == 1 and report["summary"]["total"] == 1
