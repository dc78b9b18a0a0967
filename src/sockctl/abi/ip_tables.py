"""IPv4 packet filter tables (linux/netfilter_ipv4/ip_tables.h).

Reached with getsockopt/setsockopt at level IPPROTO_IP on a raw IPv4
socket: ``IPT_SO_GET_INFO`` (table geometry), ``IPT_SO_GET_ENTRIES`` (the
blob), ``IPT_SO_SET_REPLACE`` (a whole new blob, atomically) and
``IPT_SO_SET_ADD_COUNTERS``.
"""

import ctypes

from sockctl.abi.inet import in_addr
from sockctl.abi.netdevice import IFNAMSIZ
from sockctl.abi.x_tables import NF_INET_NUMHOOKS, XT_TABLE_MAXNAMELEN, xt_counters

C_HEADERS = ["sys/socket.h", "linux/netfilter_ipv4/ip_tables.h"]

IPT_BASE_CTL = 64
IPT_SO_SET_REPLACE = IPT_BASE_CTL
IPT_SO_SET_ADD_COUNTERS = IPT_BASE_CTL + 1
IPT_SO_GET_INFO = IPT_BASE_CTL
IPT_SO_GET_ENTRIES = IPT_BASE_CTL + 1
IPT_SO_GET_REVISION_MATCH = IPT_BASE_CTL + 2
IPT_SO_GET_REVISION_TARGET = IPT_BASE_CTL + 3

IPT_F_FRAG = 0x01
IPT_F_GOTO = 0x02
IPT_F_MASK = 0x03

IPT_INV_VIA_IN = 0x01
IPT_INV_VIA_OUT = 0x02
IPT_INV_TOS = 0x04
IPT_INV_SRCIP = 0x08
IPT_INV_DSTIP = 0x10
IPT_INV_FRAG = 0x20
IPT_INV_PROTO = 0x40
IPT_INV_MASK = 0x7F

IPT_ICMP_INV = 0x01


class ipt_ip(ctypes.Structure):
    """struct ipt_ip {
        struct in_addr src, dst; struct in_addr smsk, dmsk;
        char iniface[IFNAMSIZ], outiface[IFNAMSIZ];
        unsigned char iniface_mask[IFNAMSIZ], outiface_mask[IFNAMSIZ];
        __u16 proto; __u8 flags; __u8 invflags; };
    """

    _c_name_ = "struct ipt_ip"
    _fields_ = [
        ("src", in_addr), ("dst", in_addr), ("smsk", in_addr), ("dmsk", in_addr),
        ("iniface", ctypes.c_char * IFNAMSIZ), ("outiface", ctypes.c_char * IFNAMSIZ),
        ("iniface_mask", ctypes.c_ubyte * IFNAMSIZ), ("outiface_mask", ctypes.c_ubyte * IFNAMSIZ),
        ("proto", ctypes.c_uint16), ("flags", ctypes.c_uint8), ("invflags", ctypes.c_uint8),
    ]


class ipt_entry(ctypes.Structure):
    """struct ipt_entry {
        struct ipt_ip ip; unsigned int nfcache;
        __u16 target_offset; __u16 next_offset; unsigned int comefrom;
        struct xt_counters counters; unsigned char elems[]; };

    ``target_offset`` is the size of this header plus the matches,
    ``next_offset`` adds the target; ``comefrom`` is the kernel's
    bookkeeping of which hooks reach the entry.
    """

    _c_name_ = "struct ipt_entry"
    _fields_ = [
        ("ip", ipt_ip), ("nfcache", ctypes.c_uint),
        ("target_offset", ctypes.c_uint16), ("next_offset", ctypes.c_uint16),
        ("comefrom", ctypes.c_uint), ("counters", xt_counters), ("elems", ctypes.c_ubyte * 0),
    ]


class ipt_icmp(ctypes.Structure):
    """struct ipt_icmp { __u8 type; __u8 code[2]; __u8 invflags; };"""

    _c_name_ = "struct ipt_icmp"
    _fields_ = [("type", ctypes.c_uint8), ("code", ctypes.c_uint8 * 2), ("invflags", ctypes.c_uint8)]


class ipt_getinfo(ctypes.Structure):
    """struct ipt_getinfo {
        char name[XT_TABLE_MAXNAMELEN]; unsigned int valid_hooks;
        unsigned int hook_entry[NF_INET_NUMHOOKS]; unsigned int underflow[NF_INET_NUMHOOKS];
        unsigned int num_entries; unsigned int size; };
    """

    _c_name_ = "struct ipt_getinfo"
    _fields_ = [
        ("name", ctypes.c_char * XT_TABLE_MAXNAMELEN), ("valid_hooks", ctypes.c_uint),
        ("hook_entry", ctypes.c_uint * NF_INET_NUMHOOKS), ("underflow", ctypes.c_uint * NF_INET_NUMHOOKS),
        ("num_entries", ctypes.c_uint), ("size", ctypes.c_uint),
    ]


class ipt_replace(ctypes.Structure):
    """struct ipt_replace {
        char name[XT_TABLE_MAXNAMELEN]; unsigned int valid_hooks;
        unsigned int num_entries; unsigned int size;
        unsigned int hook_entry[NF_INET_NUMHOOKS]; unsigned int underflow[NF_INET_NUMHOOKS];
        unsigned int num_counters; struct xt_counters *counters;
        struct ipt_entry entries[]; };

    ``num_counters`` must equal the table's current number of entries (else
    EAGAIN: the table changed); the kernel writes the old entries' counters
    to ``counters``.
    """

    _c_name_ = "struct ipt_replace"
    _fields_ = [
        ("name", ctypes.c_char * XT_TABLE_MAXNAMELEN), ("valid_hooks", ctypes.c_uint),
        ("num_entries", ctypes.c_uint), ("size", ctypes.c_uint),
        ("hook_entry", ctypes.c_uint * NF_INET_NUMHOOKS), ("underflow", ctypes.c_uint * NF_INET_NUMHOOKS),
        ("num_counters", ctypes.c_uint), ("counters", ctypes.POINTER(xt_counters)),
        ("entries", ipt_entry * 0),
    ]


class ipt_get_entries(ctypes.Structure):
    """struct ipt_get_entries { char name[XT_TABLE_MAXNAMELEN]; unsigned int size; struct ipt_entry entrytable[]; };"""

    _c_name_ = "struct ipt_get_entries"
    _fields_ = [("name", ctypes.c_char * XT_TABLE_MAXNAMELEN), ("size", ctypes.c_uint),
                ("entrytable", ipt_entry * 0)]
