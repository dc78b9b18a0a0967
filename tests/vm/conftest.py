"""Fixtures of the demo modules' tests, which run in the VM (tests/vmtest.py)."""

import pytest

import nstest
import sockctl
import vmtest
from sockctl import demo_dev, demo_kv


@pytest.fixture(scope="module")
def kv_module():
    """sockctl_kv loaded with its default base (128) for the test module."""
    with vmtest.loaded("sockctl_kv"):
        yield


@pytest.fixture(scope="module")
def dev_module():
    """sockctl_dev loaded for the test module, with no device of its own (tests make theirs)."""
    with vmtest.loaded("sockctl_dev", numdevs=0):
        yield


@pytest.fixture
def vmns():
    """A bare network namespace: the demo modules keep state per namespace."""
    with nstest.netns("vm", quiet=False) as ns:
        yield ns


@pytest.fixture
def store(kv_module, vmns):
    """A sockctl_kv client; the test runs inside a fresh namespace."""
    with sockctl.netns(vmns.name):
        yield demo_kv.Store()


@pytest.fixture
def sctl(dev_module, vmns):
    """A fresh sctl device, sctl5, in a fresh namespace the test runs in."""
    vmns.ip("link", "add", "sctl5", "type", "sctl")
    with sockctl.netns(vmns.name):
        yield demo_dev.Device("sctl5")
