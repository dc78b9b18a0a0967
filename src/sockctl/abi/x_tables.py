"""The x_tables core shared by ip_tables, ip6_tables and arp_tables
(linux/netfilter.h, linux/netfilter/x_tables.h).

A table travels between kernel and user space as a blob of entries. Every
entry is a family-specific header (``ipt_entry``, ``ip6t_entry``,
``arpt_entry``) followed by zero or more ``xt_entry_match`` and exactly one
``xt_entry_target``, each padded to ``XT_ALIGN``. The standard target (empty
name) carries a verdict: negative values are ``-NF_<verdict> - 1`` or
``XT_RETURN``, others are the byte offset of the entry to jump to. A
user-defined chain starts with an ``ERROR`` target naming it, and the blob
ends with an ``ERROR`` entry named ``ERROR``.
"""

import ctypes

C_HEADERS = ["linux/netfilter.h", "linux/netfilter/x_tables.h"]

# Netfilter verdicts (linux/netfilter.h).
NF_DROP = 0
NF_ACCEPT = 1
NF_STOLEN = 2
NF_QUEUE = 3
NF_REPEAT = 4
NF_STOP = 5
NF_MAX_VERDICT = NF_STOP

# enum nf_inet_hooks: the hook numbers of the IPv4 and IPv6 tables.
NF_INET_PRE_ROUTING = 0
NF_INET_LOCAL_IN = 1
NF_INET_FORWARD = 2
NF_INET_LOCAL_OUT = 3
NF_INET_POST_ROUTING = 4
NF_INET_NUMHOOKS = 5

# Protocol families of extensions (enum in linux/netfilter.h).
NFPROTO_UNSPEC = 0
NFPROTO_IPV4 = 2
NFPROTO_ARP = 3
NFPROTO_IPV6 = 10

XT_FUNCTION_MAXNAMELEN = 30
XT_EXTENSION_MAXNAMELEN = 29
XT_TABLE_MAXNAMELEN = 32

XT_CONTINUE = 0xFFFFFFFF
XT_RETURN = -NF_REPEAT - 1
XT_INV_PROTO = 0x40

XT_STANDARD_TARGET = ""
XT_ERROR_TARGET = "ERROR"


class _xt_align(ctypes.Structure):
    """struct _xt_align { __u8 u8; __u16 u16; __u32 u32; __u64 u64; };

    Its alignment is the padding unit of every match and target.
    """

    _c_name_ = "struct _xt_align"
    _fields_ = [("u8", ctypes.c_uint8), ("u16", ctypes.c_uint16), ("u32", ctypes.c_uint32),
                ("u64", ctypes.c_uint64)]


_ALIGN_MASK = ctypes.alignment(_xt_align) - 1


def XT_ALIGN(size: int) -> int:
    """``XT_ALIGN(s)``: SIZE rounded up to the alignment of struct _xt_align."""
    return (size + _ALIGN_MASK) & ~_ALIGN_MASK


class _xt_entry_user(ctypes.Structure):
    """struct { __u16 match_size; char name[XT_EXTENSION_MAXNAMELEN]; __u8 revision; } user;"""

    _fields_ = [("match_size", ctypes.c_uint16), ("name", ctypes.c_char * XT_EXTENSION_MAXNAMELEN),
                ("revision", ctypes.c_uint8)]


class _xt_entry_kernel(ctypes.Structure):
    """struct { __u16 match_size; struct xt_match *match; } kernel;"""

    _fields_ = [("match_size", ctypes.c_uint16), ("match", ctypes.c_void_p)]


class _xt_entry_match_u(ctypes.Union):
    """union { ... user; ... kernel; __u16 match_size; } u;"""

    _fields_ = [("user", _xt_entry_user), ("kernel", _xt_entry_kernel), ("match_size", ctypes.c_uint16)]


class xt_entry_match(ctypes.Structure):
    """struct xt_entry_match {
        union { struct { __u16 match_size; char name[XT_EXTENSION_MAXNAMELEN]; __u8 revision; } user;
                struct { __u16 match_size; struct xt_match *match; } kernel;
                __u16 match_size; } u;
        unsigned char data[]; };

    User space sees the ``user`` side: the size including this header, the
    extension's name and revision. ``data`` is the extension's own struct.
    """

    _c_name_ = "struct xt_entry_match"
    _fields_ = [("u", _xt_entry_match_u), ("data", ctypes.c_ubyte * 0)]


class _xt_target_user(ctypes.Structure):
    """struct { __u16 target_size; char name[XT_EXTENSION_MAXNAMELEN]; __u8 revision; } user;"""

    _fields_ = [("target_size", ctypes.c_uint16), ("name", ctypes.c_char * XT_EXTENSION_MAXNAMELEN),
                ("revision", ctypes.c_uint8)]


class _xt_target_kernel(ctypes.Structure):
    """struct { __u16 target_size; struct xt_target *target; } kernel;"""

    _fields_ = [("target_size", ctypes.c_uint16), ("target", ctypes.c_void_p)]


class _xt_entry_target_u(ctypes.Union):
    """union { ... user; ... kernel; __u16 target_size; } u;"""

    _fields_ = [("user", _xt_target_user), ("kernel", _xt_target_kernel), ("target_size", ctypes.c_uint16)]


class xt_entry_target(ctypes.Structure):
    """struct xt_entry_target {
        union { struct { __u16 target_size; char name[XT_EXTENSION_MAXNAMELEN]; __u8 revision; } user;
                struct { __u16 target_size; struct xt_target *target; } kernel;
                __u16 target_size; } u;
        unsigned char data[0]; };
    """

    _c_name_ = "struct xt_entry_target"
    _fields_ = [("u", _xt_entry_target_u), ("data", ctypes.c_ubyte * 0)]


class xt_standard_target(ctypes.Structure):
    """struct xt_standard_target { struct xt_entry_target target; int verdict; };"""

    _c_name_ = "struct xt_standard_target"
    _fields_ = [("target", xt_entry_target), ("verdict", ctypes.c_int)]


class xt_error_target(ctypes.Structure):
    """struct xt_error_target { struct xt_entry_target target; char errorname[XT_FUNCTION_MAXNAMELEN]; };"""

    _c_name_ = "struct xt_error_target"
    _fields_ = [("target", xt_entry_target), ("errorname", ctypes.c_char * XT_FUNCTION_MAXNAMELEN)]


class xt_get_revision(ctypes.Structure):
    """struct xt_get_revision { char name[XT_EXTENSION_MAXNAMELEN]; __u8 revision; };

    The argument of the GET_REVISION_MATCH/TARGET get-options: does the
    kernel have this revision of the extension?
    """

    _c_name_ = "struct xt_get_revision"
    _fields_ = [("name", ctypes.c_char * XT_EXTENSION_MAXNAMELEN), ("revision", ctypes.c_uint8)]


class xt_counters(ctypes.Structure):
    """struct xt_counters { __u64 pcnt, bcnt; };  (packets, bytes)"""

    _c_name_ = "struct xt_counters"
    _fields_ = [("pcnt", ctypes.c_uint64), ("bcnt", ctypes.c_uint64)]


class xt_counters_info(ctypes.Structure):
    """struct xt_counters_info {
        char name[XT_TABLE_MAXNAMELEN]; unsigned int num_counters;
        struct xt_counters counters[]; };

    The argument of SO_SET_ADD_COUNTERS: one counter pair per entry, added
    to the table's current ones.
    """

    _c_name_ = "struct xt_counters_info"
    _fields_ = [("name", ctypes.c_char * XT_TABLE_MAXNAMELEN), ("num_counters", ctypes.c_uint),
                ("counters", xt_counters * 0)]


class nf_inet_addr(ctypes.Union):
    """union nf_inet_addr { __u32 all[4]; __be32 ip; __be32 ip6[4]; struct in_addr in; struct in6_addr in6; };

    An IPv4 or IPv6 address in 16 bytes (IPv4 in the first four), network order.
    """

    _c_name_ = "union nf_inet_addr"
    _fields_ = [("all", ctypes.c_uint32 * 4), ("ip", ctypes.c_uint32), ("ip6", ctypes.c_uint32 * 4)]
