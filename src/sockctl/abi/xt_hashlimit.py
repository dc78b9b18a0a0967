"""The hashlimit match, revision 3 (linux/netfilter/xt_hashlimit.h): a limit per address or port group.

``avg`` is the time between packets in 1/XT_HASHLIMIT_SCALE_v2 seconds, or
with XT_HASHLIMIT_BYTES a cost per byte; ``hinfo`` belongs to the kernel.
"""

import ctypes

C_HEADERS = ["linux/types.h", "linux/netfilter/xt_hashlimit.h"]

NAME_MAX = 255
XT_HASHLIMIT_SCALE = 10000
XT_HASHLIMIT_SCALE_v2 = 1000000
XT_HASHLIMIT_BYTE_SHIFT = 4

XT_HASHLIMIT_HASH_DIP = 1 << 0
XT_HASHLIMIT_HASH_DPT = 1 << 1
XT_HASHLIMIT_HASH_SIP = 1 << 2
XT_HASHLIMIT_HASH_SPT = 1 << 3
XT_HASHLIMIT_INVERT = 1 << 4
XT_HASHLIMIT_BYTES = 1 << 5
XT_HASHLIMIT_RATE_MATCH = 1 << 6


class hashlimit_cfg3(ctypes.Structure):
    """struct hashlimit_cfg3 {
        __u64 avg; __u64 burst; __u32 mode; __u32 size; __u32 max; __u32 gc_interval; __u32 expire;
        __u32 interval; __u8 srcmask, dstmask; };
    """

    _c_name_ = "struct hashlimit_cfg3"
    _fields_ = [("avg", ctypes.c_uint64), ("burst", ctypes.c_uint64), ("mode", ctypes.c_uint32),
                ("size", ctypes.c_uint32), ("max", ctypes.c_uint32), ("gc_interval", ctypes.c_uint32),
                ("expire", ctypes.c_uint32), ("interval", ctypes.c_uint32), ("srcmask", ctypes.c_uint8),
                ("dstmask", ctypes.c_uint8)]


class xt_hashlimit_mtinfo3(ctypes.Structure):
    """struct xt_hashlimit_mtinfo3 {
        char name[NAME_MAX]; struct hashlimit_cfg3 cfg;
        struct xt_hashlimit_htable *hinfo __attribute__((aligned(8))); };
    """

    _c_name_ = "struct xt_hashlimit_mtinfo3"
    _fields_ = [("name", ctypes.c_char * NAME_MAX), ("cfg", hashlimit_cfg3), ("hinfo", ctypes.c_void_p)]
