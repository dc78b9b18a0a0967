"""The services database, from /etc/services only (getservbyport, getservbyname).

ipvsadm names ports through glibc's services database; sockctl reads the
file the way glibc's ``files`` backend does: ``name port/protocol
[aliases...]``, ``#`` starts a comment, and the first line that matches
answers. Parsing is pure (``parse_services``); a ``Services`` object reads
the file once, at the first question.
"""

SERVICES = "/etc/services"


def _port_field(text: str) -> tuple[int, str] | None:
    """glibc's reading of ``PORT/PROTOCOL``: strtoul base 0, kept to 16 bits, then one or more '/'."""
    sign, digits = 1, text
    if digits[:1] in ("+", "-"):
        sign, digits = (-1 if digits[0] == "-" else 1), digits[1:]
    base = 10
    if digits[:2].lower() == "0x" and digits[2:3] in _HEX:
        base, digits = 16, digits[2:]
    elif digits[:1] == "0":
        base = 8
    allowed = _HEX if base == 16 else _DIGITS[:base]
    end = 0
    while end < len(digits) and digits[end] in allowed:
        end += 1
    if not end or digits[end:end + 1] != "/":
        return None
    protocol = digits[end:].lstrip("/")
    return (sign * int(digits[:end], base)) & 0xFFFF, protocol


_DIGITS = "0123456789"
_HEX = "0123456789abcdefABCDEF"


def parse_services(text: str) -> list[tuple[str, int, str, list[str]]]:
    """(name, port, protocol, aliases) for each usable line, in the file's order.

    As glibc reads it: the port is a C number (``0x50`` is 80, ``010`` is 8)
    kept to 16 bits, followed by one or more '/' and the protocol; a line
    that does not read so is skipped.
    """
    entries = []
    for line in text.splitlines():
        fields = line.partition("#")[0].split()
        if len(fields) < 2:
            continue
        parsed = _port_field(fields[1])
        if parsed is None or not parsed[1]:
            continue
        entries.append((fields[0], parsed[0], parsed[1], fields[2:]))
    return entries


class Services:
    """Answers from a services file, read at the first question."""

    def __init__(self, path: str = SERVICES):
        self._path = path
        self._by_port: dict | None = None
        self._entries: list | None = None

    def _load(self) -> list:
        if self._entries is None:
            try:
                with open(self._path, "rb") as f:
                    text = f.read().decode("utf-8", "surrogateescape")
            except OSError:  # a missing or unreadable file answers nothing, as in glibc
                text = ""
            self._entries = parse_services(text)
            self._by_port = {}
            for name, port, protocol, _aliases in self._entries:
                self._by_port.setdefault((port, protocol), name)
        return self._entries

    def name(self, port: int, protocol: str) -> str | None:
        """getservbyport: the name of the first line with PORT and PROTOCOL ("tcp", "udp", "sctp")."""
        self._load()
        return self._by_port.get((port, protocol))

    def port(self, name: str, protocol: str) -> int | None:
        """getservbyname: the port of the first line of PROTOCOL whose name or an alias is NAME."""
        for entry_name, port, entry_protocol, aliases in self._load():
            if entry_protocol == protocol and (entry_name == name or name in aliases):
                return port
        return None


_system: Services | None = None


def system() -> Services:
    """The machine's own /etc/services."""
    global _system
    if _system is None:
        _system = Services()
    return _system
