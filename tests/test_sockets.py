"""Socket and file control on real TCP and UDP sockets, on the loopback of a test namespace."""

import errno
import os
import select
import signal
import socket
import time

import pytest

import sockctl
from sockctl import sockets
from sockctl.errors import InputError, NotFound, NotSupported


@pytest.fixture
def inside(ns):
    """The test runs in the namespace; its sockets are made there."""
    with sockctl.netns(ns.name):
        yield ns


def udp_pair():
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind(("127.0.0.1", 0))
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    return rx, tx


def tcp_pair(rcvbuf=None):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)  # the accepted socket inherits it
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    client = socket.create_connection(listener.getsockname())
    server, _ = listener.accept()
    listener.close()
    return client, server


def eventually(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_udp_input_queue_is_the_next_datagram(inside):
    rx, tx = udp_pair()
    with rx, tx:
        assert sockets.bytes_to_read(rx) == 0
        tx.sendto(b"a" * 100, rx.getsockname())
        tx.sendto(b"b" * 250, rx.getsockname())
        assert sockets.bytes_to_read(rx) == 100
        assert rx.recv(1000) == b"a" * 100
        assert sockets.bytes_to_read(rx.fileno()) == 250  # a descriptor number works as well
        rx.recv(1000)
        assert sockets.bytes_to_read(rx) == 0
        assert sockets.bytes_queued(tx) == 0  # loopback hands the datagrams over at once
        with pytest.raises(NotSupported, match="SIOCOUTQNSD: not supported by this kind of socket"):
            sockets.bytes_unsent(tx)


def test_tcp_queues_after_known_byte_counts(inside):
    client, server = tcp_pair(rcvbuf=4096)
    with client, server:
        client.sendall(b"x" * 1000)
        assert eventually(lambda: sockets.bytes_to_read(server) == 1000)
        assert eventually(lambda: sockets.bytes_queued(client) == 0)  # sent and acknowledged
        # Fill the receiver's window: what it has not taken stays in the sender's queue, unsent.
        client.setblocking(False)
        sent = 1000
        try:
            while True:
                sent += client.send(b"y" * 65536)
        except BlockingIOError:
            pass
        client.setblocking(True)

        def settled():
            queued, unsent, waiting = (sockets.bytes_queued(client), sockets.bytes_unsent(client),
                                       sockets.bytes_to_read(server))
            return queued + waiting == sent and unsent == queued > 0

        assert eventually(settled), (sent, sockets.bytes_queued(client), sockets.bytes_unsent(client),
                                     sockets.bytes_to_read(server))
        received = 0
        while received < sent:
            received += len(server.recv(1 << 20))
        assert received == sent
        assert eventually(lambda: sockets.bytes_queued(client) == 0 and sockets.bytes_unsent(client) == 0)
        assert sockets.bytes_to_read(server) == 0


def test_tcp_urgent_mark(inside):
    client, server = tcp_pair()
    with client, server:
        client.send(b"abc")
        client.send(b"!", socket.MSG_OOB)
        assert eventually(lambda: sockets.bytes_to_read(server) == 3)
        assert not sockets.at_urgent_mark(server)
        assert server.recv(3) == b"abc"
        assert sockets.at_urgent_mark(server)


def test_timestamp_of_the_last_datagram(inside):
    rx, tx = udp_pair()
    with rx, tx:
        with pytest.raises(NotFound, match="no packet has arrived"):
            sockets.timestamp(rx)  # and from now on arrivals are stamped
        before = time.time()
        tx.sendto(b"stamp me", rx.getsockname())
        rx.recv(100)
        after = time.time()
        stamp = sockets.timestamp(rx)
        micro = sockets.timestamp_us(rx)
    assert before - 0.001 <= stamp.time <= after + 0.001, (before, stamp, after)
    assert 0 <= stamp.nanoseconds < 10**9
    assert micro.nanoseconds % 1000 == 0
    assert (micro.seconds, micro.nanoseconds // 1000) == (stamp.seconds, stamp.nanoseconds // 1000)


def test_sigio_reaches_the_owner_set_with_fiosetown(inside):
    previous = signal.signal(signal.SIGIO, lambda *_: None)  # never the default action (terminate)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGIO})
    rx, tx = udp_pair()
    try:
        with rx, tx:
            assert sockets.owner(rx) == 0 and not sockets.is_async(rx)
            sockets.set_owner(rx, os.getpid())
            assert sockets.owner(rx) == os.getpid() == sockets.process_group(rx)
            tx.sendto(b"quiet", rx.getsockname())  # async mode is off: no signal
            assert signal.sigtimedwait({signal.SIGIO}, 0.3) is None
            rx.recv(100)
            sockets.set_async(rx)
            assert sockets.is_async(rx)
            tx.sendto(b"wake up", rx.getsockname())
            info = signal.sigtimedwait({signal.SIGIO}, 5)
            assert info is not None and info.si_signo == signal.SIGIO
            sockets.set_async(rx, False)
            assert not sockets.is_async(rx)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGIO})
        signal.signal(signal.SIGIO, previous)


def test_process_group_owner(inside):
    rx, _tx = udp_pair()
    with rx, _tx:
        sockets.set_process_group(rx, -os.getpgrp())
        assert sockets.owner(rx) == -os.getpgrp() == sockets.process_group(rx)
        sockets.set_owner(rx, 0)
        assert sockets.owner(rx) == 0


def test_nonblocking_mode(inside):
    rx, tx = udp_pair()
    with rx, tx:
        assert not sockets.is_nonblocking(rx)
        sockets.set_nonblocking(rx)
        assert sockets.is_nonblocking(rx)
        with pytest.raises(BlockingIOError):
            os.read(rx.fileno(), 10)
        sockets.set_nonblocking(rx, False)
        assert not sockets.is_nonblocking(rx)
        tx.sendto(b"z", rx.getsockname())
        assert select.select([rx], [], [], 5)[0] and os.read(rx.fileno(), 10) == b"z"


@pytest.mark.parametrize("operation", [
    sockets.owner, sockets.process_group, sockets.bytes_to_read, sockets.bytes_queued, sockets.is_async,
    sockets.timestamp, lambda fd: sockets.set_nonblocking(fd), lambda fd: sockets.set_owner(fd, 1),
    lambda fd: sockets.set_async(fd),
])
def test_a_descriptor_that_is_not_a_socket(operation, tmp_path):
    read_end, write_end = os.pipe()
    regular = os.open(tmp_path / "file", os.O_RDWR | os.O_CREAT)
    try:
        for fd in (read_end, regular):
            with pytest.raises(OSError) as info:
                operation(fd)
            assert info.value.errno == errno.ENOTSOCK
            assert str(info.value).startswith(f"descriptor {fd}: ") and str(info.value).endswith(": not a socket")
            assert os.get_blocking(fd)  # nothing changed
            assert "\n" not in str(info.value)
    finally:
        for fd in (read_end, write_end, regular):
            os.close(fd)


def test_closed_and_bogus_descriptors():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    number = sock.fileno()
    sock.close()
    for target in (sock, number):
        with pytest.raises(OSError) as info:
            sockets.owner(target)
        assert info.value.errno == errno.EBADF
    with pytest.raises(InputError):
        sockets.owner("eth0")
    with socket.socket() as other, pytest.raises(InputError):
        sockets.set_owner(other, 2**31)


# ---- decoding (no privileges needed) ----

@pytest.mark.parametrize("seconds, fraction, new, unit, expected", [
    (1_700_000_000, 123_456_789, True, 1, sockets.Timestamp(1_700_000_000, 123_456_789)),
    (1_700_000_000, 999_999, True, 1000, sockets.Timestamp(1_700_000_000, 999_999_000)),
    (2**40, 0, True, 1, sockets.Timestamp(2**40, 0)),  # past 2038: the _NEW layout holds it
    (5, 1, False, 1, sockets.Timestamp(5, 1)),
    (0, 500_000, False, 1000, sockets.Timestamp(0, 500_000_000)),
])
def test_timestamps_both_ways(seconds, fraction, new, unit, expected):
    import struct

    raw = struct.pack("=qq" if new else "@ll", seconds, fraction)
    assert sockets.decode_timestamp(raw, new, unit) == expected
    assert expected.seconds * 10**9 + expected.nanoseconds == seconds * 10**9 + fraction * unit


@pytest.mark.parametrize("raw, new, unit", [
    (bytes(15), True, 1), (bytes(17), True, 1), (b"", False, 1),
    ((1).to_bytes(8, "little") + (10**9).to_bytes(8, "little"), True, 1),  # a billion nanoseconds
    ((1).to_bytes(8, "little") + (10**6).to_bytes(8, "little"), True, 1000),  # a million microseconds
    ((1).to_bytes(8, "little") + (2**64 - 1).to_bytes(8, "little"), True, 1),  # negative fraction
])
def test_corrupted_timestamps(raw, new, unit):
    from sockctl.errors import DecodeError

    with pytest.raises(DecodeError):
        sockets.decode_timestamp(raw, new, unit)
