"""sockctl_dev loaded and unloaded: its devices come and go with it, in every namespace."""

import pytest

import vmtest
from sockctl import interfaces

pytestmark = pytest.mark.vm

MODULE = "sockctl_dev"


@pytest.fixture(autouse=True)
def not_loaded():
    with vmtest.unloaded(MODULE):
        yield


def test_unload_removes_every_device(vmns):
    assert vmtest.load(MODULE, numdevs=2).returncode == 0
    assert interfaces.exists("sctl0") and interfaces.exists("sctl1") and not interfaces.exists("sctl2")
    vmns.ip("link", "add", "sctl7", "type", "sctl")
    vmtest.unload(MODULE)
    assert not interfaces.exists("sctl0") and not interfaces.exists("sctl1")
    assert b"sctl7" not in vmns.exec("ip", "-o", "link", "show", check=True).stdout
    # Loaded again, the link type is back and the counters start from zero.
    with vmtest.loaded(MODULE, numdevs=0):
        assert not interfaces.exists("sctl0")
        vmns.ip("link", "add", "sctl7", "type", "sctl")


@pytest.mark.parametrize("numdevs", [-1, 65])
def test_bad_numdevs_is_refused(numdevs, kernel_log):
    result = vmtest.load(MODULE, numdevs=numdevs)
    assert result.returncode != 0 and not vmtest.is_loaded(MODULE)
    assert f"sockctl_dev: numdevs {numdevs} is out of range (0-64)" in kernel_log.read()
