"""Admin accounts: argon2id password hashes."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from ..admin import Admin
from ..db import Database
from .bookings import validate_email
from .errors import InvalidInput

hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def create_or_update_admin(db: Database, email: str, password: str) -> bool:
    """Create the admin, or set a new password if it exists; returns True when created."""
    email = validate_email(email, "email")
    if len(password) < 8:
        raise InvalidInput("The password must be at least 8 characters long.", "password")
    with db.write() as session:
        admin = session.scalars(select(Admin).where(Admin.email == email)).first()
        if admin is None:
            session.add(Admin(email=email, password_hash=hasher.hash(password)))
            return True
        admin.password_hash = hasher.hash(password)
        return False


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
