"""The limit match (linux/netfilter/xt_limit.h): a token bucket of packets.

``avg`` is the time between packets in 1/XT_LIMIT_SCALE seconds; the fields
after ``burst`` belong to the kernel (user space leaves them zero).
"""

import ctypes

C_HEADERS = ["linux/types.h", "linux/netfilter/xt_limit.h"]

XT_LIMIT_SCALE = 10000


class xt_rateinfo(ctypes.Structure):
    """struct xt_rateinfo {
        __u32 avg; __u32 burst;
        unsigned long prev; __u32 credit; __u32 credit_cap, cost;
        struct xt_limit_priv *master; };
    """

    _c_name_ = "struct xt_rateinfo"
    _fields_ = [("avg", ctypes.c_uint32), ("burst", ctypes.c_uint32), ("prev", ctypes.c_ulong),
                ("credit", ctypes.c_uint32), ("credit_cap", ctypes.c_uint32), ("cost", ctypes.c_uint32),
                ("master", ctypes.c_void_p)]
