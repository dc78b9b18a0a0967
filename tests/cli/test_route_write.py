"""Every `sockctl route add|del` path, against net-tools doing the same in a twin namespace.

Two namespaces start identical (fixed MAC addresses, so even their IPv6
link-local routes match). The same command line goes to net-tools in one
and to sockctl in the other; afterwards `ip route` and `ip -6 route` (all
tables) and net-tools' listings must read the same in both, and `ip -j`
must show what the command asked for. Names come from fixed /etc files.
"""

import json

import pytest

import nstest
from etcfiles import EtcFiles
from tablestate import routes as routes_of

SETUP = """
link add v0 address 02:00:00:00:0a:00 type veth peer name v1 address 02:00:00:00:0a:01
addr add 10.1.0.1/24 dev v0
addr add 10.1.0.5/24 dev v0 label v0:1
addr add 2001:db8::1/64 dev v0 nodad
link set v0 up
link set v1 up
"""

HOSTS = "10.1.0.2 gw-two\n2001:db8::2 v6gw\n"
NETWORKS = "tennet 10.9\n"


def find(ns, dst: str, family: str = "-4") -> list[dict]:
    return [r for r in json.loads(ns.exec("ip", "-j", family, "route", "show", "table", "main", check=True).stdout)
            if r["dst"] == dst]


def listings(ns) -> tuple:
    """net-tools' view of both tables; the IPv6 Ref column is left out (the kernel's users move it)."""
    ipv4 = ns.exec("route", "-nee", check=True).stdout
    ipv6 = [line.split() for line in ns.exec("route", "-6", "-n", check=True).stdout.splitlines()[2:]]
    return ipv4, [words[:4] + words[5:] for words in ipv6]


def has(dst, family="-4", **want):
    def check(ns):
        found = find(ns, dst, family)
        return len(found) == 1 and all(found[0].get(k) == v for k, v in want.items())
    return check


def gone(dst, family="-4"):
    return lambda ns: find(ns, dst, family) == []


CASES = [
    ([["add", "-net", "10.9.0.0/16", "dev", "v0"]], has("10.9.0.0/16", dev="v0", scope="link")),
    ([["add", "-net", "10.9.0.0", "netmask", "255.255.0.0", "dev", "v0"]], has("10.9.0.0/16", dev="v0")),
    ([["add", "-net", "10.9.0.0/0x10", "dev", "v0"]], has("10.9.0.0/16")),
    ([["add", "-host", "10.9.1.1", "gw", "10.1.0.2"]], has("10.9.1.1", gateway="10.1.0.2")),
    ([["add", "10.9.1.1", "gw", "10.1.0.2"]], has("10.9.1.1", gateway="10.1.0.2")),
    ([["add", "default", "gw", "10.1.0.254"]], has("default", gateway="10.1.0.254")),
    ([["add", "-net", "default", "gw", "10.1.0.254", "metric", "3"]], has("default", metric=3)),
    ([["add", "-net", "10.10.0.0/16", "gw", "10.1.0.2", "metric", "5", "mss", "1400", "window", "8192", "irtt",
       "50"]], has("10.10.0.0/16", gateway="10.1.0.2", metric=5, metrics=[{"window": 8192, "rtt": 50,
                                                                             "advmss": 1360}])),
    ([["add", "-net", "10.11.0.0/16", "reject"]], has("10.11.0.0/16", type="unreachable")),
    ([["add", "-net", "10.11.0.0/16", "reject", "metric", "3"]], has("10.11.0.0/16", type="unreachable", metric=3)),
    ([["add", "-net", "10.12.0.0/16", "mod", "dyn", "reinstate", "dev", "v0"]], has("10.12.0.0/16", dev="v0")),
    ([["add", "10.13.0.1", "v0"]], has("10.13.0.1", dev="v0")),
    ([["add", "-net", "10.14.0.0/16", "dev", "v0:1"]], has("10.14.0.0/16", prefsrc="10.1.0.5")),
    ([["add", "-net", "tennet", "netmask", "255.255.0.0", "gw", "gw-two"]], has("10.9.0.0/16", gateway="10.1.0.2")),
    ([["add", "-net", "10.9.0.0/16", "dev", "v0"], ["del", "-net", "10.9.0.0/16"]], gone("10.9.0.0/16")),
    ([["add", "-host", "10.9.1.1", "gw", "10.1.0.2"], ["del", "10.9.1.1"]], gone("10.9.1.1")),
    ([["add", "default", "gw", "10.1.0.254"], ["delete", "default"]], gone("default")),
    ([["add", "-net", "10.11.0.0/16", "reject"], ["del", "-net", "10.11.0.0/16", "reject"]], gone("10.11.0.0/16")),
    ([["add", "-net", "10.9.0.0/16", "dev", "v0", "metric", "4"], ["add", "-net", "10.9.0.0/16", "dev", "v0"],
      ["del", "-net", "10.9.0.0/16", "metric", "4"]], has("10.9.0.0/16", metric=None)),
    ([["add", "-net", "10.9.0.0/16", "gw", "10.1.0.2"], ["add", "-net", "10.9.0.0/16", "gw", "10.1.0.3", "metric", "1"],
      ["del", "-net", "10.9.0.0/16", "gw", "10.1.0.3"]], has("10.9.0.0/16", gateway="10.1.0.2")),
    ([["-A", "inet6", "add", "2001:db8:5::/48", "dev", "v0"]], has("2001:db8:5::/48", "-6", dev="v0", metric=1)),
    ([["-6", "add", "2001:db8:6::/48", "gw", "fe80::1", "dev", "v0"]], has("2001:db8:6::/48", "-6", gateway="fe80::1")),
    ([["-6", "add", "2001:db8::7", "gw", "2001:db8::2", "dev", "v0"]],
     has("2001:db8::7", "-6", gateway="2001:db8::2")),
    ([["-6", "add", "default", "gw", "2001:db8::2", "dev", "v0"]], has("default", "-6", gateway="2001:db8::2")),
    ([["-6", "add", "2001:db8:8::/48", "dev", "v0", "metric", "9"]], has("2001:db8:8::/48", "-6", metric=9)),
    ([["-6", "add", "2001:db8:a::/48", "mod", "dyn", "v0"]], has("2001:db8:a::/48", "-6", dev="v0")),
    ([["-6", "add", "2001:db8:5::/48", "dev", "v0"], ["-6", "del", "2001:db8:5::/48"]], gone("2001:db8:5::/48", "-6")),
    ([["-6", "add", "2001:db8:5::/48", "dev", "v0", "metric", "7"], ["-6", "del", "2001:db8:5::/48", "metric", "7"]],
     gone("2001:db8:5::/48", "-6")),
    ([["-6", "del", "2001:db8::/64", "metric", "256", "dev", "v0"]], gone("2001:db8::/64", "-6")),
]


@pytest.fixture
def twins(tmp_path):
    files = EtcFiles(tmp_path, HOSTS, NETWORKS)
    with nstest.twins(SETUP) as (peer, ours):
        assert routes_of(peer) == routes_of(ours)
        yield peer, ours, files


@pytest.mark.parametrize("steps, check", CASES, ids=lambda v: " ; ".join(" ".join(s) for s in v)
                         if isinstance(v, list) else "")
def test_write_matches_net_tools(twins, steps, check):
    peer, ours, files = twins
    for argv in steps:
        theirs = files.peer(peer, "route", *argv)
        mine = files.sockctl(ours, "route", *argv)
        assert theirs.returncode == 0, theirs.stderr
        assert (mine.returncode, mine.stdout, mine.stderr) == (0, b"", b"")
    assert routes_of(ours) == routes_of(peer)
    assert listings(ours) == listings(peer)
    assert check(ours)
    assert check(peer)  # the expectation holds for net-tools too


@pytest.mark.parametrize("argv", [
    ["add", "-net", "10.9.0.0/16", "gw", "10.99.0.1"],  # unreachable gateway
    ["del", "-net", "10.99.0.0/16"],  # no such route
    ["add", "-net", "10.9.0.0/16", "dev", "nosuch0"],
    ["add", "-net", "10.8.0.0/16", "dev", "v0"],  # exists
    ["add", "-net", "10.9.0.0/16", "dev", "v0:7"],  # no such label
    ["-6", "add", "2001:db8:7::/48", "dev", "nosuch0"],
    ["-6", "del", "2001:db8:99::/48"],
    ["-6", "add", "2001:db8::/64", "dev", "v0", "metric", "256"],  # exists
    ["-6", "add", "2001:db8::7", "gw", "2001:db8::2"],  # a gateway needs a device
])
def test_refusals_say_what_net_tools_says(twins, argv):
    """The kernel's refusal is reported as net-tools reports it: same words, same exit code."""
    peer, ours, files = twins
    for ns in (peer, ours):
        ns.ip("route", "add", "10.8.0.0/16", "dev", "v0", "proto", "boot", "scope", "link")
    before = routes_of(ours)
    theirs = files.peer(peer, "route", *argv)
    mine = files.sockctl(ours, "route", *argv)
    assert theirs.returncode != 0
    assert (mine.returncode, mine.stdout, mine.stderr) == (theirs.returncode, theirs.stdout, theirs.stderr)
    assert routes_of(ours) == before == routes_of(peer)


def test_an_ipv6_gateway_must_be_numeric(twins):
    """net-tools reads an IPv6 gateway with inet_pton alone; its message is herror's muddle."""
    peer, ours, files = twins
    before = routes_of(ours)
    theirs = files.peer(peer, "route", "-6", "add", "2001:db8:9::/48", "gw", "v6gw")
    mine = files.sockctl(ours, "route", "-6", "add", "2001:db8:9::/48", "gw", "v6gw")
    assert theirs.stderr == b"v6gw: Resolver Error 0 (no error)\n"
    assert mine.stderr == b"route: v6gw: Unknown host\n"
    assert mine.returncode == theirs.returncode == 6
    assert routes_of(ours) == before == routes_of(peer)


def test_library_adds_and_deletes(ns):
    """The typed API in a namespace, read back with ip."""
    from ipaddress import IPv4Address, IPv6Address

    import sockctl
    from sockctl import route_edit

    ns.script(SETUP)
    with sockctl.netns(ns.name):
        route_edit.add(route_edit.RouteEntry(IPv4Address("10.20.0.0"), IPv4Address("255.255.0.0"),
                                     gateway=IPv4Address("10.1.0.2"), metric=4))
        route_edit.add(route_edit.Route6Entry(IPv6Address("2001:db8:20::"), 48, dev="v0", metric=0))
        route_edit.add(route_edit.RouteEntry(IPv4Address("10.21.0.0"), IPv4Address("255.255.0.0"), dev="v0"))
        route_edit.delete(route_edit.RouteEntry(IPv4Address("10.21.0.0"), IPv4Address("255.255.0.0")))
    assert has("10.20.0.0/16", gateway="10.1.0.2", metric=4)(ns)
    assert has("2001:db8:20::/48", "-6", metric=1024)(ns)  # metric 0: the kernel's choice
    assert gone("10.21.0.0/16")(ns)
