"""Benchmark: `sockctl route -n` and `sockctl arp -n` against net-tools, and adding routes.

    sudo .venv/bin/python bench/route_arp.py [--runs N] [--routes N] [--entries N]

Three cases, each in namespaces of its own:
- a main table of N routes (default 10,000 host routes through one
  gateway): median wall times of `route -n` for both tools;
- an ARP cache of N entries (default 4,000): `arp -n` for both tools. The
  entries are permanent: the neighbour gc_thresh sysctls belong to the
  initial namespace only on current kernels, and permanent entries are not
  counted against them, so the host's settings stay untouched;
- adding the N routes to an empty table: `ip -batch` against one Python
  process that enters the namespace and calls ``sockctl.routes.add`` for
  each; both are whole-process wall times, interleaved, and the two tables
  are checked to be the same afterwards.
Targets: listings <= 1.2x net-tools; adding within 2x of `ip -batch`.
"""

import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

GATEWAY = "10.0.0.2"


def options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--routes", type=int, default=10000)
    parser.add_argument("--entries", type=int, default=4000)
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    return parser.parse_args()


def destinations(count: int) -> list[str]:
    return [f"172.{16 + i // 65536}.{i // 256 % 256}.{i % 256}" for i in range(count)]


def _link(ns: str) -> None:
    benchlib.ip_batch(ns, ["link add v0 type veth peer name v1", "addr add 10.0.0.1/16 dev v0",
                           "link set v0 up", "link set v1 up"])


def many_routes(ns: str) -> None:
    _link(ns)
    benchlib.ip_batch(ns, [f"route add {d}/32 via {GATEWAY}" for d in destinations(options().routes)])


def many_entries(ns: str) -> None:
    _link(ns)
    count = options().entries
    benchlib.ip_batch(ns, [f"neigh add 10.0.{i // 250}.{i % 250 + 3} lladdr 02:00:00:00:{i // 256:02x}:{i % 256:02x} "
                           f"dev v0 nud permanent" for i in range(count)])


SCENARIOS = {"routes": many_routes, "arp": many_entries}


def inner(scenario: str) -> None:
    opts = options()
    sockctl = benchlib.sockctl_command()
    tool, size = ("route", f"{opts.routes} routes") if scenario == "routes" else ("arp", f"{opts.entries} entries")
    listing = {"net-tools": [tool, "-n"], "sockctl": [*sockctl, tool, "-n"]}
    assert benchlib.same_output(listing["net-tools"], listing["sockctl"]), "the listings differ: fix that first"
    # The start-up floor, timed with the rest: what any command of sockctl costs before it reads a table.
    times = benchlib.medians({**listing, "floor": [*sockctl, "--version"]}, opts.runs)
    ratio = times["sockctl"] / times["net-tools"]
    print(benchlib.table([
        (f"`{tool} -n`, {size}", f"{times['net-tools']:.1f}", f"{times['sockctl']:.1f}", f"{ratio:.2f}x", "<= 1.2x"),
        ("`sockctl --version` (start-up floor)", "", f"{times['floor']:.1f}", "", ""),
    ], ("case", "net-tools ms", "sockctl ms", "result", "target")))


# Run by a fresh interpreter: enter the namespace, add every route, report the loop's own time.
ADDER = """
import sys, time
from ipaddress import IPv4Address
import sockctl
from sockctl import route_edit
namespace, count, gateway = sys.argv[1], int(sys.argv[2]), IPv4Address(sys.argv[3])
host = IPv4Address("255.255.255.255")
with sockctl.netns(namespace):
    start = time.perf_counter()
    for i in range(count):
        destination = IPv4Address(f"172.{16 + i // 65536}.{i // 256 % 256}.{i % 256}")
        route_edit.add(route_edit.RouteEntry(destination, host, gateway=gateway))
    print(time.perf_counter() - start)
"""


def _timed(cmd: list[str], **kwargs) -> tuple[float, bytes]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, check=True, **kwargs)
    return (time.perf_counter() - start) * 1000, proc.stdout


def adding(runs: int) -> None:
    opts = options()
    batch = "\n".join(f"route add {d}/32 via {GATEWAY}" for d in destinations(opts.routes)).encode()
    ip_times, ours, loops = [], [], []
    for _ in range(runs):
        with benchlib.namespace("add-ip") as theirs, benchlib.namespace("add-sockctl") as mine:
            _link(theirs)
            _link(mine)
            ip_times.append(_timed(["ip", "-n", theirs, "-batch", "-"], input=batch)[0])
            elapsed, out = _timed([benchlib.PYTHON, "-c", ADDER, mine, str(opts.routes), GATEWAY])
            ours.append(elapsed)
            loops.append(float(out) * 1000)
            tables = [subprocess.run(["ip", "-n", ns, "route", "show"], capture_output=True, check=True).stdout
                      for ns in (theirs, mine)]
            assert tables[0] == tables[1], "the two tables differ: fix that first"
    median = benchlib.statistics.median
    ip_ms, our_ms, loop_ms = median(ip_times), median(ours), median(loops)
    print(benchlib.table([
        (f"adding {opts.routes} routes, whole process", f"{ip_ms:.1f} ({opts.routes / ip_ms * 1000:,.0f}/s)",
         f"{our_ms:.1f} ({opts.routes / our_ms * 1000:,.0f}/s)", f"{our_ms / ip_ms:.2f}x", "within 2x"),
        (f"adding {opts.routes} routes, the loop alone", "", f"{loop_ms:.1f} ({opts.routes / loop_ms * 1000:,.0f}/s)",
         "", ""),
    ], ("case", "ip -batch ms", "sockctl ms", "result", "target")))


if __name__ == "__main__":
    benchlib.inner_or_outer(SCENARIOS, inner, "route-arp")
    if "--inner" not in sys.argv:
        adding(max(5, options().runs // 3))
        print(f"(medians of interleaved runs; python {sys.version.split()[0]}; kernel {os.uname().release})\n")
