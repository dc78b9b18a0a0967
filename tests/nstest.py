"""Test network namespaces: unique names, always removed, and tools run inside them.

Everything a test does to the kernel happens in a namespace made here; the
host's own namespace is never touched. Integration tests compare sockctl with
the real peer tool on the same state.
"""

import contextlib
import itertools
import os
import subprocess
import sys
import time
import uuid

import pytest

IS_ROOT = os.geteuid() == 0
needs_root = pytest.mark.skipif(
    not IS_ROOT, reason="needs root to create network namespaces (CI runs the suite as root)")

_counter = itertools.count()

# Keep IPv6 quiet so counters stand still between two listings: no duplicate
# address detection, no autoconfiguration, no router solicitations.
QUIET_SYSCTLS = {
    f"net.ipv6.conf.{scope}.{key}": "0"
    for scope in ("all", "default")
    for key in ("accept_dad", "autoconf", "router_solicitations", "dad_transmits", "accept_ra")
}


def run(cmd: list[str], check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """Run a command, capturing bytes; a failure shows its stderr."""
    proc = subprocess.run(cmd, capture_output=True, **kwargs)
    if check and proc.returncode != 0:
        raise AssertionError(f"{cmd} exited {proc.returncode}: {proc.stderr.decode(errors='replace')}")
    return proc


class Netns:
    """One test namespace."""

    def __init__(self, name: str):
        self.name = name

    def ip(self, *args: str) -> subprocess.CompletedProcess:
        return run(["ip", "-n", self.name, *args])

    def exec(self, *cmd: str, check: bool = False, **kwargs) -> subprocess.CompletedProcess:
        """A command inside the namespace (``ip netns exec``)."""
        return run(["ip", "netns", "exec", self.name, *cmd], check=check, **kwargs)

    def sockctl(self, *args: str, check: bool = False, json: bool = False) -> subprocess.CompletedProcess:
        """sockctl entering the namespace itself, as a user would call it."""
        glob = ["--json"] if json else []
        return run([sys.executable, "-m", "sockctl", "--netns", self.name, *glob, *args], check=check)

    def sysctl(self, key: str, value: str) -> None:
        self.exec("sysctl", "-q", "-w", f"{key}={value}", check=True)

    def script(self, text: str) -> None:
        """Several ``ip`` commands, one per line (``ip -batch``)."""
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        run(["ip", "-n", self.name, "-batch", "-"], input="\n".join(lines).encode())


@contextlib.contextmanager
def netns(tag: str = "t", quiet: bool = True):
    """A fresh namespace with lo up and IPv6 kept quiet; deleted afterwards, also on failure.

    QUIET=False leaves it as the kernel made it (lo down), which saves a dozen
    commands where counters do not matter.
    """
    name = f"sockctl-{tag}-{os.getpid()}-{next(_counter)}-{uuid.uuid4().hex[:6]}"
    run(["ip", "netns", "add", name])
    try:
        ns = Netns(name)
        for key, value in QUIET_SYSCTLS.items() if quiet else ():
            ns.sysctl(key, value)
        if quiet:
            ns.ip("link", "set", "lo", "up")
        yield ns
    finally:
        run(["ip", "netns", "del", name], check=False)


def steady(peer, ours, what, attempts: int = 40) -> tuple:
    """(PEER(), OURS()) taken while the state stood still.

    Runs peer, ours, peer; when the two peer results are equal the state
    did not move in between, and that pair is returned. Kernel timers (IPv6
    multicast reports, IPVS's counters) can move it, so it tries again until
    it settles.
    """
    for _ in range(attempts):
        before = peer()
        mine = ours()
        after = peer()
        if (before.stdout, before.stderr, before.returncode) == (after.stdout, after.stderr, after.returncode):
            return before, mine
        time.sleep(0.25)
    raise AssertionError(f"{what} never gave the same output twice in a row")


def settled(ns: Netns, peer: list[str], ours: list[str], attempts: int = 40) -> tuple[subprocess.CompletedProcess,
                                                                                       subprocess.CompletedProcess]:
    """The peer tool's and sockctl's results (``steady``) for command lines PEER and OURS in NS."""
    return steady(lambda: ns.exec(*peer), lambda: ns.sockctl(*ours), peer, attempts)


def netns_inode() -> int:
    return os.stat("/proc/thread-self/ns/net").st_ino


@contextlib.contextmanager
def prepared(tag: str, setup: str = ""):
    """A test namespace with SETUP's `ip` commands applied (root only: the test is skipped otherwise)."""
    if not IS_ROOT:
        pytest.skip("needs root to create network namespaces (CI runs the suite as root)")
    with netns(tag) as ns:
        if setup:
            ns.script(setup)
        yield ns


@contextlib.contextmanager
def twins(setup: str):
    """Two namespaces set up alike: (the peer tool's, sockctl's), for making the same change in each."""
    with prepared("peer", setup) as peer, prepared("ours", setup) as ours:
        yield peer, ours
