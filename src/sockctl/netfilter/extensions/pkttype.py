"""The pkttype match (xt_pkttype_info, libxt_pkttype): the link-layer packet type.

    -m pkttype [!] --pkt-type {unicast|broadcast|multicast|otherhost|host|bcast|mcast}
"""

import struct

from sockctl.abi.xt_pkttype import PACKET_BROADCAST, PACKET_HOST, PACKET_MULTICAST, PACKET_OTHERHOST, \
    xt_pkttype_info
from sockctl.netfilter.extensions.base import Extension, Option
from sockctl.netfilter.xtables import RuleError
from sockctl.record import Record

_PKTTYPE_INFO = struct.Struct("=ii")  # struct xt_pkttype_info

# libxt_pkttype's table, in its order: the first name of a type is the one printed.
TYPES = (("unicast", PACKET_HOST), ("broadcast", PACKET_BROADCAST), ("multicast", PACKET_MULTICAST),
         ("otherhost", PACKET_OTHERHOST), ("bcast", PACKET_BROADCAST), ("mcast", PACKET_MULTICAST),
         ("host", PACKET_HOST))


class PkttypeOptions(Record):
    """struct xt_pkttype_info: the type (PACKET_*) and the inversion."""

    pkttype: int = 0
    invert: int = 0


def _name(o: PkttypeOptions) -> str:
    return next((name for name, value in TYPES if value == o.pkttype), str(o.pkttype))


class Pkttype(Extension):
    name = "pkttype"
    c_struct = xt_pkttype_info
    size = _PKTTYPE_INFO.size
    options = (Option("pkt-type", 0, invert=True, mandatory=True),)

    def decode(self, data: bytes) -> PkttypeOptions:
        return PkttypeOptions(*self.unpack(data, _PKTTYPE_INFO))

    def encode(self, o: PkttypeOptions) -> bytes:
        return _PKTTYPE_INFO.pack(o.pkttype, o.invert)

    def parse(self, state, option, args, invert, ctx):
        value = next((v for name, v in TYPES if name == args[0].lower()), None)
        if value is None:
            raise RuleError(f"Bad packet type '{args[0]}'")
        state["pkttype"] = value
        if invert:
            state["invert"] = 1

    def finish(self, state, ctx) -> PkttypeOptions:
        self.check_mandatory(state)
        return PkttypeOptions(state["pkttype"], state.get("invert", 0))

    def save(self, o: PkttypeOptions, ctx) -> str:
        return (" !" if o.invert else "") + " --pkt-type " + _name(o)

    def listing(self, o: PkttypeOptions, ctx) -> str:
        return " PKTTYPE " + ("!" if o.invert else "") + "= " + _name(o)


EXTENSIONS = (Pkttype(),)
