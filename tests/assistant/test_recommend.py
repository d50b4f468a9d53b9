"""The package recommender: rules rank services + add-ons with a reason; prices from booking_core."""
from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from agent_support import Chat, _no_model  # noqa: E402,F401

import booking_core as core  # noqa: E402
from assistant.recommend import detect_wishes, recommend, rerank_with_llm  # noqa: E402
from models.repo.catalog import load_catalog  # noqa: E402


@pytest.fixture
def catalog(db):  # type: ignore[no-untyped-def]
    with db.read() as session:
        return load_catalog(session)


def _rec(catalog, text: str, **kwargs):  # type: ignore[no-untyped-def]
    services = [catalog.services[r.slug] for r in catalog.ordered_services()]
    return recommend(text, services, catalog.addons, catalog.rules, **kwargs)


def test_mountain_wedding_with_aerials_gets_wedding_with_drone(catalog) -> None:
    recs = _rec(catalog, "We're getting married next June at a mountain venue and want aerial shots.",
                matched_services=["wedding"], matched_addons=["drone"])
    assert [(r.service, r.addons, r.total) for r in recs] == [("wedding", ["drone"], Decimal("3500.00"))]
    assert recs[0].reason_text("en", "USD") == "you mentioned your wedding, a mountain venue and aerial shots"
    assert recs[0].reason_text("de", "USD") == "Sie erwähnten Ihre Hochzeit, einen Ort in den Bergen und Luftaufnahmen"


def test_two_photographers_and_fast_delivery_map_to_add_ons(catalog) -> None:
    recs = _rec(catalog, "Our wedding: we want two photographers and the photos fast", matched_services=["wedding"])
    # Rush editing is not offered with weddings: the wish stays unmet instead of inventing an add-on.
    assert [(r.service, r.addons, r.reasons) for r in recs] == [("wedding", ["second-shooter"], ["wedding", "two"])]


def test_business_with_film_look_prefers_branding(catalog) -> None:
    recs = _rec(catalog, "I need photos for my bakery's website and social media")
    assert recs[0].service == "branding"
    assert recs[0].reason_text("en", "USD") == "you mentioned your business"


def test_budget_drops_add_ons_that_do_not_fit(catalog) -> None:
    recs = _rec(catalog, "wedding with drone and a second photographer", matched_services=["wedding"],
                matched_addons=["drone", "second-shooter"], budget=Decimal("3600"))
    assert (recs[0].service, recs[0].addons, recs[0].total) == ("wedding", ["drone"], Decimal("3500.00"))
    assert "a budget of $3,600.00" in recs[0].reason_text("en", "USD")


def test_nothing_to_go_on_still_offers_something(catalog) -> None:
    recs = _rec(catalog, "what would you recommend?")
    assert [r.service for r in recs] == ["portrait", "family-mini"]


@pytest.mark.parametrize("text, wishes", [
    ("shots from above with a drone", ["aerial"]),
    ("I love the analog film look", ["film"]),
    ("need them asap", ["fast"]),
    ("fotos con dron y dos fotógrafos", ["aerial", "two"]),
    ("Luftaufnahmen und schnell bitte", ["aerial", "fast"]),
])
def test_wishes_in_three_languages(text, wishes) -> None:
    assert detect_wishes(text) == wishes


def test_an_llm_may_only_reorder_close_candidates(catalog) -> None:
    class PicksSecond:
        def choose(self, system, user, labels, **kwargs):  # type: ignore[no-untyped-def]
            from assistant.llm import Choice

            return Choice(label=labels[-1], seconds=0.0)

    recs = _rec(catalog, "what would you recommend?")
    reordered = rerank_with_llm(recs, "something for the kids", PicksSecond(), {})
    assert [r.service for r in reordered] == ["family-mini", "portrait"]
    wedding = _rec(catalog, "wedding in the mountains with a drone", matched_services=["wedding"])
    assert rerank_with_llm(wedding, "x", PicksSecond(), {}) == wedding  # one clear winner stays


async def test_recommendation_through_the_chat_then_booking_it(client, db) -> None:
    chat = Chat(client)
    reply = await chat.say("We're getting married next June at a mountain venue and want aerial shots. "
                           "What would you recommend?")
    assert reply == ("Based on what you told me, I'd recommend:\n\n"
                     "- Wedding Day Coverage with Drone aerials: you mentioned your wedding, a mountain venue and "
                     "aerial shots. $3,500.00\n\nWould you like me to check dates for it?")
    reply = await chat.say("yes please")
    assert reply.startswith("Which day would suit you?")
    reply = await chat.say("Saturday June 12 2027 at noon")
    assert "already taken" in reply or "fully booked" in reply  # Alicia's wedding holds that day


async def test_spanish_recommendation(client, db) -> None:
    chat = Chat(client)
    reply = await chat.say("Nos casamos en junio en la montaña y queremos fotos con dron. ¿Qué nos recomienda?")
    assert reply.startswith("Por lo que me cuenta, le recomendaría:\n\n- Wedding Day Coverage con Drone aerials: "
                            "mencionó su boda")
