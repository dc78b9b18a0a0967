"""The IPv6 HL target (linux/netfilter_ipv6/ip6t_HL.h): set, raise or lower the hop limit."""

import ctypes

C_HEADERS = ["linux/types.h", "linux/netfilter_ipv6/ip6t_HL.h"]

IP6T_HL_SET = 0
IP6T_HL_INC = 1
IP6T_HL_DEC = 2


class ip6t_HL_info(ctypes.Structure):
    """struct ip6t_HL_info { __u8 mode; __u8 hop_limit; };"""

    _c_name_ = "struct ip6t_HL_info"
    _fields_ = [("mode", ctypes.c_uint8), ("hop_limit", ctypes.c_uint8)]
