"""Changes made by sockctl read back with ipvsadm, against the same changes made by ipvsadm (in the VM).

Twin namespaces start from the same table; each command runs through
ipvsadm in one and through sockctl in the other, and ipvsadm must then
show the two the same way. Save and restore go both ways.
"""

import sys

import pytest

import ipvstest
import nstest
from etcfiles import EtcFiles

pytestmark = pytest.mark.vm

# Applied in order; each leaves a state the next builds on.
COMMANDS = [
    ["-A", "-t", "10.0.0.9:80"],
    ["-A", "-u", "10.0.0.9:53", "-s", "wrr", "-p", "120", "-M", "255.255.0.0", "-o"],
    ["-A", "--sctp-service", "10.0.0.9:3868", "-s", "sh", "-b", "sh-port"],
    ["-A", "-f", "77", "-s", "lc", "-p"],
    ["-a", "-t", "10.0.0.9:80", "-r", "10.1.0.20"],
    ["-a", "-t", "10.0.0.9:80", "-r", "10.1.0.21:8080", "-m", "-w", "7", "-x", "50", "-y", "5"],
    ["-a", "-t", "10.0.0.9:80", "-r", "200.1.2.21", "-i", "-w", "0"],
    ["--add-server", "--udp-service", "10.0.0.9:domain", "--real-server", "10.1.0.22:5353", "--masquerading"],
    ["-a", "-f", "77", "-r", "10.1.0.23:0", "-g"],
    ["-a", "-t", "10.0.0.9:80", "-r", "10.1.0.24:443", "-i", "--tun-type", "ipip"],
    ["-E", "-t", "10.0.0.9:80", "-s", "wlc", "-p", "30"],
    ["-E", "-u", "10.0.0.9:53", "-s", "rr"],
    ["-e", "-t", "10.0.0.9:80", "-r", "10.1.0.21:8080", "-m", "-w", "9"],
    ["-e", "-t", "10.0.0.9:80", "-r", "10.1.0.24:443", "-i", "-w", "2147483647"],  # ipvsadm takes any int
    ["-e", "-t", "10.0.0.9:80", "-r", "10.1.0.20", "-w", "3", "-x", "100"],
    ["-d", "-t", "10.0.0.9:80", "-r", "200.1.2.21"],
    ["-D", "-f", "1"],
    ["-Z", "-t", "10.0.0.1:80"],
    ["-Z"],
    ["--set", "1000", "0", "60"],
    ["--start-daemon", "master", "--mcast-interface", "d0", "--syncid", "3"],
    ["--start-daemon", "backup", "--mcast-interface", "d0"],
    ["--stop-daemon", "master"],
    ["-D", "-t", "200.1.2.3:21"],
    ["-C"],
    ["-A", "-t", "10.0.0.5:80", "-s", "mh", "-b", "mh-fallback,mh-port"],
]


@pytest.fixture
def twins():
    with nstest.twins(ipvstest.LINKS) as (theirs, mine):
        ipvstest.prepare(theirs, links=False)
        ipvstest.prepare(mine, links=False)
        yield theirs, mine


def test_commands_match_ipvsadm(twins):
    theirs, ours = twins
    ipvstest.same(ipvstest.state(ours), ipvstest.state(theirs))
    for argv in COMMANDS:
        peer = ipvstest.Peer(theirs)(*argv)
        result = ipvstest.mine(ours, *argv)
        assert (peer.returncode, peer.stderr) == (0, b""), (argv, peer.stderr)
        assert (result.returncode, result.stdout, result.stderr) == (0, b"", b""), (argv, result.stderr)
        ipvstest.same(ipvstest.state(ours), ipvstest.state(theirs), argv)
    ipvstest.Peer(theirs)("--stop-daemon", "backup", check=True)
    assert ipvstest.spawned(ours, "--stop-daemon", "backup").returncode == 0  # once as a process of its own
    ipvstest.same(ipvstest.state(ours), ipvstest.state(theirs))


def test_zero_clears_counters(ns):
    ipvstest.prepare(ns)
    ipvstest.traffic(ns, [("10.0.0.1", 80), ("10.0.0.1", 25)])

    def service(text, name):
        return [line.split()[2:] for line in text.splitlines() if line.startswith(b"TCP  " + name + b" ")][0]

    # The kernel sums its per-CPU counters into what it reports every two seconds: wait for them.
    before = ipvstest.counted(ns, lambda text: service(text, b"10.0.0.1:25") != [b"0"] * 5)
    assert ipvstest.mine(ns, "-Z", "-t", "10.0.0.1:25").returncode == 0
    after = ipvstest.Peer(ns)("-L", "-n", "--stats", "--exact", check=True).stdout
    assert service(after, b"10.0.0.1:25") == [b"0"] * 5
    assert service(after, b"10.0.0.1:80") == service(before, b"10.0.0.1:80")  # another service kept its counters


def test_save_then_restore_both_ways(ns):
    """ipvsadm -S into sockctl -R, and sockctl -S into ipvsadm -R, in fresh namespaces: the same state.

    (-S leaves thresholds out, ipvsadm's as sockctl's: the copies are compared with each other.)
    """
    ipvstest.prepare(ns, ipvstest.SAVEABLE)
    saved = ipvstest.Peer(ns)("-S", "-n", check=True).stdout
    with nstest.prepared("ipvs-a", ipvstest.LINKS) as first, nstest.prepared("ipvs-b", ipvstest.LINKS) as second:
        restored = ipvstest.spawned(first, "-R", stdin=saved)
        assert (restored.returncode, restored.stderr) == (0, b"")
        ipvstest.same(ipvstest.Peer(first)("-S", "-n", check=True).stdout, saved)
        mine = ipvstest.mine(ns, "-S", "-n").stdout
        ipvstest.same(mine, saved)
        assert ipvstest.Peer(second)("-R", stdin=mine).returncode == 0
        ipvstest.same(ipvstest.state(first), ipvstest.state(second))


def test_restore_of_named_rules(ns, tmp_path):
    """Rules saved with names (no -n) read back through /etc/hosts and /etc/services."""
    ipvstest.prepare(ns, ipvstest.SAVEABLE)
    etc = EtcFiles(tmp_path, "10.0.0.1 web\n10.1.0.1 one\n192.168.50.1 secure\n", "")
    saved = etc.peer(ns, "ipvsadm", "-S")
    assert saved.returncode == 0 and b"web:http" in saved.stdout
    with nstest.prepared("ipvs-named", ipvstest.LINKS) as fresh:
        restored = fresh.exec(*etc.prefix, sys.executable, "-m", "sockctl", "ipvsadm", "-R", input=saved.stdout)
        assert restored.returncode == 0, restored.stderr
        assert ipvstest.Peer(fresh)("-S", "-n").stdout == ipvstest.Peer(ns)("-S", "-n").stdout


def test_restore_input_as_ipvsadm_reads_it(twins):
    """Tabs, carriage returns, blank lines and the word ipvsadm, as ipvsadm's restore takes them."""
    theirs, ours = twins
    text = (b"ipvsadm -A -t 10.0.0.7:80 -s rr\n\n   \r\n\t-a\t-t 10.0.0.7:80  -r 10.1.0.30 -m\r\n"
            b"-A -u 10.0.0.7:53 ipvsadm -s lc\n-a -u 10.0.0.7:53 -r 10.1.0.31:53 -w 4")
    assert ipvstest.Peer(theirs)("-R", stdin=text).returncode == 0
    assert ipvstest.mine(ours, "-R", stdin=text).returncode == 0
    ipvstest.same(ipvstest.state(ours), ipvstest.state(theirs))
