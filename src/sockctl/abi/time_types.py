"""Time values the kernel hands back in socket ioctls (linux/time_types.h).

SIOCGSTAMP_OLD and SIOCGSTAMPNS_OLD fill the native ``long`` pairs; the
``_NEW`` requests (Linux 5.1 on) fill 64-bit pairs on every architecture, so
they stay right after 2038 on 32-bit machines.
"""

import ctypes
import struct

C_HEADERS = ["linux/time_types.h"]


class kernel_old_timeval(ctypes.Structure):
    """struct __kernel_old_timeval { __kernel_long_t tv_sec; __kernel_long_t tv_usec; };

    What SIOCGSTAMP_OLD fills.
    """

    _c_name_ = "struct __kernel_old_timeval"
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_usec", ctypes.c_long)]


class kernel_old_timespec(ctypes.Structure):
    """struct __kernel_old_timespec { __kernel_old_time_t tv_sec; __kernel_long_t tv_nsec; };

    What SIOCGSTAMPNS_OLD fills.
    """

    _c_name_ = "struct __kernel_old_timespec"
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


class kernel_sock_timeval(ctypes.Structure):
    """struct __kernel_sock_timeval { __s64 tv_sec; __s64 tv_usec; };

    What SIOCGSTAMP_NEW fills.
    """

    _c_name_ = "struct __kernel_sock_timeval"
    _fields_ = [("tv_sec", ctypes.c_int64), ("tv_usec", ctypes.c_int64)]


class kernel_timespec(ctypes.Structure):
    """struct __kernel_timespec { __kernel_time64_t tv_sec; long long tv_nsec; };

    What SIOCGSTAMPNS_NEW fills.
    """

    _c_name_ = "struct __kernel_timespec"
    _fields_ = [("tv_sec", ctypes.c_int64), ("tv_nsec", ctypes.c_longlong)]


# The same layouts as struct formats, for decoding.
OLD_PAIR = struct.Struct("@ll")
NEW_PAIR = struct.Struct("=qq")
assert OLD_PAIR.size == ctypes.sizeof(kernel_old_timeval) == ctypes.sizeof(kernel_old_timespec)
assert NEW_PAIR.size == ctypes.sizeof(kernel_sock_timeval) == ctypes.sizeof(kernel_timespec)
