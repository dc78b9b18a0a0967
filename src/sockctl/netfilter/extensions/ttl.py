"""The ttl match for IPv4 (ipt_ttl_info, libipt_ttl) and the hl match for IPv6 (ip6t_hl_info, libip6t_hl).

    -m ttl {[!] --ttl-eq N | --ttl-lt N | --ttl-gt N}
    -m hl {[!] --hl-eq N | --hl-lt N | --hl-gt N}
"""

import struct

from sockctl.abi.ip6t_hl import ip6t_hl_info
from sockctl.abi.ipt_ttl import IPT_TTL_EQ, IPT_TTL_GT, IPT_TTL_LT, IPT_TTL_NE, ipt_ttl_info
from sockctl.abi.x_tables import NFPROTO_IPV4, NFPROTO_IPV6
from sockctl.netfilter.extensions.base import Extension, Option
from sockctl.netfilter.xtables import RuleError, parse_uint
from sockctl.record import Record

_INFO = struct.Struct("=BB")  # struct ipt_ttl_info / ip6t_hl_info: mode, value
EQ, LT, GT = 0, 1, 2          # option ids, as libipt_ttl numbers them


class TtlOptions(Record):
    """struct ipt_ttl_info / ip6t_hl_info: the comparison (IPT_TTL_* / IP6T_HL_*) and the value."""

    mode: int = IPT_TTL_EQ
    value: int = 0


class TtlMatch(Extension):
    """ttl (IPv4) or hl (IPv6): the two differ only in names and texts."""

    def __init__(self, name: str, family: int, c_struct, listing_ops: dict, listing_head: str, missing: str):
        self.name, self.family, self.c_struct = name, family, c_struct
        self.size = _INFO.size
        self.options = (Option(f"{name}-lt", LT), Option(f"{name}-gt", GT), Option(f"{name}-eq", EQ, invert=True),
                        Option(name, EQ))
        self.exclusive = ((EQ, LT, GT),)
        self.listing_ops, self.listing_head, self.missing = listing_ops, listing_head, missing

    def decode(self, data: bytes) -> TtlOptions:
        return TtlOptions(*self.unpack(data, _INFO))

    def encode(self, o: TtlOptions) -> bytes:
        return _INFO.pack(o.mode, o.value)

    def parse(self, state, option, args, invert, ctx):
        state["value"] = parse_uint(args[0], self.name, option.name, 0, 255)
        state["mode"] = {EQ: IPT_TTL_NE if invert else IPT_TTL_EQ, LT: IPT_TTL_LT, GT: IPT_TTL_GT}[option.id]

    def finish(self, state, ctx) -> TtlOptions:
        if not state.get("_seen"):
            raise RuleError(self.missing)
        return TtlOptions(state["mode"], state["value"])

    def save(self, o: TtlOptions, ctx) -> str:
        op = {IPT_TTL_EQ: f" --{self.name}-eq", IPT_TTL_NE: f" ! --{self.name}-eq", IPT_TTL_LT: f" --{self.name}-lt",
              IPT_TTL_GT: f" --{self.name}-gt"}.get(o.mode, "")
        return f"{op} {o.value}"

    def listing(self, o: TtlOptions, ctx) -> str:
        return f"{self.listing_head}{self.listing_ops.get(o.mode, '')} {o.value}"


EXTENSIONS = (
    TtlMatch("ttl", NFPROTO_IPV4, ipt_ttl_info, {0: "TTL ==", 1: "TTL !=", 2: "TTL <", 3: "TTL >"}, " TTL match ",
             "TTL match: You must specify one of `--ttl-eq', `--ttl-lt', `--ttl-gt"),
    TtlMatch("hl", NFPROTO_IPV6, ip6t_hl_info, {0: " ==", 1: " !=", 2: " <", 3: " >"}, " HL match HL",
             "HL match: You must specify one of `--hl-eq', `--hl-lt', `--hl-gt'"),
)
