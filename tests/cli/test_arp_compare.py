"""`sockctl arp` against net-tools `arp`, byte for byte, on the same kernel state.

One namespace holds entries of every kind: permanent, reachable, stale,
delayed and probed neighbours, incomplete and failed ones (one made by
sending a datagram nobody answers, inside the namespace), proxy entries
(by ip and by net-tools), an entry on a device without a hardware address,
one on a device with a 15-character name, one of 0.1.2.3, and enough of
them to fill more than a page. Names come from fixed /etc files: no DNS.
"""

import sys

import pytest

import nstest
from etcfiles import EtcFiles

SETUP = """
link add v0 address 02:00:00:00:0a:00 type veth peer name v1 address 02:00:00:00:0a:01
link add averylongname15 address 02:00:00:00:0b:00 type veth peer name w1 address 02:00:00:00:0b:01
tuntap add tun0 mode tun
addr add 10.2.0.1/16 dev v0
addr add 10.3.0.1/24 dev averylongname15
addr add 10.8.0.1/24 dev tun0
link set v0 up
link set v1 up
link set averylongname15 up
link set w1 up
link set tun0 up
neigh add 10.2.0.10 lladdr 02:00:00:00:00:10 dev v0 nud reachable
neigh add 10.2.0.11 lladdr 02:00:00:00:00:11 dev v0 nud stale
neigh add 10.2.0.13 dev v0 nud incomplete
neigh add 10.2.0.14 lladdr 02:00:00:00:00:14 dev v0 nud delay
neigh add 10.2.0.15 lladdr 02:00:00:00:00:15 dev v0 nud probe
neigh add 10.2.0.16 lladdr 02:00:00:00:00:16 dev v0 nud failed
neigh add 10.2.0.17 dev v0 nud none
neigh add 10.2.0.0 lladdr 02:00:00:00:00:20 dev v0 nud permanent
neigh add 0.1.2.3 lladdr 02:00:00:00:01:23 dev v0 nud permanent
neigh add 10.3.0.5 lladdr 02:00:00:00:03:05 dev averylongname15 nud permanent
neigh add 10.8.0.5 dev tun0 nud permanent
neigh add proxy 10.2.0.60 dev v0
neigh add proxy 10.3.0.61 dev averylongname15
"""

HOSTS = """\
10.2.0.10 ten.example.org
10.2.0.11 averyveryverylonghostname.example.com
10.2.0.0 zero-host
10.2.0.60 proxied
10.3.0.5 five
"""

NETWORKS = "onetwo 0.1.2.3\nten 10.2.0.0\n"

NUMERIC = [
    ["-n"], ["-an"], ["-en"], ["-aen"], ["-vn"], ["-avn"], ["-n", "-i", "v0"], ["-n", "-i", "averylongname15"],
    ["-n", "-i", "tun0"], ["-n", "-i", "nosuch0"], ["-an", "-i", "nosuch0"], ["-n", "-H", "ether"],
    ["-n", "-H", "arcnet"], ["-vn", "-H", "ax25"], ["-n", "10.2.0.10"], ["-n", "10.2.0.200"], ["-an", "10.2.0.200"],
    ["-n", "-i", "v0", "10.2.0.10"], ["-n", "-i", "v1", "10.2.0.10"], ["--numeric", "--all"], ["-n", "--device",
    "v0"], ["-nHether"], ["-n", "-t", "ether"], ["-n", "-A", "inet"], ["-n", "-p", "inet"], ["-a", "-n", "-e", "-v"],
]
NAMED = [[], ["-a"], ["-e"], ["-v"], ["-a", "-v"], ["ten.example.org"], ["-a", "proxied"], ["onetwo"], ["ten"],
         ["-a", "-i", "v0"]]


@pytest.fixture(scope="module")
def cache():
    with nstest.prepared("arp", SETUP) as ns:
        lines = [f"neigh add 10.2.{1 + i // 200}.{1 + i % 200} lladdr 02:00:00:00:{i // 256:02x}:{i % 256:02x} dev v0 "
                 f"nud permanent" for i in range(300)]
        ns.script("\n".join(lines))
        # An entry net-tools makes, and one nobody answers (net-tools prints it as incomplete).
        ns.exec("arp", "-i", "v0", "-Ds", "10.2.0.61", "v0", "pub", check=True)
        ns.exec(sys.executable, "-c", "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM)"
                ".sendto(b'x', ('10.2.0.99', 9))", check=True)
        yield ns


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return EtcFiles(tmp_path_factory.mktemp("etc"), HOSTS, NETWORKS)


@pytest.mark.parametrize("args", NUMERIC, ids=" ".join)
def test_numeric_listings(cache, args):
    peer, mine = nstest.settled(cache, ["arp", *args], ["arp", *args])
    assert mine.stdout == peer.stdout
    assert mine.stderr == peer.stderr
    assert mine.returncode == peer.returncode == 0


def test_the_cache_has_every_kind(cache):
    listing = cache.exec("arp", "-n", check=True).stdout.decode()
    for text in ("(incomplete)", "<from_interface>    MP", "02:00:00:00:00:10   C ", "02:00:00:00:03:05   CM",
                 "averylongname15", "0.0.0.0                  ether                       CM                    tun0",
                 "0.1.2.3 "):
        assert text in listing
    assert listing.count("\n") > 300


@pytest.mark.parametrize("args", NAMED, ids=lambda a: " ".join(a) or "(none)")
def test_named_listings(cache, files, args):
    peer, mine = files.settled(cache, ["arp", *args])
    assert mine.stdout == peer.stdout
    assert mine.returncode == peer.returncode == 0


def test_names_came_from_the_files(cache, files):
    listing = files.peer(cache, "arp", "-a").stdout.decode()
    for text in ("ten.example.org (10.2.0.10)", "averyveryverylonghostname.example.com (10.2.0.11)",
                 "onetwo (0.1.2.3)", "zero-host (10.2.0.0)", "five (10.3.0.5)"):
        assert text in listing


def test_empty_cache(ns):
    for args in (["-n"], ["-an"], ["-vn"], ["-n", "-i", "lo"], ["-n", "10.9.9.9"]):
        peer, mine = nstest.settled(ns, ["arp", *args], ["arp", *args])
        assert (mine.stdout, mine.returncode) == (peer.stdout, peer.returncode)


def test_help(cache):
    peer, mine = cache.exec("arp", "-h"), cache.sockctl("arp", "-h")
    assert (mine.stdout, mine.stderr, mine.returncode) == (peer.stdout, peer.stderr, peer.returncode)


def test_json_and_library(cache):
    import json
    from ipaddress import IPv4Address

    import sockctl
    from sockctl import arp

    doc = json.loads(cache.sockctl("arp", "-n", json=True, check=True).stdout)
    by_address = {e["address"]: e for e in doc["arp"]}
    assert by_address["10.3.0.5"] == {"address": "10.3.0.5", "hwtype": 1, "flags": 6, "hwaddr": "02:00:00:00:03:05",
                                      "mask": "*", "device": "averylongname15"}
    assert by_address["10.2.0.60"]["flags"] == 0x0C
    with sockctl.netns(cache.name):
        entries = arp.entries()
        found = arp.get_entry(IPv4Address("10.3.0.5"), "averylongname15")
    assert len(entries) == len(doc["arp"])
    assert found.hwaddr == bytes.fromhex("020000000305") and found.flags == 6 and found.device == "averylongname15"
