"""IPVS requests and answers, encoded and decoded without privileges.

Expected bytes come from the ctypes structures of ``sockctl.abi.ip_vs``
(checked against the UAPI headers by tests/abi/test_layout.py), filled
field by field with values derived by hand from the request; answers are
built the same way, as the kernel's ip_vs_copy_service and
__ip_vs_get_dest_entries fill them.
"""

import ctypes
from ipaddress import IPv4Address as A, IPv6Address

import pytest
from hypothesis import given, strategies as st

from sockctl import ipvs_codec as codec
from sockctl.abi import ip_vs as abi
from sockctl.errors import DecodeError, InputError

TCP, UDP, SCTP = 6, 17, 132


def be32(text: str) -> int:
    """An address as the native-endian int a __be32 field holds."""
    return int.from_bytes(A(text).packed, "little")


def be16(port: int) -> int:
    return int.from_bytes(port.to_bytes(2, "big"), "little")


def service_user(**fields) -> bytes:
    s = abi.ip_vs_service_user(**fields)
    return bytes(s)


SERVICE_CASES = [
    (codec.Service(TCP, A("10.0.0.1"), 80),
     dict(protocol=TCP, addr=be32("10.0.0.1"), port=be16(80), sched_name=b"wlc", netmask=0xFFFFFFFF)),
    (codec.Service(UDP, A("192.168.7.9"), 53, scheduler="rr", flags=abi.IP_VS_SVC_F_PERSISTENT, timeout=360,
                   netmask=A("255.255.255.0")),
     dict(protocol=UDP, addr=be32("192.168.7.9"), port=be16(53), sched_name=b"rr", flags=1, timeout=360,
          netmask=be32("255.255.255.0"))),
    (codec.Service(fwmark=0xFFFFFFFF, scheduler="sh", flags=abi.IP_VS_SVC_F_SCHED1 | abi.IP_VS_SVC_F_SCHED2),
     dict(protocol=TCP, fwmark=0xFFFFFFFF, sched_name=b"sh", flags=0x18, netmask=0xFFFFFFFF)),
    (codec.Service(SCTP, A("1.2.3.4"), 65535, scheduler="a" * 15, flags=abi.IP_VS_SVC_F_HASHED | 4),
     dict(protocol=SCTP, addr=be32("1.2.3.4"), port=be16(65535), sched_name=b"a" * 15, flags=4,
          netmask=0xFFFFFFFF)),
    (None, dict()),
]


@pytest.mark.parametrize("svc, fields", SERVICE_CASES)
def test_service_user(svc, fields):
    assert codec.encode_service_user(svc) == service_user(**fields)


DEST_CASES = [
    (codec.Dest(A("10.1.0.1"), 80),
     dict(addr=be32("10.1.0.1"), port=be16(80), conn_flags=abi.IP_VS_CONN_F_DROUTE, weight=1)),
    (codec.Dest(A("10.1.0.2"), 8080, abi.IP_VS_CONN_F_MASQ, 0, 100, 10),
     dict(addr=be32("10.1.0.2"), port=be16(8080), conn_flags=0, weight=0, u_threshold=100, l_threshold=10)),
    (codec.Dest(A("172.16.0.1"), 0, abi.IP_VS_CONN_F_TUNNEL, 0x7FFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF),
     dict(addr=be32("172.16.0.1"), conn_flags=2, weight=0x7FFFFFFF, u_threshold=0xFFFFFFFF,
          l_threshold=0xFFFFFFFF)),
]


@pytest.mark.parametrize("dest, fields", DEST_CASES)
def test_dest_user(dest, fields):
    assert codec.encode_dest_user(dest) == bytes(abi.ip_vs_dest_user(**fields))


def test_other_requests():
    assert codec.encode_timeouts(codec.Timeouts(900, 120, 300)) == bytes(abi.ip_vs_timeout_user(900, 120, 300))
    daemon = codec.Daemon(abi.IP_VS_STATE_BACKUP, "eth1", 7)
    assert codec.encode_daemon(daemon) == bytes(abi.ip_vs_daemon_user(2, b"eth1", 7))
    get = codec.encode_get_dests(codec.Service(UDP, A("10.0.0.1"), 53), 3)
    head = abi.ip_vs_get_dests(protocol=UDP, addr=be32("10.0.0.1"), port=be16(53), num_dests=3)
    assert bytes(get) == bytes(head) + bytes(3 * ctypes.sizeof(abi.ip_vs_dest_entry))
    one = codec.encode_get_service(codec.Service(fwmark=9))
    assert bytes(one) == bytes(abi.ip_vs_service_entry(protocol=TCP, fwmark=9))
    services = codec.encode_get_services(2)
    assert bytes(services) == bytes(abi.ip_vs_get_services(2)) + bytes(2 * ctypes.sizeof(abi.ip_vs_service_entry))


@pytest.mark.parametrize("make, words", [
    (lambda: codec.encode_service_user(codec.Service(TCP, IPv6Address("2001:db8::1"), 80)), "generic netlink"),
    (lambda: codec.encode_dest_user(codec.Dest(IPv6Address("2001:db8::2"), 80)), "generic netlink"),
    (lambda: codec.encode_service_user(codec.Service(1, A("10.0.0.1"), 80)), "protocol 1"),
    (lambda: codec.encode_service_user(codec.Service(TCP, A("10.0.0.1"), 65536)), "port 65536"),
    (lambda: codec.encode_service_user(codec.Service(TCP, None, 80)), "needs an address"),
    (lambda: codec.encode_service_user(codec.Service(TCP, "10.0.0.1", 80)), "IPv4Address"),
    (lambda: codec.encode_service_user(codec.Service(fwmark=2, address=A("10.0.0.1"))), "no address"),
    (lambda: codec.encode_service_user(codec.Service(fwmark=1 << 32)), "firewall mark"),
    (lambda: codec.encode_service_user(codec.Service(fwmark=1, scheduler="x" * 16)), "at most 15"),
    (lambda: codec.encode_service_user(codec.Service(fwmark=1, scheduler="wlcé")), "ASCII"),
    (lambda: codec.encode_service_user(codec.Service(fwmark=1, timeout=-1)), "timeout"),
    (lambda: codec.encode_dest_user(codec.Dest(A("10.1.0.1"), 80, weight=-1)), "weight -1"),
    (lambda: codec.encode_dest_user(codec.Dest(A("10.1.0.1"), 80, u_threshold=1 << 32)), "upper threshold"),
    (lambda: codec.encode_dest_user(codec.Dest(A("10.1.0.1"), 80, weight=True)), "weight True"),
    (lambda: codec.encode_timeouts(codec.Timeouts(1, -2, 3)), "tcpfin timeout -2"),
    (lambda: codec.encode_daemon(codec.Daemon(3, "eth0")), "state 3"),
    (lambda: codec.encode_daemon(codec.Daemon(1, "eth0", 256)), "syncid 256"),
])
def test_requests_refuse_what_they_cannot_carry(make, words):
    with pytest.raises(InputError, match=words):
        make()


# ---- answers ----

STATS = (1, 2, 3, 1 << 40, 5, 6, 7, 8, 9, 10)


def stats_user(values=STATS):
    return abi.ip_vs_stats_user(*values)


def service_entry(protocol, addr, port, fwmark, sched, flags, timeout, netmask, num_dests, stats=STATS):
    return abi.ip_vs_service_entry(protocol, be32(addr), be16(port), fwmark, sched, flags, timeout, be32(netmask),
                                   num_dests, stats_user(stats))


def get_services(entries, room):
    buf = bytearray(bytes(abi.ip_vs_get_services(room)) + bytes(room * ctypes.sizeof(abi.ip_vs_service_entry)))
    for i, entry in enumerate(entries):
        start = 8 + i * ctypes.sizeof(abi.ip_vs_service_entry)
        buf[start:start + ctypes.sizeof(entry)] = bytes(entry)
    return buf


ENTRIES = [
    (service_entry(TCP, "10.0.0.1", 80, 0, b"wlc", 2, 0, "255.255.255.255", 3),
     (TCP, A("10.0.0.1").packed, 80, 0, "wlc", 2, 0, b"\xff" * 4, 3, *STATS),
     codec.Service(TCP, A("10.0.0.1"), 80, 0, "wlc", 2, 0, None, 3, codec.Stats(*STATS))),
    (service_entry(UDP, "0.0.0.0", 0, 77, b"none", 3, 360, "255.255.0.0", 0, (0,) * 10),
     (UDP, bytes(4), 0, 77, "none", 3, 360, A("255.255.0.0").packed, 0, *(0,) * 10),
     codec.Service(UDP, None, 0, 77, "none", 3, 360, A("255.255.0.0"), 0, codec.Stats(*(0,) * 10))),
]


def test_service_entries_both_ways():
    buf = get_services([e[0] for e in ENTRIES], len(ENTRIES))
    rows = codec.decode_service_entries(buf, len(ENTRIES))
    assert rows == [e[1] for e in ENTRIES]
    assert [codec.service_record(r) for r in rows] == [e[2] for e in ENTRIES]
    assert codec.decode_service_entry(bytes(ENTRIES[0][0])) == ENTRIES[0][1]
    # The head of a row names its service in a request the same way the record does.
    assert codec.service_head(rows[0]) == codec.service_head(ENTRIES[0][2]) == (TCP, A("10.0.0.1").packed, 80, 0)


def test_room_left_for_hidden_services():
    """Slots the kernel did not fill (a service deleted between count and copy) stay zero."""
    buf = get_services([ENTRIES[0][0]], 3)
    assert codec.decode_service_entries(buf, 3) == [ENTRIES[0][1]]


# /proc/net/ip_vs as ip_vs_info_seq_show writes it: two headers, a third indented one, then a line a service
# (IPv4, IPv6 or a firewall mark, which shows no family) and an indented line a real server.
PROC_HEAD = (b"IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n"
             b"  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n")
PROC_SERVICES = (b"TCP  0A000001:0050 rr \n  -> 0A010001:0050      Route   1      0          0         \n"
                 b"  -> 0A010002:1F90      Masq    3      0          0         \n"
                 b"TCP  [2001:0db8:0000:0000:0000:0000:0000:0001]:0050 rr \n"
                 b"FWM  00000005 wrr \n  -> [2001:0db8:0000:0000:0000:0000:0000:0009]:0000 Route   5      0          0         \n"
                 b"UDP  0A000002:0035 sh persistent 60 ffffff00\n")


@pytest.mark.parametrize("text, count", [(b"", 0), (PROC_HEAD, 0), (PROC_HEAD + PROC_SERVICES, 4)])
def test_services_in_proc(text, count):
    assert codec.count_proc_services(text) == count


def entry_size():
    return ctypes.sizeof(abi.ip_vs_service_entry)


@pytest.mark.parametrize("mangle, count, words", [
    (lambda b: b[:-1], 2, "bytes, not"),
    (lambda b: b + b"\0", 2, "bytes, not"),
    (lambda b: b[:8] + bytes(entry_size()) + b[8:8 + entry_size()], 2, "empty entry before a filled one"),
    (lambda b: b[:8 + 16] + b"x" * 16 + b[8 + 32:], 2, "terminating NUL"),
    (lambda b: b[:8 + 16] + b"\xe9\0" + b[8 + 18:], 2, "not ASCII"),
    (lambda b: b"\x05" + b[1:], 2, "count field changed"),
    (lambda b: b"\x03" + b[1:] + bytes(entry_size() - 1) + b"\x01", 3, "data after the last entry"),
])
def test_corrupted_service_answers(mangle, count, words):
    buf = bytes(get_services([ENTRIES[0][0], ENTRIES[1][0]], 2))
    with pytest.raises(DecodeError, match=words):
        codec.decode_service_entries(mangle(buf), count)


def dest_entry(addr, port, conn_flags, weight, u, l, active, inactive, persistent, stats=STATS):
    return abi.ip_vs_dest_entry(be32(addr), be16(port), conn_flags, weight, u, l, active, inactive, persistent,
                                stats_user(stats))


def get_dests(entries, room):
    head = abi.ip_vs_get_dests(protocol=TCP, addr=be32("10.0.0.1"), port=be16(80), num_dests=room)
    size = ctypes.sizeof(abi.ip_vs_dest_entry)
    return bytes(head) + b"".join(bytes(e) for e in entries) + bytes((room - len(entries)) * size)


def test_dest_entries_both_ways():
    entries = [dest_entry("10.1.0.1", 80, 0x183, 1, 0, 0, 4, 5, 6),
               dest_entry("10.1.0.2", 8080, 0x100, 0x7FFFFFFF, 10, 2, 0, 0, 0, (0,) * 10)]
    rows = codec.decode_dest_entries(get_dests(entries, 3), 3)
    assert rows == [(A("10.1.0.1").packed, b"\0\x50", 0x183, 1, 0, 0, 4, 5, 6, *STATS),
                    (A("10.1.0.2").packed, b"\x1f\x90", 0x100, 0x7FFFFFFF, 10, 2, 0, 0, 0, *(0,) * 10)]
    record = codec.dest_record(rows[0])
    assert record == codec.Dest(A("10.1.0.1"), 80, 0x183, 1, 0, 0, 4, 5, 6, codec.Stats(*STATS))
    assert record.method == abi.IP_VS_CONN_F_DROUTE


def test_corrupted_dest_answers():
    good = get_dests([dest_entry("10.1.0.1", 80, 0x183, 1, 0, 0, 0, 0, 0)], 2)
    with pytest.raises(DecodeError, match="bytes, not"):
        codec.decode_dest_entries(good[:-4], 2)
    size = ctypes.sizeof(abi.ip_vs_dest_entry)
    hole = good[:24] + bytes(size) + good[24:24 + size]
    with pytest.raises(DecodeError, match="empty entry"):
        codec.decode_dest_entries(hole, 2)


def test_small_answers():
    assert codec.decode_info(bytes(abi.ip_vs_getinfo(0x010201, 4096, 7))) == codec.Info(0x010201, 4096, 7)
    assert codec.Info(0x010201, 4096, 7).version_text == "1.2.1"
    assert codec.decode_timeouts(bytes(abi.ip_vs_timeout_user(900, 120, 300))) == codec.Timeouts(900, 120, 300)
    pair = bytes(abi.ip_vs_daemon_user(1, b"eth0", 3)) + bytes(abi.ip_vs_daemon_user(0, b"", 0))
    assert codec.decode_daemons(pair) == [codec.Daemon(1, "eth0", 3)]
    both = bytes(abi.ip_vs_daemon_user(1, b"d0", 0)) + bytes(abi.ip_vs_daemon_user(2, b"d1", 255))
    assert codec.decode_daemons(both) == [codec.Daemon(1, "d0", 0), codec.Daemon(2, "d1", 255)]
    text = b"IP Virtual Server version 1.2.1 (size=4096)\0"
    assert codec.decode_version(text + bytes(64 - len(text)), len(text)) == text[:-1].decode()
    for bad in (lambda: codec.decode_info(b"\0" * 11), lambda: codec.decode_timeouts(b"\0" * 13),
                lambda: codec.decode_daemons(pair[:-1]),
                lambda: codec.decode_daemons(bytes(abi.ip_vs_daemon_user(4, b"x", 0)) + bytes(24)),
                lambda: codec.decode_daemons(bytes(abi.ip_vs_daemon_user(1, b"x" * 16, 0)) + bytes(24)),
                lambda: codec.decode_version(b"abc", 3), lambda: codec.decode_version(b"abc\0", 9)):
        with pytest.raises(DecodeError):
            bad()


addresses = st.integers(1, 0xFFFFFFFE).map(A)


@given(protocol=st.sampled_from([TCP, UDP, SCTP]), address=addresses, port=st.integers(0, 0xFFFF),
       scheduler=st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=15),
       flags=st.integers(0, 0x3F), timeout=st.integers(0, 0xFFFFFFFF), netmask=st.none() | addresses)
def test_service_round_trip(protocol, address, port, scheduler, flags, timeout, netmask):
    """A request read back as the kernel would list it gives the same service."""
    svc = codec.Service(protocol, address, port, 0, scheduler, flags, timeout, netmask)
    user = abi.ip_vs_service_user.from_buffer_copy(codec.encode_service_user(svc))
    entry = abi.ip_vs_service_entry(user.protocol, user.addr, user.port, user.fwmark, user.sched_name, user.flags,
                                    user.timeout, user.netmask, 0, stats_user())
    back = codec.service_record(codec.decode_service_entry(bytes(entry)))
    assert back == codec.Service(protocol, address, port, 0, scheduler, flags & ~abi.IP_VS_SVC_F_HASHED, timeout,
                                 None if netmask == A("255.255.255.255") else netmask, 0, codec.Stats(*STATS))


@given(st.binary(min_size=0, max_size=3 * 104 + 16), st.integers(0, 3))
def test_service_answers_never_crash(data, count):
    """Any bytes decode to rows or a DecodeError, nothing else."""
    try:
        rows = codec.decode_service_entries(data, count)
    except DecodeError:
        return
    assert len(rows) <= count
