"""The namespace's own sysfs, mounted for a helper thread (channel.sysfs_read / sysfs_write)."""

import json

import pytest

import sockctl
from sockctl import channel
from sockctl.errors import NotFound, PermissionDenied


def _mounts() -> str:
    with open("/proc/self/mountinfo") as f:
        return f.read()


def test_reads_and_writes_the_namespace_devices(ns):
    ns.ip("link", "add", "only-ns0", "type", "veth", "peer", "name", "only-ns1")
    path = "/sys/class/net/only-ns0"
    mounts = _mounts()
    assert channel.sysfs_read([f"{path}/ifindex"]) == [None]  # not a device of this process's namespace
    with sockctl.netns(ns.name):
        ifindex, missing = channel.sysfs_read([f"{path}/ifindex", f"{path}/no-such-file"])
        channel.sysfs_write(f"{path}/mtu", b"1400\n")
        with pytest.raises(NotFound):
            channel.sysfs_write(f"{path}/no-such-file", b"1\n")
    link = json.loads(ns.exec("ip", "-j", "link", "show", "only-ns0", check=True).stdout)[0]
    assert int(ifindex) == link["ifindex"] and missing is None
    assert link["mtu"] == 1400
    assert _mounts() == mounts  # the mount stayed in the helper thread's own mount namespace


def test_without_privilege_to_mount(ns, monkeypatch):
    """Unable to mount: the process's own /sys serves only while it has not left its first namespace."""
    def refuse():
        raise PermissionDenied(1, "unshare", "mount namespace")

    monkeypatch.setattr(channel, "_private_sysfs", refuse)
    assert channel.sysfs_read(["/sys/class/net/lo/ifindex"]) == [b"1\n"]
    with sockctl.netns(ns.name):
        with pytest.raises(PermissionDenied):
            channel.sysfs_read(["/sys/class/net/lo/ifindex"])
    assert channel.sysfs_read(["/sys/class/net/lo/ifindex"]) == [b"1\n"]  # home again
