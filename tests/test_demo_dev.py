"""sockctl_dev's client without the module: the command struct against the header's layout, and decoding."""

import ctypes
import struct

import pytest

from sockctl import demo_dev
from sockctl.abi import sockctl_dev as abi
from sockctl.errors import DecodeError, InputError

CMD = struct.Struct("=IIQ")  # struct sockctl_dev_cmd: cmd, arg1, arg2


@pytest.mark.parametrize("args", [(1, 0, 0), (4, 7, 2**64 - 1), (2**32 - 1, 2**32 - 1, 1)])
def test_encode_command(args):
    assert bytes(demo_dev.encode_command(*args)) == CMD.pack(*args)


@pytest.mark.parametrize("args, message", [
    ((-1, 0, 0), "command -1 is out of range"),
    ((2**32, 0, 0), "command 4294967296 is out of range"),
    ((2, 2**32, 0), "arg1 4294967296 is out of range"),
    ((2, 0, 2**64), "arg2 18446744073709551616 is out of range (0-18446744073709551615)"),
    ((2, 0, -1), "arg2 -1 is out of range"),
])
def test_encode_command_refuses_what_does_not_fit(args, message):
    with pytest.raises(InputError) as info:
        demo_dev.encode_command(*args)
    assert message in str(info.value)


def counters(count: int, values) -> abi.sockctl_dev_counters:
    return abi.sockctl_dev_counters.from_buffer_copy(struct.pack("=II8Q", count, 0, *values))


def test_decode_counters():
    assert demo_dev.decode_counters(counters(8, range(8))) == tuple(range(8))
    assert demo_dev.decode_counters(counters(3, [9, 8, 7, 6, 5, 4, 3, 2])) == (9, 8, 7)
    with pytest.raises(DecodeError):
        demo_dev.decode_counters(counters(9, range(8)))


class Scripted(demo_dev.Device):
    """A device whose driver writes REPLY back into every argument."""

    def __init__(self, reply: bytes):
        super().__init__("sctl0")
        self.reply, self.sent = reply, []

    def private_ioctl(self, number, buf, call):
        self.sent.append((number, bytes(buf), call))
        ctypes.memmove(ctypes.addressof(buf), self.reply, len(self.reply))


@pytest.mark.parametrize("method, args, sent", [
    ("log", (7, 42), CMD.pack(1, 7, 42)),
    ("set", (2, 5), CMD.pack(2, 2, 5)),
    ("get", (3,), CMD.pack(3, 3, 0)),
    ("add", (0, 2**64 - 1), CMD.pack(4, 0, 2**64 - 1)),
])
def test_device_commands(method, args, sent):
    dev = Scripted(CMD.pack(0, 0, 99))
    result = getattr(dev, method)(*args)
    assert dev.sent == [(abi.SOCKCTL_DEV_IOC_CMD, sent, method)]
    assert result == (None if method == "log" else 99)


def test_device_counters():
    dev = Scripted(struct.pack("=II8Q", 8, 0, *range(10, 18)))
    assert dev.counters() == tuple(range(10, 18))
    assert dev.sent == [(abi.SOCKCTL_DEV_IOC_COUNTERS, bytes(72), "counters")]
