"""The iprange match, revision 1 (xt_iprange_mtinfo, libxt_iprange): inclusive address ranges.

    -m iprange [!] --src-range FROM[-TO] [!] --dst-range FROM[-TO]
"""

import struct

import _socket

from sockctl.abi.families import AF_INET6
from sockctl.abi.x_tables import NFPROTO_IPV4, NFPROTO_IPV6
from sockctl.abi.xt_iprange import IPRANGE_DST, IPRANGE_DST_INV, IPRANGE_SRC, IPRANGE_SRC_INV, xt_iprange_mtinfo
from sockctl.netfilter import addresses
from sockctl.netfilter.extensions.base import Extension, Option
from sockctl.netfilter.xtables import RuleError, bad_value
from sockctl.record import Record

_MTINFO = struct.Struct("=16s16s16s16sB3x")  # struct xt_iprange_mtinfo
SRC, DST = 0, 1


class IprangeOptions(Record):
    """struct xt_iprange_mtinfo: the two ranges as 16-byte unions, and IPRANGE_* flags."""

    src_min: bytes = bytes(16)
    src_max: bytes = bytes(16)
    dst_min: bytes = bytes(16)
    dst_max: bytes = bytes(16)
    flags: int = 0


class Iprange(Extension):
    name = "iprange"
    revision = 1
    c_struct = xt_iprange_mtinfo
    size = _MTINFO.size
    options = (Option("src-range", SRC, invert=True), Option("dst-range", DST, invert=True))

    def __init__(self, family: int):
        self.family = family

    def decode(self, data: bytes) -> IprangeOptions:
        return IprangeOptions(*self.unpack(data, _MTINFO))

    def encode(self, o: IprangeOptions) -> bytes:
        return _MTINFO.pack(o.src_min, o.src_max, o.dst_min, o.dst_max, o.flags)

    def _address(self, text: str, option: str) -> bytes:
        if self.family == NFPROTO_IPV4:
            packed = addresses.dotted(text)
        else:
            try:
                packed = _socket.inet_pton(AF_INET6, text)
            except (OSError, ValueError):
                packed = None
        if packed is None:
            raise bad_value("iprange", option, text)
        return packed.ljust(16, b"\0")

    def parse(self, state, option, args, invert, ctx):
        low, dash, high = args[0].partition("-")
        label = "--" + option.name
        first = self._address(low, label)
        last = self._address(high, label) if dash else first
        which = "src" if option.id == SRC else "dst"
        state[which + "_min"], state[which + "_max"] = first, last
        flag, inverse = (IPRANGE_SRC, IPRANGE_SRC_INV) if option.id == SRC else (IPRANGE_DST, IPRANGE_DST_INV)
        state["flags"] = state.get("flags", 0) | flag | (inverse if invert else 0)

    def finish(self, state, ctx) -> IprangeOptions:
        if not state.get("_seen"):
            raise RuleError("iprange match: You must specify `--src-range' or `--dst-range'")
        return IprangeOptions(**{k: v for k, v in state.items() if k != "_seen"})

    def _range(self, low: bytes, high: bytes) -> str:
        width = 4 if self.family == NFPROTO_IPV4 else 16
        return addresses.numeric(low[:width]) + "-" + addresses.numeric(high[:width])

    def save(self, o: IprangeOptions, ctx) -> str:
        text = ""
        if o.flags & IPRANGE_SRC:
            text += (" !" if o.flags & IPRANGE_SRC_INV else "") + " --src-range " + self._range(o.src_min, o.src_max)
        if o.flags & IPRANGE_DST:
            text += (" !" if o.flags & IPRANGE_DST_INV else "") + " --dst-range " + self._range(o.dst_min, o.dst_max)
        return text

    def listing(self, o: IprangeOptions, ctx) -> str:
        text = ""
        if o.flags & IPRANGE_SRC:
            text += " source IP range" + (" !" if o.flags & IPRANGE_SRC_INV else "") + " " + \
                self._range(o.src_min, o.src_max)
        if o.flags & IPRANGE_DST:
            text += " destination IP range" + (" !" if o.flags & IPRANGE_DST_INV else "") + " " + \
                self._range(o.dst_min, o.dst_max)
        return text


EXTENSIONS = (Iprange(NFPROTO_IPV4), Iprange(NFPROTO_IPV6))
