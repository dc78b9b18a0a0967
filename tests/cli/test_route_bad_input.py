"""Bad route commands: a one-line error, a non-zero exit, and every table exactly as it was."""

import sys

import pytest

import nstest
from tablestate import routes as snapshot

SETUP = """
link add v0 address 02:00:00:00:0a:00 type veth peer name v1 address 02:00:00:00:0a:01
addr add 10.1.0.1/24 dev v0
addr add 2001:db8::1/64 dev v0 nodad
link set v0 up
link set v1 up
route add 10.8.0.0/16 dev v0
"""


# (arguments, what sockctl says, whether net-tools refuses it too)
BAD = [
    (["add", "-net", "300.1.1.1", "dev", "v0"], b"route: 300.1.1.1: Unknown host\n", True),
    (["add", "-net", "10.9.0.0/33", "dev", "v0"], b"prefix length 33 is out of range", False),  # net-tools: /1
    (["add", "-net", "10.9.0.0/x", "dev", "v0"], b"prefix length 'x' is not a number", True),
    (["add", "-net", "10.9.0.0/16", "gw", "10.1.0.300"], b"10.1.0.300: Unknown host", True),
    (["add", "-net", "10.9.0.0", "netmask", "255.0.255.0", "dev", "v0"], b"bogus netmask 255.0.255.0", True),
    (["add", "-net", "10.9.1.0", "netmask", "255.255.0.0", "dev", "v0"], b"netmask doesn't match route address", True),
    (["add", "10.9.0.0/16", "dev", "v0"], b"netmask 0000ffff doesn't make sense with host route", True),
    (["add", "-host", "10.9.0.1", "netmask", "255.255.255.255", "dev", "v0"],
     b"netmask 00000000 doesn't make sense with host route", True),
    (["add", "-net", "10.9.0.0/16", "gw", "default"], b"default: cannot use a NETWORK as gateway!", True),
    (["add", "-net", "10.9.0.0/16", "dev", "v0", "metric", "x"], b"metric 'x' is not a number", True),
    (["add", "-net", "10.9.0.0/16", "dev", "v0", "metric", "5x"], b"metric '5x' is not a number", False),
    (["add", "-net", "10.9.0.0/16", "dev", "v0", "metric", "40000"], b"metric 40000 is out of range", False),
    (["add", "-net", "10.9.0.0/16", "dev", "v0", "mss", "10"], b"route: Invalid MSS/MTU.\n", True),
    (["add", "-net", "10.9.0.0/16", "dev", "v0", "window", "100"], b"route: Invalid window.\n", True),
    (["add", "-net", "10.9.0.0/16", "dev", "v0", "irtt", "70000"], b"irtt 70000 is out of range", False),
    (["add", "-net", "10.9.0.0/16", "dev"], b"`dev' needs a value", True),
    (["add", "-net", "10.9.0.0/16", "gw", "10.1.0.2", "gw", "10.1.0.3"], b"gateway given twice", True),
    (["add", "-net", "10.9.0.0/16", "dev", "v0", "dev", "v1"], b"device given twice", True),
    (["add", "-net", "10.9.0.0/16", "bogus", "dev", "v0"], b"unknown argument `bogus'", True),
    (["add", "-net", "10.9.0.0/16", "dev", "averyveryverylongname"], b"must be 1 to 15 bytes", False),
    (["add", "-net"], b"a target is needed", True),
    (["-6", "add"], b"a target is needed", True),
    (["-A", "inet6", "add", "2001:zz::/48", "dev", "v0"], b"route: 2001:zz::: Unknown host\n", True),
    (["-6", "add", "2001:db8:9::/129", "dev", "v0"], b"prefix length 129 is out of range", True),
    (["-6", "add", "2001:db8:9::/48", "dev", "v0", "metric", "x"], b"metric 'x' is not a number", True),
    (["-6", "add", "2001:db8:9::/48", "gw", "fe80::zz", "dev", "v0"], b"fe80::zz: Unknown host", True),
    (["-6", "add", "2001:db8:9::/48", "v0", "v1"], b"unknown argument `v0'", True),
    (["flush"], b"route: Flushing `inet' routing table not supported\n", True),
    (["-6", "flush"], b"route: Flushing `inet6' routing table not supported\n", True),
    (["-C", "add", "-net", "10.9.0.0/16", "dev", "v0"], b"Modifying `inet' routing cache not supported", True),
    (["-A", "inet,inet6", "add", "-net", "10.9.0.0/16", "dev", "v0"], b"Address family `inet,inet6' not supported",
     True),
    (["bogus"], b"unknown command `bogus'", True),
    (["-A", "bogus"], b"route: Unknown address family `bogus'.\n", True),
    (["-A", "ax25", "-n"], b"No routing for address family `ax25'.", True),
    (["-x", "add", "-net", "10.9.0.0/16", "dev", "v0"], b"route: invalid option -- 'x'\n", False),  # net-tools: usage
    (["add", "-net", "10.9.0.0/16", "gw", "10.99.0.1"], b"SIOCADDRT: Network is unreachable\n", True),
    (["add", "-net", "10.8.0.0/16", "dev", "v0"], b"SIOCADDRT: File exists\n", True),
    (["del", "-net", "10.99.0.0/16"], b"SIOCDELRT: No such process\n", True),
    (["-6", "del", "2001:db8:99::/48"], b"SIOCDELRT: No such process\n", True),
]


@pytest.fixture(scope="module")
def state():
    with nstest.prepared("routebad", SETUP) as ns:
        yield ns


@pytest.mark.parametrize("argv, message, peer_refuses", BAD, ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_bad_input_changes_nothing(state, argv, message, peer_refuses):
    before = snapshot(state)
    mine = state.sockctl("route", *argv)
    assert mine.returncode != 0
    assert mine.stderr.count(b"\n") == 1 and mine.stderr.endswith(b"\n"), mine.stderr
    assert message in mine.stderr
    assert mine.stdout == b""
    assert snapshot(state) == before
    if peer_refuses:
        theirs = state.exec("route", *argv)
        assert theirs.returncode != 0 or b"Usage" in theirs.stdout + theirs.stderr
        assert snapshot(state) == before


def test_missing_privilege(state):
    before = snapshot(state)
    drop = ["setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin"]
    for argv in (["add", "-net", "10.9.0.0/16", "dev", "v0"], ["del", "-net", "10.8.0.0/16"],
                 ["-6", "add", "2001:db8:9::/48", "dev", "v0"]):
        theirs = state.exec(*drop, "route", *argv)
        mine = state.exec(*drop, sys.executable, "-m", "sockctl", "route", *argv)
        assert mine.returncode == theirs.returncode == 7
        assert mine.stderr == theirs.stderr  # "SIOCADDRT: Operation not permitted"
        assert b"Operation not permitted" in mine.stderr
    assert snapshot(state) == before
    listing = state.exec(*drop, sys.executable, "-m", "sockctl", "route", "-n")
    assert listing.returncode == 0 and b"10.8.0.0" in listing.stdout


def test_corrupted_table_is_an_error(tmp_path):
    """A /proc file that does not parse is a one-line error, not a wrong listing."""
    from sockctl import routes
    from sockctl.errors import DecodeError

    with pytest.raises(DecodeError, match="/proc/net/route: malformed line"):
        routes.parse_proc_route(b"Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
                                b"v0\t0000000A\n")
