"""The mark match, revision 1 (xt_mark_mtinfo1, libxt_mark): (nfmark & mask) == value.

    -m mark [!] --mark VALUE[/MASK]
"""

import struct

from sockctl.abi.x_tables import XT_ALIGN
from sockctl.abi.xt_mark import xt_mark_mtinfo1
from sockctl.netfilter.extensions.base import Extension, Option, plain_uint
from sockctl.netfilter.xtables import mark_mask_text, parse_mark_mask
from sockctl.record import Record

_MTINFO1 = struct.Struct("=IIB3x")  # struct xt_mark_mtinfo1 (padded to 12 bytes)
_PAD = bytes(XT_ALIGN(_MTINFO1.size) - _MTINFO1.size)


class MarkMatchOptions(Record):
    """struct xt_mark_mtinfo1: value, mask, inversion."""

    mark: int = 0
    mask: int = 0xFFFFFFFF
    invert: int = 0


class MarkMatch(Extension):
    name = "mark"
    revision = 1
    c_struct = xt_mark_mtinfo1
    size = _MTINFO1.size
    options = (Option("mark", 0, invert=True, mandatory=True),)

    def decode(self, data: bytes) -> MarkMatchOptions:
        return MarkMatchOptions(*self.unpack(data, _MTINFO1))

    def encode(self, opts: MarkMatchOptions) -> bytes:
        return _MTINFO1.pack(opts.mark, opts.mask, opts.invert)

    def parse(self, state, option, args, invert, ctx):
        state["mark"], state["mask"] = parse_mark_mask(args[0], "mark", option.name)
        if invert:
            state["invert"] = 1

    def finish(self, state, ctx) -> MarkMatchOptions:
        self.check_mandatory(state)
        return MarkMatchOptions(state["mark"], state["mask"], state.get("invert", 0))

    def save(self, opts: MarkMatchOptions, ctx) -> str:
        return (" !" if opts.invert else "") + " --mark" + mark_mask_text(opts.mark, opts.mask)

    def save_payload(self, data: bytes, ctx) -> str:
        mark, mask, invert = self.unpack(data, _MTINFO1)
        return " -m mark" + (" !" if invert else "") + " --mark" + mark_mask_text(mark, mask)

    def payload_of(self, options, ctx) -> bytes:
        if len(options) == 1:
            _, (text,), invert = options[0]
            value, slash, mask = text.partition("/")
            value = plain_uint(value, 0xFFFFFFFF)
            mask = plain_uint(mask, 0xFFFFFFFF) if slash else 0xFFFFFFFF
            if value is not None and mask is not None:
                return _MTINFO1.pack(value, mask, 1 if invert else 0) + _PAD
        return super().payload_of(options, ctx)

    def listing(self, opts: MarkMatchOptions, ctx) -> str:
        return " mark match" + (" !" if opts.invert else "") + mark_mask_text(opts.mark, opts.mask)


EXTENSIONS = (MarkMatch(),)
