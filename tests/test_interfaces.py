"""Decoding of /proc/net/dev, /proc/net/if_inet6 and SIOCGIFCONF buffers (no privileges needed)."""

import ipaddress

import pytest
from hypothesis import given, settings, strategies as st

from sockctl import interfaces
from sockctl.abi.netdevice import ifreq
from sockctl.errors import DecodeError

HEADER = (b"Inter-|   Receive                                                |  Transmit\n"
          b" face |bytes    packets errs drop fifo frame compressed multicast|"
          b"bytes    packets errs drop fifo colls carrier compressed\n")


def test_proc_net_dev_rows_in_kernel_order():
    data = HEADER + (
        b"    lo:    3193      29    0    0    0     0          0         0     3193      29    0    0    0     0       0          0\n"
        b"  eth0: 18446744073709551615 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
        b"veth-long-name1: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n")
    stats = interfaces.parse_proc_net_dev(data)
    assert list(stats) == ["lo", "eth0", "veth-long-name1"]
    assert stats["lo"].rx_bytes == 3193 and stats["lo"].tx_packets == 29
    eth0 = stats["eth0"]
    assert eth0.rx_bytes == 2**64 - 1
    assert (eth0.rx_packets, eth0.rx_errors, eth0.rx_dropped, eth0.rx_fifo_errors, eth0.rx_frame_errors,
            eth0.rx_compressed, eth0.rx_multicast) == (2, 3, 4, 5, 6, 7, 8)
    assert (eth0.tx_bytes, eth0.tx_packets, eth0.tx_errors, eth0.tx_dropped, eth0.tx_fifo_errors,
            eth0.collisions, eth0.tx_carrier_errors, eth0.tx_compressed) == (9, 10, 11, 12, 13, 14, 15, 16)


@pytest.mark.parametrize("data", [
    b"",
    b"Inter-|\n face |bytes packets\n",  # an old format without compressed/multicast
    HEADER + b"  eth0: 1 2 3\n",  # too few counters
    HEADER + b"  eth0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",  # no colon
    HEADER + b"  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x\n",  # not a number
])
def test_proc_net_dev_rejects_malformed_input(data):
    with pytest.raises(DecodeError):
        interfaces.parse_proc_net_dev(data)


def test_proc_net_dev_error_names_the_offset():
    with pytest.raises(DecodeError) as info:
        interfaces.parse_proc_net_dev(HEADER + b"  eth0: 1\n")
    assert info.value.offset == len(HEADER)
    assert f"offset {len(HEADER)}" in str(info.value)


def test_if_inet6_grouped_by_device_in_file_order():
    data = (b"fe8000000000000000fc00fffe000001 04 40 20 80     eth0\n"
            b"fd000000000000000000000000000002 04 40 00 82     eth0\n"
            b"00000000000000000000000000000001 01 80 10 80       lo\n"
            b"20010db8000000000000000000000001 1a3 30 00 00   veth-long-name1\n")
    by_name = interfaces.parse_if_inet6(data)
    assert list(by_name) == ["eth0", "lo", "veth-long-name1"]
    first, second = by_name["eth0"]
    assert first == interfaces.Inet6Address(ipaddress.IPv6Address("fe80::fc:ff:fe00:1"), 64, 0x20, 0x80, 4)
    assert second.address == ipaddress.IPv6Address("fd00::2") and second.flags == 0x82
    assert by_name["lo"][0].scope == 0x10
    assert by_name["veth-long-name1"][0].ifindex == 0x1A3


@pytest.mark.parametrize("line", [
    b"fe80 04 40 20 80 eth0\n",
    b"fe8000000000000000fc00fffe00000g 04 40 20 80 eth0\n",
    b"fe8000000000000000fc00fffe000001 04 40 20 eth0\n",
])
def test_if_inet6_rejects_malformed_lines(line):
    with pytest.raises(DecodeError):
        interfaces.parse_if_inet6(line)


def test_ifconf_names():
    buf = bytes(ifreq.named("lo")) + bytes(ifreq.named("eth0:1"))
    assert interfaces.parse_ifconf(buf) == ["lo", "eth0:1"]
    with pytest.raises(DecodeError):
        interfaces.parse_ifconf(buf[:-1])


@settings(max_examples=300)
@given(st.binary(max_size=400))
def test_proc_decoders_never_crash_on_arbitrary_bytes(data):
    for decode in (interfaces.parse_if_inet6, interfaces.parse_ifconf):
        try:
            decode(data)
        except DecodeError:
            pass
    try:
        interfaces.parse_proc_net_dev(HEADER + data)
    except DecodeError:
        pass
