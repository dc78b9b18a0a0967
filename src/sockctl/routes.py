"""The IPv4 and IPv6 routing tables through the ioctl channel.

Reading: /proc/net/route (the IPv4 main table) and /proc/net/ipv6_route, as
net-tools reads them; no ioctl lists routes. Writing: SIOCADDRT and
SIOCDELRT, with a ``struct rtentry`` on an AF_INET socket (``ip_rt_ioctl``)
or a ``struct in6_rtmsg`` on an AF_INET6 socket (``ipv6_route_ioctl``).

A table of many routes is decoded in two steps: ``parse_proc_route`` gives
each row's destination and a tuple of its other fields that rows differing
only in destination share, so a listing of 10,000 routes through one gateway
decodes and formats that gateway once; ``ipv4_routes`` turns rows into
``Route`` records.
"""

from __future__ import annotations

import sys

from sockctl import procnet
from sockctl.errors import DecodeError, InputError
from sockctl.record import Record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from ipaddress import IPv4Address, IPv6Address

PROC_ROUTE_COLUMNS = [b"Iface", b"Destination", b"Gateway", b"Flags", b"RefCnt", b"Use", b"Metric",
                      b"Mask", b"MTU", b"Window", b"IRTT"]


class Route(Record):
    """One row of the IPv4 table (/proc/net/route)."""

    destination: IPv4Address
    iface: str  # "*" for a route without a device (reject)
    gateway: IPv4Address
    flags: int  # RTF_*: the kernel sets U, G, H and ! (reject)
    refcnt: int
    use: int
    metric: int
    genmask: IPv4Address
    mtu: int  # the route's MSS + 40, 0 when it has none (net-tools: MSS)
    window: int
    irtt: int  # initial round trip time, ms


class Route6(Record):
    """One row of the IPv6 table (/proc/net/ipv6_route)."""

    destination: IPv6Address
    prefixlen: int
    source: IPv6Address
    source_prefixlen: int
    next_hop: IPv6Address
    metric: int
    refcnt: int
    use: int
    flags: int  # RTF_*, including the IPv6 ones (linux/ipv6_route.h)
    iface: str


# ---- decoding of /proc files (pure) ----

def _host_u32(text: bytes) -> bytes:
    # The kernel prints a __be32 with %08X as the integer it is in host
    # order: its bytes in host order are the address in network order.
    return int(text, 16).to_bytes(4, sys.byteorder)


def _rest(iface: bytes, fields: list[bytes], offset: int) -> tuple:
    """The decoded fields of a row after its destination, in ``Route`` order
    (gateway and genmask as 4 bytes in network order)."""
    try:
        if len(fields) != 9 or any(len(fields[i]) != 8 for i in (0, 5)):
            raise ValueError
        gateway, flags, refcnt, use, metric, mask, mtu, window, irtt = fields
        return (iface.decode("utf-8", "surrogateescape"), _host_u32(gateway), int(flags, 16),
                int(refcnt), int(use), int(metric), _host_u32(mask), int(mtu), int(window), int(irtt))
    except ValueError:
        raise DecodeError("/proc/net/route: malformed line", offset) from None


def parse_proc_route(data: bytes) -> list[tuple[bytes, tuple]]:
    """/proc/net/route as (destination, rest) pairs, in the file's order.

    ``destination`` is the 4-byte address in network order; ``rest`` holds
    the other fields of ``Route`` in its order, decoded, with the gateway and
    genmask as 4 bytes too. Rows whose text differs only in the destination
    share one ``rest`` object.
    """
    lines = data.split(b"\n")
    if lines[0].split() != PROC_ROUTE_COLUMNS:
        raise DecodeError("/proc/net/route: unrecognised header", 0)
    shared: dict[bytes, tuple] = {}
    rows = []
    offset = len(lines[0]) + 1
    for line in lines[1:]:
        iface, _, text = line.partition(b"\t")
        # text: destination, tab, the other nine fields; each line is padded to 127 characters.
        key = iface + text[8:]
        rest = shared.get(key)
        if rest is None:
            if not line:
                continue
            if text[8:9] != b"\t":
                raise DecodeError("/proc/net/route: malformed line", offset)
            rest = shared[key] = _rest(iface, text[9:].split(), offset)
        try:
            destination = _host_u32(text[:8])
        except ValueError:
            raise DecodeError("/proc/net/route: malformed destination", offset) from None
        rows.append((destination, rest))
        offset += len(line) + 1
    return rows


def ipv4_routes(rows: list[tuple[bytes, tuple]]) -> list[Route]:
    """``Route`` records of rows from ``parse_proc_route``."""
    from ipaddress import IPv4Address

    result = []
    for destination, (iface, gateway, flags, refcnt, use, metric, genmask, mtu, window, irtt) in rows:
        result.append(Route(IPv4Address(destination), iface, IPv4Address(gateway), flags, refcnt, use, metric,
                            IPv4Address(genmask), mtu, window, irtt))
    return result


def parse_ipv6_route(data: bytes) -> list[Route6]:
    """/proc/net/ipv6_route as ``Route6`` records, in the file's order."""
    from ipaddress import IPv6Address

    result = []
    offset = 0
    for line in data.split(b"\n"):
        if line:
            fields = line.split()
            try:
                if len(fields) != 10 or any(len(fields[i]) != 32 for i in (0, 2, 4)):
                    raise ValueError
                result.append(Route6(
                    IPv6Address(bytes.fromhex(fields[0].decode("ascii"))), int(fields[1], 16),
                    IPv6Address(bytes.fromhex(fields[2].decode("ascii"))), int(fields[3], 16),
                    IPv6Address(bytes.fromhex(fields[4].decode("ascii"))),
                    int(fields[5], 16), int(fields[6], 16), int(fields[7], 16), int(fields[8], 16),
                    fields[9].decode("utf-8", "surrogateescape")))
            except ValueError:
                raise DecodeError("/proc/net/ipv6_route: malformed line", offset) from None
        offset += len(line) + 1
    return result


class CachedRoute(Record):
    """One row of the IPv4 routing cache (/proc/net/rt_cache; empty since Linux 3.6)."""

    iface: str
    destination: IPv4Address
    gateway: IPv4Address
    flags: int  # RTF_* and RTCF_*
    refcnt: int
    use: int
    metric: int
    source: IPv4Address
    mtu: int
    window: int
    irtt: int
    tos: int
    hhref: int
    hhuptod: int
    spec_dst: IPv4Address


RT_CACHE_COLUMNS = [b"Iface", b"Destination", b"Gateway", b"Flags", b"RefCnt", b"Use", b"Metric", b"Source",
                    b"MTU", b"Window", b"IRTT", b"TOS", b"HHRef", b"HHUptod", b"SpecDst"]


def parse_rt_cache(data: bytes) -> list[CachedRoute]:
    """/proc/net/rt_cache as ``CachedRoute`` records (the layout of Linux 2.2 to 3.5)."""
    from ipaddress import IPv4Address

    lines = data.split(b"\n")
    if lines[0].split() != RT_CACHE_COLUMNS:
        raise DecodeError("/proc/net/rt_cache: unrecognised header", 0)
    result = []
    offset = len(lines[0]) + 1
    for line in lines[1:]:
        fields = line.split()
        if fields:
            try:
                if len(fields) != 15:
                    raise ValueError
                address = [IPv4Address(_host_u32(fields[i])) for i in (1, 2, 7, 14)]
                numbers = [int(fields[i], 16 if i in (3, 11) else 10) for i in (3, 4, 5, 6, 8, 9, 10, 11, 12, 13)]
            except ValueError:
                raise DecodeError("/proc/net/rt_cache: malformed line", offset) from None
            flags, refcnt, use, metric, mtu, window, irtt, tos, hhref, hhuptod = numbers
            result.append(CachedRoute(fields[0].decode("utf-8", "surrogateescape"), address[0], address[1],
                                      flags, refcnt, use, metric, address[2], mtu, window, irtt, tos, hhref,
                                      hhuptod, address[3]))
        offset += len(line) + 1
    return result


# ---- reading ----

def ipv4_rows() -> list[tuple[bytes, tuple]]:
    """The IPv4 main table in ``parse_proc_route`` form: what ``route -n`` reads."""
    return parse_proc_route(procnet.read("route"))


def ipv4_table() -> list[Route]:
    """The IPv4 main table, every row (``route -n`` shows those that are up: all, on Linux)."""
    return ipv4_routes(ipv4_rows())


def ipv6_table() -> list[Route6]:
    """The IPv6 routes of every table: ``route -A inet6 -n``."""
    return parse_ipv6_route(procnet.read("ipv6_route"))


def ipv4_cache() -> list[CachedRoute]:
    """The IPv4 routing cache: ``route -C -n``."""
    return parse_rt_cache(procnet.read("rt_cache"))


# ---- writing ----

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
        from sockctl.abi import route as rt

        flags = self.flags | rt.RTF_UP
        for present, bit in ((self.host, rt.RTF_HOST), (self.gateway is not None, rt.RTF_GATEWAY),
                             (self.mss is not None, rt.RTF_MSS), (self.window is not None, rt.RTF_WINDOW),
                             (self.irtt is not None, rt.RTF_IRTT), (self.reject, rt.RTF_REJECT)):
            if present:
                flags |= bit
        return flags

    def __str__(self) -> str:
        if self.genmask is None:
            return "default" if not self.host and not int(self.destination) else str(self.destination)
        return f"{self.destination}/{_prefix_length(int(self.genmask))}"


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
        from sockctl.abi import route as rt

        flags = self.flags | rt.RTF_UP
        if self.prefixlen == 128:
            flags |= rt.RTF_HOST
        if self.gateway is not None:
            flags |= rt.RTF_GATEWAY
        return flags

    def __str__(self) -> str:
        return f"{self.destination}/{self.prefixlen}"


def _prefix_length(mask: int) -> int:
    return 32 - (~mask & 0xFFFFFFFF).bit_length()


_SHORT_MAX = 0x7FFF


def _check(value: int | None, what: str, low: int, high: int) -> None:
    if value is not None and not low <= value <= high:
        raise InputError(f"{what} {value} is out of range ({low}-{high})")


def encode_rtentry(entry: RouteEntry, dev_address: int = 0) -> bytes:
    """The ``struct rtentry`` of ENTRY; DEV_ADDRESS points at its device name (0: none)."""
    from sockctl.abi import inet, route as rt

    _check(entry.metric, "metric", 0, _SHORT_MAX - 1)  # rt_metric is a short holding metric + 1
    _check(entry.mss, "mss", 64, 65536)
    _check(entry.window, "window", 128, 0xFFFFFFFF)
    _check(entry.irtt, "irtt", 0, 0xFFFF)
    gateway = bytes(16) if entry.gateway is None else inet.pack_sockaddr_in(entry.gateway.packed)
    genmask = bytes(16) if entry.genmask is None else inet.pack_sockaddr_in(entry.genmask.packed)
    return rt.RTENTRY.pack(
        0, inet.pack_sockaddr_in(entry.destination.packed), gateway, genmask, entry.rt_flags(), 0, 0, 0,
        0 if entry.metric is None else entry.metric + 1, dev_address,
        entry.mss or 0, entry.window or 0, entry.irtt or 0)


def encode_in6_rtmsg(entry: Route6Entry, ifindex: int = 0) -> bytes:
    """The ``struct in6_rtmsg`` of ENTRY, for device number IFINDEX (0: none)."""
    from sockctl.abi import ipv6_route

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

        from sockctl.abi.netdevice import IFNAMSIZ, encode_ifname

        try:
            raw = encode_ifname(name)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        buf = ctypes.create_string_buffer(raw, IFNAMSIZ)  # the kernel reads IFNAMSIZ - 1 bytes
        known = _device_names[name] = (buf, ctypes.addressof(buf))
    return known[1]


def _request(request: int, entry: RouteEntry | Route6Entry) -> None:
    from sockctl import channel
    from sockctl.abi.families import AF_INET, AF_INET6, SOCK_DGRAM

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
    channel.ioctl(channel.control_socket(family, SOCK_DGRAM), request, data, str(entry))


def add(entry: RouteEntry | Route6Entry) -> None:
    """``route add ...`` (or ``route -A inet6 add ...``): SIOCADDRT."""
    from sockctl.abi.sockios import SIOCADDRT

    _request(SIOCADDRT, entry)


def delete(entry: RouteEntry | Route6Entry) -> None:
    """``route del ...`` (or ``route -A inet6 del ...``): SIOCDELRT."""
    from sockctl.abi.sockios import SIOCDELRT

    _request(SIOCDELRT, entry)
