"""The splice of one rule into a blob against the full way: decode, ``TableEdit``, encode.

For every generated table and rule, ``splice.insert`` gives the same
replace (blob, entry count, hook entry points, underflows) and the same
counters for SO_SET_ADD_COUNTERS as ``TableEdit`` with ``codec.encode_table``,
or the same refusal, or says the table is unusual (the caller then takes
the full way itself).
"""

import struct

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from netfilter.test_dump import FILTER_HOOKS, V4, V6, _extension, _header, tables
from sockctl.netfilter import codec, splice
from sockctl.netfilter.edit import TableEdit, TableError
from sockctl.netfilter.kernel import TableInfo
from sockctl.netfilter.model import (
    ACCEPT, DROP, QUEUE, RETURN, Chain, Counters, Fallthrough, IPv4Header, Jump, Match, Rule, Table, Target, Verdict,
)


NO_HOOK = 0xFFFFFFFF  # what GET_INFO gives for the hooks a table does not have


def _info(encoded, valid_hooks=FILTER_HOOKS) -> TableInfo:
    hooks = range(len(encoded.hook_entry))
    return TableInfo("filter", valid_hooks,
                     tuple(encoded.hook_entry[h] if valid_hooks & (1 << h) else NO_HOOK for h in hooks),
                     tuple(encoded.underflow[h] if valid_hooks & (1 << h) else NO_HOOK for h in hooks),
                     encoded.num_entries, len(encoded.blob))


def _packed(counters: list) -> bytes:
    """(packets, bytes) pairs as SO_SET_ADD_COUNTERS takes them: 64-bit, a negative difference wrapped."""
    return b"".join(struct.pack("=QQ", packets % 2 ** 64, nbytes % 2 ** 64) for packets, nbytes in counters)


def _full(family, info, blob, chain, rule, position, returned):
    """The full way's replace and counters, or its refusal."""
    try:
        edit = TableEdit(codec.decode_table(family, "filter", info.valid_hooks, info.hook_entry, info.underflow,
                                            blob))
        if position is None:
            edit.append(chain, rule)
        else:
            edit.insert(chain, rule, position)
        return codec.encode_table(edit.table()), _packed(edit.new_counters(returned))
    except (TableError, ValueError) as exc:  # DecodeError is a ValueError
        return type(exc).__name__, str(exc)


def _spliced(family, info, blob, chain, rule, position, returned, previous=None):
    try:
        done = splice.insert(family, info, blob, chain, rule, position, previous)
        return done.encoded, done.new_counters(_packed(returned))
    except (TableError, ValueError) as exc:
        return type(exc).__name__, str(exc)


def _rules(family, table):
    user = [c.name for c in table.chains if c.hook is None]
    targets = st.one_of(
        st.sampled_from([Verdict(ACCEPT), Verdict(DROP), Verdict(QUEUE), Verdict(RETURN), Fallthrough()]),
        _extension("target", Target, family),
        st.sampled_from([Jump(n) for n in user + ["INPUT", "missing"]]))
    counters = st.builds(Counters, st.integers(0, 2 ** 64 - 1), st.integers(0, 2 ** 64 - 1))
    return st.builds(Rule, _header(family), st.lists(_extension("match", Match, family), max_size=2).map(tuple),
                     targets, counters, st.integers(0, 2 ** 32 - 1), st.integers(0, 2 ** 32 - 1))


def _returned(data, count):
    return data.draw(st.lists(st.tuples(st.integers(0, 2 ** 40), st.integers(0, 2 ** 40)), min_size=count,
                              max_size=count))


def _change(data, table):
    chain = data.draw(st.sampled_from([c.name for c in table.chains] + ["missing"]))
    position = data.draw(st.none() | st.integers(0, 5))
    return chain, data.draw(_rules(table.family, table)), position


@settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from([V4, V6]).flatmap(tables), st.data())
def test_the_splice_is_the_full_way(table, data):
    encoded = codec.encode_table(table)
    info = _info(encoded)
    chain, rule, position = _change(data, table)
    returned = _returned(data, encoded.num_entries)
    full = _full(table.family, info, encoded.blob, chain, rule, position, returned)
    try:
        spliced = _spliced(table.family, info, encoded.blob, chain, rule, position, returned)
    except splice.Unusual:
        # Only a table out of libiptc's order of chains: built-in ones, then user-defined ones by name.
        kinds = [c.hook is None for c in table.chains]
        names = [c.name.encode() for c in table.chains if c.hook is None]
        assert kinds != sorted(kinds) or names != sorted(names)
        return
    assert spliced == full


def _in_libiptc_order(table: Table) -> Table:
    """TABLE with its built-in chains first, then the user-defined ones by name."""
    builtin = [c for c in table.chains if c.hook is not None]
    user = sorted((c for c in table.chains if c.hook is None), key=lambda c: c.name.encode())
    return Table(table.name, table.family, table.valid_hooks, tuple(builtin + user))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from([V4, V6]).flatmap(tables), st.data())
def test_a_table_in_libiptc_order_is_always_spliced(table, data):
    table = _in_libiptc_order(table)
    encoded = codec.encode_table(table)
    info = _info(encoded)
    chain, rule, position = _change(data, table)
    returned = _returned(data, encoded.num_entries)
    assert _spliced(table.family, info, encoded.blob, chain, rule, position, returned) == \
        _full(table.family, info, encoded.blob, chain, rule, position, returned)


def _corrupted(blob: bytes):
    """BLOB with one to three bytes changed, and perhaps cut short."""
    changes = st.dictionaries(st.integers(0, len(blob) - 1), st.integers(0, 255), min_size=1, max_size=3)
    return st.builds(lambda new, length: bytes(new.get(i, byte) for i, byte in enumerate(blob[:length])),
                     changes, st.just(len(blob)) | st.integers(0, len(blob)))


# What the splice copies without looking: the insides of matches and extension targets, which the
# kernel checks again when the table is replaced. The decoder's messages for those:
LEFT_TO_THE_KERNEL = ("match name is", "target name is", "truncated match", "match size", "target size")


@settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from([V4, V6]).flatmap(tables), st.data())
def test_a_corrupted_blob_is_spliced_as_the_full_way_does_or_left_to_it(table, data):
    encoded = codec.encode_table(table)
    blob = data.draw(_corrupted(encoded.blob))
    info = _info(encoded)
    chain, rule, position = _change(data, table)
    returned = _returned(data, encoded.num_entries)
    full = _full(table.family, info, blob, chain, rule, position, returned)
    try:
        spliced = _spliced(table.family, info, blob, chain, rule, position, returned)
    except splice.Unusual:
        return
    if spliced != full:
        assert full[0] == "DecodeError" and full[1].startswith(LEFT_TO_THE_KERNEL), (spliced, full)


def _plain_table(*user_rules) -> Table:
    rule = Rule(IPv4Header.make(proto=6), (), Verdict(ACCEPT), Counters(3, 4))
    chains = [Chain(name, (rule,), hook, Verdict(ACCEPT), Counters(5, 6)) for hook, name in
              ((1, "INPUT"), (2, "FORWARD"), (3, "OUTPUT"))]
    chains.append(Chain("user", user_rules or (rule,)))
    return Table("filter", V4, FILTER_HOOKS, tuple(chains))


def _patched(blob: bytes, at: int, data: bytes) -> bytes:
    return blob[:at] + data + blob[at + len(data):]


def _geometry(info, hook_entry=None, underflow=None) -> TableInfo:
    return TableInfo(info.name, info.valid_hooks, hook_entry or info.hook_entry, underflow or info.underflow,
                     info.num_entries, info.size)


def _layouts():
    """Tables the kernel could hold that are not in libiptc's layout, each with what makes it so."""
    encoded = codec.encode_table(_plain_table())
    blob, info = encoded.blob, _info(encoded)
    # Entries of 152 bytes (a rule, a policy), the user chain's head of 176:
    # INPUT 0 152, FORWARD 304 456, OUTPUT 608 760, head 912, user 1088 1240, ERROR 1392.
    verdict = 112 + 32  # where an entry's standard verdict is
    yield "a jump into the middle of a chain", _patched(blob, verdict, struct.pack("=i", 1240)), info, "user"
    yield "a built-in chain's policy is RETURN", _patched(blob, 152 + verdict, struct.pack("=i", RETURN)), info, \
        "INPUT"
    yield "a user-defined chain ends without RETURN", _patched(blob, 1240 + verdict, struct.pack("=i", ACCEPT)), \
        info, "user"
    yield "a hook enters at a chain head", blob, _geometry(info, hook_entry=(NO_HOOK, 912, 304, 608, NO_HOOK)), \
        "INPUT"
    yield "an underflow is not the final entry", blob, _geometry(info, underflow=(NO_HOOK, 0, 456, 760, NO_HOOK)), \
        "INPUT"
    yield "the table ends without ERROR", blob[:1392], info, "INPUT"
    yield "the chain head carries counters", _patched(blob, 912 + 96, b"\1"), info, "user"
    yield "a standard target's padding is not zero", _patched(blob, 151, b"\1"), info, "INPUT"
    chains = _plain_table().chains
    encoded = codec.encode_table(Table("filter", V4, FILTER_HOOKS, chains[:2] + chains[3:] + chains[2:3]))
    yield "a user-defined chain before a built-in one", encoded.blob, _info(encoded), "INPUT"


@pytest.mark.parametrize("what, blob, info, chain", list(_layouts()), ids=lambda v: v if isinstance(v, str) else "")
def test_tables_out_of_libiptcs_layout_take_the_full_way(what, blob, info, chain):
    rule = Rule(IPv4Header.make(proto=17), (), Verdict(DROP))
    with pytest.raises(splice.Unusual):
        splice.insert(V4, info, blob, chain, rule, None)
    full = _full(V4, info, blob, chain, rule, None, [(0, 0)] * 20)
    # The full way refuses most of them; it sorts a user-defined chain back after the built-in ones.
    assert full[0] == "DecodeError" or what == "a user-defined chain before a built-in one"


def test_appending_by_hand():
    """A rule appended to INPUT: the entry lands before the policy, which moves by its size, as do the rest."""
    table = _plain_table(Rule(IPv4Header.make(), (), Fallthrough()))
    encoded = codec.encode_table(table)
    info = _info(encoded)
    rule = Rule(IPv4Header.make(proto=17), (), Jump("user"), Counters(7, 8))
    done = splice.insert(V4, info, encoded.blob, "INPUT", rule, None)
    # entries: INPUT rule, policy; FORWARD rule, policy; OUTPUT rule, policy; head, user rule, RETURN; ERROR
    entry = 152
    assert done.encoded.hook_entry == (0, 0, 3 * entry, 5 * entry, 0)
    assert done.encoded.underflow == (0, 2 * entry, 4 * entry, 6 * entry, 0)
    assert done.encoded.num_entries == 11
    new = done.encoded.blob[entry:2 * entry]
    assert new[:84] == rule.header.raw
    assert struct.unpack_from("=i", new, 112 + 32)[0] == 7 * entry + 176  # the user chain's first rule
    user_rule = 7 * entry + 176
    assert struct.unpack_from("=i", done.encoded.blob, user_rule + 112 + 32)[0] == user_rule + entry  # fall-through
    returned = [(i, 10 * i) for i in range(10)]
    assert done.new_counters(_packed(returned)) == _packed([(0, 0), (7, 8), (1 - 5, 10 - 6), (2, 20), (3 - 5, 30 - 6),
                                                            (4, 40), (5 - 5, 50 - 6), (0, 0), (7, 70), (0, 0), (0, 0)])


def _layout_of(outline) -> tuple:
    return (outline.offsets, sorted(outline.verdicts), outline.chains, outline.user_heads, outline.user_feet,
            outline.policies, [outline.hook_entry[h] for h in outline.hooks],
            [outline.underflow[h] for h in outline.hooks])


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from([V4, V6]).flatmap(tables), st.data())
def test_the_table_a_splice_wrote_is_known_without_a_walk(table, data):
    table = _in_libiptc_order(table)
    encoded = codec.encode_table(table)
    chain, rule, position = _change(data, table)
    try:
        first = splice.insert(table.family, _info(encoded), encoded.blob, chain, rule, position)
    except (TableError, ValueError, splice.Unusual):
        return
    written = first.encoded
    info = _info(written)
    # Read back: the kernel's counters, and the new entry's comefrom, may be what they like.
    comefrom = first._at + codec.LAYOUTS[table.family].tail_offset + 8
    back = bytearray(written.blob)
    back[comefrom:comefrom + 4] = data.draw(st.binary(min_size=4, max_size=4))
    known = first.outline_of(table.family, info, bytes(back))
    assert known is not None
    assert _layout_of(known) == _layout_of(splice._Outline(table.family, info, bytes(back)))
    chain, rule, position = _change(data, table)
    returned = _returned(data, written.num_entries)
    assert _spliced(table.family, info, bytes(back), chain, rule, position, returned, first) == \
        _full(table.family, info, bytes(back), chain, rule, position, returned)
    # Anything else changed (a counter counted, another writer's rule): not the table written.
    where = data.draw(st.integers(0, len(back) - 1).filter(lambda i: not comefrom <= i < comefrom + 4))
    back[where] ^= 0xFF
    assert first.outline_of(table.family, info, bytes(back)) is None
