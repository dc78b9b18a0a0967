"""The tos match, revision 1 (xt_tos_match_info, libxt_tos), and the TOS target, revision 1
(xt_tos_target_info, libxt_TOS): the IPv4 TOS / IPv6 traffic class byte under a mask.

    -m tos [!] --tos {VALUE[/MASK] | SYMBOL}
    -j TOS {--set-tos VALUE[/MASK] | --set-tos SYMBOL | --and-tos BITS | --or-tos BITS | --xor-tos BITS}

A number without a mask gets 0xff; a symbol gets 0x3f (its precedence bits are kept).
"""

import struct

from sockctl.abi.xt_dscp import xt_tos_match_info, xt_tos_target_info
from sockctl.netfilter.extensions.base import Extension, Option
from sockctl.netfilter.xtables import RuleError, parse_uint, strtoul
from sockctl.record import Record

_MATCH = struct.Struct("=BBB")   # struct xt_tos_match_info: mask, value, invert
_TARGET = struct.Struct("=BB")   # struct xt_tos_target_info: value, mask
SYMBOL_MASK = 0x3F
SYMBOLS = (("Minimize-Delay", 0x10), ("Maximize-Throughput", 0x08), ("Maximize-Reliability", 0x04),
           ("Minimize-Cost", 0x02), ("Normal-Service", 0x00))


def parse_tos(text: str) -> tuple[int, int]:
    """XTTYPE_TOSMASK: (value, mask) of VALUE[/MASK] (mask 0xff) or of a symbol (mask 0x3f)."""
    parsed = strtoul(text, 0, 0xFF, partial=True)
    if parsed is None:
        for name, value in SYMBOLS:
            if name.lower() == text.lower():
                return value, SYMBOL_MASK
        raise RuleError(f'Symbolic name "{text}" is unknown')
    value, rest = parsed
    mask = 0xFF
    if rest[:1] == "/":
        parsed = strtoul(rest[1:], 0, 0xFF, partial=True)
        if parsed is None:
            raise RuleError(f'Illegal value: "{text}"')
        mask, rest = parsed
    if rest:
        raise RuleError(f'Illegal value: "{text}"')
    return value, mask


def symbol(value: int, mask: int) -> str | None:
    """tos_try_print_symbolic: the name of VALUE when MASK is 0x3f and a name exists."""
    if mask != SYMBOL_MASK:
        return None
    return next((name for name, v in SYMBOLS if v == value), None)


class TosMatchOptions(Record):
    """struct xt_tos_match_info: mask, value, inversion."""

    tos_mask: int = 0
    tos_value: int = 0
    invert: int = 0


class TosMatch(Extension):
    name = "tos"
    revision = 1
    c_struct = xt_tos_match_info
    size = _MATCH.size
    options = (Option("tos", 0, invert=True, mandatory=True),)

    def decode(self, data: bytes) -> TosMatchOptions:
        return TosMatchOptions(*self.unpack(data, _MATCH))

    def encode(self, o: TosMatchOptions) -> bytes:
        return _MATCH.pack(o.tos_mask, o.tos_value, o.invert)

    def parse(self, state, option, args, invert, ctx):
        state["tos_value"], state["tos_mask"] = parse_tos(args[0])
        if invert:
            state["invert"] = 1

    def finish(self, state, ctx) -> TosMatchOptions:
        self.check_mandatory(state)
        return TosMatchOptions(state["tos_mask"], state["tos_value"], state.get("invert", 0))

    def save(self, o: TosMatchOptions, ctx) -> str:
        return (" !" if o.invert else "") + f" --tos 0x{o.tos_value:02x}/0x{o.tos_mask:02x}"

    def listing(self, o: TosMatchOptions, ctx) -> str:
        text = " tos match" + ("!" if o.invert else "")
        name = None if ctx.numeric else symbol(o.tos_value, o.tos_mask)
        return text + (f" {name}" if name else f"0x{o.tos_value:02x}/0x{o.tos_mask:02x}")


SET, AND, OR, XOR = range(4)


class TosTargetOptions(Record):
    """struct xt_tos_target_info: tos = (tos & ~mask) ^ value."""

    tos_value: int = 0
    tos_mask: int = 0


class TosTarget(Extension):
    kind = "target"
    name = "TOS"
    revision = 1
    c_struct = xt_tos_target_info
    size = _TARGET.size
    options = (Option("set-tos", SET), Option("and-tos", AND), Option("or-tos", OR), Option("xor-tos", XOR))
    exclusive = ((SET, AND, OR, XOR),)

    def decode(self, data: bytes) -> TosTargetOptions:
        return TosTargetOptions(*self.unpack(data, _TARGET))

    def encode(self, o: TosTargetOptions) -> bytes:
        return _TARGET.pack(o.tos_value, o.tos_mask)

    def parse(self, state, option, args, invert, ctx):
        if option.id == SET:
            state["tos_value"], state["tos_mask"] = parse_tos(args[0])
            return
        bits = parse_uint(args[0], "TOS", option.name, 0, 0xFF)
        state["tos_value"], state["tos_mask"] = {AND: (0, ~bits & 0xFF), OR: (bits, bits), XOR: (bits, 0)}[option.id]

    def finish(self, state, ctx) -> TosTargetOptions:
        if not state.get("_seen"):
            raise RuleError("TOS: An action is required")
        return TosTargetOptions(state["tos_value"], state["tos_mask"])

    def save(self, o: TosTargetOptions, ctx) -> str:
        return f" --set-tos 0x{o.tos_value:02x}/0x{o.tos_mask:02x}"

    def listing(self, o: TosTargetOptions, ctx) -> str:
        value, mask = o.tos_value, o.tos_mask
        if ctx.numeric:
            return f" TOS set 0x{value:02x}/0x{mask:02x}"
        name = symbol(value, mask)
        if name:
            return f"  TOS set{name}"  # tos_try_print_symbolic puts its own space before the prefix
        if value == 0:
            return f" TOS and 0x{~mask & 0xFF:02x}"
        if value == mask:
            return f" TOS or 0x{value:02x}"
        if mask == 0:
            return f" TOS xor 0x{value:02x}"
        return f" TOS set 0x{value:02x}/0x{mask:02x}"


EXTENSIONS = (TosMatch(), TosTarget())
