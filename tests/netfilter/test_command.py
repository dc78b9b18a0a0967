"""The iptables command line (do_parse): commands, rule headers, option checks. No privileges."""

import shlex
import struct

import pytest

from sockctl.netfilter import command as c
from sockctl.netfilter.xtables import RuleError

from nfstub import V4, V6, Kernel


def parse(line: str, family=V4, table="filter", restore=False):
    return c.parse(shlex.split(line), family, Kernel(), table, restore)


def header_fields(spec, family=V4):
    (header,) = spec.headers()
    return header


@pytest.mark.parametrize("line, command, chain, rulenum", [
    ("-A INPUT -j ACCEPT", c.CMD_APPEND, "INPUT", 0),
    ("--append INPUT", c.CMD_APPEND, "INPUT", 0),
    ("--app INPUT", c.CMD_APPEND, "INPUT", 0),
    ("-I INPUT", c.CMD_INSERT, "INPUT", 1),
    ("-I INPUT 3 -j DROP", c.CMD_INSERT, "INPUT", 3),
    ("-D INPUT 2", c.CMD_DELETE_NUM, "INPUT", 2),
    ("-D INPUT -j DROP", c.CMD_DELETE, "INPUT", 0),
    ("-R INPUT 4 -j DROP", c.CMD_REPLACE, "INPUT", 4),
    ("-C INPUT -j DROP", c.CMD_CHECK, "INPUT", 0),
    ("-L", c.CMD_LIST, None, 0),
    ("-nvL", c.CMD_LIST, None, 0),
    ("-L INPUT 2", c.CMD_LIST, "INPUT", 2),
    ("-LINPUT", c.CMD_LIST, "INPUT", 0),
    ("-S OUTPUT", c.CMD_LIST_RULES, "OUTPUT", 0),
    ("-L -Z", c.CMD_LIST | c.CMD_ZERO, None, 0),
    ("-Z INPUT 3", c.CMD_ZERO_NUM, "INPUT", 3),
    ("-F", c.CMD_FLUSH, None, 0),
    ("-X web", c.CMD_DELETE_CHAIN, "web", 0),
    ("-N web", c.CMD_NEW_CHAIN, "web", 0),
    ("-E web www", c.CMD_RENAME_CHAIN, "web", 0),
    ("-P INPUT DROP", c.CMD_SET_POLICY, "INPUT", 0),
])
def test_commands(line, command, chain, rulenum):
    cmd = parse(line)
    assert (cmd.command, cmd.chain, cmd.rulenum) == (command, chain, rulenum)


def test_list_switches():
    cmd = parse("-L -n -v -x --line-numbers")
    assert cmd.numeric and cmd.exact and cmd.line_numbers and cmd.verbose == 1
    assert parse("-vvL").verbose == 2


def test_header_of_a_full_rule():
    spec = parse("-A FORWARD ! -s 10.1.2.3/16 -d 192.168.0.1 -i eth+ ! -o veth0 ! -p tcp -f -j ACCEPT").spec
    header = header_fields(spec)
    # ipt_ip: src dst smsk dmsk (network order), iniface, outiface, masks, proto, flags, invflags
    expected = struct.pack("=4s4s4s4s16s16s16s16sHBB", bytes([10, 1, 0, 0]), bytes([192, 168, 0, 1]),
                           bytes([255, 255, 0, 0]), b"\xff" * 4, b"eth+", b"veth0", b"\xff" * 3 + bytes(13),
                           b"\xff" * 6 + bytes(10), 6, 0x01, 0x08 | 0x02 | 0x40)
    assert header.raw == expected
    assert spec.jumpto == "ACCEPT" and spec.target is None


def test_ipv6_header_sets_the_protocol_flag():
    spec = parse("-A INPUT -s 2001:db8::/32 -p ipv6-icmp -j ACCEPT", V6).spec
    header = header_fields(spec)
    assert header.proto == 58 and header.flags == 0x01
    assert str(header.src) == "2001:db8::" and str(header.smsk) == "ffff:ffff::"


def test_addresses_multiply_rules():
    spec = parse("-A INPUT -s 10.0.0.1,10.0.0.2 -d 1.1.1.1,2.2.2.2 -j DROP").spec
    pairs = [(str(h.src), str(h.dst)) for h in spec.headers()]
    assert pairs == [("10.0.0.1", "1.1.1.1"), ("10.0.0.1", "2.2.2.2"), ("10.0.0.2", "1.1.1.1"),
                     ("10.0.0.2", "2.2.2.2")]


@pytest.mark.parametrize("text, address, mask", [
    ("10.1.2.3/8", "10.0.0.0", "255.0.0.0"),
    ("10.1", "10.1.0.0", "255.255.255.255"),
    ("any/0", "0.0.0.0", "0.0.0.0"),
    ("10.0.0.1/255.255.0.255", "10.0.0.1", "255.255.0.255"),
    ("0x0a.0.0.010", "10.0.0.8", "255.255.255.255"),
])
def test_address_forms(text, address, mask):
    (header,) = parse(f"-A INPUT -s {text}").spec.headers()
    assert (str(header.src), str(header.smsk)) == (address, mask)


def test_goto_and_counters():
    spec = parse("-A INPUT -g web -c 10 20").spec
    assert spec.goto and spec.jumpto == "web"
    assert header_fields(spec).flags == 0x02
    assert (spec.counters.packets, spec.counters.bytes) == (10, 20)
    assert parse("-A INPUT -c 3,4").spec.counters.bytes == 4


def test_protocol_match_loads_on_demand():
    spec = parse("-A INPUT -p 6 --dport 22 --sport 1").spec
    assert [m.name for m in spec.matches] == ["tcp"]


def test_restore_lines_of_the_other_family_are_skipped():
    assert parse("-4 -A INPUT -j ACCEPT", V6, restore=True).skip
    assert not parse("-6 -A INPUT -j ACCEPT", V6, restore=True).skip


BAD = [
    ("-A INPUT -D INPUT", "Cannot use -D with -A"),
    ("-A INPUT -n", "Illegal option `-n' with this command"),
    ("-L -s 1.2.3.4", "Illegal option `-s' with this command"),
    ("-A INPUT -s 1.2.3.4 -s 5.6.7.8", "multiple -s flags not allowed"),
    ("-A INPUT ! -j ACCEPT", "cannot have ! before -j"),
    ("-A INPUT !", "nothing appropriate following !"),
    ("! -A INPUT", "unexpected '!' flag"),
    ("-j ACCEPT", "no command specified"),
    ("-A INPUT extra", "Bad argument `extra'"),
    ("-A INPUT --bogus", 'unknown option "--bogus"'),
    ("-A INPUT -y", 'unknown option "-y"'),
    ("-A INPUT -j", 'option "-j" requires an argument'),
    ("-A INPUT --d 1.2.3.4", 'unknown option "--d"'),
    ("-A INPUT -p tcp --xyz", 'unknown option "--xyz"'),
    ("-A INPUT -p nope", 'unknown protocol "nope" specified'),
    ("-A INPUT ! -p all", "rule would never match protocol"),
    ("-A INPUT -s 1.2.3.4/33", "invalid mask `33' specified"),
    ("-A INPUT ! -s 1.1.1.1,2.2.2.2", "! not allowed with multiple source or destination IP addresses"),
    ("-R INPUT 1 -s 1.1.1.1,2.2.2.2", "Replacement rule does not specify a unique address"),
    ("-R INPUT", "-R requires a rule number"),
    ("-I INPUT 0", "Invalid rule number `0'"),
    ("-E web", "-E requires old-chain-name and new-chain-name"),
    ("-P INPUT", "-P requires a chain and a policy"),
    ("-A INPUT -o eth0", "Can't use -o with INPUT"),
    ("-A OUTPUT -i eth0", "Can't use -i with OUTPUT"),
    ("-A INPUT -i ''", "Empty interface is likely to be undesired"),
    ("-A INPUT -i averyveryverylongname", "must be shorter than IFNAMSIZ"),
    ("-A averyveryveryveryverylongchainname", "too long (must be under 29 chars)"),
    ("-N -x", "chain name not allowed to start with `-'"),
    ("-N DROP", "chain name may not clash with target name"),
    ("-N LOG", "chain name may not clash with target name"),
    ("-A INPUT -m nosuch", "Couldn't load match `nosuch':No such file or directory"),
    ("-A INPUT ! -m tcp", "unexpected ! flag before --match"),
    ("-A INPUT -c 1", "-c requires packet and byte counter"),
    ("-A INPUT -c x 1", "-c packet counter not numeric"),
]


@pytest.mark.parametrize("line, message", BAD, ids=[b[0] for b in BAD])
def test_refused(line, message):
    with pytest.raises(RuleError) as caught:
        parse(line)
    assert message in str(caught.value)


def test_nat_table_refuses_drop():
    with pytest.raises(RuleError, match='"nat" table is not intended for filtering'):
        parse("-A PREROUTING -j DROP", table="nat")


def test_restore_refuses_table_and_wait():
    with pytest.raises(RuleError, match="The -t option cannot be used"):
        parse("-t nat -t filter -A INPUT", restore=True)
    with pytest.raises(RuleError, match="You cannot use `-w' from iptables-restore"):
        parse("-w -A INPUT", restore=True)
    with pytest.raises(RuleError, match="-f' is not supported in IPv6"):
        parse("-A INPUT -f", V6)


def test_unknown_host(monkeypatch):
    """A name the resolver does not know (the resolver stubbed: no query leaves the machine)."""
    from sockctl.netfilter import addresses

    asked = []
    monkeypatch.setattr(addresses, "_resolve", lambda name, af: asked.append(name) or [])
    with pytest.raises(RuleError, match="host/network `300.1.1.1' not found"):
        parse("-A INPUT -s 300.1.1.1")
    assert asked == ["300.1.1.1"]
