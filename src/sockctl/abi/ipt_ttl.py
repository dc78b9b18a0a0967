"""The IPv4 ttl match (linux/netfilter_ipv4/ipt_ttl.h)."""

import ctypes

C_HEADERS = ["linux/types.h", "linux/netfilter_ipv4/ipt_ttl.h"]

# modes
IPT_TTL_EQ = 0
IPT_TTL_NE = 1
IPT_TTL_LT = 2
IPT_TTL_GT = 3


class ipt_ttl_info(ctypes.Structure):
    """struct ipt_ttl_info { __u8 mode; __u8 ttl; };"""

    _c_name_ = "struct ipt_ttl_info"
    _fields_ = [("mode", ctypes.c_uint8), ("ttl", ctypes.c_uint8)]
