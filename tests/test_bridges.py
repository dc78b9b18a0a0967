"""Decoding of the bridge ioctl records (no privileges needed).

The kernel's buffers are built here with the ctypes structures of
sockctl.abi.if_bridge (whose layout tests/abi checks against the UAPI
header), or written out byte by byte, and decoded with sockctl.bridges.
"""

import ctypes
import struct

import pytest
from hypothesis import given, settings, strategies as st

from sockctl import bridges
from sockctl.abi import if_bridge as br
from sockctl.bridges import BridgeId, FdbEntry
from sockctl.errors import DecodeError

OWN = bytes.fromhex("8000020000000001")
OTHER = bytes.fromhex("1000020000000002")


def u64(raw: bytes) -> int:
    """Eight bytes as the __u64 field that holds them in memory."""
    return int.from_bytes(raw, "little" if struct.pack("=H", 1)[0] else "big")


def bridge_info_bytes(**fields) -> bytes:
    info = br.bridge_info()
    for name, value in fields.items():
        setattr(info, name, u64(value) if name in ("designated_root", "bridge_id") else value)
    return bytes(info)


@pytest.mark.parametrize("raw, expected", [
    (bytes.fromhex("8000020000000001"), BridgeId(0x8000, bytes.fromhex("020000000001"))),
    (bytes.fromhex("0000ffffffffffff"), BridgeId(0, b"\xff" * 6)),
    (bytes.fromhex("fffe000000000000"), BridgeId(0xFFFE, bytes(6))),
])
def test_bridge_id_both_ways(raw, expected):
    assert bridges.decode_bridge_id(raw) == expected
    assert str(expected) == f"{raw[:2].hex()}.{raw[2:].hex()}"


def test_bridge_id_of_wrong_length():
    with pytest.raises(DecodeError):
        bridges.decode_bridge_id(OWN[:7])


def test_root_bridge_takes_every_value_from_the_ioctl():
    raw = bridge_info_bytes(
        designated_root=OWN, bridge_id=OWN, root_path_cost=0, max_age=2000, hello_time=200,
        forward_delay=3750,  # the kernel's internal tick (HZ=250): not used
        bridge_max_age=5000, bridge_hello_time=500, bridge_forward_delay=1500,
        topology_change=1, topology_change_detected=0, root_port=0, stp_enabled=1, ageing_time=30000,
        gc_interval=777, hello_timer_value=12, tcn_timer_value=34, topology_change_timer_value=56,
        gc_timer_value=7890)
    info = bridges.decode_bridge_info(raw)
    assert info == bridges.BridgeInfo(
        BridgeId(0x8000, OWN[2:]), BridgeId(0x8000, OWN[2:]), 0, 0, 2000, 200, 1500, 1500, 30000,
        True, True, False, 12, 34, 56, 7890)
    assert info.is_root


def test_bridge_that_is_not_the_root_leaves_two_values_to_sysfs():
    raw = bridge_info_bytes(designated_root=OTHER, bridge_id=OWN, root_port=3, forward_delay=1000,
                            bridge_forward_delay=1500, root_path_cost=4)
    info = bridges.decode_bridge_info(raw)
    assert not info.is_root
    assert info.forward_delay is None and info.root_port is None
    assert info.bridge_forward_delay == 1500 and info.root_path_cost == 4
    assert info.designated_root == BridgeId(0x1000, OTHER[2:])


@pytest.mark.parametrize("size", [0, 71, 73, 80])
def test_bridge_info_of_wrong_length(size):
    with pytest.raises(DecodeError):
        bridges.decode_bridge_info(bytes(size))


def test_port_list_keeps_the_ports_present():
    indexes = (ctypes.c_int * 8)(0, 7, 0, 12, 0, 0, 0, 2**31 - 1)
    assert bridges.decode_port_list(bytes(indexes)) == {1: 7, 3: 12, 7: 2**31 - 1}
    assert bridges.decode_port_list(b"") == {}
    with pytest.raises(DecodeError):
        bridges.decode_port_list(bytes(indexes)[:-1])


def test_port_info():
    info = br.port_info(designated_root=u64(OTHER), designated_bridge=u64(OWN), port_id=0x8003,
                        designated_port=0x8001, path_cost=100, designated_cost=19, state=br.BR_STATE_BLOCKING,
                        top_change_ack=1, config_pending=0, message_age_timer_value=150,
                        forward_delay_timer_value=1499, hold_timer_value=3)
    port = bridges.decode_port_info(bytes(info), "veth0", 3)
    assert port == bridges.PortInfo("veth0", 3, 0x8003, br.BR_STATE_BLOCKING, BridgeId(0x1000, OTHER[2:]),
                                    BridgeId(0x8000, OWN[2:]), 0x8001, 19, 100, True, False, 150, 1499, 3, None)
    with pytest.raises(DecodeError):
        bridges.decode_port_info(bytes(info)[:44], "veth0", 3)


def fdb_bytes(entries) -> bytes:
    array = (br.fdb_entry * len(entries))()
    for slot, (mac, port, local, timer) in zip(array, entries):
        slot.mac_addr[:] = list(mac)
        slot.port_no, slot.port_hi = port & 0xFF, port >> 8
        slot.is_local, slot.ageing_timer_value = local, timer
    return bytes(array)


FDB_CASES = [
    (bytes.fromhex("020000000001"), 1, 1, 0),
    (bytes.fromhex("ffffffffffff"), 255, 0, 30000),
    (bytes.fromhex("0a0b0c0d0e0f"), 256, 0, 1),  # port_hi carries the high byte
    (bytes.fromhex("000000000000"), 1023, 0, 2**32 - 1),
]


def test_fdb_entries_both_ways():
    decoded = bridges.decode_fdb_entries(fdb_bytes(FDB_CASES))
    assert decoded == [FdbEntry(mac, port, bool(local), timer) for mac, port, local, timer in FDB_CASES]
    # Written out by hand: mac, port_no, is_local, timer (native order), port_hi, pad, unused.
    raw = bytes.fromhex("0a0b0c0d0e0f") + bytes([4, 1]) + struct.pack("=I", 250) + bytes([2, 0, 0, 0])
    assert bridges.decode_fdb_entries(raw) == [FdbEntry(bytes.fromhex("0a0b0c0d0e0f"), 0x204, True, 250)]


@pytest.mark.parametrize("cut", [1, 8, 15, 17])
def test_truncated_fdb_table(cut):
    with pytest.raises(DecodeError):
        bridges.decode_fdb_entries(fdb_bytes(FDB_CASES)[:-cut])


@pytest.mark.parametrize("raw, expected", [(b"1500\n", 1500), (b"0x1f\n", 31), (b"0\n", 0), (b"0x8001\n", 0x8001)])
def test_sysfs_numbers(raw, expected):
    assert bridges.parse_sysfs_int(raw, "x") == expected


@pytest.mark.parametrize("raw", [b"", b"\n", b"abc\n", b"0xzz\n", b"1.5\n"])
def test_corrupted_sysfs_numbers(raw):
    with pytest.raises(DecodeError):
        bridges.parse_sysfs_int(raw, "x")


@settings(max_examples=200)
@given(st.lists(st.tuples(st.binary(min_size=6, max_size=6), st.integers(0, 0xFFFF), st.integers(0, 255),
                          st.integers(0, 2**32 - 1)), max_size=20))
def test_fdb_round_trip(entries):
    decoded = bridges.decode_fdb_entries(fdb_bytes(entries))
    assert [(e.address, e.port_no, e.is_local, e.ageing_timer) for e in decoded] == [
        (mac, port, bool(local), timer) for mac, port, local, timer in entries]


@settings(max_examples=300)
@given(st.binary(max_size=200))
def test_decoders_never_crash_on_arbitrary_bytes(data):
    for decode in (bridges.decode_bridge_info, bridges.decode_port_list, bridges.decode_fdb_entries,
                   lambda raw: bridges.decode_port_info(raw, "p", 1),
                   lambda raw: bridges.parse_sysfs_int(raw, "x")):
        try:
            decode(data)
        except DecodeError:
            pass
