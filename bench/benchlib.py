"""Shared pieces of the benchmark scripts: namespaces, timing, tables.

Benchmarks compare sockctl with the peer tool in one run, on the same kernel
state, as ratios of median wall times. They are scripts, not tests: run them
as root, read the table, put the figures in the README.
"""

import compileall
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import time
import uuid

PYTHON = sys.executable


def sockctl_command() -> list[str]:
    """The installed ``sockctl`` script next to this interpreter, else ``python -m sockctl``."""
    script = os.path.join(os.path.dirname(PYTHON), "sockctl")
    return [script] if os.path.exists(script) else [PYTHON, "-m", "sockctl"]


def precompile() -> None:
    """Bytecode for the package, as a pip install leaves it (editable installs may lack it)."""
    import sockctl

    compileall.compile_dir(os.path.dirname(sockctl.__file__), quiet=1)


def require_root() -> None:
    if os.geteuid() != 0:
        sys.exit("benchmarks create network namespaces: run them as root")
    for tool in ("ip",):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed")


@contextlib.contextmanager
def namespace(tag: str):
    """A throw-away network namespace, deleted afterwards."""
    name = f"sockctl-bench-{tag}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        subprocess.run(["ip", "-n", name, "link", "set", "lo", "up"], check=True)
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], check=False)


def run_in(ns: str, cmd: list[str]) -> None:
    subprocess.run(["ip", "netns", "exec", ns, *cmd], check=True)


def ip_batch(ns: str, lines: list[str]) -> None:
    subprocess.run(["ip", "-n", ns, "-batch", "-"], input="\n".join(lines).encode(), check=True)


def wall_ms(cmd: list[str], stdin_path: str | None = None) -> float:
    """Wall time of CMD in ms (its standard input the file STDIN_PATH, if given); an error if it fails."""
    with open(stdin_path or os.devnull, "rb") as stdin:
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = (time.perf_counter() - start) * 1000
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} failed: {proc.stderr.decode(errors='replace')}")
    return elapsed


def medians(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command, the commands interleaved so drift hits all alike."""
    for cmd in commands.values():
        wall_ms(cmd)  # warm caches
    samples: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, cmd in commands.items():
            samples[label].append(wall_ms(cmd))
    return {label: statistics.median(values) for label, values in samples.items()}


def same_output(a: list[str], b: list[str], ignore: tuple[bytes, ...] = ()) -> bool:
    """Whether two commands print the same bytes (a benchmark of a wrong answer is worthless).

    Lines starting (after indentation) with one of IGNORE are left out: packet
    counters move while the kernel sends IPv6 multicast reports.
    """
    def lines(cmd):
        out = subprocess.run(cmd, capture_output=True).stdout.splitlines()
        return [line for line in out if not line.lstrip().startswith(ignore)] if ignore else out

    return lines(a) == lines(b)


def table(rows: list[tuple], header: tuple) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def inner_or_outer(scenarios: dict, inner_main, tag: str) -> None:
    """Run INNER_MAIN(scenario) inside a fresh namespace for each scenario.

    SCENARIOS maps a scenario name to a function that fills a namespace. The
    script re-runs itself under ``ip netns exec`` so that both tools are
    started directly, with no namespace switching in the timed commands.
    """
    if "--inner" in sys.argv:
        inner_main(sys.argv[sys.argv.index("--inner") + 1])
        return
    require_root()
    precompile()
    for scenario, setup in scenarios.items():
        with namespace(tag) as ns:
            setup(ns)
            subprocess.run(["ip", "netns", "exec", ns, PYTHON, sys.argv[0], *sys.argv[1:], "--inner", scenario],
                           check=True)
