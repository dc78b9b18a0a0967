"""The icmp6 match (ip6t_icmp, libip6t_icmp6): an ICMPv6 type and code range.

    -p ipv6-icmp [!] --icmpv6-type {NAME|TYPE[/CODE]}   (-m icmp6, icmpv6 or ipv6-icmp)
"""

import struct

from sockctl.abi.ip6_tables import IP6T_ICMP_INV, ip6t_icmp
from sockctl.abi.x_tables import NFPROTO_IPV6
from sockctl.netfilter.extensions.base import Extension, Option
from sockctl.netfilter.extensions.icmp import IcmpOptions, parse_icmp, type_listing

_IP6T_ICMP = struct.Struct("=BBBB")  # struct ip6t_icmp: type, code[2], invflags

ICMPV6_TYPES = (
    ("destination-unreachable", 1, 0, 0xFF), ("no-route", 1, 0, 0), ("communication-prohibited", 1, 1, 1),
    ("beyond-scope", 1, 2, 2), ("address-unreachable", 1, 3, 3), ("port-unreachable", 1, 4, 4),
    ("failed-policy", 1, 5, 5), ("reject-route", 1, 6, 6), ("packet-too-big", 2, 0, 0xFF),
    ("time-exceeded", 3, 0, 0xFF), ("ttl-exceeded", 3, 0, 0xFF), ("ttl-zero-during-transit", 3, 0, 0),
    ("ttl-zero-during-reassembly", 3, 1, 1), ("parameter-problem", 4, 0, 0xFF), ("bad-header", 4, 0, 0),
    ("unknown-header-type", 4, 1, 1), ("unknown-option", 4, 2, 2), ("echo-request", 128, 0, 0xFF),
    ("ping", 128, 0, 0xFF), ("echo-reply", 129, 0, 0xFF), ("pong", 129, 0, 0xFF),
    ("router-solicitation", 133, 0, 0xFF), ("router-advertisement", 134, 0, 0xFF),
    ("neighbour-solicitation", 135, 0, 0xFF), ("neighbor-solicitation", 135, 0, 0xFF),
    ("neighbour-advertisement", 136, 0, 0xFF), ("neighbor-advertisement", 136, 0, 0xFF),
    ("redirect", 137, 0, 0xFF),
)


class Icmp6(Extension):
    name = "icmp6"
    family = NFPROTO_IPV6
    c_struct = ip6t_icmp
    size = _IP6T_ICMP.size
    options = (Option("icmpv6-type", 0, invert=True, mandatory=True),)

    def decode(self, data: bytes) -> IcmpOptions:
        type_, low, high, inv = self.unpack(data, _IP6T_ICMP)
        return IcmpOptions(type_, (low, high), inv)

    def encode(self, opts: IcmpOptions) -> bytes:
        return _IP6T_ICMP.pack(opts.type, *opts.code, opts.invflags)

    def start(self, ctx) -> dict:
        return {"type": 0, "code": (0, 0xFF)}

    def parse(self, state, option, args, invert, ctx):
        state["type"], state["code"] = parse_icmp(args[0], ICMPV6_TYPES, "ICMPv6")
        if invert:
            state["invflags"] = IP6T_ICMP_INV

    def finish(self, state, ctx) -> IcmpOptions:
        self.check_mandatory(state)
        return IcmpOptions(state["type"], state["code"], state.get("invflags", 0))

    def save(self, opts: IcmpOptions, ctx) -> str:
        text = (" !" if opts.invflags & IP6T_ICMP_INV else "") + f" --icmpv6-type {opts.type}"
        if opts.code != (0, 0xFF):
            text += f"/{opts.code[0]}"
        return text

    def listing(self, opts: IcmpOptions, ctx) -> str:
        text = " ipv6-icmp" + type_listing(ICMPV6_TYPES, opts, ctx.numeric)
        if opts.invflags & ~IP6T_ICMP_INV:
            text += f" Unknown invflags: 0x{opts.invflags & ~IP6T_ICMP_INV:X}"
        return text


EXTENSIONS = (Icmp6(),)
