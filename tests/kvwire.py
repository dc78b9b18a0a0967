"""sockctl_kv's wire format written out with struct, from kmod/include/sockctl_kv.h.

Independent of sockctl's ctypes declarations, so tests can check those (and
the module) against the header's own description. Native byte order, as the
module reads it.
"""

import struct

BASE = 128
MSG, CTL = BASE, BASE + 1  # SOCKCTL_KV_SO_MSG, SOCKCTL_KV_SO_CTL
INFO, GET, LIST, PUT, DEL, FLUSH = 1, 2, 3, 4, 5, 6
CREATE, REPLACE, MATCH = 1, 2, 4

HDR = struct.Struct("=HHI")  # version, command, length
KEY = struct.Struct("=HH32s")  # key_len, reserved, key
RECORD = struct.Struct("=IHH32s128s")  # revision, key_len, value_len, key, value
COUNTS = struct.Struct("=II")  # total, count
INFO_REPLY = struct.Struct("=8I")


def frame(command: int, payload: bytes = b"", version: int = 1, length: int | None = None) -> bytes:
    return HDR.pack(version, command, len(payload) if length is None else length) + payload


def key(name: bytes, key_len: int | None = None, reserved: int = 0) -> bytes:
    return KEY.pack(len(name) if key_len is None else key_len, reserved, name)


def record(name: bytes, value: bytes, revision: int = 0, key_len: int | None = None,
           value_len: int | None = None) -> bytes:
    return RECORD.pack(revision, len(name) if key_len is None else key_len,
                       len(value) if value_len is None else value_len, name, value)


def put(name: bytes, value: bytes, flags: int = 0, revision: int = 0, **lengths) -> bytes:
    return struct.pack("=I", flags) + record(name, value, revision, **lengths)


def list_request(max_records: int, start: bytes = b"", **fields) -> bytes:
    return struct.pack("=I", max_records) + key(start, **fields)


def list_reply(total: int, records: list[bytes]) -> bytes:
    return COUNTS.pack(total, len(records)) + b"".join(records)
