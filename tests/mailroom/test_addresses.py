"""Addresses are parsed with the modern header registry and rejected when ambiguous."""

from __future__ import annotations

import re

import pytest

from mailroom.addresses import (
    extract_addr,
    extract_addrs,
    is_for_domain,
    is_valid_addr_spec,
    make_message_id,
    make_reply_address,
    new_reply_token,
    reply_token,
)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Kai Example <kai@example.com>", ("Kai Example", "kai@example.com")),
        ("Kai <KAI@Example.COM>", ("Kai", "kai@example.com")),
        ("kai@example.com", ("", "kai@example.com")),
        ("<kai@example.com>", ("", "kai@example.com")),
        ('"Example, Kai" <kai@example.com>', ("Example, Kai", "kai@example.com")),
        ("=?utf-8?B?S8OkdGhlIE3DvGxsZXI=?= <kaethe@example.de>", ("Käthe Müller", "kaethe@example.de")),
        ("=?iso-8859-1?Q?M=FCller=2C_K=E4the?= <k@example.de>", ("Müller, Käthe", "k@example.de")),
        ("Käthe Müller <kaethe@example.de>", ("Käthe Müller", "kaethe@example.de")),
        ("Juniper & Light Photography <book@studio.localhost>", ("Juniper & Light Photography", "book@studio.localhost")),
        ("Kai (work) <kai@example.com>", ("Kai", "kai@example.com")),
        ("Kai Example\r\n <kai@example.com>", ("Kai Example", "kai@example.com")),
        # CVE-2023-27043: the display name looks like an address; the real one is in <>
        ('"alice@example.org" <bob@example.org>', ("alice@example.org", "bob@example.org")),
    ],
)
def test_extract_addr(value, expected):
    assert extract_addr(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "MAILER-DAEMON",
        "<>",
        "a@b.c, d@e.f",  # several senders: no single identity
        "undisclosed-recipients:;",
        "Team: a@b.c, d@e.f;",
        "bob@",
        "@example.org",
        "a@b@c.d",
        "alice@example.org)<bob@example.org>",  # ambiguous: legacy parsers and the registry disagree
        "Bob <bob@example.org>) trailing",
        "foo bar <baz>",
        "=?utf-8?q?broken",
        "kai@exa mple.com",
        "x" * 20_000 + "@example.com",
    ],
)
def test_extract_addr_rejects_what_is_not_one_clear_address(value):
    assert extract_addr(value) is None


def test_extract_addrs_flattens_groups_and_skips_garbage():
    assert extract_addrs('Team: a@b.c, "D" <D@E.F>;, g@h.i, not an address') == [
        ("", "a@b.c"), ("D", "d@e.f"), ("", "g@h.i")]
    assert extract_addrs("") == []
    assert extract_addrs(None) == []


@pytest.mark.parametrize(
    "addr, ok",
    [("a@b.c", True), ("a.b+c@d-e.f", True), ('"a b"@c.d', True), ("a@[192.0.2.1]", True), ("ä@bücher.de", True),
     ("a@b", True), ("a", False), ("a@", False), ("@b", False), ("a b@c.d", False), ("a@b..c", False),
     ("a@-b.c", False), ("a\n@b.c", False), (".a@b.c", False)],
)
def test_is_valid_addr_spec(addr, ok):
    assert is_valid_addr_spec(addr) is ok


def test_reply_token_round_trip():
    token = new_reply_token()
    assert re.fullmatch(r"[A-Za-z0-9_-]{8,64}", token)
    addr = make_reply_address(token, "studio.localhost")
    assert addr == f"book+{token}@studio.localhost"
    assert reply_token(addr, "studio.localhost") == token
    assert reply_token(f"Juniper & Light <{addr}>", "studio.localhost") == token
    assert reply_token(addr.replace("book+", "BOOK+").replace("studio", "STUDIO"), "studio.localhost") == token


@pytest.mark.parametrize(
    "addr",
    [
        "book@studio.localhost",  # no token
        "book+short@studio.localhost",  # fewer than 8 characters
        "book+" + "a" * 65 + "@studio.localhost",  # more than 64
        "book+abc.defgh@studio.localhost",  # a dot is not in the alphabet
        "book+abcdefgh@studio.localhost.evil.example",  # other domain
        "book+abcdefgh@evil-studio.localhost",
        "other+abcdefgh@studio.localhost",  # another local part
        "book+abcdefgh+x@studio.localhost",
        "",
        None,
        "a@b.c, book+abcdefgh@studio.localhost",
    ],
)
def test_reply_token_rejects(addr):
    assert reply_token(addr, "studio.localhost") is None


def test_make_reply_address_validates_the_token():
    for bad in ("short", "has space in it", "a" * 65, "abc/defgh", ""):
        with pytest.raises(ValueError):
            make_reply_address(bad, "studio.localhost")
    with pytest.raises(ValueError):
        make_reply_address("abcdefgh", "")


@pytest.mark.parametrize(
    "addr, expected",
    [
        ("kai@studio.localhost", True),
        ("Kai@STUDIO.LocalHost", True),
        ("kai@studio.localhost.", False),  # not valid addr-spec syntax
        ("Name <book+abc12345@studio.localhost>", True),
        ("kai@sub.studio.localhost", False),
        ("kai@studio.localhost.evil.example", False),
        ("kai@evilstudio.localhost", False),
        ("studio.localhost", False),
        ("", False),
        (None, False),
    ],
)
def test_is_for_domain(addr, expected):
    assert is_for_domain(addr, "studio.localhost") is expected


def test_is_for_domain_tolerates_a_configured_domain_with_trailing_dot():
    assert is_for_domain("kai@studio.localhost", "Studio.Localhost.")


def test_is_for_domain_compares_idn_domains_in_either_form():
    assert is_for_domain("a@bücher.example", "xn--bcher-kva.example")
    assert is_for_domain("a@xn--bcher-kva.example", "BÜCHER.example")


def test_make_message_id():
    mid = make_message_id("studio.localhost")
    assert re.fullmatch(r"<[0-9a-f-]{36}@studio\.localhost>", mid)
    assert make_message_id("studio.localhost") != mid
    with pytest.raises(ValueError):
        make_message_id("")
    with pytest.raises(ValueError):
        make_message_id("bad domain")
