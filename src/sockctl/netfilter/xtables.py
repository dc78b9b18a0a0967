"""How iptables 1.8.9 reads and writes numbers, ports, protocols and strings (libxtables' rules).

Pure functions shared by the rule parser and the extension codecs. Parse
errors raise ``RuleError`` with the meaning of iptables' own message.
"""

import _socket

from sockctl.errors import InputError


class RuleError(InputError):
    """A rule or command that iptables would refuse (PARAMETER_PROBLEM)."""


def strtoul(text: str, low: int = 0, high: int = 0xFFFFFFFF, partial: bool = False):
    """C's strtoumax(text, &end, 0) as xtables_strtoul uses it: None when not a number in [LOW, HIGH].

    Leading white space and a '+' are allowed, a '-' is not; ``0x`` is hex
    and a leading ``0`` octal. With PARTIAL, returns (value, rest) and only
    a prefix needs to be a number.
    """
    if not partial and text.isdigit() and text.isascii() and (text[0] != "0" or len(text) == 1):
        value = int(text)
        return value if low <= value <= high else None
    i, n = 0, len(text)
    while i < n and text[i] in " \t\n\v\f\r":
        i += 1
    if i < n and text[i] == "-":
        return None
    start = i
    if i < n and text[i] == "+":
        i += 1
    base, digits = 10, "0123456789"
    if text[i:i + 2] in ("0x", "0X") and i + 2 < n and text[i + 2] in "0123456789abcdefABCDEF":
        base, digits, i = 16, "0123456789abcdefABCDEF", i + 2
    elif text[i:i + 1] == "0":
        base, digits = 8, "01234567"
    j = i
    while j < n and text[j] in digits:
        j += 1
    if j == i or j == start:
        return None
    value = int(text[i:j], base)
    if not low <= value <= high:
        return None
    if partial:
        return value, text[j:]
    return value if j == n else None


def service_port(name: str, proto: str | None) -> int | None:
    """getservbyname(NAME, PROTO) as a port number, or None."""
    try:
        return _socket.getservbyname(name, proto) if proto else _socket.getservbyname(name)
    except (OSError, UnicodeError, ValueError):
        return None


def parse_port(text: str, proto: str | None) -> int:
    """xtables_parse_port: a number 0-65535 or a service name of PROTO."""
    value = strtoul(text, 0, 0xFFFF)
    if value is None:
        value = service_port(text, proto)
    if value is None:
        raise RuleError(f"invalid port/service `{text}' specified")
    return value


def port_name(port: int, proto: str | None) -> str:
    """getservbyport, else the number (the -L listing without -n)."""
    try:
        return _socket.getservbyport(port, proto) if proto else str(port)
    except (OSError, OverflowError):
        return str(port)


_protocols: dict | None = None


def _protocol_table() -> dict:
    """/etc/protocols as number -> first name, the way getprotobynumber reads it."""
    global _protocols
    if _protocols is None:
        _protocols = {}
        names = {}
        try:
            with open("/etc/protocols", encoding="latin-1") as f:
                for line in f:
                    words = line.partition("#")[0].split()
                    if len(words) >= 2 and words[1].isdigit():
                        number = int(words[1])
                        _protocols.setdefault(number, words[0])
                        for word in [words[0]] + words[2:]:
                            names.setdefault(word, number)
        except OSError:
            pass
        _protocol_names.update(names)
    return _protocols


_protocol_names: dict = {}

# xtables_chain_protos: the names iptables knows without /etc/protocols, in its order.
CHAIN_PROTOS = (("tcp", 6), ("sctp", 132), ("udp", 17), ("udplite", 136), ("icmp", 1), ("ipv6-icmp", 58),
                ("icmpv6", 58), ("esp", 50), ("ah", 51), ("mobility-header", 135), ("ipv6-mh", 135),
                ("mh", 135), ("all", 0))
_CHAIN_PROTO_NAMES = dict(CHAIN_PROTOS)


def proto_name(number: int, numeric: bool = False) -> str | None:
    """proto_to_name(): iptables' own names first, then /etc/protocols (unless NUMERIC)."""
    for name, value in CHAIN_PROTOS:
        if value == number:
            return name
    if number and not numeric:
        return _protocol_table().get(number)
    return None


def parse_protocol(text: str) -> int:
    """xtables_parse_protocol: a number 0-255, one of iptables' names, or a name in /etc/protocols."""
    value = strtoul(text, 0, 255)
    if value is not None:
        return value
    if text in _CHAIN_PROTO_NAMES:
        return _CHAIN_PROTO_NAMES[text]
    _protocol_table()
    if text in _protocol_names:
        return _protocol_names[text]
    raise RuleError(f'unknown protocol "{text}" specified')


_SAFE = frozenset("_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def save_string(value: str) -> str:
    """xtables_save_string: ' value', or ' "value"' with \\, " and ' escaped when anything else is in it."""
    if value and all(c in _SAFE for c in value):
        return " " + value
    return ' "' + value.replace("\\", "\\\\").replace('"', '\\"').replace("'", "\\'") + '"'


def parse_mark_mask(text: str, ext: str, option: str) -> tuple[int, int]:
    """xtables_parse_mark_mask: VALUE[/MASK], each 0-0xFFFFFFFF; the mask defaults to all ones."""
    parsed = strtoul(text, 0, 0xFFFFFFFF, partial=True)
    if parsed is None:
        raise RuleError(f'{ext}: bad integer value for option "--{option}", or out of range.')
    value, rest = parsed
    if not rest:
        return value, 0xFFFFFFFF
    if rest[0] != "/":
        raise RuleError(f'{ext}: trailing garbage after value for option "--{option}".')
    parsed = strtoul(rest[1:], 0, 0xFFFFFFFF, partial=True)
    if parsed is None:
        raise RuleError(f'{ext}: bad integer value for option "--{option}", or out of range.')
    mask, rest = parsed
    if rest:
        raise RuleError(f'{ext}: trailing garbage after value for option "--{option}".')
    return value, mask


def mark_mask_text(value: int, mask: int) -> str:
    """xtables_print_mark_mask: ' 0xV/0xM', or ' 0xV' when the mask is all ones."""
    if mask != 0xFFFFFFFF:
        return f" 0x{value:x}/0x{mask:x}"
    return f" 0x{value:x}"


def parse_uint(text: str, ext: str, option: str, low: int, high: int) -> int:
    """An XTTYPE_UINT* option value with iptables' range message."""
    value = strtoul(text, low, high)
    if value is None:
        raise RuleError(f'{ext}: bad value for option "--{option}", or out of range ({low}-{high}).')
    return value


def getaddrinfo_port(text: str) -> int | None:
    """xtables_getportbyname: a decimal number or any service name, as getaddrinfo(NULL, name) resolves it."""
    if text.isdigit():
        value = int(text)
        return value if value <= 0xFFFF else None
    return service_port(text, None)


def parse_uint_range(text: str, ext: str, option: str, maximum: int) -> list[int]:
    """An XTTYPE_UINT*RC value: N or N:M (an empty part is 0, or MAXIMUM for the upper one), as a list."""
    values = []
    rest = text
    while True:
        if len(values) == 2:
            raise RuleError(f'{ext}: Too many components for option "--{option}" (max: 2)')
        if not rest or rest[0] == ":":
            value, after = (maximum if len(values) == 1 else 0), rest
        else:
            parsed = strtoul(rest, 0, maximum, partial=True)
            if parsed is None:
                raise RuleError(f'{ext}: bad value for option "--{option}" near "{rest}", '
                                f'or out of range (0-{maximum}).')
            value, after = parsed
            if after and after[0] != ":":
                raise RuleError(f'{ext}: Argument to "--{option}" has unexpected characters near "{after}".')
        values.append(value)
        if not after:
            return values
        rest = after[1:]


def bad_value(ext: str, option: str, value: str) -> RuleError:
    """xtables_param_act(XTF_BAD_VALUE, ...): the error for a value an option cannot take."""
    return RuleError(f'{ext}: Bad value for "{option}" option: "{value}"')


def c_string(raw: bytes) -> str:
    """A char array as C prints it with %s: the bytes before the first NUL."""
    return raw.partition(b"\0")[0].decode("latin-1")


def c_int(value: int) -> int:
    """An unsigned 32-bit field as C's %d prints it."""
    return value - (1 << 32) if value & 0x80000000 else value
