"""detect_language on short texting-style and longer messages."""

from __future__ import annotations

import pytest

from assistant.extract.language import detect_language

CASES = [
    # English
    ("Hi, I'd like to book a portrait session.", "en"),
    ("what times do u have for headshots on dec 4", "en"),
    ("yes", "en"),
    ("ok", "en"),
    ("no", "en"),
    ("tmrw 11am?", "en"),
    ("thx!", "en"),
    ("Thursday December 3rd at 10am works for me.", "en"),
    ("How much is wedding coverage with drone aerials and a second shooter?", "en"),
    ("👍", "en"),
    ("", "en"),
    ("12/3", "en"),
    ("perfect", "en"),
    ("Sam Ortiz, sam.ortiz@example.net", "en"),
    ("CONFIRM", "en"),
    # Spanish
    ("sí", "es"),
    ("si", "es"),
    ("vale", "es"),
    ("claro", "es"),
    ("perfecto", "es"),
    ("hola", "es"),
    ("gracias", "es"),
    ("mañana", "es"),
    ("¿tienen disponibilidad?", "es"),
    ("cuánto cuesta", "es"),
    ("el jueves 10 de diciembre a las 11 de la mañana", "es"),
    ("Quiero reservar una sesión de fotos para mi familia", "es"),
    ("me llamo Ana", "es"),
    ("mejor el viernes", "es"),
    ("sin dron por favor", "es"),
    ("Hola, ¿hacen bodas?", "es"),
    ("pago en la sesión", "es"),
    # German
    ("ja", "de"),
    ("gerne", "de"),
    ("passt", "de"),
    ("genau", "de"),
    ("nein danke", "de"),
    ("Hallo", "de"),
    ("danke", "de"),
    ("übermorgen", "de"),
    ("Was kostet ein Porträt?", "de"),
    ("Dienstag, den 15.12., um 14 Uhr", "de"),
    ("morgen um halb drei", "de"),
    ("Ich möchte einen Termin buchen", "de"),
    ("lieber am Freitag", "de"),
    ("Haben Sie freie Termine?", "de"),
    ("Guten Tag, wir heiraten im Juni", "de"),
    ("ohne Drohne bitte", "de"),
    # mixed: the dominant language wins
    ("Hi! Quiero reservar una sesión para el viernes", "es"),
    ("Hello, ich hätte gerne einen Termin am Freitag", "de"),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("im Kim Park kim.park@example.com", "en"),
    ("im marcus reed, marcus@example.com", "en"),
    ("Hi, this is Lena Müller, lena.mueller@example.de", "en"),
    ("We are at the Boulder Creek Event Center", "en"),
    ("Hola, soy Ana García, ana.garcia@example.com", "es"),
    ("Im Dezember hätten wir gern eine Hochzeit", "de"),
    ("Ich möchte einen Termin am Freitag", "de"),
])
def test_proper_names_and_addresses_carry_no_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected
