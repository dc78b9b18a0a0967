"""Text conventions shared by the net-tools front ends (ifconfig, route, arp).

Facts about how net-tools 2.10 writes and orders things, as pure functions.
"""

from _socket import inet_ntop

from sockctl.abi.families import AF_INET6


def inet6_text(address) -> str:
    """An IPv6 address (ipaddress.IPv6Address) as net-tools prints it.

    That is inet_ntop's text, except that a v4-mapped address prints as bare IPv4.
    """
    text = inet_ntop(AF_INET6, address.packed)
    if address.ipv4_mapped is not None and "." in text:
        return text[text.rindex(":", 0, text.index(".")) + 1:]
    return text


def c_int(value: int) -> int:
    """An integer as C's atoi leaves it on a 64-bit machine: truncated to 32 bits."""
    return ((value + (1 << 31)) % (1 << 32)) - (1 << 31)


def nstrcmp_key(name: str) -> tuple:
    """Sort key equal to net-tools' nstrcmp(): ``eth2`` < ``eth10``, ``eth0`` < ``eth0:1``.

    The name splits into base and ``:N`` alias, the base into a prefix and a
    numeric tail; they compare as prefix, number, base text, alias number,
    alias text.
    """
    raw = name.encode("utf-8", "surrogateescape")
    base, alias = raw, None
    tail = len(raw) - len(raw.rstrip(b"0123456789"))
    if tail and tail < len(raw) and raw[len(raw) - tail - 1:len(raw) - tail] == b":":
        base, alias = raw[:len(raw) - tail - 1], raw[len(raw) - tail:]
    prefix = base.rstrip(b"0123456789")
    digits = base[len(prefix):]
    number = c_int(int(digits)) if digits else 0
    alias_number = c_int(int(alias)) if alias is not None else -1
    return (prefix, number, base, alias_number, alias or b"")
