"""Every `sockctl ifconfig` write path, against net-tools doing the same in a twin namespace.

Two namespaces start identical (fixed MAC addresses, so even IPv6 link-local
addresses match). The same command line goes to net-tools in one and to
sockctl in the other; afterwards net-tools' `ifconfig -a` must read the same
in both (counter lines aside), and `ip -j` must show the expected values.
"""

import json

import pytest

import nstest

SETUP = """
link add w0 address 02:00:00:00:00:10 type veth peer name w1 address 02:00:00:00:00:11
addr add 10.0.0.1/24 brd + dev w0
link set w0 up
tuntap add t0 mode tun
addr add 10.8.0.1 peer 10.8.0.2 dev t0
link set t0 up
"""


def _listing(ns) -> list[bytes]:
    """net-tools' view of the namespace, without the counter lines."""
    out = ns.exec("ifconfig", "-a", check=True).stdout
    return [line for line in out.splitlines() if not line.lstrip().startswith((b"RX ", b"TX "))]


def _ip(ns) -> dict:
    links = json.loads(ns.exec("ip", "-j", "-d", "addr", "show", check=True).stdout)
    return {link["ifname"]: link for link in links}


def _inet(link, family="inet"):
    return {(a["local"], a["prefixlen"]) for a in link.get("addr_info", []) if a["family"] == family}


def _flags(link):
    return set(link["flags"])


CASES = [
    ([["w0", "10.2.3.4"]], lambda ip: ("10.2.3.4", 8) in _inet(ip["w0"])),
    ([["w0", "10.2.3.4/20"]], lambda ip: ("10.2.3.4", 20) in _inet(ip["w0"])),
    ([["w1", "192.168.7.1", "netmask", "255.255.255.128", "broadcast", "192.168.7.127"]],
     lambda ip: ("192.168.7.1", 25) in _inet(ip["w1"]) and ip["w1"]["addr_info"][0]["broadcast"] == "192.168.7.127"),
    ([["w0", "netmask", "255.255.0.0"]], lambda ip: ("10.0.0.1", 16) in _inet(ip["w0"])),
    ([["w0", "broadcast", "10.0.0.200"]], lambda ip: ip["w0"]["addr_info"][0]["broadcast"] == "10.0.0.200"),
    ([["w0", "mtu", "1280"]], lambda ip: ip["w0"]["mtu"] == 1280),
    ([["w0", "txqueuelen", "77"]], lambda ip: ip["w0"]["txqlen"] == 77),
    ([["w1", "up"]], lambda ip: "UP" in _flags(ip["w1"])),
    ([["w0", "down"]], lambda ip: "UP" not in _flags(ip["w0"])),
    ([["w0", "promisc"]], lambda ip: "PROMISC" in _flags(ip["w0"])),
    ([["w0", "promisc"], ["w0", "-promisc"]], lambda ip: "PROMISC" not in _flags(ip["w0"])),
    ([["w0", "-arp"]], lambda ip: "NOARP" in _flags(ip["w0"])),
    ([["w0", "-arp"], ["w0", "arp"]], lambda ip: "NOARP" not in _flags(ip["w0"])),
    ([["w0", "allmulti"]], lambda ip: "ALLMULTI" in _flags(ip["w0"])),
    ([["w0", "allmulti"], ["w0", "-allmulti"]], lambda ip: "ALLMULTI" not in _flags(ip["w0"])),
    ([["w0", "-multicast"]], lambda ip: "MULTICAST" not in _flags(ip["w0"])),
    ([["w0", "-multicast"], ["w0", "multicast"]], lambda ip: "MULTICAST" in _flags(ip["w0"])),
    ([["w0", "dynamic"]], lambda ip: "DYNAMIC" in _flags(ip["w0"])),
    ([["w0", "-trailers"]], lambda ip: "NOTRAILERS" in _flags(ip["w0"])),
    ([["w0", "hw", "ether", "02:11:22:33:44:55"]], lambda ip: ip["w0"]["address"] == "02:11:22:33:44:55"),
    ([["w0", "add", "2001:db8::9/64"]], lambda ip: ("2001:db8::9", 64) in _inet(ip["w0"], "inet6")),
    ([["w0", "add", "2001:db8::9"]], lambda ip: ("2001:db8::9", 128) in _inet(ip["w0"], "inet6")),
    ([["w0", "add", "2001:db8::9/64"], ["w0", "del", "2001:db8::9/64"]],
     lambda ip: ("2001:db8::9", 64) not in _inet(ip["w0"], "inet6")),
    ([["w0", "add", "10.0.0.77"]],
     lambda ip: any(a.get("label") == "w0:0" and a["local"] == "10.0.0.77" for a in ip["w0"]["addr_info"])),
    ([["w0", "add", "10.0.0.77"], ["w0", "add", "10.0.0.78"], ["w0", "del", "10.0.0.77"]],
     lambda ip: {a.get("label") for a in ip["w0"]["addr_info"] if a["family"] == "inet"} == {"w0", "w0:1"}),
    ([["w0:5", "10.0.0.55"]],
     lambda ip: any(a.get("label") == "w0:5" for a in ip["w0"]["addr_info"])),
    ([["w0:5", "10.0.0.55"], ["w0:5", "down"]],
     lambda ip: not any(a.get("label") == "w0:5" for a in ip["w0"]["addr_info"])),
    ([["t0", "pointopoint", "10.9.9.9"]],
     lambda ip: ip["t0"]["addr_info"][0].get("address") == "10.9.9.9"),
    ([["t0", "dstaddr", "10.9.9.10"]], lambda ip: ip["t0"]["addr_info"][0].get("address") == "10.9.9.10"),
    ([["w1", "name", "renamed0"]], lambda ip: "renamed0" in ip and "w1" not in ip),
    ([["w1", "10.3.0.1/24", "mtu", "1400", "txqueuelen", "33", "promisc", "allmulti", "-arp", "up"]],
     lambda ip: (("10.3.0.1", 24) in _inet(ip["w1"]) and ip["w1"]["mtu"] == 1400 and ip["w1"]["txqlen"] == 33
                 and {"PROMISC", "ALLMULTI", "NOARP", "UP"} <= _flags(ip["w1"]))),
    ([["w0", "mtu", "1400", "mtu", "1300", "netmask", "255.255.255.252", "-broadcast", "broadcast"]],
     lambda ip: ip["w0"]["mtu"] == 1300 and ("10.0.0.1", 30) in _inet(ip["w0"])),
]


@pytest.fixture
def twins():
    with nstest.twins(SETUP) as (peer, ours):
        assert _listing(peer) == _listing(ours)
        yield peer, ours


@pytest.mark.parametrize("steps, check", CASES, ids=lambda v: " ; ".join(" ".join(s) for s in v)
                         if isinstance(v, list) else "")
def test_write_matches_net_tools(twins, steps, check):
    peer, ours = twins
    for argv in steps:
        theirs = peer.exec("ifconfig", *argv)
        mine = ours.sockctl("ifconfig", *argv)
        assert theirs.returncode == 0, theirs.stderr
        assert mine.returncode == 0, mine.stderr
        assert mine.stdout == b"" and mine.stderr == theirs.stderr
    assert _listing(ours) == _listing(peer)
    assert check(_ip(ours))
    assert check(_ip(peer))  # the expectation holds for net-tools too


def test_both_refuse_what_the_device_cannot_do(twins):
    """veth has no I/O map: net-tools and sockctl both fail, and nothing changes."""
    peer, ours = twins
    before = _listing(ours)
    for argv in (["w0", "irq", "5"], ["w0", "io_addr", "0x300"], ["w0", "mem_start", "0xd0000"]):
        assert peer.exec("ifconfig", *argv).returncode != 0
        mine = ours.sockctl("ifconfig", *argv)
        assert mine.returncode == 1
        assert mine.stderr.count(b"\n") == 1 and b"not supported" in mine.stderr
    assert _listing(ours) == before == _listing(peer)


def test_media_auto_sets_automedia(ns):
    """net-tools sets the flag and then trips over the word `auto' as an address; sockctl just sets it."""
    ns.script(SETUP)
    assert ns.sockctl("ifconfig", "w0", "media", "auto").returncode == 0
    first_line = ns.exec("ifconfig", "w0", check=True).stdout.splitlines()[0]
    flags = int(first_line.split(b"flags=")[1].split(b"<")[0])
    assert flags & 0x4000  # IFF_AUTOMEDIA
