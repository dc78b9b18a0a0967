"""How net-tools names addresses when it is not told -n (lib/inet.c, lib/inet6.c).

The answers come from ``sockctl.netdb`` (/etc/hosts and /etc/networks);
the rules for which question to ask are net-tools' own, quirks included:

- 0.0.0.0 is ``default`` or ``*`` with a zero mask, else ``0.0.0.0``;
- an address is a host (gethostbyaddr) when it has bits outside the mask or
  the caller says so, else a network (getnetbyaddr);
- the mask is compared with the address as the raw 32-bit words C sees, so
  where a caller passes net-tools' constant 0xffffff00 the "host bits" are
  the first octet on a little-endian machine;
- an IPv6 address asks the hosts file; :: is ``[::]`` (or ``default``).

``resolve_ipv4`` goes the other way, as net-tools reads an address or name
typed on a command line.
"""

import sys
from _socket import inet_aton, inet_ntoa

from sockctl.cli.nettools import inet6_text
from sockctl.errors import InputError

DEFAULT = 0x8000  # name 0.0.0.0/0 "default" rather than "*"
HOST = 0x4000  # name a host even when no bit lies outside the mask
SPRINT_MASK = 0xFFFFFF00  # the mask net-tools' INET_sprint passes for a lone address

_ORDER = sys.byteorder


class UnknownHost(InputError):
    """A name that resolves to no address (``herror``: "NAME: Unknown host")."""

    def __init__(self, text: str, code: int = 6):
        super().__init__(f"{text}: Unknown host")
        self.code = code  # the exit code net-tools gives it: 6 in route, 1 for an IPv6 target


def word(packed: bytes) -> int:
    """The 32-bit word C reads from 4 bytes in network order (s_addr)."""
    return int.from_bytes(packed, _ORDER)


def inet(db, packed: bytes, netmask: int, how: int = 0) -> str:
    """The name net-tools prints for an IPv4 address without -n (INET_rresolve).

    NETMASK is the 32-bit word of the mask (``word(mask)``, or SPRINT_MASK);
    HOW is DEFAULT and/or HOST.
    """
    address = word(packed)
    if address == 0:
        if netmask == 0:
            return "default" if how & DEFAULT else "*"
        return "0.0.0.0"
    if address & ~netmask & 0xFFFFFFFF or how & HOST:
        name = db.host_name(packed)
    else:
        name = db.network_name(int.from_bytes(packed, "big"))
    return inet_ntoa(packed) if name is None else name


def inet6(db, address, how: int = 0) -> str:
    """The name net-tools prints for an IPv6 address (ipaddress.IPv6Address) without -n (INET6_rresolve)."""
    if not int(address):
        return "default" if how & DEFAULT else "[::]"
    name = db.host_name(address.packed)
    return inet6_text(address) if name is None else fix_v4_mapped(name, address.packed)


def fix_v4_mapped(text: str, packed: bytes) -> str:
    """net-tools' fix_v4_address: a v4-mapped address prints from after the last ':' before its first '.'."""
    if packed[:12] != b"\0" * 10 + b"\xff\xff":
        return text
    dot = text.find(".")
    if dot < 0:
        return text
    colon = text.rfind(":", 0, dot)
    return text[colon + 1:] if colon >= 0 else text


def resolve_ipv4(text: str, host_first: bool, db=None):
    """(address, is a network) as net-tools' INET_resolve reads TEXT.

    ``default`` is the network 0.0.0.0; a dotted quad (in inet_aton's forms)
    is a host; a name is looked up as a host and as a network, hosts first
    when HOST_FIRST (a -host target or a gateway), networks first otherwise.
    """
    from ipaddress import IPv4Address

    if text == "default":
        return IPv4Address(0), True
    try:
        return IPv4Address(inet_aton(text)), False
    except OSError:
        pass

    def host() -> IPv4Address | None:
        from sockctl.cli import addresses

        try:
            return addresses.ipv4(text)  # the system's resolver, for what looks like a host name
        except InputError:
            return None

    if host_first:
        found = host()
        if found is not None:
            return found, False
    if db is None:
        from sockctl import netdb

        db = netdb.system()
    number = db.network_number(text)
    if number is not None:
        return IPv4Address(number), True
    found = None if host_first else host()
    if found is None:
        raise UnknownHost(text)
    return found, False
