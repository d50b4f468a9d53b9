"""The outbound relay as studios really have it: STARTTLS or TLS, with a login, certificates verified."""
from __future__ import annotations

import ssl
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from mail_helpers import Delivered, free_port
from mailroom import outbox
from models import Database, OutboxMail
from models.repo.outbox import queue_mail
from studiobook.config import Settings


@pytest.fixture
def certificate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 that this test's TLS clients trust (SSL_CERT_FILE)."""
    cert, key = tmp_path / "relay.pem", tmp_path / "relay.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    return cert, key


class _Relay:
    def __init__(self) -> None:
        self.received: list[Delivered] = []
        self.logins: list[tuple[bytes, bool]] = []

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and data.login == b"studio" and data.password == b"relay-secret"
        self.logins.append((data.login if isinstance(data, LoginPassword) else b"", ok))
        return AuthResult(success=ok, handled=False)  # unhandled failure: aiosmtpd answers 535

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(Delivered(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content)))
        return "250 OK"


@pytest.fixture
def relay(certificate: tuple[Path, Path], request: pytest.FixtureRequest) -> Iterator[tuple[_Relay, int, str]]:
    mode = request.param
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    handler, port = _Relay(), free_port()
    # PLAIN only: after a refused PLAIN, smtplib tries LOGIN with an initial response aiosmtpd does not take.
    kwargs: dict[str, Any] = dict(authenticator=handler.authenticate, auth_required=True,
                                  auth_exclude_mechanism=["LOGIN"])
    if mode == "starttls":
        controller = Controller(handler, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                                **kwargs)
    else:  # implicit TLS: aiosmtpd's "TLS before AUTH" check only knows STARTTLS
        controller = Controller(handler, hostname="127.0.0.1", port=port, ssl_context=context,
                                auth_require_tls=False, **kwargs)
    controller.start()
    yield handler, port, mode
    controller.stop()


def _queue(db: Database) -> int:
    with db.write() as session:
        return queue_mail(session, domain="studio.localhost", to_addr="lena.fischer@example.com",
                          subject="Your session", body_text="See you on Wednesday.").id


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # implicit TLS is TLS
@pytest.mark.parametrize("relay", ["starttls", "tls"], indirect=True)
def test_mail_goes_out_encrypted_and_logged_in(settings: Settings, db: Database, relay) -> None:  # type: ignore[no-untyped-def]
    handler, port, mode = relay
    relay_settings = replace(settings, smtp_out_port=port, smtp_out_tls=mode, smtp_out_user="studio",
                             smtp_out_password="relay-secret")
    row_id = _queue(db)
    assert outbox.send_due(relay_settings, db).sent == 1
    assert handler.logins == [(b"studio", True)]
    assert [(d.mail_from, d.rcpt_tos) for d in handler.received] == [("book@studio.localhost",
                                                                      ["lena.fischer@example.com"])]
    with db.read() as session:
        assert session.get(OutboxMail, row_id).status == "sent"


@pytest.mark.parametrize("relay", ["starttls"], indirect=True)
def test_a_wrong_relay_password_is_retried_not_failed(settings: Settings, db: Database, relay) -> None:  # type: ignore[no-untyped-def]
    handler, port, mode = relay
    relay_settings = replace(settings, smtp_out_port=port, smtp_out_tls=mode, smtp_out_user="studio",
                             smtp_out_password="wrong")
    row_id = _queue(db)
    report = outbox.send_due(relay_settings, db)
    assert (report.sent, report.retried, report.failed) == (0, 1, 0)  # the owner fixes the setting; mail waits
    with db.read() as session:
        row = session.get(OutboxMail, row_id)
    assert row.status == "queued"
    assert "SMTPAuthenticationError" in row.last_error
    assert handler.received == []
