"""Decoding of /proc/net/arp and encoding of ARP requests (no privileges needed).

/proc lines are written here from the kernel's documented format
(net/ipv4/arp.c arp_format_neigh_entry and arp_format_pneigh_entry);
requests are compared with the same structure built with ctypes.
"""

import ctypes
import ipaddress

import pytest
from hypothesis import given, settings, strategies as st

from sockctl import arp
from sockctl.abi import arpreq as abi
from sockctl.abi import inet
from sockctl.errors import DecodeError, InputError

HEADER = "IP address       HW type     Flags       HW address            Mask     Device\n"


def neigh(address: str, hwtype: int, flags: int, hwaddr: str, device: str) -> str:
    return "%-16s 0x%-10x0x%-10x%-17s     *        %s\n" % (address, hwtype, flags, hwaddr, device)


def proxy(address: str, hwtype: int, device: str) -> str:
    return "%-16s 0x%-10x0x%-10x%s     *        %s\n" % (address, hwtype, 0x0C, "00:00:00:00:00:00", device)


CACHE = [
    neigh("10.2.0.5", 1, 0x6, "02:00:00:00:00:05", "v0"),
    neigh("10.2.0.6", 1, 0x2, "02:00:00:00:00:06", "v0"),
    neigh("10.2.0.99", 1, 0x0, "00:00:00:00:00:00", "v0"),
    proxy("10.2.0.60", 1, "v0"),
    neigh("192.168.100.200", 778, 0x6, "0a:00:00:01", "averylongname15"),
]


def test_rows():
    rows = arp.parse_proc_arp((HEADER + "".join(CACHE)).encode())
    assert rows == [
        ("10.2.0.5", 1, 6, "02:00:00:00:00:05", "*", "v0"),
        ("10.2.0.6", 1, 2, "02:00:00:00:00:06", "*", "v0"),
        ("10.2.0.99", 1, 0, "00:00:00:00:00:00", "*", "v0"),
        ("10.2.0.60", 1, 0xC, "00:00:00:00:00:00", "*", "v0"),
        ("192.168.100.200", 778, 6, "0a:00:00:01", "*", "averylongname15"),
    ]
    entries = arp.arp_entries(rows)
    assert entries[0] == arp.ArpEntry(ipaddress.IPv4Address("10.2.0.5"), 1, 6, "02:00:00:00:00:05", "*", "v0")
    assert entries[4].hwaddr_bytes() == bytes([10, 0, 0, 1])


def test_device_without_hardware_address():
    """A device with no link-layer address has an empty field: five words on the line."""
    data = (HEADER + neigh("10.8.0.5", 0xFFFE, 0x6, "", "tun0") + CACHE[0]).encode()
    assert arp.parse_proc_arp(data) == [("10.8.0.5", 0xFFFE, 6, "", "*", "tun0"),
                                        ("10.2.0.5", 1, 6, "02:00:00:00:00:05", "*", "v0")]
    assert arp.arp_entries(arp.parse_proc_arp(data))[0].hwaddr_bytes() == b""


def test_empty_cache():
    assert arp.parse_proc_arp(HEADER.encode()) == []


@pytest.mark.parametrize("data", [
    b"",
    b"IP address HW type Flags\n",
    (HEADER + "10.2.0.5 0x1 0x6\n").encode(),
    (HEADER + "10.2.0.5 1 0x6 02:00:00:00:00:05 * v0\n").encode(),  # type without 0x
    (HEADER + "10.2.0.5 0x1 0xZ 02:00:00:00:00:05 * v0\n").encode(),
    (HEADER + "10.2.0.5 0x1 0x6 02:00:00:00:00:05 * v0 extra\n").encode(),
])
def test_rejects_corrupted_input(data):
    with pytest.raises(DecodeError):
        arp.parse_proc_arp(data)


def test_records_reject_a_bad_address():
    with pytest.raises(DecodeError):
        arp.arp_entries(arp.parse_proc_arp((HEADER + neigh("10.2.0.500", 1, 2, "02:00:00:00:00:05", "v0")).encode()))


@pytest.mark.parametrize("text, raw", [
    ("02:00:00:00:00:05", bytes([2, 0, 0, 0, 0, 5])), ("", b""), ("G4ABC-1", None), ("0:1", None), ("zz", None),
])
def test_hwaddr_bytes(text, raw):
    assert arp.ArpEntry(ipaddress.IPv4Address(0), 1, 2, text, "*", "v0").hwaddr_bytes() == raw


entries = st.tuples(st.integers(0, 2**32 - 1).map(lambda n: str(ipaddress.IPv4Address(n))),
                    st.sampled_from([1, 0x304, 0x30A, 0xFFFE]), st.integers(0, 0xFF),
                    st.binary(min_size=1, max_size=10).map(lambda b: b.hex(":")),
                    st.sampled_from(["v0", "eth1", "averylongname15"]))


@settings(max_examples=200)
@given(st.lists(entries, max_size=30))
def test_round_trip(cache):
    data = (HEADER + "".join(neigh(*row) for row in cache)).encode()
    assert arp.parse_proc_arp(data) == [(a, t, f, h, "*", d) for a, t, f, h, d in cache]


# ---- struct arpreq ----

def arpreq_by_fields(address, hwtype, hwaddr, flags, netmask, device) -> bytes:
    req = abi.arpreq()
    ctypes.memmove(ctypes.addressof(req), inet.pack_sockaddr_in(ipaddress.IPv4Address(address).packed), 16)
    req.arp_ha.sa_family = hwtype
    req.arp_ha.sa_data[:len(hwaddr)] = hwaddr
    req.arp_flags = flags
    if netmask is not None:
        ctypes.memmove(ctypes.addressof(req) + abi.arpreq.arp_netmask.offset,
                       inet.pack_sockaddr_in(ipaddress.IPv4Address(netmask).packed), 16)
    req.arp_dev = device.encode()
    return bytes(req)


IP = ipaddress.IPv4Address

ARPREQ_CASES = [
    arp.ArpRequest(IP("10.2.0.5"), bytes([2, 0, 0, 0, 0, 5]), 1, abi.ATF_PERM | abi.ATF_COM),
    arp.ArpRequest(IP("10.2.0.6"), bytes([2, 0, 0, 0, 0, 6]), 1, abi.ATF_COM, device="v0"),
    arp.ArpRequest(IP("10.2.0.0"), bytes(6), 1, abi.ATF_PUBL | abi.ATF_NETMASK, IP("255.255.255.0"), "v0"),
    arp.ArpRequest(IP("10.2.0.7"), bytes(range(14)), 0x30A, abi.ATF_PERM | abi.ATF_DONTPUB | abi.ATF_PUBL,
                   device="averylongname15"),
    arp.ArpRequest(IP("10.2.0.8"), b"", 0, abi.ATF_PERM),
]


@pytest.mark.parametrize("req", ARPREQ_CASES, ids=str)
def test_arpreq_both_ways(req):
    raw = arp.encode_arpreq(req)
    assert raw == arpreq_by_fields(req.address, req.hwtype, req.hwaddr, req.flags, req.netmask, req.device)
    back = arp.decode_arpreq(raw, len(req.hwaddr))
    assert back == req


def test_arpreq_rejects_what_does_not_fit():
    with pytest.raises(InputError):
        arp.encode_arpreq(arp.ArpRequest(IP("10.2.0.5"), bytes(15)))
    with pytest.raises(InputError):
        arp.encode_arpreq(arp.ArpRequest(IP("10.2.0.5"), device="a" * 16))
    raw = arp.encode_arpreq(ARPREQ_CASES[0])
    with pytest.raises(DecodeError):
        arp.decode_arpreq(raw[:-1])
    with pytest.raises(DecodeError):
        arp.decode_arpreq(b"\x0a\x00" + raw[2:])  # an AF_INET6 protocol address
