"""The iprange match, revision 1 (linux/netfilter/xt_iprange.h): inclusive address ranges."""

import ctypes

from sockctl.abi.x_tables import nf_inet_addr

C_HEADERS = ["linux/types.h", "linux/netfilter.h", "linux/netfilter/xt_iprange.h"]

IPRANGE_SRC = 1 << 0
IPRANGE_DST = 1 << 1
IPRANGE_SRC_INV = 1 << 4
IPRANGE_DST_INV = 1 << 5


class xt_iprange_mtinfo(ctypes.Structure):
    """struct xt_iprange_mtinfo { union nf_inet_addr src_min, src_max; union nf_inet_addr dst_min, dst_max;
                                   __u8 flags; };
    """

    _c_name_ = "struct xt_iprange_mtinfo"
    _fields_ = [("src_min", nf_inet_addr), ("src_max", nf_inet_addr), ("dst_min", nf_inet_addr),
                ("dst_max", nf_inet_addr), ("flags", ctypes.c_uint8)]
