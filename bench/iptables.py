"""Benchmark: `sockctl iptables-save` and `iptables-restore` against iptables-legacy's, at 1,000 to 50,000 rules.

    sudo .venv/bin/python bench/iptables.py [--runs N] [--sizes 1000,10000,50000]

For each size a namespace gets a ruleset of that many rules, a mix of the
part-A extensions with varied addresses and ports (tcp, udp, icmp,
multiport, conntrack, state, comment, mark, LOG, REJECT, DNAT, SNAT,
MASQUERADE, MARK, jumps to user chains) across the filter, nat and mangle
tables. It reports median wall times of iptables-legacy-save against
sockctl iptables-save (their outputs must agree but for the # lines), and
of restoring the same file with each tool (the kernel tables they leave must
agree). Target: sockctl <= 1.5x iptables-legacy at 50,000 rules.
"""

import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


def options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    return parser.parse_args()


def ruleset(size: int) -> str:
    """SIZE rules in iptables-restore format: 80% filter, 10% nat, 10% mangle, in user chains of 100."""
    filter_rules, nat_rules, mangle_rules = [], [], []
    chains = [f"chain{c}" for c in range(max(1, size // 1000))]
    for i in range(size):
        a, b, c = (i >> 16) & 255, (i >> 8) & 255, i & 255
        port = 1024 + i % 60000
        kind = i % 10
        if kind == 8:
            nat_rules.append(f"-A PREROUTING -d 198.51.{b}.{c}/32 -p tcp -m tcp --dport {port} "
                             f"-j DNAT --to-destination 10.{a}.{b}.{c}:{port % 1000 + 1}")
            continue
        if kind == 9:
            mangle_rules.append(f"-A PREROUTING -s 10.{a}.{b}.{c}/32 -m mark ! --mark 0x{i % 255:x} "
                                f"-j MARK --set-xmark 0x{i % 4096:x}/0xffffffff")
            continue
        chain = "INPUT" if i % 3 else chains[i % len(chains)]
        filter_rules.append({
            0: f"-A {chain} -s 10.{a}.{b}.{c}/32 -j DROP",
            1: f"-A {chain} -p tcp -m tcp --dport {port} -j ACCEPT",
            2: f"-A {chain} -s 10.{a}.{b}.0/24 -p udp -m multiport --dports {port},{port + 1}:{port + 5} "
               f"-m comment --comment \"service {i}\" -j ACCEPT",
            3: f"-A {chain} -i eth{i % 8} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            4: f"-A {chain} -d 192.0.{b}.{c}/32 -p tcp -m tcp --sport {port} -j REJECT --reject-with tcp-reset",
            5: f"-A {chain} -p icmp -m icmp --icmp-type {i % 16} -m state --state NEW -j ACCEPT",
            6: f"-A {chain} -s 172.16.{b}.{c}/32 -j LOG --log-prefix \"drop {i % 1000} \" --log-level 6",
            7: f"-A {chain} -p udp -m udp --sport {port} --dport 53 -j ACCEPT",
        }[kind])
    lines = ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]"]
    lines += [f":{chain} - [0:0]" for chain in chains]
    lines += [f"-A FORWARD -s 10.{c}.0.0/16 -j {chain}" for c, chain in enumerate(chains)]
    lines += filter_rules + ["COMMIT", "*nat", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]",
                             ":OUTPUT ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]",
                             "-A POSTROUTING -s 10.0.0.0/8 -o eth0 -j MASQUERADE",
                             "-A POSTROUTING -s 172.16.0.0/12 -j SNAT --to-source 198.51.100.1"]
    lines += nat_rules + ["COMMIT", "*mangle", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]",
                          ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]"]
    lines += mangle_rules + ["COMMIT"]
    return "\n".join(lines) + "\n"


def _path(size: int) -> str:
    return os.path.join(tempfile.gettempdir(), f"sockctl-bench-iptables-{os.getuid()}-{size}.rules")


def setup(size: int):
    def load(ns: str) -> None:
        with open(_path(size), "w") as f:
            f.write(ruleset(size))
        subprocess.run(["ip", "netns", "exec", ns, "iptables-legacy-restore", _path(size)], check=True)
    return load


def _peer_save() -> bytes:
    out = subprocess.run(["iptables-legacy-save"], capture_output=True, check=True).stdout
    return b"".join(line for line in out.splitlines(True) if not line.startswith(b"#"))


def inner(scenario: str) -> None:
    opts = options()
    size = int(scenario)
    sockctl = benchlib.sockctl_command()
    path = _path(size)
    save = {"iptables-legacy": ["iptables-legacy-save"], "sockctl": [*sockctl, "iptables-save"]}
    assert benchlib.same_output(save["iptables-legacy"], save["sockctl"], (b"#",)), \
        "the two saves differ: fix that before timing them"
    restore = {"iptables-legacy": ["iptables-legacy-restore", path], "sockctl": [*sockctl, "iptables-restore", path]}
    benchlib.wall_ms(restore["iptables-legacy"])
    by_peer = _peer_save()
    benchlib.wall_ms(restore["sockctl"])
    assert _peer_save() == by_peer, "the two restores leave different tables: fix that before timing them"
    rows = []
    for label, commands in (("save", save), ("restore", restore)):
        times = benchlib.medians(commands, opts.runs)
        rows.append((f"`iptables-{label}`, {size:,} rules", f"{times['iptables-legacy']:.1f}",
                     f"{times['sockctl']:.1f}", f"{times['sockctl'] / times['iptables-legacy']:.2f}x",
                     "<= 1.5x at 50,000"))
    print(benchlib.table(rows, ("case", "iptables-legacy ms", "sockctl ms", "result", "target")))
    print(f"(medians of {opts.runs} interleaved runs; python {sys.version.split()[0]}; kernel {os.uname().release})\n")


if __name__ == "__main__":
    SIZES = [int(s) for s in options().sizes.split(",")]
    benchlib.inner_or_outer({str(size): setup(size) for size in SIZES}, inner, "iptables")
