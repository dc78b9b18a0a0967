"""The MARK target, revision 2 (xt_mark_tginfo2, libxt_MARK): nfmark = (nfmark & ~mask) ^ value.

    -j MARK {--set-xmark V[/M] | --set-mark V[/M] | --and-mark V | --or-mark V | --xor-mark V}
"""

import struct

from sockctl.abi.xt_mark import xt_mark_tginfo2
from sockctl.netfilter.extensions.base import Extension, Option, plain_uint
from sockctl.netfilter.xtables import RuleError, parse_mark_mask, parse_uint
from sockctl.record import Record

_TGINFO2 = struct.Struct("=II")  # struct xt_mark_tginfo2

SET_XMARK, SET_MARK, AND_MARK, OR_MARK, XOR_MARK = range(5)


class MarkTargetOptions(Record):
    """struct xt_mark_tginfo2: the value to XOR in after clearing the mask's bits."""

    mark: int = 0
    mask: int = 0


class MarkTarget(Extension):
    kind = "target"
    name = "MARK"
    revision = 2
    c_struct = xt_mark_tginfo2
    size = _TGINFO2.size
    options = (Option("set-xmark", SET_XMARK), Option("set-mark", SET_MARK), Option("and-mark", AND_MARK),
               Option("or-mark", OR_MARK), Option("xor-mark", XOR_MARK))
    exclusive = ((SET_XMARK, SET_MARK, AND_MARK, OR_MARK, XOR_MARK),)

    def decode(self, data: bytes) -> MarkTargetOptions:
        return MarkTargetOptions(*self.unpack(data, _TGINFO2))

    def encode(self, opts: MarkTargetOptions) -> bytes:
        return _TGINFO2.pack(opts.mark, opts.mask)

    def parse(self, state, option, args, invert, ctx):
        if option.id in (SET_XMARK, SET_MARK):
            value, mask = parse_mark_mask(args[0], "MARK", option.name)
            state["mark"], state["mask"] = (value, mask) if option.id == SET_XMARK else (value, value | mask)
            return
        value = parse_uint(args[0], "MARK", option.name, 0, 0xFFFFFFFF)
        if option.id == AND_MARK:
            state["mark"], state["mask"] = 0, ~value & 0xFFFFFFFF
        elif option.id == OR_MARK:
            state["mark"] = state["mask"] = value
        else:
            state["mark"], state["mask"] = value, 0

    def finish(self, state, ctx) -> MarkTargetOptions:
        if not state.get("_seen"):
            raise RuleError("MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required")
        return MarkTargetOptions(state["mark"], state["mask"])

    def save(self, opts: MarkTargetOptions, ctx) -> str:
        return f" --set-xmark 0x{opts.mark:x}/0x{opts.mask:x}"

    def save_payload(self, data: bytes, ctx) -> str:
        mark, mask = self.unpack(data, _TGINFO2)
        return f" -j MARK --set-xmark 0x{mark:x}/0x{mask:x}"

    def payload_of(self, options, ctx) -> bytes:
        # --set-xmark VALUE[/MASK] (iptables-save's form), written plainly.
        if len(options) == 1 and options[0][0].id == SET_XMARK and not options[0][2]:
            value, slash, mask = options[0][1][0].partition("/")
            value = plain_uint(value, 0xFFFFFFFF)
            mask = plain_uint(mask, 0xFFFFFFFF) if slash else 0xFFFFFFFF
            if value is not None and mask is not None:
                return _TGINFO2.pack(value, mask)
        return super().payload_of(options, ctx)

    def listing(self, opts: MarkTargetOptions, ctx) -> str:
        if opts.mark == 0:
            return f" MARK and 0x{~opts.mask & 0xFFFFFFFF:x}"
        if opts.mark == opts.mask:
            return f" MARK or 0x{opts.mark:x}"
        if opts.mask == 0:
            return f" MARK xor 0x{opts.mark:x}"
        if opts.mask == 0xFFFFFFFF:
            return f" MARK set 0x{opts.mark:x}"
        return f" MARK xset 0x{opts.mark:x}/0x{opts.mask:x}"


EXTENSIONS = (MarkTarget(),)
