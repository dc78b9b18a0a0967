"""Bad input to sockctl iptables/ip6tables: a one-line error, a non-zero exit, and the tables as they were."""

import shlex
import sys

import pytest

import ipt


@pytest.fixture(scope="module")
def loaded():
    for ns in ipt.corpus_namespace("iptbad"):
        ns.exec("iptables-legacy", "-N", "loop-a", check=True)
        ns.exec("iptables-legacy", "-N", "loop-b", check=True)
        ns.exec("iptables-legacy", "-A", "loop-a", "-j", "loop-b", check=True)
        ns.exec("iptables-legacy", "-A", "FORWARD", "-j", "loop-a", check=True)  # reachable: the kernel checks
        yield ns


# (family, arguments, exit status as iptables-legacy exits, message part)
BAD = [
    (4, "-t nosuchtable -A INPUT -j ACCEPT", 3, "Table does not exist"),
    (4, "-A NOCHAIN -j ACCEPT", 1, "No chain/target/match by that name"),
    (4, "-A INPUT -j nosuchchain", 2, "Couldn't load target `nosuchchain'"),
    (4, "-A INPUT -g LOGDROP2", 2, "goto 'LOGDROP2' is not a chain"),
    (4, "-A INPUT -m nosuchmatch", 2, "Couldn't load match `nosuchmatch'"),
    (4, "-A INPUT -p tcp --dport 22 --bogus-option", 2, 'unknown option "--bogus-option"'),
    (4, "-A INPUT -j LOG --log-prefix", 2, 'requires an argument'),
    (4, "-A loop-b -j loop-a", 1, "Too many levels of symbolic links"),
    (4, "-X services", 1, "Can't delete chain with references left"),
    (4, "-X INPUT", 1, "Can't delete built-in chain"),
    (4, "-X LOGDROP", 1, "Can't delete chain with references left"),
    (4, "-X zz-empty2", 1, "No chain/target/match by that name"),
    (4, "-N services", 1, "Chain already exists"),
    (4, "-A INPUT -s 10.0.0.256 -j ACCEPT", 2, "host/network `10.0.0.256' not found"),
    (4, "-A INPUT -d 10.0.0.0/99 -j ACCEPT", 2, "invalid mask `99' specified"),
    (4, "-A INPUT -p tcp --dport 80:70 -j ACCEPT", 2, "invalid portrange (min > max)"),
    (4, "-A INPUT -p tcp -m multiport --dports 70:60 -j ACCEPT", 2, "invalid portrange specified"),
    (4, "-A INPUT -p udp --sport 1:2:3 -j ACCEPT", 2, "Too many components"),
    (4, "-t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:99999", 2, "Port `99999' not valid"),
    (4, "-I INPUT 500 -j ACCEPT", 1, "Index of insertion too big"),
    (4, "-D INPUT 500", 1, "Index of deletion too big"),
    (4, "-R INPUT 500 -j ACCEPT", 1, "Index of replacement too big"),
    (4, "-D INPUT -s 1.2.3.4 -j ACCEPT", 1, "Bad rule (does a matching rule exist in that chain?)"),
    (4, "-P INPUT REJECT", 1, "Bad policy name"),
    (4, "-P services DROP", 1, "Bad built-in chain name"),
    (4, "-E services INPUT", 1, "File exists"),
    (4, "-t nat -A POSTROUTING -j DROP", 2, "not intended for filtering"),
    (4, "-A INPUT -m quota --quota 10 -j ACCEPT", 2, "match `quota' has no codec in sockctl"),
    (4, "-A INPUT -j CLASSIFY --set-class 1:1", 2, "target `CLASSIFY' has no codec in sockctl"),
    (4, "-A INPUT -j TTL --ttl-set 5", 1, "Invalid argument"),  # TTL belongs to the mangle table
    (4, "-A INPUT -m owner --uid-owner 0 -j ACCEPT", 1, "Invalid argument"),  # owner: output hooks only
    (4, "-A INPUT -m limit --limit 1/day --limit-burst 9 -j ACCEPT", 1, "out of range"),
    (4, "-A FORWARD -p tcp -j TCPMSS --set-mss 1400", 1, "Invalid argument"),  # needs a SYN match
    (4, "-A INPUT -m recent --set --name '' -j ACCEPT", 1, "Invalid argument"),
    (4, "-A INPUT -m hashlimit --hashlimit-upto 5/s -j ACCEPT", 2, 'option "--hashlimit-name" must be specified'),
    (4, "-A INPUT -m mac --mac-source 00:11 -j DROP", 2, "Invalid MAC address specified."),
    (4, "-A INPUT -m iprange --src-range 10.0.0.x -j ACCEPT", 2, 'iprange: Bad value for "--src-range"'),
    (4, "-t mangle -A INPUT -j CONNMARK --set-mark 1 --restore-mark", 2, "cannot be used together"),
    (6, "-A INPUT -j HL --hl-set 1", 1, "Invalid argument"),
    (6, "-A INPUT -m hl --hl-eq 300 -j ACCEPT", 2, 'hl: bad value for option "--hl-eq", or out of range (0-255).'),
    (6, "-A INPUT -s 2001:db8::g -j ACCEPT", 2, "host/network `2001:db8::g' not found"),
    (6, "-A INPUT -s 2001:db8::/129 -j ACCEPT", 2, "invalid mask `129' specified"),
    (6, "-A INPUT -p icmpv6 --icmpv6-type nosuchtype -j ACCEPT", 2, "Unknown ICMPv6 type `nosuchtype'"),
    (6, "-A INPUT -f -j ACCEPT", 2, "`-f' is not supported in IPv6"),
    (6, "-A NOCHAIN -j ACCEPT", 1, "No chain/target/match by that name"),
]


@pytest.mark.parametrize("family, args, status, message", BAD, ids=[b[1] for b in BAD])
def test_bad_input_changes_nothing(loaded, family, args, status, message):
    before = ipt.blobs(loaded, family)
    peer_status = None
    result = ipt.sockctl(loaded, ipt.OURS[family], *shlex.split(args))
    assert result.returncode == status
    assert result.stderr.count(b"\n") == 1 and result.stderr.endswith(b"\n"), result.stderr
    assert message.encode() in result.stderr
    assert result.stdout == b""
    assert ipt.blobs(loaded, family) == before
    if "has no codec" not in message:  # iptables has those extensions and would write the rule
        peer_status = loaded.exec(ipt.PEER[family], *shlex.split(args)).returncode
        assert peer_status == status
        assert ipt.blobs(loaded, family) == before


DROP_ADMIN = ["setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin"]


@pytest.mark.parametrize("args, message", [
    (["iptables", "-A", "INPUT", "-j", "ACCEPT"], b"iptables: can't initialize iptables table `filter': "
                                                 b"Permission denied (you must be root)\n"),
    (["iptables", "-A", "INPUT", "-m", "conntrack", "--ctstate", "NEW"],
     b"iptables: can't initialize iptables table `filter': Permission denied (you must be root)\n"),
    (["iptables", "-L"], b"iptables: can't initialize iptables table `filter': Permission denied (you must be root)\n"),
    (["ip6tables", "-t", "nat", "-F"],
     b"ip6tables: can't initialize ip6tables table `nat': Permission denied (you must be root)\n"),
    (["iptables-save"], b"iptables-save: Cannot initialize: Permission denied (you must be root)\n"),
])
def test_missing_privilege(loaded, args, message):
    before = ipt.blobs(loaded, 4), ipt.blobs(loaded, 6)
    result = loaded.exec(*DROP_ADMIN, sys.executable, "-m", "sockctl", *args)
    assert result.returncode != 0
    assert result.stderr == message
    assert (ipt.blobs(loaded, 4), ipt.blobs(loaded, 6)) == before


def test_restore_without_privilege(loaded):
    before = ipt.blobs(loaded, 4)
    result = loaded.exec(*DROP_ADMIN, sys.executable, "-m", "sockctl", "iptables-restore",
                         input=b"*filter\n-A INPUT -j ACCEPT\nCOMMIT\n")
    assert result.returncode == 1
    assert result.stderr.startswith(b"iptables-restore: line 1: unable to initialize table 'filter'")
    assert b"CAP_NET_ADMIN" in result.stderr and result.stderr.count(b"\n") == 1
    assert ipt.blobs(loaded, 4) == before
