"""`sockctl demo`: its arguments and text, and its one-line refusals where the modules are not loaded."""

import pytest

from sockctl.cli import demo, demo_format
from sockctl.cli.main import Context
from sockctl.demo_kv import KvInfo, KvRecord
from sockctl.errors import InputError

PLAIN = {"create": False, "replace": False}


@pytest.mark.parametrize("argv, parsed", [
    (["info"], (128, False, "info", {}, [])),
    (["--base", "0x400", "-x", "message", "6869"], (1024, True, "message", {}, [b"hi"])),
    (["message"], (128, False, "message", {}, [])),
    (["put", "colour", "blue"], (128, False, "put", PLAIN, [b"colour", b"blue"])),
    (["put", "--create", "k", ""], (128, False, "put", {"create": True, "replace": False}, [b"k", b""])),
    (["put", "--revision", "3", "--replace", "k", "-v"],
     (128, False, "put", {"revision": 3, "create": False, "replace": True}, [b"k", b"-v"])),
    (["-x", "get", "ff00"], (128, True, "get", {}, [b"\xff\x00"])),
    (["del", "k"], (128, False, "del", {}, [b"k"])),
    (["list"], (128, False, "list", {}, [])),
    (["flush"], (128, False, "flush", {}, [])),
])
def test_parse_kv(argv, parsed):
    assert demo.parse_kv(argv) == parsed


@pytest.mark.parametrize("argv, parsed", [
    (["sctl0", "log", "1", "2"], ("sctl0", "log", [1, 2])),
    (["sctl0", "set", "7", "0xffffffffffffffff"], ("sctl0", "set", [7, 2**64 - 1])),
    (["eth0", "get", "4294967295"], ("eth0", "get", [2**32 - 1])),
    (["eth0", "counters"], ("eth0", "counters", [])),
])
def test_parse_dev(argv, parsed):
    assert demo.parse_dev(argv) == parsed


@pytest.mark.parametrize("module, argv, message", [
    ("kv", [], "kv needs a command"),
    ("kv", ["fetch", "k"], "unknown kv command 'fetch'"),
    ("kv", ["get"], "get takes 1 argument(s), not 0"),
    ("kv", ["put", "k"], "put takes 2 argument(s), not 1"),
    ("kv", ["message", "a", "b"], "message takes 0 or 1 argument(s), not 2"),
    ("kv", ["--base"], "--base needs a value"),
    ("kv", ["--base", "-1", "info"], "base -1 is out of range"),
    ("kv", ["put", "--revision", "0", "k", "v"], "revision 0 is out of range"),
    ("kv", ["put", "--force", "k", "v"], "unknown option '--force'"),
    ("kv", ["-x", "get", "xyz"], "'xyz' is not hexadecimal bytes"),
    ("dev", [], "dev needs an interface name"),
    ("dev", ["sctl0"], "dev needs a command"),
    ("dev", ["sctl0", "reset"], "unknown dev command 'reset'"),
    ("dev", ["sctl0", "get", "4294967296"], "index 4294967296 is out of range"),
    ("dev", ["sctl0", "add", "1", "18446744073709551616"], "value 18446744073709551616 is out of range"),
    ("dev", ["sctl0", "log", "x", "1"], "arg1 'x' is not a number"),
    ("dev", ["sctl0", "counters", "1"], "counters takes 0 argument(s), not 1"),
])
def test_parse_refuses(module, argv, message):
    parse = demo.parse_kv if module == "kv" else demo.parse_dev
    with pytest.raises(InputError) as info:
        parse(argv)
    assert message in str(info.value)


def test_text_formats():
    info = KvInfo(version=1, base=128, records=3, max_records=1024, key_max=32, value_max=128, msg_len=5, msg_max=64)
    assert demo_format.text(info, False) == (
        "version 1\nbase 128\nrecords 3 of 1024\nkey size 32\nvalue size 128\nmessage 5 of 64 bytes\n")
    records = [KvRecord(b"colour", b"bl\xc3\xbce", 2), KvRecord(b"\xff", b"", 1)]
    assert demo_format.text(records, False) == "colour\tbl\u00fce\t2\n\\xff\t\t1\n"
    assert demo_format.text(records, True) == "636f6c6f7572\t626cc3bc65\t2\n" "ff\t\t1\n"
    assert demo_format.text(records[0], False) == "bl\u00fce\n"
    assert demo_format.text(b"msg", True) == "6d7367\n"
    assert demo_format.text((5, 0, 2**64 - 1), False) == "0 5\n1 0\n2 18446744073709551615\n"
    assert demo_format.text(41, False) == "41\n"


@pytest.mark.parametrize("argv, message", [
    (["nosuch"], "sockctl demo: unknown module 'nosuch': kv or dev\n"),
    (["kv", "put", "k"], "sockctl demo: put takes 2 argument(s), not 1\n"),
    (["dev", "sctl0", "get", "-1"], "sockctl demo: index -1 is out of range (0-4294967295)\n"),
])
def test_usage_errors_exit_2_with_one_line(capsys, argv, message):
    assert demo.main(argv, Context()) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", message)


def test_help(capsys):
    assert demo.main(["--help"], Context()) == 0
    assert capsys.readouterr().out.startswith("usage: sockctl demo kv")


@pytest.mark.parametrize("argv, message", [
    (["kv", "info"],
     b"sockctl: sockctl_kv: info: option 129 is not registered: is sockctl_kv loaded, with this base?\n"),
    (["kv", "--base", "1000", "put", "k", "v"],
     b"sockctl: key 'k': put: option 1001 is not registered: is sockctl_kv loaded, with this base?\n"),
    (["dev", "lo", "counters"], b"sockctl: lo: counters: operation not supported by this device or kernel\n"),
    (["dev", "nosuch0", "get", "0"], b"sockctl: nosuch0: no such device\n"),
])
def test_without_the_modules(ns, argv, message):
    result = ns.sockctl("demo", *argv)
    assert (result.returncode, result.stdout, result.stderr) == (1, b"", message)
