"""``sockctl ip6tables-restore``: ``sockctl iptables-restore`` for IPv6."""

from sockctl.cli import iptables_restore
from sockctl.netfilter.kernel import IPV6


def main(argv: list[str], ctx) -> int:
    return iptables_restore.main(argv, ctx, IPV6)
