"""IPv6 routing table requests (linux/ipv6_route.h): ``struct in6_rtmsg`` and flags.

SIOCADDRT and SIOCDELRT on an AF_INET6 socket take a ``struct in6_rtmsg``
(``ipv6_route_ioctl``). The RTF_* values here extend those of linux/route.h
(below 0x10000) and are also what /proc/net/ipv6_route shows.
"""

import ctypes
import struct

from sockctl.abi.inet import in6_addr

C_HEADERS = ["sys/socket.h", "linux/in6.h", "linux/ipv6_route.h"]

RTF_DEFAULT = 0x00010000  # default - learned via ND
RTF_ALLONLINK = 0x00020000  # fallback, no routers on link (deprecated)
RTF_ADDRCONF = 0x00040000  # addrconf route - RA
RTF_PREFIX_RT = 0x00080000  # a prefix only route - RA
RTF_ANYCAST = 0x00100000  # anycast
RTF_NONEXTHOP = 0x00200000  # route with no nexthop
RTF_EXPIRES = 0x00400000
RTF_ROUTEINFO = 0x00800000  # route information - RA
RTF_CACHE = 0x01000000  # read-only: can not be set by user
RTF_FLOW = 0x02000000  # flow significant route
RTF_POLICY = 0x04000000  # policy route
RTF_PREF_MASK = 0x18000000  # RTF_PREF(pref) is pref << 27
RTF_PCPU = 0x40000000  # read-only: can not be set by user
RTF_LOCAL = 0x80000000

RTMSG_NEWDEVICE = 0x11
RTMSG_DELDEVICE = 0x12
RTMSG_NEWROUTE = 0x21
RTMSG_DELROUTE = 0x22

IP6_RT_PRIO_USER = 1024  # the metric the kernel gives a route added with metric 0
IP6_RT_PRIO_ADDRCONF = 256


class in6_rtmsg(ctypes.Structure):
    """struct in6_rtmsg {
        struct in6_addr rtmsg_dst; struct in6_addr rtmsg_src; struct in6_addr rtmsg_gateway;
        __u32 rtmsg_type; __u16 rtmsg_dst_len; __u16 rtmsg_src_len; __u32 rtmsg_metric;
        unsigned long rtmsg_info; __u32 rtmsg_flags; int rtmsg_ifindex; };
    """

    _c_name_ = "struct in6_rtmsg"
    _fields_ = [
        ("rtmsg_dst", in6_addr),
        ("rtmsg_src", in6_addr),
        ("rtmsg_gateway", in6_addr),
        ("rtmsg_type", ctypes.c_uint32),
        ("rtmsg_dst_len", ctypes.c_uint16),
        ("rtmsg_src_len", ctypes.c_uint16),
        ("rtmsg_metric", ctypes.c_uint32),
        ("rtmsg_info", ctypes.c_ulong),
        ("rtmsg_flags", ctypes.c_uint32),
        ("rtmsg_ifindex", ctypes.c_int),
    ]


# The same layout for struct.pack (native alignment, trailing padding included):
#   rtmsg_dst, rtmsg_src, rtmsg_gateway, rtmsg_type, rtmsg_dst_len, rtmsg_src_len,
#   rtmsg_metric, rtmsg_info, rtmsg_flags, rtmsg_ifindex
IN6_RTMSG = struct.Struct("@16s16s16sIHHILIi0L")
assert IN6_RTMSG.size == ctypes.sizeof(in6_rtmsg)
