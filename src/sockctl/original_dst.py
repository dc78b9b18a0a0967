"""Where a redirected connection was going: SO_ORIGINAL_DST and IP6T_SO_ORIGINAL_DST.

When an iptables REDIRECT (or DNAT) rule sends a connection to a local
listener, the accepted socket's own address is the listener's; connection
tracking still holds the destination the client chose, and answers it to
this get-option. It is how a transparent proxy learns where to connect
(see examples/transparent_proxy.py). The socket must be a TCP or SCTP one
whose connection conntrack saw.
"""

from __future__ import annotations

from errno import ENOENT, ENOPROTOOPT

from sockctl import channel
from sockctl.abi import inet
from sockctl.abi.families import AF_INET, AF_INET6, IPPROTO_IP, IPPROTO_IPV6
from sockctl.abi.original_dst import IP6T_SO_ORIGINAL_DST, SO_ORIGINAL_DST
from sockctl.errors import DecodeError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from ipaddress import IPv4Address, IPv6Address

_SIN_SIZE = 16
_SIN6_SIZE = 28
_REASONS = {ENOENT: "connection tracking has no entry for this connection",
            ENOPROTOOPT: "not a TCP or SCTP socket, or no connection tracking in this kernel"}


def decode_sockaddr(buf) -> tuple[IPv4Address | IPv6Address, int]:
    """(address, port) of a ``struct sockaddr_in`` (16 bytes) or ``struct sockaddr_in6`` (28 bytes)."""
    from ipaddress import IPv4Address, IPv6Address

    raw = bytes(buf)
    family = int.from_bytes(raw[:2], "little") if len(raw) >= 2 else -1
    if family == AF_INET and len(raw) == _SIN_SIZE:
        _, address = inet.unpack_sockaddr_in(raw)
        return IPv4Address(address), int.from_bytes(raw[2:4], "big")
    if family == AF_INET6 and len(raw) == _SIN6_SIZE:
        return IPv6Address(raw[8:24]), int.from_bytes(raw[2:4], "big")
    raise DecodeError(f"original destination: {len(raw)} bytes of address family {family}, "
                      "not a sockaddr_in (16 bytes) or sockaddr_in6 (28)")


def original_destination(sock) -> tuple[IPv4Address | IPv6Address, int]:
    """(address, port) the client connected to before a REDIRECT or DNAT rule changed it.

    SOCK is an accepted socket (a socket object or a descriptor). This is
    the call transparent proxies (squid, redsocks) make:
    ``getsockopt(fd, SOL_IP, SO_ORIGINAL_DST, &sin, &len)``, or
    ``IP6T_SO_ORIGINAL_DST`` at SOL_IPV6 for an IPv6 connection. An IPv4
    connection accepted on a dual-stack IPv6 socket is asked at SOL_IP.
    """
    from sockctl.sockets import _socket_fd

    fd = _socket_fd(sock, "SO_ORIGINAL_DST")
    if _asks_ipv6(fd):
        level, option, size, call = IPPROTO_IPV6, IP6T_SO_ORIGINAL_DST, _SIN6_SIZE, "IP6T_SO_ORIGINAL_DST"
    else:
        level, option, size, call = IPPROTO_IP, SO_ORIGINAL_DST, _SIN_SIZE, "SO_ORIGINAL_DST"
    buf = bytearray(size)
    length = channel.getsockopt(fd, level, option, buf, call, f"descriptor {fd}", _REASONS)
    return decode_sockaddr(buf[:length])


def _asks_ipv6(fd: int) -> bool:
    """Whether the connection on FD is IPv6 (an IPv6 socket whose peer is not a v4-mapped address)."""
    import _socket

    probe = _socket.socket(fileno=fd)  # learns the family from the descriptor
    try:
        if probe.family != AF_INET6:
            return False
        try:
            peer = probe.getpeername()[0]
        except OSError:
            return True
        return not (peer.startswith("::ffff:") and "." in peer)
    finally:
        probe.detach()
