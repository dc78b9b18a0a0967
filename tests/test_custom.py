"""The generic client layer: frames both ways, and declared commands turned into the right calls (no kernel)."""

import ctypes

import pytest
from hypothesis import given, settings, strategies as st

import kvwire as w
from sockctl import custom
from sockctl.abi import sockctl_kv as abi
from sockctl.errors import DecodeError, InputError

HDR = abi.sockctl_kv_hdr


@pytest.mark.parametrize("command, payload, wire", [
    (w.FLUSH, b"", w.frame(w.FLUSH)),
    (w.DEL, w.key(b"k"), w.frame(w.DEL, w.key(b"k"))),
    (0xFFFF, b"\xff" * 3, w.HDR.pack(1, 0xFFFF, 3) + b"\xff" * 3),
])
def test_encode_frame(command, payload, wire):
    assert custom.encode_frame(HDR, 1, command, payload) == wire


RECORD = w.record(b"k", b"v", 3)


@pytest.mark.parametrize("wire, reply, items, expected", [
    (w.frame(w.GET, RECORD), abi.sockctl_kv_record, None, (bytes(abi.sockctl_kv_record.from_buffer_copy(RECORD)), [])),
    (w.frame(w.FLUSH), None, None, (None, [])),
    (w.frame(w.LIST, w.list_reply(9, [RECORD, RECORD])), abi.sockctl_kv_list, abi.sockctl_kv_record,
     (w.COUNTS.pack(9, 2), [RECORD, RECORD])),
    (w.frame(w.LIST, w.list_reply(0, [])), abi.sockctl_kv_list, abi.sockctl_kv_record, (w.COUNTS.pack(0, 0), [])),
])
def test_decode_frame(wire, reply, items, expected):
    command = w.HDR.unpack_from(wire)[1]
    got, found = custom.decode_frame(HDR, 1, command, wire, reply, items)
    assert (None if got is None else bytes(got), [bytes(i) for i in found]) == expected


@pytest.mark.parametrize("wire, reply, items, message, offset", [
    (b"", None, None, "shorter than its 8-byte header", 0),
    (w.frame(w.GET, RECORD)[:7], abi.sockctl_kv_record, None, "shorter than its 8-byte header", 0),
    (w.frame(w.GET, RECORD, version=2), abi.sockctl_kv_record, None, "protocol version 2, not 1", 0),
    (w.frame(w.INFO, RECORD), abi.sockctl_kv_record, None, "for command 1, not 2", 2),
    (w.frame(w.GET, RECORD, length=169), abi.sockctl_kv_record, None, "counts 169 bytes after it, but 168 came", 4),
    (w.frame(w.GET, RECORD)[:-1], abi.sockctl_kv_record, None, "counts 168 bytes after it, but 167 came", 4),
    (w.frame(w.GET, RECORD[:-1]), abi.sockctl_kv_record, None, "167 bytes is too short for 168", 8),
    (w.frame(w.GET, RECORD + b"\0"), abi.sockctl_kv_record, None, "1 bytes of reply left over", 176),
    (w.frame(w.LIST, w.list_reply(1, [RECORD]) + b"\0"), abi.sockctl_kv_list, abi.sockctl_kv_record,
     "169 bytes of reply left over", 16),
    (w.frame(w.LIST, w.COUNTS.pack(3, 2) + RECORD), abi.sockctl_kv_list, abi.sockctl_kv_record,
     "says 2 entries follow, but 1 came", 8),
])
def test_decode_frame_refuses_what_does_not_parse(wire, reply, items, message, offset):
    command = w.GET if reply is abi.sockctl_kv_record else w.LIST
    with pytest.raises(DecodeError) as info:
        custom.decode_frame(HDR, 1, command, wire, reply, items)
    assert message in str(info.value) and info.value.offset == offset


@settings(max_examples=300)
@given(st.binary(max_size=600))
def test_decode_frame_on_any_bytes_decodes_or_says_why(data):
    for reply, items in ((abi.sockctl_kv_record, None), (abi.sockctl_kv_list, abi.sockctl_kv_record), (None, None)):
        try:
            custom.decode_frame(HDR, 1, w.LIST, data, reply, items)
        except DecodeError:
            pass


@given(st.lists(st.binary(min_size=168, max_size=168), max_size=5), st.integers(0, 2**32 - 1))
def test_frames_round_trip(records, total):
    body = w.list_reply(total, records)
    reply, found = custom.decode_frame(HDR, 1, w.LIST, custom.encode_frame(HDR, 1, w.LIST, body),
                                       abi.sockctl_kv_list, abi.sockctl_kv_record)
    assert (reply.total, reply.count, [bytes(r) for r in found]) == (total, len(records), records)


class Recording(custom.SockoptClient):
    """A client whose options are a log of what would be sent, and canned replies."""

    module = "demo"
    base = 500
    header, version = HDR, 1
    reasons = {}

    raw_set = custom.SetOption(0, bytes, max_size=4)
    raw_get = custom.GetOption(0, bytes, size=16)
    struct_set = custom.SetOption(1, abi.sockctl_kv_key)
    struct_get = custom.GetOption(1, abi.sockctl_kv_info, request=abi.sockctl_kv_key)
    _drop = custom.SetCommand(2, 9)
    fetch = custom.GetCommand(2, 8, request=abi.sockctl_kv_key, reply=abi.sockctl_kv_info)

    def __init__(self, *replies):
        super().__init__()
        self.sent, self.replies = [], list(replies)

    def set_option(self, offset, data, call, target=None):
        self.sent.append((self.base + offset, data, call, target))

    def get_option(self, offset, request, size, call, target=None):
        self.sent.append((self.base + offset, request, size, call, target))
        return self.replies.pop(0)


INFO = w.INFO_REPLY.pack(*range(8))


def test_declared_options_become_methods():
    client = Recording(b"answer", INFO, w.frame(8, INFO))
    client.raw_set(b"abcd")
    assert client.raw_get(b"q") == b"answer"
    client.struct_set(abi.sockctl_kv_key(key_len=1), target="one")
    assert bytes(client.struct_get(abi.sockctl_kv_key(key_len=2))) == INFO
    client._drop()
    assert bytes(client.fetch(abi.sockctl_kv_key(key_len=3))) == INFO
    assert client.sent == [
        (500, b"abcd", "raw_set", None),
        (500, b"q", 16, "raw_get", None),
        (501, w.key(b"", key_len=1), "struct_set", "one"),
        (501, w.key(b"", key_len=2), 32, "struct_get", None),
        (502, w.frame(9), "drop", None),
        (502, w.frame(8, w.key(b"", key_len=3)), 8 + 32, "fetch", None),
    ]


def test_wrong_values_are_refused_before_sending():
    client = Recording()
    with pytest.raises(InputError):
        client.raw_set(b"abcde")  # more than max_size
    with pytest.raises(TypeError):
        client.struct_set(b"not a structure")
    with pytest.raises(TypeError):
        client._drop(abi.sockctl_kv_key())  # takes no value
    with pytest.raises(TypeError):
        client.fetch()  # needs one
    assert client.sent == []
    with pytest.raises(InputError):
        custom.SockoptClient(base=-1)


def test_replies_of_the_wrong_size_are_decode_errors():
    with pytest.raises(DecodeError):
        Recording(INFO[:-1]).struct_get(abi.sockctl_kv_key())
    with pytest.raises(DecodeError) as info:
        Recording(w.frame(7, INFO)).fetch(abi.sockctl_kv_key())
    assert str(info.value).startswith("demo: fetch: reply is for command 7, not 8")


class Board(custom.DeviceClient):
    module = "board"
    poke = custom.PrivateIoctl(3, abi.sockctl_kv_hdr, custom.TO_KERNEL)
    peek = custom.PrivateIoctl(4, abi.sockctl_kv_hdr, custom.FROM_KERNEL)
    swap = custom.PrivateIoctl(15, abi.sockctl_kv_hdr, custom.BOTH)

    def private_ioctl(self, number, buf, call):
        self.seen = (number, bytes(buf), call)
        ctypes.memmove(ctypes.addressof(buf), w.HDR.pack(7, 8, 9), 8)  # what a driver would write back


def test_private_ioctls_by_direction():
    board = Board("eth0")
    value = abi.sockctl_kv_hdr(version=1, command=2, length=3)
    assert board.poke(value) is None
    assert board.seen == (3, w.HDR.pack(1, 2, 3), "poke")
    assert bytes(board.peek()) == w.HDR.pack(7, 8, 9)
    assert board.seen == (4, bytes(8), "peek")
    assert bytes(board.swap(value, call="exchange")) == w.HDR.pack(7, 8, 9)
    assert board.seen == (15, w.HDR.pack(1, 2, 3), "exchange")
    assert bytes(value) == w.HDR.pack(1, 2, 3)  # the caller's value is not written into
    with pytest.raises(TypeError):
        board.poke()
    with pytest.raises(TypeError):
        board.peek(value)


def test_bad_declarations_and_names():
    with pytest.raises(ValueError):
        custom.PrivateIoctl(16, abi.sockctl_kv_hdr, custom.BOTH)
    with pytest.raises(ValueError):
        custom.PrivateIoctl(0, abi.sockctl_kv_hdr, 0)
    with pytest.raises(ValueError):
        custom.GetOption(0, bytes)  # a bytes reply needs a size
    with pytest.raises(InputError):
        Board("a-name-too-long-for-ifnamsiz")
    with pytest.raises(InputError):
        custom.get_option(1, family=17)
