"""Benchmark: `sockctl ifconfig` against net-tools `ifconfig`, and start-up time.

    sudo .venv/bin/python bench/ifconfig.py [--runs N] [--interfaces N]

Two namespaces of N interfaces (veth pairs; default 1000): in one all are
down and have no address; in the other half of them are up, with an IPv4
address and an IPv6 link-local address. In each it reports median wall
times of `ifconfig -a` for both tools; then a one-interface listing and the
Python floor (`python -c pass`) next to `sockctl --version`.
Targets: at 1000 interfaces sockctl <= 1.5x net-tools; a one-interface
listing and --version within 25 ms of the Python floor.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


def options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--interfaces", type=int, default=1000)
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    return parser.parse_args()


def _pairs(ns: str) -> list[str]:
    # Quiet IPv6: no DAD, no router solicitations.
    for key in ("accept_dad", "router_solicitations"):
        benchlib.run_in(ns, ["sysctl", "-q", "-w", f"net.ipv6.conf.default.{key}=0"])
    return [f"link add b{i}a type veth peer name b{i}b" for i in range(options().interfaces // 2)]


def all_down(ns: str) -> None:
    benchlib.ip_batch(ns, _pairs(ns))


def half_up(ns: str) -> None:
    lines = _pairs(ns)
    for i in range(0, options().interfaces // 2, 2):
        lines += [f"addr add 10.{i // 256}.{i % 256}.1/24 dev b{i}a", f"link set b{i}a up", f"link set b{i}b up"]
    benchlib.ip_batch(ns, lines)


SCENARIOS = {"all down, no addresses": all_down, "half up, with addresses": half_up}


def inner(scenario: str) -> None:
    opts = options()
    sockctl = benchlib.sockctl_command()
    listing = {"net-tools": ["ifconfig", "-a"], "sockctl": [*sockctl, "ifconfig", "-a"]}
    assert benchlib.same_output(listing["net-tools"], listing["sockctl"], (b"RX packets", b"TX packets")), \
        "the two listings differ: fix that before timing them"
    times = benchlib.medians(listing, opts.runs)
    rows = [(f"`ifconfig -a`, {opts.interfaces} interfaces, {scenario}", f"{times['net-tools']:.1f}",
             f"{times['sockctl']:.1f}", f"{times['sockctl'] / times['net-tools']:.2f}x", "<= 1.5x")]
    if scenario == "all down, no addresses":
        python = benchlib.PYTHON
        more = benchlib.medians({
            "python -c pass": [python, "-c", "pass"],
            "net-tools ifconfig lo": ["ifconfig", "lo"],
            "sockctl ifconfig lo": [*sockctl, "ifconfig", "lo"],
            "sockctl --version": [*sockctl, "--version"],
        }, opts.runs)
        floor = more["python -c pass"]
        rows += [
            ("`ifconfig lo`", f"{more['net-tools ifconfig lo']:.1f}", f"{more['sockctl ifconfig lo']:.1f}",
             f"floor + {more['sockctl ifconfig lo'] - floor:.1f} ms", "floor + 25 ms"),
            ("`sockctl --version`", "", f"{more['sockctl --version']:.1f}",
             f"floor + {more['sockctl --version'] - floor:.1f} ms", "floor + 25 ms"),
            ("`python -c pass` (the floor)", "", f"{floor:.1f}", "", ""),
        ]
    print(benchlib.table(rows, ("case", "net-tools ms", "sockctl ms", "result", "target")))
    print(f"(medians of {opts.runs} interleaved runs; python {sys.version.split()[0]}; kernel {os.uname().release})\n")


if __name__ == "__main__":
    benchlib.inner_or_outer(SCENARIOS, inner, "ifconfig")
