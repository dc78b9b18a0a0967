"""The TCPMSS target (linux/netfilter/xt_TCPMSS.h): the MSS option of TCP SYN packets."""

import ctypes

C_HEADERS = ["linux/types.h", "linux/netfilter/xt_TCPMSS.h"]

XT_TCPMSS_CLAMP_PMTU = 0xFFFF


class xt_tcpmss_info(ctypes.Structure):
    """struct xt_tcpmss_info { __u16 mss; };"""

    _c_name_ = "struct xt_tcpmss_info"
    _fields_ = [("mss", ctypes.c_uint16)]
