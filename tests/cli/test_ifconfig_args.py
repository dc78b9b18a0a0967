"""ifconfig's command line read into changes, checked whole before anything is applied."""

import ipaddress

import pytest

from sockctl import interface_config as ic
from sockctl.abi import if_arp, netdevice as nd
from sockctl.cli.ifconfig_args import UsageError, parse_changes
from sockctl.errors import InputError

A = ipaddress.IPv4Address
UP = ic.SetFlags(nd.IFF_UP | nd.IFF_RUNNING)


@pytest.mark.parametrize("argv, changes", [
    (["eth0", "10.0.0.1"], [ic.SetIPv4("address", A("10.0.0.1")), UP]),
    (["eth0", "inet", "10.1"], [ic.SetIPv4("address", A("10.0.0.1")), UP]),
    (["eth0", "10.0.0.1/20", "mtu", "1400"],
     [ic.SetIPv4("address", A("10.0.0.1")), UP, ic.SetMtu(1400), ic.SetIPv4("netmask", A("255.255.240.0"))]),
    (["eth0:1", "0.0.0.0"], [ic.SetIPv4("address", A(0))]),  # deleting a label: no "up"
    (["eth0", "netmask", "255.255.0.0", "broadcast", "10.0.255.255"],
     [ic.SetIPv4("netmask", A("255.255.0.0")), ic.SetIPv4("broadcast", A("10.0.255.255")),
      ic.SetFlags(nd.IFF_BROADCAST)]),
    (["eth0", "broadcast"], [ic.SetFlags(nd.IFF_BROADCAST)]),
    (["eth0", "pointopoint", "10.0.0.2"],
     [ic.SetIPv4("destination", A("10.0.0.2")), ic.SetFlags(nd.IFF_POINTOPOINT)]),
    (["eth0", "-arp", "promisc", "-allmulti", "down"],
     [ic.SetFlags(nd.IFF_NOARP), ic.SetFlags(nd.IFF_PROMISC), ic.SetFlags(0, nd.IFF_ALLMULTI),
      ic.SetFlags(0, nd.IFF_UP)]),
    (["eth0", "txqueuelen", "0x20"], [ic.SetTxQueueLen(32)]),
    (["eth0", "txqueuelen", "010"], [ic.SetTxQueueLen(8)]),
    (["eth0", "hw", "ether", "02:00:00:00:00:01"], [ic.SetHwAddr(if_arp.ARPHRD_ETHER, bytes.fromhex("020000000001"))]),
    (["eth0", "add", "2001:db8::1/64", "del", "fe80::1"],
     [ic.AddInet6(ipaddress.IPv6Address("2001:db8::1"), 64), ic.DelInet6(ipaddress.IPv6Address("fe80::1"), 128)]),
    (["eth0", "add", "10.0.0.9"], [ic.AddAlias(A("10.0.0.9"))]),
    (["eth0", "name", "wan0"], [ic.Rename("wan0")]),
    (["eth0", "irq", "5", "io_addr", "0x300", "media", "10baseT"],
     [ic.SetMapField("irq", 5), ic.SetMapField("base_addr", 0x300), ic.SetMapField("port", 2)]),
    (["eth0", "media", "auto"], [ic.SetFlags(nd.IFF_AUTOMEDIA)]),
])
def test_parse(argv, changes):
    name, parsed, _ = parse_changes(argv)
    assert name == argv[0]
    assert parsed == changes


def test_warn_bits_follow_cleared_flags():
    assert parse_changes(["eth0", "-promisc", "-multicast", "up"])[2] == nd.IFF_PROMISC | nd.IFF_MULTICAST


@pytest.mark.parametrize("argv", [
    ["eth0", "10.0.0.300"], ["eth0", "mtu", "abc"], ["eth0", "mtu", "-1"], ["eth0", "mtu", "1e3"],
    ["eth0", "mtu", "99999999999"], ["eth0", "txqueuelen", "12x"], ["eth0", "netmask", "255.0.255.0"],
    ["eth0", "10.0.0.1/33"], ["eth0", "add", "2001:db8::1/129"], ["eth0", "add", "2001:db8::zz"],
    ["eth0", "hw", "ether", "02:00:00:00:00"], ["eth0", "hw", "loop", "00"], ["eth0", "name", "x" * 16],
    ["a" * 16, "up"], ["eth0", "inet6", "2001:db8::1"], ["eth0", "tunnel", "::1"], ["eth0", "media", "fiber"],
    ["eth0", "mtu", "1400", "bogus"],
])
def test_bad_input_is_rejected_before_any_change(argv):
    with pytest.raises(InputError):
        parse_changes(argv)


@pytest.mark.parametrize("argv", [
    ["eth0", "mtu"], ["eth0", "netmask"], ["eth0", "hw", "ether"], ["eth0", "hw", "nosuch", "0"],
    ["eth0", "netmask", "255.0.0.0", "netmask", "255.255.0.0"], ["eth0", "netmask", "255.0.0.0", "10.0.0.1/8"],
])
def test_usage_errors(argv):
    with pytest.raises(UsageError):
        parse_changes(argv)
