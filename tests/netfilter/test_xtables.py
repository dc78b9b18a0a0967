"""libxtables' ways with numbers, strings, protocols and addresses, as pure functions."""

import pytest

from sockctl.netfilter import addresses
from sockctl.netfilter.text import _save_iface, number_text
from sockctl.netfilter.xtables import RuleError, parse_mark_mask, parse_protocol, proto_name, save_string, strtoul


@pytest.mark.parametrize("text, value", [
    ("10", 10), ("0x1f", 31), ("010", 8), ("0", 0), (" 7", 7), ("+7", 7), ("-1", None), ("", None), ("x", None),
    ("08", None), ("0x", None), ("12a", None), ("4294967295", 4294967295), ("4294967296", None),
])
def test_strtoul(text, value):
    assert strtoul(text) == value


def test_strtoul_partial():
    assert strtoul("80-90", 0, 65535, partial=True) == (80, "-90")
    assert strtoul("x", partial=True) is None


@pytest.mark.parametrize("value, text", [
    ("abc_-9", " abc_-9"), ("a b", ' "a b"'), ("", ' ""'), ('q"\\\'', ' "q\\"\\\\\\\'"'), ("é", ' "é"'),
])
def test_save_string(value, text):
    assert save_string(value) == text


def test_protocols():
    assert parse_protocol("tcp") == 6 and parse_protocol("17") == 17 and parse_protocol("icmpv6") == 58
    assert parse_protocol("gre") == 47  # from /etc/protocols
    assert proto_name(6) == "tcp" and proto_name(0) == "all" and proto_name(58) == "ipv6-icmp"
    assert proto_name(47) == "gre" and proto_name(47, numeric=True) is None
    with pytest.raises(RuleError, match='unknown protocol "nope" specified'):
        parse_protocol("nope")


def test_mark_mask():
    assert parse_mark_mask("0x10/0xf0", "x", "y") == (0x10, 0xF0)
    assert parse_mark_mask("5", "x", "y") == (5, 0xFFFFFFFF)


@pytest.mark.parametrize("number, exact, text", [
    (0, False, "    0 "), (99999, False, "99999 "), (100000, False, " 100K "), (1234567, False, "1235K "),
    (99999999, False, " 100M "), (10 ** 13, False, "  10T "), (9999 * 10 ** 9, False, "9999G "), (10 ** 16, False, "10000T "),
    (123456789, True, "123456789 "), (5, True, "       5 "),
])
def test_counter_columns(number, exact, text):
    assert number_text(number, exact) == text


@pytest.mark.parametrize("name, mask, invert, text", [
    ("eth0", b"\xff" * 5 + bytes(11), 0, " -i eth0"),
    ("eth+", b"\xff" * 3 + bytes(13), 1, " ! -i eth+"),
    ("", bytes(16), 0, ""),
])
def test_interfaces(name, mask, invert, text):
    assert _save_iface("i", name, mask, invert) == text


@pytest.mark.parametrize("mask, suffix", [
    (b"\xff" * 4, ""), (b"\xff\xff\0\0", "/16"), (b"\xff\0\xff\0", "/255.0.255.0"), (bytes(4), "/0"),
    (b"\xff" * 8 + bytes(8), "/64"),
])
def test_mask_suffix(mask, suffix):
    assert addresses.mask_suffix(mask) == suffix
