"""The addrtype match (linux/netfilter/xt_addrtype.h): the route type of the source or destination address.

Type masks have bit ``1 << RTN_*`` per route type (XT_ADDRTYPE_*).
"""

import ctypes

C_HEADERS = ["linux/types.h", "linux/netfilter/xt_addrtype.h"]

XT_ADDRTYPE_INVERT_SOURCE = 0x0001
XT_ADDRTYPE_INVERT_DEST = 0x0002
XT_ADDRTYPE_LIMIT_IFACE_IN = 0x0004
XT_ADDRTYPE_LIMIT_IFACE_OUT = 0x0008

XT_ADDRTYPE_UNSPEC = 1 << 0
XT_ADDRTYPE_XRESOLVE = 1 << 11


class xt_addrtype_info_v1(ctypes.Structure):
    """struct xt_addrtype_info_v1 { __u16 source; __u16 dest; __u32 flags; };"""

    _c_name_ = "struct xt_addrtype_info_v1"
    _fields_ = [("source", ctypes.c_uint16), ("dest", ctypes.c_uint16), ("flags", ctypes.c_uint32)]


class xt_addrtype_info(ctypes.Structure):
    """struct xt_addrtype_info { __u16 source; __u16 dest; __u32 invert_source; __u32 invert_dest; };"""

    _c_name_ = "struct xt_addrtype_info"
    _fields_ = [("source", ctypes.c_uint16), ("dest", ctypes.c_uint16), ("invert_source", ctypes.c_uint32),
                ("invert_dest", ctypes.c_uint32)]
