"""Booking by chat, story by story: what the client types, what the studio answers, what is booked."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from agent_support import Chat, _no_model, booking_at, new_bookings  # noqa: E402,F401


async def test_portrait_booked_in_four_turns_with_exact_replies(client, db) -> None:
    chat = Chat(client)
    assert await chat.say("Hi, I'd like to book a portrait session.") == (
        "Hi! I'm the booking assistant of Juniper & Light Photography. Great choice: Portrait Session "
        "(1 hour, $250.00). Which day would suit you? The next free times are Thursday, November 26 at "
        "9:00 AM; Friday, November 27 at 9:00 AM; or Monday, November 30 at 9:00 AM.")
    assert await chat.say("Thursday December 3rd at 10am works for me.") == (
        "Thursday, December 3 at 10:00 AM is free. To book it, may I have your name and email address? "
        "A phone number is welcome too.")
    assert await chat.say("My name is Dana Whitfield, dana.whitfield@example.com, 303-555-0188.") == (
        "Here is the summary:\n\n"
        "Portrait Session on Thursday, December 3 at 10:00 AM\n"
        "Location: Studio, 418 Pearl St, Boulder CO\n"
        "Name: Dana Whitfield (dana.whitfield@example.com)\n"
        "Total: $250.00\n"
        "Deposit: $62.50 (25 %), the rest at the session\n\n"
        "Shall I book it? Please reply yes to confirm, or tell me what to change. If you'd rather pay at "
        "the session instead of a deposit, just say so.")
    assert new_bookings(db) == set()  # nothing before the yes
    reply = await chat.say("Yes, please book it. I'll pay the deposit.")
    assert reply == ("Done! Your Portrait Session on Thursday, December 3 at 10:00 AM is requested (booking #7). "
                     "Maya Lindqvist will confirm it shortly; you'll hear back at dana.whitfield@example.com.")
    assert new_bookings(db) == {("2026-12-03T10:00:00-07:00", "portrait", "dana.whitfield@example.com")}
    assert chat.last["booking"] == {
        "id": 7, "status": "pending", "service": "portrait", "start": "2026-12-03T10:00:00-07:00",
        "end": "2026-12-03T11:00:00-07:00", "addons": [], "total": "250.00",
        "client": {"name": "Dana Whitfield", "email": "dana.whitfield@example.com"}}
    booking = booking_at(db, "2026-12-03T10:00:00-07:00")
    assert (booking.payment_choice, booking.source, booking.client.phone) == ("deposit", "chat", "+13035550188")


async def test_texting_style_with_typos_and_relative_day(client, db) -> None:
    chat = Chat(client)
    reply = await chat.say("hey can i book a portait sesion nxt thursday")
    assert "On Thursday, December 3 I can offer 9:00 AM, 10:00 AM, 11:30 AM, 12:30 PM, 2:00 PM or 3:00 PM." in reply
    assert (await chat.say("2pm pls")).startswith("Thursday, December 3 at 2:00 PM is free.")
    await chat.say("dana w, dana@example.com")
    await chat.say("yep")
    assert new_bookings(db) == {("2026-12-03T14:00:00-07:00", "portrait", "dana@example.com")}


async def test_change_of_mind_keeps_the_day_then_moves_to_friday_of_that_week(client, db) -> None:
    chat = Chat(client)
    await chat.say("I'd like headshots on December 3 at 10am")
    assert (await chat.say("actually make it 2pm")).startswith("Thursday, December 3 at 2:00 PM is free.")
    assert "Professional Headshots on Thursday, December 3 at 2:00 PM" in await chat.say("Bob Smith bob@example.com")
    reply = await chat.say("no wait, can we do Friday instead?")
    assert reply.startswith("Friday, December 4 at 2:00 PM is free.")
    assert "Professional Headshots on Friday, December 4 at 2:00 PM" in reply
    await chat.say("yes")
    assert new_bookings(db) == {("2026-12-04T14:00:00-07:00", "headshots", "bob@example.com")}


async def test_required_intake_field_is_asked_and_its_answer_booked(client, db) -> None:
    chat = Chat(client)
    await chat.say("Branding shoot on Friday December 11 at 10am please")
    assert await chat.say("Jordan Lee, jordan@example.com") == (
        "One more thing for the Branding Session: what is the business name?")
    summary = await chat.say("Hilltop Coffee")
    assert "Business name: Hilltop Coffee" in summary
    await chat.say("yes")
    assert booking_at(db, "2026-12-11T10:00:00-07:00").fields == {"business": "Hilltop Coffee"}


async def test_wedding_asks_for_the_venue_and_uses_it_as_location(client, db) -> None:
    chat = Chat(client)
    reply = await chat.say("wedding on june 19 2027 at noon, I'm Mia Chen mia@example.com")
    assert reply.endswith("One more thing for the Wedding Day Coverage: what is the venue name?")
    summary = await chat.say("Boulder Creek Lodge")
    assert "Location: Boulder Creek Lodge" in summary and "Deposit: $960.00 (30 %)" in summary
    await chat.say("yes")
    booking = booking_at(db, "2027-06-19T12:00:00-06:00")
    assert (booking.location, booking.fields) == ("Boulder Creek Lodge", {"venue": "Boulder Creek Lodge"})


async def test_optional_add_on_and_pay_at_session(client, db) -> None:
    chat = Chat(client)
    await chat.say("portrait with the film look on Wednesday December 2 at 1pm")
    summary = await chat.say("Lena Fischer lena@example.com, I'll pay at the session")
    assert "Add-ons: Film roll look" in summary and "Total: $325.00" in summary
    assert "Payment: everything at the session" in summary
    await chat.say("ok")
    booking = booking_at(db, "2026-12-02T13:00:00-07:00")
    assert (booking.addon_slugs, booking.payment_choice, booking.total_cents) == (["film-look"], "at_session", 32500)


async def test_add_on_taken_off_again(client, db) -> None:
    chat = Chat(client)
    await chat.say("headshots with rush editing on Dec 7 at 2pm, Sam Ortiz sam@example.net")
    summary = await chat.say("actually no rush editing")
    assert "Add-ons" not in summary and "Total: $175.00" in summary
    await chat.say("yes")
    assert booking_at(db, "2026-12-07T14:00:00-07:00").addon_slugs == []


async def test_taken_slot_offers_times_on_the_same_day(client, db) -> None:
    chat = Chat(client)
    reply = await chat.say("Can I book a portrait on December 1 at 10am?")
    assert reply.endswith("Tuesday, December 1 at 10:00 AM is already taken. The nearest free times are Tuesday, "
                          "December 1 at 11:30 AM, 12:00 PM or 12:30 PM. Which time would you like?")
    assert (await chat.say("the first one")).startswith("Tuesday, December 1 at 11:30 AM is free.")


async def test_too_soon_names_the_notice_and_the_earliest_time(client, db) -> None:
    chat = Chat(client)
    reply = await chat.say("Can I get a family mini session tomorrow at 11?")
    assert ("We need at least 48 hours' notice for the Family Mini Session, so the earliest I can offer is "
            "Thursday, November 26 at 9:00 AM.") in reply
    assert new_bookings(db) == set()


async def test_blackout_is_explained_with_its_reason(client, db) -> None:
    chat = Chat(client)
    reply = await chat.say("Any chance of a portrait session on December 28?")
    assert "Sorry, the studio is closed from Wednesday, December 23 to Saturday, January 2, 2027 (Holiday break)." in reply
    assert "Tuesday, December 22 at 9:00 AM" in reply


async def test_branding_only_on_fridays_offers_fridays(client, db) -> None:
    chat = Chat(client)
    reply = await chat.say("I run a coffee shop and want a branding shoot on Wednesday December 9.")
    assert ("The Branding Session is only available on Fridays. The nearest free times are Friday, December 4 at "
            "9:00 AM; Friday, December 11 at 9:00 AM; or Friday, December 18 at 9:00 AM.") in reply


async def test_time_outside_opening_hours(client, db) -> None:
    chat = Chat(client)
    reply = await chat.say("portrait on Monday December 7 at 7pm")
    assert ("Monday, December 7 at 7:00 PM is outside our opening hours for the Portrait Session "
            "(9:00 AM–4:00 PM).") in reply


async def test_date_without_time_lists_that_days_times(client, db) -> None:
    chat = Chat(client)
    reply = await chat.say("what times do u have for headshots on dec 4")
    assert ("On Friday, December 4 I can offer 9:00 AM, 10:30 AM, 11:30 AM, 1:00 PM, 2:00 PM or 3:30 PM. "
            "Which time would you like?") in reply
    assert (await chat.say("10:30 works")).startswith("Friday, December 4 at 10:30 AM is free.")


async def test_time_without_date_asks_for_the_day(client, db) -> None:
    chat = Chat(client)
    await chat.say("I want a portrait session")
    reply = await chat.say("at 2pm")
    assert reply.startswith("Which day would you like at 2:00 PM? The nearest free times are Thursday, November 26 "
                            "at 2:00 PM; Friday, November 27 at 2:00 PM; or Monday, November 30 at 2:00 PM.")


async def test_unknown_service_lists_the_services(client, db) -> None:
    chat = Chat(client)
    reply = await chat.say("Can I book something on December 3 at 10?")
    assert "Here is what we offer:\n- Portrait Session: 1 hour, $250.00\n" in reply
    reply = await chat.say("headshots")
    assert reply.startswith("Great choice: Professional Headshots (30 minutes, $175.00). "
                            "Thursday, December 3 at 10:00 AM is free.")


async def test_price_question_answered_with_the_exact_total(client, db) -> None:
    chat = Chat(client)
    assert await chat.say("How much is wedding coverage with drone aerials and a second shooter?") == (
        "The Wedding Day Coverage with Drone aerials and Second shooter costs $4,100.00 in total. That is Wedding "
        "Day Coverage $3,200.00, Drone aerials $300.00 and Second shooter $600.00. The deposit is $1,230.00 "
        "(30 %). Would you like me to look for a date?")
    assert await chat.say("yes") == (
        "Which day would suit you? The next free times are Sunday, January 3, 2027 at 10:00 AM; Friday, "
        "January 8, 2027 at 10:00 AM; or Saturday, January 9, 2027 at 10:00 AM.")
    assert new_bookings(db) == set()


async def test_returning_client_gets_the_branding_discount_in_the_summary(client, db) -> None:
    chat = Chat(client)
    await chat.say("Branding session Friday December 4 at 1pm")
    summary = await chat.say("Alicia Gomez, alicia@gomezbakery.example, business is Gomez Bakery")
    assert "Returning client discount (10 %): -$35.00\nTotal: $315.00" in summary


async def test_spanish_conversation_end_to_end(client, db) -> None:
    chat = Chat(client)
    reply = await chat.say("Hola, quisiera reservar una sesión de retrato")
    assert reply.startswith("¡Hola! Soy el asistente de reservas de Juniper & Light Photography. Perfecto: "
                            "Portrait Session (1 hora, $250.00). ¿Qué día le vendría bien?")
    assert await chat.say("el jueves 10 de diciembre a las 11 de la mañana") == (
        "El jueves, 10 de diciembre a las 11:00 está libre. Para reservarlo, ¿me da su nombre y su correo "
        "electrónico? Un teléfono también es bienvenido.")
    summary = await chat.say("Me llamo Ana García, ana@example.es")
    assert "Depósito: $62.50 (25 %), el resto en la sesión" in summary
    assert (await chat.say("sí, por favor")).startswith(
        "¡Listo! Su Portrait Session el jueves, 10 de diciembre a las 11:00 está solicitada (reserva n.º 7).")
    assert new_bookings(db) == {("2026-12-10T11:00:00-07:00", "portrait", "ana@example.es")}


async def test_german_conversation_end_to_end(client, db) -> None:
    chat = Chat(client)
    await chat.say("Hallo, ich möchte Familienfotos machen lassen")
    assert (await chat.say("Dienstag, den 15.12., um 14 Uhr")).startswith(
        "Dienstag, 15. Dezember um 14:00 Uhr ist frei. Für die Buchung brauche ich Ihren Namen")
    summary = await chat.say("Ich heiße Jonas Weber, jonas@example.de")
    assert "Family Mini Session am Dienstag, 15. Dezember um 14:00 Uhr\n" in summary
    assert (await chat.say("Ja, bitte buchen")).startswith("Erledigt! Ihr Termin Family Mini Session")
    assert new_bookings(db) == {("2026-12-15T14:00:00-07:00", "family-mini", "jonas@example.de")}


async def test_german_blackout_reason_in_german(client, db) -> None:
    chat = Chat(client)
    reply = await chat.say("Haben Sie am 8. Dezember einen Termin für Porträts frei?")
    assert "Leider ist das Studio am Dienstag, 8. Dezember geschlossen (Workshop)." in reply


async def test_no_means_nothing_is_booked(client, db) -> None:
    chat = Chat(client)
    await chat.say("headshots Dec 7 at 2pm, Sam Ortiz sam@example.net")
    assert await chat.say("no") == "No problem, nothing has been booked. What would you like to change?"
    assert new_bookings(db) == set()


async def test_a_slot_taken_between_summary_and_yes_is_explained(client, db, settings) -> None:
    from datetime import datetime

    from models.repo.bookings import ClientInput, NewBooking, create_booking

    chat = Chat(client)
    await chat.say("headshots Dec 7 at 2pm, Sam Ortiz sam@example.net")
    create_booking(db, NewBooking(service="portrait", start=datetime.fromisoformat("2026-12-07T14:00:00-07:00"),
                                  client=ClientInput("Other", "other@example.com")), settings.current_time())
    reply = await chat.say("yes")
    assert reply == ("I'm sorry, Monday, December 7 at 2:00 PM was booked by someone else in the meantime. The "
                     "nearest free times are Monday, December 7 at 12:30 PM, 1:00 PM or 3:30 PM. "
                     "Which time would you like?")
    assert ("2026-12-07T14:00:00-07:00", "headshots", "sam@example.net") not in new_bookings(db)


async def test_names_in_any_shape_before_the_email(client, db) -> None:
    chat = Chat(client)
    await chat.say("PORTRAIT SESSION MONDAY DEC 21 AT 11AM")
    summary = await chat.say("WALT KRAMER, WALT.KRAMER@EXAMPLE.COM")
    assert "Name: Walt Kramer (walt.kramer@example.com)" in summary
    await chat.say("YES BOOK IT")
    assert new_bookings(db) == {("2026-12-21T11:00:00-07:00", "portrait", "walt.kramer@example.com")}


async def test_a_couple_names_themselves_next_to_the_venue(client, db) -> None:
    chat = Chat(client)
    await chat.say("Wedding coverage on Saturday September 18, 2027 at 11am please")
    summary = await chat.say("The venue is Planet Bluegrass in Lyons. We're Ada & Ben Collins, ada.collins@example.com")
    assert "Venue name: Planet Bluegrass in Lyons\nName: Ada & Ben Collins (ada.collins@example.com)" in summary


async def test_one_pm_instead_of_ten_am_takes_the_new_time(client, db) -> None:
    chat = Chat(client)
    await chat.say("headshots on Wednesday December 9 at 10am, Marta Silva marta.silva@example.com")
    reply = await chat.say("Actually could we do 1pm instead of 10am on the 9th?")
    assert reply.startswith("Wednesday, December 9 at 1:00 PM is free.")


async def test_a_wedding_from_two_until_ten_starts_at_two(client, db) -> None:
    chat = Chat(client)
    reply = await chat.say("Can you cover our wedding on Friday June 11, 2027 from 2pm until 10pm? Add the film look please.")
    assert "Friday, June 11, 2027 at 2:00 PM is free." in reply


async def test_swapping_one_add_on_for_another(client, db) -> None:
    chat = Chat(client)
    await chat.say("Portrait on Thursday December 17 at 1pm with rush editing please")
    await chat.say("Actually swap the rush editing for the film roll look.")
    summary = await chat.say("Nell Fox, nell.fox@example.com")
    assert "Add-ons: Film roll look\n" in summary and "Total: $325.00" in summary


async def test_what_extras_lists_the_add_ons_with_prices(client, db) -> None:
    chat = Chat(client)
    assert await chat.say("What extras can I add to a portrait session?") == (
        "With the Portrait Session you can add Extra hour ($150.00), Film roll look ($75.00) and Rush editing "
        "(72 hours) ($100.00). Would you like me to look for a date?")


async def test_first_monday_in_january_and_a_yes(client, db) -> None:
    chat = Chat(client)
    reply = await chat.say("First Monday in January, 10am, portrait session — possible?")
    assert "Monday, January 4, 2027 at 10:00 AM" in reply
    summary = await chat.say("Great! Noah Fisher, noah.fisher@example.com")
    assert "Portrait Session on Monday, January 4, 2027 at 10:00 AM" in summary


async def test_the_business_is_named_without_the_word_business(client, db) -> None:
    chat = Chat(client)
    await chat.say("We want a branding session on Friday December 11 at 10am for our climbing gym.")
    summary = await chat.say("The gym is called Boulder Crag. I'm Nate Silva, nate@bouldercrag.example")
    assert "Business name: Boulder Crag\n" in summary


def test_german_wedding_mail_with_venue_sentence_books_on_the_reply(db, settings) -> None:
    from agent_support import EmailThread

    thread = EmailThread(db, settings, "julia.meier@example.de", "Julia Meier")
    first = thread.write("Hallo,\n\nwir heiraten am Samstag, 14.08.2027, und hätten gern eine Hochzeitsreportage ab "
                         "12 Uhr mit Drohnenaufnahmen. Die Feier ist im Wedgewood Boulder Creek.\n\nViele Grüße\n"
                         "Julia Meier", verified=False)
    assert "Wedding Day Coverage am Samstag, 14. August 2027 um 12:00 Uhr\nExtras: Drone aerials\n" in first.text
    thread.write("Ja, bitte verbindlich buchen. Anzahlung passt.", verified=True)
    assert booking_at(db, "2027-08-14T12:00:00-06:00").fields == {"venue": "Wedgewood Boulder Creek"}


async def test_a_name_is_never_the_location_of_a_studio_session(client, db) -> None:
    chat = Chat(client)
    await chat.say("I'd like headshots on Dec 7 at 2pm")
    summary = await chat.say("im Kim Park kim.park@example.com")
    assert "Location: Studio, 418 Pearl St, Boulder CO\nName: Kim Park (kim.park@example.com)" in summary
    await chat.say("yes")
    assert "Kim Park" not in (booking_at(db, "2026-12-07T14:00:00-07:00").location or "")


async def test_a_studio_session_keeps_a_clearly_given_address(client, db) -> None:
    chat = Chat(client)
    await chat.say("I'd like headshots on Dec 7 at 2pm")
    summary = await chat.say("Could you come to our office? The address is 1200 Pearl St, Boulder. Sam Ortiz, sam@example.net")
    assert "Location: 1200 Pearl St, Boulder" in summary


async def test_a_bare_yes_to_several_proposed_times_asks_which(client, db) -> None:
    chat = Chat(client)
    await chat.say("Can I book a portrait on December 1 at 10am?")
    assert await chat.say("yes") == ("Which of these times would you like: Tuesday, December 1 at 11:30 AM, "
                                     "12:00 PM or 12:30 PM?")
    assert (await chat.say("the 2nd one")).startswith("Tuesday, December 1 at 12:00 PM is free.")


@pytest.mark.parametrize("pick,start", [
    ("the first one", "11:30 AM"), ("the 2nd one", "12:00 PM"), ("the last one", "12:30 PM"),
    ("12:30 works", "12:30 PM"), ("the earlier one", "11:30 AM"),
])
async def test_picking_from_the_proposed_times(client, db, pick: str, start: str) -> None:
    chat = Chat(client)
    await chat.say("Can I book a portrait on December 1 at 10am?")
    assert (await chat.say(pick)).startswith(f"Tuesday, December 1 at {start} is free.")


async def test_a_yes_to_a_single_proposed_time_takes_it(client, db) -> None:
    chat = Chat(client)
    reply = await chat.say("wedding on june 11 2027 after 2pm")
    assert "On Friday, June 11, 2027 I can offer 2:00 PM. Which time would you like?" in reply
    assert (await chat.say("yes")).startswith("Friday, June 11, 2027 at 2:00 PM is free.")


async def test_friday_instead_stays_in_the_week_under_discussion(client, db) -> None:
    chat = Chat(client)
    await chat.say("headshots on Thursday December 3 at 10am please")
    assert (await chat.say("Friday instead")).startswith("Friday, December 4 at 10:00 AM is free.")
    assert (await chat.say("1pm instead of 10am")).startswith("Friday, December 4 at 1:00 PM is free.")


async def test_questions_about_extras_advice_and_deposit(client, db) -> None:
    chat = Chat(client)
    assert (await chat.say("What extras do you have?")).startswith("Our add-ons are Extra hour ($150.00)")
    assert (await chat.say("what's the fastest option")).startswith("Based on what you told me, I'd recommend:")
    assert "Our prices:" in await chat.say("What deposit do I need?")


async def test_a_surname_that_is_a_price_word_is_a_name(client, db) -> None:
    chat = Chat(client)
    await chat.say("I'd like headshots on Dec 7 at 2pm")
    summary = await chat.say("Ava Price, ava@example.com")
    assert "Name: Ava Price (ava@example.com)" in summary and "Shall I book it?" in summary
