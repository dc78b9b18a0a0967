"""The icmp match (ipt_icmp, libipt_icmp): an ICMP type and code range.

    -p icmp [!] --icmp-type {any|NAME|TYPE[/CODE]}
"""

import struct

from sockctl.abi.ip_tables import IPT_ICMP_INV, ipt_icmp
from sockctl.abi.x_tables import NFPROTO_IPV4
from sockctl.netfilter.extensions.base import Extension, Option
from sockctl.netfilter.xtables import RuleError, strtoul
from sockctl.record import Record

_IPT_ICMP = struct.Struct("=BBBB")  # struct ipt_icmp: type, code[2], invflags

# (name, type, lowest code, highest code), in libxt_icmp.h's order: the first
# exact type and code range names it in a listing; a prefix of a name selects it.
ICMP_TYPES = (
    ("any", 0xFF, 0, 0xFF), ("echo-reply", 0, 0, 0xFF), ("pong", 0, 0, 0xFF),
    ("destination-unreachable", 3, 0, 0xFF), ("network-unreachable", 3, 0, 0), ("host-unreachable", 3, 1, 1),
    ("protocol-unreachable", 3, 2, 2), ("port-unreachable", 3, 3, 3), ("fragmentation-needed", 3, 4, 4),
    ("source-route-failed", 3, 5, 5), ("network-unknown", 3, 6, 6), ("host-unknown", 3, 7, 7),
    ("network-prohibited", 3, 9, 9), ("host-prohibited", 3, 10, 10), ("TOS-network-unreachable", 3, 11, 11),
    ("TOS-host-unreachable", 3, 12, 12), ("communication-prohibited", 3, 13, 13),
    ("host-precedence-violation", 3, 14, 14), ("precedence-cutoff", 3, 15, 15),
    ("source-quench", 4, 0, 0xFF), ("redirect", 5, 0, 0xFF), ("network-redirect", 5, 0, 0),
    ("host-redirect", 5, 1, 1), ("TOS-network-redirect", 5, 2, 2), ("TOS-host-redirect", 5, 3, 3),
    ("echo-request", 8, 0, 0xFF), ("ping", 8, 0, 0xFF), ("router-advertisement", 9, 0, 0xFF),
    ("router-solicitation", 10, 0, 0xFF), ("time-exceeded", 11, 0, 0xFF), ("ttl-exceeded", 11, 0, 0xFF),
    ("ttl-zero-during-transit", 11, 0, 0), ("ttl-zero-during-reassembly", 11, 1, 1),
    ("parameter-problem", 12, 0, 0xFF), ("ip-header-bad", 12, 0, 0), ("required-option-missing", 12, 1, 1),
    ("timestamp-request", 13, 0, 0xFF), ("timestamp-reply", 14, 0, 0xFF), ("address-mask-request", 17, 0, 0xFF),
    ("address-mask-reply", 18, 0, 0xFF),
)


class IcmpOptions(Record):
    """struct ipt_icmp / ip6t_icmp: type, code range, inversion."""

    type: int = 0xFF
    code: tuple = (0, 0xFF)
    invflags: int = 0


def _range(text: str):
    parsed = strtoul(text, 0, 255, partial=True)
    if parsed is None:
        return None
    low, rest = parsed
    high = low
    if rest.startswith(":"):
        parsed = strtoul(rest[1:], 0, 255, partial=True)
        if parsed is None:
            return None
        high, rest = parsed
    return low, high, rest


def parse_icmp(text: str, table, label: str) -> tuple[int, tuple]:
    """__ipt_parse_icmp: a type name (or a unique prefix of one), or TYPE[/CODE[:CODE]]."""
    found = None
    for entry in table:
        if entry[0].lower().startswith(text.lower()):
            if found is not None:
                raise RuleError(f"Ambiguous {label} type `{text}': `{found[0]}' or `{entry[0]}'?")
            found = entry
    if found is not None:
        return found[1], (found[2], found[3])
    parsed = _range(text)
    if parsed is None:
        raise RuleError(f"Unknown {label} type `{text}'")
    low, high, rest = parsed
    if low != high:
        raise RuleError(f"{label} type range not supported")
    if not rest:
        return low, (0, 255)
    if rest[0] != "/":
        raise RuleError(f"unknown character {rest[0]}")
    parsed = _range(rest[1:])
    if parsed is None:
        raise RuleError(f"Unknown {label} code `{text}'")
    code_low, code_high, rest = parsed
    if rest:
        raise RuleError(f"unknown character {rest[0]}")
    return low, (code_low, code_high)


def type_listing(table, opts: IcmpOptions, numeric: bool) -> str:
    inverted = opts.invflags & 1
    if not numeric:
        for name, type_, low, high in table:
            if type_ == opts.type and (low, high) == opts.code:
                return f" {'!' if inverted else ''}{name}"
    text = (" !" if inverted else "") + f"type {opts.type}"
    low, high = opts.code
    if low == high:
        text += f" code {low}"
    elif (low, high) != (0, 0xFF):
        text += f" codes {low}-{high}"
    return text


class Icmp(Extension):
    name = "icmp"
    family = NFPROTO_IPV4
    c_struct = ipt_icmp
    size = _IPT_ICMP.size
    options = (Option("icmp-type", 0, invert=True, mandatory=True),)

    def decode(self, data: bytes) -> IcmpOptions:
        type_, low, high, inv = self.unpack(data, _IPT_ICMP)
        return IcmpOptions(type_, (low, high), inv)

    def encode(self, opts: IcmpOptions) -> bytes:
        return _IPT_ICMP.pack(opts.type, *opts.code, opts.invflags)

    def start(self, ctx) -> dict:
        return {"type": 0xFF, "code": (0, 0xFF)}

    def parse(self, state, option, args, invert, ctx):
        state["type"], state["code"] = parse_icmp(args[0], ICMP_TYPES, "ICMP")
        if invert:
            state["invflags"] = IPT_ICMP_INV

    def finish(self, state, ctx) -> IcmpOptions:
        self.check_mandatory(state)
        return IcmpOptions(state["type"], state["code"], state.get("invflags", 0))

    def save(self, opts: IcmpOptions, ctx) -> str:
        text = " !" if opts.invflags & IPT_ICMP_INV else ""
        if opts.type == 0xFF:
            return text + " --icmp-type any"
        text += f" --icmp-type {opts.type}"
        if opts.code != (0, 0xFF):
            text += f"/{opts.code[0]}"
        return text

    def listing(self, opts: IcmpOptions, ctx) -> str:
        text = " icmp" + type_listing(ICMP_TYPES, opts, ctx.numeric)
        if opts.invflags & ~IPT_ICMP_INV:
            text += f" Unknown invflags: 0x{opts.invflags & ~IPT_ICMP_INV:X}"
        return text


EXTENSIONS = (Icmp(),)
