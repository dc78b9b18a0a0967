"""Shared pieces of the iptables integration tests: corpus files, peer tools, kernel read-backs."""

import os
import sys

from sockctl import channel
from sockctl.netfilter import kernel

import nstest

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = {4: os.path.join(HERE, "cli", "iptables", "ipv4.rules"),
          6: os.path.join(HERE, "cli", "iptables", "ipv6.rules")}
PEER = {4: "iptables-legacy", 6: "ip6tables-legacy"}
OURS = {4: "iptables", 6: "ip6tables"}
FAMILY = {4: kernel.IPV4, 6: kernel.IPV6}
TABLES = ("raw", "mangle", "nat", "filter")


def corpus_namespace(tag: str):
    """A namespace holding both corpora, loaded with counters by the peer tools (a fixture's body)."""
    import pytest

    if not nstest.IS_ROOT:
        pytest.skip("needs root to create network namespaces (CI runs the suite as root)")
    with nstest.netns(tag) as ns:
        for family in (4, 6):
            with open(CORPUS[family], "rb") as f:
                peer_restore(ns, family, f.read(), "-c")
        yield ns


def without_comments(text: bytes) -> bytes:
    """iptables-save output without the # lines (they carry a version and a date)."""
    return b"".join(line for line in text.splitlines(keepends=True) if not line.startswith(b"#"))


def peer_restore(ns, family: int, text: bytes, *args: str) -> None:
    nstest.run(["ip", "netns", "exec", ns.name, f"{PEER[family]}-restore", *args], input=text)


def peer_save(ns, family: int, *args: str) -> bytes:
    return without_comments(ns.exec(f"{PEER[family]}-save", *args, check=True).stdout)


def tables_saved(ns, family: int, counters: bool = True) -> dict:
    """Each table's save text by the peer tool (table order in the file depends on creation order)."""
    extra = ("-c",) if counters else ()
    return {t: peer_save(ns, family, "-t", t, *extra) for t in TABLES}


def blobs(ns, family: int) -> dict:
    """Each table's geometry and blob as the kernel hands them out."""
    with channel.netns(ns.name):
        return {t: kernel.read(FAMILY[family], t) for t in TABLES}


def sockctl(ns, *args: str, input: bytes | None = None, env: dict | None = None):
    """sockctl inside the namespace (as ip netns exec runs it), with optional stdin."""
    return nstest.run(["ip", "netns", "exec", ns.name, sys.executable, "-m", "sockctl", *args], check=False,
                      input=input, env=env)
