"""`sockctl route` against net-tools `route`, byte for byte, on the same kernel state.

One namespace holds routes of every kind /proc shows: connected networks,
a default route, host and network routes through gateways, metrics (up to
the largest, which net-tools prints as -1), MSS, window and irtt,
unreachable, prohibit, blackhole and throw routes, a multipath and an
onlink route, a device with a 15-character name, a route of 0.0.0.0/1, and
IPv6 routes of the same kinds, one v4-mapped. Names without -n come from
fixed /etc/hosts and /etc/networks files (tests/etcfiles.py): no DNS.
"""

import pytest

import nstest
from etcfiles import EtcFiles

SETUP = """
link add v0 address 02:00:00:00:0a:00 type veth peer name v1 address 02:00:00:00:0a:01
link add averylongname15 address 02:00:00:00:0b:00 type veth peer name w1 address 02:00:00:00:0b:01
addr add 10.1.0.1/24 dev v0
addr add 10.2.0.1/16 dev averylongname15
addr add 2001:db8::1/64 dev v0
link set v0 up
link set v1 up
link set averylongname15 up
link set w1 up
route add default via 10.1.0.254
route add 10.9.0.0/16 dev v0
route add 10.9.1.1 via 10.1.0.2
route add 10.10.0.0/16 via 10.1.0.2 metric 5 advmss 1360 window 8192 rtt 50ms
route add unreachable 10.11.0.0/16
route add prohibit 10.12.0.0/16
route add blackhole 10.13.0.0/16
route add throw 10.14.0.0/16
route add 10.15.0.1 dev v0
route add 10.53.0.0/16 dev v0 metric 4294967295
route add 10.57.0.0/16 nexthop via 10.1.0.2 nexthop via 10.1.0.3
route add 10.58.0.0/16 via 10.1.0.2 dev v1 onlink
route add 10.59.0.0/16 via 10.2.0.9 dev averylongname15 metric 70000
route add 0.0.0.0/1 via 10.1.0.2
route add 10.1.0.0/24 dev v0 metric 9
route add 10.60.0.0/16 dev v0 table 100
route add 1.2.3.0/24 via 10.1.0.6
route add 10.30.0.0/16 via 10.1.0.0
route add 10.31.0.0/16 via 10.1.0.9
route add 10.32.0.0/16 via 10.1.0.8
route add 2001:db8:5::/48 dev v0
route add 2001:db8:6::/48 via fe80::1 dev v0 metric 7
route add 2001:db8:7::2 via 2001:db8::2
route add default via 2001:db8::2 metric 1
route add blackhole 2001:db8:50::/48
route add prohibit 2001:db8:51::/48
route add unreachable 2001:db8:52::/48
route add ::ffff:1.2.3.0/120 dev v0
route add 2001:db8:53::/48 dev v0 metric 4294967295
route add 2001:db8:54::/48 dev v0 expires 100000
route add 2001:db8:55::/48 via fe80::2 dev v0 table 100
route add 2001:db8:56::/64 from 2001:db8::/64 dev v0
"""

HOSTS = """\
127.0.0.1 localhost
::1 localhost ip6-localhost
10.1.0.2 gw-two gateway2
10.1.0.254 defaultgw.example.org
10.9.1.1 averyveryverylonghostname.example.com
10.15.0.1 host15
10.1.0.6 six
10.1.0.0 zero-host
10.1.0.9
2001:db8::2 v6gw
2001:db8::1 v6self
::ffff:1.2.3.0 mapped-net
fe80::1 linklocal1
2001:db8:7::2 v6host
"""

NETWORKS = """\
default 0.0.0.0
loopback 127.0.0.0
tennet 10.9
net30 10.30.0.0
lan 10.1.0
somewhere 1.2.3
"""

NUMERIC = [
    ["-n"], ["-ne"], ["-nee"], ["-neee"], ["-neeee"], ["-nv"], ["-N"], ["-nF"], ["-nC"], ["-nCe"], ["-nCee"],
    ["-nFC"], ["-4", "-n"], ["--inet", "-n"], ["-A", "inet", "-n"], ["-A", "ip", "-n"], ["--numeric", "--extend"],
    ["-n", "--ext", "--ext"], ["-6", "-n"], ["-A", "inet6", "-n"], ["-6", "-ne"], ["-6", "-nC"], ["-6", "-nFC"],
    ["-4", "-6", "-n"], ["-6", "-4", "-n"], ["-A", "inet,inet6", "-n"], ["--inet6", "-n"], ["-nA", "ip6"],
    ["-n", "-e", "-6", "-C", "-F"],
]
NAMED = [[], ["-e"], ["-ee"], ["-C"], ["-6"], ["-6", "-C"], ["-4", "-6", "-e"]]


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    with nstest.prepared("route", SETUP) as ns:
        yield ns


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return EtcFiles(tmp_path_factory.mktemp("etc"), HOSTS, NETWORKS)


@pytest.mark.parametrize("args", NUMERIC, ids=" ".join)
def test_numeric_listings(table, args):
    peer, mine = nstest.settled(table, ["route", *args], ["route", *args])
    assert mine.stdout == peer.stdout
    assert mine.stderr == peer.stderr == b""
    assert mine.returncode == peer.returncode == 0


def test_the_table_has_every_kind(table):
    listing = table.exec("route", "-nee", check=True).stdout.decode()
    for text in ("UG    0      0        0 v0", "UGH", "!     0      -        0 -", "U     -1     0 ",
                 "averyl   0     0      0", "1400  8192   50", "0.0.0.0         10.1.0.2        128.0.0.0"):
        assert text in listing
    ipv6 = table.exec("route", "-6", "-n", check=True).stdout.decode()
    for text in ("1.2.3.0/120", "!n   1024", "Ue   1024", " -1  ", "fe80::2 "):
        assert text in ipv6


@pytest.mark.parametrize("args", NAMED, ids=lambda a: " ".join(a) or "(none)")
def test_named_listings(table, files, args):
    peer, mine = files.settled(table, ["route", *args])
    assert mine.stdout == peer.stdout
    assert mine.returncode == peer.returncode == 0


def test_names_came_from_the_files(table, files):
    listing = files.peer(table, "route").stdout.decode()
    for name in ("default", "defaultgw.examp", "tennet", "averyveryverylo", "gw-two", "host15", "net30", "lan",
                 "zero-host", "somewhere", "six"):
        assert name in listing
    assert "mapped-net/120" in files.peer(table, "route", "-6").stdout.decode()


def test_empty_table(ns):
    ns.ip("link", "set", "lo", "down")
    for args in (["-n"], ["-nee"], ["-6", "-n"], ["-nC"]):
        peer, mine = nstest.settled(ns, ["route", *args], ["route", *args])
        assert mine.stdout == peer.stdout


def test_help_and_usage(table):
    for args in (["-h"], ["--help"], ["-h", "-A", "inet"], ["-6", "-h"], ["add"]):
        peer, mine = table.exec("route", *args), table.sockctl("route", *args)
        assert mine.stdout == peer.stdout and mine.stderr == peer.stderr
        assert mine.returncode == peer.returncode == 0


def test_json_carries_the_table(table):
    import json

    doc = json.loads(table.sockctl("route", "-4", "-6", "-n", json=True, check=True).stdout)
    default, = [r for r in doc["inet"] if r["destination"] == "0.0.0.0" and r["genmask"] == "0.0.0.0"]
    assert default["gateway"] == "10.1.0.254" and default["flags"] == 3 and default["iface"] == "v0"
    assert {r["destination"] for r in doc["inet"]} >= {"10.9.1.1", "10.11.0.0", "0.0.0.0"}
    assert any(r["destination"] == "::ffff:102:300" and r["prefixlen"] == 120 for r in doc["inet6"])


def test_library_reads_the_namespace(table):
    import sockctl
    from sockctl import routes

    with sockctl.netns(table.name):
        ipv4 = routes.ipv4_table()
        ipv6 = routes.ipv6_table()
    assert any(str(r.destination) == "10.10.0.0" and r.metric == 5 and r.window == 8192 and r.irtt == 50
               for r in ipv4)
    assert any(str(r.destination) == "2001:db8:6::" and str(r.next_hop) == "fe80::1" and r.metric == 7
               for r in ipv6)
