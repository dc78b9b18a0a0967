"""Reading iptables-restore input: quoting, tables, line numbers of what is wrong. No privileges."""

import pytest

from sockctl.netfilter.restore import RestoreError, parse_lines, split_params


@pytest.mark.parametrize("text, params", [
    ("-A INPUT -j ACCEPT", ["-A", "INPUT", "-j", "ACCEPT"]),
    ("  -A\tINPUT  ", ["-A", "INPUT"]),
    ('-m comment --comment "a b  c"', ["-m", "comment", "--comment", "a b  c"]),
    ('--comment "say \\"hi\\""', ["--comment", 'say "hi"']),
    ('--comment "back\\\\slash"', ["--comment", "back\\slash"]),
    ('--comment ""', ["--comment", ""]),
    ('"ab"cd', ["ab", "cd"]),
    ("a\\b", ["a\\b"]),
])
def test_split_params(text, params):
    assert split_params(text, 1) == params


def test_blocks_and_comments():
    blocks, comments = parse_lines("# head\n*filter\n:INPUT ACCEPT [0:0]\n\n-A INPUT -j ACCEPT\nCOMMIT\n"
                                   "*nat\nCOMMIT\n# tail\n")
    assert [(b.name, b.line) for b in blocks] == [("filter", 2), ("nat", 7)]
    assert blocks[0].steps == [(3, ":", ":INPUT ACCEPT [0:0]"), (5, "rule", "-A INPUT -j ACCEPT")]
    assert comments == [(1, "# head"), (9, "# tail")]


def test_only_one_table():
    blocks, _ = parse_lines("*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*nat\n-A OUTPUT -j ACCEPT\nCOMMIT\n", "nat")
    assert [b.name for b in blocks] == ["nat"]


@pytest.mark.parametrize("text, line, message", [
    ("*filter\n-A INPUT -j ACCEPT\n", 3, "COMMIT expected"),
    ("-A INPUT -j ACCEPT\n", 1, "failed"),
    ("*filter\nCOMMIT\nCOMMIT\n", 3, "failed"),
    ("*\nCOMMIT\n", 1, "table name invalid"),
])
def test_errors_name_their_line(text, line, message):
    with pytest.raises(RestoreError) as caught:
        parse_lines(text)
    assert caught.value.line == line
    assert str(caught.value) == f"line {line}: {message}"
