"""The exceptions sockctl raises.

Every error's str() is one line a person can act on. Errors the kernel
returned are OSError subclasses carrying the errno, so ``except
PermissionError`` and ``except FileNotFoundError`` work as usual; errors found
in the input before any system call are ValueError subclasses.

This module makes no system calls and is safe to import anywhere.
"""

import errno as _errno


class Error(Exception):
    """Base of every sockctl error."""


class InputError(Error, ValueError):
    """Malformed or out-of-range input, found before anything was changed."""


class DecodeError(Error, ValueError):
    """Kernel data that does not parse (truncated, corrupted, wrong length)."""

    def __init__(self, message: str, offset: int | None = None):
        self.offset = offset
        if offset is not None:
            message = f"{message} (at offset {offset})"
        super().__init__(message)


class KernelError(Error, OSError):
    """A call the kernel refused.

    ``errno`` is the kernel's error number, ``call`` the request that failed
    (``SIOCSIFMTU``, ``IPT_SO_SET_REPLACE``, ``setns``) and ``target`` what it
    was about (an interface name, a table), either of which may be empty.
    """

    def __init__(self, err: int, call: str = "", target: str = "", reason: str = ""):
        self.call = call
        self.target = target
        self.reason = reason or describe_errno(err)
        super().__init__(err, self.reason)

    def __str__(self) -> str:
        parts = [p for p in (self.target, self.call) if p]
        if self.errno in _TERSE:
            parts = parts[:1]  # the target alone says enough
        return ": ".join(parts + [self.reason])


class PermissionDenied(KernelError, PermissionError):
    """EPERM or EACCES: the caller lacks a capability (usually CAP_NET_ADMIN)."""


class NoSuchDevice(KernelError):
    """ENODEV or ENXIO: no interface of that name in the namespace."""


class NotFound(KernelError, FileNotFoundError):
    """ENOENT, ESRCH, EADDRNOTAVAIL: the object addressed does not exist."""


class AlreadyExists(KernelError, FileExistsError):
    """EEXIST: the object to create exists already."""


class Busy(KernelError):
    """EBUSY: the object is in use (an interface that must be down first)."""


class NotSupported(KernelError):
    """The running kernel, or this device, does not answer this request."""


class InvalidArgument(KernelError):
    """EINVAL, ERANGE: the kernel rejected a value."""


class NamespaceError(Error, OSError):
    """A network namespace that cannot be entered or left."""

    def __str__(self) -> str:
        return str(self.strerror)


_REASONS = {
    _errno.EPERM: "operation not permitted: needs CAP_NET_ADMIN",
    _errno.EACCES: "permission denied: needs CAP_NET_ADMIN",
    _errno.ENODEV: "no such device",
    _errno.ENXIO: "no such device",
    _errno.ENOENT: "no such entry",
    _errno.ESRCH: "no such entry",
    _errno.EADDRNOTAVAIL: "address not available",
    _errno.EEXIST: "already exists",
    _errno.EBUSY: "device or resource busy",
    _errno.EINVAL: "invalid argument",
    _errno.ERANGE: "value out of range",
    _errno.EOPNOTSUPP: "operation not supported by this device or kernel",
    _errno.ENOTTY: "request not supported by this kernel",
    _errno.ENOPROTOOPT: "option not registered by the running kernel",
    _errno.ENOPKG: "not supported by this kernel",
    _errno.EAFNOSUPPORT: "address family not supported by this kernel",
    _errno.EPROTONOSUPPORT: "protocol not supported by this kernel",
    _errno.ENOSYS: "not implemented by this kernel",
    _errno.EAGAIN: "changed while being read, try again",
    _errno.ENOBUFS: "no buffer space available",
    _errno.ENOMEM: "out of memory",
    _errno.ENETUNREACH: "network is unreachable",
    _errno.ENOTSOCK: "not a socket",
    _errno.EBADF: "bad file descriptor",
    _errno.EFAULT: "bad address passed to the kernel",
    _errno.ELOOP: "loop detected",
    _errno.ENOTEMPTY: "still in use",
}

# Errors whose meaning is plain from the target alone; the call is left out.
_TERSE = frozenset({_errno.ENODEV, _errno.ENXIO, _errno.EPERM, _errno.EACCES, _errno.EEXIST})

_CLASSES = {
    _errno.EPERM: PermissionDenied,
    _errno.EACCES: PermissionDenied,
    _errno.ENODEV: NoSuchDevice,
    _errno.ENXIO: NoSuchDevice,
    _errno.ENOENT: NotFound,
    _errno.ESRCH: NotFound,
    _errno.EADDRNOTAVAIL: NotFound,
    _errno.EEXIST: AlreadyExists,
    _errno.EBUSY: Busy,
    _errno.EINVAL: InvalidArgument,
    _errno.ERANGE: InvalidArgument,
    _errno.EOPNOTSUPP: NotSupported,
    _errno.ENOTTY: NotSupported,
    _errno.ENOPROTOOPT: NotSupported,
    _errno.ENOPKG: NotSupported,
    _errno.EAFNOSUPPORT: NotSupported,
    _errno.EPROTONOSUPPORT: NotSupported,
    _errno.ENOSYS: NotSupported,
}


def describe_errno(err: int) -> str:
    """A short lower-case description of an errno value."""
    reason = _REASONS.get(err)
    if reason is None:
        import os

        reason = os.strerror(err)
        reason = reason[:1].lower() + reason[1:]
    return reason


def kernel_error(err: int, call: str = "", target: str = "", reason: str = "") -> KernelError:
    """The KernelError subclass that fits an errno value."""
    return _CLASSES.get(err, KernelError)(err, call, target, reason)
