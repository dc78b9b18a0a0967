"""Benchmark: appending 1,000 rules one at a time through the library, sockctl against python-iptables.

    sudo .venv/bin/python bench/iptables_append.py [--runs N] [--rules N]

python-iptables (``pip install python-iptables``; it drives libiptc through
ctypes) and ``sockctl.netfilter.tables`` each append the same rules to
filter INPUT, one call and one table replace per rule, starting from an
empty chain: ``-s 10.0.X.Y/32 -p tcp -m tcp --dport P -j ACCEPT``. Both run
in this process inside a fresh namespace; the tables they leave must be the
same, byte for byte, before anything is timed. Target: sockctl 10x faster.
A separate run times sockctl's socket-option calls alone: what every
library pays while each append is one atomic table replace. With --walk,
sockctl walks the table on every append, as it does when packets were
counted since its last append (it knows the layout only of a table read
back exactly as it wrote it).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


def options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rules", type=int, default=1000)
    parser.add_argument("--walk", action="store_true",
                        help="walk the table on every append, as when counters move between appends")
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    return parser.parse_args()


def addresses(count: int) -> list[tuple[str, int]]:
    return [(f"10.0.{i >> 8}.{i & 255}", 1024 + i) for i in range(count)]


def sockctl_rules(pairs):
    """The rules as sockctl's library takes them: typed header, the tcp codec's payload, a verdict."""
    from ipaddress import IPv4Address

    from sockctl.abi.x_tables import NFPROTO_IPV4
    from sockctl.netfilter import extensions
    from sockctl.netfilter.extensions.tcp import TcpOptions
    from sockctl.netfilter.model import ACCEPT, IPv4Header, Match, Rule, Verdict

    tcp = extensions.for_payload("match", "tcp", 0, NFPROTO_IPV4)
    ones = IPv4Address("255.255.255.255")
    return [Rule(IPv4Header.make(src=IPv4Address(src), smsk=ones, proto=6),
                 (Match("tcp", 0, tcp.payload(TcpOptions(dpts=(port, port)))),), Verdict(ACCEPT))
            for src, port in pairs]


def append_sockctl(rules) -> None:
    from sockctl.netfilter import tables

    for rule in rules:
        tables.append_rule("filter", "INPUT", rule)


def append_python_iptables(pairs) -> None:
    import iptc

    chain = iptc.Chain(iptc.Table(iptc.Table.FILTER), "INPUT")
    for src, port in pairs:
        rule = iptc.Rule()
        rule.src = src
        rule.protocol = "tcp"
        match = rule.create_match("tcp")
        match.dport = str(port)
        rule.target = iptc.Target(rule, "ACCEPT")
        chain.append_rule(rule)


class Forgetful(dict):
    """A dict that keeps nothing."""

    def __setitem__(self, key, value):
        pass


def flush() -> None:
    subprocess.run(["iptables-legacy", "-F", "INPUT"], check=True)


def saved() -> bytes:
    out = subprocess.run(["iptables-legacy-save", "-t", "filter"], capture_output=True, check=True).stdout
    return b"".join(line for line in out.splitlines(True) if not line.startswith(b"#"))


def timed(action) -> float:
    flush()
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def kernel_share(action) -> float:
    """Milliseconds ACTION spends in its socket-option calls (GET_INFO, GET_ENTRIES, SET_REPLACE,
    SET_ADD_COUNTERS): the floor every library pays while each append is one table replace."""
    from sockctl import channel

    spent = [0.0]
    originals = channel.getsockopt, channel.setsockopt

    def timing(call):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - start
        return wrapper

    channel.getsockopt, channel.setsockopt = timing(originals[0]), timing(originals[1])
    try:
        flush()
        action()
    finally:
        channel.getsockopt, channel.setsockopt = originals
    return spent[0] * 1000


def inner(scenario: str) -> None:
    opts = options()
    try:
        import iptc  # noqa: F401
    except ImportError as exc:
        sys.exit(f"python-iptables is not usable here ({exc}): pip install python-iptables")
    pairs = addresses(opts.rules)
    rules = sockctl_rules(pairs)
    if opts.walk:  # forget each splice: the next append finds the table changed and walks it
        from sockctl.netfilter import tables

        tables._spliced = Forgetful()
    append_python_iptables(pairs)
    by_peer = saved()
    flush()
    append_sockctl(rules)
    assert saved() == by_peer, "the two libraries leave different tables: fix that before timing them"
    samples = {"python-iptables": [], "sockctl": [], "kernel": []}
    for _ in range(opts.runs):
        samples["python-iptables"].append(timed(lambda: append_python_iptables(pairs)))
        samples["sockctl"].append(timed(lambda: append_sockctl(rules)))
        samples["kernel"].append(kernel_share(lambda: append_sockctl(rules)))
    peer, mine, floor = (statistics.median(samples[k]) for k in ("python-iptables", "sockctl", "kernel"))
    result = f"{peer / mine:.1f}x faster" if mine < peer else f"{mine / peer:.1f}x slower"
    print(benchlib.table([(f"append {opts.rules:,} rules one at a time (filter INPUT)", f"{peer:.0f}", f"{mine:.0f}",
                           f"{floor:.0f}", result, "10x faster")],
                         ("case", "python-iptables ms", "sockctl ms", "kernel calls alone ms", "result", "target")))
    print(f"(medians of {opts.runs} runs; kernel calls alone: the time sockctl spends in its socket-option calls, "
          f"timed in a separate run; python {sys.version.split()[0]}; kernel {os.uname().release})\n")


if __name__ == "__main__":
    benchlib.inner_or_outer({"append": lambda ns: None}, inner, "iptappend")
