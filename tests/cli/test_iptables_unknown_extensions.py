"""Matches and targets sockctl has no codec for (quota, CLASSIFY here): listed, kept exactly, not written.

They are listed the way iptables lists an extension revision it cannot
read, and changes to their table (a write, a --noflush restore) leave their
entries byte for byte as they were: the twin namespace where iptables-legacy
makes the same change ends with the same kernel tables.
"""

import pytest

import ipt
import nstest

SETUP = [["-t", "mangle", "-A", "POSTROUTING", "-m", "quota", "--quota", "1000", "-j", "CLASSIFY",
          "--set-class", "1:2"],
         ["-t", "mangle", "-A", "POSTROUTING", "-p", "tcp", "-m", "quota", "--quota", "5", "-m", "tcp",
          "--dport", "80", "-j", "ACCEPT"]]


@pytest.fixture
def twins():
    if not nstest.IS_ROOT:
        pytest.skip("needs root to create network namespaces (CI runs the suite as root)")
    with nstest.netns("iptupeer") as peer, nstest.netns("iptumine") as mine:
        for ns in (peer, mine):
            for args in SETUP:
                ns.exec("iptables-legacy", *args, check=True)
        yield peer, mine


def test_listed_as_iptables_lists_what_it_cannot_read(twins):
    _, mine = twins
    saved = ipt.sockctl(mine, "iptables-save", "-t", "mangle")
    assert saved.returncode == 0
    rules = [line for line in saved.stdout.splitlines() if line.startswith(b"-A")]
    assert rules == [b"-A POSTROUTING -m quota [unsupported revision] -j CLASSIFY [unsupported revision]",
                     b"-A POSTROUTING -p tcp -m quota [unsupported revision] -m tcp --dport 80 -j ACCEPT"]
    listing = ipt.sockctl(mine, "iptables", "-t", "mangle", "-L", "POSTROUTING", "-n").stdout.splitlines()
    # target %-9s, protocol %-4s, opt, source and destination %-19s, then each match and the target.
    assert listing[2:] == [
        b"CLASSIFY   0    --  0.0.0.0/0            0.0.0.0/0           quota [unsupported revision]  "
        b"CLASSIFY [unsupported revision]",
        b"ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0           quota [unsupported revision]  tcp dpt:80"]


@pytest.mark.parametrize("change", [
    ["-t", "mangle", "-A", "POSTROUTING", "-j", "MARK", "--set-mark", "1"],
    ["-t", "mangle", "-I", "POSTROUTING", "-p", "udp", "-j", "ACCEPT"],
    ["-t", "mangle", "-D", "POSTROUTING", "2"],
    ["-t", "mangle", "-Z"],
    ["-t", "mangle", "-N", "extra"],
])
def test_changes_keep_them_exactly(twins, change):
    peer, mine = twins
    peer.exec("iptables-legacy", *change, check=True)
    result = ipt.sockctl(mine, "iptables", *change)
    assert result.returncode == 0, result.stderr
    assert ipt.blobs(mine, 4)["mangle"] == ipt.blobs(peer, 4)["mangle"]


def test_noflush_restore_keeps_them_exactly(twins):
    peer, mine = twins
    text = b"*mangle\n:new - [0:0]\n-A POSTROUTING -o eth0 -j new\n-A new -j RETURN\nCOMMIT\n"
    ipt.peer_restore(peer, 4, text, "--noflush")
    result = ipt.sockctl(mine, "iptables-restore", "--noflush", input=text)
    assert result.returncode == 0, result.stderr
    assert ipt.blobs(mine, 4)["mangle"] == ipt.blobs(peer, 4)["mangle"]


def test_saved_text_does_not_restore(twins):
    """Their save text is not something to write back: the restore names the line and changes nothing."""
    _, mine = twins
    saved = ipt.sockctl(mine, "iptables-save", "-t", "mangle").stdout
    before = ipt.blobs(mine, 4)
    result = ipt.sockctl(mine, "iptables-restore", input=saved)
    assert result.returncode == 1
    assert b"match `quota' has no codec in sockctl" in result.stderr
    assert ipt.blobs(mine, 4) == before
