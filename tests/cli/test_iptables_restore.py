"""sockctl iptables-restore against iptables-legacy-restore: the same input, the same tables in the kernel.

Twin namespaces get the same input, one through the peer tool and one
through sockctl; the tables are then read back from the kernel (geometry and
blob, byte for byte) and listed by iptables-legacy-save.
"""

import pytest

import ipt
import nstest


@pytest.fixture
def twins():
    if not nstest.IS_ROOT:
        pytest.skip("needs root to create network namespaces (CI runs the suite as root)")
    with nstest.netns("iptpeer") as peer, nstest.netns("iptmine") as mine:
        yield peer, mine


def corpus(family: int) -> bytes:
    with open(ipt.CORPUS[family], "rb") as f:
        return f.read()


def assert_same_tables(peer, mine, family):
    assert ipt.blobs(mine, family) == ipt.blobs(peer, family)
    assert ipt.tables_saved(mine, family) == ipt.tables_saved(peer, family)


@pytest.mark.parametrize("family", [4, 6])
@pytest.mark.parametrize("args", [["-c"], []])
def test_restore_corpus(twins, family, args):
    peer, mine = twins
    ipt.peer_restore(peer, family, corpus(family), *args)
    result = ipt.sockctl(mine, f"{ipt.OURS[family]}-restore", *args, input=corpus(family))
    assert result.returncode == 0, result.stderr
    assert result.stdout == result.stderr == b""
    assert_same_tables(peer, mine, family)


NOFLUSH = b"""*filter
:INPUT DROP [0:0]
:services - [0:0]
:fresh - [0:0]
-A INPUT -p tcp -m tcp --dport 8443 -j services
-A services -j LOG --log-prefix "svc "
-A fresh -j RETURN
COMMIT
*nat
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -o eth9 -j MASQUERADE
COMMIT
"""


@pytest.mark.parametrize("args", [["-n"], ["--noflush", "-c"]])
def test_noflush_on_a_loaded_table(twins, args):
    peer, mine = twins
    for ns in twins:
        ipt.peer_restore(ns, 4, corpus(4), "-c")
    ipt.peer_restore(peer, 4, NOFLUSH, *args)
    result = ipt.sockctl(mine, "iptables-restore", *args, input=NOFLUSH)
    assert result.returncode == 0, result.stderr
    assert_same_tables(peer, mine, 4)


def test_file_argument_and_one_table(twins, tmp_path):
    peer, mine = twins
    path = tmp_path / "rules"
    path.write_bytes(corpus(4))
    ipt.peer_restore(peer, 4, corpus(4), "-T", "nat")
    result = ipt.sockctl(mine, "iptables-restore", "-T", "nat", str(path))
    assert result.returncode == 0, result.stderr
    assert_same_tables(peer, mine, 4)


def test_test_mode_changes_nothing(twins):
    _, mine = twins
    ipt.peer_restore(mine, 4, corpus(4), "-c")
    before = ipt.blobs(mine, 4)
    result = ipt.sockctl(mine, "iptables-restore", "-t", input=NOFLUSH)
    assert result.returncode == 0 and result.stderr == b""
    assert ipt.blobs(mine, 4) == before


# Each mistake: (input, line named, message part). Lines before the mistake are valid and would
# change tables; nothing may change.
MISTAKES = [
    (b"*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*nat\n-A OUTPUT -p tcp --dport 99999 -j ACCEPT\nCOMMIT\n", 5,
     "invalid port/service `99999' specified"),
    (b"*filter\n-F\n-A INPUT -j nosuchchain\nCOMMIT\n", 3, "Couldn't load target `nosuchchain'"),
    (b"*filter\n:new - [0:0]\n-A INPUT -j new\n-X new\nCOMMIT\n", 4, "Can't delete chain with references left"),
    (b"*filter\n-A INPUT -j ACCEPT\n", 3, "COMMIT expected"),
    (b"*filter\n:INPUT BOGUS [0:0]\nCOMMIT\n", 2, "Can't set policy `BOGUS' on `INPUT'"),
    (b"*filter\n-A INPUT -m quota --quota 10 -j ACCEPT\nCOMMIT\n", 2, "match `quota' has no codec in sockctl"),
    (b"*filter\n-A INPUT -j ACCEPT\nCOMMIT\nbogus\n", 4, "failed"),
    (b"*filter\n-A INPUT -s 10.0.0.0/40 -j ACCEPT\nCOMMIT\n", 2, "invalid mask `40' specified"),
    (b"*filter\n-A INPUT -t nat -j ACCEPT\nCOMMIT\n", 2, "The -t option cannot be used in iptables-restore."),
    (b"*nosuchtable\nCOMMIT\n", 1, "unable to initialize table 'nosuchtable'"),
    (b"*filter\n[5:6 -A INPUT -j ACCEPT\nCOMMIT\n", 2, "Bad line: need ]"),
]


@pytest.mark.parametrize("text, line, message", MISTAKES, ids=[str(m[1]) + " " + m[2] for m in MISTAKES])
def test_a_mistake_anywhere_changes_nothing(twins, text, line, message):
    _, mine = twins
    ipt.peer_restore(mine, 4, corpus(4), "-c")
    before = ipt.blobs(mine, 4)
    result = ipt.sockctl(mine, "iptables-restore", input=text)
    assert result.returncode == 1
    assert result.stderr.startswith(f"iptables-restore: line {line}: ".encode())
    assert message.encode() in result.stderr and result.stderr.count(b"\n") == 1
    assert ipt.blobs(mine, 4) == before


def test_kernel_refusal_puts_earlier_tables_back(twins):
    """REJECT belongs to the filter table: the kernel refuses the nat table, the filter table is restored."""
    _, mine = twins
    ipt.peer_restore(mine, 4, corpus(4), "-c")
    before = ipt.tables_saved(mine, 4, counters=False)
    text = b"*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*nat\n-A PREROUTING -p tcp -j REJECT\nCOMMIT\n"
    result = ipt.sockctl(mine, "iptables-restore", input=text)
    assert result.returncode == 1 and result.stderr.count(b"\n") == 1
    assert b"Invalid argument" in result.stderr
    assert ipt.tables_saved(mine, 4, counters=False) == before


def test_verbose_output(twins):
    peer, mine = twins
    text = b"# a comment\n*filter\n:INPUT ACCEPT [0:0]\n:web - [0:0]\n-A INPUT -p tcp --dport 80 -j web\nCOMMIT\n"
    for ns in twins:
        ipt.peer_restore(ns, 4, corpus(4))
    expected = nstest.run(["ip", "netns", "exec", peer.name, "iptables-legacy-restore", "-v"], input=text)
    result = ipt.sockctl(mine, "iptables-restore", "-v", input=text)
    assert result.returncode == 0
    # The peer echoes comments as it reads them; sockctl prints the same lines.
    assert sorted(result.stdout.splitlines()) == sorted(expected.stdout.splitlines())
    assert_same_tables(peer, mine, 4)
