"""The table codec: blobs <-> Table, both directions, without privileges.

Expected blobs are assembled here from the C layouts (struct ipt_entry is
112 bytes, ip6t_entry 168, xt_standard_target 40, xt_error_target 64), not
taken from sockctl. Properties: decode(encode(t)) == t, and for any bytes b
either decode(b) raises DecodeError naming an offset or encode(decode(b))
gives b back.
"""

import struct
from ipaddress import IPv4Address, IPv6Address

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from sockctl.errors import DecodeError
from sockctl.netfilter import codec
from sockctl.netfilter.model import (
    ACCEPT, ANY4, DROP, QUEUE, RETURN, Chain, Counters, Fallthrough, IPv4Header, IPv6Header, Jump, Match,
    Rule, Table, Target, Verdict,
)

V4, V6 = 2, 10
FILTER_HOOKS = 0b01110  # INPUT, FORWARD, OUTPUT


def entry4(target: bytes, matches: bytes = b"", header: bytes = bytes(84), comefrom=0, counters=(0, 0)) -> bytes:
    """An ipt_entry: ipt_ip, nfcache, target_offset, next_offset, comefrom, counters, then matches and target."""
    toff = 112 + len(matches)
    return header + struct.pack("=IHHIQQ", 0, toff, toff + len(target), comefrom, *counters) + matches + target


def entry6(target: bytes, matches: bytes = b"", header: bytes = bytes(136), comefrom=0, counters=(0, 0)) -> bytes:
    toff = 168 + len(matches)
    return header + struct.pack("=IHHI4xQQ", 0, toff, toff + len(target), comefrom, *counters) + matches + target


def standard(verdict: int) -> bytes:
    return struct.pack("=H29sBi4x", 40, b"", 0, verdict)


def error(name: str) -> bytes:
    return struct.pack("=H29sB30s2x", 64, b"ERROR", 0, name.encode())


def ext(name: str, payload: bytes, revision: int = 0) -> bytes:
    return struct.pack("=H29sB", 32 + len(payload), name.encode(), revision) + payload


EMPTY_FILTER = entry4(standard(ACCEPT)) * 3 + entry4(error("ERROR"))


def decode4(blob, hooks=FILTER_HOOKS, entries=None, underflows=None):
    hook_entry, underflow = _geometry(blob, hooks, 112) if entries is None else (entries, underflows)
    return codec.decode_table(V4, "filter", hooks, hook_entry, underflow, blob)


def _geometry(blob, hooks, size):
    """Hook entries and underflows of a filter-like blob whose built-in chains come first, one entry each
    unless told otherwise: used only where each built-in chain has just its policy."""
    hook_entry, underflow, offset = [0] * 5, [0] * 5, 0
    for hook in range(5):
        if hooks & (1 << hook):
            hook_entry[hook] = underflow[hook] = offset
            offset += struct.unpack_from("=H", blob, offset + size - 22)[0]
    return hook_entry, underflow


def test_empty_filter_table_both_ways():
    table = decode4(EMPTY_FILTER)
    assert [c.name for c in table.chains] == ["INPUT", "FORWARD", "OUTPUT"]
    assert all(c.policy == Verdict(ACCEPT) and c.rules == () and c.builtin for c in table.chains)
    encoded = codec.encode_table(table)
    assert encoded.blob == EMPTY_FILTER
    assert encoded.num_entries == 4
    assert encoded.hook_entry == (0, 0, 152, 304, 0) and encoded.underflow == (0, 0, 152, 304, 0)


def _table4(*chains) -> Table:
    return Table("filter", V4, FILTER_HOOKS, tuple(chains))


def _builtin(name, hook, rules=(), policy=ACCEPT, counters=Counters(0, 0)):
    return Chain(name, tuple(rules), hook, Verdict(policy), counters)


TCP22 = Match("tcp", 0, struct.pack("=HHHHBBBB4x", 0, 0xFFFF, 22, 22, 0, 0, 0, 0))
HOST = IPv4Header.make(src=IPv4Address("10.0.0.1"), smsk=IPv4Address("255.255.255.255"), proto=6)


def test_user_chain_jump_goto_and_fallthrough_layout():
    """Hand-assembled: INPUT jumps to 'web' (with goto), falls through once; web returns."""
    goto_header = IPv4Header.make(flags=0x02)  # IPT_F_GOTO
    table = _table4(
        _builtin("INPUT", 1, [Rule(HOST, (TCP22,), Jump("web"), Counters(5, 300), comefrom=2),
                              Rule(goto_header, (), Jump("web")), Rule(ANY4, (), Fallthrough())],
                 policy=DROP, counters=Counters(7, 8)),
        _builtin("FORWARD", 2), _builtin("OUTPUT", 3),
        Chain("web", (Rule(ANY4, (), Verdict(RETURN)),)))
    # Offsets: INPUT rules at 0 (200 bytes), 200 (152), 352 (152); INPUT policy at 504; FORWARD 656;
    # OUTPUT 808; web's ERROR head 960 (176), its rule at 1136 (the jump target), its RETURN 1288; end 1440.
    expected = (entry4(standard(1136), ext("tcp", TCP22.data), HOST.raw, comefrom=2, counters=(5, 300))
                + entry4(standard(1136), header=goto_header.raw) + entry4(standard(504))
                + entry4(standard(DROP), counters=(7, 8)) + entry4(standard(ACCEPT)) + entry4(standard(ACCEPT))
                + entry4(error("web")) + entry4(standard(RETURN)) + entry4(standard(RETURN))
                + entry4(error("ERROR")))
    encoded = codec.encode_table(table)
    assert encoded.blob == expected
    assert encoded.hook_entry == (0, 0, 656, 808, 0) and encoded.underflow == (0, 504, 656, 808, 0)
    assert encoded.num_entries == 10
    assert codec.decode_table(V4, "filter", FILTER_HOOKS, encoded.hook_entry, encoded.underflow, expected) == table


def test_ipv6_layout_and_extension_target():
    header = IPv6Header.make(src=IPv6Address("2001:db8::1"), smsk=IPv6Address("ffff:ffff::"), proto=58,
                             flags=0x01, iniface="eth0", iniface_mask=b"\xff" * 5 + bytes(11))
    reject = Target("REJECT", 0, struct.pack("=I4x", 4))
    table = Table("filter", V6, FILTER_HOOKS, (
        _builtin("INPUT", 1, [Rule(header, (), reject)]), _builtin("FORWARD", 2), _builtin("OUTPUT", 3)))
    expected = (entry6(ext("REJECT", reject.data), header=header.raw) + entry6(standard(ACCEPT)) * 3
                + entry6(error("ERROR")))
    encoded = codec.encode_table(table)
    assert encoded.blob == expected
    assert codec.decode_table(V6, "filter", FILTER_HOOKS, encoded.hook_entry, encoded.underflow, expected) == table
    assert header.src == IPv6Address("2001:db8::1") and header.iniface == "eth0" and header.proto == 58


# Corruptions of EMPTY_FILTER and what decode says about them: (name, bytes, message part, offset).
def _patch(blob: bytes, offset: int, data: bytes) -> bytes:
    return blob[:offset] + data + blob[offset + len(data):]


CORRUPTED = [
    ("truncated header", EMPTY_FILTER[:100], "truncated entry header", 0),
    ("cut in the last entry", EMPTY_FILTER[:-8], "do not fit", 456),
    ("no final ERROR", EMPTY_FILTER[:456], "does not end with an ERROR entry", 456),
    ("next_offset zero", _patch(EMPTY_FILTER, 90, b"\0\0"), "do not fit", 0),
    ("next_offset unaligned", _patch(EMPTY_FILTER, 90, struct.pack("=H", 153)), "do not fit", 0),
    ("target_offset in header", _patch(EMPTY_FILTER, 88, struct.pack("=H", 8)), "do not fit", 0),
    ("target_offset leaves a stub match", _patch(EMPTY_FILTER, 88, struct.pack("=H", 120)),
     "truncated match", 0),
    ("standard target too short", _patch(EMPTY_FILTER, 112, struct.pack("=H", 36)), "standard target", 0),
    ("policy is RETURN", _patch(EMPTY_FILTER, 144, struct.pack("=i", RETURN)), "neither ACCEPT nor DROP", 0),
    ("policy is QUEUE", _patch(EMPTY_FILTER, 152 + 144, struct.pack("=i", QUEUE)), "neither ACCEPT nor DROP",
     152),
    ("policy jumps", _patch(EMPTY_FILTER, 144, struct.pack("=i", 304)), "jumps", 0),
    ("policy falls through", _patch(EMPTY_FILTER, 144, struct.pack("=i", 152)), "no standard verdict", 0),
    ("conditional policy", _patch(EMPTY_FILTER, 0, b"\x0a"), "not unconditional", 0),
    ("final name", _patch(EMPTY_FILTER, 456 + 144, b"EXXOR"), "not ERROR", 456),
    ("garbage after a name", _patch(EMPTY_FILTER, 456 + 112 + 10, b"x"), "not a NUL-padded name", 456),
    ("entry after the end", EMPTY_FILTER + entry4(standard(ACCEPT)), "does not end with an ERROR entry", 784),
    ("counters on the end", _patch(EMPTY_FILTER, 456 + 96, b"\x01"), "carries conditions or counters", 456),
]


@pytest.mark.parametrize("name, blob, message, offset", CORRUPTED, ids=[c[0] for c in CORRUPTED])
def test_corrupted_blobs_are_refused_with_their_offset(name, blob, message, offset):
    with pytest.raises(DecodeError) as caught:
        decode4(blob, entries=[0, 0, 152, 304, 0], underflows=[0, 0, 152, 304, 0])
    assert message in str(caught.value)
    assert caught.value.offset == offset
    assert f"(at offset {offset})" in str(caught.value)


def test_hook_geometry_must_match():
    with pytest.raises(DecodeError, match="underflow of FORWARD"):
        decode4(EMPTY_FILTER, entries=[0, 0, 152, 304, 0], underflows=[0, 0, 0, 304, 0])
    with pytest.raises(DecodeError, match="not the start of a chain"):
        decode4(EMPTY_FILTER, entries=[0, 0, 152, 300, 0], underflows=[0, 0, 152, 300, 0])
    with pytest.raises(DecodeError, match="same entry"):
        decode4(EMPTY_FILTER, entries=[0, 0, 0, 304, 0], underflows=[0, 0, 152, 304, 0])


def test_jump_into_the_middle_of_nowhere():
    blob = entry4(standard(8)) + entry4(standard(ACCEPT)) * 3 + entry4(error("ERROR"))  # INPUT: 0, 152
    with pytest.raises(DecodeError, match="starts no user-defined chain") as caught:
        decode4(blob, entries=[0, 0, 304, 456, 0], underflows=[0, 152, 304, 456, 0])
    assert caught.value.offset == 0


# --- properties -------------------------------------------------------------------------

def _ext_payload():
    return st.binary(min_size=0, max_size=40).map(lambda b: b + bytes(-len(b) % 8))


_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-", min_size=1, max_size=28)
_matches = st.builds(Match, _names, st.integers(0, 255), _ext_payload())
_counters = st.builds(Counters, st.integers(0, 2 ** 64 - 1), st.integers(0, 2 ** 64 - 1))


@st.composite
def tables(draw, family=V4):
    header_size = 84 if family == V4 else 136
    header_class = IPv4Header if family == V4 else IPv6Header
    headers = st.binary(min_size=header_size, max_size=header_size).map(header_class)
    user = draw(st.lists(_names.filter(lambda n: n not in ("INPUT", "FORWARD", "OUTPUT", "ERROR")),
                         max_size=3, unique=True))
    targets = st.one_of(
        st.sampled_from([Verdict(ACCEPT), Verdict(DROP), Verdict(QUEUE), Verdict(RETURN), Fallthrough()]),
        st.builds(Target, _names.filter(lambda n: n != "ERROR"), st.integers(0, 255), _ext_payload()),
        *([st.sampled_from([Jump(n) for n in user])] if user else []))
    rules = st.builds(Rule, headers, st.lists(_matches, max_size=3).map(tuple), targets, _counters,
                      st.integers(0, 2 ** 32 - 1), st.integers(0, 2 ** 32 - 1))
    chains = [Chain(name, tuple(draw(st.lists(rules, max_size=3))), hook, draw(st.sampled_from(
        [Verdict(ACCEPT), Verdict(DROP)])), draw(_counters), draw(st.integers(0, 2 ** 32 - 1)))
        for hook, name in ((1, "INPUT"), (2, "FORWARD"), (3, "OUTPUT"))]
    chains += [Chain(name, tuple(draw(st.lists(rules, max_size=3))), None, None, draw(_counters),
                     draw(st.integers(0, 2 ** 32 - 1))) for name in user]
    return Table("filter", family, FILTER_HOOKS, tuple(chains))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(tables(V4), tables(V6)))
def test_decode_inverts_encode(table):
    encoded = codec.encode_table(table)
    assert codec.decode_table(table.family, "filter", FILTER_HOOKS, encoded.hook_entry, encoded.underflow,
                              encoded.blob) == table
    assert codec.encode_table(codec.decode_table(table.family, "filter", FILTER_HOOKS, encoded.hook_entry,
                                                 encoded.underflow, encoded.blob)).blob == encoded.blob


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(tables(V4), st.lists(st.tuples(st.integers(0, 10 ** 6), st.integers(0, 255)), min_size=1, max_size=4),
       st.integers(0, 10 ** 6) | st.none())
def test_corrupted_blobs_decode_exactly_or_fail_cleanly(table, changes, cut):
    encoded = codec.encode_table(table)
    blob = bytearray(encoded.blob)
    for position, value in changes:
        blob[position % len(blob)] = value
    if cut is not None:
        del blob[cut % len(blob):]
    blob = bytes(blob)
    try:
        decoded = codec.decode_table(V4, "filter", FILTER_HOOKS, encoded.hook_entry, encoded.underflow, blob)
    except DecodeError as exc:
        assert exc.offset is None or 0 <= exc.offset <= len(blob)
        return
    assert codec.encode_table(decoded).blob == blob
