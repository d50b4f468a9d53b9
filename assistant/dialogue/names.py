"""A client's name when the extractor found none: guessed from their e-mail address.

Why: ``assistant.extract.contact.extract_name`` reads names in every shape people type them ("im marcus
reed, marcus@...", "WALT KRAMER, walt@...", "We're Emma and Luis Ortega, emma@..."); when there is no
name in the message at all, the address itself ("marcus.reed@...") is the best guess. The summary shows
the name before anything is booked, so a wrong guess is corrected, not stored silently.
"""
from __future__ import annotations

import re
from typing import Optional


def name_from_email(email: Optional[str]) -> Optional[str]:
    """"Marcus Reed" from marcus.reed@example.com; None when the local part is not two or three words."""
    if not email or "@" not in email:
        return None
    parts = [p for p in re.split(r"[._-]+", email.split("@", 1)[0]) if p]
    if not 2 <= len(parts) <= 3 or not all(p.isalpha() and len(p) > 1 for p in parts):
        return None
    return " ".join(p[:1].upper() + p[1:].lower() for p in parts)
