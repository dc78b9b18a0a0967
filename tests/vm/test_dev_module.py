"""sockctl_dev in a real kernel: {cmd, arg1, arg2} commands through SIOCDEVPRIVATE on an sctl device."""

import ctypes
import errno
import sys

import pytest

import vmtest
from sockctl import channel, custom
from sockctl.abi import sockctl_dev as abi
from sockctl.abi.netdevice import ifreq
from sockctl.abi.sockios import SIOCDEVPRIVATE
from sockctl.demo_dev import Device
from sockctl.errors import KernelError

pytestmark = pytest.mark.vm

U64 = (1 << 64) - 1


def command_errno(dev, cmd: int, arg1: int = 0, arg2: int = 0) -> int:
    try:
        dev.command(abi.sockctl_dev_cmd(cmd=cmd, arg1=arg1, arg2=arg2))
    except KernelError as exc:
        return exc.errno
    return 0


def private_ioctl(name: str, number: int, address: int) -> int:
    """SIOCDEVPRIVATE + NUMBER on NAME with ifr_data = ADDRESS: 0 or the errno."""
    req = ifreq.named(name)
    req.set_data(address)
    try:
        channel.ioctl(channel.control_socket(), SIOCDEVPRIVATE + number, req, name)
    except KernelError as exc:
        return exc.errno
    return 0


def test_counters(sctl):
    assert sctl.counters() == (0,) * 8
    assert sctl.set(0, 5) == 0
    assert sctl.set(0, 7) == 5
    assert sctl.get(0) == 7
    assert sctl.add(0, 10) == 17
    assert sctl.set(7, U64) == 0
    assert sctl.add(7, 2) == 1  # wraps at 2**64
    assert sctl.counters() == (17, 0, 0, 0, 0, 0, 0, 1)


def test_log_line_reaches_the_kernel_log(sctl, kernel_log):
    sctl.log(7, 42)
    sctl.log(0xFFFFFFFF, U64)
    assert [line for line in kernel_log.read() if "sockctl_dev command" in line] == [
        "sctl5: sockctl_dev command: arg1=7 arg2=42",
        f"sctl5: sockctl_dev command: arg1=4294967295 arg2={U64}",
    ]
    assert sctl.counters() == (0,) * 8


@pytest.mark.parametrize("cmd, arg1, err", [
    (0, 0, errno.EOPNOTSUPP),
    (5, 0, errno.EOPNOTSUPP),
    (0xFFFFFFFF, 0, errno.EOPNOTSUPP),
    (abi.SOCKCTL_DEV_CMD_SET, 8, errno.ERANGE),
    (abi.SOCKCTL_DEV_CMD_ADD, 0xFFFFFFFF, errno.ERANGE),
    (abi.SOCKCTL_DEV_CMD_GET, 1 << 31, errno.ERANGE),
])
def test_bad_commands_change_nothing(sctl, kernel_log, cmd, arg1, err):
    sctl.set(3, 33)
    assert command_errno(sctl, cmd, arg1, 99) == err
    assert sctl.counters() == (0, 0, 0, 33, 0, 0, 0, 0)
    assert not [line for line in kernel_log.read() if "sockctl_dev" in line]


def test_out_of_range_message(sctl):
    with pytest.raises(KernelError) as info:
        sctl.set(8, 1)
    assert str(info.value) == "sctl5: set: value out of range"


@pytest.mark.parametrize("number", range(2, 16))
def test_other_private_numbers_are_not_answered(sctl, number):
    class Other(Device):
        other = custom.PrivateIoctl(number, abi.sockctl_dev_cmd, custom.BOTH)

    with pytest.raises(KernelError) as info:
        Other("sctl5").other(abi.sockctl_dev_cmd(cmd=abi.SOCKCTL_DEV_CMD_SET, arg1=0, arg2=1))
    assert info.value.errno == errno.EOPNOTSUPP
    assert sctl.counters() == (0,) * 8


@pytest.mark.parametrize("address", [0, 1, 0xFFFF_8000_0000_0000])
def test_bad_addresses_fault_cleanly(sctl, kernel_log, address):
    for number in (abi.SOCKCTL_DEV_IOC_CMD, abi.SOCKCTL_DEV_IOC_COUNTERS):
        assert private_ioctl("sctl5", number, address) == errno.EFAULT
    assert sctl.counters() == (0,) * 8
    assert not [line for line in kernel_log.read() if "sockctl_dev" in line]


def test_argument_stays_within_the_callers_buffer(sctl):
    size = ctypes.sizeof(abi.sockctl_dev_cmd)
    buf = vmtest.GuardedBuffer(size)
    buf.fill(bytes(abi.sockctl_dev_cmd(cmd=abi.SOCKCTL_DEV_CMD_ADD, arg1=2, arg2=40)))
    assert private_ioctl("sctl5", abi.SOCKCTL_DEV_IOC_CMD, buf.address) == 0
    assert abi.sockctl_dev_cmd.from_buffer_copy(buf.bytes()).arg2 == 40
    all_size = ctypes.sizeof(abi.sockctl_dev_counters)
    out = vmtest.GuardedBuffer(all_size)
    assert private_ioctl("sctl5", abi.SOCKCTL_DEV_IOC_COUNTERS, out.address) == 0
    assert out.bytes() == (8).to_bytes(4, sys.byteorder) + bytes(4) + b"".join(
        v.to_bytes(8, sys.byteorder) for v in (0, 0, 40, 0, 0, 0, 0, 0))
    short = vmtest.GuardedBuffer(all_size - 1)  # one byte short: the write faults
    assert private_ioctl("sctl5", abi.SOCKCTL_DEV_IOC_COUNTERS, short.address) == errno.EFAULT


def test_devices_keep_counters_of_their_own(sctl, vmns):
    vmns.ip("link", "add", "sctl6", "type", "sctl")
    Device("sctl6").add(1, 6)
    sctl.add(1, 5)
    assert Device("sctl6").counters()[1] == 6 and sctl.counters()[1] == 5


def test_other_devices_do_not_answer(sctl):
    with pytest.raises(KernelError) as info:
        Device("lo").counters()
    assert info.value.errno == errno.EOPNOTSUPP
    with pytest.raises(KernelError) as info:
        Device("sctl9").counters()
    assert str(info.value) == "sctl9: no such device"


def test_changes_need_cap_net_admin(sctl, vmns, kernel_log):
    """Log, set and add are refused to a process whose capabilities hold only in a user namespace of its
    own; get is answered. Through the command, the refusal is one line."""
    sctl.set(0, 3)

    def outsider(_):
        vmtest.unshare(vmtest.CLONE_NEWUSER)  # same network namespace, owned by the old user namespace
        answers = []
        for call in (lambda: sctl.log(1, 2), lambda: sctl.set(0, 9), lambda: sctl.add(0, 1), lambda: sctl.get(0)):
            try:
                answers.append(call())
            except KernelError as exc:
                answers.append(errno.errorcode[exc.errno])
        return answers

    assert vmtest.in_children(outsider, 1) == [["EPERM", "EPERM", "EPERM", 3]]
    drop = ["setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin", sys.executable, "-m", "sockctl"]
    add = vmns.exec(*drop, "demo", "dev", "sctl5", "add", "0", "1")
    assert (add.returncode, add.stderr) == (1, b"sockctl: sctl5: operation not permitted: needs CAP_NET_ADMIN\n")
    assert sctl.counters() == (3, 0, 0, 0, 0, 0, 0, 0)
    assert not [line for line in kernel_log.read() if "sockctl_dev" in line]


def test_concurrent_adds_are_all_counted(sctl, vmns):
    def client(_):
        channel.enter_netns(vmns.name)
        dev = Device("sctl5")
        for _ in range(200):
            dev.add(4, 1)

    vmtest.in_children(client, 8)
    assert sctl.get(4) == 1600
