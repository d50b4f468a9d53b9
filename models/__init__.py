"""SQLAlchemy tables, the database handle and repositories (one transaction per use case)."""
from .admin import Admin, AuditEntry
from .base import Base, UTCDateTime, utcnow
from .bookings import Booking, BookingAddon, Contract, Invoice, Payment, Signature
from .clients import Client, ClientTag, ContactEvent, File
from .db import Database, make_engine, normalise_url
from .messaging import Conversation, InboundMail, Message, Notification, OutboxMail
from .studio import AddOn, AvailabilityRule, Service, Studio, service_addons

__all__ = [
    "Admin", "AuditEntry", "Base", "UTCDateTime", "utcnow", "Booking", "BookingAddon", "Contract", "Invoice",
    "Payment", "Signature", "Client", "ClientTag", "ContactEvent", "File", "Database", "make_engine",
    "normalise_url", "Conversation", "InboundMail", "Message", "Notification", "OutboxMail", "AddOn",
    "AvailabilityRule", "Service", "Studio", "service_addons",
]
