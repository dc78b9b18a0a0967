"""arp listing rules, checked on synthetic rows (no kernel involved).

Expected lines are written from net-tools' printf formats (arp.c
arp_disp_2: "%-23.23s  " "%-8.8s%-20.20s" "%-6.6s%-15.15s %s\\n"; arp_disp).
"""

import pytest

from sockctl import arp
from sockctl.abi import arpreq
from sockctl.cli import arp_format as fmt


def test_flag_values_are_the_abis():
    """The listing keeps its own copies of the flags (to spare ctypes); they must be the kernel's."""
    assert (fmt.ATF_COM, fmt.ATF_PERM, fmt.ATF_PUBL, fmt.ATF_USETRAILERS, fmt.ATF_NETMASK, fmt.ATF_DONTPUB,
            fmt.ATF_MAGIC) == (arpreq.ATF_COM, arpreq.ATF_PERM, arpreq.ATF_PUBL, arpreq.ATF_USETRAILERS,
                               arpreq.ATF_NETMASK, arpreq.ATF_DONTPUB, arp.ATF_MAGIC)

ROWS = [
    ("10.2.0.5", 1, 0x06, "02:00:00:00:00:05", "*", "v0"),
    ("10.2.0.6", 1, 0x02, "02:00:00:00:00:06", "*", "v0"),
    ("10.2.0.99", 1, 0x00, "00:00:00:00:00:00", "*", "v0"),
    ("10.2.0.60", 1, 0x0C, "00:00:00:00:00:00", "*", "v0"),
    ("10.2.0.7", 778, 0x06, "0a:00:00:01", "*", "averylongname15"),
    ("10.2.0.8", 0x20, 0xFE, "80:00:00:48:fe:80:00:00:00:00", "255.255.0.0", "ib0"),
]


def test_linux_style():
    names = [row[0] for row in ROWS[:4]] + ["averyveryverylonghostname", "h"]
    assert fmt.linux_style(ROWS, names).splitlines() == [
        "Address                  HWtype  HWaddress           Flags Mask            Iface",
        "10.2.0.5                 ether   02:00:00:00:00:05   CM                    v0",
        "10.2.0.6                 ether   02:00:00:00:00:06   C                     v0",
        "10.2.0.99                        (incomplete)                              v0",
        "10.2.0.60                *       <from_interface>    MP                    v0",
        "averyveryverylonghostna  ether   0a:00:00:01         CM                    averylongname15",
        "h                        ether   80:00:00:48:fe:80:00CMPA!T255.255.0.0     ib0",
    ]
    assert fmt.linux_style([], []) == ""  # the title comes with the first entry


def test_bsd_style():
    names = ["?", "six", "?", "?", "?", "h"]
    assert fmt.bsd_style(ROWS, names).splitlines() == [
        "? (10.2.0.5) at 02:00:00:00:00:05 [ether] PERM on v0",
        "six (10.2.0.6) at 02:00:00:00:00:06 [ether] on v0",
        "? (10.2.0.99) at <incomplete> on v0",
        "? (10.2.0.60) at <from_interface> PERM PUB on v0",
        "? (10.2.0.7) at 0a:00:00:01 [ether] PERM on averylongname15",
        "h (10.2.0.8) at 80:00:00:48:fe:80:00:00:00:00 [ether] netmask 255.255.0.0 PERM PUB AUTO DONTPUB TRAIL on ib0",
    ]


@pytest.mark.parametrize("hwtype, name", [(1, "ether"), (3, "ax25"), (0x30A, "ether"), (0x304, "loop"),
                                          (0x300, "tunnel"), (781, "ash"), (0xFFFF, "ether")])
def test_hw_names(hwtype, name):
    assert fmt.hw_name(hwtype) == name


@pytest.mark.parametrize("flags, letters", [(0x02, "C"), (0x06, "CM"), (0x0C, "MP"), (0xFE, "CMPA!T"), (0, "")])
def test_flag_letters(flags, letters):
    assert fmt.flag_letters(flags) == letters
