"""``sockctl ip6tables-save``: ``sockctl iptables-save`` for IPv6."""

from sockctl.cli import iptables_save
from sockctl.netfilter.kernel import IPV6


def main(argv: list[str], ctx) -> int:
    return iptables_save.main(argv, ctx, IPV6)
