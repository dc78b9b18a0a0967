"""Network device structures and flags (linux/if.h, linux/netdevice.h).

``ifreq`` is the argument of almost every interface ioctl: a name and a union.
Domain code reads and writes the union only through the typed accessors at the
end of this module, which clear the union before writing.
"""

import ctypes
import struct

C_HEADERS = ["sys/socket.h", "linux/if.h", "linux/netdevice.h"]

IFNAMSIZ = 16
IFALIASZ = 256
ALTIFNAMSIZ = 128
IFHWADDRLEN = 6

# enum net_device_flags. SIOCGIFFLAGS carries only the low 16 bits (a short);
# the last three are visible through netlink only.
IFF_UP = 1 << 0
IFF_BROADCAST = 1 << 1
IFF_DEBUG = 1 << 2
IFF_LOOPBACK = 1 << 3
IFF_POINTOPOINT = 1 << 4
IFF_NOTRAILERS = 1 << 5
IFF_RUNNING = 1 << 6
IFF_NOARP = 1 << 7
IFF_PROMISC = 1 << 8
IFF_ALLMULTI = 1 << 9
IFF_MASTER = 1 << 10
IFF_SLAVE = 1 << 11
IFF_MULTICAST = 1 << 12
IFF_PORTSEL = 1 << 13
IFF_AUTOMEDIA = 1 << 14
IFF_DYNAMIC = 1 << 15
IFF_LOWER_UP = 1 << 16
IFF_DORMANT = 1 << 17
IFF_ECHO = 1 << 18

# IF_PORT_* values of ifmap.port (an enum in linux/netdevice.h).
IF_PORT_UNKNOWN = 0
IF_PORT_10BASE2 = 1
IF_PORT_10BASET = 2
IF_PORT_AUI = 3
IF_PORT_100BASET = 4
IF_PORT_100BASETX = 5
IF_PORT_100BASEFX = 6


class sockaddr(ctypes.Structure):
    """struct sockaddr { sa_family_t sa_family; char sa_data[14]; };"""

    _c_name_ = "struct sockaddr"
    _fields_ = [("sa_family", ctypes.c_ushort), ("sa_data", ctypes.c_ubyte * 14)]


class ifmap(ctypes.Structure):
    """struct ifmap {
        unsigned long mem_start; unsigned long mem_end;
        unsigned short base_addr; unsigned char irq; unsigned char dma;
        unsigned char port; /* 3 bytes spare */ };
    """

    _c_name_ = "struct ifmap"
    _fields_ = [
        ("mem_start", ctypes.c_ulong),
        ("mem_end", ctypes.c_ulong),
        ("base_addr", ctypes.c_ushort),
        ("irq", ctypes.c_ubyte),
        ("dma", ctypes.c_ubyte),
        ("port", ctypes.c_ubyte),
    ]


class _ifs_ifsu(ctypes.Union):
    """union { raw_hdlc_proto *raw_hdlc; ... te1_settings *te1; } (pointers only)."""

    _fields_ = [
        ("raw_hdlc", ctypes.c_void_p),
        ("cisco", ctypes.c_void_p),
        ("fr", ctypes.c_void_p),
        ("fr_pvc", ctypes.c_void_p),
        ("fr_pvc_info", ctypes.c_void_p),
        ("x25", ctypes.c_void_p),
        ("sync", ctypes.c_void_p),
        ("te1", ctypes.c_void_p),
    ]


class if_settings(ctypes.Structure):
    """struct if_settings { unsigned int type; unsigned int size; union {...} ifs_ifsu; };"""

    _c_name_ = "struct if_settings"
    _fields_ = [("type", ctypes.c_uint), ("size", ctypes.c_uint), ("ifs_ifsu", _ifs_ifsu)]


class _ifr_ifrn(ctypes.Union):
    """union { char ifrn_name[IFNAMSIZ]; } ifr_ifrn;"""

    _fields_ = [("ifrn_name", ctypes.c_char * IFNAMSIZ)]


class _ifr_ifru(ctypes.Union):
    """union {
        struct sockaddr ifru_addr, ifru_dstaddr, ifru_broadaddr, ifru_netmask, ifru_hwaddr;
        short ifru_flags; int ifru_ivalue; int ifru_mtu; struct ifmap ifru_map;
        char ifru_slave[IFNAMSIZ]; char ifru_newname[IFNAMSIZ];
        void __user *ifru_data; struct if_settings ifru_settings; } ifr_ifru;
    """

    _fields_ = [
        ("ifru_addr", sockaddr),
        ("ifru_dstaddr", sockaddr),
        ("ifru_broadaddr", sockaddr),
        ("ifru_netmask", sockaddr),
        ("ifru_hwaddr", sockaddr),
        ("ifru_flags", ctypes.c_short),
        ("ifru_ivalue", ctypes.c_int),
        ("ifru_mtu", ctypes.c_int),
        ("ifru_map", ifmap),
        ("ifru_slave", ctypes.c_char * IFNAMSIZ),
        ("ifru_newname", ctypes.c_char * IFNAMSIZ),
        ("ifru_data", ctypes.c_void_p),
        ("ifru_settings", if_settings),
    ]


class ifreq(ctypes.Structure):
    """struct ifreq { union { char ifrn_name[IFNAMSIZ]; } ifr_ifrn; union {...} ifr_ifru; };

    Build one with ``ifreq.named(name)``; use the typed accessors below.
    """

    _c_name_ = "struct ifreq"
    _fields_ = [("ifr_ifrn", _ifr_ifrn), ("ifr_ifru", _ifr_ifru)]

    @classmethod
    def named(cls, name: str) -> "ifreq":
        req = cls()
        _NAME.pack_into(req, 0, encode_ifname(name))
        return req

    # The getters are the module-level ifr_* functions below, which read any
    # buffer holding an ifreq (this object, or bytes the kernel filled).

    @property
    def name(self) -> str:
        return bytes(self)[:IFNAMSIZ].split(b"\0", 1)[0].decode("utf-8", "surrogateescape")

    def _clear(self) -> None:
        ctypes.memset(ctypes.addressof(self) + _IFRU, 0, ctypes.sizeof(_ifr_ifru))

    # sockaddr members: addr, dstaddr, broadaddr, netmask and hwaddr share one place.
    def sockaddr_bytes(self) -> bytes:
        return ifr_sockaddr(self)

    def set_sockaddr_bytes(self, raw: bytes) -> None:
        if len(raw) > ctypes.sizeof(sockaddr):
            raise ValueError(f"a sockaddr in ifreq holds 16 bytes, not {len(raw)}")
        self._clear()
        ctypes.memmove(ctypes.addressof(self) + _IFRU, raw, len(raw))

    def hwaddr(self) -> tuple[int, bytes]:
        """(sa_family, the 14 bytes of sa_data) of ifru_hwaddr."""
        return ifr_hwaddr(self)

    def set_hwaddr(self, family: int, data: bytes) -> None:
        if len(data) > 14:
            raise ValueError(f"a hardware address in ifreq holds 14 bytes, not {len(data)}")
        self._clear()
        _HWADDR.pack_into(self, _IFRU, family, data)

    @property
    def flags(self) -> int:
        """ifru_flags as the unsigned 16 bits the kernel filled in."""
        return ifr_flags(self)

    def set_flags(self, flags: int) -> None:
        self._clear()
        _USHORT.pack_into(self, _IFRU, flags & 0xFFFF)

    @property
    def ivalue(self) -> int:
        """ifru_ivalue, also ifru_mtu, ifr_qlen (txqueuelen), ifr_ifindex, ifr_metric."""
        return ifr_ivalue(self)

    def set_ivalue(self, value: int) -> None:
        self._clear()
        _INT.pack_into(self, _IFRU, value)

    @property
    def map(self) -> ifmap:
        return ifmap.from_buffer_copy(self, _IFRU)

    def map_fields(self) -> tuple[int, int, int, int, int, int]:
        """(mem_start, mem_end, base_addr, irq, dma, port) of ifru_map."""
        return ifr_map(self)

    def set_map(self, value: ifmap) -> None:
        self._clear()
        self.ifr_ifru.ifru_map = value

    def set_newname(self, name: str) -> None:
        self._clear()
        self.ifr_ifru.ifru_newname = encode_ifname(name)

    def set_slave(self, name: str) -> None:
        self._clear()
        self.ifr_ifru.ifru_slave = encode_ifname(name)

    def set_data(self, address: int) -> None:
        """ifru_data: a user-space pointer the driver reads or fills."""
        self._clear()
        self.ifr_ifru.ifru_data = address


_IFRU = ifreq.ifr_ifru.offset
_NAME = struct.Struct(f"{IFNAMSIZ}s")
_IFMAP = struct.Struct("@LLHBBB")  # native alignment, as struct ifmap
_SOCKADDR = struct.Struct(f"={ctypes.sizeof(sockaddr)}s")
_HWADDR = struct.Struct("=H14s")
_USHORT = struct.Struct("=H")
_INT = struct.Struct("=i")


# Readers of the ifr_ifru union in any buffer holding a struct ifreq: struct
# on the buffer is several times faster than ctypes sub-objects, which
# matters when a listing reads thousands of them.

def ifr_sockaddr(buf) -> bytes:
    """The 16 bytes of ifru_addr (also dstaddr, broadaddr, netmask)."""
    return _SOCKADDR.unpack_from(buf, _IFRU)[0]


def ifr_hwaddr(buf) -> tuple[int, bytes]:
    """(sa_family, the 14 bytes of sa_data) of ifru_hwaddr."""
    return _HWADDR.unpack_from(buf, _IFRU)


def ifr_flags(buf) -> int:
    """ifru_flags as the unsigned 16 bits the kernel filled in."""
    return _USHORT.unpack_from(buf, _IFRU)[0]


def ifr_ivalue(buf) -> int:
    """ifru_ivalue: also ifru_mtu, ifr_qlen, ifr_ifindex."""
    return _INT.unpack_from(buf, _IFRU)[0]


def ifr_map(buf) -> tuple[int, int, int, int, int, int]:
    """(mem_start, mem_end, base_addr, irq, dma, port) of ifru_map."""
    return _IFMAP.unpack_from(buf, _IFRU)


class _ifc_ifcu(ctypes.Union):
    """union { char __user *ifcu_buf; struct ifreq __user *ifcu_req; } ifc_ifcu;"""

    _fields_ = [("ifcu_buf", ctypes.c_void_p), ("ifcu_req", ctypes.c_void_p)]


class ifconf(ctypes.Structure):
    """struct ifconf { int ifc_len; union {...} ifc_ifcu; };"""

    _c_name_ = "struct ifconf"
    _fields_ = [("ifc_len", ctypes.c_int), ("ifc_ifcu", _ifc_ifcu)]


def encode_ifname(name: str) -> bytes:
    """An interface name as the kernel stores it; rejects what no device can be named."""
    raw = name.encode("utf-8", "surrogateescape")
    if not raw or len(raw) >= IFNAMSIZ:
        raise ValueError(f"interface name {name!r} must be 1 to {IFNAMSIZ - 1} bytes long")
    if b"\0" in raw:
        raise ValueError(f"interface name {name!r} contains a NUL byte")
    return raw
