"""The one place that talks to the kernel's socket control channels.

Every ioctl, getsockopt, setsockopt and setns of sockctl goes through this
module. Failures come back as the ``sockctl.errors.KernelError`` subclass that
fits the errno, naming the request and what it was about.

Control sockets are opened lazily, one per (family, type, protocol), and
belong to the network namespace that was current when they were opened: the
``netns()`` context manager keeps a separate set for the namespace it enters.
"""

import ctypes
import os
from fcntl import ioctl as _ioctl

# The C module behind Python's socket: the same sockets without the
# start-up cost of the socket module's enum tables.
import _socket

from sockctl.abi.families import AF_INET, SOCK_CLOEXEC, SOCK_DGRAM, SOCK_RAW
from sockctl.errors import NamespaceError, kernel_error

CLONE_NEWNET = 0x40000000

# The thread's own view of /proc/net: after setns() it shows the new
# namespace, where /proc/net (the process leader's) might not.
PROC_NET = "/proc/thread-self/net"

_sockets: dict[tuple[int, int, int], _socket.socket] = {}
_libc = None


def _c_library():
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    return _libc


def control_socket(family: int = AF_INET, type_: int = SOCK_DGRAM, proto: int = 0) -> _socket.socket:
    """A socket of this namespace to send control requests on (cached)."""
    key = (family, type_, proto)
    sock = _sockets.get(key)
    if sock is None:
        try:
            sock = _socket.socket(family, type_ | SOCK_CLOEXEC, proto)
        except OSError as exc:
            reason = "operation not permitted: needs CAP_NET_RAW" if type_ == SOCK_RAW and exc.errno == 1 else ""
            raise kernel_error(exc.errno, "socket", _family_name(family), reason) from None
        _sockets[key] = sock
    return sock


def _family_name(family: int) -> str:
    import socket

    try:
        return socket.AddressFamily(family).name
    except ValueError:
        return f"family {family}"


def ioctl(sock, request: int, arg, target: str = "") -> int:
    """ioctl(fd, request, &arg) where ``arg`` is a ctypes object or writable buffer.

    The kernel may write into ``arg``. Returns the ioctl's return value.
    """
    try:
        return _ioctl(sock, request, arg, True)
    except OSError as exc:
        from sockctl.abi.sockios import request_name

        raise kernel_error(exc.errno, request_name(request), target) from None


def probe(fd: int, request: int, arg) -> int:
    """ioctl that reports failure as an errno instead of raising: 0 on success.

    For reads where a refusal is an answer (an interface without an IPv4
    address); no exception object is built for the common "no".
    """
    try:
        _ioctl(fd, request, arg, True)
    except OSError as exc:
        return exc.errno
    return 0


def ioctl_each(fd: int, requests, template: bytes) -> list:
    """Each request on its own copy of TEMPLATE: the filled buffer, or None where refused.

    For reading many values of one object in a row (an interface's mtu,
    hardware address, ...), where a refusal is an answer rather than an error.
    """
    results = []
    for request in requests:
        buf = bytearray(template)
        try:
            _ioctl(fd, request, buf, True)
        except OSError:
            buf = None
        results.append(buf)
    return results


def ioctl_int(sock, request: int, value: int = 0, target: str = "") -> int:
    """ioctl(fd, request, &int): for requests whose argument is one C int."""
    buf = ctypes.c_int(value)
    ioctl(sock, request, buf, target)
    return buf.value


def getsockopt(sock, level: int, optname: int, buf, call: str = "", target: str = "",
               reasons: dict | None = None) -> int:
    """getsockopt(fd, level, optname, buf, &len) with ``buf`` both input and output.

    Netfilter get-options read a request from the buffer before they fill it,
    which Python's ``socket.getsockopt`` cannot do. Returns the length the
    kernel reported. REASONS maps an errno to the text the error should give
    (what ENOENT means depends on the option: no such table, no such match).
    """
    view = memoryview(buf).cast("B")
    size = ctypes.c_uint32(len(view))
    cbuf = (ctypes.c_char * len(view)).from_buffer(view)
    fd = sock if isinstance(sock, int) else sock.fileno()
    if _c_library().getsockopt(fd, level, optname, cbuf, ctypes.byref(size)) != 0:
        err = ctypes.get_errno()
        raise kernel_error(err, call or f"getsockopt {optname}", target, (reasons or {}).get(err, ""))
    return size.value


def setsockopt(sock, level: int, optname: int, data, call: str = "", target: str = "",
               reasons: dict | None = None) -> None:
    """setsockopt(fd, level, optname, data, len(data)); REASONS as for getsockopt."""
    if isinstance(sock, int):
        sock = _socket.socket(fileno=sock)
        try:
            return setsockopt(sock, level, optname, data, call, target, reasons)
        finally:
            sock.detach()
    try:
        sock.setsockopt(level, optname, data)
    except OSError as exc:
        raise kernel_error(exc.errno, call or f"setsockopt {optname}", target,
                           (reasons or {}).get(exc.errno, "")) from None


def address_of(buf: bytearray) -> int:
    """The address of BUF's memory, for a request that carries a pointer the kernel writes through.

    (SO_SET_REPLACE hands back the old counters that way.) Valid while BUF
    lives and is not resized.
    """
    return ctypes.addressof((ctypes.c_char * len(buf)).from_buffer(buf))


def proc_net(name: str) -> bytes:
    """The contents of /proc/net/NAME as seen from the current namespace."""
    with open(f"{PROC_NET}/{name}", "rb") as f:
        return f.read()


def _netns_path(name: str) -> str:
    if "/" in name:
        return name
    if name in ("", ".", ".."):
        raise NamespaceError(22, f"{name!r} is not a network namespace name")
    return f"/run/netns/{name}"


def _setns(fd: int, name: str) -> None:
    if _c_library().setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        if err == 22:
            raise NamespaceError(err, f"{name}: not a network namespace")
        if err == 1:
            raise NamespaceError(err, f"{name}: cannot enter network namespace: needs CAP_SYS_ADMIN")
        raise NamespaceError(err, f"{name}: cannot enter network namespace: {os.strerror(err)}")


def _open_netns(name: str) -> int:
    path = _netns_path(name)
    try:
        return os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise NamespaceError(2, f"network namespace {name!r} does not exist") from None
    except OSError as exc:
        raise NamespaceError(exc.errno, f"network namespace {name!r}: {exc.strerror}") from None


def enter_netns(name: str) -> None:
    """Move the calling thread into a network namespace for good (the CLI's --netns)."""
    global _sockets
    fd = _open_netns(name)
    try:
        _setns(fd, name)
    finally:
        os.close(fd)
    _sockets = {}


class netns:
    """Run a block in network namespace NAME, then return to the caller's.

        with sockctl.netns("blue"):
            sockctl.interfaces.list_all()

    NAME is a name as ``ip netns add`` makes it, or a path such as
    /proc/PID/ns/net. Only the calling thread moves. Sockets opened inside the
    block stay in that namespace; control sockets cached here are closed when
    the block ends. Failing to return raises NamespaceError: the thread is
    then in the wrong namespace and must not go on.
    """

    # A class rather than contextlib.contextmanager: contextlib's import
    # drags in collections, a visible part of a listing's start-up.

    def __init__(self, name: str):
        self.name = name
        self._target = self._home = -1
        self._saved = None

    def __enter__(self):
        global _sockets
        self._target = _open_netns(self.name)
        try:
            self._home = os.open("/proc/thread-self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
            _setns(self._target, self.name)
        except BaseException:
            self._close()
            raise
        self._saved, _sockets = _sockets, {}
        return self

    def __exit__(self, *exc_info):
        global _sockets
        try:
            for sock in _sockets.values():
                sock.close()
            _sockets = self._saved
            _setns(self._home, "the caller's namespace")
        finally:
            self._close()
        return False

    def _close(self) -> None:
        for fd in (self._target, self._home):
            if fd >= 0:
                os.close(fd)
        self._target = self._home = -1
