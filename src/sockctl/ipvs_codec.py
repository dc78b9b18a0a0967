"""IPVS requests and answers as bytes: pure encoders and decoders, and the records they carry.

``Service`` and ``Dest`` describe a virtual service and a real server both
as requests (what ``ip_vs_service_user`` and ``ip_vs_dest_user`` carry) and
as the kernel lists them (``ip_vs_service_entry``, ``ip_vs_dest_entry``,
with counters and statistics). Listings decode first to rows, plain tuples
that a command formats without building a record per line, and the records
are made from the rows.

The socket options carry IPv4 only: an IPv6 address in a request is refused
here, before anything is sent, since the kernel would read its first four
bytes as an IPv4 address. IPv6 services are reachable through generic
netlink only.
"""

from __future__ import annotations

import struct
from operator import itemgetter

from sockctl.abi import ip_vs as abi
from sockctl.abi.families import IPPROTO_TCP, IPPROTO_UDP
from sockctl.errors import DecodeError, InputError
from sockctl.record import Record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from ipaddress import IPv4Address

IPPROTO_SCTP = 132  # linux/in.h; families.py keeps the ones sockets are opened with
PROTOCOLS = {IPPROTO_TCP: "TCP", IPPROTO_UDP: "UDP", IPPROTO_SCTP: "SCTP"}

# The flags a request may set; IP_VS_SVC_F_HASHED is the kernel's own state.
USER_FLAGS = (abi.IP_VS_SVC_F_PERSISTENT | abi.IP_VS_SVC_F_ONEPACKET | abi.IP_VS_SVC_F_SCHED1
              | abi.IP_VS_SVC_F_SCHED2 | abi.IP_VS_SVC_F_SCHED3)

NETLINK_ONLY = "IPv6 services and real servers are reachable only through generic netlink, not IPVS's socket options"

_ALL_ONES = b"\xff\xff\xff\xff"
_ZERO4 = bytes(4)


class Stats(Record):
    """Counters of a service or real server (``ip_vs_stats_user``): totals and per-second rates."""

    conns: int
    inpkts: int
    outpkts: int
    inbytes: int
    outbytes: int
    cps: int
    inpps: int
    outpps: int
    inbps: int
    outbps: int


class Service(Record):
    """A virtual service: by protocol, address and port, or by firewall mark (``fwmark``).

    A firewall-mark service has no address (None) and port 0; the kernel
    keeps IPPROTO_TCP as its protocol. ``flags`` are IP_VS_SVC_F_*:
    PERSISTENT makes ``timeout`` (seconds) and ``netmask`` (None: each
    client address apart, 255.255.255.255) count. ``num_dests`` and
    ``stats`` come with listings and are ignored in requests.
    """

    protocol: int = IPPROTO_TCP
    address: IPv4Address | None = None
    port: int = 0
    fwmark: int = 0
    scheduler: str = "wlc"
    flags: int = 0
    timeout: int = 0
    netmask: IPv4Address | None = None
    num_dests: int = 0
    stats: Stats | None = None

    def __str__(self) -> str:
        if self.fwmark:
            return f"FWM {self.fwmark}"
        return f"{PROTOCOLS.get(self.protocol, self.protocol)} {self.address}:{self.port}"


class Dest(Record):
    """A real server of a service: address, port and forwarding method (in ``conn_flags``).

    ``conn_flags & IP_VS_CONN_F_FWD_MASK`` is the method: IP_VS_CONN_F_MASQ,
    _TUNNEL, _DROUTE (or _LOCALNODE, which the kernel may report). The
    kernel adds bits of its own in listings. ``u_threshold`` 0 is no upper
    limit. Connection counts and ``stats`` come with listings only.
    """

    address: IPv4Address
    port: int = 0
    conn_flags: int = abi.IP_VS_CONN_F_DROUTE
    weight: int = 1
    u_threshold: int = 0
    l_threshold: int = 0
    activeconns: int = 0
    inactconns: int = 0
    persistconns: int = 0
    stats: Stats | None = None

    @property
    def method(self) -> int:
        return self.conn_flags & abi.IP_VS_CONN_F_FWD_MASK

    def __str__(self) -> str:
        return f"{self.address}:{self.port}"


class Info(Record):
    """IP_VS_SO_GET_INFO: IPVS's version code, its connection table size, and the number of services."""

    version: int
    size: int
    num_services: int

    @property
    def version_text(self) -> str:
        return version_text(self.version)


def version_text(code: int) -> str:
    """An IPVS version code as ``1.2.1``."""
    return f"{code >> 16 & 0xFF}.{code >> 8 & 0xFF}.{code & 0xFF}"


class Timeouts(Record):
    """Connection timeouts in seconds: established TCP, TCP after FIN, UDP. 0 in a request: unchanged."""

    tcp: int
    tcp_fin: int
    udp: int


class Daemon(Record):
    """A connection sync daemon: IP_VS_STATE_MASTER or _BACKUP, its multicast interface and sync id."""

    state: int
    mcast_ifn: str
    syncid: int = 0


# ---- checks ----

def _number(value, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InputError(f"{what} {value!r} is out of range ({low}-{high})")
    return value


def _ipv4(address, what: str) -> bytes:
    version = getattr(address, "version", None)
    if version == 6:
        raise InputError(f"{what} {address}: {NETLINK_ONLY}")
    if version != 4:
        raise InputError(f"{what} must be an ipaddress.IPv4Address, not {address!r}")
    return address.packed


def _protocol(protocol) -> int:
    if protocol not in PROTOCOLS:
        raise InputError(f"protocol {protocol!r} is not one IPVS balances (TCP {IPPROTO_TCP}, UDP {IPPROTO_UDP}, "
                         f"SCTP {IPPROTO_SCTP})")
    return protocol


def _name(text: str, what: str, size: int) -> bytes:
    """TEXT for a char[SIZE] field: ASCII, at most SIZE - 1 characters and a NUL ("" sends an empty one)."""
    try:
        raw = text.encode("ascii")
    except (AttributeError, UnicodeError):
        raise InputError(f"{what} {text!r} is not an ASCII name") from None
    if len(raw) >= size or b"\0" in raw:
        raise InputError(f"{what} {text!r} must be at most {size - 1} characters")
    return raw


# ---- requests ----

def pack_service_user(protocol: int, addr: bytes, port: int, fwmark: int, scheduler: str, flags: int,
                      timeout: int, netmask: bytes) -> bytes:
    """An ``ip_vs_service_user`` from plain fields (ADDR and NETMASK 4 bytes in network order).

    Raises InputError for what the fields cannot hold; IP_VS_SVC_F_HASHED,
    the kernel's own, is never sent.
    """
    try:
        if protocol in PROTOCOLS and len(addr) == len(netmask) == 4:
            return abi.SERVICE_USER.pack(protocol, addr, port.to_bytes(2, "big"), fwmark,
                                         _name(scheduler, "scheduler", abi.IP_VS_SCHEDNAME_MAXLEN),
                                         flags & ~abi.IP_VS_SVC_F_HASHED, timeout, netmask)
    except (OverflowError, TypeError, AttributeError, struct.error):
        pass
    _protocol(protocol)
    _number(port, "port", 0, 0xFFFF)
    _number(fwmark, "firewall mark", 0, 0xFFFFFFFF)
    _number(flags, "service flags", 0, 0xFFFFFFFF)
    _number(timeout, "persistence timeout", 0, 0xFFFFFFFF)
    raise InputError(f"a service address and netmask are 4 bytes each, not {addr!r} and {netmask!r}")


def pack_dest_user(addr: bytes, port: int, conn_flags: int, weight: int, u_threshold: int,
                   l_threshold: int) -> bytes:
    """An ``ip_vs_dest_user`` from plain fields (ADDR 4 bytes in network order); InputError when one does not fit."""
    try:
        if weight >= 0 and len(addr) == 4:
            return abi.DEST_USER.pack(addr, port.to_bytes(2, "big"), conn_flags, weight, u_threshold, l_threshold)
    except (OverflowError, TypeError, struct.error):
        pass
    _number(port, "port", 0, 0xFFFF)
    _number(conn_flags, "connection flags", 0, 0xFFFFFFFF)
    _number(weight, "weight", 0, 0x7FFFFFFF)
    _number(u_threshold, "upper threshold", 0, 0xFFFFFFFF)
    _number(l_threshold, "lower threshold", 0, 0xFFFFFFFF)
    raise InputError(f"a real server address is 4 bytes, not {addr!r}")


def encode_service_user(svc: Service | None) -> bytes:
    """The ``ip_vs_service_user`` of SVC; None: the all-zero one (IP_VS_SO_SET_ZERO of every service)."""
    if svc is None:
        return bytes(abi.SERVICE_USER.size)
    fwmark = _number(svc.fwmark, "firewall mark", 0, 0xFFFFFFFF)
    if fwmark:
        if svc.address is not None and svc.address.packed != _ZERO4 or svc.port:
            raise InputError(f"firewall mark service {fwmark} has no address or port")
        address = _ZERO4
    elif svc.address is None:
        raise InputError("a service needs an address, or a firewall mark")
    else:
        address = _ipv4(svc.address, "service address")
    netmask = _ALL_ONES if svc.netmask is None else _ipv4(svc.netmask, "persistence netmask")
    for value, what in ((svc.port, "port"), (svc.flags, "service flags"), (svc.timeout, "persistence timeout")):
        _number(value, what, 0, 0xFFFFFFFF)
    return pack_service_user(svc.protocol, address, svc.port, fwmark, svc.scheduler, svc.flags, svc.timeout, netmask)


def encode_dest_user(dest: Dest) -> bytes:
    """The ``ip_vs_dest_user`` of DEST."""
    for value, what in ((dest.port, "port"), (dest.conn_flags, "connection flags"), (dest.weight, "weight"),
                        (dest.u_threshold, "upper threshold"), (dest.l_threshold, "lower threshold")):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"{what} {value!r} is not a whole number")
    return pack_dest_user(_ipv4(dest.address, "real server address"), dest.port, dest.conn_flags, dest.weight,
                          dest.u_threshold, dest.l_threshold)


def encode_timeouts(timeouts: Timeouts) -> bytes:
    """The ``ip_vs_timeout_user`` of TIMEOUTS."""
    return abi.TIMEOUT_USER.pack(*(_number(v, what, 0, 0x7FFFFFFF) for v, what in (
        (timeouts.tcp, "tcp timeout"), (timeouts.tcp_fin, "tcpfin timeout"), (timeouts.udp, "udp timeout"))))


def encode_daemon(daemon: Daemon) -> bytes:
    """The ``ip_vs_daemon_user`` of DAEMON (the interface matters only when starting)."""
    state = daemon.state
    if state not in (abi.IP_VS_STATE_MASTER, abi.IP_VS_STATE_BACKUP):
        raise InputError(f"sync daemon state {state!r} is neither IP_VS_STATE_MASTER nor IP_VS_STATE_BACKUP")
    ifname = _name(daemon.mcast_ifn, "multicast interface", abi.IP_VS_IFNAME_MAXLEN)
    return abi.DAEMON_USER.pack(state, ifname, _number(daemon.syncid, "syncid", 0, 255))


def encode_get_services(count: int) -> bytearray:
    """An IP_VS_SO_GET_SERVICES buffer with room for COUNT entries."""
    buf = bytearray(abi.GET_SERVICES.size + count * abi.SERVICE_ENTRY.size)
    abi.GET_SERVICES.pack_into(buf, 0, count)
    return buf


def service_head(svc: Service | tuple) -> tuple:
    """(protocol, addr, port, fwmark) naming a service in get-option requests.

    SVC is a ``Service`` or a row from ``decode_service_entries`` (whose
    first four fields are that head already); addr is 4 bytes in network
    order.
    """
    if isinstance(svc, tuple):
        return svc[:4]
    protocol, addr, port, fwmark = abi.SERVICE_USER.unpack(encode_service_user(svc))[:4]
    return protocol, addr, int.from_bytes(port, "big"), fwmark


def head_text(head: tuple) -> str:
    """A service head as errors name it: ``TCP 10.0.0.1:80`` or ``FWM 5``."""
    protocol, addr, port, fwmark = head
    if fwmark:
        return f"FWM {fwmark}"
    return f"{PROTOCOLS.get(protocol, protocol)} {'.'.join(map(str, addr))}:{port}"


def describe_request(option: int, data: bytes) -> str:
    """What a set-option request is about, for its error: ``TCP 10.0.0.1:80 -> 10.1.0.1:80``, an interface, or ""."""
    if option in (abi.IP_VS_SO_SET_STARTDAEMON, abi.IP_VS_SO_SET_STOPDAEMON):
        return data[4:20].split(b"\0", 1)[0].decode("ascii", "replace")
    if len(data) < abi.SERVICE_USER.size or not any(data[:abi.SERVICE_USER.size]):
        return ""
    protocol, addr, port, fwmark = abi.SERVICE_USER.unpack_from(data)[:4]
    text = head_text((protocol, addr, int.from_bytes(port, "big"), fwmark))
    if len(data) == abi.SERVICE_USER.size + abi.DEST_USER.size:
        addr, port = abi.DEST_USER.unpack_from(data, abi.SERVICE_USER.size)[:2]
        text += f" -> {'.'.join(map(str, addr))}:{int.from_bytes(port, 'big')}"
    return text


def _pack_head(buf: bytearray, head: tuple, count: int) -> bytearray:
    protocol, addr, port, fwmark = head
    abi.GET_DESTS.pack_into(buf, 0, protocol, addr, port.to_bytes(2, "big"), fwmark, count)
    return buf


def encode_get_service(svc: Service | tuple) -> bytearray:
    """An IP_VS_SO_GET_SERVICE buffer naming SVC (a Service or a service row)."""
    # An ip_vs_service_entry starts with the same protocol, addr, port, fwmark as ip_vs_get_dests.
    return _pack_head(bytearray(abi.SERVICE_ENTRY.size), service_head(svc), 0)


def encode_get_dests(svc: Service | tuple, count: int) -> bytearray:
    """An IP_VS_SO_GET_DESTS buffer naming SVC (a Service or a service row) with room for COUNT entries."""
    return _pack_head(bytearray(abi.GET_DESTS.size + count * abi.DEST_ENTRY.size), service_head(svc), count)


# ---- answers ----

def _exact(buf, size: int, what: str) -> None:
    if len(buf) != size:
        raise DecodeError(f"{what}: {len(buf)} bytes, not {size}")


def decode_info(buf) -> Info:
    """An ``ip_vs_getinfo``."""
    _exact(buf, abi.GETINFO.size, "struct ip_vs_getinfo")
    return Info(*abi.GETINFO.unpack(buf))


def decode_version(buf, length: int) -> str:
    """The text IP_VS_SO_GET_VERSION wrote (LENGTH bytes, its NUL included)."""
    if not 0 < length <= len(buf):
        raise DecodeError(f"IP_VS_SO_GET_VERSION: length {length} outside the {len(buf)}-byte buffer")
    raw = bytes(buf[:length])
    end = raw.find(b"\0")
    if end < 0:
        raise DecodeError("IP_VS_SO_GET_VERSION: text without its terminating NUL")
    return raw[:end].decode("ascii", "replace")


_names: dict[bytes, str] = {}


def _c_name(raw: bytes, what: str, offset: int) -> str:
    name = _names.get(raw)
    if name is None:
        end = raw.find(b"\0")
        if end < 0:
            raise DecodeError(f"{what}: name without its terminating NUL", offset)
        try:
            name = _names[raw] = raw[:end].decode("ascii")
        except UnicodeDecodeError:
            raise DecodeError(f"{what}: name {raw[:end]!r} is not ASCII", offset) from None
    return name


def _service_row(fields: tuple, offset: int) -> tuple:
    return (fields[0], fields[1], int.from_bytes(fields[2], "big"), fields[3],
            _c_name(fields[4], "struct ip_vs_service_entry", offset + 16), *fields[5:])


def decode_service_entry(buf) -> tuple:
    """The row of one ``ip_vs_service_entry`` (the answer of IP_VS_SO_GET_SERVICE), as ``decode_service_entries``."""
    _exact(buf, abi.SERVICE_ENTRY.size, "struct ip_vs_service_entry")
    return _service_row(abi.SERVICE_ENTRY.unpack(buf), 0)


def _entries(buf, head, entry, count: int, what: str, marker: int) -> list[tuple]:
    """The unpacked entries the kernel filled, in order.

    The kernel fills from the start and leaves the rest as it was (zero);
    a filled entry is one whose field MARKER is not 0.
    """
    _exact(buf, head.size + count * entry.size, what)
    if head.unpack_from(buf)[-1] != count:
        raise DecodeError(f"{what}: the count field changed to {head.unpack_from(buf)[-1]}, not {count}")
    entries = list(entry.iter_unpack(memoryview(buf)[head.size:]))
    markers = list(map(itemgetter(marker), entries))
    filled = len(markers)
    while filled and not markers[filled - 1]:
        filled -= 1
    if 0 in markers[:filled]:
        raise DecodeError(f"{what}: an empty entry before a filled one", head.size + markers.index(0) * entry.size)
    rest = bytes(buf[head.size + filled * entry.size:])
    if rest.count(0) != len(rest):
        raise DecodeError(f"{what}: data after the last entry", head.size + filled * entry.size)
    del entries[filled:]
    return entries


def decode_service_entries(buf, count: int) -> list[tuple]:
    """Rows of the services an IP_VS_SO_GET_SERVICES answer for COUNT entries holds (IPv4 ones only).

    Each row: (protocol, addr, port, fwmark, scheduler, flags, timeout,
    netmask, num_dests, then the ten counters of ``Stats``), addr and
    netmask being 4 bytes in network order. A listed service always has a
    protocol (the kernel holds TCP, UDP and SCTP ones only).
    """
    entries = _entries(buf, abi.GET_SERVICES, abi.SERVICE_ENTRY, count, "struct ip_vs_get_services", 0)
    head, size = abi.GET_SERVICES.size, abi.SERVICE_ENTRY.size
    return [_service_row(fields, head + i * size) for i, fields in enumerate(entries)]


def decode_dest_entries(buf, count: int) -> list[tuple]:
    """Rows of the real servers an IP_VS_SO_GET_DESTS answer for COUNT entries holds.

    Each row is the entry's fields as they are: (addr, port, conn_flags,
    weight, u_threshold, l_threshold, activeconns, inactconns,
    persistconns, then the ten counters of ``Stats``), addr 4 bytes and
    port 2 bytes in network order (kept so, for the thousands a listing
    may hold). A listed server always has kernel bits in conn_flags.
    """
    return _entries(buf, abi.GET_DESTS, abi.DEST_ENTRY, count, "struct ip_vs_get_dests", 2)


def decode_timeouts(buf) -> Timeouts:
    """An ``ip_vs_timeout_user``."""
    _exact(buf, abi.TIMEOUT_USER.size, "struct ip_vs_timeout_user")
    return Timeouts(*abi.TIMEOUT_USER.unpack(buf))


def decode_daemons(buf) -> list[Daemon]:
    """The running sync daemons in an IP_VS_SO_GET_DAEMON answer (two slots: master, backup)."""
    size = abi.DAEMON_USER.size
    _exact(buf, 2 * size, "struct ip_vs_daemon_user[2]")
    daemons = []
    for index, (state, ifname, syncid) in enumerate(abi.DAEMON_USER.iter_unpack(buf)):
        if state:
            if state not in (abi.IP_VS_STATE_MASTER, abi.IP_VS_STATE_BACKUP):
                raise DecodeError(f"struct ip_vs_daemon_user: unknown state {state}", index * size)
            daemons.append(Daemon(state, _c_name(ifname, "struct ip_vs_daemon_user", index * size + 4), syncid))
    return daemons


# ---- records from rows ----

def service_record(row: tuple) -> Service:
    """The ``Service`` of a row from ``decode_service_entries``."""
    from ipaddress import IPv4Address

    protocol, addr, port, fwmark, scheduler, flags, timeout, netmask, num_dests = row[:9]
    return Service(protocol, None if fwmark else IPv4Address(addr), port, fwmark, scheduler, flags, timeout,
                   None if netmask == _ALL_ONES else IPv4Address(netmask), num_dests, Stats(*row[9:]))


def dest_record(row: tuple) -> Dest:
    """The ``Dest`` of a row from ``decode_dest_entries``."""
    from ipaddress import IPv4Address

    return Dest(IPv4Address(row[0]), int.from_bytes(row[1], "big"), *row[2:9], Stats(*row[9:]))


def count_proc_services(text: bytes) -> int:
    """The services of a /proc/net/ip_vs text: its lines but the two headers and the indented ones
    (the third header and the real servers)."""
    lines = text.count(b"\n")
    return max(0, lines - text.count(b"\n ") - 2) if lines else 0
