"""Fixtures for mail stories: a real SMTP sink (the studio's relay), the running mailroom, an assistant.

No SMTP or IMAP is mocked: mail goes over loopback sockets to aiosmtpd servers. Only the assistant
may be replaced by a tiny fake (``fake_agent``) where a test asserts the reply's exact content.
"""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, AsyncIterator, Iterator

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the stories import mail_helpers (no package here)

from mail_helpers import FakeAgent, Sink, free_port, running_mailroom
from mailroom import assistant_hook, lifecycle
from models import Database
from studiobook.config import Settings


@pytest.fixture
def sink() -> Iterator[Sink]:
    """The outbound relay: an aiosmtpd server on a free loopback port that keeps what it receives."""
    relay = Sink(free_port())
    relay.start()
    yield relay
    relay.stop()


@pytest.fixture
def mail_settings(settings: Settings, sink: Sink) -> Settings:
    """The demo studio's settings with inbound SMTP on a free port and the sink as relay."""
    return replace(settings, smtp_in_port=free_port(), smtp_out_host="127.0.0.1", smtp_out_port=sink.port,
                   mail_domain="studio.localhost")


@pytest.fixture
def fake_agent(monkeypatch: pytest.MonkeyPatch) -> FakeAgent:
    """A stand-in for ``assistant.agent.handle_message`` that answers with a fixed text and records calls."""
    agent = FakeAgent()
    monkeypatch.setattr(assistant_hook, "load_handler", lambda: agent)
    return agent


@pytest.fixture
def no_agent(monkeypatch: pytest.MonkeyPatch) -> None:
    """The build without the assistant: mail waits for the owner."""
    monkeypatch.setattr(assistant_hook, "load_handler", lambda: None)


@pytest.fixture
def any_agent(request: pytest.FixtureRequest) -> Any:
    """The real assistant when it is part of the build, else the fake one."""
    if assistant_hook.load_handler() is not None:
        return None
    return request.getfixturevalue("fake_agent")


@pytest.fixture
def booking_mails(mail_settings: Settings) -> Iterator[Settings]:
    """Booking changes queue client mails (as under ``studiobook serve``) for this test only."""
    lifecycle.install(mail_settings)
    yield mail_settings
    lifecycle.uninstall()


@pytest.fixture
async def mailroom(mail_settings: Settings, db: Database) -> AsyncIterator[Settings]:
    """The whole mailroom running in the test's event loop, as ``studiobook serve`` runs it."""
    async with running_mailroom(mail_settings, db) as running:
        yield running
