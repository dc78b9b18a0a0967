"""Addresses and masks as iptables reads and writes them (libxtables' ip*parse and *_to_numeric).

Addresses are packed bytes in network order: 4 for IPv4, 16 for IPv6 (and
16 in the ``nf_inet_addr`` of extensions). Host names resolve through the
C library, as iptables does; ``-L`` without ``-n`` looks names up again.
"""

import _socket

from sockctl.abi.families import AF_INET, AF_INET6, SOCK_RAW
from sockctl.abi.x_tables import NFPROTO_IPV4
from sockctl.netfilter.xtables import RuleError, strtoul


# --- reading ------------------------------------------------------------------------

def _dotted(text: str, is_mask: bool) -> bytes | None:
    """__numeric_to_ipaddr: a.b.c.d, each part a C number 0-255; a network may omit trailing parts."""
    parts = text[:19].split(".", 3)
    if is_mask and len(parts) != 4:
        return None
    if len(parts) == 4 and all(p.isdigit() and p.isascii() and len(p) <= 3 and (p[0] != "0" or len(p) == 1)
                               for p in parts):
        values = [int(p) for p in parts]  # the usual dotted quad, read without the general C rules
        return bytes(values) if max(values) <= 255 else None
    values = []
    for part in parts:
        value = strtoul(part, 0, 255)
        if value is None:
            return None
        values.append(value)
    return bytes(values + [0] * (4 - len(values)))


def dotted(text: str) -> bytes | None:
    """xtables_numeric_to_ipaddr: a.b.c.d (trailing parts may be left out), or None."""
    return _dotted(text, False)


_networks: dict | None = None
_network_names: dict = {}  # packed -> the first name /etc/networks gives it (getnetbyaddr)


def _network(name: str) -> bytes | None:
    """getnetbyname from /etc/networks (IPv4 only, as iptables)."""
    global _networks
    if _networks is None:
        _networks = {}
        try:
            with open("/etc/networks", encoding="latin-1") as f:
                for line in f:
                    words = line.partition("#")[0].split()
                    if len(words) >= 2:
                        packed = _dotted(words[1], False)
                        if packed is not None:
                            _network_names.setdefault(packed, words[0])
                            for alias in [words[0]] + words[2:]:
                                _networks.setdefault(alias, packed)
        except OSError:
            pass
    return _networks.get(name)


def _resolve(name: str, af: int) -> list[bytes]:
    try:
        infos = _socket.getaddrinfo(name, None, af, SOCK_RAW)
    except (OSError, UnicodeError, ValueError):
        return []
    return [_socket.inet_pton(af, info[4][0].partition("%")[0]) for info in infos]


def _v4_mask(text: str | None) -> bytes:
    if text is None:
        return b"\xff" * 4
    packed = _dotted(text, True)
    if packed is not None:
        return packed
    bits = strtoul(text, 0, 32)
    if bits is None:
        raise RuleError(f"invalid mask `{text}' specified")
    return ((0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF).to_bytes(4, "big")


def _v6_mask(text: str | None) -> bytes:
    if text is None:
        return b"\xff" * 16
    try:
        return _socket.inet_pton(AF_INET6, text)
    except (OSError, ValueError):
        pass
    bits = strtoul(text, 0, 128)
    if bits is None:
        raise RuleError(f"invalid mask `{text}' specified")
    return ((((1 << 128) - 1) << (128 - bits)) & ((1 << 128) - 1)).to_bytes(16, "big")


def _v4_host(text: str) -> list[bytes]:
    packed = _dotted(text, False) or _network(text)
    if packed is not None:
        return [packed]
    found = _resolve(text, AF_INET)
    if not found:
        raise RuleError(f"host/network `{text}' not found")
    return found


def _v6_host(text: str) -> list[bytes]:
    try:
        return [_socket.inet_pton(AF_INET6, text)]
    except (OSError, ValueError):
        pass
    found = _resolve(text, AF_INET6)
    if not found:
        raise RuleError(f"host/network `{text}' not found")
    return found


_parsed: dict = {}


def parse_multiple(text: str, family: int) -> list[tuple[bytes, bytes]]:
    """xtables_ip[6]parse_multiple: ADDR[/MASK][,ADDR[/MASK]...] -> [(address & mask, mask)].

    A host name stands for all its addresses; a zero mask ignores the name.
    """
    key = (text, family)
    found = _parsed.get(key)
    if found is None:
        found = _parse_multiple(text, family)
        if len(_parsed) < 4096 or "/" in text and text.endswith("/0"):
            _parsed[key] = found
    return found


def _parse_multiple(text: str, family: int) -> list[tuple[bytes, bytes]]:
    v4 = family == NFPROTO_IPV4
    result = []
    for item in text.split(","):
        item = item.lstrip()
        if len(item) > 255:
            raise RuleError("Hostname too long")
        host, slash, mask_text = item.rpartition("/")
        if not slash:
            host, mask_text = item, None
        mask = _v4_mask(mask_text) if v4 else _v6_mask(mask_text)
        if not any(mask):
            host = "0.0.0.0" if v4 else "::"
        for address in (_v4_host(host) if v4 else _v6_host(host)):
            result.append((bytes(a & m for a, m in zip(address, mask)), mask))
    return result


def host_mask(text: str, family: int) -> tuple[bytes, bytes]:
    """An XTTYPE_HOSTMASK value: HOST (mask all ones) or HOST/PREFIXLEN|MASK, as 16-byte unions."""
    af = AF_INET if family == NFPROTO_IPV4 else AF_INET6
    host, slash, plen = text.partition("/")
    try:
        infos = _socket.getaddrinfo(host, None, af)
    except OSError as exc:
        raise RuleError(f"getaddrinfo: {exc.strerror or exc}") from None
    found = {_socket.inet_pton(af, info[4][0].partition("%")[0]) for info in infos}
    if len(found) > 1:
        raise RuleError(f"{host} resolves to more than one address")
    address = found.pop().ljust(16, b"\0")
    if not slash:
        return address, b"\xff" * 16
    width = 32 if af == AF_INET else 128
    bits = strtoul(plen, 0, width)
    if bits is None:
        try:
            mask = _socket.inet_pton(af, plen)
        except (OSError, ValueError):
            raise RuleError(f'bad value for option, neither a valid network mask nor valid CIDR (0-{width}).') \
                from None
        bits = cidr(mask)
        if bits < 0:
            bits = 129  # libxtables keeps all ones for a mask it cannot count
    if bits > 128:
        return address, b"\xff" * 16
    ones = ((1 << bits) - 1) << (128 - bits) if bits else 0
    return address, ones.to_bytes(16, "big")


def host(text: str, family: int) -> bytes:
    """An XTTYPE_HOST value: one address (a name must resolve to one only), as a 16-byte union."""
    if "/" in text:
        raise RuleError("getaddrinfo: Name or service not known")
    return host_mask(text, family)[0]


# --- writing ------------------------------------------------------------------------

def cidr(mask: bytes) -> int:
    """The prefix length of a contiguous mask, or -1."""
    value = int.from_bytes(mask, "big")
    width = len(mask) * 8
    inverted = ~value & ((1 << width) - 1)
    if inverted & (inverted + 1):
        return -1
    return width - inverted.bit_length()


def numeric(address: bytes) -> str:
    """xtables_ipaddr_to_numeric / ip6addr_to_numeric."""
    if len(address) == 4:
        return _socket.inet_ntoa(address)
    return _socket.inet_ntop(AF_INET6, address)


def text(address: bytes, as_number: bool) -> str:
    """The address as a number, or (for -L without -n) as xtables_ip[6]addr_to_anyname names it:
    a host name, else (IPv4) a network name from /etc/networks, else the number."""
    if as_number:
        return numeric(address)
    host = numeric(address)
    try:
        sockaddr = (host, 0) if len(address) == 4 else (host, 0, 0, 0)
        return _socket.getnameinfo(sockaddr, _socket.NI_NAMEREQD)[0]
    except (OSError, UnicodeError):
        pass
    if len(address) == 4:
        _network("")
        return _network_names.get(address, host)
    return host


def mask_suffix(mask: bytes) -> str:
    """xtables_ipmask_to_numeric: '' for a full mask, '/N', or '/a.b.c.d' when not contiguous."""
    bits = cidr(mask)
    if bits < 0:
        return "/" + numeric(mask)
    if bits == len(mask) * 8:
        return ""
    return f"/{bits}"
