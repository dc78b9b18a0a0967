"""net-tools text conventions: nstrcmp ordering and IPv6 address text."""

import ipaddress

import pytest

from sockctl.cli import nettools

# (a, b, sign of nstrcmp(a, b)): behaviour of net-tools' lib/nstrcmp.c.
ORDER_CASES = [
    ("eth1", "eth1", 0), ("eth0:1", "eth0:1", 0), ("lan", "lan", 0), ("100", "100", 0), ("", "", 0),
    (":", ":", 0), ("a:b:c", "a:b:c", 0), ("a:", "a:", 0),
    ("a", "aa", -1), ("eth0", "eth1", -1), ("eth1", "eth20", -1), ("eth20", "eth100", -1),
    ("eth1", "eth13", -1), ("eth", "eth2", -1), ("eth0:1", "eth0:2", -1), ("eth1:10", "eth13:10", -1),
    ("eth1:1", "eth1:13", -1), ("a", "a:", -1), ("aa", "a", 1), ("eth2", "eth1", 1), ("eth13", "eth1", 1),
    ("eth2", "eth", 1), ("eth2:10", "eth2:1", 1), ("eth3:2", "eth2:3", 1), ("eth13:1", "eth1:0", 1),
    ("a:", "a", 1), ("a1b12", "a1b2", 1), ("eth1", "eth01", 1), ("eth01", "eth1", -1),
    ("eth1:1", "eth01:1", 1), ("eth01:1", "eth1:1", -1), ("eth1:01", "eth01:1", 1),
    ("br0", "eth0", -1), ("lo", "eth0", 1), ("veth9", "veth10", -1), ("eth0", "eth0:0", -1),
]


@pytest.mark.parametrize("a, b, sign", ORDER_CASES)
def test_nstrcmp_order(a, b, sign):
    ka, kb = nettools.nstrcmp_key(a), nettools.nstrcmp_key(b)
    assert (ka > kb) - (ka < kb) == sign


def test_sorting_a_listing():
    names = ["lo", "eth10", "eth2", "eth2:1", "br0", "eth2:0", "eth1"]
    assert sorted(names, key=nettools.nstrcmp_key) == ["br0", "eth1", "eth2", "eth2:0", "eth2:1", "eth10", "lo"]


@pytest.mark.parametrize("address, text", [
    ("fe80::1", "fe80::1"),
    ("::ffff:1.2.3.4", "1.2.3.4"),
    ("::1.2.3.4", "::1.2.3.4"),
    ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
    ("::", "::"),
])
def test_inet6_text(address, text):
    assert nettools.inet6_text(ipaddress.IPv6Address(address)) == text


def test_c_int_truncates_like_atoi():
    assert nettools.c_int(5) == 5
    assert nettools.c_int(2**31) == -(2**31)
    assert nettools.c_int(2**32 + 7) == 7
