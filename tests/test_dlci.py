"""DLCI: the request's encoding, and what the running kernel answers."""

import errno

import pytest

import sockctl
from sockctl import dlci
from sockctl.errors import InputError, NotSupported


@pytest.mark.parametrize("device, number, raw", [
    ("sdla0", 16, b"sdla0" + bytes(11) + (16).to_bytes(2, "little")),
    ("a" * 15, 1023, b"a" * 15 + b"\0" + (1023).to_bytes(2, "little")),
    ("x", 0, b"x" + bytes(15) + bytes(2)),
])
def test_dlci_add_both_ways(device, number, raw):
    import sys

    if sys.byteorder == "big":
        raw = raw[:16] + raw[16:][::-1]
    assert dlci.encode_dlci_add(device, number) == raw
    assert dlci.decode_dlci_add(raw) == (device, number)


@pytest.mark.parametrize("device, number", [("", 16), ("a" * 16, 16), ("sdla0", -1), ("sdla0", 1024),
                                            ("sdla0", True), ("sdla0", 1.5)])
def test_bad_requests_are_refused_before_the_kernel(device, number):
    with pytest.raises(InputError):
        dlci.encode_dlci_add(device, number)


@pytest.mark.parametrize("raw", [b"", bytes(17), bytes(19)])
def test_dlci_add_of_wrong_length(raw):
    from sockctl.errors import DecodeError

    with pytest.raises(DecodeError):
        dlci.decode_dlci_add(raw)


def test_kernel_without_frame_relay_says_so(ns):
    """The answer comes from the kernel: the calls are made, and refused."""
    with sockctl.netns(ns.name):
        with pytest.raises(NotSupported) as added:
            dlci.add("lo", 16)
        with pytest.raises(NotSupported) as deleted:
            dlci.delete("dlci00")
    assert added.value.errno in (errno.ENOTTY, errno.ENOPKG)
    assert str(added.value) == "lo: SIOCADDDLCI: frame-relay DLCI is not supported by this kernel"
    assert str(deleted.value) == "dlci00: SIOCDELDLCI: frame-relay DLCI is not supported by this kernel"
