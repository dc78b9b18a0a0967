"""Start-up of `sockctl sockopt` and `sockctl demo`: none of the modules a command must not pay for."""

import sys
from pathlib import Path

import pytest

import nstest

# The script as installed; `python -m` would import runpy, contextlib and types itself.
SCRIPT = str(Path(__file__).resolve().parents[2] / "bin" / "sockctl")

HEAVY = {"dataclasses", "typing", "re", "socket", "contextlib", "argparse", "ipaddress"}


@pytest.mark.parametrize("argv", [
    ["sockopt", "get", "-s", "84", "64", "filter"],
    ["sockopt", "set", "-x", "300", "00ff"],
    ["demo", "kv", "list"],
    ["demo", "dev", "lo", "get", "0"],
])
def test_commands_import_nothing_heavy(ns, argv):
    result = nstest.run([sys.executable, "-X", "importtime", SCRIPT, "--netns", ns.name, *argv], check=False)
    imported = {line.rsplit("|", 1)[1].strip() for line in result.stderr.decode().splitlines()
                if line.startswith("import time:")}
    assert "sockctl.cli.main" in imported
    assert not imported & HEAVY, sorted(imported & HEAVY)
