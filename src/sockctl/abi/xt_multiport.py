"""The multiport match, revision 1 (linux/netfilter/xt_multiport.h).

Up to 15 ports; ``pflags[i]`` set means ports[i]..ports[i+1] is a range.
"""

import ctypes

C_HEADERS = ["linux/types.h", "linux/netfilter/xt_multiport.h"]

XT_MULTIPORT_SOURCE = 0
XT_MULTIPORT_DESTINATION = 1
XT_MULTIPORT_EITHER = 2
XT_MULTI_PORTS = 15


class xt_multiport_v1(ctypes.Structure):
    """struct xt_multiport_v1 {
        __u8 flags; __u8 count; __u16 ports[XT_MULTI_PORTS]; __u8 pflags[XT_MULTI_PORTS]; __u8 invert; };
    """

    _c_name_ = "struct xt_multiport_v1"
    _fields_ = [("flags", ctypes.c_uint8), ("count", ctypes.c_uint8), ("ports", ctypes.c_uint16 * XT_MULTI_PORTS),
                ("pflags", ctypes.c_uint8 * XT_MULTI_PORTS), ("invert", ctypes.c_uint8)]
