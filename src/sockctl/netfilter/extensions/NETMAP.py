"""The NETMAP target for IPv4 (nf_nat_ipv4_multi_range_compat, libipt_NETMAP) and IPv6 (nf_nat_range,
libip6t_NETMAP): map a whole network onto another, host part kept.

    -j NETMAP --to ADDRESS[/MASK]
"""

from sockctl.abi import nf_nat as nat
from sockctl.abi.x_tables import NFPROTO_IPV4, NFPROTO_IPV6
from sockctl.netfilter import addresses
from sockctl.netfilter.extensions.base import Option
from sockctl.netfilter.extensions.nat import Nat, NatOptions


class Netmap(Nat):
    """NETMAP carries the NAT range structs (decoded by Nat); only its options and texts are its own."""

    def __init__(self, family: int, layout: str):
        super().__init__("NETMAP", 0, family, layout, None, (), "", "", False, False)
        self.options = (Option("to", 0, mandatory=True),)
        self.width = 4 if family == NFPROTO_IPV4 else 16

    def start(self, ctx) -> dict:
        return {}

    def parse(self, state, option, args, invert, ctx):
        address, mask = addresses.host_mask(args[0], ctx.family)
        low = bytes(a & m for a, m in zip(address, mask))
        high = bytes(a | (~m & 0xFF) for a, m in zip(low, mask))
        state["min_addr"], state["max_addr"] = low[:self.width], high[:self.width]

    def finish(self, state, ctx) -> NatOptions:
        self.check_mandatory(state)
        return NatOptions(nat.NF_NAT_RANGE_MAP_IPS, state["min_addr"], state["max_addr"], 0, 0, 0, 1)

    def _text(self, o: NatOptions, prefix: str, flag_prefix: str = "") -> str:
        low, high = o.min_addr[:self.width], o.max_addr[:self.width]
        mask = bytes(~(a ^ b) & 0xFF for a, b in zip(low, high))
        bits = addresses.cidr(mask)
        return prefix + addresses.numeric(low) + (f"/{bits}" if bits >= 0 else "/" + addresses.numeric(mask))

    def save(self, o: NatOptions, ctx) -> str:
        return self._text(o, " --to ")

    def listing(self, o: NatOptions, ctx) -> str:
        return self._text(o, " to:")


EXTENSIONS = (Netmap(NFPROTO_IPV4, "compat"), Netmap(NFPROTO_IPV6, "range"))
