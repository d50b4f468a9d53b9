"""Bookings and what hangs off them: add-ons chosen, payments, invoices, contracts, signatures."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .clients import Client
from .studio import AddOn, Service


class Booking(Base):
    """A session. ``start_at``/``end_at`` is the session; ``block_*`` adds the service's buffers.

    On PostgreSQL an exclusion constraint over ``[block_start, block_end)`` for active statuses makes
    overlapping bookings impossible (see the initial migration).
    """

    __tablename__ = "bookings"
    __table_args__ = (Index("ix_bookings_active_start", "status", "start_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    start_at: Mapped[datetime] = mapped_column(index=True)
    end_at: Mapped[datetime]
    block_start: Mapped[datetime]
    block_end: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20), default="pending")
    payment_status: Mapped[str] = mapped_column(String(20), default="unpaid")
    payment_choice: Mapped[str] = mapped_column(String(20), default="deposit")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    subtotal_cents: Mapped[int] = mapped_column(Integer, default=0)
    discount_cents: Mapped[int] = mapped_column(Integer, default=0)
    tax_cents: Mapped[int] = mapped_column(Integer, default=0)
    total_cents: Mapped[int] = mapped_column(Integer, default=0)
    deposit_cents: Mapped[int] = mapped_column(Integer, default=0)
    #: The quote's line items when booked: [{"label", "amount", "kind"}] (amount as string).
    line_items: Mapped[list[Any]] = mapped_column(default=list)
    location: Mapped[Optional[str]] = mapped_column(String(300), nullable=True)
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    notes: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    owner_notes: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20), default="api")
    conversation_id: Mapped[Optional[str]] = mapped_column(ForeignKey("conversations.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[Optional[datetime]] = mapped_column(nullable=True)

    service: Mapped[Service] = relationship(lazy="joined")
    client: Mapped[Client] = relationship(lazy="joined")
    addons: Mapped[list["BookingAddon"]] = relationship(
        back_populates="booking", cascade="all, delete-orphan", lazy="selectin", order_by="BookingAddon.id"
    )
    payments: Mapped[list["Payment"]] = relationship(back_populates="booking", cascade="all, delete-orphan")

    @property
    def addon_slugs(self) -> list[str]:
        return [a.addon.slug for a in self.addons]


class BookingAddon(Base):
    __tablename__ = "booking_addons"
    __table_args__ = (UniqueConstraint("booking_id", "addon_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), index=True)
    addon_id: Mapped[int] = mapped_column(ForeignKey("addons.id"))
    price_cents: Mapped[int] = mapped_column(Integer, default=0)

    booking: Mapped[Booking] = relationship(back_populates="addons")
    addon: Mapped[AddOn] = relationship(lazy="joined")


class Payment(Base):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), index=True)
    invoice_id: Mapped[Optional[int]] = mapped_column(ForeignKey("invoices.id", ondelete="SET NULL"), nullable=True)
    kind: Mapped[str] = mapped_column(String(20), default="deposit")  # deposit, balance, refund
    amount_cents: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(30), default="manual")
    note: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(default=utcnow)

    booking: Mapped[Booking] = relationship(back_populates="payments")


class Invoice(Base):
    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft, sent, paid, void
    total_cents: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[Optional[datetime]] = mapped_column(nullable=True)
    file_id: Mapped[Optional[int]] = mapped_column(ForeignKey("files.id", ondelete="SET NULL"), nullable=True)


class Contract(Base):
    __tablename__ = "contracts"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    template: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft, sent, signed, void
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    signed_at: Mapped[Optional[datetime]] = mapped_column(nullable=True)
    file_id: Mapped[Optional[int]] = mapped_column(ForeignKey("files.id", ondelete="SET NULL"), nullable=True)


class Signature(Base):
    __tablename__ = "signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_email: Mapped[str] = mapped_column(String(320))
    #: sha256 of the exact contract text that was signed.
    document_sha256: Mapped[str] = mapped_column(String(64))
    signature_data: Mapped[str] = mapped_column(Text, default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(400), default="")
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
