"""Client address resolution through trusted proxies, CIDR matching (no server)."""

from __future__ import annotations

import ipaddress

import pytest

from app.security.network import (
    NetworkConfigError,
    ProxyTrust,
    address_in,
    forwarded_proto,
    parse_ip,
    parse_networks,
    resolve_client_ip,
    split_forwarded_for,
)

ip = ipaddress.ip_address


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.1.2.3", "10.1.2.3"),
        ("10.1.2.3:5555", "10.1.2.3"),
        ("2001:db8::1", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("fe80::1%eth0", "fe80::1"),
        ('"10.0.0.1"', "10.0.0.1"),
    ],
)
def test_parse_ip_forms(text, expected):
    assert parse_ip(text) == ip(expected)


@pytest.mark.parametrize(
    "text", [None, "", "unknown", "_hidden", "10.0.0", "[2001:db8::1", "1.2.3.4.5"]
)
def test_parse_ip_rejects_garbage(text):
    assert parse_ip(text) is None


def test_cidr_matching_v4_and_v6():
    nets = parse_networks(["10.0.0.0/8", "192.0.2.5", "2001:db8::/32"], "ALLOWED_IPS")
    assert address_in(ip("10.200.1.1"), nets)
    assert address_in(ip("192.0.2.5"), nets)
    assert not address_in(ip("192.0.2.6"), nets)
    assert address_in(ip("2001:db8:ffff::1"), nets)
    assert not address_in(ip("2001:db9::1"), nets)
    assert not address_in(None, nets)
    assert address_in(parse_ip("::ffff:10.0.0.1"), nets)


def test_ipv4_mapped_allow_list_entries_cover_plain_ipv4():
    nets = parse_networks(["::ffff:192.0.2.0/120"], "ALLOWED_IPS")
    assert address_in(ip("192.0.2.9"), nets)


def test_bad_cidr_refuses_to_start():
    with pytest.raises(NetworkConfigError, match="not an IP address"):
        parse_networks(["10.0.0.0/33"], "ALLOWED_IPS")
    with pytest.raises(NetworkConfigError):
        ProxyTrust.parse(["1", "10.0.0.0/8"])
    with pytest.raises(NetworkConfigError):
        ProxyTrust.parse(["999"])


def test_untrusted_setup_ignores_forwarded_for():
    trust = ProxyTrust.parse([])
    assert resolve_client_ip("203.0.113.9", ["10.0.0.1"], trust) == ip("203.0.113.9")


def test_hop_count_takes_nth_from_the_right():
    one = ProxyTrust.parse(["1"])
    # client -> gorouter(peer): the rightmost XFF entry is what our proxy saw
    assert resolve_client_ip("10.0.0.2", ["198.51.100.7"], one) == ip("198.51.100.7")
    # a forged leftmost entry is ignored
    assert resolve_client_ip("10.0.0.2", ["10.9.9.9", "198.51.100.7"], one) == ip("198.51.100.7")
    two = ProxyTrust.parse(["2"])
    assert resolve_client_ip("10.0.0.2", ["forged", "198.51.100.7", "10.0.0.3"], two) == ip(
        "198.51.100.7"
    )
    # fewer entries than trusted hops: did not come through all proxies, fail closed
    assert resolve_client_ip("10.0.0.2", ["198.51.100.7"], two) is None
    # no header at all: the peer is the client
    assert resolve_client_ip("10.0.0.2", [], two) == ip("10.0.0.2")


def test_cidr_trust_walks_from_the_right_skipping_proxies():
    trust = ProxyTrust.parse(["10.0.0.0/8", "fd00::/8"])
    # untrusted peer: its header is ignored entirely (forgery from outside)
    assert resolve_client_ip("203.0.113.5", ["192.0.2.1"], trust) == ip("203.0.113.5")
    # trusted peer: skip trusted hops, first untrusted is the client; forged left part ignored
    chain = ["192.0.2.1", "198.51.100.7", "10.1.1.1"]
    assert resolve_client_ip("10.0.0.2", chain, trust) == ip("198.51.100.7")
    assert resolve_client_ip("fd00::2", ["2001:db8::5", "fd00::9"], trust) == ip("2001:db8::5")
    # garbage in the chain fails closed
    assert resolve_client_ip("10.0.0.2", ["198.51.100.7", "nonsense"], trust) is None
    # every hop trusted: leftmost
    assert resolve_client_ip("10.0.0.2", ["10.3.3.3", "10.4.4.4"], trust) == ip("10.3.3.3")


def test_split_forwarded_for_across_repeated_headers():
    assert split_forwarded_for(["a, b", " c ", ""]) == ["a", "b", "c"]


def test_forwarded_proto_only_from_trusted_peer():
    trust = ProxyTrust.parse(["10.0.0.0/8"])
    assert forwarded_proto("10.0.0.1", ["https"], trust) == "https"
    assert forwarded_proto("203.0.113.1", ["https"], trust) is None
    assert forwarded_proto("203.0.113.1", ["https"], ProxyTrust.parse(["1"])) == "https"
    assert forwarded_proto("10.0.0.1", ["https"], ProxyTrust.parse([])) is None
