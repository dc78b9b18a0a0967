"""route listing rules, checked on synthetic tables (no kernel involved).

The integration tests compare whole listings with net-tools; these pin
down what a test namespace cannot reach: flags the kernel no longer sets,
the routing cache rows of old kernels, C int overflow. Expected lines are
written from net-tools' printf formats (lib/inet_gr.c, lib/inet6_gr.c).
"""

import ipaddress

import pytest

from sockctl import netdb, routes
from sockctl.abi import ipv6_route, route as rt
from sockctl.cli import route_format as fmt

IP = ipaddress.IPv4Address


def test_flag_values_are_the_abis():
    """The listing keeps its own copies of a few flags (to spare ctypes); they must be the kernel's."""
    assert (fmt.RTF_UP, fmt.RTF_GATEWAY, fmt.RTF_HOST, fmt.RTF_REJECT, fmt.RTF_CACHE) == (
        rt.RTF_UP, rt.RTF_GATEWAY, rt.RTF_HOST, rt.RTF_REJECT, ipv6_route.RTF_CACHE)


@pytest.mark.parametrize("flags, text", [
    (0x0001, "U"), (0x0003, "UG"), (0x0007, "UGH"), (0x0201, "!"), (0x0203, "!"), (0x0205, "!H"),
    (0x0019, "URD"), (0x0021, "UM"), (0x01C1, "Uuwi"), (0x0401, "Un"), (0x80000001, "Ul"),
    (0x00010001, "Ud"), (0x00020001, "Ua"), (0x00040001, "Uc"), (0x01000001, "Uc"), (0x00200001, "Uo"),
    (0x00400001, "Ue"), (0x02000001, "Uf"), (0x04000001, "Up"), (0x0000, ""),
])
def test_ipv4_flags(flags, text):
    assert fmt.ipv4_flags(flags) == text


@pytest.mark.parametrize("flags, text", [
    (0x0001, "U"), (0x0003, "UG"), (0x00200200, "!n"), (0x80200001, "Un"), (0x00400001, "Ue"),
    (0x00050001, "UDA"), (0x01000001, "UC"), (0x00020021, "Uam"), (0x02000005, "UHf"), (0x0207, "U!GH"),
])
def test_ipv6_flags(flags, text):
    assert fmt.ipv6_flags(flags) == text


@pytest.mark.parametrize("flags, text", [
    (0x0002, "G"), (0x0202, "!"), (0x0038, "RDM"), (0x80000005, "-ol"), (0x00810000, "nNs"),
    (0x48000000, "Nd#"), (0x35420000, "dqribm"), (0x04000000, "i"), (0x00080000, "t"),
])
def test_cache_flags(flags, text):
    assert fmt.cache_flags(flags) == text


def row(dest, iface, gateway, flags, metric, mask, mtu=0, window=0, irtt=0, refcnt=0, use=0):
    return (IP(dest).packed, (iface, IP(gateway).packed, flags, refcnt, use, metric, IP(mask).packed, mtu, window,
                              irtt))


ROWS = [
    row("10.1.0.0", "v0", "0.0.0.0", 0x1, 0, "255.255.255.0"),
    row("10.10.0.0", "averylongname15", "10.1.0.2", 0x3, 5, "255.255.0.0", 1400, 8192, 50),
    row("10.11.0.0", "*", "0.0.0.0", 0x201, 7, "255.255.0.0"),
    row("10.53.0.0", "v0", "0.0.0.0", 0x1, 4294967295, "255.255.0.0", use=2**40),
    row("10.60.0.0", "v0", "0.0.0.0", 0x0, 0, "255.255.0.0"),  # not up: net-tools leaves it out
]


def test_plain_listing():
    assert fmt.ipv4_table(ROWS, 1) == (
        "Kernel IP routing table\n"
        "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n"
        "10.1.0.0        0.0.0.0         255.255.255.0   U     0      0        0 v0\n"
        "10.10.0.0       10.1.0.2        255.255.0.0     UG    5      0        0 averylongname15\n"
        "10.11.0.0       -               255.255.0.0     !     7      -        0 -\n"
        "10.53.0.0       0.0.0.0         255.255.0.0     U     -1     0        0 v0\n")


def test_extended_listings():
    assert fmt.ipv4_table(ROWS[:4], 2).splitlines()[1:] == [
        "Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface",
        "10.1.0.0        0.0.0.0         255.255.255.0   U         0 0          0 v0",
        "10.10.0.0       10.1.0.2        255.255.0.0     UG     1400 8192      50 averylongname15",
        "10.11.0.0       -               255.255.0.0     !         - -          - -",
        "10.53.0.0       0.0.0.0         255.255.0.0     U         0 0          0 v0",
    ]
    assert fmt.ipv4_table(ROWS[:4], 3).splitlines()[1:] == [
        "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    MSS   Window irtt",
        "10.1.0.0        0.0.0.0         255.255.255.0   U     0      0        0 v0       0     0      0",
        "10.10.0.0       10.1.0.2        255.255.0.0     UG    5      0        0 averyl   1400  8192   50",
        "10.11.0.0       -               255.255.0.0     !     7      -        0 -        -     -      -",
        "10.53.0.0       0.0.0.0         255.255.0.0     U     -1     0        0 v0       0     0      0",
    ]
    # Four -e: net-tools' style number wraps to 0, which prints the title alone.
    assert fmt.ipv4_table(ROWS, 0) == "Kernel IP routing table\n"


@pytest.mark.parametrize("value, held", [(0, 0), (2**31 - 1, 2**31 - 1), (2**31, -2**31), (2**32 - 1, -1),
                                         (2**40 + 5, 5), (2**70, -1), (-2**70, 0)])
def test_scanned_int(value, held):
    assert fmt.scanned_int(value) == held


def names_db(tmp_path, hosts: str, networks: str) -> netdb.Database:
    (tmp_path / "hosts").write_text(hosts)
    (tmp_path / "networks").write_text(networks)
    return netdb.Database(str(tmp_path / "hosts"), str(tmp_path / "networks"))


def test_names(tmp_path):
    db = names_db(tmp_path, "10.1.0.2 gw-two\n10.9.1.1 averyveryverylonghostname\n",
                  "tennet 10.9\nnet1 10.1.0.0\nzero 0.1.0.0\n")
    table = [
        row("0.0.0.0", "v0", "10.1.0.2", 0x3, 0, "0.0.0.0"),
        row("0.0.0.0", "v0", "0.0.0.0", 0x1, 0, "128.0.0.0"),
        row("10.9.0.0", "v0", "0.0.0.0", 0x1, 0, "255.255.0.0"),
        row("10.9.1.1", "v0", "10.1.0.2", 0x7, 0, "255.255.255.255"),
        row("10.1.0.0", "v0", "0.0.0.0", 0x1, 0, "255.255.0.0"),
        row("10.1.0.0", "v0", "0.0.0.0", 0x5, 0, "255.255.0.0"),  # a host route: hosts, not networks
        row("0.1.0.0", "v0", "10.1.0.3", 0x3, 0, "255.255.0.0"),
    ]
    assert [line[:32] for line in fmt.ipv4_table(table, 1, db).splitlines()[2:]] == [
        "default         gw-two          ",
        "0.0.0.0         0.0.0.0         ",
        "tennet          0.0.0.0         ",
        "averyveryverylo gw-two          ",
        "net1            0.0.0.0         ",
        "10.1.0.0        0.0.0.0         ",
        "zero            10.1.0.3        ",
    ]


def test_ipv6_listing(tmp_path):
    A = ipaddress.IPv6Address
    table = [
        routes.Route6(A("2001:db8::"), 64, A("::"), 0, A("::"), 256, 1, 0, 0x1, "v0"),
        routes.Route6(A("::"), 0, A("::"), 0, A("fe80::1"), 1024, 2, 123456, 0x00450003, "averylongname15"),
        routes.Route6(A("::"), 0, A("::"), 0, A("::"), 0xFFFFFFFF, 1, 0, 0x00200200, "lo"),
        routes.Route6(A("::ffff:1.2.3.0"), 120, A("::"), 0, A("::"), 1024, 1, 0, 0x1, "v0"),
        routes.Route6(A("2001:db8::9"), 128, A("::"), 0, A("::"), 0, 1, 0, 0x01000005, "v0"),
    ]
    header = ("Destination                    Next Hop                   Flag Met Ref  Use If\n")
    assert fmt.ipv6_table(table) == (
        "Kernel IPv6 routing table\n" + header +
        "2001:db8::/64                  ::                         U    256 1      0 v0\n"
        "::/0                           fe80::1                    UGDAe 1024 2 123456 averylongname15\n"
        "::/0                           ::                         !n   -1  1      0 lo\n"
        "1.2.3.0/120                    ::                         U    1024 1      0 v0\n")
    assert fmt.ipv6_table(table, cache=True) == (
        "Kernel IPv6 routing cache\n" + header +
        "2001:db8::9/128                ::                         UHC  0   1      0 v0\n")
    db = names_db(tmp_path, "fe80::1 router\n::ffff:1.2.3.0 mapped\n", "")
    named = fmt.ipv6_table(table, db=db).splitlines()
    assert named[3].startswith("[::]/0                         router      ")
    assert named[5].startswith("mapped/120                     [::]        ")


def test_routing_cache_rows():
    entry = routes.CachedRoute("eth0", IP("10.0.0.9"), IP("10.0.0.1"), 0x80000002, 1, 2, 3, IP("10.0.0.5"), 1500, 4,
                               5, 16, -1, 1, IP("10.0.0.5"))
    assert fmt.ipv4_cache([entry], 1) == (
        "Kernel IP routing cache\n"
        "Source          Destination     Gateway         Flags Metric Ref    Use Iface\n"
        "10.0.0.5        10.0.0.9        10.0.0.1        Gl    3      1        2 eth0\n")
    assert fmt.ipv4_cache([entry], 2).splitlines()[2] == (
        "10.0.0.5        10.0.0.9        10.0.0.1        Gl     1500 4          5 eth0")
    assert fmt.ipv4_cache([entry], 3).splitlines()[1:] == [
        "Source          Destination     Gateway         Flags Metric Ref    Use Iface    MSS   Window irtt  TOS "
        "HHRef HHUptod     SpecDst",
        "10.0.0.5        10.0.0.9        10.0.0.1        Gl    3      1        2 eth0     1500  4      5     16  -1"
        "    1          10.0.0.5",
    ]
