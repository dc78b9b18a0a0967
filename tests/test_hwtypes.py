"""Hardware type table: names, address text and strict address parsing."""

import pytest

from sockctl import hwtypes
from sockctl.abi import if_arp
from sockctl.errors import InputError

RAW = bytes([0x02, 0x1A, 0xFF, 0x00, 0x9C, 0x80, 0xC9, 0x11]) + bytes(6)


@pytest.mark.parametrize("arphrd, text", [
    (if_arp.ARPHRD_ETHER, "02:1a:ff:00:9c:80"),
    (if_arp.ARPHRD_LOOPBACK, None),
    (if_arp.ARPHRD_TUNNEL, ""),
    (if_arp.ARPHRD_FDDI, "02-1A-FF-00-9C-80"),
    (if_arp.ARPHRD_HIPPI, "02:1A:FF:00:9C:80"),
    (if_arp.ARPHRD_EUI64, "02:1A:FF:00:9C:80:C9:11"),
    (if_arp.ARPHRD_ARCNET, "02"),
    (if_arp.ARPHRD_IRDA, "00:ffffffff:1a:02"),
    (if_arp.ARPHRD_DLCI, str(0x1A02)),
    (if_arp.ARPHRD_NONE, "02-1A-FF-00-9C-80-C9-11-00-00-00-00-00-00-00-00"),
    (if_arp.ARPHRD_IPGRE, "02-1A-FF-00-9C-80-C9-11-00-00-00-00-00-00-00-00"),
])
def test_address_text(arphrd, text):
    assert hwtypes.by_arphrd(arphrd).text(RAW) == text


def test_callsign():
    raw = bytes(c << 1 for c in b"G4ABC ") + bytes([(7 << 1)])
    assert hwtypes.by_arphrd(if_arp.ARPHRD_AX25).text(raw) == "G4ABC-7"


def test_unknown_type_is_unspec():
    assert hwtypes.by_arphrd(0x1234) is hwtypes.UNSPEC
    assert hwtypes.by_name("ether").arphrd == if_arp.ARPHRD_ETHER
    assert hwtypes.by_name("nosuch") is None


@pytest.mark.parametrize("text, raw", [
    ("02:11:22:33:44:55", bytes.fromhex("021122334455")),
    ("2:1:a:B:c:D", bytes.fromhex("0201 0a0b 0c0d")),
])
def test_ether_parse(text, raw):
    assert hwtypes.by_name("ether").parse(text) == raw


@pytest.mark.parametrize("text", ["02:11:22:33:44", "02:11:22:33:44:55:66", "02:11:22:33:44:5g",
                                  "021:1:22:33:44:55", "", "02-11-22-33-44-55"])
def test_ether_parse_rejects(text):
    with pytest.raises(InputError):
        hwtypes.by_name("ether").parse(text)
