"""Socket and file control on any socket: the generic part of ``sock_ioctl`` and TCP/UDP's own.

Every function takes a socket object (anything with ``fileno()``) or a
descriptor number, and first checks that it is a socket: FIONBIO and
FIOASYNC would also work on other files, but the queue sizes and timestamps
mean nothing there, and an error naming the descriptor is clearer than the
kernel's ENOTTY. Failures are ``sockctl.errors`` classes naming the request
and the descriptor.

- owner: FIOSETOWN/FIOGETOWN, and SIOCSPGRP/SIOCGPGRP, which Linux treats
  the same way (a positive number is a process, a negative one a process
  group); it receives SIGIO (and SIGURG) for the socket;
- modes: FIONBIO and FIOASYNC set them; reading them back is fcntl(F_GETFL);
- queues: SIOCINQ (bytes waiting to be read; for UDP the size of the next
  datagram), SIOCOUTQ (bytes not yet sent or, for TCP, not yet
  acknowledged), SIOCOUTQNSD (TCP: bytes not yet sent), SIOCATMARK (TCP:
  whether the urgent mark is next);
- the last packet's receive time: SIOCGSTAMPNS/SIOCGSTAMP, in the 64-bit
  ``_NEW`` form where the kernel has it (Linux 5.1 on), else the native one.
"""

import errno
import os

from sockctl import channel
from sockctl.abi import sockios
from sockctl.abi.time_types import NEW_PAIR, OLD_PAIR
from sockctl.errors import InputError, kernel_error
from sockctl.record import Record

_S_IFMT, _S_IFSOCK = 0o170000, 0o140000


class Timestamp(Record):
    """A wall-clock time as the kernel gives it: seconds since the epoch and nanoseconds."""

    seconds: int
    nanoseconds: int

    @property
    def time(self) -> float:
        """As a ``time.time()`` value."""
        return self.seconds + self.nanoseconds / 1e9


def _socket_fd(sock, call: str) -> int:
    """The descriptor of SOCK, checked to be an open socket."""
    fd = sock if isinstance(sock, int) and not isinstance(sock, bool) else None
    if fd is None:
        try:
            fd = sock.fileno()
        except AttributeError:
            raise InputError(f"{sock!r} is neither a socket nor a descriptor number") from None
    if fd < 0:
        raise kernel_error(errno.EBADF, call, f"descriptor {fd}", "closed socket")
    try:
        mode = os.fstat(fd).st_mode
    except OSError as exc:
        raise kernel_error(exc.errno, call, f"descriptor {fd}") from None
    if mode & _S_IFMT != _S_IFSOCK:
        raise kernel_error(errno.ENOTSOCK, call, f"descriptor {fd}", "not a socket")
    return fd


def _int_request(sock, request: int, name: str, value: int = 0) -> int:
    fd = _socket_fd(sock, name)
    try:
        return channel.ioctl_int(fd, request, value, f"descriptor {fd}")
    except OSError as exc:
        reason = "not supported by this kind of socket" if exc.errno == errno.ENOTTY else ""
        raise kernel_error(exc.errno, name, f"descriptor {fd}", reason) from None


def _c_int(value: int, what: str) -> int:
    if isinstance(value, bool) or not -(1 << 31) <= value < (1 << 31):
        raise InputError(f"{what} {value!r} does not fit in a C int")
    return value


# ---- owner ----

def owner(sock) -> int:
    """The process (positive) or process group (negative) that gets SIGIO: FIOGETOWN; 0 for none."""
    return _int_request(sock, sockios.FIOGETOWN, "FIOGETOWN")


def set_owner(sock, pid: int) -> None:
    """Send SIGIO and SIGURG to process PID, or to process group -PID when negative: FIOSETOWN."""
    _int_request(sock, sockios.FIOSETOWN, "FIOSETOWN", _c_int(pid, "owner"))


def process_group(sock) -> int:
    """SIOCGPGRP: on Linux the same value as ``owner``."""
    return _int_request(sock, sockios.SIOCGPGRP, "SIOCGPGRP")


def set_process_group(sock, pgrp: int) -> None:
    """SIOCSPGRP: on Linux the same as ``set_owner`` (negative for a process group)."""
    _int_request(sock, sockios.SIOCSPGRP, "SIOCSPGRP", _c_int(pgrp, "process group"))


# ---- modes ----

def set_nonblocking(sock, enabled: bool = True) -> None:
    """FIONBIO: calls that would wait fail with EAGAIN instead."""
    _int_request(sock, sockios.FIONBIO, "FIONBIO", 1 if enabled else 0)


def set_async(sock, enabled: bool = True) -> None:
    """FIOASYNC: signal the owner (SIGIO) when the socket becomes readable or writable."""
    _int_request(sock, sockios.FIOASYNC, "FIOASYNC", 1 if enabled else 0)


def is_nonblocking(sock) -> bool:
    return bool(channel.status_flags(_socket_fd(sock, "F_GETFL")) & os.O_NONBLOCK)


def is_async(sock) -> bool:
    return bool(channel.status_flags(_socket_fd(sock, "F_GETFL")) & os.O_ASYNC)


# ---- queues ----

def bytes_to_read(sock) -> int:
    """SIOCINQ: bytes waiting to be read (UDP: the payload size of the next datagram)."""
    return _int_request(sock, sockios.SIOCINQ, "SIOCINQ")


def bytes_queued(sock) -> int:
    """SIOCOUTQ: bytes in the send queue (TCP: not yet sent or not yet acknowledged)."""
    return _int_request(sock, sockios.SIOCOUTQ, "SIOCOUTQ")


def bytes_unsent(sock) -> int:
    """SIOCOUTQNSD: bytes in the send queue not yet sent (TCP)."""
    return _int_request(sock, sockios.SIOCOUTQNSD, "SIOCOUTQNSD")


def at_urgent_mark(sock) -> bool:
    """SIOCATMARK: whether the next byte to read is where urgent data was sent (TCP)."""
    return bool(_int_request(sock, sockios.SIOCATMARK, "SIOCATMARK"))


# ---- timestamps ----

def decode_timestamp(raw: bytes, new_layout: bool, unit: int) -> Timestamp:
    """A time pair the kernel filled: 16 bytes of two 64-bit numbers (``_NEW``) or two native longs.

    UNIT is the size of the second number's unit in nanoseconds (1000 for
    microseconds, 1 for nanoseconds).
    """
    from sockctl.errors import DecodeError

    layout = NEW_PAIR if new_layout else OLD_PAIR
    if len(raw) != layout.size:
        raise DecodeError(f"time value of {len(raw)} bytes, not {layout.size}")
    seconds, fraction = layout.unpack(raw)
    if not 0 <= fraction * unit < 1_000_000_000:
        raise DecodeError(f"time value with a fraction of {fraction} out of range")
    return Timestamp(seconds, fraction * unit)


def _stamp(sock, new_request: int, old_request: int, unit: int) -> Timestamp:
    fd = _socket_fd(sock, sockios.request_name(old_request))
    target = f"descriptor {fd}"
    for request, layout in ((new_request, NEW_PAIR), (old_request, OLD_PAIR)):
        buf = bytearray(layout.size)
        err = channel.probe(fd, request, buf)
        if err == 0:
            return decode_timestamp(bytes(buf), layout is NEW_PAIR, unit)
        if err == errno.ENOENT:
            raise kernel_error(err, sockios.request_name(request), target, "no packet has arrived since timestamps were switched on")
        if err not in (errno.ENOTTY, errno.EINVAL) or request == old_request:
            reason = "not supported by this kind of socket" if err == errno.ENOTTY else ""
            raise kernel_error(err, sockios.request_name(request), target, reason)
    raise AssertionError("unreachable")


def timestamp(sock) -> Timestamp:
    """When the last packet read from SOCK arrived, in nanoseconds: SIOCGSTAMPNS.

    The first call switches timestamping on and raises NotFound (ENOENT):
    only packets arriving after it carry a time.
    """
    return _stamp(sock, sockios.SIOCGSTAMPNS_NEW, sockios.SIOCGSTAMPNS_OLD, 1)


def timestamp_us(sock) -> Timestamp:
    """The same in microseconds (SIOCGSTAMP): ``nanoseconds`` is then a multiple of 1000."""
    return _stamp(sock, sockios.SIOCGSTAMP_NEW, sockios.SIOCGSTAMP_OLD, 1000)
