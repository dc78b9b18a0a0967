"""Rules appended and inserted one at a time through the library, against the same changes by iptables-legacy.

Twin namespaces start from the corpus, loaded with counters. In one,
``tables.append_rule`` and ``insert_rule`` add rules (the splice of one
entry into the blob); in the other, iptables-legacy runs the same command
lines. After every step both kernels must hold the same table: the same
iptables-save -c text and the same geometry and blob, so the rules that
were there keep their counters.
"""

import shlex

import pytest

import ipt
import nstest
from sockctl import channel
from sockctl.cli.iptables import KernelOracle
from sockctl.netfilter import command, kernel, splice, tables
from sockctl.netfilter.edit import TableEdit
from sockctl.netfilter.model import Counters, Rule

STEPS = {
    4: [("filter", "-A INPUT -s 10.0.0.1/32 -p tcp -m tcp --dport 22 -j ACCEPT"),
        ("filter", "-I INPUT 1 -i lo -j ACCEPT"),
        ("filter", "-I INPUT 3 -m comment --comment 'no verdict'"),
        ("filter", "-A FORWARD -p udp -j services"),
        ("filter", "-I services 1 -s 192.0.2.0/24 -j DROP"),
        ("filter", "-A services -j RETURN"),
        ("filter", "-A zz-empty -j LOGDROP"),
        ("filter", "-I INPUT 2 -j zz-empty"),
        ("filter", "-A OUTPUT -d 198.51.100.0/24 -j REJECT --reject-with icmp-host-unreachable"),
        ("nat", "-A PREROUTING -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.0.0.2:80"),
        ("nat", "-I POSTROUTING 1 -o eth0 -j MASQUERADE"),
        ("mangle", "-A marks -s 10.1.0.0/16 -j MARK --set-xmark 0x3/0xff"),
        ("mangle", "-I PREROUTING 2 -j marks"),
        ("raw", "-A OUTPUT -o lo -j NOTRACK")],
    6: [("filter", "-A INPUT -s 2001:db8::1/128 -p tcp -m tcp --dport 22 -j ACCEPT"),
        ("filter", "-I INPUT 2 -i lo"),
        ("mangle", "-A FORWARD -o eth0 -j ACCEPT"),
        ("raw", "-I PREROUTING 1 -s 2001:db8::/32 -j DROP")],
}


@pytest.fixture(scope="module")
def twins():
    if not nstest.IS_ROOT:
        pytest.skip("needs root to create network namespaces (CI runs the suite as root)")
    peer = ipt.corpus_namespace("libpeer")
    ours = ipt.corpus_namespace("libours")
    yield next(peer), next(ours)
    for namespace in (peer, ours):
        next(namespace, None)


def _library_call(family: int, table: str, line: str) -> None:
    """LINE as sockctl's library takes it: parsed, its target named, then append_rule or insert_rule."""
    fam = ipt.FAMILY[family]
    cmd = command.parse(shlex.split(line), fam.nfproto, KernelOracle(fam), table)
    [rule] = tables.resolve(cmd.spec, TableEdit(tables.read(fam, table)))
    rule = Rule(rule.header, rule.matches, rule.target, Counters(0, 0))
    info, blob = kernel.read(fam, table)
    splice.insert(fam.nfproto, info, blob, cmd.chain, rule, None)  # the corpus is in libiptc's layout: no Unusual
    if cmd.command == command.CMD_APPEND:
        tables.append_rule(table, cmd.chain, rule, fam)
    else:
        tables.insert_rule(table, cmd.chain, rule, cmd.rulenum, fam)


@pytest.mark.parametrize("family", [4, 6])
def test_library_appends_and_inserts_match_the_peer(twins, family):
    peer, ours = twins
    for table, line in STEPS[family]:
        peer.exec(ipt.PEER[family], "-t", table, *shlex.split(line), check=True)
        with channel.netns(ours.name):
            _library_call(family, table, line)
        step = f"-t {table} {line}"
        assert ipt.peer_save(ours, family, "-c", "-t", table) == ipt.peer_save(peer, family, "-c", "-t", table), step
        assert ipt.blobs(ours, family)[table] == ipt.blobs(peer, family)[table], step
