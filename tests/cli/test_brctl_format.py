"""brctl's text layout from records, and its argument forms (no privileges needed).

The expected strings are derived by hand from bridge-utils 1.7.1's printf
formats (brctl_disp.c, brctl_cmd.c); tests/cli/test_brctl_compare.py checks
the same against the real brctl on a live kernel.
"""

import pytest

from sockctl.bridges import Bridge, BridgeId, BridgeInfo, FdbEntry, PortInfo
from sockctl.cli import brctl, brctl_format as fmt
from sockctl.errors import InputError

ID = BridgeId(0x8000, bytes.fromhex("020000000001"))
ROOT = BridgeId(0x1000, bytes.fromhex("0200000000ff"))


@pytest.mark.parametrize("centiseconds, text", [
    (0, "   0.00"), (5, "   0.05"), (1500, "  15.00"), (30000, " 300.00"), (123456, "1234.56"),
    (12345678, "123456.78"), (2**32 - 1, "42949672.95"),
])
def test_timer(centiseconds, text):
    assert fmt.timer(centiseconds) == text  # "%4i.%.2i" of seconds and hundredths


def test_show():
    found = [Bridge("br0", ID, False, ("eth1", "eth2", "veth0")), Bridge("br1", ROOT, True, ())]
    assert fmt.show(found) == (
        "bridge name\tbridge id\t\tSTP enabled\tinterfaces\n"
        "br0\t\t8000.020000000001\tno\t\teth1\n"
        "\t\t\t\t\t\t\teth2\n"
        "\t\t\t\t\t\t\tveth0\n"
        "br1\t\t1000.0200000000ff\tyes\t\t\n")
    assert fmt.show([]) == ""  # no header without a bridge


def test_showmacs_sorts_by_address_and_keeps_the_kernel_order_of_equal_ones():
    entries = [
        FdbEntry(bytes.fromhex("020000000003"), 2, False, 1234),
        FdbEntry(bytes.fromhex("020000000001"), 1, True, 0),
        FdbEntry(bytes.fromhex("020000000003"), 300, False, 5),  # brctl keeps the low byte of the port: 44
        FdbEntry(bytes.fromhex("0100000000ff"), 17, False, 99999),
    ]
    assert fmt.showmacs(entries) == (
        "port no\tmac addr\t\tis local?\tageing timer\n"
        " 17\t01:00:00:00:00:ff\tno\t\t 999.99\n"
        "  1\t02:00:00:00:00:01\tyes\t\t   0.00\n"
        "  2\t02:00:00:00:00:03\tno\t\t  12.34\n"
        " 44\t02:00:00:00:00:03\tno\t\t   0.05\n")


def _info(**changes):
    values = dict(bridge_id=ID, designated_root=ROOT, root_port=2, root_path_cost=119, max_age=2000,
                  hello_time=200, forward_delay=400, bridge_forward_delay=1500, ageing_time=30000,
                  stp_enabled=True, topology_change=True, topology_change_detected=True, hello_timer=0,
                  tcn_timer=150, topology_change_timer=3499, gc_timer=2873)
    values.update(changes)
    return BridgeInfo(**values)


def _port(**changes):
    values = dict(name="veth0", port_no=2, port_id=0x8002, state=3, designated_root=ROOT, designated_bridge=ID,
                  designated_port=0x8002, designated_cost=19, path_cost=100, top_change_ack=False,
                  config_pending=False, message_age_timer=0, forward_delay_timer=0, hold_timer=35,
                  hairpin_mode=False)
    values.update(changes)
    return PortInfo(**values)


def test_showstp():
    text = fmt.showstp("br0", _info(), [_port(), _port(name="veth1", port_no=300, port_id=0x812c, state=4,
                                                     top_change_ack=True, config_pending=True, hairpin_mode=True)])
    assert text == (
        "br0\n"
        " bridge id\t\t8000.020000000001\n"
        " designated root\t1000.0200000000ff\n"
        " root port\t\t   2\t\t\tpath cost\t\t 119\n"
        " max age\t\t  20.00\t\t\tbridge max age\t\t  20.00\n"
        " hello time\t\t   2.00\t\t\tbridge hello time\t   2.00\n"
        " forward delay\t\t   4.00\t\t\tbridge forward delay\t   4.00\n"
        " ageing time\t\t 300.00\n"
        " hello timer\t\t   0.00\t\t\ttcn timer\t\t   1.50\n"
        " topology change timer\t  34.99\t\t\tgc timer\t\t  28.73\n"
        " flags\t\t\tTOPOLOGY_CHANGE TOPOLOGY_CHANGE_DETECTED \n"
        "\n\n"
        "veth0 (2)\n"
        " port id\t\t8002\t\t\tstate\t\t     forwarding\n"
        " designated root\t1000.0200000000ff\tpath cost\t\t 100\n"
        " designated bridge\t8000.020000000001\tmessage age timer\t   0.00\n"
        " designated port\t8002\t\t\tforward delay timer\t   0.00\n"
        " designated cost\t  19\t\t\thold timer\t\t   0.35\n"
        " flags\t\t\t\n"
        "\n"
        "veth1 (300)\n"
        " port id\t\t812c\t\t\tstate\t\t       blocking\n"
        " designated root\t1000.0200000000ff\tpath cost\t\t 100\n"
        " designated bridge\t8000.020000000001\tmessage age timer\t   0.00\n"
        " designated port\t8002\t\t\tforward delay timer\t   0.00\n"
        " designated cost\t  19\t\t\thold timer\t\t   0.35\n"
        " flags\t\t\tCONFIG_PENDING TOPOLOGY_CHANGE_ACK \n"
        " hairpin mode\t\t   1\n"
        "\n")


def test_showstp_state_names_and_wide_numbers():
    port = fmt.showstp_port(_port(state=9, path_cost=2**32 - 1, designated_cost=123456))
    assert "\tstate\t\t<INVALID STATE>\n" in port  # %15s of 15 characters
    assert "path cost\t\t  -1\n" in port  # %4i of an unsigned field
    assert " designated cost\t123456\t" in port
    assert " root port\t\t1023\t" in fmt.showstp_bridge("br0", _info(root_port=1023))


def test_help_lists_every_command_as_brctl_does():
    text = brctl.help_text()
    assert text.startswith("Usage: brctl [commands]\ncommands:\n")
    assert "\taddbr     \t<bridge>\t\tadd bridge\n" in text
    assert "\tsetpathcost\t<bridge> <port> <cost>\tset path cost\n" in text  # %-10s does not cut
    assert text.count("\n") == 2 + len(brctl.COMMANDS)


# ---- arguments ----

@pytest.mark.parametrize("text, centiseconds", [
    ("2", 200), ("2.5", 250), ("0.015", 1), ("1.13", 112),  # (int)(1e6 * 0.13) is 129999: brctl truncates
    ("0", 0), (" 30", 3000), ("1e1", 1000), ("42949672.95", 4294967295), ("0.009", 0),
])
def test_seconds_as_brctl_reads_them(text, centiseconds):
    assert brctl.seconds(text, "forward delay") == centiseconds


@pytest.mark.parametrize("text", ["abc", "", "1.5x", "1_0", "0x10", "--1"])
def test_seconds_that_are_not_numbers(text):
    with pytest.raises(brctl.Failure, match="^bad forward delay value$"):
        brctl.seconds(text, "forward delay")


@pytest.mark.parametrize("text", ["-1", "-0.5", "inf", "nan", "42949673", "1e300"])
def test_seconds_out_of_range(text):
    with pytest.raises(InputError, match="out of range"):
        brctl.seconds(text, "forward delay")


@pytest.mark.parametrize("text, value", [
    ("100", 100), ("0x1000", 4096), ("0X1f", 31), ("010", 8), ("0", 0), ("-5", -5), ("+7", 7), (" 12", 12),
    ("99999999999", 99999999999),
])
def test_c_integers(text, value):
    assert brctl.c_integer(text, "bad priority") == value


@pytest.mark.parametrize("text", ["", "abc", "12x", "0x", "08", "1.5", "--1", "1 2", "0x1g", "1_0"])
def test_not_c_integers(text):
    with pytest.raises(brctl.Failure, match="^bad priority$"):
        brctl.c_integer(text, "bad priority")


@pytest.mark.parametrize("text, value", [("on", True), ("yes", True), ("1", True), ("off", False), ("no", False),
                                         ("0", False)])
def test_on_off(text, value):
    assert brctl.on_off(text) is value


@pytest.mark.parametrize("text", ["ON", "true", "", "2", "enable"])
def test_not_on_off(text):
    with pytest.raises(brctl.Failure, match="^expect on/off for argument$"):
        brctl.on_off(text)
