"""Every `sockctl arp -s|-d|-f` path, against net-tools doing the same in a twin namespace.

Two namespaces start identical. The same command line goes to net-tools in
one and to sockctl in the other; afterwards `ip neigh` (entries and proxy
entries) and net-tools' listing must read the same in both, and `ip -j`
must show what was asked. Names come from fixed /etc files.
"""

import json

import pytest

import nstest
from etcfiles import EtcFiles
from tablestate import ARP_SETUP as SETUP, neighbours


HOSTS = "10.2.0.40 forty\n10.2.0.41 fortyone\n"


def entry(ns, address: str) -> dict | None:
    found = [e for e in json.loads(ns.exec("ip", "-j", "neigh", "show", check=True).stdout) if e["dst"] == address]
    return found[0] if found else None


def is_proxy(ns, address: str) -> bool:
    return any(e["dst"] == address for e in json.loads(ns.exec("ip", "-j", "neigh", "show", "proxy").stdout))


def state(address, lladdr, nud):
    return lambda ns: (entry(ns, address) or {}).get("lladdr") == lladdr and nud in entry(ns, address)["state"]


ETHERS = """\
# an ethers file: either order, comments, blank lines, quotes and modifiers
02:00:00:00:00:40 forty

10.2.0.42 02:00:00:00:00:42 temp
"02:00:00:00:00:43" 10.2.0.43
02:00:00:00:0a:00 10.2.0.44 pub
fortyone 02:00:00:00:00:41
10.2.0.30 02:00:00:00:00:99
"""

CASES = [
    ([["-s", "10.2.0.50", "02:00:00:00:00:50"]], state("10.2.0.50", "02:00:00:00:00:50", "PERMANENT")),
    ([["-s", "10.2.0.50", "2:0:0:0:0:5a", "temp"]], state("10.2.0.50", "02:00:00:00:00:5a", "STALE")),
    ([["-s", "10.2.0.50", "02:00:00:00:00:50", "dev", "v0"]], state("10.2.0.50", "02:00:00:00:00:50", "PERMANENT")),
    ([["-i", "v0", "-s", "10.2.0.50", "02:00:00:00:00:50", "trail", "auto"]],
     state("10.2.0.50", "02:00:00:00:00:50", "PERMANENT")),
    ([["-H", "ether", "-s", "forty", "02:00:00:00:00:40"]], state("10.2.0.40", "02:00:00:00:00:40", "PERMANENT")),
    ([["-s", "10.2.0.30", "02:00:00:00:00:77"]], state("10.2.0.30", "02:00:00:00:00:77", "PERMANENT")),  # replaces
    ([["-s", "10.2.0.51", "02:00:00:00:0a:00", "pub"]], lambda ns: is_proxy(ns, "10.2.0.51")),
    ([["-s", "10.2.0.51", "02:00:00:00:0a:00", "netmask", "255.255.255.255", "pub"]],
     lambda ns: is_proxy(ns, "10.2.0.51")),
    ([["-i", "v0", "-Ds", "10.2.0.52", "v1", "pub"]], lambda ns: is_proxy(ns, "10.2.0.52")),
    ([["-Ds", "10.2.0.53", "v1"]], state("10.2.0.53", "02:00:00:00:0a:01", "PERMANENT")),
    ([["-d", "10.2.0.30"]], lambda ns: entry(ns, "10.2.0.30") is None),
    ([["-d", "10.2.0.31", "dev", "v0"]], lambda ns: entry(ns, "10.2.0.31") is None),
    ([["-i", "v0", "-d", "10.2.0.32"]], lambda ns: not is_proxy(ns, "10.2.0.32")),
    ([["-i", "v0", "-d", "10.2.0.32", "pub"]], lambda ns: not is_proxy(ns, "10.2.0.32")),
    ([["-s", "10.2.0.50", "02:00:00:00:00:50"], ["--delete", "10.2.0.50", "temp"]],
     lambda ns: entry(ns, "10.2.0.50") is None),
    ([["-f", "ETHERS"]], lambda ns: (state("10.2.0.40", "02:00:00:00:00:40", "PERMANENT")(ns)
                                     and state("10.2.0.42", "02:00:00:00:00:42", "STALE")(ns)
                                     and state("10.2.0.43", "02:00:00:00:00:43", "PERMANENT")(ns)
                                     and is_proxy(ns, "10.2.0.44")
                                     and state("10.2.0.41", "02:00:00:00:00:41", "PERMANENT")(ns)
                                     and state("10.2.0.30", "02:00:00:00:00:99", "PERMANENT")(ns))),
]


@pytest.fixture
def twins(tmp_path):
    files = EtcFiles(tmp_path, HOSTS, "")
    (tmp_path / "ethers").write_text(ETHERS)
    with nstest.twins(SETUP) as (peer, ours):
        assert neighbours(peer) == neighbours(ours)
        yield peer, ours, files, str(tmp_path / "ethers")


@pytest.mark.parametrize("steps, check", CASES, ids=lambda v: " ; ".join(" ".join(s) for s in v)
                         if isinstance(v, list) else "")
def test_write_matches_net_tools(twins, steps, check):
    peer, ours, files, ethers = twins
    for argv in steps:
        argv = [ethers if a == "ETHERS" else a for a in argv]
        theirs = files.peer(peer, "arp", *argv)
        mine = files.sockctl(ours, "arp", *argv)
        assert (theirs.returncode, theirs.stderr) == (0, b"")
        assert (mine.returncode, mine.stdout, mine.stderr) == (0, b"", b"")
    assert neighbours(ours) == neighbours(peer)
    # The kernel's hash order is not the same in two namespaces: the listings compare as sets of lines.
    assert sorted(ours.exec("arp", "-n").stdout.splitlines()) == sorted(peer.exec("arp", "-n").stdout.splitlines())
    assert check(ours)
    assert check(peer)  # the expectation holds for net-tools too


@pytest.mark.parametrize("argv", [
    ["-d", "10.2.0.99"],
    ["-d", "10.2.0.32"],  # a proxy entry is found only on its device
    ["-i", "v0", "-d", "10.2.0.99", "pub"],
    ["-s", "10.2.0.51", "02:00:00:00:00:51", "pub"],  # no device has that address
    ["-s", "10.2.0.52", "02:00:00:00:00:52", "dontpub"],
    ["-s", "10.2.0.53", "02:00:00:00:0a:00", "netmask", "255.255.255.0", "pub"],
    ["-i", "nosuch0", "-s", "10.2.0.54", "02:00:00:00:00:54"],
    ["-H", "arcnet", "-s", "10.2.0.55", "01"],  # the device is not ARCnet
])
def test_refusals_say_what_net_tools_says(twins, argv):
    peer, ours, files, _ = twins
    before = neighbours(ours)
    theirs = files.peer(peer, "arp", *argv)
    mine = files.sockctl(ours, "arp", *argv)
    assert theirs.returncode == mine.returncode == 255
    # net-tools prints "No ARP entry" on stdout; sockctl keeps errors on stderr.
    assert mine.stderr == theirs.stdout + theirs.stderr and mine.stdout == b""
    assert neighbours(ours) == before == neighbours(peer)


def test_library_sets_gets_and_deletes(ns):
    from ipaddress import IPv4Address

    import sockctl
    from sockctl import arp
    from sockctl.abi.arpreq import ATF_COM, ATF_PERM, ATF_PUBL
    from sockctl.errors import NotFound

    ns.script(SETUP)
    mac = bytes.fromhex("020000000060")
    with sockctl.netns(ns.name):
        arp.set_entry(arp.ArpRequest(IPv4Address("10.2.0.60"), mac, flags=ATF_PERM | ATF_COM))
        got = arp.get_entry(IPv4Address("10.2.0.60"), "v0")
        arp.set_entry(arp.ArpRequest(IPv4Address("10.2.0.61"), bytes.fromhex("020000000a00"), flags=ATF_PUBL | ATF_COM))
        arp.delete_entry(arp.ArpRequest(IPv4Address("10.2.0.30")))
        with pytest.raises(NotFound):
            arp.get_entry(IPv4Address("10.2.0.30"), "v0")
    assert got == arp.ArpRequest(IPv4Address("10.2.0.60"), mac, 1, ATF_PERM | ATF_COM, None, "v0")
    assert state("10.2.0.60", "02:00:00:00:00:60", "PERMANENT")(ns)
    assert entry(ns, "10.2.0.30") is None
