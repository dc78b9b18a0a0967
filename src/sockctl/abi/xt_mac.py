"""The mac match (linux/netfilter/xt_mac.h): the Ethernet source address."""

import ctypes

C_HEADERS = ["linux/if_ether.h", "linux/netfilter/xt_mac.h"]

ETH_ALEN = 6


class xt_mac_info(ctypes.Structure):
    """struct xt_mac_info { unsigned char srcaddr[ETH_ALEN]; int invert; };"""

    _c_name_ = "struct xt_mac_info"
    _fields_ = [("srcaddr", ctypes.c_ubyte * ETH_ALEN), ("invert", ctypes.c_int)]
