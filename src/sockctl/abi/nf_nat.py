"""Address and port ranges of the NAT targets (linux/netfilter/nf_nat.h).

SNAT, MASQUERADE and REDIRECT for IPv4 and DNAT revision 0 use the old
``nf_nat_ipv4_multi_range_compat`` (one range); IPv6 and SNAT/DNAT revision
1 use ``nf_nat_range``; DNAT revision 2 adds ``base_proto`` for shifted port
maps. Addresses and ports are in network byte order.
"""

import ctypes

from sockctl.abi.x_tables import nf_inet_addr

C_HEADERS = ["linux/netfilter.h", "linux/netfilter/nf_conntrack_tuple_common.h", "linux/netfilter/nf_nat.h"]

NF_NAT_RANGE_MAP_IPS = 1 << 0
NF_NAT_RANGE_PROTO_SPECIFIED = 1 << 1
NF_NAT_RANGE_PROTO_RANDOM = 1 << 2
NF_NAT_RANGE_PERSISTENT = 1 << 3
NF_NAT_RANGE_PROTO_RANDOM_FULLY = 1 << 4
NF_NAT_RANGE_PROTO_OFFSET = 1 << 5
NF_NAT_RANGE_NETMAP = 1 << 6


class nf_conntrack_man_proto(ctypes.Union):
    """union nf_conntrack_man_proto { __be16 all; struct { __be16 port; } tcp; ... };  (2 bytes)"""

    _c_name_ = "union nf_conntrack_man_proto"
    _fields_ = [("all", ctypes.c_uint16)]


class nf_nat_ipv4_range(ctypes.Structure):
    """struct nf_nat_ipv4_range {
        unsigned int flags; __be32 min_ip; __be32 max_ip;
        union nf_conntrack_man_proto min; union nf_conntrack_man_proto max; };
    """

    _c_name_ = "struct nf_nat_ipv4_range"
    _fields_ = [("flags", ctypes.c_uint), ("min_ip", ctypes.c_uint32), ("max_ip", ctypes.c_uint32),
                ("min", nf_conntrack_man_proto), ("max", nf_conntrack_man_proto)]


class nf_nat_ipv4_multi_range_compat(ctypes.Structure):
    """struct nf_nat_ipv4_multi_range_compat { unsigned int rangesize; struct nf_nat_ipv4_range range[1]; };"""

    _c_name_ = "struct nf_nat_ipv4_multi_range_compat"
    _fields_ = [("rangesize", ctypes.c_uint), ("range", nf_nat_ipv4_range * 1)]


class nf_nat_range(ctypes.Structure):
    """struct nf_nat_range {
        unsigned int flags; union nf_inet_addr min_addr; union nf_inet_addr max_addr;
        union nf_conntrack_man_proto min_proto; union nf_conntrack_man_proto max_proto; };
    """

    _c_name_ = "struct nf_nat_range"
    _fields_ = [("flags", ctypes.c_uint), ("min_addr", nf_inet_addr), ("max_addr", nf_inet_addr),
                ("min_proto", nf_conntrack_man_proto), ("max_proto", nf_conntrack_man_proto)]


class nf_nat_range2(ctypes.Structure):
    """struct nf_nat_range2 { ... as nf_nat_range ...; union nf_conntrack_man_proto base_proto; };"""

    _c_name_ = "struct nf_nat_range2"
    _fields_ = [("flags", ctypes.c_uint), ("min_addr", nf_inet_addr), ("max_addr", nf_inet_addr),
                ("min_proto", nf_conntrack_man_proto), ("max_proto", nf_conntrack_man_proto),
                ("base_proto", nf_conntrack_man_proto)]
