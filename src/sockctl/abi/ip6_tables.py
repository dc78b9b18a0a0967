"""IPv6 packet filter tables (linux/netfilter_ipv6/ip6_tables.h).

The same protocol as ip_tables at level IPPROTO_IPV6 on a raw IPv6 socket,
with an IPv6 entry header. Unlike IPv4, the protocol field is only compared
when ``IP6T_F_PROTO`` is set, and the revision get-options have their own
numbers.
"""

import ctypes

from sockctl.abi.inet import in6_addr
from sockctl.abi.netdevice import IFNAMSIZ
from sockctl.abi.x_tables import NF_INET_NUMHOOKS, XT_TABLE_MAXNAMELEN, xt_counters

C_HEADERS = ["sys/socket.h", "linux/netfilter_ipv6/ip6_tables.h"]

IP6T_BASE_CTL = 64
IP6T_SO_SET_REPLACE = IP6T_BASE_CTL
IP6T_SO_SET_ADD_COUNTERS = IP6T_BASE_CTL + 1
IP6T_SO_GET_INFO = IP6T_BASE_CTL
IP6T_SO_GET_ENTRIES = IP6T_BASE_CTL + 1
IP6T_SO_GET_REVISION_MATCH = IP6T_BASE_CTL + 4
IP6T_SO_GET_REVISION_TARGET = IP6T_BASE_CTL + 5

IP6T_F_PROTO = 0x01
IP6T_F_TOS = 0x02
IP6T_F_GOTO = 0x04
IP6T_F_MASK = 0x07

IP6T_INV_VIA_IN = 0x01
IP6T_INV_VIA_OUT = 0x02
IP6T_INV_TOS = 0x04
IP6T_INV_SRCIP = 0x08
IP6T_INV_DSTIP = 0x10
IP6T_INV_FRAG = 0x20
IP6T_INV_PROTO = 0x40
IP6T_INV_MASK = 0x7F

IP6T_ICMP_INV = 0x01


class ip6t_ip6(ctypes.Structure):
    """struct ip6t_ip6 {
        struct in6_addr src, dst; struct in6_addr smsk, dmsk;
        char iniface[IFNAMSIZ], outiface[IFNAMSIZ];
        unsigned char iniface_mask[IFNAMSIZ], outiface_mask[IFNAMSIZ];
        __u16 proto; __u8 tos; __u8 flags; __u8 invflags; };
    """

    _c_name_ = "struct ip6t_ip6"
    _fields_ = [
        ("src", in6_addr), ("dst", in6_addr), ("smsk", in6_addr), ("dmsk", in6_addr),
        ("iniface", ctypes.c_char * IFNAMSIZ), ("outiface", ctypes.c_char * IFNAMSIZ),
        ("iniface_mask", ctypes.c_ubyte * IFNAMSIZ), ("outiface_mask", ctypes.c_ubyte * IFNAMSIZ),
        ("proto", ctypes.c_uint16), ("tos", ctypes.c_uint8), ("flags", ctypes.c_uint8),
        ("invflags", ctypes.c_uint8),
    ]


class ip6t_entry(ctypes.Structure):
    """struct ip6t_entry {
        struct ip6t_ip6 ipv6; unsigned int nfcache;
        __u16 target_offset; __u16 next_offset; unsigned int comefrom;
        struct xt_counters counters; unsigned char elems[0]; };
    """

    _c_name_ = "struct ip6t_entry"
    _fields_ = [
        ("ipv6", ip6t_ip6), ("nfcache", ctypes.c_uint),
        ("target_offset", ctypes.c_uint16), ("next_offset", ctypes.c_uint16),
        ("comefrom", ctypes.c_uint), ("counters", xt_counters), ("elems", ctypes.c_ubyte * 0),
    ]


class ip6t_icmp(ctypes.Structure):
    """struct ip6t_icmp { __u8 type; __u8 code[2]; __u8 invflags; };"""

    _c_name_ = "struct ip6t_icmp"
    _fields_ = [("type", ctypes.c_uint8), ("code", ctypes.c_uint8 * 2), ("invflags", ctypes.c_uint8)]


class ip6t_getinfo(ctypes.Structure):
    """struct ip6t_getinfo {
        char name[XT_TABLE_MAXNAMELEN]; unsigned int valid_hooks;
        unsigned int hook_entry[NF_INET_NUMHOOKS]; unsigned int underflow[NF_INET_NUMHOOKS];
        unsigned int num_entries; unsigned int size; };
    """

    _c_name_ = "struct ip6t_getinfo"
    _fields_ = [
        ("name", ctypes.c_char * XT_TABLE_MAXNAMELEN), ("valid_hooks", ctypes.c_uint),
        ("hook_entry", ctypes.c_uint * NF_INET_NUMHOOKS), ("underflow", ctypes.c_uint * NF_INET_NUMHOOKS),
        ("num_entries", ctypes.c_uint), ("size", ctypes.c_uint),
    ]


class ip6t_replace(ctypes.Structure):
    """struct ip6t_replace {
        char name[XT_TABLE_MAXNAMELEN]; unsigned int valid_hooks;
        unsigned int num_entries; unsigned int size;
        unsigned int hook_entry[NF_INET_NUMHOOKS]; unsigned int underflow[NF_INET_NUMHOOKS];
        unsigned int num_counters; struct xt_counters *counters;
        struct ip6t_entry entries[]; };
    """

    _c_name_ = "struct ip6t_replace"
    _fields_ = [
        ("name", ctypes.c_char * XT_TABLE_MAXNAMELEN), ("valid_hooks", ctypes.c_uint),
        ("num_entries", ctypes.c_uint), ("size", ctypes.c_uint),
        ("hook_entry", ctypes.c_uint * NF_INET_NUMHOOKS), ("underflow", ctypes.c_uint * NF_INET_NUMHOOKS),
        ("num_counters", ctypes.c_uint), ("counters", ctypes.POINTER(xt_counters)),
        ("entries", ip6t_entry * 0),
    ]


class ip6t_get_entries(ctypes.Structure):
    """struct ip6t_get_entries { char name[XT_TABLE_MAXNAMELEN]; unsigned int size; struct ip6t_entry entrytable[]; };"""

    _c_name_ = "struct ip6t_get_entries"
    _fields_ = [("name", ctypes.c_char * XT_TABLE_MAXNAMELEN), ("size", ctypes.c_uint),
                ("entrytable", ip6t_entry * 0)]
