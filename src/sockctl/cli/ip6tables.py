"""``sockctl ip6tables``: ``sockctl iptables`` for IPv6 (ip6tables-legacy 1.8.9)."""

from sockctl.cli import iptables
from sockctl.netfilter.kernel import IPV6


def main(argv: list[str], ctx) -> int:
    return iptables.main(argv, ctx, IPV6)
