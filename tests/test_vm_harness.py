"""The VM harness's judgement, on the host: which kernel log lines fail a run, and reading the guest's output."""

import importlib.util
from pathlib import Path

import pytest

import vmtest

HARNESS = Path(__file__).resolve().parents[1] / "scripts" / "vm_harness.py"


@pytest.mark.parametrize("line", [
    "WARNING: CPU: 1 PID: 312 at net/netfilter/nf_sockopt.c:105 nf_register_sockopt+0x9c/0xc0",
    "BUG: kernel NULL pointer dereference, address: 0000000000000008",
    "BUG: unable to handle page fault for address: ffffc90000a3f000",
    "Oops: 0002 [#1] PREEMPT SMP NOPTI",
    "kernel BUG at mm/slub.c:379!",
    "general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] SMP",
    "list_del corruption. next->prev should be ffff888003a1c000, but was 0000000000000000",
    "refcount_t: underflow; use-after-free.",
    "usercopy: Kernel memory exposure attempt detected from SLUB object 'kmalloc-64' (offset 0, size 128)!",
    "watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [python3:412]",
])
def test_kernel_problems_are_seen(line):
    assert vmtest.kernel_problems(["sockctl_kv: socket options 128 to 129 registered", line]) == [line]


@pytest.mark.parametrize("line", [
    "sockctl_kv: loading out-of-tree module taints kernel.",
    "sockctl_kv: module verification failed: signature and/or required key missing - tainting kernel",
    "sctl5: sockctl_dev command: arg1=7 arg2=42",
    "sockctl_kv: base 63 is not a usable option number",
    "IPv6: ADDRCONF(NETDEV_CHANGE): veth0: link becomes ready",
])
def test_ordinary_lines_are_not(line):
    assert vmtest.kernel_problems([line]) == []


def test_guest_output_is_split_into_test_output_kernel_log_and_exit(capsys):
    spec = importlib.util.spec_from_file_location("vm_harness", HARNESS)
    harness = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(harness)
    boot = harness.Boot("6.1.0-test", Path("/nonexistent"), "tcg", ["tests/vm"])
    assert "--disable-kvm" in boot.command and boot.command[-1].endswith("/nonexistent tests/vm")
    in_log = False
    for line in ["qemu: some warning", "sockctl-vm: guest started on 6.1.0-test", "tests/vm/test_x.py ..",
                 "sockctl-vm: kernel log begin", "[    0.000000] Linux version 6.1.0", "BUG: oops",
                 "sockctl-vm: kernel log end", "sockctl-vm: pytest exit 1"]:
        in_log = boot._line(line, in_log, 0.0)
    assert boot.before_start == ["qemu: some warning"]
    assert boot.kernel_log == ["[    0.000000] Linux version 6.1.0", "BUG: oops"]
    assert boot.pytest_exit == 1 and boot.started_at is not None
    assert "tests/vm/test_x.py ..\n" in capsys.readouterr().out
