"""``sockctl iptables -A/-I`` through the splice, against iptables-legacy and against the full way.

Three namespaces start from the corpus, loaded with counters (and a chain
named LOG, which makes ``-j LOG`` warn). Each command line runs in all three:
iptables-legacy in the peer's, ``sockctl iptables`` in ours, and ``sockctl
iptables`` forced onto the full way (decode, TableEdit, encode) in the
third. After every step the three kernels must hold the same tables
(iptables-legacy-save -c and the blobs), ours must exit and print as the
peer does, and say on stderr exactly what the full way says. A line with
one address pair must never decode the table (it took the splice); one with
several takes the full way (one decode), as does the third namespace always.
"""

import shlex

import pytest

import ipt
from sockctl import channel
from sockctl.cli import iptables
from sockctl.cli.main import Context
from sockctl.netfilter import codec, splice

LOG_CHAIN = b"*filter\n:LOG - [0:0]\nCOMMIT\n"

STEPS = {
    4: ["-A INPUT -s 10.9.0.1 -p tcp --dport 22 -j ACCEPT",
        "-I INPUT 3 -i lo -j ACCEPT",
        "-I INPUT -p udp -j services",
        "-A services -s 192.0.2.7 -j DROP",
        "-I services 2 -j RETURN",
        "-A FORWARD -o eth0 -g zz-empty",
        "-I zz-empty 1 -m comment --comment 'no verdict'",
        "-A zz-empty -d 10.7.0.0/16",
        "-A OUTPUT -c 5 600 -d 198.51.100.1 -j REJECT",
        "-v -A INPUT -s 10.9.0.2 -j LOGDROP",
        "-v -I OUTPUT 2 -o lo -j ACCEPT",
        "-A INPUT -j LOG",
        "-I FORWARD 1 -j LOG --log-prefix 'fw '",
        "-t nat -A portfw -p tcp --dport 81 -j DNAT --to-destination 10.0.0.3:80",
        "-t nat -I POSTROUTING 1 -o eth1 -j MASQUERADE",
        "-t mangle -I PREROUTING 2 -j marks",
        "-t raw -A OUTPUT -o lo -j NOTRACK",
        "-A INPUT -s 10.1.0.1,10.1.0.2 -d 10.2.0.1,10.2.0.2 -j ACCEPT",
        "-v -I services 1 -s 10.3.0.1,10.3.0.2 -j DROP",
        "-A NOPE -j ACCEPT",
        "-v -A NOPE -s 10.5.0.1 -j ACCEPT",
        "-I INPUT 999 -j ACCEPT",
        "-I zz-empty 4 -j DROP",
        "-A INPUT -j NOPE",
        "-A INPUT -g NOPE",
        "-A INPUT -j FORWARD",
        "-I INPUT 2 -j OUTPUT",
        "-I INPUT 0 -j ACCEPT",
        "-v -I NOPE -s 10.4.0.1,10.4.0.2 -j ACCEPT",
        "-t nat -A PREROUTING -j services",
        "-I zz-empty 3 -s 10.6.0.1 -j RETURN"],
    6: ["-A INPUT -s 2001:db8::9 -p tcp --dport 22 -j ACCEPT",
        "-I INPUT 2 -p ipv6-icmp -j icmp6",
        "-A icmp6 -s 2001:db8::/32 -j DROP",
        "-I icmp6 1 -d ::1",
        "-A FORWARD -g icmp6",
        "-v -I OUTPUT 1 -o lo -j ACCEPT",
        "-t mangle -A FORWARD -o eth0 -j ACCEPT",
        "-A INPUT -s 2001:db8::1,2001:db8::2 -j ACCEPT",
        "-A nope -j ACCEPT",
        "-I INPUT 500 -j DROP",
        "-A INPUT -j nope"],
}


@pytest.fixture(scope="module")
def triplets():
    spaces = [ipt.corpus_namespace(tag) for tag in ("clipeer", "cliours", "clifull")]
    namespaces = [next(space) for space in spaces]
    for ns in namespaces:
        ipt.peer_restore(ns, 4, LOG_CHAIN, "-n")
    yield namespaces
    for space in spaces:
        next(space, None)


def _in_process(ns, family: int, args: list[str], capfd, monkeypatch, full: bool):
    """``sockctl iptables ARGS`` in NS as the command runs it: (exit, stdout, stderr, tables decoded)."""
    decoded = []
    decode = codec.decode_table

    def counting(*a, **kw):
        decoded.append(a[1])
        return decode(*a, **kw)

    def unusual(*a, **kw):
        raise splice.Unusual

    with monkeypatch.context() as patch:
        patch.setattr(codec, "decode_table", counting)
        if full:
            patch.setattr(splice, "walk", unusual)
        with channel.netns(ns.name):
            code = iptables.main(args, Context(), ipt.FAMILY[family])
    out, err = capfd.readouterr()
    return code, out, err, len(decoded)


@pytest.mark.parametrize("family", [4, 6])
def test_appends_and_inserts_match_the_peer_and_the_full_way(triplets, family, capfd, monkeypatch):
    peer, ours, full = triplets
    spliced = 0
    for line in STEPS[family]:
        args = shlex.split(line)
        capfd.readouterr()
        expected = peer.exec(ipt.PEER[family], *args)
        code, out, err, decoded = _in_process(ours, family, args, capfd, monkeypatch, False)
        before = _in_process(full, family, args, capfd, monkeypatch, True)
        several = any("," in arg for arg in args)
        assert (line, code) == (line, expected.returncode), err
        assert out.encode() == expected.stdout, line
        assert (code, out, err) == before[:3], line
        # the full way decodes the table once (none when the line does not parse); a single rule never does
        assert decoded == (before[3] if several else 0), line
        assert before[3] == (0 if line.endswith(" 0 -j ACCEPT") else 1), line
        spliced += code == 0 and not several
        for table in ipt.TABLES:
            saved = ipt.peer_save(peer, family, "-c", "-t", table)
            assert ipt.peer_save(ours, family, "-c", "-t", table) == saved, (line, table)
            assert ipt.peer_save(full, family, "-c", "-t", table) == saved, (line, table)
        assert ipt.blobs(ours, family) == ipt.blobs(peer, family) == ipt.blobs(full, family), line
    assert spliced >= 5

