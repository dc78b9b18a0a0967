"""The sockctl_kv demo module (kmod/sockctl_kv.c): a message and key/value records on socket options.

    store = demo_kv.Store()                # the module's default base, 128
    store.put(b"colour", b"blue")
    store.get(b"colour")                   # KvRecord(key=b'colour', value=b'blue', revision=1)
    store.update(b"hits", lambda v: b"%d" % (int(v or 0) + 1))   # read, change, put if unchanged

State is per network namespace: a Store works in the namespace its calls are
made in (``sockctl.netns``). The ``encode_*`` and ``decode_*`` functions are
the pure halves, checked without the module: keys and values of a wrong size
raise InputError before anything is sent, records that do not parse
DecodeError.
"""

import errno

from sockctl import custom
from sockctl.abi import sockctl_kv as abi
from sockctl.errors import DecodeError, InputError, KernelError
from sockctl.record import Record


class KvRecord(Record):
    """One record of the store."""

    key: bytes
    value: bytes
    revision: int  # bumped by every put of the key; starts at 1


class KvInfo(Record):
    """The module's limits and the namespace's use of them."""

    version: int
    base: int
    records: int
    max_records: int
    key_max: int
    value_max: int
    msg_len: int
    msg_max: int


# ---- encoding (pure) ----

def _fill(array, data: bytes) -> None:
    array[:len(data)] = data


def encode_key(key: bytes, empty_ok: bool = False) -> abi.sockctl_kv_key:
    """A sockctl_kv_key; a key is 1 to 32 bytes (0 only where EMPTY_OK: the start of a listing)."""
    key = bytes(key)
    if len(key) > abi.SOCKCTL_KV_KEY_MAX or (not key and not empty_ok):
        raise InputError(f"key {key!r} must be 1 to {abi.SOCKCTL_KV_KEY_MAX} bytes long")
    out = abi.sockctl_kv_key(key_len=len(key))
    _fill(out.key, key)
    return out


def encode_put(key: bytes, value: bytes, create: bool = False, replace: bool = False,
               revision: int | None = None) -> abi.sockctl_kv_put:
    """A sockctl_kv_put. CREATE: only a new key; REPLACE: only an existing one;
    REVISION: only if the record is still at that revision."""
    value = bytes(value)
    if len(value) > abi.SOCKCTL_KV_VALUE_MAX:
        raise InputError(f"a value is at most {abi.SOCKCTL_KV_VALUE_MAX} bytes, not {len(value)}")
    if create and (replace or revision is not None):
        raise InputError("create cannot be combined with replace or a revision")
    if revision is not None and not 1 <= revision <= 0xFFFFFFFF:
        raise InputError(f"revision {revision} is out of range (1-4294967295)")
    flags = ((abi.SOCKCTL_KV_PUT_CREATE if create else 0) | (abi.SOCKCTL_KV_PUT_REPLACE if replace else 0)
             | (abi.SOCKCTL_KV_PUT_MATCH if revision is not None else 0))
    k = encode_key(key)
    out = abi.sockctl_kv_put(flags=flags)
    out.record.revision = revision or 0
    out.record.key_len = k.key_len
    out.record.value_len = len(value)
    out.record.key = k.key
    _fill(out.record.value, value)
    return out


def encode_list(start: bytes, max_records: int) -> abi.sockctl_kv_list_req:
    """A LIST request: up to MAX_RECORDS records with keys after START (b"": from the first)."""
    return abi.sockctl_kv_list_req(max=max_records, start=encode_key(start, empty_ok=True))


def decode_record(rec: abi.sockctl_kv_record) -> KvRecord:
    """A KvRecord from the module's struct; lengths out of range raise DecodeError."""
    if not 1 <= rec.key_len <= abi.SOCKCTL_KV_KEY_MAX:
        raise DecodeError(f"record with a key of {rec.key_len} bytes", abi.sockctl_kv_record.key_len.offset)
    if rec.value_len > abi.SOCKCTL_KV_VALUE_MAX:
        raise DecodeError(f"record with a value of {rec.value_len} bytes", abi.sockctl_kv_record.value_len.offset)
    return KvRecord(bytes(rec.key[:rec.key_len]), bytes(rec.value[:rec.value_len]), rec.revision)


def decode_info(info: abi.sockctl_kv_info) -> KvInfo:
    return KvInfo(*(getattr(info, name) for name, _ in abi.sockctl_kv_info._fields_))


# ---- the client ----

class Store(custom.SockoptClient):
    """sockctl_kv's socket options, from option number BASE (the module parameter ``base``)."""

    module = "sockctl_kv"
    base = abi.SOCKCTL_KV_BASE_DEFAULT
    header = abi.sockctl_kv_hdr
    version = abi.SOCKCTL_KV_VERSION

    set_message = custom.SetOption(abi.SOCKCTL_KV_SO_MSG, bytes, max_size=abi.SOCKCTL_KV_MSG_MAX)
    message = custom.GetOption(abi.SOCKCTL_KV_SO_MSG, bytes, size=abi.SOCKCTL_KV_MSG_MAX)
    _put = custom.SetCommand(abi.SOCKCTL_KV_SO_CTL, abi.SOCKCTL_KV_CMD_PUT, abi.sockctl_kv_put)
    _delete = custom.SetCommand(abi.SOCKCTL_KV_SO_CTL, abi.SOCKCTL_KV_CMD_DEL, abi.sockctl_kv_key)
    flush = custom.SetCommand(abi.SOCKCTL_KV_SO_CTL, abi.SOCKCTL_KV_CMD_FLUSH)
    _info = custom.GetCommand(abi.SOCKCTL_KV_SO_CTL, abi.SOCKCTL_KV_CMD_INFO, reply=abi.sockctl_kv_info)
    _get = custom.GetCommand(abi.SOCKCTL_KV_SO_CTL, abi.SOCKCTL_KV_CMD_GET,
                             request=abi.sockctl_kv_key, reply=abi.sockctl_kv_record)
    _list = custom.GetCommand(abi.SOCKCTL_KV_SO_CTL, abi.SOCKCTL_KV_CMD_LIST, request=abi.sockctl_kv_list_req,
                              reply=abi.sockctl_kv_list, items=abi.sockctl_kv_record)

    # set_message(data) and message() are the seed's exchange as declared:
    # `sockctl demo kv message TEXT` and `sockctl demo kv message`.
    # flush() drops every record: `sockctl demo kv flush`.

    def info(self) -> KvInfo:
        """The module's limits and this namespace's use of them: `sockctl demo kv info`."""
        return decode_info(self._info())

    def put(self, key: bytes, value: bytes, *, create: bool = False, replace: bool = False,
            revision: int | None = None) -> None:
        """Store a record: `sockctl demo kv put [--create|--replace|--revision N] KEY VALUE`.

        Raises AlreadyExists (CREATE), NotFound (REPLACE, REVISION), KernelError
        with errno EAGAIN when the record is no longer at REVISION.
        """
        self._put(encode_put(key, value, create, replace, revision), target=_name(key))

    def get(self, key: bytes) -> KvRecord:
        """The record of KEY (NotFound if none): `sockctl demo kv get KEY`."""
        return decode_record(self._get(encode_key(key), target=_name(key)))

    def delete(self, key: bytes) -> None:
        """Remove the record of KEY (NotFound if none): `sockctl demo kv del KEY`."""
        self._delete(encode_key(key), target=_name(key))

    def records(self, page: int = 64) -> list[KvRecord]:
        """Every record in key order, PAGE at a time: `sockctl demo kv list`.

        Pages continue after the last key seen, so a record added or removed
        meanwhile is missed or shown, never another shown twice.
        """
        if not 1 <= page <= abi.SOCKCTL_KV_MAX_RECORDS:
            raise InputError(f"page size {page} is out of range (1-{abi.SOCKCTL_KV_MAX_RECORDS})")
        found: list[KvRecord] = []
        start = b""
        while True:
            _, entries = self._list(encode_list(start, page), capacity=page)
            found.extend(decode_record(e) for e in entries)
            if len(entries) < page:
                return found
            start = found[-1].key

    def update(self, key: bytes, change, attempts: int = 1000) -> KvRecord | None:
        """Read KEY's value, put CHANGE(value or None) unless someone else changed it first; retried.

        The optimistic read-modify-write a control plane needs: no update is
        lost however many callers race. Returns the record as read before the
        change that went through (None if KEY was new).
        """
        for _ in range(attempts):
            try:
                current = self.get(key)
            except FileNotFoundError:
                current = None
            new = change(None if current is None else current.value)
            try:
                if current is None:
                    self.put(key, new, create=True)
                else:
                    self.put(key, new, revision=current.revision)
                return current
            except FileExistsError:
                continue  # created meanwhile
            except FileNotFoundError:
                continue  # deleted meanwhile
            except KernelError as exc:
                if exc.errno != errno.EAGAIN:
                    raise
        raise KernelError(errno.EAGAIN, "update", _name(key), f"still changing after {attempts} attempts")


def _name(key: bytes) -> str:
    return "key " + repr(bytes(key))[1:]
