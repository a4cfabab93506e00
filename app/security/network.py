"""Which address is the client? IP allow-lists and the X-Forwarded-For trust model.

``X-Forwarded-For`` is only believed as far as the proxies we were told to trust:

* ``TRUSTED_PROXIES=N`` (a whole number): the last *N* hops are ours. The client is the *N*-th
  address from the right of the chain ``X-Forwarded-For + [peer]``. Only safe when the app cannot
  be reached except through those proxies (e.g. Cloud Foundry's gorouter).
* ``TRUSTED_PROXIES=10.0.0.0/8,2001:db8::/32``: addresses of our proxies. Starting from the TCP
  peer, walk right-to-left and skip trusted addresses; the first untrusted one is the client.
  A header from an untrusted peer is ignored entirely.
* unset: the header is ignored and the TCP peer is the client.

Everything here is pure and unit-tested without a server.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class NetworkConfigError(ValueError):
    """ALLOWED_IPS or TRUSTED_PROXIES could not be understood (we refuse to start)."""


def parse_ip(text: str | None) -> IPAddress | None:
    """An address from a header or socket value, or ``None`` if it is not one.

    Accepts ``1.2.3.4``, ``1.2.3.4:5678``, ``2001:db8::1``, ``[2001:db8::1]:443``; maps
    IPv4-mapped IPv6 (``::ffff:1.2.3.4``) to IPv4 so one allow-list entry covers both forms.
    """
    if not text:
        return None
    value = text.strip().strip('"')
    if value.startswith("["):
        end = value.find("]")
        if end == -1:
            return None
        value = value[1:end]
    elif value.count(":") == 1:  # IPv4 with a port
        value = value.split(":", 1)[0]
    value = value.split("%", 1)[0]  # drop an IPv6 zone id
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def parse_networks(entries: Iterable[str], what: str) -> tuple[IPNetwork, ...]:
    """CIDRs (or single addresses) to networks; a bad entry raises :class:`NetworkConfigError`."""
    networks: list[IPNetwork] = []
    for entry in entries:
        entry = entry.strip()
        if not entry:
            continue
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise NetworkConfigError(
                f"{what} entry {entry!r} is not an IP address or CIDR range (e.g. 10.0.0.0/8, 2001:db8::/32)."
            ) from exc
        networks.append(network)
        if isinstance(network, ipaddress.IPv6Network) and network.prefixlen >= 96:
            mapped = network.network_address.ipv4_mapped
            if mapped is not None:
                networks.append(
                    ipaddress.ip_network(f"{mapped}/{network.prefixlen - 96}", strict=False)
                )
    return tuple(networks)


def address_in(address: IPAddress | None, networks: Iterable[IPNetwork]) -> bool:
    """True when ``address`` is inside one of ``networks`` (an unknown address never is)."""
    if address is None:
        return False
    return any(address.version == net.version and address in net for net in networks)


@dataclass(frozen=True)
class ProxyTrust:
    """How far to believe X-Forwarded-For / X-Forwarded-Proto: a hop count or proxy networks."""

    hops: int = 0
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> ProxyTrust:
        items = [e.strip() for e in entries if e and e.strip()]
        if not items:
            return cls()
        if len(items) == 1 and items[0].isdigit():
            hops = int(items[0])
            if hops > 20:
                raise NetworkConfigError(
                    f"TRUSTED_PROXIES={hops} is not a plausible number of proxy hops."
                )
            return cls(hops=hops)
        if any(item.isdigit() for item in items):
            raise NetworkConfigError(
                "TRUSTED_PROXIES is either one number of hops (e.g. 1) or a list of CIDRs, not both."
            )
        return cls(networks=parse_networks(items, "TRUSTED_PROXIES"))

    @property
    def enabled(self) -> bool:
        return self.hops > 0 or bool(self.networks)

    def peer_is_trusted(self, peer: IPAddress | None) -> bool:
        """Whether the TCP peer is one of our proxies (so its forwarding headers count)."""
        if self.hops > 0:
            return True
        return address_in(peer, self.networks)


def split_forwarded_for(values: Iterable[str]) -> list[str]:
    """All X-Forwarded-For entries, left to right, across repeated headers."""
    out: list[str] = []
    for value in values:
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return out


def resolve_client_ip(
    peer: str | None, forwarded_for: list[str], trust: ProxyTrust
) -> IPAddress | None:
    """The client's address according to the trust model (``None`` when it cannot be told).

    ``None`` is deliberately never inside an allow-list, so garbage in the header fails closed.
    """
    peer_ip = parse_ip(peer)
    if not trust.enabled or not forwarded_for:
        return peer_ip
    if trust.hops > 0:
        chain = [*forwarded_for, peer or ""]
        if len(chain) < trust.hops + 1:
            # Fewer entries than proxies we expect: it did not come through them all.
            return None
        return parse_ip(chain[-(trust.hops + 1)])
    if not address_in(peer_ip, trust.networks):
        return peer_ip
    for entry in reversed(forwarded_for):
        address = parse_ip(entry)
        if address is None:
            return None
        if not address_in(address, trust.networks):
            return address
    # Every hop is one of our proxies: the leftmost is as close to a client as we can get.
    return parse_ip(forwarded_for[0])


def forwarded_proto(peer: str | None, values: Iterable[str], trust: ProxyTrust) -> str | None:
    """The scheme the client used, from X-Forwarded-Proto, only when the peer is trusted."""
    if not trust.peer_is_trusted(parse_ip(peer)):
        return None
    parts = split_forwarded_for(values)
    return parts[0].lower() if parts else None
