"""The IPv4 REJECT target (linux/netfilter_ipv4/ipt_REJECT.h): which reply to send."""

import ctypes

C_HEADERS = ["linux/netfilter_ipv4/ipt_REJECT.h"]

# enum ipt_reject_with
IPT_ICMP_NET_UNREACHABLE = 0
IPT_ICMP_HOST_UNREACHABLE = 1
IPT_ICMP_PROT_UNREACHABLE = 2
IPT_ICMP_PORT_UNREACHABLE = 3
IPT_ICMP_ECHOREPLY = 4
IPT_ICMP_NET_PROHIBITED = 5
IPT_ICMP_HOST_PROHIBITED = 6
IPT_TCP_RESET = 7
IPT_ICMP_ADMIN_PROHIBITED = 8


class ipt_reject_info(ctypes.Structure):
    """struct ipt_reject_info { enum ipt_reject_with with; };"""

    _c_name_ = "struct ipt_reject_info"
    _fields_ = [("with", ctypes.c_uint)]
