"""Concurrent writers lose no rule: two processes appending at once, each rule a separate command."""

import subprocess
import sys

import pytest

import ipt

PER_WRITER = 15


def writer(ns, tag: int, lock_file: str | None, tool: list[str]) -> subprocess.Popen:
    commands = " && ".join(f"{' '.join(tool)} -A INPUT -s 10.{tag}.0.{i} -j ACCEPT" for i in range(1, PER_WRITER + 1))
    env = None if lock_file is None else {"XTABLES_LOCKFILE": lock_file, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    return subprocess.Popen(["ip", "netns", "exec", ns.name, "sh", "-c", commands], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def sources(ns) -> list[str]:
    lines = ipt.peer_save(ns, 4, "-t", "filter").decode().splitlines()
    return [line.split()[3] for line in lines if line.startswith("-A INPUT -s")]


@pytest.mark.parametrize("mode", ["shared lock", "separate locks", "with iptables-legacy"])
def test_two_writers(ns, tmp_path, mode):
    ours = [sys.executable, "-m", "sockctl", "iptables"]
    if mode == "separate locks":
        # Not serialised by the lock: the kernel's EAGAIN and sockctl's retry keep every rule.
        procs = [writer(ns, 1, str(tmp_path / "a"), ours), writer(ns, 2, str(tmp_path / "b"), ours)]
    elif mode == "shared lock":
        procs = [writer(ns, 1, None, ours), writer(ns, 2, None, ours)]
    else:
        procs = [writer(ns, 1, None, ours), writer(ns, 2, None, ["iptables-legacy", "-w"])]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    found = sources(ns)
    assert len(found) == 2 * PER_WRITER
    for tag in (1, 2):
        assert [s for s in found if s.startswith(f"10.{tag}.")] == \
            [f"10.{tag}.0.{i}/32" for i in range(1, PER_WRITER + 1)]
