"""net-tools' rules for naming addresses and reading typed ones (lib/inet.c, lib/inet6.c).

A fixed pair of files stands for /etc/hosts and /etc/networks; no name
here goes to a resolver.
"""

import ipaddress
import sys

import pytest

from sockctl import netdb
from sockctl.cli import netnames

HOSTS = "10.1.0.2 gw-two\n10.1.0.0 zero-host\n0.1.2.3 low-host\n2001:db8::2 v6gw\n::ffff:1.2.3.4 mapped\n"
NETWORKS = "tennet 10.9\nlan 10.1.0\nlow 0.1.2.0\n"


@pytest.fixture
def db(tmp_path):
    (tmp_path / "hosts").write_text(HOSTS)
    (tmp_path / "networks").write_text(NETWORKS)
    return netdb.Database(str(tmp_path / "hosts"), str(tmp_path / "networks"))


def packed(text: str) -> bytes:
    return ipaddress.IPv4Address(text).packed


def mask(text: str) -> int:
    return netnames.word(packed(text))


@pytest.mark.parametrize("address, netmask, how, name", [
    ("0.0.0.0", "0.0.0.0", netnames.DEFAULT, "default"),
    ("0.0.0.0", "0.0.0.0", 0, "*"),
    ("0.0.0.0", "128.0.0.0", netnames.DEFAULT, "0.0.0.0"),
    ("10.9.0.0", "255.255.0.0", 0, "tennet"),  # no host bits: a network
    ("10.1.0.0", "255.255.255.0", 0, "lan"),
    ("10.1.0.0", "255.255.255.0", netnames.HOST, "zero-host"),  # a host route asks the hosts file
    ("10.1.0.2", "255.255.255.0", 0, "gw-two"),  # host bits set: a host
    ("10.1.0.3", "255.255.255.0", 0, "10.1.0.3"),  # nobody's: the number
    ("10.9.0.0", "255.0.0.0", 0, "10.9.0.0"),  # host bits, but no host of that address
])
def test_inet_with_a_mask(db, address, netmask, how, name):
    assert netnames.inet(db, packed(address), mask(netmask), how) == name


# (address, its name on a little-endian machine, on a big-endian one)
LONE = [
    ("10.1.0.0", "zero-host", "lan"),  # little-endian: first octet set, a host; big-endian: last octet clear
    ("0.1.2.0", "low", "low"),  # both octets clear: a network (getnetbyaddr of 0.1.2.0)
    ("0.1.2.3", "0.1.2.3", "low-host"),  # little-endian: a network, and there is no network 0.1.2.3
]


@pytest.mark.parametrize("address, little, big", LONE)
def test_lone_address_uses_one_octet(db, address, little, big):
    """INET_sprint's mask 0xffffff00 meets a network-order word: the "host bits" are one octet of the address."""
    found = netnames.inet(db, packed(address), netnames.SPRINT_MASK, netnames.DEFAULT)
    assert found == (little if sys.byteorder == "little" else big)


def test_inet6(db):
    A = ipaddress.IPv6Address
    assert netnames.inet6(db, A("::")) == "[::]"
    assert netnames.inet6(db, A("::"), netnames.DEFAULT) == "default"
    assert netnames.inet6(db, A("2001:db8::2")) == "v6gw"
    assert netnames.inet6(db, A("2001:db8::3")) == "2001:db8::3"
    assert netnames.inet6(db, A("::ffff:1.2.3.4")) == "mapped"
    assert netnames.inet6(db, A("::ffff:1.2.3.5")) == "1.2.3.5"


@pytest.mark.parametrize("text, address, is_net", [
    ("default", "0.0.0.0", True),
    ("10.1.0.7", "10.1.0.7", False),
    ("10.1", "10.0.0.1", False),  # inet_aton's short form
    ("0x0a010007", "10.1.0.7", False),
    ("tennet", "10.9.0.0", True),
    ("LAN", "10.1.0.0", True),
])
def test_resolve(db, text, address, is_net):
    assert netnames.resolve_ipv4(text, False, db) == (ipaddress.IPv4Address(address), is_net)


@pytest.mark.parametrize("text", ["10.1.0.300", "300.1.1.1", "1.2.3.4.5", ""])
def test_resolve_refuses_what_no_resolver_is_asked_about(db, text):
    with pytest.raises(netnames.UnknownHost, match="Unknown host"):
        netnames.resolve_ipv4(text, True, db)


@pytest.mark.parametrize("text, packed_address, result", [
    ("1.2.3.4", "::ffff:1.2.3.4", "1.2.3.4"), ("::ffff:1.2.3.4", "::ffff:1.2.3.4", "1.2.3.4"),
    ("host.example", "::ffff:1.2.3.4", "host.example"), ("2001:db8::1", "2001:db8::1", "2001:db8::1"),
    (":a.b", "::ffff:1.2.3.4", "a.b"),
])
def test_fix_v4_mapped(text, packed_address, result):
    assert netnames.fix_v4_mapped(text, ipaddress.IPv6Address(packed_address).packed) == result
