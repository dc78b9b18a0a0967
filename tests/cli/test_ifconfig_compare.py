"""`sockctl ifconfig` against net-tools `ifconfig`, byte for byte, on the same kernel state.

One namespace holds a bit of everything: lo, veth pairs up and down, a
bridge with a port, IPv4 aliases, several netmasks and broadcasts, changed
mtu and txqueuelen, promisc/-arp/allmulti/dynamic, IPv6 addresses of every
scope, a tun device with a point-to-point peer, a macvlan, names
that sort naturally (eth2 before eth10), and loopback counters in MiB.
"""

import socket

import pytest

import nstest

SETUP = """
link add a0 address 02:00:00:00:0a:00 type veth peer name a1 address 02:00:00:00:0a:01
link add eth2 address 02:00:00:00:02:00 type veth peer name eth10 address 02:00:00:00:10:00
link add eth1 address 02:00:00:00:01:00 type veth peer name down0 address 02:00:00:00:d0:00
link add br0 address 02:00:00:00:b0:00 type bridge
link set eth10 master br0
link add mv0 link a1 address 02:00:00:00:0f:00 type macvlan
tuntap add tun0 mode tun
addr add 10.0.0.1/24 brd + dev a0
addr add 10.0.0.2/24 brd + dev a0 label a0:1
addr add 172.16.5.9/12 dev a0 label a0:12
addr add 10.0.0.3/24 dev a0 label a0:2
addr add 192.168.100.1/30 brd + dev a1
addr add 10.7.7.7/32 dev eth2
addr add 10.1.0.1/16 brd 10.1.255.254 dev br0
addr add 10.8.0.1 peer 10.8.0.2 dev tun0
addr add 2001:db8::1/64 dev a0
addr add fd00:1::1/48 dev a0
addr add fec0::5/64 dev a1
addr add ::1.2.3.5/96 dev a1
addr add ::ffff:1.2.3.4/128 dev a1
link set a0 mtu 9000
link set a1 txqueuelen 50
link set eth2 promisc on
link set eth1 arp off
link set a1 allmulticast on
link set eth1 dynamic on
link set a0 up
link set a1 up
link set eth2 up
link set eth10 up
link set eth1 up
link set br0 up
link set tun0 up
"""

MODES = [[], ["-a"], ["-s"], ["-a", "-s"], ["-s", "-a"], ["-v"], ["-v", "-a"], ["-a", "-v", "-s"]]
SINGLE = ["lo", "a0", "a0:1", "a0:12", "a0:2", "a0:7", "a1", "eth2", "eth10", "eth1", "down0", "br0",
          "tun0", "mv0", "nosuch0"]


@pytest.fixture(scope="module")
def rich():
    with nstest.prepared("ifcfg", SETUP) as ns:
        # Put a few MiB through loopback so its counters need the MiB unit.
        ns.exec("python3", "-c", _LOOPBACK_TRAFFIC, check=True)
        yield ns


_LOOPBACK_TRAFFIC = """
import socket
rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); rx.bind(("127.0.0.1", 0))
tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(200):
    tx.sendto(b"x" * 16000, rx.getsockname())
"""


@pytest.mark.parametrize("args", MODES, ids=lambda a: " ".join(a) or "(none)")
def test_listing_modes(rich, args):
    peer, mine = nstest.settled(rich, ["ifconfig", *args], ["ifconfig", *args])
    assert mine.stdout == peer.stdout
    assert mine.returncode == peer.returncode == 0
    assert b"MiB" in nstest.run(["ip", "netns", "exec", rich.name, "ifconfig", "lo"]).stdout


@pytest.mark.parametrize("name", SINGLE)
@pytest.mark.parametrize("short", [False, True], ids=["long", "short"])
def test_single_interface(rich, name, short):
    args = (["-s"] if short else []) + [name]
    peer, mine = nstest.settled(rich, ["ifconfig", *args], ["ifconfig", *args])
    assert mine.stdout == peer.stdout
    assert mine.returncode == peer.returncode
    assert mine.stderr == peer.stderr  # "nosuch0: error fetching interface information: Device not found"


def test_down_interface_and_states(ns):
    """Interfaces going down and coming back, compared at each step."""
    ns.script("""
        link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02
        addr add 198.51.100.1/25 brd + dev v0
        link set v0 up
    """)
    for step in ["link set v1 up", "link set v0 down", "link set v0 up", "link set v1 down"]:
        ns.ip(*step.split())
        for args in (["-a"], [], ["-s", "-a"]):
            peer, mine = nstest.settled(ns, ["ifconfig", *args], ["ifconfig", *args])
            assert mine.stdout == peer.stdout, f"after {step!r}: ifconfig {' '.join(args)}"


def test_empty_namespace(ns):
    ns.ip("link", "set", "lo", "down")
    for args in ([], ["-a"], ["-s"]):
        peer, mine = nstest.settled(ns, ["ifconfig", *args], ["ifconfig", *args])
        assert mine.stdout == peer.stdout


def test_json_carries_the_same_information(rich):
    import json

    doc = json.loads(rich.sockctl("ifconfig", "-a", json=True, check=True).stdout)
    by_name = {i["name"]: i for i in doc["interfaces"]}
    assert list(by_name)[:3] == ["a0", "a0:1", "a0:2"]  # net-tools order
    a0 = by_name["a0"]
    assert a0["address"] == "10.0.0.1" and a0["netmask"] == "255.255.255.0" and a0["mtu"] == 9000
    assert a0["hwaddr"] == "02:00:00:00:0a:00" and a0["hwtype_name"] == "ether"
    assert "UP" in a0["flag_names"]
    assert {(i["address"], i["prefixlen"], i["scope_name"]) for i in a0["inet6"]} >= {
        ("2001:db8::1", 64, "global"), ("fd00:1::1", 48, "global")}
    assert by_name["tun0"]["destination"] == "10.8.0.2"
    assert by_name["a0:1"]["stats"] is None and by_name["lo"]["stats"]["rx_bytes"] > 2**20
    assert by_name["eth1"]["flag_names"].count("DYNAMIC") == 1


def test_library_reads_the_namespace_without_touching_the_callers(rich):
    import sockctl
    from sockctl import interfaces

    home = nstest.netns_inode()
    host_names = set(interfaces.names())
    with sockctl.netns(rich.name):
        assert nstest.netns_inode() != home
        a0 = interfaces.get("a0")
        names = interfaces.names()
    assert nstest.netns_inode() == home
    assert set(interfaces.names()) == host_names
    assert a0.mtu == 9000 and str(a0.address) == "10.0.0.1"
    assert {"a0", "a0:1", "a0:12", "br0", "tun0"} <= set(names)
    assert socket.AF_INET  # the caller's sockets keep working
