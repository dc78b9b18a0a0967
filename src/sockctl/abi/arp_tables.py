"""ARP tables (linux/netfilter_arp/arp_tables.h, linux/netfilter_arp.h).

The x_tables protocol for ARP packets, at level SOL_IP on a raw IPv4 socket
with option numbers of its own. ARP tables take targets but no matches and
have three hooks: IN, OUT and FORWARD.
"""

import ctypes

from sockctl.abi.inet import in_addr
from sockctl.abi.netdevice import IFNAMSIZ
from sockctl.abi.x_tables import XT_TABLE_MAXNAMELEN, xt_counters

C_HEADERS = ["sys/socket.h", "linux/netfilter_arp.h", "linux/netfilter_arp/arp_tables.h"]

NF_ARP_IN = 0
NF_ARP_OUT = 1
NF_ARP_FORWARD = 2
NF_ARP_NUMHOOKS = 3

ARPT_BASE_CTL = 96
ARPT_SO_SET_REPLACE = ARPT_BASE_CTL
ARPT_SO_SET_ADD_COUNTERS = ARPT_BASE_CTL + 1
ARPT_SO_GET_INFO = ARPT_BASE_CTL
ARPT_SO_GET_ENTRIES = ARPT_BASE_CTL + 1
ARPT_SO_GET_REVISION_TARGET = ARPT_BASE_CTL + 3

ARPT_DEV_ADDR_LEN_MAX = 16


class arpt_devaddr_info(ctypes.Structure):
    """struct arpt_devaddr_info { char addr[ARPT_DEV_ADDR_LEN_MAX]; char mask[ARPT_DEV_ADDR_LEN_MAX]; };"""

    _c_name_ = "struct arpt_devaddr_info"
    _fields_ = [("addr", ctypes.c_char * ARPT_DEV_ADDR_LEN_MAX), ("mask", ctypes.c_char * ARPT_DEV_ADDR_LEN_MAX)]


class arpt_arp(ctypes.Structure):
    """struct arpt_arp {
        struct in_addr src, tgt; struct in_addr smsk, tmsk;
        __u8 arhln, arhln_mask;
        struct arpt_devaddr_info src_devaddr; struct arpt_devaddr_info tgt_devaddr;
        __be16 arpop, arpop_mask; __be16 arhrd, arhrd_mask; __be16 arpro, arpro_mask;
        char iniface[IFNAMSIZ], outiface[IFNAMSIZ];
        unsigned char iniface_mask[IFNAMSIZ], outiface_mask[IFNAMSIZ];
        __u8 flags; __u16 invflags; };
    """

    _c_name_ = "struct arpt_arp"
    _fields_ = [
        ("src", in_addr), ("tgt", in_addr), ("smsk", in_addr), ("tmsk", in_addr),
        ("arhln", ctypes.c_uint8), ("arhln_mask", ctypes.c_uint8),
        ("src_devaddr", arpt_devaddr_info), ("tgt_devaddr", arpt_devaddr_info),
        ("arpop", ctypes.c_uint16), ("arpop_mask", ctypes.c_uint16),
        ("arhrd", ctypes.c_uint16), ("arhrd_mask", ctypes.c_uint16),
        ("arpro", ctypes.c_uint16), ("arpro_mask", ctypes.c_uint16),
        ("iniface", ctypes.c_char * IFNAMSIZ), ("outiface", ctypes.c_char * IFNAMSIZ),
        ("iniface_mask", ctypes.c_ubyte * IFNAMSIZ), ("outiface_mask", ctypes.c_ubyte * IFNAMSIZ),
        ("flags", ctypes.c_uint8), ("invflags", ctypes.c_uint16),
    ]


class arpt_entry(ctypes.Structure):
    """struct arpt_entry {
        struct arpt_arp arp; __u16 target_offset; __u16 next_offset;
        unsigned int comefrom; struct xt_counters counters; unsigned char elems[]; };
    """

    _c_name_ = "struct arpt_entry"
    _fields_ = [
        ("arp", arpt_arp), ("target_offset", ctypes.c_uint16), ("next_offset", ctypes.c_uint16),
        ("comefrom", ctypes.c_uint), ("counters", xt_counters), ("elems", ctypes.c_ubyte * 0),
    ]


class arpt_getinfo(ctypes.Structure):
    """struct arpt_getinfo {
        char name[XT_TABLE_MAXNAMELEN]; unsigned int valid_hooks;
        unsigned int hook_entry[NF_ARP_NUMHOOKS]; unsigned int underflow[NF_ARP_NUMHOOKS];
        unsigned int num_entries; unsigned int size; };
    """

    _c_name_ = "struct arpt_getinfo"
    _fields_ = [
        ("name", ctypes.c_char * XT_TABLE_MAXNAMELEN), ("valid_hooks", ctypes.c_uint),
        ("hook_entry", ctypes.c_uint * NF_ARP_NUMHOOKS), ("underflow", ctypes.c_uint * NF_ARP_NUMHOOKS),
        ("num_entries", ctypes.c_uint), ("size", ctypes.c_uint),
    ]


class arpt_replace(ctypes.Structure):
    """struct arpt_replace {
        char name[XT_TABLE_MAXNAMELEN]; unsigned int valid_hooks;
        unsigned int num_entries; unsigned int size;
        unsigned int hook_entry[NF_ARP_NUMHOOKS]; unsigned int underflow[NF_ARP_NUMHOOKS];
        unsigned int num_counters; struct xt_counters *counters;
        struct arpt_entry entries[]; };
    """

    _c_name_ = "struct arpt_replace"
    _fields_ = [
        ("name", ctypes.c_char * XT_TABLE_MAXNAMELEN), ("valid_hooks", ctypes.c_uint),
        ("num_entries", ctypes.c_uint), ("size", ctypes.c_uint),
        ("hook_entry", ctypes.c_uint * NF_ARP_NUMHOOKS), ("underflow", ctypes.c_uint * NF_ARP_NUMHOOKS),
        ("num_counters", ctypes.c_uint), ("counters", ctypes.POINTER(xt_counters)),
        ("entries", arpt_entry * 0),
    ]


class arpt_get_entries(ctypes.Structure):
    """struct arpt_get_entries { char name[XT_TABLE_MAXNAMELEN]; unsigned int size; struct arpt_entry entrytable[]; };"""

    _c_name_ = "struct arpt_get_entries"
    _fields_ = [("name", ctypes.c_char * XT_TABLE_MAXNAMELEN), ("size", ctypes.c_uint),
                ("entrytable", arpt_entry * 0)]
