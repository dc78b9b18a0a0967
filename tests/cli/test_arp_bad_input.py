"""Bad arp commands and ethers files: a one-line error, a non-zero exit, and the cache as it was."""

import sys

import pytest

import nstest
from tablestate import ARP_SETUP as SETUP, neighbours as snapshot


# (arguments, what sockctl says, whether net-tools refuses it too)
BAD = [
    (["-s", "10.2.0.50", "02:00:00:00:00:zz"], b"arp: invalid hardware address\n", True),
    (["-s", "10.2.0.50", "02:00:00:00:00"], b"arp: invalid hardware address\n", False),  # net-tools: 5 octets
    (["-s", "10.2.0.50", "02:00:00:00:00:50:51"], b"arp: invalid hardware address\n", False),  # it drops one
    (["-s", "10.2.0.300", "02:00:00:00:00:50"], b"arp: 10.2.0.300: Unknown host\n", True),
    (["-H", "foo", "-s", "10.2.0.50", "02:00:00:00:00:50"], b"arp: foo: unknown hardware type.\n", True),
    (["-H", "loop", "-s", "10.2.0.50", "02:00:00:00:00:50"], b"arp: loop: hardware type without ARP support.\n",
     True),
    (["-H", "ax25", "-s", "10.2.0.50", "G4ABC"], b"cannot read addresses of this hardware type", False),
    (["-A", "inet6", "-s", "10.2.0.50", "02:00:00:00:00:50"], b"arp: inet6: kernel only supports 'inet'.\n", True),
    (["-A", "bogus", "-n"], b"arp: bogus: unknown address family.\n", True),
    (["-s", "10.2.0.50", "02:00:00:00:00:50", "bogus"], b"arp: unknown argument `bogus'\n", True),
    (["-s", "10.2.0.50", "02:00:00:00:00:50", "dev"], b"`dev' needs a value", True),
    (["-s", "10.2.0.50"], b"arp: need hardware address\n", True),
    (["-s"], b"arp: need host name\n", True),
    (["-d"], b"arp: need host name\n", True),
    (["-d", "10.2.0.30", "nonsense"], b"arp: unknown argument `nonsense'\n", True),
    (["-Ds", "10.2.0.50", "nosuch0", "pub"], b"arp: cant get HW-Address for `nosuch0': No such device.\n", True),
    (["-H", "arcnet", "-Ds", "10.2.0.50", "v1", "pub"], b"arp: protocol type mismatch.\n", True),
    (["-i", "nosuch0", "-s", "10.2.0.50", "02:00:00:00:00:50"], b"SIOCSARP: No such device\n", True),
    (["-s", "10.2.0.50", "02:00:00:00:00:50", "dontpub"], b"SIOCSARP: Invalid argument\n", True),
    (["-s", "10.2.0.50", "02:00:00:00:0a:00", "netmask", "255.255.0.0", "pub"], b"SIOCSARP: Invalid argument\n", True),
    (["-d", "10.2.0.99"], b"No ARP entry for 10.2.0.99\n", True),
    (["-x"], b"arp: invalid option -- 'x'\n", True),
    (["-f", "/nonexistent/ethers"], b"arp: cannot open etherfile /nonexistent/ethers !\n", True),
]


@pytest.fixture(scope="module")
def cache():
    with nstest.prepared("arpbad", SETUP) as ns:
        yield ns


@pytest.mark.parametrize("argv, message, peer_refuses", BAD, ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_bad_input_changes_nothing(cache, argv, message, peer_refuses):
    before = snapshot(cache)
    mine = cache.sockctl("arp", *argv)
    assert mine.returncode != 0
    assert mine.stderr.count(b"\n") == 1 and mine.stderr.endswith(b"\n"), mine.stderr
    assert message in mine.stderr
    assert mine.stdout == b""
    assert snapshot(cache) == before
    if peer_refuses:
        assert cache.exec("arp", *argv).returncode != 0
        assert snapshot(cache) == before


GOOD_LINES = "02:00:00:00:00:40 10.2.0.40\n10.2.0.30 02:00:00:00:00:99\n"

BAD_FILES = [
    # (file text, what sockctl says): every bad line is found before the first entry is set
    (GOOD_LINES + "10.2.0.41\n", b"arp: format error on line 3 of etherfile ETHERS !\n"),
    (GOOD_LINES + "   \n", b"arp: format error on line 3 of etherfile ETHERS !\n"),
    (GOOD_LINES + "02:00:00:00:00:zz 10.2.0.41\n", b"arp: invalid hardware address on line 3 of etherfile ETHERS !\n"),
    (GOOD_LINES + "10.2.0.300 02:00:00:00:00:41\n", b"arp: 10.2.0.300: Unknown host on line 3 of etherfile ETHERS !\n"),
    (GOOD_LINES + "10.2.0.41 02:00:00:00:00:41 # a comment\n", b"arp: unknown argument `#' on line 3 of etherfile"),
    # Refused by the kernel on line 4: the entries of lines 1 and 2 (one new, one replaced) are put back.
    (GOOD_LINES + "\n10.2.0.42 02:00:00:00:00:42 dev nosuch0\n",
     b"arp: cannot set entry on line 4 of etherfile ETHERS ! (SIOCSARP: No such device; no entry of the file was set)"),
    (GOOD_LINES + "10.2.0.42 02:00:00:00:00:42 dontpub\n", b"line 3 of etherfile ETHERS ! (SIOCSARP: Invalid argument"),
    # One address set twice, then a refusal: both are put back, the newest first.
    (GOOD_LINES + "10.2.0.40 02:00:00:00:00:41\n10.2.0.30 02:00:00:00:00:98\n10.2.0.42 02:00:00:00:00:42 dev nosuch0\n",
     b"cannot set entry on line 5 of etherfile ETHERS !"),
]


@pytest.mark.parametrize("text, message", BAD_FILES, ids=range(len(BAD_FILES)))
def test_bad_ethers_file_changes_nothing(cache, tmp_path, text, message):
    path = tmp_path / "ethers"
    path.write_text(text)
    before = snapshot(cache)
    mine = cache.sockctl("arp", "-f", str(path))
    assert mine.returncode == 255
    assert mine.stderr.count(b"\n") == 1, mine.stderr
    assert message.replace(b"ETHERS", str(path).encode()) in mine.stderr
    assert snapshot(cache) == before


def test_net_tools_writes_half_a_bad_file(cache, tmp_path):
    """What sockctl does differently: net-tools sets the good lines and skips the bad one."""
    path = tmp_path / "ethers"
    path.write_text(GOOD_LINES + "10.2.0.41\n")
    with nstest.netns("arpnt") as other:
        other.script(SETUP)
        theirs = other.exec("arp", "-f", str(path))
        assert theirs.returncode == 0 and b"format error on line 3" in theirs.stderr
        assert b"10.2.0.40" in other.exec("arp", "-n").stdout


def test_missing_privilege(cache):
    before = snapshot(cache)
    drop = ["setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin"]
    for argv, call in ((["-s", "10.2.0.50", "02:00:00:00:00:50"], b"SIOCSARP"), (["-d", "10.2.0.30"], b"SIOCDARP")):
        theirs = cache.exec(*drop, "arp", *argv)
        mine = cache.exec(*drop, sys.executable, "-m", "sockctl", "arp", *argv)
        assert mine.returncode == theirs.returncode == 255
        assert mine.stderr == theirs.stderr and call + b"" in mine.stderr
        assert b"Operation not permitted" in mine.stderr
    assert snapshot(cache) == before
    listing = cache.exec(*drop, sys.executable, "-m", "sockctl", "arp", "-n")
    assert listing.returncode == 0 and b"10.2.0.30" in listing.stdout
