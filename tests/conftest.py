"""Suite-wide fixtures and the no-skip rule.

With SOCKCTL_NO_SKIPS=1 (scripts/test sets it when it runs as root, as CI
does) a skipped test fails the run: a skip must never pass for a pass.

Tests marked ``vm`` run only in the VM scripts/vm-test boots (tests/vmtest.py),
fail anywhere else, and have the kernel log checked after each one.
"""

import os
from pathlib import Path

import pytest

import nstest
import vmtest


@pytest.fixture
def ns():
    """A fresh test namespace (root only)."""
    with nstest.prepared("t") as namespace:
        yield namespace


VM_TESTS = Path(__file__).resolve().parent / "vm"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """VM tests live in tests/vm/, the only place the guest collects, and carry the marker."""
    for item in items:
        inside = VM_TESTS in Path(item.path).resolve().parents
        if inside != (item.get_closest_marker("vm") is not None):
            raise pytest.UsageError(f"{item.nodeid}: vm tests go in tests/vm/, and every test there is marked vm")


def pytest_runtest_setup(item):
    if item.get_closest_marker("vm") is not None and not vmtest.IN_GUEST:
        pytest.fail("a VM test: it runs in the guest of scripts/vm-test (the host suite deselects -m 'not vm')")


@pytest.fixture(autouse=True)
def _vm_kernel_log_check(request):
    """A vm test fails if the kernel logged an oops, BUG or WARNING while it ran."""
    if request.node.get_closest_marker("vm") is None:
        yield
        return
    log = vmtest.KernelLog()
    yield
    problems = vmtest.kernel_problems(log.read())
    log.close()
    if problems:
        pytest.fail("the kernel logged a problem during the test:\n" + "\n".join(log.lines), pytrace=False)


@pytest.fixture
def kernel_log():
    """The kernel log from the start of the test on (vm tests): ``kernel_log.read()`` lists its lines."""
    log = vmtest.KernelLog()
    yield log
    log.close()


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("SOCKCTL_NO_SKIPS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        reporter.write_line(f"SOCKCTL_NO_SKIPS: {skipped} test(s) skipped; every test must run here", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
