"""The quick ways through a table's blob against the full decoder, without privileges.

iptables-save straight from the blob (``dump.save_blob``) against the long
way round, which decodes the table into the model and prints it with
``text.save_table`` (the tables iptables-legacy-save prints are compared
with sockctl's in tests/cli): both ways meet on generated tables, whose
matches and targets carry real codecs' names with any payload of their
size, and on corruptions of them: the same text, or the same error. And
restore's outline of a table (``codec.outline``) against its decode.
"""

import struct

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from sockctl.errors import DecodeError
from sockctl.netfilter import codec, dump, extensions, text
from sockctl.netfilter.extensions.base import Context
from sockctl.netfilter.kernel import TableInfo
from sockctl.netfilter.model import (
    ACCEPT, DROP, QUEUE, RETURN, Chain, Counters, Fallthrough, IPv4Header, IPv6Header, Jump, Match, Rule, Table,
    Target, Verdict,
)

V4, V6 = 2, 10
FILTER_HOOKS = 0b01110
CODECS = [c for kind, name in extensions.MODULES for c in extensions._candidates(kind, name) if c.user_name is None]
_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-", min_size=1, max_size=28)
_counters = st.builds(Counters, st.integers(0, 2 ** 64 - 1), st.integers(0, 2 ** 64 - 1))


def _payload(size: int):
    return st.binary(min_size=size, max_size=size)


def _extension(kind: str, record, family: int):
    """A Match or Target: a codec's name and revision with any payload of its size, or a name without codec."""
    known = [c for c in CODECS if c.kind == kind and c.family in (0, family)]
    with_codec = st.sampled_from(known).flatmap(
        lambda c: st.builds(record, st.just(c.name), st.just(c.revision), _payload(c.payload_size)))
    other = st.builds(record, _names.filter(lambda n: n != "ERROR"), st.integers(0, 255),
                      st.binary(max_size=40).map(lambda b: b + bytes(-len(b) % 8)))
    return st.one_of(with_codec, other)


def _header(family: int):
    """Any header bytes, or the usual kind: whole prefixes, protocols, interfaces, no stray bits."""
    width = 4 if family == V4 else 16
    header_class = IPv4Header if family == V4 else IPv6Header
    any_bytes = st.binary(min_size=header_class._struct.size, max_size=header_class._struct.size)

    def usual(src, slen, dst, dlen, proto, inv, iface):
        def mask(bits):
            return ((((1 << (8 * width)) - 1) << (8 * width - bits)) & ((1 << (8 * width)) - 1)).to_bytes(width, "big")

        smsk, dmsk = mask(slen), mask(dlen)
        src = bytes(a & m for a, m in zip(src, smsk))
        dst = bytes(a & m for a, m in zip(dst, dmsk))
        name = iface.encode()
        fields = (src, dst, smsk, dmsk, name, b"", b"\xff" * (len(name) + 1) if name else b"", b"", proto)
        tail = (0, inv) if family == V4 else (0, 0, inv)
        return header_class(header_class._struct.pack(*fields, *tail))

    address = st.binary(min_size=width, max_size=width)
    made = st.builds(usual, address, st.integers(0, 8 * width), address, st.integers(0, 8 * width),
                     st.sampled_from([0, 1, 6, 17, 58, 99]), st.sampled_from([0, 0, 0, 0x08, 0x10, 0x40]),
                     st.sampled_from(["", "eth0", "wlan1"]))
    return st.one_of(any_bytes.map(header_class), made)


@st.composite
def tables(draw, family):
    user = draw(st.lists(_names.filter(lambda n: n not in ("INPUT", "FORWARD", "OUTPUT", "ERROR")),
                         max_size=3, unique=True))
    targets = st.one_of(
        st.sampled_from([Verdict(ACCEPT), Verdict(DROP), Verdict(QUEUE), Verdict(RETURN), Verdict(-7),
                         Fallthrough()]),
        _extension("target", Target, family),
        *([st.sampled_from([Jump(n) for n in user])] if user else []))
    headers = _header(family)
    rules = st.builds(Rule, headers, st.lists(_extension("match", Match, family), max_size=3).map(tuple), targets,
                      _counters, st.integers(0, 2 ** 32 - 1), st.integers(0, 2 ** 32 - 1))
    # Rules repeat in real tables, and the quick way caches what it has printed: draw from a few.
    pool = draw(st.lists(rules, min_size=1, max_size=4))
    some_rules = st.lists(st.sampled_from(pool), max_size=4).map(tuple)
    chains = [Chain(name, draw(some_rules), hook, draw(st.sampled_from([Verdict(ACCEPT), Verdict(DROP)])),
                    draw(_counters), draw(st.integers(0, 2 ** 32 - 1)))
              for hook, name in ((1, "INPUT"), (2, "FORWARD"), (3, "OUTPUT"))]
    chains += [Chain(name, draw(some_rules), None, None, draw(_counters), draw(st.integers(0, 2 ** 32 - 1)))
               for name in user]
    return Table("filter", family, FILTER_HOOKS, tuple(draw(st.permutations(chains))))


def _info(encoded) -> TableInfo:
    return TableInfo("filter", FILTER_HOOKS, encoded.hook_entry, encoded.underflow, encoded.num_entries,
                     len(encoded.blob))


def _both_ways(family, info, blob, counters):
    """What each way gives: the text, or the error's message."""
    results = []
    for quick in (True, False):
        try:
            if quick:
                results.append(dump.save_blob(family, "filter", info, blob, counters, text.Formatter(family)))
            else:
                table = codec.decode_table(family, "filter", info.valid_hooks, info.hook_entry, info.underflow, blob)
                results.append(text.save_table(table, counters, text.Formatter(family)))
        except DecodeError as exc:
            results.append(("DecodeError", str(exc)))
    return results


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from([V4, V6]).flatmap(tables), st.booleans())
def test_the_quick_way_prints_what_the_model_prints(table, counters):
    encoded = codec.encode_table(table)
    quick, slow = _both_ways(table.family, _info(encoded), encoded.blob, counters)
    assert quick == slow
    assert not isinstance(quick, tuple) or "payload has" in quick[1]  # only extension payloads may not print


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from([V4, V6]).flatmap(tables), st.data(), st.booleans())
def test_corrupted_blobs_give_the_same_text_or_the_same_error(table, data, counters):
    encoded = codec.encode_table(table)
    size = len(encoded.blob)
    changes = data.draw(st.dictionaries(st.integers(0, size - 1), st.integers(0, 255), min_size=1, max_size=4))
    length = data.draw(st.sampled_from([size, size, data.draw(st.integers(0, size))]))
    blob = bytes(changes.get(i, byte) for i, byte in enumerate(encoded.blob[:length]))
    quick, slow = _both_ways(table.family, _info(encoded), blob, counters)
    assert quick == slow


def test_a_loaded_table_repeats_little_and_prints_the_same():
    """Many rules that differ in addresses and ports (the benchmark's kind): caches miss, the text still agrees."""
    tcp = extensions.for_payload("match", "tcp", 0, V4)
    rules = []
    for i in range(300):
        header = IPv4Header.make(src=f"10.0.{i // 256}.{i % 256}", smsk="255.255.255.255", proto=6)
        match = Match("tcp", 0, struct.pack("=HHHHBBBB4x", 0, 0xFFFF, 1000 + i, 1000 + i, 0, 0, 0, 0))
        assert tcp.decode(match.data).dpts == (1000 + i, 1000 + i)
        rules.append(Rule(header, (match,), Jump("web") if i % 7 == 0 else Verdict(ACCEPT if i % 2 else DROP)))
    table = Table("filter", V4, FILTER_HOOKS, (
        Chain("INPUT", tuple(rules), 1, Verdict(ACCEPT)), Chain("FORWARD", (), 2, Verdict(DROP)),
        Chain("OUTPUT", (), 3, Verdict(ACCEPT)), Chain("web", tuple(rules[:20]))))
    encoded = codec.encode_table(table)
    quick, slow = _both_ways(V4, _info(encoded), encoded.blob, False)
    assert quick == slow
    assert "-A INPUT -s 10.0.0.201/32 -p tcp -m tcp --dport 1201 -j ACCEPT\n" in quick
    assert "-A INPUT -s 10.0.0.7/32 -p tcp -m tcp --dport 1007 -j web\n" in quick


@pytest.mark.parametrize("ext", [c for c in CODECS], ids=lambda c: f"{c.kind}-{c.name}-{c.revision}-{c.family}")
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_each_codecs_save_payload_is_its_save(ext, data):
    """A codec's direct reading of the bytes (save_payload) prints what decode and save print, errors alike."""
    family = ext.family or data.draw(st.sampled_from([V4, V6]))
    size = data.draw(st.sampled_from([ext.payload_size] * 4 + [ext.payload_size + 8, max(0, ext.payload_size - 8)]))
    payload = data.draw(_payload(size))
    ctx = Context(family, data.draw(st.sampled_from([0, 1, 6, 17, 58])), data.draw(st.sampled_from([0, 0x40])),
                       True)
    try:
        opts = ext.decode(payload)
        expected = (" -m " if ext.kind == "match" else " -j ") + ext.shown_name(opts) + ext.save(opts, ctx)
    except DecodeError as exc:
        with pytest.raises(DecodeError) as caught:
            ext.save_payload(payload, ctx)
        assert str(caught.value) == str(exc)
        return
    assert ext.save_payload(payload, ctx) == expected


def _small_table(family: int) -> Table:
    """Every kind of entry once: user chains, a jump and a goto, a fall-through, matches and targets."""
    header_class = IPv4Header if family == V4 else IPv6Header
    any_header = header_class(bytes(header_class._struct.size))
    tcp = Match("tcp", 0, struct.pack("=HHHHBBBB4x", 0, 0xFFFF, 22, 22, 0, 0, 0, 0))
    log = Target("LOG", 0, struct.pack("=BB30s", 4, 0, b"x"))
    with_tcp = header_class.make(proto=6, **({"flags": 2} if family == V4 else {"flags": 4}))
    rules = (Rule(with_tcp, (tcp,), Jump("web"), Counters(3, 4)), Rule(any_header, (tcp, tcp), log),
             Rule(any_header, (), Fallthrough()), Rule(any_header, (), Verdict(DROP)))
    return Table("filter", family, FILTER_HOOKS, (
        Chain("INPUT", rules, 1, Verdict(ACCEPT), Counters(5, 6)), Chain("FORWARD", (), 2, Verdict(DROP)),
        Chain("OUTPUT", rules[1:], 3, Verdict(ACCEPT)), Chain("web", rules[2:]), Chain("wej")))  # j^8 is b


@pytest.mark.parametrize("family", [V4, V6])
def test_every_single_byte_corruption_gives_the_same_text_or_error(family):
    encoded = codec.encode_table(_small_table(family))
    info = _info(encoded)
    assert _both_ways(family, info, encoded.blob, True)[0].count("\n") == 16
    for position in range(len(encoded.blob)):
        for value in {0, 1, 0x80, 0xFF, encoded.blob[position] ^ 0x08}:
            blob = encoded.blob[:position] + bytes([value]) + encoded.blob[position + 1:]
            quick, slow = _both_ways(family, info, blob, position % 2 == 0)
            assert quick == slow, (position, value)
    for cut in range(0, len(encoded.blob), 4):
        quick, slow = _both_ways(family, info, encoded.blob[:cut], False)
        assert quick == slow, cut


@pytest.mark.parametrize("family", [V4, V6])
def test_every_wrong_hook_geometry_gives_the_same_text_or_error(family):
    encoded = codec.encode_table(_small_table(family))
    info = _info(encoded)
    starts = sorted({0, 8, len(encoded.blob)} | set(encoded.hook_entry) | set(encoded.underflow))
    for field in ("hook_entry", "underflow"):
        for hook in (1, 2, 3):
            for offset in starts:
                values = list(getattr(info, field))
                values[hook] = offset
                changed = TableInfo(info.name, info.valid_hooks, *(
                    (tuple(values) if f == field else getattr(info, f)) for f in ("hook_entry", "underflow")),
                    info.num_entries, info.size)
                quick, slow = _both_ways(family, changed, encoded.blob, False)
                assert quick == slow, (field, hook, offset)


def _outline(table: Table, encoded):
    return codec.outline(table.family, "filter", FILTER_HOOKS, encoded.hook_entry, encoded.underflow, encoded.blob)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from([V4, V6]).flatmap(tables))
def test_the_outline_is_the_decoded_table_without_rules(table):
    encoded = codec.encode_table(table)
    outline, feet, users = _outline(table, encoded)
    decoded = codec.decode_table(table.family, "filter", FILTER_HOOKS, encoded.hook_entry, encoded.underflow,
                                 encoded.blob)
    index, expected_feet = 0, {}
    for chain in decoded.chains:  # entries: a user chain's head, its rules, its final entry
        index += (0 if chain.builtin else 1) + len(chain.rules)
        if chain.builtin:
            expected_feet[chain.name] = index
        index += 1
    builtin = sorted((c for c in decoded.chains if c.builtin), key=lambda c: c.hook)  # the outline's order
    assert outline.chains == tuple(Chain(c.name, (), c.hook, c.policy, c.counters, c.foot_comefrom) for c in builtin)
    assert feet == expected_feet
    assert users == [c.name for c in decoded.chains if not c.builtin]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from([V4, V6]).flatmap(tables), st.data())
def test_the_outline_of_a_corrupted_blob_is_an_outline_or_a_decode_error(table, data):
    encoded = codec.encode_table(table)
    size = len(encoded.blob)
    changes = data.draw(st.dictionaries(st.integers(0, size - 1), st.integers(0, 255), min_size=1, max_size=4))
    blob = bytes(changes.get(i, byte) for i, byte in enumerate(encoded.blob))
    try:
        codec.outline(table.family, "filter", FILTER_HOOKS, encoded.hook_entry, encoded.underflow, blob)
    except DecodeError as exc:
        assert 0 <= (exc.offset or 0) < size
