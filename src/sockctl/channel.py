"""The one place that talks to the kernel's socket control channels.

Every ioctl, getsockopt, setsockopt and setns of sockctl goes through this
module, and so do the unshare and mount that give a helper thread the
current namespace's own sysfs, for the few values no ioctl carries. Failures
come back as the ``sockctl.errors.KernelError`` subclass that fits the errno,
naming the request and what it was about.

Control sockets are opened lazily, one per (family, type, protocol), and
belong to the network namespace that was current when they were opened: the
``netns()`` context manager keeps a separate set for the namespace it enters.
"""

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
# How many setns() moves away from the namespace the process started in are
# in force (enter_netns and open netns blocks): /sys shows the start one.
_away = 0


def _c_library():
    """libc through ctypes, loaded at the first call that needs it.

    ctypes is a noticeable part of a small listing's start-up, and listings
    that only read /proc (route, arp) never need it.
    """
    global _libc
    if _libc is None:
        import ctypes

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
    import ctypes

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
    import ctypes

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
    import ctypes

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
        import ctypes

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
    global _sockets, _away
    fd = _open_netns(name)
    try:
        _setns(fd, name)
    finally:
        os.close(fd)
    _sockets = {}
    _away += 1


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
        global _sockets, _away
        self._target = _open_netns(self.name)
        try:
            self._home = os.open("/proc/thread-self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
            _setns(self._target, self.name)
        except BaseException:
            self._close()
            raise
        self._saved, _sockets = _sockets, {}
        _away += 1
        return self

    def __exit__(self, *exc_info):
        global _sockets, _away
        try:
            for sock in _sockets.values():
                sock.close()
            _sockets = self._saved
            _setns(self._home, "the caller's namespace")
            _away -= 1
        finally:
            self._close()
        return False

    def _close(self) -> None:
        for fd in (self._target, self._home):
            if fd >= 0:
                os.close(fd)
        self._target = self._home = -1


# ---- sysfs of the current network namespace ----
#
# /sys/class/net shows the devices of the namespace that mounted that sysfs,
# not of the thread reading it: after setns() the process's /sys still shows
# the namespace it started in. Values no ioctl carries are therefore read in
# a helper thread that unshares its mount namespace, makes it private (so
# nothing propagates back) and mounts a fresh sysfs on /sys, which then
# belongs to the thread's network namespace -- what `ip netns exec` does for
# a whole process. The caller's threads keep their own view of /sys.

CLONE_NEWNS = 0x00020000
_MS_NOSUID, _MS_NODEV, _MS_NOEXEC, _MS_REC, _MS_PRIVATE = 0x2, 0x4, 0x8, 0x4000, 0x40000


def _private_sysfs() -> None:
    """In the calling (helper) thread: a mount namespace of its own with this namespace's sysfs on /sys."""
    import ctypes

    libc = _c_library()
    steps = (
        ("unshare", "mount namespace", lambda: libc.unshare(CLONE_NEWNS)),
        ("mount", "/ (making it private)", lambda: libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None)),
        ("mount", "sysfs", lambda: libc.mount(b"sysfs", b"/sys", b"sysfs", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC,
                                              None)),
    )
    for call, target, step in steps:
        if step() != 0:
            err = ctypes.get_errno()
            if err == 16 and target == "sysfs":
                # EBUSY: the kernel refuses to mount a file system on a mount of
                # the same superblock, and sysfs has one per network namespace:
                # /sys shows this namespace already (as under `ip netns exec`).
                return
            reason = "cannot mount this namespace's sysfs: needs CAP_SYS_ADMIN" if err in (1, 13) else ""
            raise kernel_error(err, call, target, reason)


class _NoPrivateSysfs(Exception):
    """The helper thread could not mount a sysfs of its own."""


def _with_namespace_sysfs(work):
    """WORK() run where /sys shows the current thread's network namespace; its result or exception."""
    import _thread

    outcome = []
    done = _thread.allocate_lock()
    done.acquire()

    def helper():
        try:
            try:
                _private_sysfs()
            except OSError as exc:
                outcome.append((False, _NoPrivateSysfs(exc)))
                return
            outcome.append((True, work()))
        except BaseException as exc:
            outcome.append((False, exc))
        finally:
            done.release()

    _thread.start_new_thread(helper, ())
    done.acquire()
    ok, value = outcome[0]
    if ok:
        return value
    if isinstance(value, _NoPrivateSysfs):
        cause = value.args[0]
        if isinstance(cause, PermissionError) and not _away:
            # No privilege to mount, but the process never left the namespace
            # it started in: its own /sys is the best there is (brctl reads it too).
            return work()
        raise cause
    raise value


def _read_files(paths):
    values = []
    for path in paths:
        try:
            with open(path, "rb") as f:
                values.append(f.read())
        except FileNotFoundError:
            values.append(None)
        except OSError as exc:
            raise kernel_error(exc.errno, "read", path) from None
    return values


def sysfs_read(paths: list[str]) -> list[bytes | None]:
    """The contents of each /sys PATH as the current network namespace's sysfs shows it; None where absent."""
    return _with_namespace_sysfs(lambda: _read_files(paths))


def sysfs_write(path: str, data: bytes) -> None:
    """Write DATA to a /sys PATH of the current network namespace's sysfs."""
    def write():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
        except OSError as exc:
            raise kernel_error(exc.errno, "open", path) from None
        try:
            os.write(fd, data)
        except OSError as exc:
            raise kernel_error(exc.errno, "write", path) from None
        finally:
            os.close(fd)

    _with_namespace_sysfs(write)


def status_flags(fd: int) -> int:
    """fcntl(fd, F_GETFL): the open file's O_* status flags (O_NONBLOCK, O_ASYNC, ...)."""
    import fcntl

    try:
        return fcntl.fcntl(fd, fcntl.F_GETFL)
    except OSError as exc:
        raise kernel_error(exc.errno, "F_GETFL", f"descriptor {fd}") from None
