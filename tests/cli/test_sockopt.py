"""`sockctl sockopt`: its arguments, and raw options of the host kernel's ip_tables and ip6_tables.

The expected replies are struct ipt_getinfo / ip6t_getinfo of a table that
was never changed, built from the kernel's layout: a filter table has three
built-in chains (LOCAL_IN, FORWARD, LOCAL_OUT, hooks 1 to 3), each one entry
of sizeof(ipt_entry) + sizeof(xt_standard_target), and an error entry of
sizeof(ipt_entry) + sizeof(xt_error_target) at the end.
"""

import struct
import sys

import pytest

import nstest
from sockctl.abi.families import AF_INET, AF_INET6
from sockctl.cli import sockopt
from sockctl.errors import InputError

NO_HOOK = 0xFFFFFFFF
STANDARD_TARGET, ERROR_TARGET = 40, 64


def getinfo(name: bytes, entry_size: int) -> bytes:
    """The getinfo reply for a pristine filter table whose entries are ENTRY_SIZE bytes before their target."""
    step = entry_size + STANDARD_TARGET
    hooks = [NO_HOOK, 0, step, 2 * step, NO_HOOK]
    size = 3 * step + entry_size + ERROR_TARGET
    return struct.pack("=32sI5I5III", name, 0b1110, *hooks, *hooks, 4, size)


@pytest.mark.parametrize("argv, parsed", [
    (["get", "128"], ("get", 128, b"", 4096, AF_INET, False)),
    (["get", "-6", "-x", "-t", "-s", "16", "0x80", "0a:0b 0c"], ("get", 128, b"\x0a\x0b\x0c", 16, AF_INET6, True)),
    (["get", "-s", "2", "1", "abcd"], ("get", 1, b"abcd", 4, AF_INET, False)),  # never smaller than the request
    (["set", "2147483647"], ("set", 2**31 - 1, b"", 4096, AF_INET, False)),
    (["set", "128", "-x"], ("set", 128, b"-x", 4096, AF_INET, False)),  # options come first
    (["set", "--", "128", "-5"], ("set", 128, b"-5", 4096, AF_INET, False)),
])
def test_parse(argv, parsed):
    assert sockopt.parse(argv) == parsed


@pytest.mark.parametrize("argv, message", [
    ([], "expected get or set"),
    (["put", "1"], "expected get or set"),
    (["get"], "get needs an option number"),
    (["get", "abc"], "option 'abc' is not a number"),
    (["get", "-1"], "unknown option '-1'"),
    (["set", "2147483648"], "option 2147483648 is out of range"),
    (["set", "-t", "1"], "unknown option '-t'"),  # for get only
    (["set", "-s", "4", "1"], "unknown option '-s'"),
    (["get", "-s", "x", "1"], "size 'x' is not a number"),
    (["get", "-s", str((1 << 20) + 1), "1"], "size 1048577 is out of range"),
    (["set", "-x", "1", "zz"], "data 'zz' is not hexadecimal bytes"),
    (["get", "1", "a", "b"], "unexpected argument 'b'"),
])
def test_parse_refuses(argv, message):
    with pytest.raises(InputError) as info:
        sockopt.parse(argv)
    assert message in str(info.value)


def test_bad_arguments_exit_2_with_one_line():
    result = nstest.run([sys.executable, "-m", "sockctl", "sockopt", "get", "-s"], check=False)
    assert (result.returncode, result.stdout, result.stderr) == (2, b"", b"sockctl sockopt: -s needs a value\n")
    usage = nstest.run([sys.executable, "-m", "sockctl", "sockopt", "--help"])
    assert usage.stdout.startswith(b"usage: sockctl sockopt get")


def test_get_ip_tables_info(ns):
    ipv4 = ns.sockctl("sockopt", "get", "-s", "84", "64", "filter", check=True)  # IPT_SO_GET_INFO
    assert ipv4.stdout == getinfo(b"filter", 112).hex().encode() + b"\n"
    ipv6 = ns.sockctl("sockopt", "get", "-6", "-s", "84", "64", "filter", check=True)  # IP6T_SO_GET_INFO
    assert ipv6.stdout == getinfo(b"filter", 168).hex().encode() + b"\n"
    as_json = ns.sockctl("sockopt", "get", "-x", "-s", "84", "64", "66696c746572" + "00" * 78, json=True, check=True)
    assert as_json.stdout.decode() == (
        '{\n  "option": 64,\n  "family": "inet",\n  "length": 84,\n'
        f'  "data": "{getinfo(b"filter", 112).hex()}"\n}}\n')


def test_get_as_text(ns):
    name = ns.sockctl("sockopt", "get", "-t", "-s", "84", "64", "nat", check=True).stdout
    assert name.startswith(b"nat\x00\x00") and name.endswith(b"\n")


@pytest.mark.parametrize("argv, message", [
    (["get", "300"], b"sockctl: option 300: getsockopt: option not registered by the running kernel\n"),
    (["set", "300", "x"], b"sockctl: option 300: setsockopt: option not registered by the running kernel\n"),
    (["get", "-s", "83", "64", "filter"], b"sockctl: option 64: getsockopt: invalid argument\n"),
    (["get", "-s", "84", "64", "nosuchtable"], b"sockctl: option 64: getsockopt: no such entry\n"),
])
def test_refusals_are_one_line(ns, argv, message):
    before = ns.exec("iptables-legacy-save", check=True).stdout
    result = ns.sockctl("sockopt", *argv)
    assert (result.returncode, result.stdout, result.stderr) == (1, b"", message)
    assert ns.exec("iptables-legacy-save", check=True).stdout == before


def test_a_malformed_set_changes_nothing(ns):
    ns.exec("iptables-legacy", "-A", "INPUT", "-s", "10.9.9.9", "-j", "DROP", check=True)
    before = ns.exec("iptables-legacy-save", check=True).stdout
    result = ns.sockctl("sockopt", "set", "-x", "64", "00" * 200)  # IPT_SO_SET_REPLACE with an empty replace
    assert result.returncode == 1 and result.stderr.startswith(b"sockctl: option 64: setsockopt: ")
    assert result.stderr.count(b"\n") == 1
    assert ns.exec("iptables-legacy-save", check=True).stdout == before


def test_missing_privilege(ns):
    drop = ["setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin"]
    result = ns.exec(*drop, sys.executable, "-m", "sockctl", "sockopt", "get", "-s", "84", "64", "filter")
    assert (result.returncode, result.stderr) == (
        1, b"sockctl: option 64: operation not permitted: needs CAP_NET_ADMIN\n")
