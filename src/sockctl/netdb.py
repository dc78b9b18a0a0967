"""The hosts and networks databases, from /etc/hosts and /etc/networks only.

net-tools names addresses with gethostbyaddr and getnetbyaddr and reads
names with gethostbyname and getnetbyname. sockctl answers those questions
from the two files the way glibc's ``files`` backend does, and never asks a
DNS server: a listing's speed and output then depend on local files alone.

Parsing is pure (``parse_hosts``, ``parse_networks``); a ``Database`` reads
each file once, on the first question that needs it.
"""

from _socket import inet_pton

from sockctl.abi.families import AF_INET, AF_INET6

HOSTS = "/etc/hosts"
NETWORKS = "/etc/networks"

_V4_MAPPED = bytes(10) + b"\xff\xff"
_V6_LOOPBACK = bytes(15) + b"\x01"
_V4_LOOPBACK = b"\x7f\x00\x00\x01"
_NONE = 0xFFFFFFFF  # what inet_network returns for text it cannot read
_DIGITS = {8: frozenset("01234567"), 10: frozenset("0123456789"), 16: frozenset("0123456789abcdefABCDEF")}


def _fields(line: str) -> list[str]:
    return line.partition("#")[0].split()


def parse_hosts(text: str) -> list[tuple[int, bytes, list[str]]]:
    """(family, packed address, [canonical name, aliases...]) for each usable line.

    An IPv6 line also answers IPv4 questions when its address is v4-mapped
    (``::ffff:a.b.c.d``) or the loopback ``::1`` (as 127.0.0.1): such lines
    appear twice, once per family. Lines with an address that does not parse
    are skipped; one with no name names its address "", as in glibc.
    """
    entries = []
    for line in text.splitlines():
        fields = _fields(line)
        if not fields:
            continue
        address, names = fields[0], fields[1:] or [""]
        try:
            entries.append((AF_INET, inet_pton(AF_INET, address), names))
            continue
        except OSError:
            pass
        try:
            packed = inet_pton(AF_INET6, address)
        except OSError:
            continue
        entries.append((AF_INET6, packed, names))
        if packed.startswith(_V4_MAPPED):
            entries.append((AF_INET, packed[12:], names))
        elif packed == _V6_LOOPBACK:
            entries.append((AF_INET, _V4_LOOPBACK, names))
    return entries


def inet_network(text: str) -> int:
    """The number inet_network(3) reads from TEXT (host order), 0xffffffff when it cannot.

    One to four parts separated by dots, each decimal, octal (leading 0) or
    hexadecimal (leading 0x), each at most 255.
    """
    parts = text.split(".")
    if len(parts) > 4:
        return _NONE
    value = 0
    for part in parts:
        base, digits = 10, part
        if digits[:1] == "0":
            base, digits = 8, digits[1:]
            if digits[:1] in ("x", "X"):
                base, digits = 16, digits[1:]
            elif not digits:
                digits = "0"
        elif digits[:1] in ("x", "X"):
            base, digits = 16, digits[1:]
        if not digits or not _DIGITS[base].issuperset(digits):
            return _NONE
        number = int(digits, base)
        if number > 0xFF:
            return _NONE
        value = value << 8 | number
    return value


def parse_networks(text: str) -> list[tuple[int, list[str]]]:
    """(network number, [name, aliases...]) for each line of a networks file.

    As glibc does, a number of fewer than four parts is padded with zero
    parts on the right first (``10.1`` is 10.1.0.0), so numbers compare with
    the address of a network; a missing or unreadable number is 0xffffffff.
    """
    entries = []
    for line in text.splitlines():
        fields = _fields(line)
        if not fields:
            continue
        name, number = fields[0], fields[1] if len(fields) > 1 else ""
        number += ".0" * (3 - min(number.count("."), 3))
        entries.append((inet_network(number), [name] + fields[2:]))
    return entries


def _read(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "surrogateescape")
    except OSError:  # a missing or unreadable file answers nothing, as in glibc
        return ""


class Database:
    """Answers from a hosts and a networks file, each read at its first use."""

    def __init__(self, hosts: str = HOSTS, networks: str = NETWORKS):
        self._paths = (hosts, networks)
        self._hosts: list | None = None
        self._networks: list | None = None

    def _host_entries(self) -> list:
        if self._hosts is None:
            self._hosts = parse_hosts(_read(self._paths[0]))
        return self._hosts

    def _network_entries(self) -> list:
        if self._networks is None:
            self._networks = parse_networks(_read(self._paths[1]))
        return self._networks

    def host_name(self, packed: bytes) -> str | None:
        """gethostbyaddr: the canonical name of the first line with this address (4 or 16 bytes)."""
        family = AF_INET if len(packed) == 4 else AF_INET6
        for entry_family, address, names in self._host_entries():
            if entry_family == family and address == packed:
                return names[0]
        return None

    def host_address(self, name: str, family: int = AF_INET) -> bytes | None:
        """gethostbyname: the address of the first line naming NAME (any case), or None."""
        wanted = name.lower()
        for entry_family, address, names in self._host_entries():
            if entry_family == family and any(n.lower() == wanted for n in names if n):
                return address
        return None

    def network_name(self, number: int) -> str | None:
        """getnetbyaddr: the name of the first network with this number (host order)."""
        for entry_number, names in self._network_entries():
            if entry_number == number:
                return names[0]
        return None

    def network_number(self, name: str) -> int | None:
        """getnetbyname: the number of the first network called NAME (any case), or None."""
        wanted = name.lower()
        for entry_number, names in self._network_entries():
            if any(n.lower() == wanted for n in names):
                return entry_number
        return None


_system: Database | None = None


def system() -> Database:
    """The machine's own files (/etc/hosts, /etc/networks)."""
    global _system
    if _system is None:
        _system = Database()
    return _system
