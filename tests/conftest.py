"""Suite-wide fixtures and the no-skip rule.

With SOCKCTL_NO_SKIPS=1 (scripts/test sets it when it runs as root, as CI
does) a skipped test fails the run: a skip must never pass for a pass.
"""

import os

import pytest

import nstest


@pytest.fixture
def ns():
    """A fresh test namespace (root only)."""
    with nstest.prepared("t") as namespace:
        yield namespace


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("SOCKCTL_NO_SKIPS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        reporter.write_line(f"SOCKCTL_NO_SKIPS: {skipped} test(s) skipped; every test must run here", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
