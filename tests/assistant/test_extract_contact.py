"""E-mail, phone, name and verification-code extraction."""

from __future__ import annotations

import pytest

from assistant.extract.contact import (
    extract_email,
    extract_emails,
    extract_name,
    extract_phone,
    extract_verification_code,
)

EMAIL_CASES = [
    ("My name is Dana Whitfield, dana.whitfield@example.com, 303-555-0188.", "dana.whitfield@example.com"),
    ("Sam Ortiz, sam.ortiz@example.net", "sam.ortiz@example.net"),
    ("I'm Jordan Lee, jordan@hilltopcoffee.example", "jordan@hilltopcoffee.example"),
    ("Hi, it's Priya Raman, priya.raman@example.com. Can I move", "priya.raman@example.com"),
    ("email: Tom.Becker@Example.ORG", "tom.becker@example.org"),
    ("<alicia@gomezbakery.example>", "alicia@gomezbakery.example"),
    ("mailto:ana+fotos@example.es", "ana+fotos@example.es"),
    ("reach me at first.last@sub.domain.co.uk.", "first.last@sub.domain.co.uk"),
    ("o'brien@example.ie works", "o'brien@example.ie"),
    ("dana at example dot com", "dana@example.com"),
    ("dana [at] example [dot] com", "dana@example.com"),
    ("meine E-Mail: jonas.mueller@beispiel.de", "jonas.mueller@beispiel.de"),
    ("no email here", None),
    ("@handle on instagram", None),
    ("meet at the park at 10", None),
    ("", None),
]


@pytest.mark.parametrize("text,expected", EMAIL_CASES)
def test_extract_email(text: str, expected: str | None) -> None:
    assert extract_email(text) == expected


def test_extract_emails_all() -> None:
    assert extract_emails("a@x.com, b@y.org and a@x.com") == ["a@x.com", "b@y.org"]


PHONE_CASES = [
    ("My name is Dana Whitfield, dana.whitfield@example.com, 303-555-0188.", "+13035550188"),
    ("Thanks,\nLena Fischer\n303-555-0123", "+13035550123"),
    ("call me at (720) 555-0199", "+17205550199"),
    ("+1 303 555 0142", "+13035550142"),
    ("+1 (303) 555-0107", "+13035550107"),
    ("my cell is 303.555.0188", "+13035550188"),
    ("Reach me at 7205550199", "+17205550199"),
    ("1-303-555-0188", "+13035550188"),
    ("Tel: +49 30 12345678", "+493012345678"),
    ("Handy: +49 170 1234567", "+491701234567"),
    ("0049 170 1234567", "+491701234567"),
    ("+34 612 34 56 78", "+34612345678"),
    ("+44 20 7946 0958", "+442079460958"),
    ("Call 555-0188", "5550188"),
    ("my number is 720 555 0199 and I'm free at 3", "+17205550199"),
    # not phones
    ("The code is 123456", None),
    ("482913", None),
    ("The wedding is on 2027-06-12", None),
    ("We'd like 12/3/2026 at 10", None),
    ("3.12.2026 um 10 Uhr", None),
    ("It costs $3,200.00", None),
    ("between 10:00-12:00", None),
    ("Dec 3 2026 10 30", None),
    ("order #1234567", None),
    ("zip 80302", None),
    ("", None),
]


@pytest.mark.parametrize("text,expected", PHONE_CASES)
def test_extract_phone(text: str, expected: str | None) -> None:
    assert extract_phone(text) == expected


def test_extract_phone_national_with_default_country() -> None:
    assert extract_phone("0176 12345678", default_country="49") == "+4917612345678"
    assert extract_phone("030 1234567", default_country="49") == "+49301234567"


NAME_CASES = [
    ("My name is Dana Whitfield, dana.whitfield@example.com, 303-555-0188.", None, "Dana Whitfield"),
    ("Sam Ortiz, sam.ortiz@example.net", None, "Sam Ortiz"),
    ("The business is Hilltop Coffee. I'm Jordan Lee, jordan@hilltopcoffee.example", None, "Jordan Lee"),
    ("Hi, it's Priya Raman, priya.raman@example.com. Can I move my December 1 portrait session?", None,
     "Priya Raman"),
    ("Hello,\n\nI'm looking to book a portrait session with the film roll look, ideally Wednesday December 2 "
     "at 1pm.\n\nThanks,\nLena Fischer\n303-555-0123", None, "Lena Fischer"),
    ("Yes, that's perfect, please confirm it. I'll pay at the session.\n\nLena", None, "Lena"),
    ("Yes please, go ahead.\n\nPriya", None, "Priya"),
    ("my name is dana whitfield", None, "Dana Whitfield"),
    ("MY NAME IS DANA WHITFIELD", None, "Dana Whitfield"),
    ("Name: Alicia Gomez", None, "Alicia Gomez"),
    ("This is Tom Becker", None, "Tom Becker"),
    ("Hi I'm Dana", None, "Dana"),
    ("Dana here, can I book?", None, "Dana"),
    ("Thanks, Lena", None, "Lena"),
    ("Best regards,\nMarie-Claire O'Neil", None, "Marie-Claire O'Neil"),
    ("Cheers\n\nJohn van der Berg", None, "John van der Berg"),
    ("Tom Becker <tom.becker@example.org>", None, "Tom Becker"),
    ("Me llamo Ana García, ana@example.es", "es", "Ana García"),
    ("Mi nombre es José Luis Martínez", "es", "José Luis Martínez"),
    ("Soy Carlos Pérez", "es", "Carlos Pérez"),
    ("hola, soy Lucía", "es", "Lucía"),
    ("Saludos,\nMaría López", "es", "María López"),
    ("Ich heiße Jonas Müller", "de", "Jonas Müller"),
    ("Mein Name ist Anna Schmidt und meine Nummer ist +49 170 1234567", "de", "Anna Schmidt"),
    ("Viele Grüße\nKlaus Weber", "de", "Klaus Weber"),
    ("Liebe Grüße,\nSophie", "de", "Sophie"),
    ("Ich bin Lena Fischer", "de", "Lena Fischer"),
    # not names
    ("I'm looking for a photographer", None, None),
    ("I'm free on Thursday", None, None),
    ("I'm interested in headshots", None, None),
    ("I'm available next week", None, None),
    ("I'm not sure yet", None, None),
    ("I'm getting married in June", None, None),
    ("It's Friday!", None, None),
    ("it's fine", None, None),
    ("This is great", None, None),
    ("this is Maya's studio?", None, None),
    ("Ich bin Fotografin", "de", None),
    ("Ich bin interessiert", "de", None),
    ("Soy de Madrid", "es", None),
    ("Yes, please book it.", None, None),
    ("Thanks,\n303-555-0123", None, None),
    ("Thanks!\n\nSent from my iPhone", None, None),
    ("See you Thursday.\n\nThanks", None, None),
    ("", None, None),
]


@pytest.mark.parametrize("text,lang,expected", NAME_CASES, ids=[c[0][:40] for c in NAME_CASES])
def test_extract_name(text: str, lang: str | None, expected: str | None) -> None:
    assert extract_name(text, lang) == expected


def test_quoted_reply_is_ignored_for_names() -> None:
    text = "Yes please.\n\nOn Tue, Nov 24, 2026 at 9:00 AM Juniper & Light wrote:\n> Thanks,\n> Maya Lindqvist"
    assert extract_name(text) is None


CODE_CASES = [
    ("The code is 123456", "123456"),
    ("the code is 4821", "4821"),
    ("code: 48213", "48213"),
    ("Code 12345678", "12345678"),
    ("my code is 12-34-56", "123456"),
    ("482913", "482913"),
    ("123 456", "123456"),
    (" 987654 ", "987654"),
    ("El código es 654321", "654321"),
    ("Der Code lautet 246810", "246810"),
    ("654321 is the code", "654321"),
    ("verification: 1111", "1111"),
    ("PIN 2468", "2468"),
    # no code
    ("call me at 303-555-0188", None),
    ("I'd like 2 portraits", None),
    ("Dec 3 at 10", None),
    ("123", None),
    ("123456789", None),
    ("see you at 1030", None),
    ("", None),
]


@pytest.mark.parametrize("text,expected", CODE_CASES)
def test_extract_verification_code(text: str, expected: str | None) -> None:
    assert extract_verification_code(text) == expected


def test_case_counts() -> None:
    assert len(EMAIL_CASES) + len(PHONE_CASES) + len(NAME_CASES) + len(CODE_CASES) >= 100


@pytest.mark.parametrize("text,expected", [
    ("im marcus reed, marcus@example.com", "Marcus Reed"),
    ("im Kim Park kim.park@example.com", "Kim Park"),
    ("WALT KRAMER, walt@example.com", "Walt Kramer"),
    ("We're Emma and Luis Ortega, emma@example.com", "Emma and Luis Ortega"),
    ("The venue is Chautauqua. We're Emma and Luis Ortega, emma@example.com", "Emma and Luis Ortega"),
    ("see you friday, dana@example.com", None),
    ("Headshots Friday at 10, dana@example.com", None),
    ("i'm looking for headshots, dana@example.com", None),
])
def test_name_before_email_in_any_case(text: str, expected: str | None) -> None:
    assert extract_name(text) == expected
