"""The IPv6 hl match (linux/netfilter_ipv6/ip6t_hl.h): the hop limit."""

import ctypes

C_HEADERS = ["linux/types.h", "linux/netfilter_ipv6/ip6t_hl.h"]

# modes
IP6T_HL_EQ = 0
IP6T_HL_NE = 1
IP6T_HL_LT = 2
IP6T_HL_GT = 3


class ip6t_hl_info(ctypes.Structure):
    """struct ip6t_hl_info { __u8 mode; __u8 hop_limit; };"""

    _c_name_ = "struct ip6t_hl_info"
    _fields_ = [("mode", ctypes.c_uint8), ("hop_limit", ctypes.c_uint8)]
