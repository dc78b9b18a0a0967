"""Adding and deleting routes: SIOCADDRT and SIOCDELRT.

An IPv4 route goes as a ``struct rtentry`` on an AF_INET socket
(``ip_rt_ioctl``), an IPv6 one as a ``struct in6_rtmsg`` on an AF_INET6
socket (``ipv6_route_ioctl``); either changes one route, so each call is
atomic. The requests are ``RouteEntry`` and ``Route6Entry`` records; the
encoders are pure. Reading the tables is ``sockctl.routes``'.
"""

from __future__ import annotations

from sockctl import channel
from sockctl.abi import inet, ipv6_route, route as rt
from sockctl.abi.families import AF_INET, AF_INET6, SOCK_DGRAM
from sockctl.abi.netdevice import IFNAMSIZ, encode_ifname
from sockctl.abi.sockios import SIOCADDRT, SIOCDELRT
from sockctl.errors import InputError, KernelError, kernel_error
from sockctl.record import Record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from ipaddress import IPv4Address, IPv6Address


class RouteEntry(Record):
    """An IPv4 route to add or delete: what ``struct rtentry`` carries.

    ``genmask`` None sends no mask: a host route needs none, and a network
    route without one covers 0.0.0.0/0 to the kernel. ``metric`` None sends
    none (0 on add; any metric matches on delete). ``mss``, ``window`` and
    ``irtt`` (ms) set RTF_MSS, RTF_WINDOW and RTF_IRTT when given. ``flags``
    adds further RTF_* bits (RTF_MODIFIED, RTF_DYNAMIC, RTF_REINSTATE) to
    those the other fields imply.
    """

    destination: IPv4Address
    genmask: IPv4Address | None = None
    gateway: IPv4Address | None = None
    host: bool = False
    metric: int | None = None
    dev: str | None = None
    mss: int | None = None
    window: int | None = None
    irtt: int | None = None
    reject: bool = False
    flags: int = 0

    def rt_flags(self) -> int:
        """The RTF_* bits the request sends."""
        flags = self.flags | rt.RTF_UP
        if self.host:
            flags |= rt.RTF_HOST
        if self.gateway is not None:
            flags |= rt.RTF_GATEWAY
        if self.mss is not None:
            flags |= rt.RTF_MSS
        if self.window is not None:
            flags |= rt.RTF_WINDOW
        if self.irtt is not None:
            flags |= rt.RTF_IRTT
        if self.reject:
            flags |= rt.RTF_REJECT
        return flags

    def __str__(self) -> str:
        if self.genmask is None:
            return "default" if not self.host and not int(self.destination) else str(self.destination)
        return f"{self.destination}/{32 - (~int(self.genmask) & 0xFFFFFFFF).bit_length()}"


class Route6Entry(Record):
    """An IPv6 route to add or delete: what ``struct in6_rtmsg`` carries.

    ``metric`` 1 is net-tools' default; on delete only a route of that metric
    matches, and 0 matches any (on add, 0 lets the kernel choose 1024).
    ``flags`` adds RTF_* bits (RTF_MODIFIED, RTF_DYNAMIC) to those implied.
    """

    destination: IPv6Address
    prefixlen: int = 128
    gateway: IPv6Address | None = None
    metric: int = 1
    dev: str | None = None
    flags: int = 0

    def rt_flags(self) -> int:
        """The RTF_* bits the request sends."""
        flags = self.flags | rt.RTF_UP
        if self.prefixlen == 128:
            flags |= rt.RTF_HOST
        if self.gateway is not None:
            flags |= rt.RTF_GATEWAY
        return flags

    def __str__(self) -> str:
        return f"{self.destination}/{self.prefixlen}"


def _check(value: int | None, what: str, low: int, high: int) -> None:
    if value is not None and not low <= value <= high:
        raise InputError(f"{what} {value} is out of range ({low}-{high})")


_NO_SOCKADDR = bytes(16)


def encode_rtentry(entry: RouteEntry, dev_address: int = 0) -> bytes:
    """The ``struct rtentry`` of ENTRY; DEV_ADDRESS points at its device name (0: none)."""
    metric, mss, window, irtt = entry.metric, entry.mss, entry.window, entry.irtt
    if metric is not None or mss is not None or window is not None or irtt is not None:
        _check(metric, "metric", 0, 0x7FFE)  # rt_metric is a short holding metric + 1
        _check(mss, "mss", 64, 65536)
        _check(window, "window", 128, 0xFFFFFFFF)
        _check(irtt, "irtt", 0, 0xFFFF)
    pack = inet.pack_sockaddr_in
    gateway, genmask = entry.gateway, entry.genmask
    return rt.RTENTRY.pack(
        0, pack(entry.destination.packed), _NO_SOCKADDR if gateway is None else pack(gateway.packed),
        _NO_SOCKADDR if genmask is None else pack(genmask.packed), entry.rt_flags(), 0, 0, 0,
        0 if metric is None else metric + 1, dev_address, mss or 0, window or 0, irtt or 0)


def encode_in6_rtmsg(entry: Route6Entry, ifindex: int = 0) -> bytes:
    """The ``struct in6_rtmsg`` of ENTRY, for device number IFINDEX (0: none)."""
    _check(entry.prefixlen, "prefix length", 0, 128)
    _check(entry.metric, "metric", 0, 0xFFFFFFFF)
    gateway = bytes(16) if entry.gateway is None else entry.gateway.packed
    return ipv6_route.IN6_RTMSG.pack(entry.destination.packed, bytes(16), gateway, 0, entry.prefixlen, 0,
                                     entry.metric, 0, entry.rt_flags(), ifindex)


# name -> (the C string rt_dev points at, its address): kept alive for the kernel to read.
_device_names: dict[str, tuple[object, int]] = {}


def _device_pointer(name: str) -> int:
    known = _device_names.get(name)
    if known is None:
        import ctypes

        try:
            raw = encode_ifname(name)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        buf = ctypes.create_string_buffer(raw, IFNAMSIZ)  # the kernel reads IFNAMSIZ - 1 bytes
        known = _device_names[name] = (buf, ctypes.addressof(buf))
    return known[1]


def _request(request: int, entry: RouteEntry | Route6Entry) -> None:
    if isinstance(entry, Route6Entry):
        ifindex = 0
        if entry.dev is not None:
            from sockctl import interfaces

            ifindex = interfaces.index(entry.dev)
        data = encode_in6_rtmsg(entry, ifindex)
        family = AF_INET6
    else:
        data = encode_rtentry(entry, 0 if entry.dev is None else _device_pointer(entry.dev))
        family = AF_INET
    try:
        channel.ioctl(channel.control_socket(family, SOCK_DGRAM), request, data)
    except KernelError as exc:  # named after the route only now: most requests succeed
        raise kernel_error(exc.errno, exc.call, str(entry)) from None


def add(entry: RouteEntry | Route6Entry) -> None:
    """``route add ...`` (or ``route -A inet6 add ...``): SIOCADDRT."""
    _request(SIOCADDRT, entry)


def delete(entry: RouteEntry | Route6Entry) -> None:
    """``route del ...`` (or ``route -A inet6 del ...``): SIOCDELRT."""
    _request(SIOCDELRT, entry)
