"""The tcp and udp matches (linux/netfilter/xt_tcpudp.h).

Ports are in host byte order; a range is [low, high].
"""

import ctypes

C_HEADERS = ["linux/types.h", "linux/netfilter/xt_tcpudp.h"]

XT_TCP_INV_SRCPT = 0x01
XT_TCP_INV_DSTPT = 0x02
XT_TCP_INV_FLAGS = 0x04
XT_TCP_INV_OPTION = 0x08
XT_TCP_INV_MASK = 0x0F

XT_UDP_INV_SRCPT = 0x01
XT_UDP_INV_DSTPT = 0x02
XT_UDP_INV_MASK = 0x03


class xt_tcp(ctypes.Structure):
    """struct xt_tcp {
        __u16 spts[2]; __u16 dpts[2]; __u8 option; __u8 flg_mask; __u8 flg_cmp; __u8 invflags; };
    """

    _c_name_ = "struct xt_tcp"
    _fields_ = [("spts", ctypes.c_uint16 * 2), ("dpts", ctypes.c_uint16 * 2), ("option", ctypes.c_uint8),
                ("flg_mask", ctypes.c_uint8), ("flg_cmp", ctypes.c_uint8), ("invflags", ctypes.c_uint8)]


class xt_udp(ctypes.Structure):
    """struct xt_udp { __u16 spts[2]; __u16 dpts[2]; __u8 invflags; };"""

    _c_name_ = "struct xt_udp"
    _fields_ = [("spts", ctypes.c_uint16 * 2), ("dpts", ctypes.c_uint16 * 2), ("invflags", ctypes.c_uint8)]
