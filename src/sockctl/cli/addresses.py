"""Addresses and numbers typed on a command line, read as net-tools reads them.

IPv4: ``default`` (0.0.0.0), the forms inet_aton accepts (``10.1``,
``0x0a000001``), then a host name. IPv6: numeric, then a host name. Numbers:
C's strtoul with base 0 (``0x10``, ``010``) or plain decimal, and never with
trailing junk. Failures raise InputError naming the text.
"""

import ipaddress
import socket

from sockctl.errors import InputError


def ipv4(text: str, what: str = "address") -> ipaddress.IPv4Address:
    """An IPv4 address from a dotted quad, the word ``default`` or a host name."""
    if text == "default":
        return ipaddress.IPv4Address(0)
    if text and not any(c.isspace() for c in text):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(text))
        except OSError:
            pass
        if _looks_like_host_name(text):
            try:
                return ipaddress.IPv4Address(socket.gethostbyname(text))
            except (OSError, UnicodeError):
                pass
    raise InputError(f"{text}: not a valid IPv4 {what}")


def ipv6(text: str, what: str = "address") -> ipaddress.IPv6Address:
    """An IPv6 address, numeric or a host name with an IPv6 address."""
    try:
        return ipaddress.IPv6Address(socket.inet_pton(socket.AF_INET6, text))
    except (OSError, ValueError):
        pass
    if _looks_like_host_name(text):
        try:
            info = socket.getaddrinfo(text, None, socket.AF_INET6)
            return ipaddress.IPv6Address(info[0][4][0].partition("%")[0])
        except (OSError, UnicodeError, IndexError):
            pass
    raise InputError(f"{text}: not a valid IPv6 {what}")


def _looks_like_host_name(text: str) -> bool:
    # Something that is neither a number nor a host name is not sent to a resolver.
    return bool(text) and len(text) < 254 and not text[0].isdigit() and all(
        c.isalnum() or c in "-._" for c in text)


def netmask(text: str) -> ipaddress.IPv4Address:
    """A contiguous IPv4 netmask (the kernel rejects any other)."""
    mask = ipv4(text, "netmask")
    value = int(mask)
    if value and (~value & 0xFFFFFFFF) & ((~value & 0xFFFFFFFF) + 1):
        raise InputError(f"{text}: netmask bits are not contiguous")
    return mask


def prefix_mask(prefixlen: int) -> ipaddress.IPv4Address:
    """The netmask of an IPv4 prefix length."""
    return ipaddress.IPv4Address((0xFFFFFFFF << (32 - prefixlen)) & 0xFFFFFFFF)


def integer(text: str, what: str, low: int, high: int, base: int = 0) -> int:
    """A whole number in [LOW, HIGH]; base 0 reads C's 0x and leading-0 octal forms."""
    digits = text.strip()
    try:
        if base == 0 and len(digits) > 1 and digits[0] == "0" and digits[1] not in "xX":
            value = int(digits, 8)
        else:
            value = int(digits, base)
        if digits != text or "_" in digits:
            raise ValueError
    except ValueError:
        raise InputError(f"{what} {text!r} is not a number") from None
    if not low <= value <= high:
        raise InputError(f"{what} {value} is out of range ({low}-{high})")
    return value
