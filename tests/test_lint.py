"""Static checks that catch what a test run may not reach: undefined names (a lazy
import forgotten on an error path), unused imports, shadowed definitions."""

import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_pyflakes_rules_pass():
    ruff = shutil.which("ruff", path=os.path.dirname(sys.executable)) or shutil.which("ruff")
    assert ruff, "ruff is needed for this check (the test extra installs it)"
    proc = subprocess.run([ruff, "check", "--no-cache", "--select", "F", "--target-version", "py311",
                           "src", "tests", "bench"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
