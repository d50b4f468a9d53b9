"""Errors a use case raises; each carries a message a person can read."""
from __future__ import annotations

from typing import Optional, Sequence


class RepoError(Exception):
    """Base: ``message`` is safe to show to the user; ``field`` names the offending input, if any."""

    status = 422

    def __init__(self, message: str, field: Optional[str] = None, reasons: Sequence[str] = (),
                 codes: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.reasons = list(reasons) or [message]
        self.codes = list(codes)


class InvalidInput(RepoError):
    status = 422


class BookingRejected(RepoError):
    """The studio's rules forbid this booking (notice, hours, blackout...)."""

    status = 422


class SlotTaken(RepoError):
    """Someone else holds that time (lost a race, or it was booked meanwhile)."""

    status = 409


class NotFound(RepoError):
    status = 404


class NotAllowed(RepoError):
    status = 403
