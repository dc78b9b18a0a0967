"""Bad input to `sockctl brctl`: a one-line error, a non-zero exit, and the namespace exactly as it was.

Where brctl refuses the same command line without changing anything, the
message must be brctl's own, byte for byte. Where brctl would change
something first (it adds ports one at a time, cuts long names short, reads
``12x`` as 12 and passes 65536 to the kernel as priority 0), sockctl refuses
the whole line instead; those cases check sockctl's message only.
"""

import sys

import pytest

import brtest
import nstest

SETUP = """
link add br0 address 02:00:00:00:b0:00 type bridge
link add br5 address 02:00:00:00:b5:00 type bridge
link add brstp address 02:00:00:00:b7:00 type bridge stp_state 1
link add w0a address 02:00:00:00:00:a0 type veth peer name w0b address 02:00:00:00:00:b0
link add w1a address 02:00:00:00:01:a0 type veth peer name w1b address 02:00:00:00:01:b0
link add w5a address 02:00:00:00:05:a0 type veth peer name w5b address 02:00:00:00:05:b0
link set w0a master br0
link set w5a master br5
link set br0 up
link set w0a up
"""

SAME_AS_BRCTL = [
    ["addbr", "br0"],
    ["addbr", "w1a"],
    ["addbr", "bad/name"],
    ["delbr", "br0"],
    ["delbr", "nosuch0"],
    ["addif", "br0", "w5a"],
    ["addif", "br0", "w0a"],
    ["addif", "br0", "br5"],
    ["addif", "nosuch0", "w1a"],
    ["addif", "br0", "nosuch0"],
    ["delif", "br0", "w1a"],
    ["delif", "br0", "nosuch0"],
    ["delif", "nosuch0", "w0a"],
    ["setfd", "br0", "abc"],
    ["setfd", "brstp", "1"],
    ["setfd", "brstp", "31"],
    ["sethello", "br0", "0.5"],
    ["sethello", "br0", "11"],
    ["setmaxage", "br0", "5"],
    ["setmaxage", "br0", "41"],
    ["setageing", "nosuch0", "10"],
    ["setageing", "w1a", "10"],
    ["setbridgeprio", "br0", "abc"],
    ["setportprio", "br0", "w0a", "64"],
    ["setpathcost", "br0", "w0a", "0"],
    ["setpathcost", "br0", "w0a", "65536"],
    ["setpathcost", "br0", "w0a", "x"],
    ["stp", "br0", "maybe"],
    ["hairpin", "br0", "w0a", "maybe"],
    ["hairpin", "br0", "nosuch0", "on"],
    ["hairpin", "nosuch0", "w0a", "on"],
]

OURS_ONLY = [
    (["addbr", "averyveryverylongname"], b"brctl addbr: bridge name: interface name 'averyveryverylongname' "
                                         b"must be 1 to 15 bytes long\n"),
    (["delbr", "w1a"], b"can't delete bridge w1a: w1a: not a bridge\n"),
    (["addif", "br0", "w1a", "w5a"], b"device w5a is already a member of a bridge; can't add it to bridge br0.\n"),
    (["addif", "br0", "w1a", "nosuch0"], b"interface nosuch0 does not exist!\n"),
    (["addif", "br0", "w1a", "lo"], b"can't add lo to bridge br0: Invalid argument\n"),  # w1a was in, and undone
    (["addif", "br0", "w1a", "w1a"], b"brctl addif: port w1a is given twice\n"),
    (["addif", "w1b", "w1a"], b"can't add w1a to bridge w1b: w1b: not a bridge\n"),
    (["delif", "br0", "w0a", "w1a"], b"device w1a is not a port of br0\n"),
    (["setfd", "br0", "-1"], b"set forward delay failed: forward delay -1 is out of range (0 to 42949672.95 seconds)\n"),
    (["setfd", "br0", "1.5x"], b"bad forward delay value\n"),
    (["setfd", "br0", "inf"], b"set forward delay failed: forward delay inf is out of range"),
    (["setageing", "br0", "99999999999"], b"set ageing time failed: ageing time 99999999999 is out of range"),
    (["setbridgeprio", "br0", "65536"], b"set bridge priority failed: bridge priority 65536 is out of range (0-65535)\n"),
    (["setbridgeprio", "br0", "-1"], b"set bridge priority failed: bridge priority -1 is out of range (0-65535)\n"),
    (["setbridgeprio", "br0", "12x"], b"bad priority\n"),
    (["setportprio", "br0", "w1a", "5"], b"set port priority failed: w1a: not a port of br0\n"),
    (["setpathcost", "br0", "w0a", "-5"], b"set path cost failed: path cost -5 is out of range"),
    (["hairpin", "br0", "w1a", "on"], b"can't set w1a to hairpin on bridge br0: w1a: not a port of br0\n"),
    (["setfd", "br0", "2", "3"], b"Incorrect number of arguments for command: brctl setfd <bridge> <time>\n"),
    (["addif", "br0"], b"Incorrect number of arguments for command: brctl addif <bridge> <device>\n"),
    (["bogus"], b"never heard of command [bogus]\n"),
    (["-x"], b"Unknown option '-x'; brctl --help lists the commands\n"),
]


@pytest.fixture(scope="module")
def lab():
    with nstest.prepared("brbad", SETUP) as ns:
        yield ns


def _one_line_failure(result):
    assert result.returncode == 1
    assert result.stderr.count(b"\n") == 1 and result.stderr.endswith(b"\n"), result.stderr


@pytest.mark.parametrize("argv", SAME_AS_BRCTL, ids=" ".join)
def test_refused_like_brctl(lab, argv):
    before = brtest.snapshot(lab)
    theirs = lab.exec("brctl", *argv)
    assert theirs.returncode == 1 and brtest.snapshot(lab) == before  # brctl changes nothing either
    mine = lab.sockctl("brctl", *argv)
    _one_line_failure(mine)
    assert (mine.stdout, mine.stderr) == (b"", theirs.stderr)
    assert brtest.snapshot(lab) == before


@pytest.mark.parametrize("argv, message", OURS_ONLY, ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_refused_whole(lab, argv, message):
    before = brtest.snapshot(lab)
    mine = lab.sockctl("brctl", *argv)
    _one_line_failure(mine)
    assert mine.stderr.startswith(message) and mine.stdout == b""
    assert brtest.snapshot(lab) == before


DROP = ["setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin"]


@pytest.mark.parametrize("argv", [
    ["addbr", "brx"], ["delbr", "br5"], ["addif", "br0", "w1a"], ["delif", "br0", "w0a"], ["setfd", "br0", "5"],
    ["setbridgeprio", "br0", "4096"], ["stp", "br0", "on"], ["setpathcost", "br0", "w0a", "5"],
    ["setportprio", "br0", "w0a", "5"], ["hairpin", "br0", "w0a", "on"],
], ids=" ".join)
def test_missing_privilege(lab, argv):
    """Without CAP_NET_ADMIN every change is refused, as brctl's is, and reading still works."""
    before = brtest.snapshot(lab)
    theirs = lab.exec(*DROP, "brctl", *argv)
    mine = lab.exec(*DROP, sys.executable, "-m", "sockctl", "brctl", *argv)
    _one_line_failure(mine)
    assert b"Operation not permitted" in mine.stderr
    if argv[0] != "hairpin":  # brctl falls back to an ioctl there is none of, and prints its error
        assert mine.stderr == theirs.stderr
    assert brtest.snapshot(lab) == before
    listing = lab.exec(*DROP, sys.executable, "-m", "sockctl", "brctl", "show")
    assert listing.returncode == 0 and listing.stdout == lab.exec("brctl", "show").stdout
