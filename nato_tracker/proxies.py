"""Which client a request comes from when reverse proxies stand in front of the app.

``X-Forwarded-For`` and ``X-Forwarded-Proto`` are written by whoever sends the request, so they
are believed only when the direct peer (``REMOTE_ADDR``) is one of the configured trusted
proxies (``TRUSTED_PROXIES``: addresses or networks, e.g. ``127.0.0.1,10.0.0.0/8``). The client
is then the right-most address in ``X-Forwarded-For`` that is not itself a trusted proxy: each
trusted proxy appends the address it saw, so entries to the left of the first untrusted one are
the client's own claims and are ignored. With no trusted proxies (the default), the headers are
ignored altogether.
"""

from __future__ import annotations

import functools
import ipaddress

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)
def parse_networks(items: tuple[str, ...]) -> tuple[Network, ...]:
    """``("127.0.0.1", "10.0.0.0/8")`` → networks; a malformed entry raises ``ValueError``."""
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip())


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "1.2.3.4:5678"
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    """True when ``address`` is inside one of the ``trusted`` networks."""
    parsed = _address(address)
    return parsed is not None and any(parsed in network for network in trusted)


def client_address(remote_addr: str, forwarded_for: str, trusted: tuple[Network, ...]) -> str:
    """The client's address: ``remote_addr`` unless it is a trusted proxy, else the right-most
    ``forwarded_for`` entry that is not a trusted proxy (the left-most one when all are).
    An entry that is not an IP address ends the walk: the proxy to its right saw that peer."""
    if not forwarded_for or not is_trusted(remote_addr, trusted):
        return remote_addr
    client = remote_addr
    for entry in reversed(forwarded_for.split(",")):
        parsed = _address(entry)
        if parsed is None:
            break
        client = str(parsed)
        if not any(parsed in network for network in trusted):
            break
    return client
