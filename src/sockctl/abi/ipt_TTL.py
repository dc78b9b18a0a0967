"""The IPv4 TTL target (linux/netfilter_ipv4/ipt_TTL.h): set, raise or lower the TTL."""

import ctypes

C_HEADERS = ["linux/types.h", "linux/netfilter_ipv4/ipt_TTL.h"]

IPT_TTL_SET = 0
IPT_TTL_INC = 1
IPT_TTL_DEC = 2


class ipt_TTL_info(ctypes.Structure):
    """struct ipt_TTL_info { __u8 mode; __u8 ttl; };"""

    _c_name_ = "struct ipt_TTL_info"
    _fields_ = [("mode", ctypes.c_uint8), ("ttl", ctypes.c_uint8)]
