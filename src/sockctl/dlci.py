"""Frame-relay DLCI devices: SIOCADDDLCI and SIOCDELDLCI (what ``dlcicfg`` did).

Linux dropped frame relay (the DLCI and SDLA drivers) in 5.x. The calls are
still made: whether the running kernel answers is its own business. A kernel
without the driver answers ENOTTY (no handler for the request; older kernels
say ENOPKG when the module cannot be loaded), and that answer becomes
``NotSupported`` saying frame-relay DLCI is not supported by this kernel. Any
other answer -- a missing privilege, no such master device -- is reported as
it is.
"""

import errno

from sockctl import channel
from sockctl.abi.if_frad import DLCI_ADD, SIOCADDDLCI, SIOCDELDLCI
from sockctl.abi.netdevice import encode_ifname
from sockctl.errors import InputError, kernel_error

MAX_DLCI = 1023  # a DLCI is 10 bits

# What a kernel without a DLCI handler answers; ENOIOCTLCMD never reaches user space.
_ABSENT = (errno.ENOTTY, errno.ENOPKG, errno.ENOSYS, errno.EOPNOTSUPP)


def encode_dlci_add(device: str, dlci: int) -> bytes:
    """A struct dlci_add for DEVICE and DLCI."""
    try:
        name = encode_ifname(device)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if isinstance(dlci, bool) or not isinstance(dlci, int) or not 0 <= dlci <= MAX_DLCI:
        raise InputError(f"DLCI {dlci!r} is out of range (0-{MAX_DLCI})")
    return DLCI_ADD.pack(name, dlci)


def decode_dlci_add(raw: bytes) -> tuple[str, int]:
    """(device name, DLCI) of a struct dlci_add."""
    from sockctl.errors import DecodeError

    if len(raw) != DLCI_ADD.size:
        raise DecodeError(f"dlci_add of {len(raw)} bytes, not {DLCI_ADD.size}")
    name, dlci = DLCI_ADD.unpack(raw)
    return name.split(b"\0", 1)[0].decode("utf-8", "surrogateescape"), dlci


def _request(request: int, call: str, buf: bytearray, target: str) -> None:
    err = channel.probe(channel.control_socket().fileno(), request, buf)
    if err in _ABSENT:
        raise kernel_error(err, call, target, "frame-relay DLCI is not supported by this kernel")
    if err:
        raise kernel_error(err, call, target)


def add(device: str, dlci: int) -> str:
    """Make a DLCI device for DLCI on frame-relay device DEVICE; returns its name (SIOCADDDLCI)."""
    buf = bytearray(encode_dlci_add(device, dlci))
    _request(SIOCADDDLCI, "SIOCADDDLCI", buf, device)
    return decode_dlci_add(bytes(buf))[0]


def delete(device: str) -> None:
    """Remove DLCI device DEVICE (SIOCDELDLCI)."""
    buf = bytearray(encode_dlci_add(device, 0))
    _request(SIOCDELDLCI, "SIOCDELDLCI", buf, device)
