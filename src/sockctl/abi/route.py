"""IPv4 routing table requests (linux/route.h): ``struct rtentry`` and the RTF_* flags.

SIOCADDRT and SIOCDELRT on an AF_INET socket take a ``struct rtentry``; the
kernel turns it into a FIB entry of the main table (``ip_rt_ioctl``).
``RTENTRY`` packs one with ``struct`` for speed; the ctypes structure is the
layout it is checked against.
"""

import ctypes
import struct

from sockctl.abi.netdevice import sockaddr

C_HEADERS = ["sys/socket.h", "linux/route.h"]

RTF_UP = 0x0001  # route usable
RTF_GATEWAY = 0x0002  # destination is a gateway
RTF_HOST = 0x0004  # host entry (net otherwise)
RTF_REINSTATE = 0x0008  # reinstate route after timeout
RTF_DYNAMIC = 0x0010  # created dynamically (by redirect)
RTF_MODIFIED = 0x0020  # modified dynamically (by redirect)
RTF_MTU = 0x0040  # specific MTU for this route
RTF_MSS = RTF_MTU  # compatibility name
RTF_WINDOW = 0x0080  # per route window clamping
RTF_IRTT = 0x0100  # initial round trip time
RTF_REJECT = 0x0200  # reject route


class rtentry(ctypes.Structure):
    """struct rtentry {
        unsigned long rt_pad1;
        struct sockaddr rt_dst; struct sockaddr rt_gateway; struct sockaddr rt_genmask;
        unsigned short rt_flags; short rt_pad2; unsigned long rt_pad3; void *rt_pad4;
        short rt_metric;        /* +1 for binary compatibility! */
        char *rt_dev;           /* forcing the device at add */
        unsigned long rt_mtu;   /* per route MTU/Window (rt_mss) */
        unsigned long rt_window; unsigned short rt_irtt; };
    """

    _c_name_ = "struct rtentry"
    _fields_ = [
        ("rt_pad1", ctypes.c_ulong),
        ("rt_dst", sockaddr),
        ("rt_gateway", sockaddr),
        ("rt_genmask", sockaddr),
        ("rt_flags", ctypes.c_ushort),
        ("rt_pad2", ctypes.c_short),
        ("rt_pad3", ctypes.c_ulong),
        ("rt_pad4", ctypes.c_void_p),
        ("rt_metric", ctypes.c_short),
        ("rt_dev", ctypes.c_char_p),
        ("rt_mtu", ctypes.c_ulong),
        ("rt_window", ctypes.c_ulong),
        ("rt_irtt", ctypes.c_ushort),
    ]


# The same layout for struct.pack: native sizes and alignment, and a final
# zero-length unsigned long for the trailing padding C adds.
#   rt_pad1, rt_dst, rt_gateway, rt_genmask, rt_flags, rt_pad2, rt_pad3, rt_pad4,
#   rt_metric, rt_dev (an address), rt_mtu, rt_window, rt_irtt
RTENTRY = struct.Struct("@L16s16s16sHhLPhPLLH0L")
assert RTENTRY.size == ctypes.sizeof(rtentry)
