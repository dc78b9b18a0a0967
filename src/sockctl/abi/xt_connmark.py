"""The connmark match (revision 1) and CONNMARK target (revisions 1 and 2) (linux/netfilter/xt_connmark.h).

The match tests ``(ctmark & mask) == mark``. The target sets the
connection's mark (``ctmark = (ctmark & ~ctmask) ^ ctmark``), saves the
packet's mark into it or restores it from it, through the two masks and,
in revision 2, a shift.
"""

import ctypes

C_HEADERS = ["linux/types.h", "linux/netfilter/xt_connmark.h"]

XT_CONNMARK_SET = 0
XT_CONNMARK_SAVE = 1
XT_CONNMARK_RESTORE = 2

D_SHIFT_LEFT = 0
D_SHIFT_RIGHT = 1


class xt_connmark_tginfo1(ctypes.Structure):
    """struct xt_connmark_tginfo1 { __u32 ctmark, ctmask, nfmask; __u8 mode; };"""

    _c_name_ = "struct xt_connmark_tginfo1"
    _fields_ = [("ctmark", ctypes.c_uint32), ("ctmask", ctypes.c_uint32), ("nfmask", ctypes.c_uint32),
                ("mode", ctypes.c_uint8)]


class xt_connmark_tginfo2(ctypes.Structure):
    """struct xt_connmark_tginfo2 { __u32 ctmark, ctmask, nfmask; __u8 shift_dir, shift_bits, mode; };"""

    _c_name_ = "struct xt_connmark_tginfo2"
    _fields_ = [("ctmark", ctypes.c_uint32), ("ctmask", ctypes.c_uint32), ("nfmask", ctypes.c_uint32),
                ("shift_dir", ctypes.c_uint8), ("shift_bits", ctypes.c_uint8), ("mode", ctypes.c_uint8)]


class xt_connmark_mtinfo1(ctypes.Structure):
    """struct xt_connmark_mtinfo1 { __u32 mark, mask; __u8 invert; };"""

    _c_name_ = "struct xt_connmark_mtinfo1"
    _fields_ = [("mark", ctypes.c_uint32), ("mask", ctypes.c_uint32), ("invert", ctypes.c_uint8)]
