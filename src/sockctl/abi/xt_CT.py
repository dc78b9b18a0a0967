"""The CT target, revisions 0 to 2 (linux/netfilter/xt_CT.h), and the conntrack event numbers it names.

``ct`` belongs to the kernel. Revision 2 with XT_CT_NOTRACK_ALIAS is what
``-j NOTRACK`` writes.
"""

import ctypes

C_HEADERS = ["linux/types.h", "linux/netfilter/nf_conntrack_common.h", "linux/netfilter/xt_CT.h"]

XT_CT_NOTRACK = 1 << 0
XT_CT_NOTRACK_ALIAS = 1 << 1
XT_CT_ZONE_DIR_ORIG = 1 << 2
XT_CT_ZONE_DIR_REPL = 1 << 3
XT_CT_ZONE_MARK = 1 << 4
XT_CT_MASK = 0x1F

# enum ip_conntrack_events / ip_conntrack_expect_events
IPCT_NEW = 0
IPCT_RELATED = 1
IPCT_DESTROY = 2
IPCT_REPLY = 3
IPCT_ASSURED = 4
IPCT_PROTOINFO = 5
IPCT_HELPER = 6
IPCT_MARK = 7
IPCT_NATSEQADJ = 8
IPCT_SECMARK = 9
IPEXP_NEW = 0


class xt_ct_target_info(ctypes.Structure):
    """struct xt_ct_target_info {
        __u16 flags; __u16 zone; __u32 ct_events; __u32 exp_events; char helper[16];
        struct nf_conn *ct __attribute__((aligned(8))); };
    """

    _c_name_ = "struct xt_ct_target_info"
    _fields_ = [("flags", ctypes.c_uint16), ("zone", ctypes.c_uint16), ("ct_events", ctypes.c_uint32),
                ("exp_events", ctypes.c_uint32), ("helper", ctypes.c_char * 16), ("ct", ctypes.c_void_p)]


class xt_ct_target_info_v1(ctypes.Structure):
    """struct xt_ct_target_info_v1 {
        __u16 flags; __u16 zone; __u32 ct_events; __u32 exp_events; char helper[16]; char timeout[32];
        struct nf_conn *ct __attribute__((aligned(8))); };
    """

    _c_name_ = "struct xt_ct_target_info_v1"
    _fields_ = [("flags", ctypes.c_uint16), ("zone", ctypes.c_uint16), ("ct_events", ctypes.c_uint32),
                ("exp_events", ctypes.c_uint32), ("helper", ctypes.c_char * 16), ("timeout", ctypes.c_char * 32),
                ("ct", ctypes.c_void_p)]
