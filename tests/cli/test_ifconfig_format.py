"""ifconfig text rules, checked on synthetic interfaces (no kernel involved).

The integration tests compare whole listings with net-tools; these pin down
rules that a test namespace cannot easily reach: unit thresholds, flag
corner cases, the device map line, IFF_PORTSEL.
"""

import ipaddress

import pytest

from sockctl.abi import if_arp, netdevice as nd
from sockctl.cli import ifconfig_format as fmt
from sockctl.interfaces import DeviceMap, Inet6Address, Interface, Stats


def iface(**changes) -> Interface:
    base = dict(name="eth0", index=2, flags=nd.IFF_UP | nd.IFF_BROADCAST | nd.IFF_RUNNING | nd.IFF_MULTICAST,
                mtu=1500, hwtype=if_arp.ARPHRD_ETHER, hwaddr=bytes.fromhex("0200000000aa") + bytes(8),
                txqueuelen=1000, map=DeviceMap(), address=None, netmask=None, broadcast=None,
                destination=None, inet6=(), stats=None)
    base.update(changes)
    return Interface(**base)


@pytest.mark.parametrize("value, text", [
    (0, "(0.0 B)"), (1024, "(1024.0 B)"), (1025, "(1.0 KiB)"), (1536, "(1.5 KiB)"),
    (1048576, "(1024.0 KiB)"), (116696327, "(111.2 MiB)"), (2**30 + 1, "(1.0 GiB)"),
    (5 * 2**40 + 2**39, "(5.5 TiB)"), (3 * 2**50, "(3.0 PiB)"), (2**64 - 1, "(16.0 EiB)"),
])
def test_size_units(value, text):
    assert fmt._size(value) == text


@pytest.mark.parametrize("flags, text", [
    (0, "flags=0<"),
    (nd.IFF_UP, "flags=1<UP>"),
    (nd.IFF_PORTSEL, "flags=8192"),  # no name for PORTSEL: net-tools drops the '<'
    (nd.IFF_DYNAMIC | nd.IFF_UP, "flags=-32767<UP,DYNAMIC>"),  # a short, printed signed
    (0x1043, "flags=4163<UP,BROADCAST,RUNNING,MULTICAST>"),
])
def test_flags_field(flags, text):
    assert fmt._flags_field(flags) == text


@pytest.mark.parametrize("scope, text", [
    (0, "<global>"), (0x10, "<host>"), (0x20, "<link>"), (0x40, "<site>"), (0x80, "<compat,global>"),
    (0x90, "<compat,host>"), (0x01, ""),
])
def test_scope_text(scope, text):
    assert fmt.scope_text(scope) == text


def test_long_entry_with_everything():
    stats = Stats(*range(1, 17))
    entry = fmt.long_entry(iface(
        flags=0x1053 | nd.IFF_PORTSEL | nd.IFF_AUTOMEDIA,
        address=ipaddress.IPv4Address("10.0.0.1"), netmask=ipaddress.IPv4Address("255.255.255.0"),
        broadcast=ipaddress.IPv4Address("10.0.0.255"), destination=ipaddress.IPv4Address("10.0.0.2"),
        inet6=(Inet6Address(ipaddress.IPv6Address("2001:db8::1"), 64, 0, 0x80, 2),),
        map=DeviceMap(mem_start=0xD0000, mem_end=0xDFFFF, base_addr=0x300, irq=11, dma=3, port=2),
        stats=stats))
    assert entry == (
        "eth0: flags=28755<UP,BROADCAST,POINTOPOINT,RUNNING,MULTICAST>  mtu 1500\n"
        "        inet 10.0.0.1  netmask 255.255.255.0  broadcast 10.0.0.255  destination 10.0.0.2\n"
        "        inet6 2001:db8::1  prefixlen 64  scopeid 0x0<global>\n"
        "        ether 02:00:00:00:00:aa  txqueuelen 1000  (Ethernet)\n"
        "        media 10baseTautoselect\n"
        "        RX packets 2  bytes 1 (1.0 B)\n"
        "        RX errors 3  dropped 4  overruns 5  frame 6\n"
        "        TX packets 10  bytes 9 (9.0 B)\n"
        "        TX errors 11  dropped 12 overruns 13  carrier 15  collisions 14\n"
        "        device interrupt 11  base 0x300  memory 0xd0000-dffff    dma 0x3\n"
        "\n")


def test_long_entry_without_stats_or_txqueuelen():
    entry = fmt.long_entry(iface(name="eth0:1", txqueuelen=None, hwtype=if_arp.ARPHRD_LOOPBACK))
    assert entry == ("eth0:1: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n"
                     "        loop  (Local Loopback)\n\n")


def test_short_entry():
    assert fmt.short_entry(iface(stats=Stats(*range(1, 17)))) == (
        "eth0             1500        2      3      4 5            10     11     12     13 BMRU\n")
    assert fmt.short_entry(iface(name="a-very-long-name", flags=0)) == (
        "a-very-long-nam  1500      - no statistics available -                        [NO FLAGS]\n")
