"""Benchmark: `sockctl ipvsadm -L -n` and `-R` against ipvsadm, 1,000 services with 10 real servers each.

    sudo .venv/bin/python bench/ipvsadm.py [--runs N] [--services N] [--servers N]

Needs a kernel with IPVS (the host's may have none: run it in the VM, see
README). In a fresh namespace:
- the table restored, then `-L -n` by both tools (outputs checked equal
  first), interleaved, medians;
- restoring the same rules into the emptied table (`-C` before each run,
  untimed) by both tools, interleaved; the two results are checked equal
  (``ipvsadm -S -n``) before timing.
ipvsadm talks generic netlink (one request, and one new socket, per
service's servers and per restored line); sockctl the socket options.
Target: both <= 1.5x ipvsadm.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


def options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--services", type=int, default=1000)
    parser.add_argument("--servers", type=int, default=10)
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    return parser.parse_args()


def rules(services: int, servers: int) -> str:
    """ipvsadm -R input: TCP services on 10.0.x.y:80, masqueraded servers on 10.1.x.y:8080."""
    lines = []
    for i in range(services):
        vip = f"10.0.{i // 250}.{i % 250 + 1}:80"
        lines.append(f"-A -t {vip} -s wlc")
        for j in range(servers):
            n = i * servers + j
            lines.append(f"-a -t {vip} -r 10.1.{n // 250}.{n % 250 + 1}:8080 -m -w {j + 1}")
    return "\n".join(lines) + "\n"


def fill(ns: str) -> None:
    benchlib.ip_batch(ns, ["link add d0 type dummy", "addr add 10.1.255.254/16 dev d0", "link set d0 up"])


def _saved() -> bytes:
    return subprocess.run(["ipvsadm", "-S", "-n"], capture_output=True, check=True).stdout


def inner(_scenario: str) -> None:
    opts = options()
    sockctl = [*benchlib.sockctl_command(), "ipvsadm"]
    with tempfile.NamedTemporaryFile("w", suffix=".rules", delete=False) as f:
        f.write(rules(opts.services, opts.servers))
        path = f.name
    try:
        flush = ["ipvsadm", "-C"]
        restore = {"ipvsadm": ["ipvsadm", "-R"], "sockctl": [*sockctl, "-R"]}
        states = {}
        for label, cmd in restore.items():
            subprocess.run(flush, check=True)
            benchlib.wall_ms(cmd, path)
            states[label] = _saved()
        assert states["ipvsadm"] == states["sockctl"], "the two restores differ: fix that first"
        samples = {label: [] for label in restore}
        for _ in range(max(3, opts.runs // 3)):
            for label, cmd in restore.items():
                subprocess.run(flush, check=True)
                samples[label].append(benchlib.wall_ms(cmd, path))
        restored = {label: statistics.median(values) for label, values in samples.items()}

        listing = {"ipvsadm": ["ipvsadm", "-L", "-n"], "sockctl": [*sockctl, "-L", "-n"]}
        assert benchlib.same_output(listing["ipvsadm"], listing["sockctl"]), "the listings differ: fix that first"
        times = benchlib.medians({**listing, "floor": [*benchlib.sockctl_command(), "--version"]}, opts.runs)
    finally:
        os.unlink(path)
        subprocess.run(["ipvsadm", "-C"], check=False)
    size = f"{opts.services} services x {opts.servers} servers"
    print(benchlib.table([
        (f"`-L -n`, {size}", f"{times['ipvsadm']:.1f}", f"{times['sockctl']:.1f}",
         f"{times['sockctl'] / times['ipvsadm']:.2f}x", "<= 1.5x"),
        (f"`-R` of the same {size}", f"{restored['ipvsadm']:.1f}", f"{restored['sockctl']:.1f}",
         f"{restored['sockctl'] / restored['ipvsadm']:.2f}x", "<= 1.5x"),
        ("`sockctl --version` (start-up floor)", "", f"{times['floor']:.1f}", "", ""),
    ], ("case", "ipvsadm ms", "sockctl ms", "result", "target")))
    print(f"(medians of interleaved runs: {opts.runs} listings, {max(3, opts.runs // 3)} restores; "
          f"python {sys.version.split()[0]}; kernel {os.uname().release})\n")


if __name__ == "__main__":
    benchlib.inner_or_outer({"ipvs": fill}, inner, "ipvsadm")
