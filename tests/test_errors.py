"""Kernel errors become OSError subclasses with one-line messages."""

import errno

import pytest

from sockctl import errors


@pytest.mark.parametrize("err, cls, base, text", [
    (errno.ENODEV, errors.NoSuchDevice, OSError, "eth9: no such device"),
    (errno.EPERM, errors.PermissionDenied, PermissionError, "eth9: operation not permitted: needs CAP_NET_ADMIN"),
    (errno.EEXIST, errors.AlreadyExists, FileExistsError, "eth9: already exists"),
    (errno.ENOENT, errors.NotFound, FileNotFoundError, "eth9: SIOCSIFMTU: no such entry"),
    (errno.EINVAL, errors.InvalidArgument, OSError, "eth9: SIOCSIFMTU: invalid argument"),
    (errno.ENOPROTOOPT, errors.NotSupported, OSError,
     "eth9: SIOCSIFMTU: option not registered by the running kernel"),
    (errno.EIO, errors.KernelError, OSError, "eth9: SIOCSIFMTU: input/output error"),
])
def test_errno_mapping(err, cls, base, text):
    exc = errors.kernel_error(err, "SIOCSIFMTU", "eth9")
    assert type(exc) is cls
    assert isinstance(exc, base) and isinstance(exc, errors.Error)
    assert exc.errno == err
    assert str(exc) == text
    assert "\n" not in str(exc)


def test_message_without_target():
    assert str(errors.kernel_error(errno.EINVAL, "IPT_SO_SET_REPLACE")) == "IPT_SO_SET_REPLACE: invalid argument"


def test_input_and_decode_errors_are_value_errors():
    assert isinstance(errors.InputError("x"), ValueError)
    exc = errors.DecodeError("truncated entry", 24)
    assert isinstance(exc, ValueError) and exc.offset == 24 and str(exc) == "truncated entry (at offset 24)"
