"""Bad input: a one-line error, a non-zero exit, and the namespace exactly as it was."""

import json
import sys

import pytest

import nstest

SETUP = """
link add w0 address 02:00:00:00:00:10 type veth peer name w1 address 02:00:00:00:00:11
addr add 10.0.0.1/24 brd + dev w0
addr add 10.0.0.9/24 dev w0 label w0:3
addr add 2001:db8::1/64 dev w0
link set w0 up
"""


def snapshot(ns) -> tuple:
    """Everything ioctl can change, as ip and net-tools show it (counters left out)."""
    links = json.loads(ns.exec("ip", "-j", "-d", "addr", "show", check=True).stdout)
    for link in links:
        link.pop("stats64", None)
        for addr in link.get("addr_info", []):
            addr.pop("valid_life_time", None)
            addr.pop("preferred_life_time", None)
    listing = [line for line in ns.exec("ifconfig", "-a", check=True).stdout.splitlines()
               if not line.lstrip().startswith((b"RX ", b"TX "))]
    return links, listing


BAD = [
    (["nosuch0", "mtu", "1400"], b"nosuch0: no such device"),
    (["nosuch0"], b"nosuch0: error fetching interface information: Device not found"),
    (["w0", "10.0.0.300"], b"10.0.0.300: not a valid IPv4"),
    (["w0", "10.0.0.1/33"], b"prefix length 33 is out of range"),
    (["w0", "netmask", "255.0.255.0"], b"not contiguous"),
    (["w0", "netmask", "300.0.0.0"], b"not a valid IPv4 netmask"),
    (["w0", "broadcast", "10.0.0"], None),  # inet_aton reads 10.0.0 as 10.0.0.0: valid, so not here
    (["w0", "add", "2001:db8::zz/64"], b"not a valid IPv6"),
    (["w0", "add", "2001:db8::5/129"], b"prefix length 129 is out of range"),
    (["w0", "del", "2001:db8::77/64"], b"SIOCDIFADDR"),  # the kernel has no such address
    (["w0", "del", "10.0.0.99"], b"no alias carries the address 10.0.0.99"),
    (["w0", "add", "10.0.0.9"], b"already an alias address"),
    (["w0", "mtu", "abc"], b"mtu 'abc' is not a number"),
    (["w0", "mtu", "-5"], b"mtu -5 is out of range"),
    (["w0", "mtu", "3000000000"], b"out of range"),
    (["w0", "mtu", "20"], b"SIOCSIFMTU: invalid argument"),  # the kernel's minimum
    (["w0", "mtu", "99999999"], b"SIOCSIFMTU: invalid argument"),
    (["w0", "txqueuelen", "1x"], b"not a number"),
    (["w0", "hw", "ether", "02:00:00:00:00"], b"6 octets"),
    (["w0", "hw", "ether", "02:00:00:00:00:0g"], b"not a hexadecimal"),
    (["w0", "hw", "ether", "01:00:00:00:00:01"], b"SIOCSIFHWADDR"),  # multicast: the kernel refuses
    (["w0", "hw", "bogus", "00"], b"unknown hardware type"),
    (["w0", "hw", "loop", "00"], b"no handler"),
    (["w0", "name", "averyveryverylongname"], b"must be 1 to 15 bytes"),
    (["w0", "name", "w1"], b"w1: already exists"),
    (["w0", "mtu"], b"`mtu' needs a value"),
    (["w0", "irq", "5"], b"not supported"),
    (["w0", "tunnel", "::1"], b"does not configure"),
    (["-x"], b"option `-x' not recognised"),
    # Checked whole before the first change: the valid mtu is not applied.
    (["w0", "mtu", "1400", "10.0.0.300"], b"not a valid IPv4"),
    (["w0", "mtu", "1400", "txqueuelen", "-1"], b"txqueuelen -1 is out of range"),
    # Refused by the kernel half-way: the address, the flags and the mtu before it are undone.
    (["w0", "10.5.5.5/16", "promisc", "mtu", "1300", "mtu", "99999999"], b"SIOCSIFMTU: invalid argument"),
    (["w0", "add", "2001:db8::5/64", "-arp", "hw", "ether", "01:00:00:00:00:01"], b"SIOCSIFHWADDR"),
    (["w1", "name", "w2", "mtu", "99999999"], b"SIOCSIFMTU"),
]


@pytest.mark.parametrize("argv, message", [c for c in BAD if c[1] is not None],
                         ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_bad_input_changes_nothing(ns, argv, message):
    ns.script(SETUP)
    before = snapshot(ns)
    result = ns.sockctl("ifconfig", *argv)
    assert result.returncode != 0
    assert result.stderr.count(b"\n") == 1 and result.stderr.endswith(b"\n"), result.stderr
    assert message in result.stderr
    assert snapshot(ns) == before


def test_missing_privilege(ns):
    """Without CAP_NET_ADMIN the first write is refused, with a message that says why."""
    ns.script(SETUP)
    before = snapshot(ns)
    drop = ["setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin"]
    result = ns.exec(*drop, sys.executable, "-m", "sockctl", "ifconfig", "w0", "mtu", "1400", "promisc")
    assert result.returncode == 1
    assert result.stderr == b"ifconfig: w0: operation not permitted: needs CAP_NET_ADMIN\n"
    assert snapshot(ns) == before
    # Reading needs no privilege.
    listing = ns.exec(*drop, sys.executable, "-m", "sockctl", "ifconfig", "-a")
    assert listing.returncode == 0 and b"w0: flags=" in listing.stdout


def test_unknown_namespace():
    result = nstest.run([sys.executable, "-m", "sockctl", "--netns", "sockctl-no-such-ns", "ifconfig"], check=False)
    assert result.returncode == 1
    assert result.stderr == b"sockctl: network namespace 'sockctl-no-such-ns' does not exist\n"
    assert result.stdout == b""


def test_namespace_by_path(ns):
    ns.script(SETUP)
    result = nstest.run([sys.executable, "-m", "sockctl", "--netns", f"/run/netns/{ns.name}", "ifconfig", "w0"])
    assert b"inet 10.0.0.1" in result.stdout


@pytest.mark.parametrize("argv, message", [
    (["--netns"], b"--netns needs a namespace name"),
    (["--bogus", "ifconfig"], b"unknown option '--bogus'"),
    (["nosuchcommand"], b"unknown command 'nosuchcommand'"),
])
def test_bad_global_options(argv, message):
    result = nstest.run([sys.executable, "-m", "sockctl", *argv], check=False)
    assert result.returncode == 2
    assert result.stderr.count(b"\n") == 1 and message in result.stderr
