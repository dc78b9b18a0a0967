"""Decoding of the routing tables (no privileges needed).

/proc lines are written here from the kernel's documented formats
(net/ipv4/fib_trie.c fib_route_seq_show, net/ipv6/route.c
ipv6_route_native_seq_show, and the rt_cache of Linux 2.2 to 3.5).
"""

import ipaddress
import sys

import pytest
from hypothesis import given, settings, strategies as st

from sockctl import routes
from sockctl.abi import route as rt
from sockctl.errors import DecodeError

HEADER = "%-127s\n" % "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT"


def word(address: str) -> int:
    """The s_addr of an address as the kernel prints it with %08X (host order)."""
    return int.from_bytes(ipaddress.IPv4Address(address).packed, sys.byteorder)


def proc_line(iface, dest, gw, flags, metric, mask, mtu=0, window=0, irtt=0, refcnt=0, use=0) -> str:
    text = "%s\t%08X\t%08X\t%04X\t%d\t%u\t%u\t%08X\t%d\t%u\t%u" % (
        iface, word(dest), word(gw), flags, refcnt, use, metric, word(mask), mtu, window, irtt)
    return "%-127s\n" % text


TABLE = [
    # (iface, destination, gateway, flags, metric, mask, mtu, window, irtt)
    ("v0", "0.0.0.0", "10.1.0.254", 0x0003, 0, "0.0.0.0", 0, 0, 0),
    ("v0", "10.1.0.0", "0.0.0.0", 0x0001, 0, "255.255.255.0", 0, 0, 0),
    ("v0", "10.9.1.1", "10.1.0.2", 0x0007, 0, "255.255.255.255", 0, 0, 0),
    ("v0", "10.10.0.0", "10.1.0.2", 0x0003, 5, "255.255.0.0", 1400, 8192, 50),
    ("*", "10.11.0.0", "0.0.0.0", 0x0201, 0, "255.255.0.0", 0, 0, 0),
    ("averylongname15", "10.53.0.0", "0.0.0.0", 0x0001, 4294967295, "255.255.0.0", 0, 0, 0),
    ("v0", "10.9.1.2", "10.1.0.2", 0x0007, 0, "255.255.255.255", 0, 0, 0),
]


def proc_route(table) -> bytes:
    return (HEADER + "".join(proc_line(*row) for row in table)).encode()


def test_proc_route_rows():
    rows = routes.parse_proc_route(proc_route(TABLE))
    assert len(rows) == len(TABLE)
    for (dest, rest), (iface, d, gw, flags, metric, mask, mtu, window, irtt) in zip(rows, TABLE):
        assert dest == ipaddress.IPv4Address(d).packed
        assert rest == (iface, ipaddress.IPv4Address(gw).packed, flags, 0, 0, metric,
                        ipaddress.IPv4Address(mask).packed, mtu, window, irtt)
    # Rows differing only in destination share their decoded rest.
    assert rows[2][1] is rows[6][1]
    assert rows[2][1] is not rows[3][1]


def test_proc_route_records():
    records = routes.ipv4_routes(routes.parse_proc_route(proc_route(TABLE)))
    default = records[0]
    assert default == routes.Route(ipaddress.IPv4Address(0), "v0", ipaddress.IPv4Address("10.1.0.254"), 3, 0, 0, 0,
                                   ipaddress.IPv4Address(0), 0, 0, 0)
    assert records[3].mtu == 1400 and records[3].window == 8192 and records[3].irtt == 50
    assert records[4].iface == "*" and records[4].flags & rt.RTF_REJECT
    assert records[5].metric == 4294967295


def test_empty_table():
    assert routes.parse_proc_route(HEADER.encode()) == []


@pytest.mark.parametrize("data", [
    b"",
    b"Iface\tDestination\tGateway\n",  # another layout
    (HEADER + proc_line("v0", "10.0.0.0", "0.0.0.0", 1, 0, "255.0.0.0")[:40] + "\n").encode(),  # truncated
    (HEADER + "v0\t0000000G\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0\n").encode(),  # not hex
    (HEADER + "v0\t000000\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0\n").encode(),  # short destination
    (HEADER + "v0\t0000000A\t00000000\t0001\t0\t0\tx\t000000FF\t0\t0\t0\n").encode(),  # metric not a number
    (HEADER + "v0\t0000000A\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0\t7\n").encode(),  # a field too many
    (HEADER + "v0\t0000000A\t0000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0\n").encode(),  # short gateway
])
def test_proc_route_rejects_corrupted_input(data):
    with pytest.raises(DecodeError):
        routes.parse_proc_route(data)


addresses = st.integers(0, 2**32 - 1).map(lambda n: str(ipaddress.IPv4Address(n)))
route_rows = st.tuples(st.sampled_from(["v0", "eth1", "*", "averylongname15"]), addresses, addresses,
                       st.integers(0, 0xFFFF), st.integers(0, 2**32 - 1), addresses, st.integers(0, 2**31 - 1),
                       st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1))


@settings(max_examples=200)
@given(st.lists(route_rows, max_size=30))
def test_proc_route_round_trip(table):
    records = routes.ipv4_routes(routes.parse_proc_route(proc_route(table)))
    assert [(r.iface, str(r.destination), str(r.gateway), r.flags, r.metric, str(r.genmask), r.mtu, r.window,
             r.irtt) for r in records] == table


# ---- /proc/net/ipv6_route ----

def v6(address: str) -> str:
    return ipaddress.IPv6Address(address).packed.hex()


def proc6_line(dest, plen, src, slen, hop, metric, refcnt, use, flags, iface) -> str:
    return "%s %02x %s %02x %s %08x %08x %08x %08x %8s\n" % (
        v6(dest), plen, v6(src), slen, v6(hop), metric, refcnt, use, flags, iface)


def test_proc_ipv6_route():
    data = (proc6_line("2001:db8::", 64, "::", 0, "::", 256, 1, 0, 0x1, "v0")
            + proc6_line("::", 0, "::", 0, "fe80::1", 1024, 2, 7, 0x00450003, "eth0")
            + proc6_line("::", 0, "::", 0, "::", 0xFFFFFFFF, 1, 0, 0x00200200, "lo")
            + proc6_line("2001:db8:56::", 64, "2001:db8::", 64, "::", 1024, 2, 0, 0x1, "averylongname15")).encode()
    found = routes.parse_ipv6_route(data)
    A = ipaddress.IPv6Address
    assert found[0] == routes.Route6(A("2001:db8::"), 64, A("::"), 0, A("::"), 256, 1, 0, 1, "v0")
    assert found[1].next_hop == A("fe80::1") and found[1].use == 7 and found[1].flags == 0x00450003
    assert found[2].metric == 0xFFFFFFFF
    assert found[3].source == A("2001:db8::") and found[3].source_prefixlen == 64
    assert found[3].iface == "averylongname15"


@pytest.mark.parametrize("data", [
    b"20010db8000000000000000000000000 40\n",
    proc6_line("::", 0, "::", 0, "::", 1, 1, 0, 1, "lo").replace("00000001", "0000000z", 1).encode(),
    proc6_line("::", 0, "::", 0, "::", 1, 1, 0, 1, "lo")[2:].encode(),
])
def test_proc_ipv6_route_rejects_corrupted_input(data):
    with pytest.raises(DecodeError):
        routes.parse_ipv6_route(data)


# ---- /proc/net/rt_cache ----

CACHE_HEADER = ("Iface\tDestination\tGateway \tFlags\t\tRefCnt\tUse\tMetric\tSource\t\tMTU\tWindow\tIRTT\t"
                "TOS\tHHRef\tHHUptod\tSpecDst")


def test_rt_cache():
    assert routes.parse_rt_cache(("%-127s\n" % CACHE_HEADER).encode()) == []
    row = "%s\t%08X\t%08X\t%8X\t%d\t%u\t%d\t%08X\t%d\t%u\t%u\t%02X\t%d\t%1d\t%08X" % (
        "eth0", word("10.0.0.9"), word("10.0.0.1"), 0x80000002, 1, 2, 3, word("10.0.0.5"), 1500, 4, 5, 0x10, -1, 1,
        word("10.0.0.5"))
    entry, = routes.parse_rt_cache(("%-127s\n%-127s\n" % (CACHE_HEADER, row)).encode())
    assert (entry.iface, str(entry.destination), str(entry.gateway), entry.flags) == ("eth0", "10.0.0.9", "10.0.0.1",
                                                                                      0x80000002)
    assert (entry.refcnt, entry.use, entry.metric, entry.mtu, entry.window, entry.irtt) == (1, 2, 3, 1500, 4, 5)
    assert (entry.tos, entry.hhref, entry.hhuptod, str(entry.spec_dst)) == (0x10, -1, 1, "10.0.0.5")
    with pytest.raises(DecodeError):
        routes.parse_rt_cache(("%-127s\n%s\n" % (CACHE_HEADER, row[:30])).encode())
    with pytest.raises(DecodeError):
        routes.parse_rt_cache(b"Iface\tDestination\n")
