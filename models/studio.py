"""The studio's catalogue and rules: settings, services, add-ons, weekly hours and blackouts."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import (Boolean, Column, Date, Float, ForeignKey, Integer, Numeric, String, Table, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

service_addons = Table(
    "service_addons",
    Base.metadata,
    Column("service_id", ForeignKey("services.id", ondelete="CASCADE"), primary_key=True),
    Column("addon_id", ForeignKey("addons.id", ondelete="CASCADE"), primary_key=True),
)


class Studio(Base):
    """One row: the studio's identity and global booking rules."""

    __tablename__ = "studio"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    slot_step_minutes: Mapped[int] = mapped_column(Integer, default=30)
    min_notice_hours: Mapped[float] = mapped_column(Float, default=0)
    max_horizon_days: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    daily_hours_limit: Mapped[Optional[float]] = mapped_column(Float, nullable=True)
    max_bookings_per_day: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    travel_minutes: Mapped[int] = mapped_column(Integer, default=0)
    deposit_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    tax_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    location: Mapped[str] = mapped_column(String(300), default="")
    #: New bookings wait for the owner's approval (pending) instead of being confirmed at once.
    approval_required: Mapped[bool] = mapped_column(Boolean, default=True)
    review_after_days: Mapped[int] = mapped_column(Integer, default=3)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Service(Base):
    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    duration_minutes: Mapped[int] = mapped_column(Integer)
    pricing_kind: Mapped[str] = mapped_column(String(20), default="fixed")
    price_cents: Mapped[int] = mapped_column(Integer, default=0)
    buffer_before_minutes: Mapped[int] = mapped_column(Integer, default=0)
    buffer_after_minutes: Mapped[int] = mapped_column(Integer, default=0)
    #: When true the service's own weekly rows replace the studio's weekly hours.
    own_hours: Mapped[bool] = mapped_column(Boolean, default=False)
    max_per_day: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    on_location: Mapped[bool] = mapped_column(Boolean, default=False)
    min_notice_hours: Mapped[Optional[float]] = mapped_column(Float, nullable=True)
    deposit_percent: Mapped[Optional[Decimal]] = mapped_column(Numeric(5, 2), nullable=True)
    exempt_from_daily_limit: Mapped[bool] = mapped_column(Boolean, default=False)
    #: [{"kind": "returning_client", "percent": 10}, ...] as in the studio JSON format.
    discounts: Mapped[list[Any]] = mapped_column(default=list)
    #: Intake fields: [{"name", "label", "type", "required", "choices"?}].
    fields: Mapped[list[Any]] = mapped_column(default=list)
    color: Mapped[str] = mapped_column(String(20), default="#4f86c6")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    addons: Mapped[list["AddOn"]] = relationship(secondary=service_addons, order_by="AddOn.id")
    hours: Mapped[list["AvailabilityRule"]] = relationship(
        back_populates="service", cascade="all, delete-orphan",
        primaryjoin="and_(Service.id == AvailabilityRule.service_id, AvailabilityRule.kind == 'weekly')",
        overlaps="rules",
    )


class AddOn(Base):
    __tablename__ = "addons"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    pricing_kind: Mapped[str] = mapped_column(String(30), default="fixed")
    price_cents: Mapped[int] = mapped_column(Integer, default=0)
    extends_minutes: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AvailabilityRule(Base):
    """A weekly opening window (``kind='weekly'``) or a closed date range (``kind='blackout'``).

    Weekly rows with ``service_id`` set belong to that service (used when ``Service.own_hours``);
    rows without belong to the studio. Times are studio-local "HH:MM" strings.
    """

    __tablename__ = "availability_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="weekly")
    service_id: Mapped[Optional[int]] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"), nullable=True)
    weekday: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    start_time: Mapped[Optional[str]] = mapped_column(String(5), nullable=True)
    end_time: Mapped[Optional[str]] = mapped_column(String(5), nullable=True)
    start_date: Mapped[Optional[date]] = mapped_column(Date, nullable=True)
    end_date: Mapped[Optional[date]] = mapped_column(Date, nullable=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    service: Mapped[Optional[Service]] = relationship(overlaps="hours")
