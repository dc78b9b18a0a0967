"""Benchmark: one `sockctl iptables -A` / `-I` on a 50,000-rule table against iptables-legacy's.

    sudo .venv/bin/python bench/iptables_cli_append.py [--runs N] [--size N]

A namespace gets the ruleset of ``bench/iptables.py`` (SIZE rules over the
filter, nat and mangle tables, filter holding 80% of them). Each timed
command adds one rule to filter, the whole command as a user runs it: the
process starting, reading the table, one replace. ``sockctl iptables``
splices the entry into the blob (``sockctl.netfilter.splice``); before the
timing, each case is made by both tools in turn and the tables they leave
must be the same. A third column times the same command made the full way
(the table decoded and encoded again), as sockctl did before the splice.
Every run adds one rule, so the table grows by a few
dozen rules during the timing, alike for both tools (interleaved runs).
"""

import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
import iptables as ruleset_bench  # noqa: E402

CASES = [("-A INPUT (built-in chain, at the end)", ["-A", "INPUT", "-s", "10.250.0.1", "-j", "ACCEPT"]),
         ("-I INPUT 1 (built-in chain, first)", ["-I", "INPUT", "1", "-p", "tcp", "--dport", "22", "-j", "DROP"]),
         ("-A chain1 (user chain, a jump)", ["-A", "chain1", "-s", "10.250.0.2", "-j", "chain2"])]


# sockctl with the splice refused: every table takes the full way
FULL_WAY = ("import sys\nfrom sockctl.netfilter import splice\n"
            "def unusual(*args, **kwargs):\n    raise splice.Unusual\n"
            "splice.walk = unusual\nfrom sockctl.cli.main import main\nsys.exit(main(sys.argv[1:]))\n")


def options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--size", type=int, default=50000)
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    return parser.parse_args()


def _saved() -> bytes:
    out = subprocess.run(["iptables-legacy-save", "-t", "filter"], capture_output=True, check=True).stdout
    return b"".join(line for line in out.splitlines(True) if not line.startswith(b"#"))


def _undo(args: list[str]) -> None:
    """Delete the rule ARGS added (iptables-legacy -D: the first rule equal to it)."""
    rule = args[2:] if args[0] == "-A" else args[3:]
    subprocess.run(["iptables-legacy", "-D", args[1], *rule], check=True)


def inner(scenario: str) -> None:
    opts = options()
    sockctl = benchlib.sockctl_command()
    rows = []
    for label, args in CASES:
        commands = {"iptables-legacy": ["iptables-legacy", *args], "sockctl": [*sockctl, "iptables", *args],
                    "full way": [benchlib.PYTHON, "-c", FULL_WAY, "iptables", *args]}
        benchlib.wall_ms(commands["iptables-legacy"])
        by_peer = _saved()
        _undo(args)
        benchlib.wall_ms(commands["sockctl"])
        assert _saved() == by_peer, f"{label}: the two tools leave different tables: fix that before timing them"
        _undo(args)
        benchlib.wall_ms(commands["full way"])
        assert _saved() == by_peer, f"{label}: the full way leaves a different table: fix that before timing it"
        _undo(args)
        times = benchlib.medians(commands, opts.runs)
        peer, mine = times["iptables-legacy"], times["sockctl"]
        rows.append((f"`iptables {' '.join(args[:2])}` on {opts.size:,} rules: {label.split(' (')[1][:-1]}",
                     f"{peer:.1f}", f"{mine:.1f}", f"{mine / peer:.2f}x", f"{times['full way']:.1f}"))
    print(benchlib.table(rows, ("case", "iptables-legacy ms", "sockctl ms", "sockctl / iptables-legacy",
                                "sockctl the full way ms")))
    print(f"(medians of {opts.runs} interleaved runs; python {sys.version.split()[0]}; kernel {os.uname().release})\n")


if __name__ == "__main__":
    benchlib.inner_or_outer({"append": ruleset_bench.setup(options().size)}, inner, "iptcliappend")
