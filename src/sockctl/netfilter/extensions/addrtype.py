"""The addrtype match, revision 1 (xt_addrtype_info_v1, libxt_addrtype): the route type of the source
or destination address.

    -m addrtype [!] --src-type T[,T...] [!] --dst-type T[,T...] [--limit-iface-in | --limit-iface-out]
"""

import struct

from sockctl.abi import xt_addrtype as at
from sockctl.netfilter.extensions.base import NONE, Extension, Option
from sockctl.netfilter.xtables import RuleError
from sockctl.record import Record

_V1 = struct.Struct("=HHI")   # struct xt_addrtype_info_v1
# The route types (RTN_*) in number order: bit 1 << n of a type mask.
TYPES = ("UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST", "BLACKHOLE", "UNREACHABLE",
         "PROHIBIT", "THROW", "NAT", "XRESOLVE")
SRC, DST, LIMIT_IN, LIMIT_OUT = range(4)


def parse_types(text: str) -> int:
    """A comma list of route types, each a case-insensitive prefix of one (the first such wins)."""
    mask, rest = 0, text
    while True:
        word, comma, after = rest.partition(",")
        bit = next((1 << i for i, name in enumerate(TYPES) if word and name.lower().startswith(word.lower())), 0)
        if not bit:
            raise RuleError(f"addrtype: bad type `{rest}'" if comma else f'addrtype: bad type "{rest}"')
        mask |= bit
        if not comma:
            return mask
        rest = after


def types_text(mask: int) -> str:
    return ",".join(name for i, name in enumerate(TYPES) if mask & (1 << i))


class AddrtypeOptions(Record):
    """struct xt_addrtype_info_v1: type masks and XT_ADDRTYPE_* flags."""

    source: int = 0
    dest: int = 0
    flags: int = 0


class Addrtype(Extension):
    name = "addrtype"
    revision = 1
    c_struct = at.xt_addrtype_info_v1
    size = _V1.size
    options = (Option("src-type", SRC, invert=True), Option("dst-type", DST, invert=True),
               Option("limit-iface-in", LIMIT_IN, NONE), Option("limit-iface-out", LIMIT_OUT, NONE))
    exclusive = ((LIMIT_IN, LIMIT_OUT),)

    def decode(self, data: bytes) -> AddrtypeOptions:
        return AddrtypeOptions(*self.unpack(data, _V1))

    def encode(self, o: AddrtypeOptions) -> bytes:
        return _V1.pack(o.source, o.dest, o.flags)

    def parse(self, state, option, args, invert, ctx):
        flags = state.get("flags", 0)
        if option.id in (SRC, DST):
            state["source" if option.id == SRC else "dest"] = parse_types(args[0])
            if invert:
                flags |= at.XT_ADDRTYPE_INVERT_SOURCE if option.id == SRC else at.XT_ADDRTYPE_INVERT_DEST
        else:
            flags |= at.XT_ADDRTYPE_LIMIT_IFACE_IN if option.id == LIMIT_IN else at.XT_ADDRTYPE_LIMIT_IFACE_OUT
        state["flags"] = flags

    def finish(self, state, ctx) -> AddrtypeOptions:
        if not state.get("_seen", set()) & {SRC, DST}:
            raise RuleError("addrtype: you must specify --src-type or --dst-type")
        return AddrtypeOptions(**{k: v for k, v in state.items() if k != "_seen"})

    def save(self, o: AddrtypeOptions, ctx) -> str:
        text = ""
        if o.source:
            text += (" !" if o.flags & at.XT_ADDRTYPE_INVERT_SOURCE else "") + " --src-type " + types_text(o.source)
        if o.dest:
            text += (" !" if o.flags & at.XT_ADDRTYPE_INVERT_DEST else "") + " --dst-type " + types_text(o.dest)
        return text + _limits(o, " --limit-iface-in", " --limit-iface-out")

    def listing(self, o: AddrtypeOptions, ctx) -> str:
        text = " ADDRTYPE match"
        if o.source:
            text += " src-type " + ("!" if o.flags & at.XT_ADDRTYPE_INVERT_SOURCE else "") + types_text(o.source)
        if o.dest:
            text += " dst-type " + ("!" if o.flags & at.XT_ADDRTYPE_INVERT_DEST else "") + types_text(o.dest)
        return text + _limits(o, " limit-in", " limit-out")


def _limits(o: AddrtypeOptions, limit_in: str, limit_out: str) -> str:
    return (limit_in if o.flags & at.XT_ADDRTYPE_LIMIT_IFACE_IN else "") + \
        (limit_out if o.flags & at.XT_ADDRTYPE_LIMIT_IFACE_OUT else "")


EXTENSIONS = (Addrtype(),)
