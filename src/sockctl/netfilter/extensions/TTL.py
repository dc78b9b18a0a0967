"""The TTL target for IPv4 (ipt_TTL_info, libipt_TTL) and the HL target for IPv6 (ip6t_HL_info, libip6t_HL).

    -j TTL {--ttl-set N | --ttl-dec N | --ttl-inc N}
    -j HL {--hl-set N | --hl-dec N | --hl-inc N}
"""

import struct

from sockctl.abi.ip6t_HL import ip6t_HL_info
from sockctl.abi.ipt_TTL import IPT_TTL_DEC, IPT_TTL_INC, IPT_TTL_SET, ipt_TTL_info
from sockctl.abi.x_tables import NFPROTO_IPV4, NFPROTO_IPV6
from sockctl.netfilter.extensions.base import Extension, Option
from sockctl.netfilter.xtables import RuleError, parse_uint
from sockctl.record import Record

_INFO = struct.Struct("=BB")  # struct ipt_TTL_info / ip6t_HL_info: mode, value
_WORDS = {IPT_TTL_SET: ("set", "set to"), IPT_TTL_DEC: ("dec", "decrement by"), IPT_TTL_INC: ("inc", "increment by")}


class TtlTargetOptions(Record):
    """struct ipt_TTL_info / ip6t_HL_info: what to do (IPT_TTL_* / IP6T_HL_*) and by how much."""

    mode: int = IPT_TTL_SET
    value: int = 0


class TtlTarget(Extension):
    kind = "target"

    def __init__(self, name: str, family: int, c_struct):
        self.name, self.family, self.c_struct = name, family, c_struct
        self.size = _INFO.size
        low = name.lower()
        self.options = (Option(f"{low}-set", IPT_TTL_SET), Option(f"{low}-dec", IPT_TTL_DEC),
                        Option(f"{low}-inc", IPT_TTL_INC))
        self.exclusive = ((IPT_TTL_SET, IPT_TTL_DEC, IPT_TTL_INC),)

    def decode(self, data: bytes) -> TtlTargetOptions:
        return TtlTargetOptions(*self.unpack(data, _INFO))

    def encode(self, o: TtlTargetOptions) -> bytes:
        return _INFO.pack(o.mode, o.value)

    def parse(self, state, option, args, invert, ctx):
        low = 0 if option.id == IPT_TTL_SET else 1
        state["value"] = parse_uint(args[0], self.name, option.name, low, 255)
        state["mode"] = option.id

    def finish(self, state, ctx) -> TtlTargetOptions:
        if not state.get("_seen"):
            raise RuleError(f"{self.name}: You must specify an action")
        return TtlTargetOptions(state["mode"], state["value"])

    def save(self, o: TtlTargetOptions, ctx) -> str:
        word = _WORDS.get(o.mode)
        return (f" --{self.name.lower()}-{word[0]}" if word else "") + f" {o.value}"

    def listing(self, o: TtlTargetOptions, ctx) -> str:
        word = _WORDS.get(o.mode)
        return f" {self.name} {word[1] if word else ''} {o.value}"


EXTENSIONS = (TtlTarget("TTL", NFPROTO_IPV4, ipt_TTL_info), TtlTarget("HL", NFPROTO_IPV6, ip6t_HL_info))
