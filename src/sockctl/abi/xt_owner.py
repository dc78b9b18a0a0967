"""The owner match, revision 1 (linux/netfilter/xt_owner.h): the local socket's user, group, existence."""

import ctypes

C_HEADERS = ["linux/types.h", "linux/netfilter/xt_owner.h"]

XT_OWNER_UID = 1 << 0
XT_OWNER_GID = 1 << 1
XT_OWNER_SOCKET = 1 << 2
XT_OWNER_SUPPL_GROUPS = 1 << 3
XT_OWNER_MASK = 0x0F


class xt_owner_match_info(ctypes.Structure):
    """struct xt_owner_match_info { __u32 uid_min, uid_max; __u32 gid_min, gid_max; __u8 match, invert; };"""

    _c_name_ = "struct xt_owner_match_info"
    _fields_ = [("uid_min", ctypes.c_uint32), ("uid_max", ctypes.c_uint32), ("gid_min", ctypes.c_uint32),
                ("gid_max", ctypes.c_uint32), ("match", ctypes.c_uint8), ("invert", ctypes.c_uint8)]
