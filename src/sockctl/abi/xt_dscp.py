"""The dscp and tos matches and the DSCP and TOS targets (linux/netfilter/xt_dscp.h, xt_DSCP.h).

Note the field order: the tos match keeps the mask first, the TOS target
the value first.
"""

import ctypes

C_HEADERS = ["linux/types.h", "linux/netfilter/xt_dscp.h", "linux/netfilter/xt_DSCP.h"]

XT_DSCP_MASK = 0xFC
XT_DSCP_SHIFT = 2
XT_DSCP_MAX = 0x3F


class xt_dscp_info(ctypes.Structure):
    """struct xt_dscp_info { __u8 dscp; __u8 invert; };"""

    _c_name_ = "struct xt_dscp_info"
    _fields_ = [("dscp", ctypes.c_uint8), ("invert", ctypes.c_uint8)]


class xt_tos_match_info(ctypes.Structure):
    """struct xt_tos_match_info { __u8 tos_mask; __u8 tos_value; __u8 invert; };"""

    _c_name_ = "struct xt_tos_match_info"
    _fields_ = [("tos_mask", ctypes.c_uint8), ("tos_value", ctypes.c_uint8), ("invert", ctypes.c_uint8)]


class xt_DSCP_info(ctypes.Structure):
    """struct xt_DSCP_info { __u8 dscp; };"""

    _c_name_ = "struct xt_DSCP_info"
    _fields_ = [("dscp", ctypes.c_uint8)]


class xt_tos_target_info(ctypes.Structure):
    """struct xt_tos_target_info { __u8 tos_value; __u8 tos_mask; };"""

    _c_name_ = "struct xt_tos_target_info"
    _fields_ = [("tos_value", ctypes.c_uint8), ("tos_mask", ctypes.c_uint8)]
