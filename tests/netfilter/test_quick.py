"""iptables-restore's quick reader against the full parser, without privileges.

``quick.QuickReader`` reads rule lines in iptables-save's form and leaves
anything else to ``command.parse``; codecs' ``payload_of`` read their
usual options directly and leave the rest to start/take/finish. Whenever a
quick way gives an answer, it must be the full way's, on the corpus lines,
on generated lines (odd spellings and mistakes included) and on generated
option runs. The full way itself is compared with iptables-legacy in
tests/cli.
"""

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import ipt
from nfstub import V4, V6, Kernel
from sockctl.netfilter import addresses, command, extensions, quick, restore, tables
from sockctl.netfilter.edit import TableEdit
from sockctl.netfilter.extensions.base import Context, Extension
from sockctl.netfilter.kernel import IPV4
from sockctl.netfilter.model import ACCEPT, Chain, Counters, Table, Verdict

HOOKS = {"raw": ("PREROUTING", "OUTPUT"), "mangle": ("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"),
         "nat": ("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"), "filter": ("INPUT", "FORWARD", "OUTPUT")}
HOOK_NUMBERS = {"PREROUTING": 0, "INPUT": 1, "FORWARD": 2, "OUTPUT": 3, "POSTROUTING": 4}


def _edit(table: str, family: int, user=()) -> TableEdit:
    chains = tuple(Chain(name, (), HOOK_NUMBERS[name], Verdict(ACCEPT)) for name in HOOKS[table])
    edit = TableEdit(Table(table, family, sum(1 << c.hook for c in chains), chains))
    for name in user:
        edit.create_chain(name)
    return edit


def _never_warns(text):
    raise AssertionError(f"the quick reader answered a line the full parser warns about: {text}")


def _agree(family: int, table: str, words: list, counters, edit) -> bool:
    """Whether the quick reader read WORDS; when it did, the full parser must read them the same."""
    got = quick.QuickReader(family, table, Kernel()).rule(list(words), counters, edit)
    if got is None:
        return False
    argv = ["-t", table] + (["--set-counters", str(counters.packets), str(counters.bytes)] if counters else [])
    cmd = command.parse(argv + list(words), family, Kernel(), table, restore=True)
    assert cmd.command == command.CMD_APPEND and not cmd.skip
    assert got == (cmd.chain, tables.resolve(cmd.spec, edit, _never_warns)), words
    return True


def _corpus_lines(family: int):
    """(table, user chains, words, counters) of every rule line of a corpus file."""
    with open(ipt.CORPUS[4 if family == V4 else 6], encoding="utf-8", errors="surrogateescape") as f:
        blocks, _ = restore.parse_lines(f.read())
    for block in blocks:
        user = [line[1:].split()[0] for _, kind, line in block.steps if kind == ":"]
        user = [name for name in user if name not in HOOKS[block.name]]
        for number, kind, line in block.steps:
            if kind == "rule":
                given, words = restore._rule_words(line, number)
                yield block.name, user, words, restore._counters(given) if given else None


@pytest.mark.parametrize("family", [V4, V6])
def test_every_corpus_line_reads_the_same_both_ways(family):
    lines = list(_corpus_lines(family))
    read = sum(_agree(family, table, words, counters, _edit(table, family, user))
               for table, user, words, counters in lines)
    assert read == len(lines)  # iptables-save's form: every line takes the quick way


# --- generated lines -----------------------------------------------------------------------------

_VALUES = st.sampled_from([
    "80", "0", "65535", "65536", "0x50", "010", "1:2", "2:1", ":80", "80:", "1-2", "http", "", "!", "-j", "--dport",
    "10.0.0.1", "10.0.0.0/8", "10.0.0.1/32", "10.1", "010.0.0.1", "10.0.0.1/255.0.0.0", "10.0.0.1,10.0.0.2",
    "10.0.0.1:80", "10.0.0.1:80-90", "[::1]:80", "2001:db8::1", "2001:db8::/64", "0x10/0xff", "0x9", "7/0x0",
    "ESTABLISHED,RELATED", "NEW", "tcp", "udp", "6", "all", "eth0", "eth+", "lo", "a b", "1,2,3:4", "1,2:2",
    ",".join(str(p) for p in range(16)), "info", "pre: ", "x" * 300,
])
_CHAINS = ["INPUT", "OUTPUT", "PREROUTING", "web", "nosuch", "x" * 30]
_TARGETS = ["ACCEPT", "DROP", "RETURN", "web", "nosuch", "LOG", "MARK", "REJECT", "DNAT", "SNAT", "MASQUERADE",
            "REDIRECT", ""]
_MATCHES = ["tcp", "udp", "icmp", "icmp6", "mark", "conntrack", "state", "multiport", "comment", "limit", "nosuch"]


def _options_of(kind: str, name: str, family: int) -> list:
    found = extensions.choose(kind, name, family, Kernel().has)
    return ["--" + o.name for o in found.options] if found else ["--bogus"]


@st.composite
def lines(draw, family):
    words = ["-A", draw(st.sampled_from(_CHAINS))]
    header = draw(st.lists(st.sampled_from(["-s", "-d", "-p", "-i", "-o", "-f", "!"]), max_size=5))
    for word in header:
        words.append(word)
        if word not in ("-f", "!"):
            words.append(draw(_VALUES))
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["-m", "-m", "-j", "-g"]))
        name = draw(st.sampled_from(_MATCHES if kind == "-m" else _TARGETS))
        words += [kind, name]
        options = _options_of("match" if kind == "-m" else "target", name, family)
        for _ in range(draw(st.integers(0, 3))):
            if draw(st.integers(0, 5)) == 0:
                words.append("!")
            words.append(draw(st.sampled_from(options + ["-s", "--comment"])))
            words += draw(st.lists(_VALUES, max_size=2))
    if draw(st.integers(0, 9)) == 0:  # a word out of place
        words.insert(draw(st.integers(0, len(words))), draw(_VALUES))
    return words


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from([V4, V6]).flatmap(lambda family: st.tuples(st.just(family), lines(family))),
       st.sampled_from(["filter", "nat", "mangle"]), st.none() | st.builds(Counters, st.integers(0, 2 ** 64 - 1),
                                                                          st.integers(0, 2 ** 64 - 1)))
def test_generated_lines_read_the_same_both_ways(family_words, table, counters):
    family, words = family_words
    _agree(family, table, words, counters, _edit(table, family, ["web"]))


LEFT_TO_THE_FULL_PARSER = [
    "-I INPUT -j ACCEPT", "-A INPUT -p tcp --dport 80 -j ACCEPT", "-A INPUT -m tcp --dpor 80",
    "-A INPUT -p tcp -m tcp --dport=80", "-A INPUT -j web -m tcp --dport 80 -p tcp", "-A INPUT ! -m tcp",
    "-A INPUT -s 10.0.0.1 -s 10.0.0.2", "-A INPUT -j LOG -j ACCEPT", "-A INPUT -m tcp -s 10.0.0.1",
    "-A INPUT -j nosuch", "-A INPUT -p tcp -m tcp --dport 99999", "-A INPUT -t nat -j ACCEPT", "-A OUTPUT -i lo",
    "-A INPUT -o lo", "-A INPUT -c 1 2 -j ACCEPT", "-A INPUT -4", "-A INPUT ! -p all", "-A INPUT ! -p 0",
    "-A INPUT ! -s 10.0.0.1,10.0.0.2", "-A INPUT -g ACCEPT", "-A INPUT -j MARK ! --set-xmark 1",
    "-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT !", "-A INPUT -f -f", "-A INPUT -m comment ! --comment x",
]


@pytest.mark.parametrize("table, line", [("filter", line) for line in LEFT_TO_THE_FULL_PARSER] +
                         [("nat", "-A PREROUTING -j DROP"), ("nat", "-A OUTPUT -g DROP")])
def test_lines_the_quick_reader_leaves_to_the_full_parser(table, line):
    assert quick.QuickReader(V4, table, Kernel()).rule(line.split(), None, _edit(table, V4, ["web"])) is None


# --- option runs: each codec's payload_of against the default --------------------------------------

CODECS = [c for kind, name in extensions.MODULES for c in extensions._candidates(kind, name)]


@pytest.mark.parametrize("codec", CODECS, ids=lambda c: f"{c.kind}-{c.name}-{c.revision}-{c.family}-{c.user_name}")
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_each_codecs_payload_of_is_the_default(codec, data):
    family = codec.family or data.draw(st.sampled_from([V4, V6]))
    ctx = Context(family, data.draw(st.sampled_from([0, 1, 6, 17, 58])), data.draw(st.sampled_from([0, 0x40])))
    options = data.draw(st.lists(st.sampled_from(codec.options), max_size=3)) if codec.options else []
    run = [(o, [data.draw(_VALUES) for _ in range(o.args)], data.draw(st.booleans())) for o in options]
    results = []
    for way in (codec.payload_of, lambda options, ctx: Extension.payload_of(codec, options, ctx)):
        try:
            results.append(way([(o, list(v), i) for o, v, i in run], ctx))
        except Exception as exc:  # RuleError, or whatever else the default meets: the same
            results.append((type(exc), str(exc)))
    assert results[0] == results[1]


# --- words and addresses ------------------------------------------------------------------------------

@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet='ab \t"\\', max_size=16))
def test_restores_ways_of_splitting_words_agree(text):
    if "\\" not in text:
        assert restore._quoted_words(text) == restore._escaped_words(text)
    assert restore.split_params(text, 1) == restore._escaped_words(text)


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.from_regex(r"\A[0-9]{1,4}(\.[0-9]{1,4}){0,4}(/[0-9]{1,3})?\Z"), _VALUES))
def test_plain_ipv4_addresses_read_as_the_general_parser_reads_them(text):
    found = quick.quick_v4(text)
    if found is not None:
        assert found == addresses.parse_multiple(text, V4)


def test_a_restore_reads_the_same_tables_with_and_without_the_quick_reader():
    """The corpus restored the quick way and the full way (-v makes every line take the full way)."""
    with open(ipt.CORPUS[4], encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    results = []
    for verbose in (0, 1):
        blocks, _ = restore.parse_lines(text)
        edits = [_edit(block.name, V4) for block in blocks]
        for block, edit in zip(blocks, edits):
            restore.apply_block(block, edit, IPV4, Kernel(), {"noflush": False, "counters": True,
                                                              "verbose": verbose}, [].append, None)
        results.append([edit.table() for edit in edits])
    assert results[0] == results[1] and sum(len(c.rules) for t in results[0] for c in t.chains) > 50
