"""Which URLs the proxy will call a host at: the rules for the config file and registrations.

A host URL is `http(s)://host[:port][/path]`: no credentials (the proxy sends its own
bearer token, and `GET /server/hosts` lists URLs), no query, no fragment. A registrant
is trusted less than the config file: it may not name a link-local, unspecified or
multicast address (cloud metadata services live at 169.254.169.254), and with
`PROXY_HOST_NETWORKS` set every address of the host must lie in one of those networks.

The URL is parsed by pydantic's WHATWG parser first, so the numeric forms a resolver
accepts (`http://0`, `http://2130706433`, `http://0x7f.1`) arrive here as the dotted
address they mean and are judged as such.
"""

import asyncio
import ipaddress
import socket
from collections.abc import Sequence

from pydantic import HttpUrl

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class HostUrlError(ValueError):
    """The URL may not be used; the message says why."""


def base_url(url: HttpUrl) -> str:
    """The URL as the proxy stores and calls it; `HostUrlError` if it has more than a base."""
    if url.username is not None or url.password is not None:
        raise HostUrlError("a host URL may not carry credentials (user:password@)")
    if url.query is not None:
        raise HostUrlError("a host URL may not have a query (?...)")
    if url.fragment is not None:
        raise HostUrlError("a host URL may not have a fragment (#...)")
    return str(url).rstrip("/")


def literal_address(host: str) -> IPAddress | None:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None  # a name
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # ::ffff:169.254.169.254 is 169.254.169.254
    return address


def _refused(address: IPAddress, networks: Sequence[IPNetwork]) -> str | None:
    if address.is_link_local:
        return f"{address} is link-local"
    if address.is_unspecified:
        return f"{address} is unspecified (it means this machine's every address)"
    if address.is_multicast:
        return f"{address} is multicast"
    if networks and not any(address in network for network in networks):
        allowed = ", ".join(str(n) for n in networks)
        return f"{address} is outside PROXY_HOST_NETWORKS ({allowed})"
    return None


async def _addresses(host: str, port: int) -> list[IPAddress]:
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise HostUrlError(f"cannot resolve {host!r}: {exc.strerror or exc}") from exc
    return [ipaddress.ip_address(info[4][0]) for info in found]


async def check_registrable(url: HttpUrl, networks: Sequence[IPNetwork]) -> str:
    """The base URL a registrant may have the proxy call; `HostUrlError` naming the reason.

    A name is resolved only when an allow-list is set (its every address must be in it);
    without one, only literal addresses can be judged.
    """
    base = base_url(url)
    host = url.host or ""
    literal = literal_address(host)
    if literal is not None:
        addresses = [literal]
    elif networks:
        addresses = await _addresses(host, url.port or 80)
    else:
        addresses = []
    for address in addresses:
        reason = _refused(address, networks)
        if reason is not None:
            raise HostUrlError(f"the proxy does not call {host}: {reason}")
    return base
