"""Recognise machine-sent mail (auto-replies, bounces, lists, bulk) so it never gets an answer.

Why: answering an out-of-office notice or a bounce starts mail loops, and reading a bounce that
carries the studio's own offer as if the client had written it would "book" the studio's own
proposed times. No single header is reliable -- Exchange sends out-of-office notices without
``Auto-Submitted``, iCloud with a normal envelope sender, Lotus Domino bounces with nothing but a
null envelope -- so every known signal is checked, each by one small rule of ``CHAIN`` (in order):

* RFC 3834 ``Auto-Submitted`` (anything but ``no``), ``X-Auto-Response-Suppress``,
  ``Precedence: bulk/list/junk/auto_reply``, vendor autoresponder headers (``X-Autoreply``,
  ``X-Autorespond``, ``X-Apple-Action: VACATION``, Exchange's ``X-MS-Exchange-*`` markers ...);
* the null or MAILER-DAEMON/postmaster envelope sender, and a MAILER-DAEMON/postmaster From;
* ``multipart/report`` and ``message/delivery-status`` parts;
* mailing-list headers (``List-Id``, ``List-Unsubscribe``, ``Mailing-List`` ...) and bulk-mailer
  headers (``Feedback-ID``, ``X-Campaign``, ``X-Mailgun-*`` ...);
* the subject conventions of autoresponders and MTAs in several languages, anchored at the start
  of the subject (so a client's "Re: Automatic reply question" is still human).

Body text is never a signal on its own: a client writing "I'm out of office next week, can we
book?" is a client. Pure functions; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email import policy
from typing import Callable, Literal

from mailroom.addresses import extract_addr, is_for_domain
from mailroom.parsing import ParsedMail

__all__ = ["CHAIN", "MachineVerdict", "STUDIOBOOK_HEADER", "classify", "is_our_own"]

Kind = Literal["auto_reply", "bounce", "list", "bulk"]

#: Marker header on every mail Studiobook sends (any value); with our Message-ID it identifies our own mail.
STUDIOBOOK_HEADER = "X-Studiobook"


@dataclass(frozen=True)
class MachineVerdict:
    is_machine: bool
    kind: Kind | None
    reasons: tuple[str, ...]


_DAEMON_LOCALS = frozenset(
    {
        "mailer-daemon", "mailer_daemon", "mailerdaemon", "postmaster", "mail-daemon", "maildaemon",
        "mdaemon", "mail.daemon", "mail-delivery-system", "mail-delivery-subsystem", "maildelivery",
    }
)
_DAEMON_NAME_RE = re.compile(
    r"^(?:mail delivery (?:system|subsystem|service)|mailer[- ]daemon|postmaster|mail administrator|"
    r"system administrator|microsoft outlook|delivery status notification|mail system|internet mail delivery)$",
    re.IGNORECASE,
)

# --- subjects (anchored; an optional "[" or "*" bracket is tolerated, "Re:"/"Fwd:" are not) ----
_AUTO_REPLY_SUBJECT_RE = re.compile(
    r"^[\s\[\(*]*(?:"
    r"automatic reply|auto(?:matic)?[- ]?(?:reply|response|answer|antwort)|autoreply|autorespond(?:er)?|"
    r"auto:|out of (?:the )?office\s*(?::|auto ?reply|reply|notification|message|response|-)|out of office$|"
    r"abwesenheits?(?:notiz|nachricht|meldung|benachrichtigung)|abwesend\s*:|"
    r"automatische (?:antwort|r[üu]ckmeldung)|automatisch antwoord|afwezig\s*:|"
    r"respuesta autom[áa]tica|fuera de la oficina\s*:|r[ée]ponse automatique|absence du bureau|absent\s*:|"
    r"risposta automatica|fuori sede\s*:|resposta autom[áa]tica|automatyczna odpowied[źz]|odpowied[źz] automatyczna|"
    r"autosvar|automatisk svar|automaattinen vastaus|automatick[áa] odpov[ěe][ďd]|automatikus v[áa]lasz|"
    r"автоматический ответ|自動応答|自动回复|"
    r"vacation(?:\s+(?:reply|response|notice|message|auto-?reply))?\s*:|vacation (?:reply|response|notice|message)|"
    r"on vacation\s*:|away from (?:the|my) (?:office|desk)\s*:"
    r")",
    re.IGNORECASE,
)
_AUTO_REPLY_SUFFIX_RE = re.compile(
    r"[\(\[]\s*(?:automatic (?:response|reply)|auto[- ]?(?:reply|response)|autoreply|out of office|"
    r"abwesenheitsnotiz|respuesta autom[áa]tica|r[ée]ponse automatique)\s*[\)\]]\s*$",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT_RE = re.compile(
    r"^[\s\[\(*]*(?:"
    r"undeliverable|undelivered mail|undeliverable mail|undelivered message|delivery status notification|"
    r"delivery (?:status )?notification\s*:|mail delivery (?:failed|failure|problem|subsystem|system)|"
    r"message delivery (?:failure|failed)|returned mail|returned to sender|delivery failure|delivery failed|"
    r"delivery has failed|delivery notification\s*:|failure notice|warning: could not send message|"
    r"warning: message .{1,120} delayed|delayed mail|delivery delayed|message delayed|"
    r"nicht zustellbar|unzustellbar|zustellung fehlgeschlagen|unzustellbare nachricht|"
    r"non remis|non distribu[ée]|[ée]chec de (?:la )?remise|no se puede entregar|no entregado|"
    r"non recapitabile|impossibile recapitare|onbestelbaar|kan niet worden bezorgd|"
    r"kunde inte levereras|ikke leveret|niedostarczalna|nie dostarczono|"
    r"notice: mail delivery status|mail system error|could not deliver|undeliverable message|"
    r"message not delivered|delivery report|non-delivery|nondeliverable|dsn:|"
    r"mail could not be delivered|message could not be delivered|unable to deliver|"
    r"your message (?:could not|couldn't|wasn't|was not) (?:be )?delivered|returned message"
    r")",
    re.IGNORECASE,
)
_CHALLENGE_SUBJECT_RE = re.compile(
    r"(?:please (?:confirm|verify) (?:your|that you|you are|the sender)|(?:confirm|verify) your (?:e-?mail|message|"
    r"address|identity|sender)|sender verification|awaiting (?:your )?verification|message (?:is )?(?:on hold|"
    r"waitlisted|pending)|\(action required\)|challenge[- ]response|i use (?:boxbe|spamarrest|mailsbestfriend))",
    re.IGNORECASE,
)
_CHALLENGE_SENDERS = ("boxbe.com", "spamarrest.com", "mailsbestfriend.com", "sanebox.com", "mimecast.com",
                      "bluebottle.com", "choicemail.com", "mailinblack.com", "mailinblack.net")

_NOREPLY_LOCAL_RE = re.compile(r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|noreply[-+].*|no[-_.]?response)$", re.I)

_LIST_HEADERS = ("list-id", "list-post", "list-help", "list-subscribe", "list-owner", "list-archive", "mailing-list",
                 "x-mailing-list", "x-mailman-version", "x-ezmlm-version", "x-listserver", "x-list",
                 "x-beenthere", "x-google-group-id", "x-listmember")
#: Weak on their own: personal mail services set them too (Proton and Fastmail put a Feedback-ID on
#: every user's mail, Proton an X-Pm-Message-ID; Amazon WorkMail sends through SES).
_WEAK_BULK_HEADERS = ("feedback-id", "x-feedback-id", "x-ses-outgoing", "x-report-abuse", "x-report-abuse-to")
_BULK_HEADERS = ("x-campaign", "x-campaignid", "x-campaign-id", "x-mc-user",
                 "x-mailchimp-campaign", "x-mandrill-user", "x-mailgun-sid", "x-mailgun-tag", "x-mailgun-variables",
                 "x-mailgun-batch-id", "x-sg-eid", "x-sg-id", "x-sendgrid-eid", "x-sib-id", "x-mailjet-campaign",
                 "x-mailjet-trackopen", "x-csa-complaints", "x-marketoid", "x-mktomailid", "x-newsletter",
                 "x-rpcampaign", "x-pmta-campaign", "x-sfmc-stack",
                 "x-hs-hubspot", "x-hubspot-mid", "x-mailerlite-campaign", "x-em-uid", "x-msfbl",
                 "list-unsubscribe-post", "x-rp-campaign", "x-emarsys-identify", "x-klaviyo", "x-bulkmail",
                 "x-cmae-score", "x-listunsubscribe", "x-mailer-recptid", "x-brevo-id")
_BULK_MAILER_RE = re.compile(
    r"mailchimp|mailgun|sendgrid|sendinblue|brevo|mailjet|mautic|phplist|mailpoet|campaign monitor|createsend|"
    r"constant ?contact|hubspot|marketo|pardot|klaviyo|mailerlite|getresponse|aweber|acumbamail|newsletter|"
    r"cleverreach|rapidmail|emarsys|salesforce marketing|exacttarget|listmonk|sendy|acymailing|mass ?mail|"
    r"bulk ?mail|mailing ?list",
    re.IGNORECASE,
)
_AUTORESPONDER_MAILER_RE = re.compile(
    r"vacation|autorespond|auto[- ]?reply|auto[- ]?responder|autoresponse|out of office|abwesenheit|"
    r"mail::vacation|mdaemon.*autorespond",
    re.IGNORECASE,
)
_AUTOREPLY_HEADERS = ("x-autoreply", "x-autorespond", "x-autoresponder", "x-auto-reply", "x-auto-reply-from",
                      "x-autoreply-from", "x-mail-autoreply", "x-autoresponse", "x-auto-response", "x-vacation",
                      "x-ms-exchange-generated-message-source", "x-autogenerated", "x-auto-generated",
                      "x-mailer-autoresponse", "x-cron-env", "x-fc-machinegenerated", "x-zimbra-autoreply")
#: Header names of vendors' out-of-office / autoresponder markers (Exchange's ...-OOF, X-Vacation-..., ...)
_VENDOR_AUTOREPLY_NAME_RE = re.compile(r"^x-.*(?:auto-?repl|auto-?respon|vacation|(?:^|-)oof(?:-|$))", re.IGNORECASE)
_BOUNCE_HEADERS = ("x-failed-recipients", "x-ms-exchange-message-is-ndr", "x-ms-embedded-report",
                   "x-mailer-daemon-error", "x-postfix-sender", "x-yahoo-newman-property", "x-bounce-id")
_REPORT_TYPES = ("message/delivery-status", "message/global-delivery-status", "message/disposition-notification",
                 "message/global-disposition-notification", "message/feedback-report", "text/rfc822-headers",
                 "message/global-headers")


def _local_part(addr: str | None) -> str:
    if not addr:
        return ""
    a = addr.strip().strip("<>").strip()
    return a.rpartition("@")[0].lower() if "@" in a else a.lower()


def _is_daemon_addr(addr: str | None) -> bool:
    local = _local_part(addr)
    if not local:
        return False
    base = local.split("+", 1)[0]
    return base in _DAEMON_LOCALS or base.startswith(("mailer-daemon", "postmaster"))


def _is_null_sender(addr: str | None) -> bool:
    return addr is not None and addr.strip() in ("", "<>", "<<>>")


def _first_token(value: str) -> str:
    return re.split(r"[\s;(,]", value.strip().lower(), maxsplit=1)[0] if value.strip() else ""


def _header_addr_value(value: str | None) -> str | None:
    """The address inside a Return-Path/Sender-like header (``<>`` for the null path)."""
    if value is None:
        return None
    v = value.strip()
    m = re.search(r"<([^<>]*)>", v)
    if m:
        return m.group(1).strip()
    return v


class _Signals:
    """What the rules found: reasons in chain order, weight per kind, strong/weak counts."""

    def __init__(self) -> None:
        self.reasons: list[str] = []
        self.kinds: dict[str, int] = {}
        self.strong = False
        self.weak = 0
        self.challenge = False

    def add(self, kind: str, reason: str, *, strong: bool = True, weight: int = 1) -> None:
        self.reasons.append(reason)
        self.kinds[kind] = self.kinds.get(kind, 0) + weight
        if strong:
            self.strong = True
        else:
            self.weak += 1


class _Mail:
    """The message as the rules see it: stripped header values and the From address, read once."""

    def __init__(self, parsed: ParsedMail, envelope_from: str | None, our_domain: str | None) -> None:
        self.parsed = parsed
        self.envelope_from = envelope_from
        self.our_domain = our_domain
        from_raw = self.hv("from") or ""
        from_parsed = extract_addr(from_raw) if from_raw else None
        self.from_addr = parsed.from_addr or (from_parsed[1] if from_parsed else _header_addr_value(from_raw))
        self.from_name = (parsed.from_name or (from_parsed[0] if from_parsed else "")).strip().strip('"')
        self.subject = " ".join((parsed.subject or "").split())

    def hv(self, name: str) -> str | None:
        v = self.parsed.headers.get(name)
        return v if v is None else v.strip()


#: A rule looks at the mail and adds what it finds to the signals (Mailman 3's rule chain, with weights).
Rule = Callable[[_Mail, _Signals], None]


# --- RFC 3834 and Exchange ----------------------------------------------------------------------


def _auto_submitted(m: _Mail, s: _Signals) -> None:
    """RFC 3834 ``Auto-Submitted``: any value but ``no`` is an automatic message."""
    auto_submitted = m.hv("auto-submitted")
    if auto_submitted is not None:
        token = _first_token(auto_submitted)
        if token and token != "no":
            s.add("auto_reply", f"Auto-Submitted: {auto_submitted}")


def _auto_response_suppress(m: _Mail, s: _Signals) -> None:
    """Exchange's ``X-Auto-Response-Suppress`` is set on its own automatic mail."""
    if m.hv("x-auto-response-suppress") is not None:
        s.add("auto_reply", "X-Auto-Response-Suppress present")


def _precedence(m: _Mail, s: _Signals) -> None:
    """``Precedence``/``X-Precedence``: bulk, list, junk or auto_reply."""
    precedence = m.hv("precedence") or m.hv("x-precedence")
    if precedence:
        p = _first_token(precedence)
        if p in ("bulk",):
            s.add("bulk", f"Precedence: {precedence}")
        elif p in ("list",):
            s.add("list", f"Precedence: {precedence}")
        elif p in ("junk",):
            s.add("auto_reply", f"Precedence: {precedence}")
        elif p in ("auto_reply", "auto-reply", "autoreply"):
            s.add("auto_reply", f"Precedence: {precedence}")


# --- envelope and senders ------------------------------------------------------------------------


def _envelope_sender(m: _Mail, s: _Signals) -> None:
    """SMTP ``MAIL FROM``: the null sender or MAILER-DAEMON/postmaster (bounces); VERP bounce addresses (bulk, weak)."""
    envelope_from = m.envelope_from
    if envelope_from is not None:
        if _is_null_sender(envelope_from):
            s.add("bounce", "null envelope sender", weight=1)
        elif _is_daemon_addr(envelope_from):
            s.add("bounce", f"envelope sender {envelope_from}", weight=2)
        elif re.match(r"^(?:bounces?|return|bnc)[-+=._]", _local_part(envelope_from)):
            s.add("bulk", f"VERP bounce envelope {envelope_from}", strong=False)


def _return_path(m: _Mail, s: _Signals) -> None:
    """``Return-Path: <>`` (unless the envelope already said so) or a daemon return path (IMAP has no envelope)."""
    return_path = _header_addr_value(m.hv("return-path"))
    if return_path is not None:
        if return_path == "" and not (m.envelope_from is not None and _is_null_sender(m.envelope_from)):
            s.add("bounce", "Return-Path: <>", weight=1)
        elif return_path and _is_daemon_addr(return_path):
            s.add("bounce", f"Return-Path {return_path}", weight=2)


def _envelope_from_header(m: _Mail, s: _Signals) -> None:
    """An ``Envelope-From``/``X-Envelope-From`` header naming the null sender."""
    envelope_hdr = _header_addr_value(m.hv("envelope-from") or m.hv("x-envelope-from"))
    if envelope_hdr == "":
        s.add("bounce", "Envelope-From: <>", weight=1)


def _daemon_from(m: _Mail, s: _Signals) -> None:
    """From MAILER-DAEMON/postmaster, or a daemon's display name over a no-reply (or no) address."""
    if _is_daemon_addr(m.from_addr):
        s.add("bounce", f"From {m.from_addr}", weight=2)
    elif m.from_name and _DAEMON_NAME_RE.match(m.from_name) and (
            not m.from_addr or _NOREPLY_LOCAL_RE.match(_local_part(m.from_addr))):
        s.add("bounce", f"From name {m.from_name!r}", weight=2)


def _daemon_sender(m: _Mail, s: _Signals) -> None:
    """A MAILER-DAEMON/postmaster ``Sender``."""
    sender = _header_addr_value(m.hv("sender"))
    if sender and _is_daemon_addr(sender):
        s.add("bounce", f"Sender {sender}", weight=2)


# --- reports (RFC 6522) ---------------------------------------------------------------------------


def _multipart_report(m: _Mail, s: _Signals) -> None:
    """``multipart/report``: read receipts are auto-replies, feedback reports bulk, the rest bounces."""
    ctype = (m.parsed.content_type or "").lower()
    report_type = ""
    ct_header = (m.hv("content-type") or "").lower()
    found = re.search(r"report-type\s*=\s*\"?([a-z0-9/_.-]+)", ct_header)
    if found:
        report_type = found.group(1)
    if ctype == "multipart/report":
        if report_type in ("disposition-notification",):
            s.add("auto_reply", "multipart/report; report-type=disposition-notification")
        elif report_type in ("feedback-report",):
            s.add("bulk", "multipart/report; report-type=feedback-report")
        else:
            s.add("bounce", f"multipart/report; report-type={report_type or '?'}", weight=3)


def _report_parts(m: _Mail, s: _Signals) -> None:
    """A ``message/delivery-status`` (or disposition, feedback, headers) part anywhere in the mail."""
    for pt in m.parsed.part_types:
        if pt in _REPORT_TYPES:
            kind = "auto_reply" if "disposition" in pt else ("bulk" if "feedback" in pt else "bounce")
            s.add(kind, f"{pt} part", weight=3 if kind == "bounce" else 1)
            break


# --- vendor autoresponder and bounce headers --------------------------------------------------------


def _autoreply_headers(m: _Mail, s: _Signals) -> None:
    """Known autoresponder headers (``X-Autoreply``, ``X-Autorespond``, ``X-Vacation`` ...) unless set to no."""
    for name in _AUTOREPLY_HEADERS:
        v = m.hv(name)
        if v is not None and (v.lower() not in ("no", "false", "0") or name == "x-ms-exchange-generated-message-source"):
            s.add("auto_reply", f"{name}: {v[:60]}")


def _vendor_autoreply_headers(m: _Mail, s: _Signals) -> None:
    """Any other ``X-...`` header named like an autoresponder (Exchange's ``...-OOF``, ``X-Vacation-...``)."""
    h = m.parsed.headers
    vendor = sorted(
        n for n in h
        if _VENDOR_AUTOREPLY_NAME_RE.search(n) and n not in _AUTOREPLY_HEADERS and n != "x-auto-response-suppress"
        and (h[n] or "").strip().lower() not in ("no", "false", "0")
    )
    if vendor:
        s.add("auto_reply", "vendor autoresponder headers: " + ", ".join(vendor[:5]))


def _apple_vacation(m: _Mail, s: _Signals) -> None:
    """iCloud's ``X-Apple-Action: VACATION``."""
    apple = m.hv("x-apple-action")
    if apple and "vacation" in apple.lower():
        s.add("auto_reply", f"X-Apple-Action: {apple}")


def _exchange_rules_loop(m: _Mail, s: _Signals) -> None:
    """``X-MS-Exchange-Inbox-Rules-Loop``: an inbox rule forwarded or answered it (weak)."""
    if m.hv("x-ms-exchange-inbox-rules-loop") is not None:
        s.add("auto_reply", "X-MS-Exchange-Inbox-Rules-Loop", strong=False)


def _bounce_headers(m: _Mail, s: _Signals) -> None:
    """MTA bounce headers (``X-Failed-Recipients``, Exchange's NDR marker ...)."""
    for name in _BOUNCE_HEADERS:
        v = m.hv(name)
        if v is not None and not (name == "x-yahoo-newman-property" and "bounce" not in v.lower()):
            s.add("bounce", f"{name} present", weight=3)


def _x_loop(m: _Mail, s: _Signals) -> None:
    """``X-Loop``: procmail/list loop guard; forwarders add it to human mail too (weak)."""
    if m.hv("x-loop") is not None:
        s.add("auto_reply", f"X-Loop: {m.hv('x-loop')[:60]}", strong=False)


def _mailer(m: _Mail, s: _Signals) -> None:
    """``X-Mailer``/``User-Agent`` of an autoresponder or a bulk mailer."""
    mailer = " ".join(filter(None, [m.hv("x-mailer"), m.hv("user-agent")]))
    if mailer:
        if _AUTORESPONDER_MAILER_RE.search(mailer):
            s.add("auto_reply", f"X-Mailer autoresponder: {mailer[:60]}")
        elif _BULK_MAILER_RE.search(mailer):
            s.add("bulk", f"X-Mailer bulk: {mailer[:60]}")


# --- lists and bulk (RFC 2369, RFC 2919) --------------------------------------------------------------


def _list_headers(m: _Mail, s: _Signals) -> None:
    """Mailing-list headers: ``List-Id``, ``List-Post``, ``Mailing-List``, Mailman/ezmlm/Google Groups markers."""
    list_hits = [n for n in _LIST_HEADERS if m.hv(n) is not None]
    if list_hits:
        s.add("list", "list headers: " + ", ".join(list_hits), weight=2)


def _list_unsubscribe(m: _Mail, s: _Signals) -> None:
    """``List-Unsubscribe``: newsletters and marketing mail."""
    if m.hv("list-unsubscribe") is not None:
        s.add("bulk", "List-Unsubscribe")


def _bulk_headers(m: _Mail, s: _Signals) -> None:
    """Bulk-mailer headers (Mailchimp, Mailgun, SendGrid, HubSpot ...)."""
    bulk_hits = [n for n in _BULK_HEADERS if m.hv(n) is not None]
    if bulk_hits:
        s.add("bulk", "bulk-mailer headers: " + ", ".join(bulk_hits))


def _weak_bulk_headers(m: _Mail, s: _Signals) -> None:
    """``Feedback-ID``, SES markers: personal mail services set them too (weak)."""
    weak_bulk = [n for n in _WEAK_BULK_HEADERS if m.hv(n) is not None]
    if weak_bulk:
        s.add("bulk", "bulk-sender headers: " + ", ".join(weak_bulk), strong=False)


# --- subject and sender conventions -------------------------------------------------------------------


def _subject_conventions(m: _Mail, s: _Signals) -> None:
    """Bounce and autoresponder subjects in several languages, anchored at the start (or a bracketed suffix)."""
    subject = m.subject
    if subject:
        if _BOUNCE_SUBJECT_RE.match(subject):
            s.add("bounce", f"subject {subject[:60]!r}", weight=2)
        elif _AUTO_REPLY_SUBJECT_RE.match(subject) or _AUTO_REPLY_SUFFIX_RE.search(subject):
            s.add("auto_reply", f"subject {subject[:60]!r}", weight=2)


def _challenge_subject(m: _Mail, s: _Signals) -> None:
    """A challenge-response subject ("please verify you are ..."), only from a challenge service, a
    no-reply sender, or when an earlier rule already found something (a client may write "confirm")."""
    subject = m.subject
    if subject and _CHALLENGE_SUBJECT_RE.search(subject):
        sender_domain = (m.from_addr or "").rpartition("@")[2].lower()
        if (
            any(sender_domain == d or sender_domain.endswith("." + d) for d in _CHALLENGE_SENDERS)
            or _NOREPLY_LOCAL_RE.match(_local_part(m.from_addr))
            or s.reasons
        ):
            s.add("auto_reply", f"challenge-response subject {subject[:60]!r}", weight=2)


def _challenge_service(m: _Mail, s: _Signals) -> None:
    """Mail from a challenge-response service (Boxbe, SpamArrest ...): an answer to us, whatever it looks like."""
    if m.from_addr:
        dom = m.from_addr.rpartition("@")[2].lower()
        if any(dom == d or dom.endswith("." + d) for d in _CHALLENGE_SENDERS):
            s.add("auto_reply", f"challenge-response service {dom}", weight=4)
            s.challenge = True


def _noreply_sender(m: _Mail, s: _Signals) -> None:
    """A no-reply/do-not-reply From address (weak: some shops send real questions from them)."""
    if m.from_addr and _NOREPLY_LOCAL_RE.match(_local_part(m.from_addr)):
        s.add("bulk", f"no-reply sender {m.from_addr}", strong=False)


def _returns_our_mail_rule(m: _Mail, s: _Signals) -> None:
    """A returned copy of our own mail (weak alone: a client may forward our mail back as an attachment)."""
    if m.our_domain and _returns_our_mail(m.parsed, m.our_domain):
        s.add("bounce", "returns a message sent by us", weight=3, strong=False)


#: The chain, in order. Order matters only for the order of ``reasons`` and for ``_challenge_subject``,
#: which trusts a challenge subject when an earlier rule found anything.
CHAIN: tuple[Rule, ...] = (
    _auto_submitted,
    _auto_response_suppress,
    _precedence,
    _envelope_sender,
    _return_path,
    _envelope_from_header,
    _daemon_from,
    _daemon_sender,
    _multipart_report,
    _report_parts,
    _autoreply_headers,
    _vendor_autoreply_headers,
    _apple_vacation,
    _exchange_rules_loop,
    _bounce_headers,
    _x_loop,
    _mailer,
    _list_headers,
    _list_unsubscribe,
    _bulk_headers,
    _weak_bulk_headers,
    _subject_conventions,
    _challenge_subject,
    _challenge_service,
    _noreply_sender,
    _returns_our_mail_rule,
)


def classify(parsed: ParsedMail, envelope_from: str | None, *, our_domain: str | None = None) -> MachineVerdict:
    """Is this mail machine-generated, and what kind?

    ``envelope_from`` is the SMTP ``MAIL FROM`` (``""``/``"<>"`` for the null sender) or None when
    unknown (IMAP: the Return-Path header is used instead). With ``our_domain`` a bounce that
    returns one of our own messages is recognised even without any other signal.

    Every rule of ``CHAIN`` runs; the mail is machine-sent on one strong signal or two weak ones,
    and the kind is decided from the weights (``_pick_kind``).
    """
    mail = _Mail(parsed, envelope_from, our_domain)
    s = _Signals()
    for rule in CHAIN:
        rule(mail, s)
    is_machine = s.strong or s.weak >= 2
    if not is_machine:
        return MachineVerdict(False, None, tuple(s.reasons))
    return MachineVerdict(True, _pick_kind(s), tuple(s.reasons))


def _pick_kind(s: _Signals) -> Kind:
    k = s.kinds
    if s.challenge:  # Boxbe & co. wrap their challenge in a DSN; it is an answer to us, not a bounce
        return "auto_reply"
    if k.get("bounce", 0) >= 2 and k.get("bounce", 0) >= k.get("auto_reply", 0):
        return "bounce"
    if k.get("auto_reply", 0) and k.get("auto_reply", 0) >= k.get("list", 0):
        return "auto_reply"
    if k.get("list", 0):
        return "list"
    if k.get("bounce", 0) and k.get("bulk", 0):
        return "auto_reply"  # null sender + Precedence: bulk and nothing DSN-like: an autoresponder
    if k.get("bounce", 0):
        return "bounce"
    if k.get("bulk", 0):
        return "bulk"
    return "auto_reply"


_HEADER_PARSER = BytesHeaderParser(policy=policy.default)
_OWN_LINE_RE_CACHE: dict[str, re.Pattern[str]] = {}


def _returns_our_mail(parsed: ParsedMail, our_domain: str) -> bool:
    """An attached message/rfc822 (or an inline copy) whose Message-ID or marker says we sent it."""
    for _name, ctype, data in parsed.attachments:
        if ctype not in ("message/rfc822", "text/rfc822-headers", "message/global", "message/global-headers"):
            continue
        try:
            inner = _HEADER_PARSER.parsebytes(data[:64 * 1024])
        except Exception:
            continue
        try:
            if inner.get(STUDIOBOOK_HEADER) is not None:
                return True
            mid = str(inner.get("message-id") or "")
        except Exception:
            continue
        m = re.search(r"<[^<>@\s]+@([^<>\s]+)>", mid)
        if m and m.group(1).lower().rstrip(".") == our_domain.lower().rstrip("."):
            return True
    rx = _OWN_LINE_RE_CACHE.get(our_domain)
    if rx is None:
        rx = re.compile(
            rf"^(?:{re.escape(STUDIOBOOK_HEADER)}:|Message-I[Dd]:\s*<[^<>@\s]+@{re.escape(our_domain)}>)",
            re.IGNORECASE | re.MULTILINE,
        )
        _OWN_LINE_RE_CACHE[our_domain] = rx
    return bool(rx.search(parsed.text or ""))


def _id_at(mid: str | None, domain: str) -> bool:
    if not mid or "@" not in mid:
        return False
    return mid.rpartition("@")[2].lower().rstrip(".") == domain.lower().rstrip(".")


def is_our_own(parsed: ParsedMail, our_domain: str) -> bool:
    """True for mail Studiobook itself sent (looped back through a forwarder, list or mailbox).

    Our outgoing mail carries the ``X-Studiobook`` marker and a Message-ID at our domain; a
    marker together with a Message-ID or In-Reply-To at our domain identifies it. (A client's
    reply has In-Reply-To at our domain but no marker, because mail programs do not copy it.)
    """
    if not our_domain:
        return False
    if parsed.headers.get(STUDIOBOOK_HEADER.lower()) is None:
        return False
    if _id_at(parsed.message_id, our_domain):
        return True
    if any(_id_at(i, our_domain) for i in parsed.in_reply_to):
        return True
    return bool(parsed.from_addr and is_for_domain(parsed.from_addr, our_domain))
