"""A stand-in for the kernel's extension revisions, for netfilter tests that run without privileges."""

from sockctl.netfilter import command

V4, V6 = 2, 10  # NFPROTO_IPV4, NFPROTO_IPV6

# The revisions a current kernel has (as IPT_SO_GET_REVISION_MATCH/TARGET answer); others: revision 0.
KERNEL = {("match", "conntrack"): {1, 2, 3}, ("match", "mark"): {1}, ("match", "multiport"): {1},
          ("target", "MARK"): {2}, ("target", "DNAT"): {0, 1, 2}, ("target", "SNAT"): {0, 1, 2},
          ("match", "connmark"): {1}, ("target", "CONNMARK"): {1, 2}, ("match", "iprange"): {1},
          ("match", "addrtype"): {0, 1}, ("match", "owner"): {1}, ("match", "tos"): {1}, ("target", "TOS"): {1},
          ("match", "recent"): {0, 1}, ("match", "hashlimit"): {1, 2, 3}, ("target", "CT"): {0, 1, 2},
          ("target", "NFQUEUE"): {0, 1, 2, 3}}


class Kernel(command.Oracle):
    def has(self, kind, name, revision):
        return revision in KERNEL.get((kind, name), {0})

    def exists(self, kind, name):
        return name in ("quota", "CLASSIFY")
