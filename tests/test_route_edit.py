"""Encoding of route requests (no privileges needed).

Each request is compared with the same structure built field by field
through its ctypes declaration, as C code would fill it.
"""

import ctypes
import ipaddress
import sys

import pytest

from sockctl import route_edit
from sockctl.abi import inet, ipv6_route, route as rt
from sockctl.abi.families import AF_INET
from sockctl.errors import InputError


def sockaddr(address: str | None) -> bytes:
    if address is None:
        return bytes(16)
    return inet.pack_sockaddr_in(ipaddress.IPv4Address(address).packed)


def rtentry_by_fields(dst, gateway, genmask, flags, metric, dev, mtu, window, irtt) -> bytes:
    """The struct filled as C code would, through the ctypes declaration."""
    entry = rt.rtentry()
    for name, value in (("rt_dst", dst), ("rt_gateway", gateway), ("rt_genmask", genmask)):
        ctypes.memmove(ctypes.addressof(entry) + getattr(rt.rtentry, name).offset, sockaddr(value), 16)
    entry.rt_flags, entry.rt_metric, entry.rt_mtu, entry.rt_window, entry.rt_irtt = flags, metric, mtu, window, irtt
    ctypes.c_void_p.from_address(ctypes.addressof(entry) + rt.rtentry.rt_dev.offset).value = dev
    return bytes(entry)


IP = ipaddress.IPv4Address

RTENTRY_CASES = [
    # (RouteEntry, the fields C would set: dst, gateway, genmask, flags, metric, dev, mtu, window, irtt)
    (route_edit.RouteEntry(IP("10.0.0.0"), IP("255.0.0.0")),
     ("10.0.0.0", None, "255.0.0.0", rt.RTF_UP, 0, 0, 0, 0, 0)),
    (route_edit.RouteEntry(IP("10.9.1.1"), host=True, gateway=IP("10.1.0.2")),
     ("10.9.1.1", "10.1.0.2", None, rt.RTF_UP | rt.RTF_HOST | rt.RTF_GATEWAY, 0, 0, 0, 0, 0)),
    (route_edit.RouteEntry(IP(0), gateway=IP("10.1.0.254"), metric=5),
     ("0.0.0.0", "10.1.0.254", None, rt.RTF_UP | rt.RTF_GATEWAY, 6, 0, 0, 0, 0)),
    (route_edit.RouteEntry(IP("10.10.0.0"), IP("255.255.0.0"), mss=1400, window=8192, irtt=50, metric=32766),
     ("10.10.0.0", None, "255.255.0.0", rt.RTF_UP | rt.RTF_MSS | rt.RTF_WINDOW | rt.RTF_IRTT, 32767, 0, 1400, 8192,
      50)),
    (route_edit.RouteEntry(IP("10.11.0.0"), IP("255.255.0.0"), reject=True, flags=rt.RTF_MODIFIED | rt.RTF_DYNAMIC),
     ("10.11.0.0", None, "255.255.0.0", rt.RTF_UP | rt.RTF_REJECT | rt.RTF_MODIFIED | rt.RTF_DYNAMIC, 0, 0, 0, 0,
      0)),
]


@pytest.mark.parametrize("entry, fields", RTENTRY_CASES, ids=str)
def test_encode_rtentry(entry, fields):
    dev = 0x7F0012345678  # any address: the encoder only carries it
    fields = fields[:5] + (dev,) + fields[6:]
    assert route_edit.encode_rtentry(entry, dev) == rtentry_by_fields(*fields)
    assert entry.rt_flags() == fields[3]


@pytest.mark.parametrize("entry, message", [
    (route_edit.RouteEntry(IP(0), metric=32767), "metric 32767 is out of range"),
    (route_edit.RouteEntry(IP(0), metric=-1), "metric -1 is out of range"),
    (route_edit.RouteEntry(IP(0), mss=63), "mss 63"),
    (route_edit.RouteEntry(IP(0), mss=65537), "mss 65537"),
    (route_edit.RouteEntry(IP(0), window=127), "window 127"),
    (route_edit.RouteEntry(IP(0), irtt=65536), "irtt 65536"),
])
def test_encode_rtentry_rejects_what_the_struct_cannot_hold(entry, message):
    with pytest.raises(InputError, match=message):
        route_edit.encode_rtentry(entry)


def test_route_entry_text():
    assert str(route_edit.RouteEntry(IP(0))) == "default"
    assert str(route_edit.RouteEntry(IP("10.9.1.1"), host=True)) == "10.9.1.1"
    assert str(route_edit.RouteEntry(IP("10.0.0.0"), IP("255.255.240.0"))) == "10.0.0.0/20"


IP6 = ipaddress.IPv6Address


@pytest.mark.parametrize("entry, fields", [
    (route_edit.Route6Entry(IP6("2001:db8:5::"), 48),
     ("2001:db8:5::", "::", 48, 1, rt.RTF_UP, 0)),
    (route_edit.Route6Entry(IP6("2001:db8::7"), gateway=IP6("fe80::1"), metric=1024, dev="v0"),
     ("2001:db8::7", "fe80::1", 128, 1024, rt.RTF_UP | rt.RTF_HOST | rt.RTF_GATEWAY, 9)),
    (route_edit.Route6Entry(IP6("::"), 0, metric=0, flags=rt.RTF_MODIFIED),
     ("::", "::", 0, 0, rt.RTF_UP | rt.RTF_MODIFIED, 0)),
], ids=str)
def test_encode_in6_rtmsg(entry, fields):
    dst, gateway, dst_len, metric, flags, ifindex = fields
    msg = ipv6_route.in6_rtmsg()
    msg.rtmsg_dst.in6_u.u6_addr8[:] = IP6(dst).packed
    msg.rtmsg_gateway.in6_u.u6_addr8[:] = IP6(gateway).packed
    msg.rtmsg_dst_len, msg.rtmsg_metric, msg.rtmsg_flags, msg.rtmsg_ifindex = dst_len, metric, flags, ifindex
    assert route_edit.encode_in6_rtmsg(entry, ifindex) == bytes(msg)


def test_encode_in6_rtmsg_rejects_a_long_prefix():
    with pytest.raises(InputError, match="prefix length 129"):
        route_edit.encode_in6_rtmsg(route_edit.Route6Entry(IP6("::"), 129))


def test_sockaddr_family_is_inet():
    assert int.from_bytes(route_edit.encode_rtentry(route_edit.RouteEntry(IP(0)))[8:10], sys.byteorder) == AF_INET
