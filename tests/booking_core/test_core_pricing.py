"""Quotes a client sees: exact Decimal amounts, line by line."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from booking_core import AddOn, ClientHistory, Discount, LineItem, Pricing, Service, format_money, quote

D = Decimal
DENVER = ZoneInfo("America/Denver")


def test_wedding_with_drone_and_second_shooter(services, addons, rules):
    q = quote(services["wedding"], [addons["drone"], addons["second-shooter"]], rules)

    assert q.items == (LineItem("Wedding Day Coverage", D("3200.00"), "service"),
                       LineItem("Drone aerials", D("300.00"), "addon"),
                       LineItem("Second shooter", D("600.00"), "addon"))
    assert (q.subtotal, q.discount, q.tax, q.total) == (D("4100.00"), D("0.00"), D("0.00"), D("4100.00"))
    assert q.deposit_percent == D("30") and q.deposit == D("1230.00")
    assert q.currency == "USD" and q.duration_minutes == 480


def test_branding_is_priced_per_hour(services, rules):
    q = quote(services["branding"], [], rules)

    assert q.items == (LineItem("Branding Session (2 h × $175.00)", D("350.00"), "service"),)
    assert q.total == D("350.00")
    assert q.deposit == D("87.50")  # studio deposit 25 %


def test_returning_client_gets_ten_percent_off_branding(services, rules):
    q = quote(services["branding"], [], rules, ClientHistory(completed_bookings=1, total_bookings=2))

    assert q.items[-1] == LineItem("Returning client discount (10 %)", D("-35.00"), "discount")
    assert (q.subtotal, q.discount, q.total, q.deposit) == (D("350.00"), D("35.00"), D("315.00"), D("78.75"))


def test_a_client_without_completed_bookings_pays_full_price(services, rules):
    assert quote(services["branding"], [], rules, ClientHistory(0, 3)).total == D("350.00")


def test_extra_hour_on_a_portrait_costs_one_hour_of_the_addon(services, addons, rules):
    q = quote(services["portrait"], [addons["extra-hour"]], rules)

    assert q.items[1] == LineItem("Extra hour", D("150.00"), "addon")
    assert q.total == D("400.00") and q.duration_minutes == 120


def test_per_hour_addons_follow_the_whole_session(rules):
    session = Service("s", "Session", 90, Pricing("per_hour", D("100")), addons=("assist", "more", "edit"))
    per_session_hour = AddOn("assist", "Assistant", Pricing("per_hour", D("40")))
    longer = AddOn("more", "Extra 30 min", Pricing("per_hour_of_service", D("100")), extends_minutes=30)
    no_extension = AddOn("edit", "Editing", Pricing("per_hour_of_service", D("20")))

    q = quote(session, [per_session_hour, longer, no_extension], rules)

    # session = 90 + 30 = 120 min: assistant 2 h x 40, extension 0.5 h x 100, editing 2 h x 20
    assert [i.amount for i in q.items] == [D("150.00"), D("80.00"), D("50.00"), D("40.00")]


def test_weekday_and_package_discounts_add_up_and_tax_applies_after_discount(services, addons, rules):
    portrait = replace(services["portrait"], discounts=(
        Discount("weekday", D("10"), weekdays=(1, 2, 3)),
        Discount("package", D("5"), min_addons=2, label="Bundle saver"),
    ))
    taxed = replace(rules, tax_percent=D("8.25"))
    wednesday = datetime(2026, 12, 2, 10, tzinfo=DENVER)

    q = quote(portrait, [addons["film-look"], addons["rush-editing"]], taxed, start=wednesday)

    # 250 + 75 + 100 = 425; -42.50 (10 %), -21.25 (5 %); tax 8.25 % of 361.25 = 29.803... -> 29.80
    assert [(i.label, i.amount, i.kind) for i in q.items[3:]] == [
        ("Weekday discount (10 %)", D("-42.50"), "discount"),
        ("Bundle saver", D("-21.25"), "discount"),
        ("Tax (8.25 %)", D("29.80"), "tax"),
    ]
    assert (q.subtotal, q.discount, q.tax, q.total) == (D("425.00"), D("63.75"), D("29.80"), D("391.05"))
    assert q.deposit == D("97.76")  # 25 % of 391.05 = 97.7625


def test_weekday_discount_uses_the_studio_local_weekday(services, rules):
    portrait = replace(services["portrait"], discounts=(Discount("weekday", D("20"), weekdays=(4,)),))
    # Friday 23:30 in Denver is already Saturday in UTC.
    friday_night = datetime(2026, 12, 5, 6, 30, tzinfo=ZoneInfo("UTC"))

    assert quote(portrait, [], rules, start=friday_night).discount == D("50.00")
    assert quote(portrait, [], rules).discount == D("0.00")


def test_discounts_never_exceed_the_subtotal(services, rules):
    portrait = replace(services["portrait"], discounts=(
        Discount("package", D("70"), min_addons=0), Discount("package", D("60"), min_addons=0)))

    q = quote(portrait, [], rules)

    assert [i.amount for i in q.items] == [D("250.00"), D("-175.00"), D("-75.00")]
    assert q.total == D("0.00") and q.deposit == D("0.00")


def test_rounding_is_half_up_to_cents(rules):
    odd = Service("s", "S", 50, Pricing("per_hour", D("100.01")))  # 83.341666... -> 83.34
    half = Service("h", "H", 30, Pricing("per_hour", D("0.05")))  # 0.025 -> 0.03
    assert quote(odd, [], rules).total == D("83.34")
    assert quote(half, [], rules).total == D("0.03")


def test_format_money():
    assert format_money(D("4100"), "USD") == "$4,100.00"
    assert format_money(D("1230.005"), "USD") == "$1,230.01"
    assert format_money(D("75"), "EUR") == "€75.00"
    assert format_money(D("1.5"), "GBP") == "£1.50"
    assert format_money(D("1234"), "CHF") == "CHF 1,234.00"
    assert format_money(D("-35"), "USD") == "-$35.00"
    assert format_money(D("1234567.891"), "usd") == "$1,234,567.89"
