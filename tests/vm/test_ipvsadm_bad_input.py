"""Bad input: a one-line error, a non-zero exit, and IPVS exactly as it was (in the VM).

For each command ipvsadm also refuses, both are run on the same table;
neither may change it. Commands only generic netlink could carry are
refused by sockctl with a message saying so.
"""

import sys

import pytest

import ipvstest
import nstest

pytestmark = pytest.mark.vm

# argv, words of sockctl's message, the exit status ipvsadm gives too
REFUSED = [
    (["-A", "-t", "10.0.0.1:80"], b"service already exists", 255),
    (["-E", "-t", "10.0.0.9:80"], b"no such service", 255),
    (["-D", "-u", "10.0.0.1:80"], b"no such service", 255),
    (["-Z", "-f", "99"], b"no such service", 255),
    (["-A", "-t", "10.0.0.9:80", "-s", "nosuch"], b"scheduler not found", 255),
    (["-a", "-t", "10.0.0.9:80", "-r", "10.1.0.1"], b"no such service", 255),
    (["-a", "-t", "10.0.0.1:80", "-r", "10.1.0.1"], b"destination already exists", 255),
    (["-e", "-t", "10.0.0.1:80", "-r", "10.1.0.99"], b"no such destination", 255),
    (["-d", "-t", "10.0.0.1:80", "-r", "10.1.0.99"], b"no such destination", 255),
    (["-a", "-t", "10.0.0.1:80", "-r", "10.1.0.98", "-x", "5", "-y", "10"], b"out of range", 255),
    (["-a", "-t", "10.0.0.1:80", "-r", "224.0.0.5"], b"invalid argument", 255),
    (["-a", "-t", "10.0.0.1:80", "-r", "10.1.0.98", "-w", "2147483648"], b"illegal weight", 2),
    (["-a", "-t", "10.0.0.1:80", "-r", "10.1.0.98", "-w", "-1"], b"illegal weight", 2),
    (["-a", "-t", "10.0.0.1:80", "-r", "10.1.0.98", "-x", "2147483648"], b"illegal u_threshold", 2),
    (["-A", "-t", "10.0.0.9:99999"], b"illegal virtual server address", 2),
    (["-A", "-t", "10.0.0.300:80"], b"illegal virtual server address", 2),
    (["-A", "-t", "10.0.0.9"], b"Zero port", 2),
    (["-a", "-t", "10.0.0.1:80", "-r", "10.1.0.98:80x"], b"illegal real server address", 2),
    (["-A", "-f", "0"], b"invalid fwmark value", 2),
    (["-A", "-t", "10.0.0.9:80", "-p", "2678401"], b"invalid timeout value", 2),
    (["--set", "1", "2", "-5"], b"-5: unknown option", 255),  # popt reads -5 as an option
    (["-A", "-t", "10.0.0.9:80", "-r", "10.1.0.1"], b"Illegal 'real-server' option", 2),
    (["-L", "--bogus"], b"--bogus: unknown option", 255),
    (["-n", "-L"], b"Try `ipvsadm -h'", 255),
    (["--start-daemon", "master", "--mcast-interface", "nosuch0"], b"no such device", 255),
    (["--stop-daemon", "backup"], b"no sync daemon is running", 255),
    (["-L", "-n", "-t", "10.0.0.9:80"], b"no such service", 1),
]


@pytest.fixture(scope="module")
def table():
    """One namespace for the module: every test leaves it as it found it, or fails."""
    with nstest.prepared("ipvs-bad", ipvstest.LINKS) as ns:
        ipvstest.prepare(ns, links=False)
        yield ns


def assert_refused(result, words):
    assert result.returncode != 0
    assert result.stderr.count(b"\n") == 1 and result.stderr.endswith(b"\n"), result.stderr
    assert words in result.stderr, result.stderr
    assert result.stdout == b""


@pytest.mark.parametrize("argv, words, status", REFUSED, ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_refused_like_ipvsadm(table, argv, words, status):
    before = ipvstest.state(table)
    result = ipvstest.mine(table, *argv)
    assert_refused(result, words)
    assert result.returncode == status
    assert ipvstest.state(table) == before
    peer = ipvstest.Peer(table)(*argv)
    assert peer.returncode == status, peer.stderr
    assert ipvstest.state(table) == before


@pytest.mark.parametrize("argv, words", [
    (["-A", "-t", "[2001:db8::1]:80"], b"generic netlink"),
    (["-A", "-f", "5", "-6"], b"generic netlink"),
    (["-a", "-t", "10.0.0.1:80", "-r", "[2001:db8::2]:80", "-i"], b"generic netlink"),
    (["-E", "-t", "10.0.0.1:80", "--pe", "sip", "-p"], b"persistence engines"),
    (["-a", "-t", "10.0.0.1:80", "-r", "10.1.0.97", "-i", "--tun-type", "gue", "--tun-port", "6080"],
     b"tunnel types"),
    (["--start-daemon", "master", "--mcast-interface", "d0", "--mcast-port", "9000"], b"group, port"),
    (["-L", "--tun-info"], b"tunnel details"),
])
def test_netlink_only_is_refused(table, argv, words):
    before = ipvstest.state(table)
    assert_refused(ipvstest.mine(table, *argv), words)
    assert ipvstest.state(table) == before


def test_ipv6_is_not_listed_half(ns):
    """With IPv6 services or servers present (added by ipvsadm over netlink) a listing says what it cannot show."""
    ipvstest.prepare(ns)
    ns.exec("ip", "-6", "addr", "add", "2001:db8::254/64", "dev", "d0", "nodad", check=True)
    ipvstest.Peer(ns)("-A", "-t", "[2001:db8::1]:80", check=True)
    result = ipvstest.mine(ns, "-L", "-n")
    count = sum(line.startswith("-A ") for line in ipvstest.RULES.splitlines()) + 1
    assert_refused(result, f"1 of {count} services are IPv6".encode())
    assert result.returncode == 1
    # An IPv4 service is still reachable by itself, until it has an IPv6 real server.
    assert ipvstest.mine(ns, "-L", "-n", "-t", "10.0.0.1:80").returncode == 0
    ipvstest.Peer(ns)("-a", "-t", "10.0.0.1:80", "-r", "[2001:db8::9]:80", "-i", check=True)
    result = ipvstest.mine(ns, "-L", "-n", "-t", "10.0.0.1:80")
    assert_refused(result, b"1 of its 5 real servers are IPv6")


def test_missing_privilege(table):
    before = ipvstest.state(table)
    drop = ["setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin"]
    for argv in (["-A", "-t", "10.0.0.9:80"], ["-L", "-n"], ["-C"]):
        result = table.exec(*drop, sys.executable, "-m", "sockctl", "ipvsadm", *argv)
        assert_refused(result, b"needs CAP_NET_ADMIN")
        assert result.returncode == 2  # as ipvsadm: IPVS cannot even be asked for its version
    assert ipvstest.state(table) == before


GOOD_LINES = b"-A -t 10.0.0.8:80 -s rr\n-a -t 10.0.0.8:80 -r 10.1.0.40 -m\n-D -t 200.1.2.3:21\n--set 10 20 30\n"


@pytest.mark.parametrize("tail, words", [
    (b"-a -t 10.0.0.9:80 -r 10.1.0.41\n", b"line 5: "),  # the kernel refuses: no such service
    (b"-C\n-A -t 10.0.0.1:80 -s nosuch\n", b"line 6: "),  # refused after a flush: the flush is undone
    (b"--start-daemon master --mcast-interface d0\n-E -u 10.9.9.9:53\n", b"line 6: "),
    (b"-a -t 10.0.0.8:80 -r 10.1.0.41 -w 2147483648\n", b"line 5: illegal weight"),  # refused before any change
    (b"-L -n\n", b"line 5: -R applies changes"),
    (b"-A -t [2001:db8::1]:80\n", b"line 5: IPv6"),
])
def test_restore_changes_all_or_nothing(table, tail, words):
    before = ipvstest.state(table)
    result = ipvstest.mine(table, "-R", stdin=GOOD_LINES + tail)
    assert_refused(result, words)
    ipvstest.same(ipvstest.state(table), before)
