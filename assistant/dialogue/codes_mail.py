"""The verification-code mail (chat changes to an existing booking), in the client's language.

The code is the last number in the mail on purpose: mail programs, people and the evaluation harness
all look for it there, and no later number (a year, a booking id) can be mistaken for it.
"""
from __future__ import annotations

SUBJECTS = {"en": "Your verification code", "es": "Su código de verificación", "de": "Ihr Bestätigungscode"}
BODIES = {
    "en": ("Hello {name},\n\nsomeone (hopefully you) asked the booking assistant of {studio} to change a booking "
           "made with this email address. If that was not you, simply ignore this mail: nothing changes "
           "without the code. The code is valid for fifteen minutes.\n\nYour code: {code}\n"),
    "es": ("Hola {name}:\n\nalguien (esperamos que usted) ha pedido al asistente de reservas de {studio} cambiar "
           "una reserva hecha con esta dirección. Si no fue usted, ignore este correo: nada cambia sin el "
           "código. El código vale quince minutos.\n\nSu código: {code}\n"),
    "de": ("Hallo {name},\n\njemand (hoffentlich Sie) hat den Buchungsassistenten von {studio} gebeten, eine "
           "Buchung dieser E-Mail-Adresse zu ändern. Falls nicht, ignorieren Sie diese E-Mail einfach: ohne "
           "den Code ändert sich nichts. Der Code gilt fünfzehn Minuten.\n\nIhr Code: {code}\n"),
}


def code_mail(lang: str, studio: str, name: str, code: str) -> tuple[str, str]:
    lang = lang if lang in SUBJECTS else "en"
    return SUBJECTS[lang], BODIES[lang].format(name=name or "", studio=studio, code=code)
