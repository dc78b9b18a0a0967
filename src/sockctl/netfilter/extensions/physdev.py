"""The physdev match (xt_physdev_info, libxt_physdev): the bridge ports of a bridged packet.

    -m physdev [!] --physdev-in NAME[+] [!] --physdev-out NAME[+] [!] --physdev-is-in
               [!] --physdev-is-out [!] --physdev-is-bridged
"""

import struct

from sockctl.abi.xt_physdev import XT_PHYSDEV_OP_BRIDGED, XT_PHYSDEV_OP_IN, XT_PHYSDEV_OP_ISIN, \
    XT_PHYSDEV_OP_ISOUT, XT_PHYSDEV_OP_OUT, xt_physdev_info
from sockctl.netfilter.extensions.base import NONE, Extension, Option
from sockctl.netfilter.xtables import RuleError, c_string
from sockctl.record import Record

_INFO = struct.Struct("=16s16s16s16sBB")  # struct xt_physdev_info
IN, OUT, IS_IN, IS_OUT, IS_BRIDGED = range(5)
_BITS = {IN: XT_PHYSDEV_OP_IN, OUT: XT_PHYSDEV_OP_OUT, IS_IN: XT_PHYSDEV_OP_ISIN, IS_OUT: XT_PHYSDEV_OP_ISOUT,
         IS_BRIDGED: XT_PHYSDEV_OP_BRIDGED}


class PhysdevOptions(Record):
    """struct xt_physdev_info: port names and masks, inversion and XT_PHYSDEV_OP_* bits."""

    physindev: bytes = bytes(16)
    in_mask: bytes = bytes(16)
    physoutdev: bytes = bytes(16)
    out_mask: bytes = bytes(16)
    invert: int = 0
    bitmask: int = 0


class Physdev(Extension):
    name = "physdev"
    c_struct = xt_physdev_info
    size = _INFO.size
    options = (Option("physdev-in", IN, invert=True), Option("physdev-out", OUT, invert=True),
               Option("physdev-is-in", IS_IN, NONE, invert=True), Option("physdev-is-out", IS_OUT, NONE, invert=True),
               Option("physdev-is-bridged", IS_BRIDGED, NONE, invert=True))

    def decode(self, data: bytes) -> PhysdevOptions:
        return PhysdevOptions(*self.unpack(data, _INFO))

    def encode(self, o: PhysdevOptions) -> bytes:
        return _INFO.pack(o.physindev, o.in_mask, o.physoutdev, o.out_mask, o.invert, o.bitmask)

    def parse(self, state, option, args, invert, ctx):
        from sockctl.netfilter.command import parse_interface

        if option.id in (IN, OUT):
            name, mask = parse_interface(args[0])
            raw = name.encode("latin-1", "replace").ljust(16, b"\0")
            state["physindev" if option.id == IN else "physoutdev"] = raw
            state["in_mask" if option.id == IN else "out_mask"] = mask
        bit = _BITS[option.id]
        state["bitmask"] = state.get("bitmask", 0) | bit
        if invert:
            state["invert"] = state.get("invert", 0) | bit

    def finish(self, state, ctx) -> PhysdevOptions:
        if not state.get("_seen"):
            raise RuleError("PHYSDEV: no physdev option specified")
        return PhysdevOptions(**{k: v for k, v in state.items() if k != "_seen"})

    def save(self, o: PhysdevOptions, ctx) -> str:
        out = []
        for bit, word, name in ((XT_PHYSDEV_OP_ISIN, "--physdev-is-in", None),
                                (XT_PHYSDEV_OP_IN, "--physdev-in", o.physindev),
                                (XT_PHYSDEV_OP_ISOUT, "--physdev-is-out", None),
                                (XT_PHYSDEV_OP_OUT, "--physdev-out", o.physoutdev),
                                (XT_PHYSDEV_OP_BRIDGED, "--physdev-is-bridged", None)):
            if o.bitmask & bit:
                out.append((" !" if o.invert & bit else "") + " " + word + ("" if name is None else
                                                                             " " + c_string(name)))
        return "".join(out)

    def listing(self, o: PhysdevOptions, ctx) -> str:
        return " PHYSDEV match" + self.save(o, ctx)


EXTENSIONS = (Physdev(),)
