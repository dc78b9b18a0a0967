"""The udp match (xt_udp, libxt_udp): source and destination port ranges.

    -p udp [!] --sport P[:P] [!] --dport P[:P]
"""

import struct

from sockctl.abi.x_tables import XT_ALIGN
from sockctl.abi.xt_tcpudp import XT_UDP_INV_DSTPT, XT_UDP_INV_MASK, XT_UDP_INV_SRCPT, xt_udp
from sockctl.netfilter.extensions.base import Extension, Option
from sockctl.netfilter.extensions.tcp import ports_listing, ports_save
from sockctl.netfilter.xtables import RuleError, getaddrinfo_port
from sockctl.record import Record

_XT_UDP = struct.Struct("=HHHHBx")  # struct xt_udp (padded to 10 bytes)
_PAD = bytes(XT_ALIGN(_XT_UDP.size) - _XT_UDP.size)


class UdpOptions(Record):
    """struct xt_udp: source and destination port ranges and their inversions."""

    spts: tuple = (0, 0xFFFF)
    dpts: tuple = (0, 0xFFFF)
    invflags: int = 0


def parse_port_range(text: str, ext: str, option: str) -> tuple[int, int]:
    """An XTTYPE_PORTRC value: PORT, PORT:PORT, :PORT or PORT: (any service name resolves)."""
    parts = text.split(":")
    if len(parts) > 2:
        raise RuleError(f'{ext}: Too many components for option "--{option}" (max: 2)')
    values = [0, 0xFFFF]
    for i, part in enumerate(parts):
        if not part:
            continue
        port = getaddrinfo_port(part)
        if port is None:
            raise RuleError(f'Port "{part}" does not resolve to anything.')
        values[i] = port
    if len(parts) == 1:
        values[1] = values[0]
    return values[0], values[1]


def _saved(s0, s1, d0, d1, invflags) -> str:
    return ports_save("sport", (s0, s1), invflags & XT_UDP_INV_SRCPT) + \
        ports_save("dport", (d0, d1), invflags & XT_UDP_INV_DSTPT)


def _plain_range(text: str):
    """PORT or LOW:HIGH in decimal digits as parse_port_range reads them, else None (for it to read)."""
    low, colon, high = text.partition(":")
    if not (low.isdigit() and low.isascii() and (not colon or high.isdigit() and high.isascii())):
        return None
    first = int(low)
    last = int(high) if colon else first
    return (first, last) if first <= 0xFFFF and last <= 0xFFFF else None


class Udp(Extension):
    name = "udp"
    c_struct = xt_udp
    size = _XT_UDP.size
    options = (
        Option("source-port", 0, invert=True), Option("sport", 0, invert=True),
        Option("destination-port", 1, invert=True), Option("dport", 1, invert=True),
    )

    def decode(self, data: bytes) -> UdpOptions:
        s0, s1, d0, d1, inv = self.unpack(data, _XT_UDP)
        return UdpOptions((s0, s1), (d0, d1), inv)

    def encode(self, opts: UdpOptions) -> bytes:
        return _XT_UDP.pack(*opts.spts, *opts.dpts, opts.invflags)

    def parse(self, state, option, args, invert, ctx):
        ports = parse_port_range(args[0], "udp", option.name)
        state["spts" if option.id == 0 else "dpts"] = ports
        if invert:
            state["invflags"] = state.get("invflags", 0) | (XT_UDP_INV_SRCPT if option.id == 0 else XT_UDP_INV_DSTPT)

    def finish(self, state, ctx) -> UdpOptions:
        return UdpOptions(**{k: v for k, v in state.items() if k != "_seen"})

    def save(self, opts: UdpOptions, ctx) -> str:
        return _saved(*opts.spts, *opts.dpts, opts.invflags)

    def save_payload(self, data: bytes, ctx) -> str:
        return " -m udp" + _saved(*self.unpack(data, _XT_UDP))

    def payload_of(self, options, ctx) -> bytes:
        # The usual rule: a port or range for each direction at most, written plainly.
        ports = [0, 0xFFFF, 0, 0xFFFF]
        invflags = 0
        seen = 0
        for option, (text,), invert in options:
            found = _plain_range(text)
            if found is None or seen & (1 << option.id):
                return super().payload_of(options, ctx)
            seen |= 1 << option.id
            ports[2 * option.id:2 * option.id + 2] = found
            if invert:
                invflags |= XT_UDP_INV_SRCPT if option.id == 0 else XT_UDP_INV_DSTPT
        return _XT_UDP.pack(*ports, invflags) + _PAD

    def listing(self, opts: UdpOptions, ctx) -> str:
        text = " udp" + ports_listing("spt", opts.spts, opts.invflags & XT_UDP_INV_SRCPT, ctx.numeric, "udp") + \
            ports_listing("dpt", opts.dpts, opts.invflags & XT_UDP_INV_DSTPT, ctx.numeric, "udp")
        if opts.invflags & ~XT_UDP_INV_MASK:
            text += f" Unknown invflags: 0x{opts.invflags & ~XT_UDP_INV_MASK:X}"
        return text


EXTENSIONS = (Udp(),)
