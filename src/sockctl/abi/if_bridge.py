"""Ethernet bridge requests and records (linux/if_bridge.h).

The bridge answers three kinds of ioctl:

- deviceless, on any socket: SIOCBRADDBR/SIOCBRDELBR with a pointer to a
  name of IFNAMSIZ bytes, and SIOCGIFBR/SIOCSIFBR with a pointer to
  ``unsigned long args[3] = {BRCTL_GET_VERSION | BRCTL_GET_BRIDGES |
  BRCTL_ADD_BRIDGE | BRCTL_DEL_BRIDGE, arg1, arg2}``;
- SIOCBRADDIF/SIOCBRDELIF with a struct ifreq naming the bridge, the port's
  index in ``ifr_ifindex``;
- SIOCDEVPRIVATE with a struct ifreq naming the bridge whose ``ifr_data``
  points to ``unsigned long args[4] = {BRCTL_*, arg1, arg2, arg3}``.

The three records the kernel fills are the structures below. Timer values are
clock_t (hundredths of a second), except where the kernel's own comments say
otherwise (see ``sockctl.bridges``).
"""

import ctypes
import struct

C_HEADERS = ["linux/if_bridge.h"]

BRCTL_VERSION = 1

BRCTL_GET_VERSION = 0
BRCTL_GET_BRIDGES = 1
BRCTL_ADD_BRIDGE = 2
BRCTL_DEL_BRIDGE = 3
BRCTL_ADD_IF = 4
BRCTL_DEL_IF = 5
BRCTL_GET_BRIDGE_INFO = 6
BRCTL_GET_PORT_LIST = 7
BRCTL_SET_BRIDGE_FORWARD_DELAY = 8
BRCTL_SET_BRIDGE_HELLO_TIME = 9
BRCTL_SET_BRIDGE_MAX_AGE = 10
BRCTL_SET_AGEING_TIME = 11
BRCTL_SET_GC_INTERVAL = 12
BRCTL_GET_PORT_INFO = 13
BRCTL_SET_BRIDGE_STP_STATE = 14
BRCTL_SET_BRIDGE_PRIORITY = 15
BRCTL_SET_PORT_PRIORITY = 16
BRCTL_SET_PATH_COST = 17
BRCTL_GET_FDB_ENTRIES = 18

BR_STATE_DISABLED = 0
BR_STATE_LISTENING = 1
BR_STATE_LEARNING = 2
BR_STATE_FORWARDING = 3
BR_STATE_BLOCKING = 4


class bridge_info(ctypes.Structure):
    """struct __bridge_info {
        __u64 designated_root; __u64 bridge_id; __u32 root_path_cost;
        __u32 max_age; __u32 hello_time; __u32 forward_delay;
        __u32 bridge_max_age; __u32 bridge_hello_time; __u32 bridge_forward_delay;
        __u8 topology_change; __u8 topology_change_detected; __u8 root_port; __u8 stp_enabled;
        __u32 ageing_time; __u32 gc_interval; __u32 hello_timer_value; __u32 tcn_timer_value;
        __u32 topology_change_timer_value; __u32 gc_timer_value; };

    The two ids are struct bridge_id (two priority bytes, six address bytes)
    in a __u64: read them as the eight bytes they are.
    """

    _c_name_ = "struct __bridge_info"
    _fields_ = [
        ("designated_root", ctypes.c_uint64),
        ("bridge_id", ctypes.c_uint64),
        ("root_path_cost", ctypes.c_uint32),
        ("max_age", ctypes.c_uint32),
        ("hello_time", ctypes.c_uint32),
        ("forward_delay", ctypes.c_uint32),
        ("bridge_max_age", ctypes.c_uint32),
        ("bridge_hello_time", ctypes.c_uint32),
        ("bridge_forward_delay", ctypes.c_uint32),
        ("topology_change", ctypes.c_uint8),
        ("topology_change_detected", ctypes.c_uint8),
        ("root_port", ctypes.c_uint8),
        ("stp_enabled", ctypes.c_uint8),
        ("ageing_time", ctypes.c_uint32),
        ("gc_interval", ctypes.c_uint32),
        ("hello_timer_value", ctypes.c_uint32),
        ("tcn_timer_value", ctypes.c_uint32),
        ("topology_change_timer_value", ctypes.c_uint32),
        ("gc_timer_value", ctypes.c_uint32),
    ]


class port_info(ctypes.Structure):
    """struct __port_info {
        __u64 designated_root; __u64 designated_bridge; __u16 port_id; __u16 designated_port;
        __u32 path_cost; __u32 designated_cost; __u8 state; __u8 top_change_ack;
        __u8 config_pending; __u8 unused0; __u32 message_age_timer_value;
        __u32 forward_delay_timer_value; __u32 hold_timer_value; };
    """

    _c_name_ = "struct __port_info"
    _fields_ = [
        ("designated_root", ctypes.c_uint64),
        ("designated_bridge", ctypes.c_uint64),
        ("port_id", ctypes.c_uint16),
        ("designated_port", ctypes.c_uint16),
        ("path_cost", ctypes.c_uint32),
        ("designated_cost", ctypes.c_uint32),
        ("state", ctypes.c_uint8),
        ("top_change_ack", ctypes.c_uint8),
        ("config_pending", ctypes.c_uint8),
        ("unused0", ctypes.c_uint8),
        ("message_age_timer_value", ctypes.c_uint32),
        ("forward_delay_timer_value", ctypes.c_uint32),
        ("hold_timer_value", ctypes.c_uint32),
    ]


class fdb_entry(ctypes.Structure):
    """struct __fdb_entry {
        __u8 mac_addr[ETH_ALEN]; __u8 port_no; __u8 is_local; __u32 ageing_timer_value;
        __u8 port_hi; __u8 pad0; __u16 unused; };

    The port number is ``port_hi << 8 | port_no``: the high byte came later.
    """

    _c_name_ = "struct __fdb_entry"
    _fields_ = [
        ("mac_addr", ctypes.c_uint8 * 6),
        ("port_no", ctypes.c_uint8),
        ("is_local", ctypes.c_uint8),
        ("ageing_timer_value", ctypes.c_uint32),
        ("port_hi", ctypes.c_uint8),
        ("pad0", ctypes.c_uint8),
        ("unused", ctypes.c_uint16),
    ]


# struct formats with the same layout: decoding a buffer with struct is
# several times faster than a ctypes object per record.
BRIDGE_INFO = struct.Struct("=8s8s7I4B6I")
PORT_INFO = struct.Struct("=8s8sHHIIBBBxIII4x")  # sizeof pads to the __u64 alignment
FDB_ENTRY = struct.Struct("=6sBBIBxH")
assert BRIDGE_INFO.size == ctypes.sizeof(bridge_info)
assert PORT_INFO.size == ctypes.sizeof(port_info)
assert FDB_ENTRY.size == ctypes.sizeof(fdb_entry)

# The SIOCDEVPRIVATE argument: unsigned long args[4].
DevArgs = ctypes.c_ulong * 4
# The SIOCGIFBR/SIOCSIFBR argument: unsigned long args[3].
DevicelessArgs = ctypes.c_ulong * 3
