"""sockctl_kv in a real kernel: the message exchange and the key/value protocol, good requests and bad."""

import errno
import random

import pytest

import kvwire as w
import vmtest
from sockctl import channel, custom
from sockctl.abi.families import AF_INET, AF_INET6, IPPROTO_IP, IPPROTO_RAW, SOCK_RAW
from sockctl.demo_kv import KvRecord
from sockctl.errors import KernelError

pytestmark = pytest.mark.vm

SENTINEL = 0xA5


def fd() -> int:
    return channel.control_socket(AF_INET, SOCK_RAW, IPPROTO_RAW).fileno()


def set_errno(option: int, data: bytes) -> int:
    try:
        custom.set_option(option, data)
    except KernelError as exc:
        return exc.errno
    return 0


def get_call(option: int, request: bytes, size: int) -> tuple[int, bytes | None, bytes]:
    """getsockopt on a SIZE-byte buffer: REQUEST, then SENTINEL bytes.

    (errno or 0, the reply or None, the bytes after the reply: the whole
    buffer when refused).
    """
    buf = bytearray([SENTINEL]) * max(size, len(request))
    buf[:len(request)] = request
    try:
        length = channel.getsockopt(channel.control_socket(AF_INET, SOCK_RAW, IPPROTO_RAW), IPPROTO_IP, option, buf)
    except KernelError as exc:
        return exc.errno, None, bytes(buf)
    return 0, bytes(buf[:length]), bytes(buf[length:])


def pad(count: int) -> bytes:
    return bytes([SENTINEL]) * count


def snapshot(store) -> tuple:
    return store.info(), store.records(), store.message()


def test_message_round_trip(store):
    assert store.message() == b""
    store.set_message(b"hello, kernel")
    assert store.message() == b"hello, kernel"
    full = bytes(range(1, 65))
    store.set_message(full)
    assert store.message() == full
    assert set_errno(w.MSG, full + b"!") == errno.EINVAL  # 65 bytes: refused whole
    assert store.message() == full
    store.set_message(b"")
    assert store.message() == b""
    assert store.info().msg_len == 0


@pytest.mark.parametrize("length", [0, 1, 5, 63, 64])
def test_message_stays_within_the_callers_buffer(store, length):
    """Set reads exactly LENGTH bytes and get writes exactly that many: the seed's fixed 64-byte copy faults here."""
    data = bytes((i * 7 + 1) % 256 for i in range(length))
    given = vmtest.GuardedBuffer(length)
    given.fill(data)
    assert vmtest.raw_setsockopt(fd(), IPPROTO_IP, w.MSG, given.address, length) == 0
    back = vmtest.GuardedBuffer(length)
    back.fill(bytes([SENTINEL]) * length)
    assert vmtest.raw_getsockopt(fd(), IPPROTO_IP, w.MSG, back.address, length) == (0, length)
    assert back.bytes() == data
    if length:
        short = vmtest.GuardedBuffer(length - 1)
        short.fill(bytes([SENTINEL]) * (length - 1))
        assert vmtest.raw_getsockopt(fd(), IPPROTO_IP, w.MSG, short.address, length - 1) == (errno.ERANGE, length - 1)
        assert short.bytes() == bytes([SENTINEL]) * (length - 1)


def test_requests_stay_within_the_callers_buffer(store):
    request = w.frame(w.PUT, w.put(b"k", b"v"))
    given = vmtest.GuardedBuffer(len(request))
    given.fill(request)
    assert vmtest.raw_setsockopt(fd(), IPPROTO_IP, w.CTL, given.address, len(request)) == 0
    reply = w.frame(w.GET, w.record(b"k", b"v", 1))
    back = vmtest.GuardedBuffer(len(reply))
    back.fill(w.frame(w.GET, w.key(b"k")).ljust(len(reply), bytes([SENTINEL])))
    assert vmtest.raw_getsockopt(fd(), IPPROTO_IP, w.CTL, back.address, len(reply)) == (0, len(reply))
    assert back.bytes() == reply


def test_put_get_delete(store):
    store.put(b"colour", b"blue")
    assert store.get(b"colour") == KvRecord(b"colour", b"blue", 1)
    store.put(b"colour", b"green")
    assert store.get(b"colour") == KvRecord(b"colour", b"green", 2)
    with pytest.raises(FileExistsError):
        store.put(b"colour", b"red", create=True)
    with pytest.raises(FileNotFoundError):
        store.put(b"size", b"1", replace=True)
    store.put(b"colour", b"red", replace=True)
    with pytest.raises(KernelError) as info:
        store.put(b"colour", b"stale", revision=2)
    assert info.value.errno == errno.EAGAIN
    assert store.get(b"colour") == KvRecord(b"colour", b"red", 3)
    store.put(b"colour", b"", revision=3)
    assert store.get(b"colour") == KvRecord(b"colour", b"", 4)
    with pytest.raises(FileNotFoundError):
        store.put(b"size", b"1", revision=1)
    store.delete(b"colour")
    with pytest.raises(FileNotFoundError) as info:
        store.get(b"colour")
    assert str(info.value) == "key 'colour': get: no such entry"
    with pytest.raises(FileNotFoundError):
        store.delete(b"colour")
    assert store.info().records == 0


def test_records_list_in_key_order_page_by_page(store):
    keys = [b"b", b"a", b"ab", b"\xff", b"\x00", b"aa", b"a\x00", b"x" * 32] + [b"k%03d" % i for i in range(70)]
    for i, name in enumerate(keys):
        store.put(name, b"%d" % i)
    # Bytes order: byte by byte, a prefix before the longer key (as memcmp, then length).
    expected = [KvRecord(k, b"%d" % keys.index(k), 1) for k in sorted(keys)]
    for page in (1, 2, 7, 64, 1024):
        assert store.records(page) == expected
    store.flush()
    assert store.records() == [] and store.info().records == 0


def test_list_reply_bytes(store):
    for name in (b"a", b"b", b"c"):
        store.put(name, name * 2)
    records = [w.record(name, name * 2, 1) for name in (b"a", b"b", b"c")]
    assert get_call(w.CTL, w.frame(w.LIST, w.list_request(2, b"a")), 16 + 3 * 168) == (
        0, w.frame(w.LIST, w.list_reply(3, records[1:])), pad(168))
    # Room for fewer records than asked for: refused, the buffer left as it was.
    request = w.frame(w.LIST, w.list_request(3))
    assert get_call(w.CTL, request, 16 + 2 * 168) == (errno.ERANGE, None, request + pad(16 + 2 * 168 - len(request)))
    # Asking for more than the module ever holds is asking for all of them.
    err, reply, _ = get_call(w.CTL, w.frame(w.LIST, w.list_request(0xFFFFFFFF)), 1 << 20)
    assert (err, reply) == (0, w.frame(w.LIST, w.list_reply(3, records)))
    # None at all: the count alone.
    assert get_call(w.CTL, w.frame(w.LIST, w.list_request(0)), 16)[:2] == (0, w.frame(w.LIST, w.list_reply(3, [])))


def test_info_reply_bytes(store):
    store.put(b"k", b"v")
    store.set_message(b"hi")
    assert get_call(w.CTL, w.frame(w.INFO), 48) == (
        0, w.frame(w.INFO, w.INFO_REPLY.pack(1, w.BASE, 1, 1024, 32, 128, 2, 64)), pad(8))


PUT_KV = w.put(b"key", b"value")

SET_REFUSED = [
    # (what, option, data, errno)
    ("no bytes", w.CTL, b"", errno.EINVAL),
    ("half a header", w.CTL, w.frame(w.PUT)[:4], errno.EINVAL),
    ("a header without its payload", w.CTL, w.frame(w.PUT), errno.EINVAL),
    ("payload one byte short", w.CTL, w.frame(w.PUT, PUT_KV)[:-1], errno.EINVAL),
    ("header counts more than sent", w.CTL, w.frame(w.PUT, PUT_KV, length=len(PUT_KV) + 1), errno.EINVAL),
    ("header counts less than sent", w.CTL, w.frame(w.PUT, PUT_KV, length=len(PUT_KV) - 1), errno.EINVAL),
    ("a byte after the payload", w.CTL, w.frame(w.PUT, PUT_KV) + b"\0", errno.EINVAL),
    ("header counts 4 GiB", w.CTL, w.frame(w.PUT, PUT_KV, length=0xFFFFFFFF), errno.EINVAL),
    ("a megabyte", w.CTL, w.frame(w.PUT, PUT_KV, length=(1 << 20) - 8) + bytes((1 << 20) - 8 - len(PUT_KV)),
     errno.EINVAL),
    ("flush with a payload", w.CTL, w.frame(w.FLUSH, b"\0\0\0\0"), errno.EINVAL),
    ("del with a short key", w.CTL, w.frame(w.DEL, w.key(b"key")[:-1]), errno.EINVAL),
    ("version 0", w.CTL, w.frame(w.PUT, PUT_KV, version=0), errno.EPROTONOSUPPORT),
    ("version 2", w.CTL, w.frame(w.PUT, PUT_KV, version=2), errno.EPROTONOSUPPORT),
    ("version 2, header only", w.CTL, w.frame(w.FLUSH, version=2), errno.EPROTONOSUPPORT),
    ("command 0", w.CTL, w.frame(0), errno.EOPNOTSUPP),
    ("command 7", w.CTL, w.frame(7, PUT_KV), errno.EOPNOTSUPP),
    ("command 65535", w.CTL, w.frame(0xFFFF), errno.EOPNOTSUPP),
    ("info is a get command", w.CTL, w.frame(w.INFO), errno.EOPNOTSUPP),
    ("get is a get command", w.CTL, w.frame(w.GET, w.key(b"key")), errno.EOPNOTSUPP),
    ("list is a get command", w.CTL, w.frame(w.LIST, w.list_request(1)), errno.EOPNOTSUPP),
    ("unknown put flag", w.CTL, w.frame(w.PUT, w.put(b"key", b"v", flags=8)), errno.EINVAL),
    ("create and replace", w.CTL, w.frame(w.PUT, w.put(b"key", b"v", flags=w.CREATE | w.REPLACE)), errno.EINVAL),
    ("create and match", w.CTL, w.frame(w.PUT, w.put(b"key", b"v", flags=w.CREATE | w.MATCH, revision=1)),
     errno.EINVAL),
    ("revision without match", w.CTL, w.frame(w.PUT, w.put(b"key", b"v", revision=1)), errno.EINVAL),
    ("key of 0 bytes", w.CTL, w.frame(w.PUT, w.put(b"", b"v")), errno.EINVAL),
    ("key of 33 bytes", w.CTL, w.frame(w.PUT, w.put(b"k" * 32, b"v", key_len=33)), errno.EINVAL),
    ("key of 65535 bytes", w.CTL, w.frame(w.PUT, w.put(b"k", b"v", key_len=0xFFFF)), errno.EINVAL),
    ("bytes after the key", w.CTL, w.frame(w.PUT, w.put(b"key!", b"v", key_len=3)), errno.EINVAL),
    ("value of 129 bytes", w.CTL, w.frame(w.PUT, w.put(b"key", b"v" * 128, value_len=129)), errno.EINVAL),
    ("bytes after the value", w.CTL, w.frame(w.PUT, w.put(b"key", b"va", value_len=1)), errno.EINVAL),
    ("del of 0 bytes", w.CTL, w.frame(w.DEL, w.key(b"")), errno.EINVAL),
    ("del with reserved set", w.CTL, w.frame(w.DEL, w.key(b"key", reserved=1)), errno.EINVAL),
    ("del of a missing key", w.CTL, w.frame(w.DEL, w.key(b"nothing")), errno.ENOENT),
    ("message of 65 bytes", w.MSG, b"m" * 65, errno.EINVAL),
    ("message of a page", w.MSG, b"m" * 4096, errno.EINVAL),
]


@pytest.mark.parametrize("option, data, err", [c[1:] for c in SET_REFUSED], ids=[c[0] for c in SET_REFUSED])
def test_bad_set_requests_change_nothing(store, option, data, err):
    store.put(b"key", b"value")
    store.set_message(b"message")
    before = snapshot(store)
    assert set_errno(option, data) == err
    assert snapshot(store) == before


GET_KEY = w.frame(w.GET, w.key(b"key"))

GET_REFUSED = [
    # (what, option, request, buffer size, errno)
    ("no buffer", w.CTL, b"", 0, errno.EINVAL),
    ("half a header", w.CTL, GET_KEY[:4], 4, errno.EINVAL),
    ("a header one byte short", w.CTL, GET_KEY[:7], 7, errno.EINVAL),
    ("payload beyond the buffer", w.CTL, GET_KEY[:-1], len(GET_KEY) - 1, errno.EINVAL),
    ("header counts 4 GiB", w.CTL, w.frame(w.GET, w.key(b"key"), length=0xFFFFFFFF), 4096, errno.EINVAL),
    ("payload one byte short", w.CTL, w.frame(w.GET, w.key(b"key")[:-1]), 4096, errno.EINVAL),
    ("info with a payload", w.CTL, w.frame(w.INFO, b"\0"), 4096, errno.EINVAL),
    ("room for the request, not the reply", w.CTL, GET_KEY, len(GET_KEY), errno.ERANGE),
    ("reply one byte too big", w.CTL, GET_KEY, 8 + 168 - 1, errno.ERANGE),
    ("info in a header's room", w.CTL, w.frame(w.INFO), 8, errno.ERANGE),
    ("list of 2 with room for 1", w.CTL, w.frame(w.LIST, w.list_request(2)), 16 + 168, errno.ERANGE),
    ("version 0", w.CTL, w.frame(w.INFO, version=0), 4096, errno.EPROTONOSUPPORT),
    ("version 65535", w.CTL, w.frame(w.GET, w.key(b"key"), version=0xFFFF), 4096, errno.EPROTONOSUPPORT),
    ("command 0", w.CTL, w.frame(0), 4096, errno.EOPNOTSUPP),
    ("command 9", w.CTL, w.frame(9), 4096, errno.EOPNOTSUPP),
    ("put is a set command", w.CTL, w.frame(w.PUT, PUT_KV), 4096, errno.EOPNOTSUPP),
    ("del is a set command", w.CTL, w.frame(w.DEL, w.key(b"key")), 4096, errno.EOPNOTSUPP),
    ("flush is a set command", w.CTL, w.frame(w.FLUSH), 4096, errno.EOPNOTSUPP),
    ("get of 0 bytes", w.CTL, w.frame(w.GET, w.key(b"")), 4096, errno.EINVAL),
    ("get of 33 bytes", w.CTL, w.frame(w.GET, w.key(b"k" * 32, key_len=33)), 4096, errno.EINVAL),
    ("get with reserved set", w.CTL, w.frame(w.GET, w.key(b"key", reserved=0x8000)), 4096, errno.EINVAL),
    ("get with bytes after the key", w.CTL, w.frame(w.GET, w.key(b"key\0x", key_len=3)), 4096, errno.EINVAL),
    ("get of a missing key", w.CTL, w.frame(w.GET, w.key(b"nothing")), 4096, errno.ENOENT),
    ("list from a 33-byte key", w.CTL, w.frame(w.LIST, w.list_request(1, b"k" * 32, key_len=33)), 4096,
     errno.EINVAL),
    ("list with reserved set", w.CTL, w.frame(w.LIST, w.list_request(1, reserved=1)), 4096, errno.EINVAL),
    ("message into less room than it has", w.MSG, b"", 6, errno.ERANGE),
]


@pytest.mark.parametrize("option, request_, size, err", [c[1:] for c in GET_REFUSED], ids=[c[0] for c in GET_REFUSED])
def test_bad_get_requests_are_refused_and_leave_the_buffer(store, option, request_, size, err):
    store.put(b"key", b"value")
    store.set_message(b"message")
    before = snapshot(store)
    assert get_call(option, request_, size) == (err, None, request_ + pad(size - len(request_)))
    assert snapshot(store) == before


@pytest.mark.parametrize("option", [w.MSG, w.CTL])
@pytest.mark.parametrize("length", [-1, -(1 << 31)])
def test_negative_lengths(store, option, length):
    buf = bytearray(64)
    assert vmtest.raw_getsockopt(fd(), IPPROTO_IP, option, vmtest.ctypes.addressof(
        (vmtest.ctypes.c_char * 64).from_buffer(buf)), length) == (errno.EINVAL, length)
    assert buf == bytearray(64)


@pytest.mark.parametrize("address", [0, 1, 0xFFFF_8000_0000_0000])
def test_bad_addresses_fault_cleanly(store, address):
    store.set_message(b"m")
    before = snapshot(store)
    for option in (w.MSG, w.CTL):
        assert vmtest.raw_setsockopt(fd(), IPPROTO_IP, option, address, 16) == errno.EFAULT
        assert vmtest.raw_getsockopt(fd(), IPPROTO_IP, option, address, 256)[0] == errno.EFAULT
    assert snapshot(store) == before


def test_options_outside_the_range_are_not_the_modules(store):
    for option in (w.BASE - 1, w.BASE + 2):
        assert set_errno(option, b"x") == errno.ENOPROTOOPT
        assert get_call(option, b"", 64)[0] == errno.ENOPROTOOPT
    # Registered for PF_INET only: an IPv6 socket does not reach it.
    with pytest.raises(KernelError) as info:
        custom.get_option(w.MSG, b"", 64, AF_INET6)
    assert info.value.errno == errno.ENOPROTOOPT


ANSWERS = {0, errno.EINVAL, errno.EPROTONOSUPPORT, errno.EOPNOTSUPP, errno.ENOENT, errno.EEXIST,
           errno.EAGAIN, errno.ENOSPC, errno.ERANGE}


def test_any_bytes_of_any_length_get_an_answer(store):
    """Two thousand random requests, framed and not: each gets an answer, and the store stays whole."""
    rng = random.Random(20240606)
    seen = set()
    for _ in range(2000):
        option = rng.choice((w.MSG, w.CTL))
        body = rng.randbytes(rng.choice((0, 1, 4, 8, 36, 40, 172, rng.randrange(300), 1000)))
        if rng.random() < 0.6:
            command = rng.choice((0, w.INFO, w.GET, w.LIST, w.PUT, w.DEL, w.FLUSH, 7, rng.randrange(1 << 16)))
            version = 1 if rng.random() < 0.8 else rng.randrange(1 << 16)
            length = len(body) if rng.random() < 0.7 else rng.randrange(1 << 32)
            body = w.frame(command, body, version, length)
        if rng.random() < 0.5:
            err = set_errno(option, body)
        else:
            err = get_call(option, body, rng.choice((len(body), rng.randrange(600), 4096)))[0]
        assert err in ANSWERS, errno.errorcode.get(err, err)
        seen.add(err)
    assert {0, errno.EINVAL, errno.EPROTONOSUPPORT, errno.EOPNOTSUPP} <= seen
    records = store.records()
    assert store.info().records == len(records)
    assert [r.key for r in records] == sorted(r.key for r in records)
