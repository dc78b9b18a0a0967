"""The sockctl_kv demo module's socket options (kmod/include/sockctl_kv.h).

Option numbers are offsets from the module's ``base`` parameter. The header
there describes the protocol; these are its structures as ctypes.
"""

import ctypes

C_HEADERS = ["sockctl_kv.h"]

SOCKCTL_KV_BASE_DEFAULT = 128

SOCKCTL_KV_SO_MSG = 0
SOCKCTL_KV_SO_CTL = 1
SOCKCTL_KV_SO_COUNT = 2

SOCKCTL_KV_VERSION = 1
SOCKCTL_KV_MSG_MAX = 64
SOCKCTL_KV_KEY_MAX = 32
SOCKCTL_KV_VALUE_MAX = 128
SOCKCTL_KV_MAX_RECORDS = 1024

SOCKCTL_KV_CMD_INFO = 1
SOCKCTL_KV_CMD_GET = 2
SOCKCTL_KV_CMD_LIST = 3
SOCKCTL_KV_CMD_PUT = 4
SOCKCTL_KV_CMD_DEL = 5
SOCKCTL_KV_CMD_FLUSH = 6

SOCKCTL_KV_PUT_CREATE = 0x1
SOCKCTL_KV_PUT_REPLACE = 0x2
SOCKCTL_KV_PUT_MATCH = 0x4
SOCKCTL_KV_PUT_FLAGS = 0x7


class sockctl_kv_hdr(ctypes.Structure):
    """struct sockctl_kv_hdr { __u16 version; __u16 command; __u32 length; };"""

    _c_name_ = "struct sockctl_kv_hdr"
    _fields_ = [("version", ctypes.c_uint16), ("command", ctypes.c_uint16), ("length", ctypes.c_uint32)]


class sockctl_kv_key(ctypes.Structure):
    """struct sockctl_kv_key { __u16 key_len; __u16 reserved; __u8 key[SOCKCTL_KV_KEY_MAX]; };"""

    _c_name_ = "struct sockctl_kv_key"
    _fields_ = [
        ("key_len", ctypes.c_uint16),
        ("reserved", ctypes.c_uint16),
        ("key", ctypes.c_uint8 * SOCKCTL_KV_KEY_MAX),
    ]


class sockctl_kv_record(ctypes.Structure):
    """struct sockctl_kv_record {
        __u32 revision; __u16 key_len; __u16 value_len;
        __u8 key[SOCKCTL_KV_KEY_MAX]; __u8 value[SOCKCTL_KV_VALUE_MAX]; };
    """

    _c_name_ = "struct sockctl_kv_record"
    _fields_ = [
        ("revision", ctypes.c_uint32),
        ("key_len", ctypes.c_uint16),
        ("value_len", ctypes.c_uint16),
        ("key", ctypes.c_uint8 * SOCKCTL_KV_KEY_MAX),
        ("value", ctypes.c_uint8 * SOCKCTL_KV_VALUE_MAX),
    ]


class sockctl_kv_put(ctypes.Structure):
    """struct sockctl_kv_put { __u32 flags; struct sockctl_kv_record record; };"""

    _c_name_ = "struct sockctl_kv_put"
    _fields_ = [("flags", ctypes.c_uint32), ("record", sockctl_kv_record)]


class sockctl_kv_list_req(ctypes.Structure):
    """struct sockctl_kv_list_req { __u32 max; struct sockctl_kv_key start; };"""

    _c_name_ = "struct sockctl_kv_list_req"
    _fields_ = [("max", ctypes.c_uint32), ("start", sockctl_kv_key)]


class sockctl_kv_list(ctypes.Structure):
    """struct sockctl_kv_list { __u32 total; __u32 count; struct sockctl_kv_record records[]; };

    The flexible array is left out: ``count`` records follow the structure.
    """

    _c_name_ = "struct sockctl_kv_list"
    _fields_ = [("total", ctypes.c_uint32), ("count", ctypes.c_uint32)]


class sockctl_kv_info(ctypes.Structure):
    """struct sockctl_kv_info {
        __u32 version; __u32 base; __u32 records; __u32 max_records;
        __u32 key_max; __u32 value_max; __u32 msg_len; __u32 msg_max; };
    """

    _c_name_ = "struct sockctl_kv_info"
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("base", ctypes.c_uint32),
        ("records", ctypes.c_uint32),
        ("max_records", ctypes.c_uint32),
        ("key_max", ctypes.c_uint32),
        ("value_max", ctypes.c_uint32),
        ("msg_len", ctypes.c_uint32),
        ("msg_max", ctypes.c_uint32),
    ]
