"""The length match (linux/netfilter/xt_length.h): the packet's length in a range."""

import ctypes

C_HEADERS = ["linux/types.h", "linux/netfilter/xt_length.h"]


class xt_length_info(ctypes.Structure):
    """struct xt_length_info { __u16 min, max; __u8 invert; };"""

    _c_name_ = "struct xt_length_info"
    _fields_ = [("min", ctypes.c_uint16), ("max", ctypes.c_uint16), ("invert", ctypes.c_uint8)]
