"""match_services / match_addons against the demo studio catalog and a second, differently worded one."""

from __future__ import annotations

import time

import pytest

from assistant.extract.catalog import AddonInfo, AddonMatches, Match, ServiceInfo, match_addons, match_services

DEMO_SERVICES = [
    ServiceInfo("portrait", "Portrait Session", "One hour in the studio or outdoors; 20 edited images."),
    ServiceInfo("family-mini", "Family Mini Session", "30 minutes outdoors for the whole family; 10 edited images."),
    ServiceInfo("branding", "Branding Session", "Images for your business, website and social media. Fridays only."),
    ServiceInfo("headshots", "Professional Headshots", "30 minutes, 3 looks, 5 retouched headshots."),
    ServiceInfo("wedding", "Wedding Day Coverage", "Eight hours of coverage on location, online gallery, 400+ images."),
]
DEMO_ADDONS = [
    AddonInfo("extra-hour", "Extra hour"),
    AddonInfo("drone", "Drone aerials"),
    AddonInfo("film-look", "Film roll look"),
    AddonInfo("rush-editing", "Rush editing (72 hours)"),
    AddonInfo("second-shooter", "Second shooter"),
]
# another studio, other words for the same concepts
OTHER_SERVICES = [
    ServiceInfo("solo", "Individual Portraits"),
    ServiceInfo("kids-and-parents", "Kids & Parents Outdoors"),
    ServiceInfo("elopements", "Elopement Package", "Intimate ceremonies in the mountains."),
    ServiceInfo("corp", "Corporate Headshot Day"),
    ServiceInfo("newborn", "Newborn Studio Session"),
]
OTHER_ADDONS = [
    AddonInfo("aerial", "Aerial photography add-on"),
    AddonInfo("express", "Express delivery (48h)"),
    AddonInfo("assistant", "Second photographer"),
    AddonInfo("overtime", "Additional hour of coverage"),
]


def _svc(text: str, services=DEMO_SERVICES) -> list[str]:
    return [m.slug for m in match_services(text, services)]


SERVICE_CASES: list[tuple[str, list[str]]] = [
    # straight from the scripted conversations
    ("Hi, I'd like to book a portrait session.", ["portrait"]),
    ("Do you do headshots? I need some for LinkedIn, with rush editing please.", ["headshots"]),
    ("Can I get a family mini session tomorrow at 11?", ["family-mini"]),
    ("Any chance of a portrait session on December 28?", ["portrait"]),
    ("I run a coffee shop and want a branding shoot on Wednesday December 9.", ["branding"]),
    ("How much is wedding coverage with drone aerials and a second shooter?", ["wedding"]),
    ("I'm looking to book a portrait session with the film roll look", ["portrait"]),
    ("We're getting married next June at a mountain venue and want aerial shots.", ["wedding"]),
    ("what times do u have for headshots on dec 4", ["headshots"]),
    # English vocabulary
    ("portraits please", ["portrait"]),
    ("a portrait", ["portrait"]),
    ("family photos", ["family-mini"]),
    ("photos with my kids", ["family-mini"]),
    ("mini session", ["family-mini"]),
    ("just a mini", ["family-mini"]),
    ("branding", ["branding"]),
    ("personal branding photos", ["branding"]),
    ("photos for my business website", ["branding"]),
    ("brand shoot", ["branding"]),
    ("headshot", ["headshots"]),
    ("a new linkedin photo", ["headshots"]),
    ("profile picture", ["headshots"]),
    ("business headshots", ["headshots"]),
    ("wedding", ["wedding"]),
    ("we're eloping!", ["wedding"]),
    ("elopement", ["wedding"]),
    ("we just got engaged and are getting married in June", ["wedding"]),
    ("photo shoot", ["portrait"]),
    ("PORTRAIT w/ film look pls 🙏", ["portrait"]),
    ("FAMILY SHOOT PLS", ["family-mini"]),
    # typos
    ("portriat", ["portrait"]),
    ("protrait session", ["portrait"]),
    ("hedshots", ["headshots"]),
    ("headshotts", ["headshots"]),
    ("weding photos", ["wedding"]),
    ("wedding", ["wedding"]),
    ("brnding session", ["branding"]),
    ("familly pics", ["family-mini"]),
    # Spanish
    ("quiero un retrato", ["portrait"]),
    ("sesión de fotos en familia", ["family-mini"]),
    ("fotos con mis hijos", ["family-mini"]),
    ("fotos para mi negocio", ["branding"]),
    ("foto de perfil para LinkedIn", ["headshots"]),
    ("nos casamos en junio", ["wedding"]),
    ("una boda en la montaña", ["wedding"]),
    ("quiero una sesión de fotos", ["portrait"]),
    # German
    ("Porträt", ["portrait"]),
    ("ein Fotoshooting", ["portrait"]),
    ("Familienfotos mit den Kindern", ["family-mini"]),
    ("Familie mit zwei Kindern", ["family-mini"]),
    ("Business-Fotos für mein Unternehmen", ["branding"]),
    ("Bewerbungsfoto", ["headshots"]),
    ("Bewerbungsfotos bitte", ["headshots"]),
    ("Wir heiraten im Juni", ["wedding"]),
    ("Hochzeit", ["wedding"]),
    # nothing
    ("I'd like to book", []),
    ("thanks", []),
    ("Yes, please book it.", []),
    ("what times do you have on Friday?", []),
    ("my welding shop", []),
    ("I drove by your studio", []),
    ("a familiar face", []),
    ("grand opening", []),
    ("see you then", []),
    ("", []),
]


@pytest.mark.parametrize("text,expected", SERVICE_CASES, ids=[c[0][:40] for c in SERVICE_CASES])
def test_match_services_demo(text: str, expected: list[str]) -> None:
    got = _svc(text)
    assert got[:len(expected)] == expected
    if not expected:
        assert got == []
    else:
        # the first match is clearly the intended one
        assert got[0] == expected[0]


@pytest.mark.parametrize("text,expected", [
    ("family dinner photos", ["family-mini"]),
    ("photos for our family business", ["branding", "family-mini"]),
    ("our family-owned bakery needs branding photos", ["branding", "family-mini"]),
])
def test_family_as_adjective_is_weak(text: str, expected: list[str]) -> None:
    ms = match_services(text, DEMO_SERVICES)
    assert [m.slug for m in ms] == expected
    fam = next(m for m in ms if m.slug == "family-mini")
    assert fam.score <= 0.5


@pytest.mark.parametrize("text,expected", [
    ("individual portraits", "solo"),
    ("a portrait of me", "solo"),
    ("photos of my kids", "kids-and-parents"),
    ("family photos", "kids-and-parents"),
    ("we want to elope", "elopements"),
    ("a wedding in the mountains", "elopements"),
    ("boda", "elopements"),
    ("linkedin headshot", "corp"),
    ("Bewerbungsfoto", "corp"),
    ("newborn photos", "newborn"),
    ("fotos de recién nacido", "newborn"),
    ("Individual Portraits", "solo"),
])
def test_concepts_map_to_any_studio(text: str, expected: str) -> None:
    ms = match_services(text, OTHER_SERVICES)
    assert ms and ms[0].slug == expected


def test_service_synonyms_from_the_studio() -> None:
    services = [ServiceInfo("glam", "Glamour Session", synonyms=("boudoir", "glam shoot"))]
    assert _svc("a boudoir session", services) == ["glam"]
    assert _svc("glam shoot please", services) == ["glam"]
    assert _svc("a glamour session", services) == ["glam"]


def test_match_object_and_scores() -> None:
    ms = match_services("Hi, I'd like to book a Portrait Session.", DEMO_SERVICES)
    assert ms == [Match("portrait", 1.0, "Portrait Session")]
    fuzzy = match_services("portriat", DEMO_SERVICES)[0]
    assert fuzzy.matched == "portriat" and 0.7 < fuzzy.score < 1.0
    generic = match_services("photo shoot", DEMO_SERVICES)[0]
    assert generic.score <= 0.5


def test_generic_words_step_aside_for_specific_ones() -> None:
    assert _svc("a branding photo shoot") == ["branding"]
    assert _svc("family photo shoot") == ["family-mini"]


def test_several_services() -> None:
    got = _svc("headshots or maybe a full branding session?")
    assert set(got) == {"headshots", "branding"}


ADDON_CASES: list[tuple[str, list[str], list[str]]] = [
    ("How much is wedding coverage with drone aerials and a second shooter?", ["drone", "second-shooter"], []),
    ("Do you do headshots? I need some for LinkedIn, with rush editing please.", ["rush-editing"], []),
    ("I'm looking to book a portrait session with the film roll look", ["film-look"], []),
    ("We're getting married next June at a mountain venue and want aerial shots.", ["drone"], []),
    ("extra hour", ["extra-hour"], []),
    ("can we add an additional hour?", ["extra-hour"], []),
    ("2 extra hours", ["extra-hour"], []),
    ("one more hour please", ["extra-hour"], []),
    ("drone", ["drone"], []),
    ("aerials", ["drone"], []),
    ("film look", ["film-look"], []),
    ("film roll", ["film-look"], []),
    ("analog look", ["film-look"], []),
    ("rush", [], []),
    ("rush editing", ["rush-editing"], []),
    ("express delivery", ["rush-editing"], []),
    ("fast turnaround please", ["rush-editing"], []),
    ("second shooter", ["second-shooter"], []),
    ("a second photographer", ["second-shooter"], []),
    ("2nd shooter", ["second-shooter"], []),
    # Spanish / German
    ("hora extra", ["extra-hour"], []),
    ("con dron", ["drone"], []),
    ("fotos aéreas", ["drone"], []),
    ("edición urgente", ["rush-editing"], []),
    ("entrega urgente por favor", ["rush-editing"], []),
    ("segundo fotógrafo", ["second-shooter"], []),
    ("look analógico", ["film-look"], []),
    ("zusätzliche Stunde", ["extra-hour"], []),
    ("mit Drohne", ["drone"], []),
    ("Luftaufnahmen", ["drone"], []),
    ("Express-Bearbeitung", ["rush-editing"], []),
    ("zweiter Fotograf", ["second-shooter"], []),
    ("Hochzeit mit Drohne und zweitem Fotografen", ["drone", "second-shooter"], []),
    ("Analog-Look", ["film-look"], []),
    # typos
    ("drone arials", ["drone"], []),
    ("secnd shooter", ["second-shooter"], []),
    ("rush ediitng", ["rush-editing"], []),
    # negation
    ("without the drone", [], ["drone"]),
    ("no rush editing", [], ["rush-editing"]),
    ("no drone please", [], ["drone"]),
    ("we don't need a second shooter", [], ["second-shooter"]),
    ("skip the film look", [], ["film-look"]),
    ("sin dron", [], ["drone"]),
    ("no quiero hora extra", [], ["extra-hour"]),
    ("ohne Drohne", [], ["drone"]),
    ("keinen zweiten Fotografen", [], ["second-shooter"]),
    ("film look but no drone", ["film-look"], ["drone"]),
    ("we'd like the drone, but not the film look", ["drone"], ["film-look"]),
    ("do we need a second shooter? no thanks", [], ["second-shooter"]),
    ("the drone is not needed", [], ["drone"]),
    ("die Drohne bitte weglassen", [], ["drone"]),
    ("drone yes, extra hour no", ["drone"], ["extra-hour"]),
    # idioms and ordinary words
    ("no rush, whenever works", [], []),
    ("I'm in a rush", [], []),
    ("I drove by your studio", [], []),
    ("we want a film of the day", [], []),
    ("I'd like to book", [], []),
    ("thanks", [], []),
    ("what an express way to say it", [], []),
    ("", [], []),
]


@pytest.mark.parametrize("text,pos,neg", ADDON_CASES, ids=[c[0][:40] for c in ADDON_CASES])
def test_match_addons_demo(text: str, pos: list[str], neg: list[str]) -> None:
    got = match_addons(text, DEMO_ADDONS)
    assert isinstance(got, AddonMatches)
    assert sorted(got.slugs) == sorted(pos)
    assert sorted(got.negated_slugs) == sorted(neg)


@pytest.mark.parametrize("text,pos,neg", [
    ("with drone shots", ["aerial"], []),
    ("rush editing please", ["express"], []),
    ("express", ["express"], []),
    ("second shooter", ["assistant"], []),
    ("an extra hour", ["overtime"], []),
    ("no aerials", [], ["aerial"]),
])
def test_addon_concepts_map_to_any_studio(text: str, pos: list[str], neg: list[str]) -> None:
    got = match_addons(text, OTHER_ADDONS)
    assert got.slugs == pos and got.negated_slugs == neg


def test_matched_text_is_original() -> None:
    got = match_addons("With DRONE Aerials please", DEMO_ADDONS)
    assert got.positive == [Match("drone", 1.0, "DRONE Aerials")]
    neg = match_addons("sin dron", DEMO_ADDONS).negated
    assert neg[0].matched == "dron"


def test_case_counts() -> None:
    assert len(SERVICE_CASES) + len(ADDON_CASES) >= 120


def test_speed() -> None:
    texts = [c[0] for c in SERVICE_CASES] + [c[0] for c in ADDON_CASES]
    match_services("warm up", DEMO_SERVICES)
    match_addons("warm up", DEMO_ADDONS)
    t0 = time.perf_counter()
    for t in texts:
        match_services(t, DEMO_SERVICES)
        match_addons(t, DEMO_ADDONS)
    per_call = (time.perf_counter() - t0) / (2 * len(texts))
    assert per_call < 0.005, f"{per_call * 1000:.2f} ms per call"


@pytest.mark.parametrize("text,expected", [
    ("Wir möchten eine Hochzeitsreportage", ["wedding"]),
    ("Ein Porträtshooting im Dezember", ["portrait"]),
])
def test_german_compound_services(text: str, expected: list[str]) -> None:
    assert [m.slug for m in match_services(text, DEMO_SERVICES)][:1] == expected


@pytest.mark.parametrize("text,pos,neg", [
    ("mit Drohnenaufnahmen bitte", ["drone"], []),
    ("gerne mit zweitem Fotografen", ["second-shooter"], []),
    ("swap the rush editing for the film look", ["film-look"], ["rush-editing"]),
    ("replace the drone with a second shooter", ["second-shooter"], ["drone"]),
])
def test_german_compound_and_swapped_addons(text: str, pos: list[str], neg: list[str]) -> None:
    got = match_addons(text, DEMO_ADDONS)
    assert (got.slugs, got.negated_slugs) == (pos, neg)


@pytest.mark.parametrize("text, service", [
    ("We're tying the knot on Friday, October 8, 2027", "wedding"),
    ("we're getting hitched next summer", "wedding"),
])
def test_wedding_idioms_name_the_wedding_service(text, service):
    assert [m.slug for m in match_services(text, DEMO_SERVICES)][:1] == [service]


@pytest.mark.parametrize("text", ["headshots with the 72-hour rush", "need the 72 hour turnaround",
                                  "can you deliver within 72 hours?"])
def test_the_72_hour_wording_means_rush_editing(text):
    assert [m.slug for m in match_addons(text, DEMO_ADDONS).positive] == ["rush-editing"]
