"""Benchmark: start-up of `sockctl sockopt` and `sockctl demo` against the Python floor.

    sudo .venv/bin/python bench/sockopt.py [--runs N]

In a fresh namespace: `sockctl sockopt get` of IPT_SO_GET_INFO (ip_tables'
own getsockopt, the first call iptables-legacy makes) and the Python floor
(`python -c pass`). There is no peer tool for raw options. `sockctl demo`
is timed where its module is not loaded: the whole command path up to the
kernel's "not registered" (the demo modules load only in the VM).
Target: within 25 ms of the floor.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


def options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    return parser.parse_args()


def inner(_scenario: str) -> None:
    opts = options()
    sockctl = benchlib.sockctl_command()
    times = benchlib.medians({
        "floor": [benchlib.PYTHON, "-c", "pass"],
        "get": [*sockctl, "sockopt", "get", "-s", "84", "64", "filter"],
        "demo": ["sh", "-c", f"{' '.join(sockctl)} demo kv info 2>/dev/null; true"],
        "sh": ["sh", "-c", "true"],
    }, opts.runs)
    floor = times["floor"]
    demo = times["demo"] - times["sh"]
    rows = [
        ("`sockopt get -s 84 64 filter` (IPT_SO_GET_INFO)", f"{times['get']:.1f}",
         f"floor + {times['get'] - floor:.1f} ms", "floor + 25 ms"),
        ("`demo kv info`, module not loaded", f"{demo:.1f}", f"floor + {demo - floor:.1f} ms", "floor + 25 ms"),
        ("`python -c pass` (the floor)", f"{floor:.1f}", "", ""),
    ]
    print(benchlib.table(rows, ("case", "sockctl ms", "result", "target")))
    print(f"(medians of {opts.runs} interleaved runs; python {sys.version.split()[0]}; kernel {os.uname().release})\n")


if __name__ == "__main__":
    benchlib.inner_or_outer({"sockopt": lambda ns: None}, inner, "sockopt")
