"""The connmark match, revision 1 (xt_connmark_mtinfo1, libxt_connmark): (ctmark & mask) == value.

    -m connmark [!] --mark VALUE[/MASK]
"""

import struct

from sockctl.abi.xt_connmark import xt_connmark_mtinfo1
from sockctl.netfilter.extensions.base import Extension, Option
from sockctl.netfilter.xtables import mark_mask_text, parse_mark_mask
from sockctl.record import Record

_MTINFO1 = struct.Struct("=IIB3x")  # struct xt_connmark_mtinfo1


class ConnmarkMatchOptions(Record):
    """struct xt_connmark_mtinfo1: value, mask, inversion."""

    mark: int = 0
    mask: int = 0xFFFFFFFF
    invert: int = 0


class ConnmarkMatch(Extension):
    name = "connmark"
    revision = 1
    c_struct = xt_connmark_mtinfo1
    size = _MTINFO1.size
    options = (Option("mark", 0, invert=True, mandatory=True),)

    def decode(self, data: bytes) -> ConnmarkMatchOptions:
        return ConnmarkMatchOptions(*self.unpack(data, _MTINFO1))

    def encode(self, o: ConnmarkMatchOptions) -> bytes:
        return _MTINFO1.pack(o.mark, o.mask, o.invert)

    def parse(self, state, option, args, invert, ctx):
        state["mark"], state["mask"] = parse_mark_mask(args[0], "connmark", option.name)
        if invert:
            state["invert"] = 1

    def finish(self, state, ctx) -> ConnmarkMatchOptions:
        self.check_mandatory(state)
        return ConnmarkMatchOptions(state["mark"], state["mask"], state.get("invert", 0))

    def save(self, o: ConnmarkMatchOptions, ctx) -> str:
        return (" !" if o.invert else "") + " --mark" + mark_mask_text(o.mark, o.mask)

    def listing(self, o: ConnmarkMatchOptions, ctx) -> str:
        return " connmark match " + ("!" if o.invert else "") + mark_mask_text(o.mark, o.mask)


EXTENSIONS = (ConnmarkMatch(),)
