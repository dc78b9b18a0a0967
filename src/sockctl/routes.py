"""The IPv4 and IPv6 routing tables, read as net-tools reads them.

/proc/net/route (the IPv4 main table), /proc/net/ipv6_route (every IPv6
table) and /proc/net/rt_cache: no ioctl lists routes. Adding and deleting
routes is ``sockctl.route_edit``'s.

A table of many routes is decoded in two steps: ``parse_proc_route`` gives
each row's destination and a tuple of its other fields that rows differing
only in destination share, so a listing of 10,000 routes through one gateway
decodes and formats that gateway once; ``ipv4_routes`` turns rows into
``Route`` records.
"""

from __future__ import annotations

import sys

from sockctl import channel
from sockctl.errors import DecodeError
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

# The kernel prints a __be32 with %08X as the integer it is in host order:
# that integer's bytes in host order are the address in network order.
_ORDER = sys.byteorder


def _host_u32(text: bytes) -> bytes:
    return int(text, 16).to_bytes(4, _ORDER)


def _offset(lines: list[bytes], line: bytes) -> int:
    """Where LINE starts in the file LINES were split from (for error messages only)."""
    return sum(len(earlier) + 1 for earlier in lines[:lines.index(line)])


def _rest(iface: bytes, text: bytes) -> tuple:
    """The decoded fields of a row after its destination, in ``Route`` order
    (gateway and genmask as 4 bytes in network order); ValueError if malformed."""
    fields = text[9:].split()
    if text[8:9] != b"\t" or len(fields) != 9 or len(fields[0]) != 8 or len(fields[5]) != 8:
        raise ValueError
    gateway, flags, refcnt, use, metric, mask, mtu, window, irtt = fields
    return (iface.decode("utf-8", "surrogateescape"), _host_u32(gateway), int(flags, 16),
            int(refcnt), int(use), int(metric), _host_u32(mask), int(mtu), int(window), int(irtt))


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
    rows: list[tuple[bytes, tuple]] = []
    append = rows.append
    order = _ORDER
    line = b""
    try:
        for line in lines[1:]:
            # "IFACE\tDESTINATION\tGATEWAY\t...", padded to 127 characters;
            # every field but the destination makes the key of the shared rest.
            iface, _, text = line.partition(b"\t")
            key = iface + text[8:]
            rest = shared.get(key)
            if rest is None:
                if not line:
                    continue
                rest = shared[key] = _rest(iface, text)
            append((int(text[:8], 16).to_bytes(4, order), rest))
    except ValueError:
        raise DecodeError("/proc/net/route: malformed line", _offset(lines, line)) from None
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
    return parse_proc_route(channel.proc_net("route"))


def ipv4_table() -> list[Route]:
    """The IPv4 main table, every row (``route -n`` shows those that are up: all, on Linux)."""
    return ipv4_routes(ipv4_rows())


def ipv6_table() -> list[Route6]:
    """The IPv6 routes of every table: ``route -A inet6 -n``."""
    return parse_ipv6_route(channel.proc_net("ipv6_route"))


def ipv4_cache() -> list[CachedRoute]:
    """The IPv4 routing cache: ``route -C -n``."""
    return parse_rt_cache(channel.proc_net("rt_cache"))
