"""The sockctl_dev demo module (kmod/sockctl_dev.c): a device's private ioctl commands.

    dev = demo_dev.Device("sctl0")
    dev.log(1, 2)          # the kernel logs "sctl0: sockctl_dev command: arg1=1 arg2=2"
    dev.add(0, 5)          # counter 0 += 5, returns the sum
    dev.counters()         # (5, 0, 0, 0, 0, 0, 0, 0)

Devices are made by the module at load (sctl0, ...) or with
`ip link add NAME type sctl`. Logging and changing a counter need
CAP_NET_ADMIN in the device's namespace; reading does not. (The kernel
checks nothing for SIOCDEVPRIVATE requests: each driver decides.)
"""

from sockctl import custom
from sockctl.abi import sockctl_dev as abi
from sockctl.errors import DecodeError, InputError


def encode_command(cmd: int, arg1: int, arg2: int) -> abi.sockctl_dev_cmd:
    """A sockctl_dev_cmd; values that do not fit its fields raise InputError."""
    for what, value, bits in (("command", cmd, 32), ("arg1", arg1, 32), ("arg2", arg2, 64)):
        if not 0 <= value < (1 << bits):
            raise InputError(f"{what} {value} is out of range (0-{(1 << bits) - 1})")
    return abi.sockctl_dev_cmd(cmd=cmd, arg1=arg1, arg2=arg2)


def decode_counters(counters: abi.sockctl_dev_counters) -> tuple[int, ...]:
    """The counter values; a count the structure cannot hold raises DecodeError."""
    if counters.count > abi.SOCKCTL_DEV_COUNTERS:
        raise DecodeError(f"{counters.count} counters reported, at most {abi.SOCKCTL_DEV_COUNTERS} fit", 0)
    return tuple(counters.value[:counters.count])


class Device(custom.DeviceClient):
    """The private ioctls of one sctl device, by name, in the current namespace."""

    module = "sockctl_dev"

    command = custom.PrivateIoctl(abi.SOCKCTL_DEV_IOC_CMD, abi.sockctl_dev_cmd, custom.BOTH)
    _counters = custom.PrivateIoctl(abi.SOCKCTL_DEV_IOC_COUNTERS, abi.sockctl_dev_counters, custom.FROM_KERNEL)

    def _run(self, call: str, cmd: int, arg1: int, arg2: int = 0) -> int:
        return self.command(encode_command(cmd, arg1, arg2), call=call).arg2

    def log(self, arg1: int, arg2: int) -> None:
        """Have the kernel log a line with both values: `sockctl demo dev IFNAME log ARG1 ARG2`."""
        self._run("log", abi.SOCKCTL_DEV_CMD_LOG, arg1, arg2)

    def set(self, index: int, value: int) -> int:
        """Set counter INDEX, returning its old value: `sockctl demo dev IFNAME set INDEX VALUE`."""
        return self._run("set", abi.SOCKCTL_DEV_CMD_SET, index, value)

    def get(self, index: int) -> int:
        """Counter INDEX: `sockctl demo dev IFNAME get INDEX`."""
        return self._run("get", abi.SOCKCTL_DEV_CMD_GET, index)

    def add(self, index: int, delta: int) -> int:
        """Add DELTA to counter INDEX (wrapping at 2**64), returning the sum: `sockctl demo dev IFNAME add`."""
        return self._run("add", abi.SOCKCTL_DEV_CMD_ADD, index, delta)

    def counters(self) -> tuple[int, ...]:
        """Every counter: `sockctl demo dev IFNAME counters`."""
        return decode_counters(self._counters())
