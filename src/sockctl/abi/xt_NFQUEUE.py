"""The NFQUEUE target, revision 3 (linux/netfilter/xt_NFQUEUE.h): hand the packet to a user-space queue."""

import ctypes

C_HEADERS = ["linux/types.h", "linux/netfilter/xt_NFQUEUE.h"]

NFQ_FLAG_BYPASS = 0x01
NFQ_FLAG_CPU_FANOUT = 0x02
NFQ_FLAG_MASK = 0x03


class xt_NFQ_info_v3(ctypes.Structure):
    """struct xt_NFQ_info_v3 { __u16 queuenum; __u16 queues_total; __u16 flags; };"""

    _c_name_ = "struct xt_NFQ_info_v3"
    _fields_ = [("queuenum", ctypes.c_uint16), ("queues_total", ctypes.c_uint16), ("flags", ctypes.c_uint16)]
