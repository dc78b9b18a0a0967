"""Editing a table as libiptc does: chain order, references, and where each entry's counters come from."""

import pytest

from sockctl.netfilter import codec
from sockctl.netfilter.edit import TableEdit, TableError, same_rule
from sockctl.netfilter.model import (
    ACCEPT, ANY4, DROP, RETURN, Chain, Counters, Fallthrough, IPv4Header, Jump, Match, Rule, Table, Verdict,
)

SAME = same_rule(lambda ext: len(ext.data))


def table(*user_chains, input_rules=()):
    chains = (Chain("INPUT", tuple(input_rules), 1, Verdict(ACCEPT), Counters(1, 10)),
              Chain("FORWARD", (), 2, Verdict(DROP), Counters(2, 20)),
              Chain("OUTPUT", (), 3, Verdict(ACCEPT), Counters(3, 30))) + user_chains
    return Table("filter", 2, 0b1110, chains)


def rule(target=Fallthrough(), counters=Counters(0, 0), proto=0):
    return Rule(IPv4Header.make(proto=proto), (), target, counters)


def names(edit):
    return [c.name for c in edit.chains]


def test_user_chains_are_kept_in_name_order():
    edit = TableEdit(table(Chain("m", ()), Chain("b", ())))
    assert names(edit) == ["INPUT", "FORWARD", "OUTPUT", "b", "m"]
    edit.create_chain("c")
    edit.create_chain("a")
    edit.create_chain("Z")  # byte order: upper case first
    assert names(edit) == ["INPUT", "FORWARD", "OUTPUT", "Z", "a", "b", "c", "m"]
    edit.rename_chain("a", "x")
    assert names(edit) == ["INPUT", "FORWARD", "OUTPUT", "Z", "b", "c", "m", "x"]


def test_rename_follows_jumps_and_references_count():
    edit = TableEdit(table(Chain("web", ()), input_rules=[rule(Jump("web")), rule(Jump("web"))]))
    assert edit.references("web") == 2
    edit.rename_chain("web", "www")
    assert [r.target for r in edit.rules("INPUT")] == [Jump("www"), Jump("www")]
    with pytest.raises(TableError, match="references left"):
        edit.delete_chain("www")
    edit.flush("INPUT")
    edit.delete_chain("www")
    assert names(edit) == ["INPUT", "FORWARD", "OUTPUT"]


@pytest.mark.parametrize("operation, message", [
    (lambda e: e.append("NOPE", rule()), "No chain/target/match by that name"),
    (lambda e: e.insert("INPUT", rule(), 1), "Index of insertion too big"),
    (lambda e: e.insert("INPUT", rule(), -1), "Index of insertion too big"),  # libiptc's numbers are unsigned
    (lambda e: e.replace("INPUT", rule(), 0), "Index of replacement too big"),
    (lambda e: e.delete_number("INPUT", 0), "Index of deletion too big"),
    (lambda e: e.delete_rule("INPUT", rule(), SAME), "Bad rule (does a matching rule exist in that chain?)"),
    (lambda e: e.create_chain("web"), "Chain already exists"),
    (lambda e: e.create_chain("ACCEPT"), "Chain already exists"),
    (lambda e: e.delete_chain("INPUT"), "Can't delete built-in chain"),
    (lambda e: e.rename_chain("web", "INPUT"), "File exists"),
    (lambda e: e.rename_chain("INPUT", "x"), "No chain/target/match by that name"),
    (lambda e: e.set_policy("web", "DROP", None), "Bad built-in chain name"),
    (lambda e: e.set_policy("INPUT", "RETURN", None), "Bad policy name"),
    (lambda e: e.append("INPUT", rule(Jump("OUTPUT"))), "cannot jump to the built-in chain"),
    (lambda e: e.append("INPUT", rule(Jump("nowhere"))), "No chain/target/match by that name"),
    (lambda e: e.zero_rule("INPUT", 1), "Index of counter too big"),
])
def test_refusals(operation, message):
    edit = TableEdit(table(Chain("web", (rule(Verdict(RETURN)),))))
    before = edit.table()
    with pytest.raises(TableError) as caught:
        operation(edit)
    assert message in str(caught.value)
    assert edit.table() == before


def test_delete_compares_as_libiptc():
    kept = rule(Verdict(DROP), Counters(9, 9), proto=6)
    edit = TableEdit(table(input_rules=[rule(Verdict(ACCEPT), proto=6), kept]))
    edit.delete_rule("INPUT", rule(Verdict(DROP), proto=6), SAME)  # counters do not count
    assert edit.rules("INPUT") == [rule(Verdict(ACCEPT), proto=6)]


def test_counters_follow_libiptc():
    """Kept rules take the counters the replace returns; new ones their own; zeroed ones the difference."""
    web = Chain("web", (rule(Verdict(RETURN), Counters(4, 40)),))
    original = table(web, input_rules=[rule(Verdict(ACCEPT), Counters(5, 50)), rule(Jump("web"), Counters(6, 60))])
    # Kernel entry indices: INPUT rules 0, 1, policy 2; FORWARD 3; OUTPUT 4; web head 5, rule 6, foot 7; end 8.
    returned = [(15, 150), (16, 160), (11, 110), (12, 120), (13, 130), (0, 0), (14, 140), (0, 0), (0, 0)]
    edit = TableEdit(original)
    edit.insert("INPUT", rule(Verdict(DROP), Counters(7, 70)), 0)
    edit.zero("web")
    edit.set_policy("FORWARD", "ACCEPT", None)
    edit.set_policy("OUTPUT", "DROP", Counters(8, 80))
    assert edit.new_counters(returned) == [
        (7, 70), (15, 150), (16, 160), (10, 100),  # INPUT: new, kept, kept, policy counted since the read
        (0, 0), (8, 80),                          # FORWARD policy set without counters; OUTPUT with them
        (0, 0), (14 - 4, 140 - 40), (0, 0),       # web: head, zeroed rule, foot
        (0, 0)]                                   # the final ERROR entry
    assert len(edit.new_counters(returned)) == codec.encode_table(edit.table()).num_entries


def test_same_rule_masks_interface_bytes():
    a = Rule(IPv4Header.make(iniface="eth+", iniface_mask=b"\xff" * 3 + bytes(13)), (), Verdict(ACCEPT))
    b = Rule(IPv4Header.make(iniface="eth0", iniface_mask=b"\xff" * 3 + bytes(13)), (), Verdict(ACCEPT))
    c = Rule(IPv4Header.make(iniface="eth0", iniface_mask=b"\xff" * 5 + bytes(11)), (), Verdict(ACCEPT))
    assert SAME(a, b) and not SAME(a, c)
    m1 = Rule(ANY4, (Match("x", 0, b"\1" * 8),), Verdict(ACCEPT))
    m2 = Rule(ANY4, (Match("x", 1, b"\1" * 8),), Verdict(ACCEPT))  # revisions are not compared
    m3 = Rule(ANY4, (Match("x", 0, b"\2" * 8),), Verdict(ACCEPT))
    assert SAME(m1, m2) and not SAME(m1, m3)
    partial = same_rule(lambda ext: 4)
    m4 = Rule(ANY4, (Match("x", 0, b"\1" * 4 + b"\2" * 4),), Verdict(ACCEPT))
    assert partial(m1, m4) and not SAME(m1, m4)
