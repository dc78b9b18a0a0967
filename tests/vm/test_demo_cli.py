"""The commands against the loaded demo modules: `sockctl demo` and `sockctl sockopt`.

Most runs go through the command's main() in this process, inside the test
namespace: every process start costs seconds under emulation. One run per
command is a real process. Expected text comes from the documented formats
(cli/demo.py's usage) and from state set through the library, never from
sockctl's own output.
"""

import json

import pytest

import sockctl
from sockctl.cli import main
from sockctl.demo_dev import Device
from sockctl.demo_kv import KvRecord, Store

pytestmark = pytest.mark.vm


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_kv_commands(kv_module, vmns, capsys):
    with sockctl.netns(vmns.name):
        Store().put(b"size", b"9")
        Store().put(b"size", b"10")
        assert cli(capsys, "demo", "kv", "put", "colour", "bl\u00fce") == (0, "", "")
        assert cli(capsys, "demo", "kv", "-x", "get", "73697a65") == (0, "3130\n", "")
        code, out, _ = cli(capsys, "--json", "demo", "kv", "get", "size")
        assert json.loads(out) == {"key": b"size".hex(), "value": b"10".hex(), "revision": 2}
        assert cli(capsys, "demo", "kv", "put", "--create", "colour", "red") == (
            1, "", "sockctl: key 'colour': already exists\n")
        assert cli(capsys, "demo", "kv", "message", "hi") == (0, "", "")
        assert cli(capsys, "demo", "kv", "info") == (
            0, "version 1\nbase 128\nrecords 2 of 1024\nkey size 32\nvalue size 128\nmessage 2 of 64 bytes\n", "")
        assert Store().records() == [KvRecord(b"colour", "bl\u00fce".encode(), 1), KvRecord(b"size", b"10", 2)]
    listing = vmns.sockctl("demo", "kv", "list")  # a real process
    assert (listing.returncode, listing.stderr) == (0, b"")
    assert listing.stdout == "colour\tbl\u00fce\t1\nsize\t10\t2\n".encode()


def test_sockopt_commands(kv_module, vmns, capsys):
    with sockctl.netns(vmns.name):
        assert cli(capsys, "sockopt", "set", "128", "hello") == (0, "", "")
        assert Store().message() == b"hello"
        assert cli(capsys, "sockopt", "get", "-t", "-s", "64", "128") == (0, "hello\n", "")
        assert cli(capsys, "sockopt", "set", "128", "x" * 65) == (
            1, "", "sockctl: option 128: setsockopt: invalid argument\n")
    got = vmns.sockctl("sockopt", "get", "-s", "64", "128")  # a real process
    assert (got.returncode, got.stdout) == (0, b"68656c6c6f\n")


def test_dev_commands(dev_module, vmns, capsys):
    vmns.ip("link", "add", "sctl3", "type", "sctl")
    with sockctl.netns(vmns.name):
        Device("sctl3").set(2, 20)
        assert cli(capsys, "demo", "dev", "sctl3", "add", "2", "0x10") == (0, "36\n", "")
        assert cli(capsys, "demo", "dev", "sctl3", "get", "8") == (1, "", "sockctl: sctl3: get: value out of range\n")
        assert Device("sctl3").counters() == (0, 0, 36, 0, 0, 0, 0, 0)
    listing = vmns.sockctl("demo", "dev", "sctl3", "counters")  # a real process
    assert (listing.returncode, listing.stdout) == (0, b"0 0\n1 0\n2 36\n3 0\n4 0\n5 0\n6 0\n7 0\n")
