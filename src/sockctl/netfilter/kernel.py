"""The netfilter socket options of ip_tables and ip6_tables: read, replace, add counters, ask revisions.

All of it goes through ``sockctl.channel`` on a raw socket of the family
(which needs CAP_NET_RAW to open and CAP_NET_ADMIN to use). Tables live in
the current network namespace; the kernel creates a built-in table on its
first use there, as iptables relies on.
"""

import errno
import struct
from itertools import chain

from sockctl import channel
from sockctl.abi import ip6_tables as ip6t, ip_tables as ipt
from sockctl.abi.families import AF_INET, AF_INET6, IPPROTO_IP, IPPROTO_IPV6, IPPROTO_RAW, SOCK_RAW
from sockctl.abi.x_tables import NFPROTO_IPV4, NFPROTO_IPV6, XT_TABLE_MAXNAMELEN
from sockctl.errors import InputError
from sockctl.netfilter import codec
from sockctl.record import Record

# ipt_getinfo: name, valid_hooks, hook_entry[5], underflow[5], num_entries, size
_GETINFO = struct.Struct("=32sI5I5III")
# ipt_get_entries: name, size, then (8-aligned) the entries
_GET_ENTRIES = struct.Struct("=32sI4x")
# ipt_replace: name, valid_hooks, num_entries, size, hook_entry[5], underflow[5], num_counters, counters
_REPLACE = struct.Struct("=32sIII5I5IIQ")
# xt_counters_info: name, num_counters, then (8-aligned) the counters
_COUNTERS_INFO = struct.Struct("=32sI4x")
_COUNTER = struct.Struct("=QQ")
_U64 = (1 << 64) - 1
# xt_get_revision
_REVISION = struct.Struct("=29sB")


class Family:
    """The socket options and names of one x_tables family."""

    def __init__(self, nfproto, af, level, prefix, names_file, info, entries, replace, add_counters,
                 rev_match, rev_target, program):
        self.nfproto = nfproto
        self.af = af
        self.level = level
        self.prefix = prefix
        self.names_file = names_file
        self.so_get_info = info
        self.so_get_entries = entries
        self.so_set_replace = replace
        self.so_set_add_counters = add_counters
        self.so_get_revision = {"match": rev_match, "target": rev_target}
        self.program = program

    def socket(self):
        return channel.control_socket(self.af, SOCK_RAW, IPPROTO_RAW)


IPV4 = Family(NFPROTO_IPV4, AF_INET, IPPROTO_IP, "IPT", "ip_tables_names",
              ipt.IPT_SO_GET_INFO, ipt.IPT_SO_GET_ENTRIES, ipt.IPT_SO_SET_REPLACE, ipt.IPT_SO_SET_ADD_COUNTERS,
              ipt.IPT_SO_GET_REVISION_MATCH, ipt.IPT_SO_GET_REVISION_TARGET, "iptables")
IPV6 = Family(NFPROTO_IPV6, AF_INET6, IPPROTO_IPV6, "IP6T", "ip6_tables_names",
              ip6t.IP6T_SO_GET_INFO, ip6t.IP6T_SO_GET_ENTRIES, ip6t.IP6T_SO_SET_REPLACE,
              ip6t.IP6T_SO_SET_ADD_COUNTERS, ip6t.IP6T_SO_GET_REVISION_MATCH, ip6t.IP6T_SO_GET_REVISION_TARGET,
              "ip6tables")
FAMILIES = {NFPROTO_IPV4: IPV4, NFPROTO_IPV6: IPV6}

_NO_TABLE = {errno.ENOENT: "no such table (or the kernel lacks its module)",
             errno.ENOPROTOOPT: "the kernel has no x_tables socket options for this family"}


class TableInfo(Record):
    """What SO_GET_INFO says about a table: its hooks, entry count and blob size."""

    name: str
    valid_hooks: int
    hook_entry: tuple
    underflow: tuple
    num_entries: int
    size: int


def _table_name(name: str) -> bytes:
    raw = name.encode("ascii", "replace")
    if not raw or len(raw) >= XT_TABLE_MAXNAMELEN or b"\0" in raw:
        raise InputError(f"table name {name!r} must be 1 to {XT_TABLE_MAXNAMELEN - 1} bytes")
    return raw


def table_names(family: Family) -> list[str]:
    """The tables of FAMILY this namespace has instantiated, in the kernel's order (iptables-save's)."""
    try:
        text = channel.proc_net(family.names_file)
    except FileNotFoundError:
        return []
    return [line.decode("ascii", "replace") for line in text.splitlines() if line]


def get_info(family: Family, name: str) -> TableInfo:
    """SO_GET_INFO: the geometry of table NAME."""
    buf = bytearray(_GETINFO.size)
    _GETINFO.pack_into(buf, 0, _table_name(name), 0, *([0] * 10), 0, 0)
    channel.getsockopt(family.socket(), family.level, family.so_get_info, buf,
                       f"{family.prefix}_SO_GET_INFO", f"table {name!r}", _NO_TABLE)
    fields = _GETINFO.unpack(buf)
    return TableInfo(name, fields[1], tuple(fields[2:7]), tuple(fields[7:12]), fields[12], fields[13])


def get_entries(family: Family, info: TableInfo) -> bytes:
    """SO_GET_ENTRIES: the table's blob; EAGAIN (as KernelError) when it changed size since INFO."""
    buf = bytearray(_GET_ENTRIES.size + info.size)
    _GET_ENTRIES.pack_into(buf, 0, _table_name(info.name), info.size)
    channel.getsockopt(family.socket(), family.level, family.so_get_entries, buf,
                       f"{family.prefix}_SO_GET_ENTRIES", f"table {info.name!r}", _NO_TABLE)
    return bytes(memoryview(buf)[_GET_ENTRIES.size:])


def read(family: Family, name: str, attempts: int = 10):
    """(TableInfo, blob) of table NAME read consistently: re-read while another writer changes it.

    EEXIST is retried too: the kernel creates a namespace's table on its first
    use, and two processes using it at once can see that race.
    """
    for attempt in range(attempts):
        try:
            info = get_info(family, name)
            return info, get_entries(family, info)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EEXIST) or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def read_table(family: Family, name: str):
    """(TableInfo, Table): table NAME decoded (``sockctl.netfilter.codec``)."""
    info, blob = read(family, name)
    return info, codec.decode_table(family.nfproto, name, info.valid_hooks, info.hook_entry, info.underflow,
                                    blob)


def replace(family: Family, info: TableInfo, encoded: codec.Encoded) -> list:
    """SO_SET_REPLACE: swap in ENCODED atomically; returns the old entries' final counters.

    INFO is the table as it was read: the kernel refuses (EAGAIN) when it
    has since changed its number of entries.
    """
    old = replace_packed(family, info, encoded)
    return list(_COUNTER.iter_unpack(memoryview(old)[:_COUNTER.size * info.num_entries]))


def replace_packed(family: Family, info: TableInfo, encoded: codec.Encoded) -> bytearray:
    """``replace``, the old counters as the kernel wrote them: a struct xt_counters per entry."""
    old = bytearray(_COUNTER.size * info.num_entries or _COUNTER.size)
    head = _REPLACE.pack(_table_name(info.name), info.valid_hooks, encoded.num_entries, len(encoded.blob),
                         *encoded.hook_entry, *encoded.underflow, info.num_entries, channel.address_of(old))
    channel.setsockopt(family.socket(), family.level, family.so_set_replace, head + encoded.blob,
                       f"{family.prefix}_SO_SET_REPLACE", f"table {info.name!r}", _REPLACE_REASONS)
    return old


_REPLACE_REASONS = {errno.EAGAIN: "the table changed while being edited, try again",
                    errno.ELOOP: "the chains jump in a loop",
                    errno.ENOENT: "the kernel knows no such table, match or target"}


def add_counters(family: Family, name: str, counters: list) -> None:
    """SO_SET_ADD_COUNTERS: add COUNTERS (one (packets, bytes) per entry, in order) to the table's."""
    try:  # one pack for the lot: a restore adds tens of thousands
        values = struct.pack(f"={2 * len(counters)}Q", *chain.from_iterable(counters))
    except struct.error:  # a negative difference: counters wrap at 64 bits, as in C
        values = b"".join([_COUNTER.pack(packets & _U64, nbytes & _U64) for packets, nbytes in counters])
    add_counters_packed(family, name, values)


def add_counters_packed(family: Family, name: str, values: bytes) -> None:
    """``add_counters`` of VALUES already packed, a struct xt_counters per entry."""
    head = _COUNTERS_INFO.pack(_table_name(name), len(values) // _COUNTER.size)
    channel.setsockopt(family.socket(), family.level, family.so_set_add_counters, head + values,
                       f"{family.prefix}_SO_SET_ADD_COUNTERS", f"table {name!r}")


_revisions: dict = {}


def has_revision(family: Family, kind: str, name: str, revision: int) -> bool:
    """Whether the kernel has revision REVISION of match or target NAME (GET_REVISION_MATCH/TARGET).

    Asked once per process, as iptables does when it loads an extension.
    """
    key = (family.nfproto, kind, name, revision)
    answer = _revisions.get(key)
    if answer is None:
        raw = name.encode("ascii", "replace")[:28]
        buf = bytearray(_REVISION.pack(raw, revision))
        option = family.so_get_revision[kind]
        try:
            channel.getsockopt(family.socket(), family.level, option, buf,
                               f"{family.prefix}_SO_GET_REVISION_{kind.upper()}", name)
            answer = True
        except OSError as exc:
            if exc.errno not in (errno.ENOENT, errno.EPROTONOSUPPORT, errno.ENOPROTOOPT):
                raise
            answer = False
        _revisions[key] = answer
    return answer


def has_extension(family: Family, kind: str, name: str) -> bool:
    """Whether the kernel has any revision of match or target NAME (asked for a revision no one has)."""
    key = (family.nfproto, kind, name, None)
    answer = _revisions.get(key)
    if answer is None:
        buf = bytearray(_REVISION.pack(name.encode("ascii", "replace")[:28], 255))
        try:
            channel.getsockopt(family.socket(), family.level, family.so_get_revision[kind], buf,
                               f"{family.prefix}_SO_GET_REVISION_{kind.upper()}", name)
            answer = True
        except OSError as exc:
            if exc.errno not in (errno.ENOENT, errno.EPROTONOSUPPORT, errno.ENOPROTOOPT):
                raise
            answer = exc.errno == errno.EPROTONOSUPPORT
        _revisions[key] = answer
    return answer
