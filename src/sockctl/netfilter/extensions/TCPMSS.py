"""The TCPMSS target (xt_tcpmss_info, libxt_TCPMSS): set or clamp the MSS option of TCP SYN packets.

    -j TCPMSS {--set-mss N | --clamp-mss-to-pmtu}
"""

import struct

from sockctl.abi.x_tables import NFPROTO_IPV4, NFPROTO_IPV6
from sockctl.abi.xt_TCPMSS import XT_TCPMSS_CLAMP_PMTU, xt_tcpmss_info
from sockctl.netfilter.extensions.base import NONE, Extension, Option
from sockctl.netfilter.xtables import RuleError, parse_uint
from sockctl.record import Record

_INFO = struct.Struct("=H")  # struct xt_tcpmss_info
SET_MSS, CLAMP = 0, 1


class TcpmssOptions(Record):
    """struct xt_tcpmss_info: the MSS, or XT_TCPMSS_CLAMP_PMTU."""

    mss: int = 0


class Tcpmss(Extension):
    kind = "target"
    name = "TCPMSS"
    c_struct = xt_tcpmss_info
    size = _INFO.size
    options = (Option("set-mss", SET_MSS), Option("clamp-mss-to-pmtu", CLAMP, NONE))

    def __init__(self, family: int, header_size: int):
        self.family = family
        self.max_mss = 0xFFFF - header_size

    def decode(self, data: bytes) -> TcpmssOptions:
        return TcpmssOptions(*self.unpack(data, _INFO))

    def encode(self, o: TcpmssOptions) -> bytes:
        return _INFO.pack(o.mss)

    def parse(self, state, option, args, invert, ctx):
        if option.id == SET_MSS:
            state["mss"] = parse_uint(args[0], "TCPMSS", option.name, 0, self.max_mss)
        else:
            state["mss"] = XT_TCPMSS_CLAMP_PMTU

    def finish(self, state, ctx) -> TcpmssOptions:
        if not state.get("_seen"):
            raise RuleError("TCPMSS target: At least one parameter is required")
        return TcpmssOptions(state["mss"])

    def save(self, o: TcpmssOptions, ctx) -> str:
        return " --clamp-mss-to-pmtu" if o.mss == XT_TCPMSS_CLAMP_PMTU else f" --set-mss {o.mss}"

    def listing(self, o: TcpmssOptions, ctx) -> str:
        return " TCPMSS clamp to PMTU" if o.mss == XT_TCPMSS_CLAMP_PMTU else f" TCPMSS set {o.mss}"


EXTENSIONS = (Tcpmss(NFPROTO_IPV4, 20), Tcpmss(NFPROTO_IPV6, 40))
