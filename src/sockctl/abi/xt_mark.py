"""The mark match (revision 1) and MARK target (revision 2) (linux/netfilter/xt_mark.h).

The target sets ``nfmark = (nfmark & ~mask) ^ mark``; the match tests
``(nfmark & mask) == mark``, inverted when ``invert`` is set.
"""

import ctypes

C_HEADERS = ["linux/types.h", "linux/netfilter/xt_mark.h"]


class xt_mark_tginfo2(ctypes.Structure):
    """struct xt_mark_tginfo2 { __u32 mark, mask; };"""

    _c_name_ = "struct xt_mark_tginfo2"
    _fields_ = [("mark", ctypes.c_uint32), ("mask", ctypes.c_uint32)]


class xt_mark_mtinfo1(ctypes.Structure):
    """struct xt_mark_mtinfo1 { __u32 mark, mask; __u8 invert; };"""

    _c_name_ = "struct xt_mark_mtinfo1"
    _fields_ = [("mark", ctypes.c_uint32), ("mask", ctypes.c_uint32), ("invert", ctypes.c_uint8)]
