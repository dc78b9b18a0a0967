"""The IPv6 REJECT target (linux/netfilter_ipv6/ip6t_REJECT.h): which reply to send."""

import ctypes

C_HEADERS = ["linux/types.h", "linux/netfilter_ipv6/ip6t_REJECT.h"]

# enum ip6t_reject_with
IP6T_ICMP6_NO_ROUTE = 0
IP6T_ICMP6_ADM_PROHIBITED = 1
IP6T_ICMP6_NOT_NEIGHBOUR = 2
IP6T_ICMP6_ADDR_UNREACH = 3
IP6T_ICMP6_PORT_UNREACH = 4
IP6T_ICMP6_ECHOREPLY = 5
IP6T_TCP_RESET = 6
IP6T_ICMP6_POLICY_FAIL = 7
IP6T_ICMP6_REJECT_ROUTE = 8


class ip6t_reject_info(ctypes.Structure):
    """struct ip6t_reject_info { __u32 with; };"""

    _c_name_ = "struct ip6t_reject_info"
    _fields_ = [("with", ctypes.c_uint32)]
