"""Benchmark: `sockctl brctl` against bridge-utils `brctl`.

    sudo .venv/bin/python bench/brctl.py [--runs N] [--bridges N] [--entries N]

One namespace with N bridges (default 200) of four veth ports each, and N
static forwarding entries (default 4,000) on the first bridge, br0. It reports
median wall times of `brctl show`, `brctl showmacs br0` (the 4,000 entries and
the ports' own), `brctl showmacs br1` (the ports' own four) and
`brctl showstp br1` for both tools, and the Python floor (`python -c pass`)
next to `sockctl --version`. Target: show and showmacs <= 1.2x bridge-utils.
"""

import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


def options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--bridges", type=int, default=200)
    parser.add_argument("--entries", type=int, default=4000)
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    return parser.parse_args()


def bridges_and_entries(ns: str) -> None:
    opts = options()
    lines = []
    for b in range(opts.bridges):
        lines.append(f"link add br{b} type bridge")
        for p in range(4):
            lines += [f"link add b{b}p{p} type veth peer name b{b}q{p}", f"link set b{b}p{p} master br{b}"]
    benchlib.ip_batch(ns, lines)
    entries = [f"fdb add 02:aa:{k >> 16 & 255:02x}:{k >> 8 & 255:02x}:{k & 255:02x}:01 dev b0p{k % 4} master static"
               for k in range(opts.entries)]
    subprocess.run(["bridge", "-n", ns, "-batch", "-"], input="\n".join(entries).encode(), check=True)


SCENARIOS = {"bridges and entries": bridges_and_entries}


def inner(scenario: str) -> None:
    opts = options()
    sockctl = benchlib.sockctl_command()
    cases = [
        (f"`brctl show`, {opts.bridges} bridges x 4 ports", ["show"], "<= 1.2x"),
        (f"`brctl showmacs br0`, {opts.entries} static + 4 local entries", ["showmacs", "br0"], "<= 1.2x"),
        ("`brctl showmacs br1`, 4 local entries", ["showmacs", "br1"], "<= 1.2x"),
        ("`brctl showstp br1`, 4 ports", ["showstp", "br1"], ""),
    ]
    commands = {}
    for _, args, _ in cases:
        peer, ours = ["brctl", *args], [*sockctl, "brctl", *args]
        # showstp's gc timer ticks between two runs; the rest must match exactly.
        ignore = (b"topology change timer",) if args[0] == "showstp" else ()
        assert benchlib.same_output(peer, ours, ignore), f"brctl {' '.join(args)}: the outputs differ"
        commands[f"peer {args}"], commands[f"ours {args}"] = peer, ours
    python = benchlib.PYTHON
    commands["floor"] = [python, "-c", "pass"]
    commands["version"] = [*sockctl, "--version"]
    times = benchlib.medians(commands, opts.runs)
    floor = times["floor"]
    rows = []
    for title, args, target in cases:
        peer, ours = times[f"peer {args}"], times[f"ours {args}"]
        rows.append((title, f"{peer:.1f}", f"{ours:.1f}", f"{ours / peer:.2f}x (floor + {ours - floor:.1f} ms)",
                     target))
    rows += [("`sockctl --version`", "", f"{times['version']:.1f}", f"floor + {times['version'] - floor:.1f} ms", ""),
             ("`python -c pass` (the floor)", "", f"{floor:.1f}", "", "")]
    print(benchlib.table(rows, ("case", "bridge-utils ms", "sockctl ms", "result", "target")))
    print(f"(medians of {opts.runs} interleaved runs; python {sys.version.split()[0]}; kernel {os.uname().release})\n")


if __name__ == "__main__":
    benchlib.inner_or_outer(SCENARIOS, inner, "brctl")
