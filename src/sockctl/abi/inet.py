"""Internet socket addresses (linux/in.h, linux/in6.h, linux/ipv6.h).

The ctypes structures document and test the layout; the pack/unpack helpers
are what the domain modules use, because ``struct`` is faster than building a
ctypes object per address.
"""

import ctypes
import struct

from sockctl.abi.families import AF_INET

C_HEADERS = ["sys/socket.h", "linux/in.h", "linux/in6.h", "linux/ipv6.h"]

SOCK_SIZE = 16  # __SOCK_SIZE__: sizeof(struct sockaddr)
C_NAMES = {"SOCK_SIZE": "__SOCK_SIZE__"}


class in_addr(ctypes.Structure):
    """struct in_addr { __be32 s_addr; };  (s_addr holds network byte order)"""

    _c_name_ = "struct in_addr"
    _fields_ = [("s_addr", ctypes.c_uint32)]


class sockaddr_in(ctypes.Structure):
    """struct sockaddr_in {
        __kernel_sa_family_t sin_family; __be16 sin_port; struct in_addr sin_addr;
        unsigned char __pad[8]; };
    """

    _c_name_ = "struct sockaddr_in"
    _fields_ = [
        ("sin_family", ctypes.c_ushort),
        ("sin_port", ctypes.c_uint16),
        ("sin_addr", in_addr),
        ("__pad", ctypes.c_ubyte * 8),
    ]


class _in6_u(ctypes.Union):
    """union { __u8 u6_addr8[16]; __be16 u6_addr16[8]; __be32 u6_addr32[4]; } in6_u;"""

    _fields_ = [
        ("u6_addr8", ctypes.c_ubyte * 16),
        ("u6_addr16", ctypes.c_uint16 * 8),
        ("u6_addr32", ctypes.c_uint32 * 4),
    ]


class in6_addr(ctypes.Structure):
    """struct in6_addr { union {...} in6_u; };"""

    _c_name_ = "struct in6_addr"
    _fields_ = [("in6_u", _in6_u)]


class sockaddr_in6(ctypes.Structure):
    """struct sockaddr_in6 {
        unsigned short sin6_family; __be16 sin6_port; __be32 sin6_flowinfo;
        struct in6_addr sin6_addr; __u32 sin6_scope_id; };
    """

    _c_name_ = "struct sockaddr_in6"
    _fields_ = [
        ("sin6_family", ctypes.c_ushort),
        ("sin6_port", ctypes.c_uint16),
        ("sin6_flowinfo", ctypes.c_uint32),
        ("sin6_addr", in6_addr),
        ("sin6_scope_id", ctypes.c_uint32),
    ]


class in6_ifreq(ctypes.Structure):
    """struct in6_ifreq { struct in6_addr ifr6_addr; __u32 ifr6_prefixlen; int ifr6_ifindex; };

    The argument of SIOCSIFADDR/SIOCDIFADDR on an AF_INET6 socket.
    """

    _c_name_ = "struct in6_ifreq"
    _fields_ = [("ifr6_addr", in6_addr), ("ifr6_prefixlen", ctypes.c_uint32), ("ifr6_ifindex", ctypes.c_int)]


# sockaddr_in as bytes: family in host order, port and address in network order.
_SOCKADDR_IN = struct.Struct("=H2s4s8x")
assert _SOCKADDR_IN.size == SOCK_SIZE


def pack_sockaddr_in(packed_address: bytes, port: int = 0) -> bytes:
    """A 16-byte sockaddr_in for a 4-byte network-order address."""
    return _SOCKADDR_IN.pack(AF_INET, port.to_bytes(2, "big"), packed_address)


def unpack_sockaddr_in(raw: bytes) -> tuple[int, bytes]:
    """(sin_family, 4-byte address) from the first 16 bytes of a sockaddr."""
    family, _port, address = _SOCKADDR_IN.unpack_from(raw)
    return family, address


def pack_in6_ifreq(packed_address: bytes, prefixlen: int, ifindex: int) -> bytes:
    """An in6_ifreq for a 16-byte address."""
    return struct.pack("=16sIi", packed_address, prefixlen, ifindex)
