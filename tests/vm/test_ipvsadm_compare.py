"""Every ipvsadm listing, byte for byte, against ipvsadm 1.31 on the same IPVS state (in the VM).

ipvsadm reads the state over generic netlink; where it shows what only
netlink carries (the sync daemon's group and port), it is also run forced
onto the socket options, which is what sockctl shows. Most listings run
sockctl's command in the test's own process (``ipvstest.mine``); a few go
through a process of their own, as a user runs them.
"""

import json

import pytest

import ipvstest
import nstest
from etcfiles import EtcFiles

pytestmark = pytest.mark.vm

# Numeric listings; those that name hosts run with the test's own /etc files (test_names_from_etc_files).
LISTINGS = [
    ["-l", "-n"], ["-Ln"], ["-L", "-n", "--stats"], ["-L", "-n", "--rate"], ["-L", "-n", "--thresholds"],
    ["-L", "-n", "--persistent-conn"], ["-L", "-n", "--stats", "--exact"], ["-L", "-n", "--rate", "--exact"],
    ["-L", "-n", "--nosort"], ["-L", "-n", "--sort"], ["-S", "-n"], ["--save", "--numeric"], ["-L", "--timeout"],
    ["-L", "-n", "-t", "10.0.0.1:80"], ["-L", "-n", "--stats", "-t", "192.168.50.1:443"],
    ["-L", "-n", "-u", "10.0.0.2:53"], ["-L", "-n", "-f", "2882430849"], ["-L", "-n", "--sctp-service", "10.0.0.3:9999"],
    ["-L", "-n", "--thresholds", "-f", "1"], ["-L", "-n", "--persistent-conn", "-t", "192.168.50.1:https"],
]


@pytest.fixture(scope="module")
def table():
    """One namespace for the module's listings (each boot and process costs seconds under emulation)."""
    with nstest.prepared("ipvs-list", ipvstest.LINKS) as ns:
        ipvstest.prepare(ns, links=False)
        # Connection attempts through some services, so that counters, rates and connection counts are not 0.
        ipvstest.traffic(ns, [("10.0.0.1", 80), ("192.168.50.1", 443), ("10.0.0.1", 25), ("10.0.0.1", 8080)])
        yield ns


@pytest.mark.parametrize("argv", LISTINGS, ids=" ".join)
def test_listing(table, argv):
    peer, mine = ipvstest.settled(table, ["ipvsadm", *argv], argv)
    assert (mine.returncode, mine.stderr) == (0, b""), mine.stderr
    ipvstest.same(mine.stdout, peer.stdout)
    assert peer.returncode == 0


def test_command_in_a_process_of_its_own(table):
    for argv in (["-L", "-n", "--stats"], ["-S", "-n"]):
        peer = ipvstest.Peer(table)(*argv, check=True)
        mine = ipvstest.spawned(table, *argv)
        assert (mine.returncode, mine.stderr) == (0, b"")
        ipvstest.same(mine.stdout, peer.stdout, argv)


def test_listing_over_socket_options_too(table, tmp_path):
    """ipvsadm forced onto the socket options prints the same (IPv4 state carries no netlink-only fields)."""
    library = ipvstest.no_netlink_library(tmp_path)
    for argv in (["-L", "-n"], ["-S", "-n"], ["-L", "-n", "--thresholds"]):
        peer, mine = ipvstest.settled(table, ipvstest.Peer(table, library).command(*argv), argv)
        ipvstest.same(mine.stdout, peer.stdout, argv)


def test_names_from_etc_files(table, tmp_path):
    """Without -n, hosts come from /etc/hosts (the test's own, no DNS) and ports from /etc/services."""
    hosts = ("10.0.0.1 web.example.org web\n192.168.50.1 secure\n10.1.0.1 backend-number-one-with-a-long-name\n"
             "10.1.0.2 b2\n10.1.0.7 seven\n200.1.2.3 ftp.example.net\n")
    etc = EtcFiles(tmp_path, hosts, "")
    for argv in ([], ["-S"], ["-L", "--rate"], ["-L", "-t", "web:http"]):
        peer, mine = etc.settled(table, ["ipvsadm", *argv])
        ipvstest.same(mine.stdout, peer.stdout, argv)
        assert mine.returncode == peer.returncode == 0, mine.stderr


def test_empty_table(ns):
    for argv in (["-L", "-n"], ["-S", "-n"], ["-L", "-n", "--stats"]):
        peer, mine = ipvstest.settled(ns, ["ipvsadm", *argv], argv)
        ipvstest.same(mine.stdout, peer.stdout, argv)


def test_many_services_and_servers(ns):
    """Enough services and servers to fill several hash chains, in addresses that wrap ipvsadm's order."""
    ns.script(ipvstest.LINKS)
    lines = []
    for i in range(60):
        vip = f"{(10, 192, 200, 100)[i % 4]}.{i % 7}.{i}.1"
        lines.append(f"-A -t {vip}:{80 + i % 3} -s rr")
        for j in range(5):
            rip = f"{(10, 200, 192, 128)[(i + j) % 4]}.1.{j}.{i + 1}"
            lines.append(f"-a -t {vip}:{80 + i % 3} -r {rip}:{8000 + j} -m -w {j}")
    lines += [f"-A -f {mark} -s wlc" for mark in (5, 1 << 31, (1 << 32) - 1, 77)]
    assert ipvstest.Peer(ns)("-R", stdin="\n".join(lines).encode()).returncode == 0
    for argv in (["-L", "-n"], ["-S", "-n"], ["-L", "-n", "--nosort"]):
        peer, mine = ipvstest.settled(ns, ["ipvsadm", *argv], argv)
        ipvstest.same(mine.stdout, peer.stdout, argv)


def test_daemons(ns, tmp_path):
    """--daemon shows what the socket options carry; over netlink ipvsadm adds the group, port and sizes."""
    ns.script(ipvstest.LINKS)
    peer = ipvstest.Peer(ns)
    peer("--start-daemon", "master", "--mcast-interface", "d0", "--syncid", "7", check=True)
    peer("--start-daemon", "backup", "--mcast-interface", "d0", "--syncid", "9", check=True)
    try:
        sockopt = ipvstest.Peer(ns, ipvstest.no_netlink_library(tmp_path))
        expected = sockopt("-L", "--daemon", check=True).stdout
        assert expected == (b"master sync daemon (mcast=d0, syncid=7)\n"
                            b"backup sync daemon (mcast=d0, syncid=9)\n")
        mine = ipvstest.mine(ns, "-L", "--daemon")
        assert (mine.stdout, mine.returncode) == (expected, 0)
        netlink = peer("-L", "--daemon", check=True).stdout.splitlines()
        assert [line.split(b", maxlen")[0] for line in netlink] == [line[:-1] for line in expected.splitlines()]
    finally:
        peer("--stop-daemon", "master")
        peer("--stop-daemon", "backup")


def test_json(table):
    document = json.loads(ipvstest.mine(table, "-L", "-n", json=True).stdout)
    services = {(s["service"]["protocol"], s["service"]["address"], s["service"]["port"], s["service"]["fwmark"]):
                s for s in document["services"]}
    web = services[(6, "10.0.0.1", 80, 0)]
    assert web["service"]["scheduler"] == "rr"
    assert {d["address"] for d in web["dests"]} == {"10.1.0.1", "200.1.2.9", "192.168.7.2", "10.1.0.11"}
    assert services[(6, None, 0, 2882430849)]["service"]["scheduler"] == "mh"
    assert document["version"] == "1.2.1"
    timeouts = json.loads(ipvstest.mine(table, "-L", "--timeout", json=True).stdout)
    assert timeouts == {"timeouts": {"tcp": 900, "tcp_fin": 120, "udp": 300}}
