"""The length match (xt_length_info, libxt_length): the packet's length within a range.

    -m length [!] --length N[:M]
"""

import struct

from sockctl.abi.xt_length import xt_length_info
from sockctl.netfilter.extensions.base import Extension, Option
from sockctl.netfilter.xtables import parse_uint_range
from sockctl.record import Record

_LENGTH_INFO = struct.Struct("=HHBx")  # struct xt_length_info


class LengthOptions(Record):
    """struct xt_length_info: the inclusive range and the inversion."""

    min: int = 0
    max: int = 0
    invert: int = 0


def _range(o: LengthOptions) -> str:
    return f"{o.min}" if o.min == o.max else f"{o.min}:{o.max}"


class Length(Extension):
    name = "length"
    c_struct = xt_length_info
    size = _LENGTH_INFO.size
    options = (Option("length", 0, invert=True, mandatory=True),)

    def decode(self, data: bytes) -> LengthOptions:
        return LengthOptions(*self.unpack(data, _LENGTH_INFO))

    def encode(self, o: LengthOptions) -> bytes:
        return _LENGTH_INFO.pack(o.min, o.max, o.invert)

    def parse(self, state, option, args, invert, ctx):
        values = parse_uint_range(args[0], "length", option.name, 0xFFFF)
        state["min"], state["max"] = values[0], values[-1]
        if invert:
            state["invert"] = 1

    def finish(self, state, ctx) -> LengthOptions:
        self.check_mandatory(state)
        return LengthOptions(state["min"], state["max"], state.get("invert", 0))

    def save(self, o: LengthOptions, ctx) -> str:
        return (" !" if o.invert else "") + " --length " + _range(o)

    def listing(self, o: LengthOptions, ctx) -> str:
        return " length " + ("!" if o.invert else "") + _range(o)


EXTENSIONS = (Length(),)
