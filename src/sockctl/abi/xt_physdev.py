"""The physdev match (linux/netfilter/xt_physdev.h): the bridge ports a bridged packet uses."""

import ctypes

from sockctl.abi.netdevice import IFNAMSIZ

C_HEADERS = ["linux/if.h", "linux/netfilter/xt_physdev.h"]

XT_PHYSDEV_OP_IN = 0x01
XT_PHYSDEV_OP_OUT = 0x02
XT_PHYSDEV_OP_BRIDGED = 0x04
XT_PHYSDEV_OP_ISIN = 0x08
XT_PHYSDEV_OP_ISOUT = 0x10
XT_PHYSDEV_OP_MASK = 0x1F


class xt_physdev_info(ctypes.Structure):
    """struct xt_physdev_info {
        char physindev[IFNAMSIZ]; char in_mask[IFNAMSIZ]; char physoutdev[IFNAMSIZ]; char out_mask[IFNAMSIZ];
        __u8 invert; __u8 bitmask; };
    """

    _c_name_ = "struct xt_physdev_info"
    _fields_ = [("physindev", ctypes.c_char * IFNAMSIZ), ("in_mask", ctypes.c_char * IFNAMSIZ),
                ("physoutdev", ctypes.c_char * IFNAMSIZ), ("out_mask", ctypes.c_char * IFNAMSIZ),
                ("invert", ctypes.c_uint8), ("bitmask", ctypes.c_uint8)]
