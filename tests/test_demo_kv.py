"""sockctl_kv's client without the module: encoding against the header's layout, decoding, paging, retries."""

import errno

import pytest
from hypothesis import given, strategies as st

import kvwire as w
from sockctl import demo_kv
from sockctl.abi import sockctl_kv as abi
from sockctl.demo_kv import KvInfo, KvRecord
from sockctl.errors import DecodeError, InputError, KernelError, kernel_error

KEYS = st.binary(min_size=1, max_size=32)
VALUES = st.binary(max_size=128)


@pytest.mark.parametrize("args, kwargs, wire", [
    ((b"k", b"v"), {}, w.put(b"k", b"v")),
    ((b"k" * 32, b"v" * 128), {}, w.put(b"k" * 32, b"v" * 128)),
    ((b"\0", b""), {"create": True}, w.put(b"\0", b"", flags=w.CREATE)),
    ((b"k", b"v"), {"replace": True}, w.put(b"k", b"v", flags=w.REPLACE)),
    ((b"k", b"v"), {"revision": 7}, w.put(b"k", b"v", flags=w.MATCH, revision=7)),
    ((b"k", b"v"), {"replace": True, "revision": 2**32 - 1},
     w.put(b"k", b"v", flags=w.REPLACE | w.MATCH, revision=2**32 - 1)),
])
def test_encode_put(args, kwargs, wire):
    assert bytes(demo_kv.encode_put(*args, **kwargs)) == wire


@pytest.mark.parametrize("args, kwargs, message", [
    ((b"", b"v"), {}, "must be 1 to 32 bytes"),
    ((b"k" * 33, b"v"), {}, "must be 1 to 32 bytes"),
    ((b"k", b"v" * 129), {}, "at most 128 bytes, not 129"),
    ((b"k", b"v"), {"create": True, "replace": True}, "cannot be combined"),
    ((b"k", b"v"), {"create": True, "revision": 1}, "cannot be combined"),
    ((b"k", b"v"), {"revision": 0}, "revision 0 is out of range"),
    ((b"k", b"v"), {"revision": 2**32}, "out of range"),
])
def test_encode_put_refuses(args, kwargs, message):
    with pytest.raises(InputError) as info:
        demo_kv.encode_put(*args, **kwargs)
    assert message in str(info.value)


def test_encode_key_and_list():
    assert bytes(demo_kv.encode_key(b"abc")) == w.key(b"abc")
    assert bytes(demo_kv.encode_list(b"", 5)) == w.list_request(5)
    assert bytes(demo_kv.encode_list(b"after", 1024)) == w.list_request(1024, b"after")
    with pytest.raises(InputError):
        demo_kv.encode_key(b"")


@given(KEYS, VALUES, st.integers(0, 2**32 - 1))
def test_records_round_trip(key, value, revision):
    rec = abi.sockctl_kv_record.from_buffer_copy(w.record(key, value, revision))
    assert demo_kv.decode_record(rec) == KvRecord(key, value, revision)
    put = bytes(demo_kv.encode_put(key, value))
    assert put == w.put(key, value)


@pytest.mark.parametrize("wire, offset", [
    (w.record(b"", b"v", 1), 4),  # no key
    (w.record(b"k" * 32, b"v", 1, key_len=33), 4),
    (w.record(b"k", b"v" * 128, 1, value_len=129), 6),
    (w.record(b"k", b"v", 1, value_len=0xFFFF), 6),
])
def test_corrupted_records_are_decode_errors(wire, offset):
    with pytest.raises(DecodeError) as info:
        demo_kv.decode_record(abi.sockctl_kv_record.from_buffer_copy(wire))
    assert info.value.offset == offset


@given(st.binary(min_size=168, max_size=168))
def test_any_record_bytes_decode_or_say_why(data):
    try:
        record = demo_kv.decode_record(abi.sockctl_kv_record.from_buffer_copy(data))
    except DecodeError:
        return
    assert 1 <= len(record.key) <= 32 and len(record.value) <= 128


class Scripted(demo_kv.Store):
    """A Store whose kernel is a script: replies to gets, errors to raise, in order."""

    def __init__(self, *script, base=None):
        super().__init__(base)
        self.sent, self.script = [], list(script)

    def _answer(self, sent):
        self.sent.append(sent)
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return step

    def set_option(self, offset, data, call, target=None):
        self._answer((self.base + offset, data))

    def get_option(self, offset, request, size, call, target=None):
        return self._answer((self.base + offset, request, size))


def test_store_requests():
    store = Scripted(None, None, None, w.frame(w.GET, w.record(b"k", b"v", 2)),
                     w.frame(w.INFO, w.INFO_REPLY.pack(1, 1000, 1, 1024, 32, 128, 0, 64)), None, b"hi", base=1000)
    store.put(b"k", b"v", create=True)
    store.delete(b"k")
    store.flush()
    assert store.get(b"k") == KvRecord(b"k", b"v", 2)
    assert store.info() == KvInfo(1, 1000, 1, 1024, 32, 128, 0, 64)
    store.set_message(b"hi")
    assert store.message() == b"hi"
    assert store.sent == [
        (1001, w.frame(w.PUT, w.put(b"k", b"v", flags=w.CREATE))),
        (1001, w.frame(w.DEL, w.key(b"k"))),
        (1001, w.frame(w.FLUSH)),
        (1001, w.frame(w.GET, w.key(b"k")), 8 + 168),
        (1001, w.frame(w.INFO), 8 + 32),
        (1000, b"hi"),
        (1000, b"", 64),
    ]


def test_records_page_after_the_last_key():
    recs = [w.record(bytes([c]), b"", 1) for c in b"abcde"]
    store = Scripted(*(w.frame(w.LIST, w.list_reply(5, page)) for page in (recs[:2], recs[2:4], recs[4:])))
    assert [r.key for r in store.records(page=2)] == [b"a", b"b", b"c", b"d", b"e"]
    size = 8 + 8 + 2 * 168
    assert store.sent == [(129, w.frame(w.LIST, w.list_request(2, start)), size) for start in (b"", b"b", b"d")]
    with pytest.raises(InputError):
        store.records(page=0)


def test_a_corrupted_listing_is_a_decode_error():
    bad = w.frame(w.LIST, w.COUNTS.pack(1, 1) + w.record(b"k", b"v", 1, key_len=40))
    with pytest.raises(DecodeError):
        Scripted(bad).records()


def test_update_retries_until_its_change_goes_through():
    changed = KernelError(errno.EAGAIN, "put", "key 'n'")
    store = Scripted(
        w.frame(w.GET, w.record(b"n", b"1", 3)), changed,  # someone put revision 4 meanwhile
        w.frame(w.GET, w.record(b"n", b"5", 4)), None)
    assert store.update(b"n", lambda v: b"%d" % (int(v) + 1)) == KvRecord(b"n", b"5", 4)
    assert store.sent[1] == (129, w.frame(w.PUT, w.put(b"n", b"2", flags=w.MATCH, revision=3)))
    assert store.sent[3] == (129, w.frame(w.PUT, w.put(b"n", b"6", flags=w.MATCH, revision=4)))


def test_update_creates_a_missing_key_and_gives_up_in_time():
    store = Scripted(kernel_error(errno.ENOENT, "get"), None)
    assert store.update(b"n", lambda v: b"first" if v is None else v) is None
    assert store.sent[1] == (129, w.frame(w.PUT, w.put(b"n", b"first", flags=w.CREATE)))
    store = Scripted(*[kernel_error(errno.ENOENT, "get"), kernel_error(errno.EEXIST, "put")] * 3)
    with pytest.raises(KernelError) as info:
        store.update(b"n", lambda v: b"x", attempts=3)
    assert info.value.errno == errno.EAGAIN and "still changing after 3 attempts" in str(info.value)
