"""The recent match, revision 1 (linux/netfilter/xt_recent.h): lists of recently seen addresses."""

import ctypes

from sockctl.abi.x_tables import nf_inet_addr

C_HEADERS = ["linux/types.h", "linux/netfilter.h", "linux/netfilter/xt_recent.h"]

XT_RECENT_CHECK = 1 << 0
XT_RECENT_SET = 1 << 1
XT_RECENT_UPDATE = 1 << 2
XT_RECENT_REMOVE = 1 << 3
XT_RECENT_TTL = 1 << 4
XT_RECENT_REAP = 1 << 5
XT_RECENT_SOURCE = 0
XT_RECENT_DEST = 1
XT_RECENT_NAME_LEN = 200


class xt_recent_mtinfo_v1(ctypes.Structure):
    """struct xt_recent_mtinfo_v1 {
        __u32 seconds; __u32 hit_count; __u8 check_set; __u8 invert;
        char name[XT_RECENT_NAME_LEN]; __u8 side; union nf_inet_addr mask; };
    """

    _c_name_ = "struct xt_recent_mtinfo_v1"
    _fields_ = [("seconds", ctypes.c_uint32), ("hit_count", ctypes.c_uint32), ("check_set", ctypes.c_uint8),
                ("invert", ctypes.c_uint8), ("name", ctypes.c_char * XT_RECENT_NAME_LEN), ("side", ctypes.c_uint8),
                ("mask", nf_inet_addr)]
