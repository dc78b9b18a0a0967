"""The channel: errno mapping on real calls, and entering and leaving namespaces."""

import errno
import os
import sys

import pytest

import nstest
import sockctl
from sockctl import channel, interfaces
from sockctl.abi import sockios
from sockctl.abi.netdevice import ifreq
from sockctl.errors import NamespaceError, NoSuchDevice


def test_ioctl_error_names_request_and_target():
    req = ifreq.named("nosuch-dev0")
    with pytest.raises(NoSuchDevice) as info:
        channel.ioctl(channel.control_socket(), sockios.SIOCGIFFLAGS, req, "nosuch-dev0")
    assert info.value.errno == errno.ENODEV
    assert info.value.call == "SIOCGIFFLAGS"
    assert str(info.value) == "nosuch-dev0: no such device"


def test_probe_reports_errno_without_raising():
    req = ifreq.named("nosuch-dev0")
    assert channel.probe(channel.control_socket().fileno(), sockios.SIOCGIFMTU, req) == errno.ENODEV
    req = ifreq.named("lo")
    assert channel.probe(channel.control_socket().fileno(), sockios.SIOCGIFMTU, req) == 0
    assert req.ivalue > 0


def test_request_names():
    assert sockios.request_name(sockios.SIOCSIFMTU) == "SIOCSIFMTU"
    assert sockios.request_name(sockios.SIOCDEVPRIVATE + 3) == "SIOCDEVPRIVATE+3"
    assert sockios.request_name(0x1234) == "ioctl 0x1234"


@pytest.mark.parametrize("name, message", [
    ("sockctl-absent-ns", "network namespace 'sockctl-absent-ns' does not exist"),
    ("", "'' is not a network namespace name"),
    ("/proc/self/ns/uts", "/proc/self/ns/uts: not a network namespace"),
])
def test_bad_namespace(name, message):
    if not nstest.IS_ROOT and name.startswith("/"):
        pytest.skip("setns needs root (CI runs the suite as root)")
    home = nstest.netns_inode()
    with pytest.raises(NamespaceError) as info:
        with sockctl.netns(name):
            pass
    assert str(info.value) == message
    assert isinstance(info.value, OSError)
    assert nstest.netns_inode() == home


def test_namespace_is_restored_after_an_error_inside(ns):
    home = nstest.netns_inode()
    with pytest.raises(NoSuchDevice):
        with sockctl.netns(ns.name):
            assert nstest.netns_inode() != home
            interfaces.get("nosuch-dev0")
    assert nstest.netns_inode() == home


def test_sockets_belong_to_their_namespace(ns):
    """A control socket made inside the block is not reused outside it."""
    ns.ip("link", "add", "only-here0", "type", "veth", "peer", "name", "only-here1")
    outside = channel.control_socket()
    with sockctl.netns(ns.name):
        inside = channel.control_socket()
        assert inside is not outside
        assert interfaces.exists("only-here0")
        with sockctl.netns(f"/run/netns/{ns.name}"):  # nested, by path
            assert interfaces.exists("only-here1")
        assert channel.control_socket() is inside
    assert channel.control_socket() is outside
    assert not interfaces.exists("only-here0")
    assert inside.fileno() == -1  # closed with the block


def test_proc_net_follows_the_thread(ns):
    ns.ip("link", "add", "proc-here0", "type", "veth", "peer", "name", "proc-here1")
    with sockctl.netns(ns.name):
        assert "proc-here0" in interfaces.statistics()
    assert "proc-here0" not in interfaces.statistics()


def test_getsockopt_in_out_buffer():
    """getsockopt hands the buffer to the kernel and reports the length it wrote."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        buf = bytearray(4)
        assert channel.getsockopt(s, socket.SOL_SOCKET, socket.SO_TYPE, buf) == 4
        assert int.from_bytes(buf, sys.byteorder) == socket.SOCK_DGRAM
        with pytest.raises(OSError) as info:
            channel.getsockopt(s, socket.IPPROTO_IP, 0x7FFF, bytearray(8), call="probe-opt")
        assert info.value.errno == errno.ENOPROTOOPT
        assert "probe-opt" in str(info.value)
        channel.setsockopt(s, socket.SOL_SOCKET, socket.SO_RCVBUF, (65536).to_bytes(4, sys.byteorder))
        channel.setsockopt(s.fileno(), socket.SOL_SOCKET, socket.SO_RCVBUF, (65536).to_bytes(4, sys.byteorder))
    assert os.get_inheritable(channel.control_socket().fileno()) is False
