"""The sockctl_dev demo module's private ioctls (kmod/include/sockctl_dev.h).

Request numbers are offsets from SIOCDEVPRIVATE; the argument travels in
``ifr_data`` of a struct ifreq naming the device.
"""

import ctypes

C_HEADERS = ["sockctl_dev.h"]

SOCKCTL_DEV_IOC_CMD = 0
SOCKCTL_DEV_IOC_COUNTERS = 1

SOCKCTL_DEV_COUNTERS = 8

SOCKCTL_DEV_CMD_LOG = 1
SOCKCTL_DEV_CMD_SET = 2
SOCKCTL_DEV_CMD_GET = 3
SOCKCTL_DEV_CMD_ADD = 4

SOCKCTL_DEV_KIND = "sctl"  # the link type: `ip link add NAME type sctl`


class sockctl_dev_cmd(ctypes.Structure):
    """struct sockctl_dev_cmd { __u32 cmd; __u32 arg1; __u64 arg2; };"""

    _c_name_ = "struct sockctl_dev_cmd"
    _fields_ = [("cmd", ctypes.c_uint32), ("arg1", ctypes.c_uint32), ("arg2", ctypes.c_uint64)]


class sockctl_dev_counters(ctypes.Structure):
    """struct sockctl_dev_counters { __u32 count; __u32 reserved; __u64 value[SOCKCTL_DEV_COUNTERS]; };"""

    _c_name_ = "struct sockctl_dev_counters"
    _fields_ = [
        ("count", ctypes.c_uint32),
        ("reserved", ctypes.c_uint32),
        ("value", ctypes.c_uint64 * SOCKCTL_DEV_COUNTERS),
    ]
