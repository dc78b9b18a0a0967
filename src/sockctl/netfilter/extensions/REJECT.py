"""The REJECT target for IPv4 (ipt_reject_info) and IPv6 (ip6t_reject_info): which error to send back.

    -j REJECT [--reject-with TYPE]
"""

import struct

from sockctl.abi import ip6t_REJECT as r6, ipt_REJECT as r4
from sockctl.abi.x_tables import NFPROTO_IPV4, NFPROTO_IPV6
from sockctl.netfilter.extensions.base import Extension, Option
from sockctl.netfilter.xtables import RuleError
from sockctl.record import Record

_REJECT_INFO = struct.Struct("=I")  # struct ipt_reject_info / ip6t_reject_info

# (value, name, alias), in the tables' order: a prefix of a name or alias picks the first such.
TYPES4 = ((r4.IPT_ICMP_NET_UNREACHABLE, "icmp-net-unreachable", "net-unreach"),
          (r4.IPT_ICMP_HOST_UNREACHABLE, "icmp-host-unreachable", "host-unreach"),
          (r4.IPT_ICMP_PROT_UNREACHABLE, "icmp-proto-unreachable", "proto-unreach"),
          (r4.IPT_ICMP_PORT_UNREACHABLE, "icmp-port-unreachable", "port-unreach"),
          (r4.IPT_ICMP_NET_PROHIBITED, "icmp-net-prohibited", "net-prohib"),
          (r4.IPT_ICMP_HOST_PROHIBITED, "icmp-host-prohibited", "host-prohib"),
          (r4.IPT_TCP_RESET, "tcp-reset", "tcp-rst"),
          (r4.IPT_ICMP_ADMIN_PROHIBITED, "icmp-admin-prohibited", "admin-prohib"))
TYPES6 = ((r6.IP6T_ICMP6_NO_ROUTE, "icmp6-no-route", "no-route"),
          (r6.IP6T_ICMP6_ADM_PROHIBITED, "icmp6-adm-prohibited", "adm-prohibited"),
          (r6.IP6T_ICMP6_ADDR_UNREACH, "icmp6-addr-unreachable", "addr-unreach"),
          (r6.IP6T_ICMP6_PORT_UNREACH, "icmp6-port-unreachable", "port-unreach"),
          (r6.IP6T_TCP_RESET, "tcp-reset", "tcp-reset"),
          (r6.IP6T_ICMP6_POLICY_FAIL, "icmp6-policy-fail", "policy-fail"),
          (r6.IP6T_ICMP6_REJECT_ROUTE, "icmp6-reject-route", "reject-route"))


class RejectOptions(Record):
    """struct ipt_reject_info / ip6t_reject_info: the reply type."""

    with_: int = 0


class Reject(Extension):
    kind = "target"
    name = "REJECT"
    size = _REJECT_INFO.size
    options = (Option("reject-with", 0),)

    def __init__(self, family: int, types: tuple, default: int):
        self.family = family
        self.c_struct = r4.ipt_reject_info if family == NFPROTO_IPV4 else r6.ip6t_reject_info
        self.types = types
        self.default = default

    def decode(self, data: bytes) -> RejectOptions:
        return RejectOptions(*self.unpack(data, _REJECT_INFO))

    def encode(self, o: RejectOptions) -> bytes:
        return _REJECT_INFO.pack(o.with_)

    def start(self, ctx) -> dict:
        return {"with_": self.default}

    def parse(self, state, option, args, invert, ctx):
        word = args[0].lower()
        for value, name, alias in self.types:
            if name.startswith(word) or alias.startswith(word):
                state["with_"] = value
                return
        raise RuleError(f'unknown reject type "{args[0]}"')

    def finish(self, state, ctx) -> RejectOptions:
        return RejectOptions(state["with_"])

    def _name(self, o: RejectOptions) -> str:
        return next((name for value, name, _ in self.types if value == o.with_), f"(unknown type {o.with_})")

    def save(self, o: RejectOptions, ctx) -> str:
        return " --reject-with " + self._name(o)

    def listing(self, o: RejectOptions, ctx) -> str:
        return " reject-with " + self._name(o)


EXTENSIONS = (Reject(NFPROTO_IPV4, TYPES4, r4.IPT_ICMP_PORT_UNREACHABLE),
              Reject(NFPROTO_IPV6, TYPES6, r6.IP6T_ICMP6_PORT_UNREACH))
