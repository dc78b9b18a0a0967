"""IP Virtual Server, the kernel's layer-4 load balancer, through its socket options.

IPVS answers getsockopt and setsockopt at level IPPROTO_IP on any AF_INET
socket (``nf_register_sockopt``); both need CAP_NET_ADMIN in the socket's
namespace, reading too. Each change is one setsockopt, which the kernel
applies whole or not at all; ``sockctl.ipvs_batch`` applies several as a
unit. The records and the pure encoders and decoders are
``sockctl.ipvs_codec``'s, re-exported here.

What the socket options cannot reach, and where this module says so:
IPv6 services and IPv6 real servers of IPv4 services (a listing that would
miss some raises ``NetlinkOnly``), and the fields only generic netlink
carries (persistence engines, tunnel types, sync daemon groups and ports),
which are neither set nor shown. Counters come as the kernel's 32-bit
``ip_vs_stats_user`` (connection and packet counts wrap at 2**32).
"""

from __future__ import annotations

from errno import EAFNOSUPPORT, EAGAIN, EEXIST, ENOENT, ENOPROTOOPT, ESRCH

from sockctl import channel
from sockctl.abi import ip_vs as abi
from sockctl.abi.families import IPPROTO_IP
from sockctl.errors import KernelError, NotSupported, kernel_error
from sockctl.ipvs_codec import (  # noqa: F401 (the public names of the API)
    IPPROTO_SCTP, NETLINK_ONLY, USER_FLAGS, Daemon, Dest, Info, Service, Stats, Timeouts, count_proc_services,
    decode_daemons,
    decode_dest_entries, decode_info, decode_service_entries, decode_service_entry, decode_timeouts,
    decode_version, describe_request, dest_record, encode_daemon, encode_dest_user, encode_get_dests, encode_get_service,
    encode_get_services, encode_service_user, encode_timeouts, head_text, pack_dest_user, pack_service_user,
    service_head, service_record)


class NetlinkOnly(NotSupported):
    """The state holds what only generic netlink can show (IPv6 services or real servers)."""


def _names(prefix: str) -> dict[int, str]:
    # Set- and get-options share their numbers: each direction has its own names.
    return {value: name for name, value in vars(abi).items()
            if name.startswith(prefix) and not name.endswith(("_MAX", "_NONE"))}


_SET_NAMES = _names("IP_VS_SO_SET_")
_GET_NAMES = _names("IP_VS_SO_GET_")

# What an errno means, for every option and then for some (the kernel reuses a few for different things).
_COMMON_REASONS = {ESRCH: "no such service",  # every option naming a service says ESRCH when it is not there
                   ENOPROTOOPT: "IPVS is not in this kernel (load it: modprobe ip_vs)"}
_SPECIAL_REASONS = {
    "IP_VS_SO_SET_ADD": {EEXIST: "service already exists", ENOENT: "scheduler not found"},
    "IP_VS_SO_SET_EDIT": {ENOENT: "scheduler not found"},
    "IP_VS_SO_SET_ADDDEST": {EEXIST: "destination already exists"},
    "IP_VS_SO_SET_EDITDEST": {ENOENT: "no such destination"},
    "IP_VS_SO_SET_DELDEST": {ENOENT: "no such destination"},
    "IP_VS_SO_SET_STARTDAEMON": {EEXIST: "the sync daemon is running already"},
    "IP_VS_SO_SET_STOPDAEMON": {ESRCH: "no sync daemon is running"},
}
_REASONS = {name: {**_COMMON_REASONS, **_SPECIAL_REASONS.get(name, {})}
            for name in (*_SET_NAMES.values(), *_GET_NAMES.values())}


def _get(option: int, buf, head: tuple | None = None) -> int:
    """getsockopt of OPTION with BUF; an error names the service HEAD (made into text only then)."""
    name = _GET_NAMES[option]
    try:
        return channel.getsockopt(channel.control_socket(), IPPROTO_IP, option, buf, name, "", _REASONS[name])
    except KernelError as exc:
        if head is None:
            raise
        raise kernel_error(exc.errno, name, head_text(head), exc.reason) from None


# ---- reading ----

def info() -> Info:
    """IPVS's version, connection table size and service count (IP_VS_SO_GET_INFO), as ipvsadm's header shows."""
    buf = bytearray(abi.GETINFO.size)
    _get(abi.IP_VS_SO_GET_INFO, buf)
    return decode_info(buf)


def version() -> str:
    """``IP Virtual Server version 1.2.1 (size=4096)``: IP_VS_SO_GET_VERSION."""
    buf = bytearray(64)
    return decode_version(buf, _get(abi.IP_VS_SO_GET_VERSION, buf))


def service_rows(attempts: int = 8) -> tuple[Info, list[tuple]]:
    """The IPv4 services as ``decode_service_entries`` rows, with the Info they were read under: ``ipvsadm -L -n``.

    IP_VS_SO_GET_INFO counts the IPv4 services and IP_VS_SO_GET_SERVICES
    lists them; the pair is read again when the count moved in between.
    The socket options do not even count IPv6 services: /proc/net/ip_vs,
    which shows all, tells whether there are any, and then NetlinkOnly is
    raised rather than a listing that silently leaves them out.
    """
    for _ in range(attempts):
        before = info()
        count = before.num_services
        buf = encode_get_services(count)
        _get(abi.IP_VS_SO_GET_SERVICES, buf)
        listed = all_services_count()  # between the two counts: a change in between is seen and read again
        after = info()
        if after.num_services != count:
            continue
        rows = decode_service_entries(buf, count)
        hidden = max(0, listed - len(rows))
        if hidden:
            raise NetlinkOnly(EAFNOSUPPORT, "IP_VS_SO_GET_SERVICES", "",
                              f"{hidden} of {len(rows) + hidden} services are IPv6: {NETLINK_ONLY}")
        return after, rows
    raise kernel_error(EAGAIN, "IP_VS_SO_GET_SERVICES", "", "the services kept changing while being read")


def all_services_count() -> int:
    """How many services /proc/net/ip_vs lists, IPv6 ones too (0 when the file is not there)."""
    try:
        text = channel.proc_net("ip_vs")
    except FileNotFoundError:
        return 0
    return count_proc_services(text)


def services() -> list[Service]:
    """Every virtual service, with counters (``ipvsadm -L -n --stats``, services only)."""
    return [service_record(row) for row in service_rows()[1]]


def service_row(svc: Service | tuple) -> tuple:
    """One service's row (IP_VS_SO_GET_SERVICE); SVC is a Service or a row naming it."""
    head = service_head(svc)
    buf = encode_get_service(head)
    _get(abi.IP_VS_SO_GET_SERVICE, buf, head)
    return decode_service_entry(buf)


def get_service(svc: Service) -> Service:
    """One service by protocol, address and port or by fwmark: ``ipvsadm -L -n -t ADDR:PORT``."""
    return service_record(service_row(svc))


def dest_rows(svc: Service | tuple, count: int | None = None, attempts: int = 8) -> list[tuple]:
    """The real servers of SVC (a Service or a service row) as ``decode_dest_entries`` rows.

    COUNT is how many it had when listed (a row's num_dests; None: ask).
    Asks for one more than COUNT to see a server added since; when the
    number moved, asks the service for its count again.
    """
    head = service_head(svc)
    if count is None:
        count = service_row(head)[8]
    for _ in range(attempts):
        buf = encode_get_dests(head, count + 1)
        _get(abi.IP_VS_SO_GET_DESTS, buf, head)
        rows = decode_dest_entries(buf, count + 1)
        if len(rows) == count:
            return rows
        now = service_row(head)[8]
        if now == count and len(rows) < count:
            raise NetlinkOnly(EAFNOSUPPORT, "IP_VS_SO_GET_DESTS", head_text(head),
                              f"{count - len(rows)} of its {count} real servers are IPv6: {NETLINK_ONLY}")
        count = now
    raise kernel_error(EAGAIN, "IP_VS_SO_GET_DESTS", head_text(head), "the real servers kept changing while being read")


def dests(svc: Service) -> list[Dest]:
    """The real servers of a service, in the kernel's order: what ``ipvsadm -L -n -t ADDR:PORT`` lists."""
    return [dest_record(row) for row in dest_rows(svc, svc.num_dests if svc.stats is not None else None)]


def timeouts() -> Timeouts:
    """``ipvsadm -L --timeout``: IP_VS_SO_GET_TIMEOUT."""
    buf = bytearray(abi.TIMEOUT_USER.size)
    _get(abi.IP_VS_SO_GET_TIMEOUT, buf)
    return decode_timeouts(buf)


def daemons() -> list[Daemon]:
    """The running sync daemons (``ipvsadm -L --daemon``): IP_VS_SO_GET_DAEMON."""
    buf = bytearray(2 * abi.DAEMON_USER.size)
    _get(abi.IP_VS_SO_GET_DAEMON, buf)
    return decode_daemons(buf)


# ---- changes: one setsockopt each ----

_REQUESTS = {
    "add_service": lambda svc: (abi.IP_VS_SO_SET_ADD, encode_service_user(svc)),
    "edit_service": lambda svc: (abi.IP_VS_SO_SET_EDIT, encode_service_user(svc)),
    "delete_service": lambda svc: (abi.IP_VS_SO_SET_DEL, encode_service_user(svc)),
    "flush": lambda: (abi.IP_VS_SO_SET_FLUSH, b""),
    "zero": lambda svc=None: (abi.IP_VS_SO_SET_ZERO, encode_service_user(svc)),
    "add_dest": lambda svc, dest: (abi.IP_VS_SO_SET_ADDDEST, encode_service_user(svc) + encode_dest_user(dest)),
    "edit_dest": lambda svc, dest: (abi.IP_VS_SO_SET_EDITDEST, encode_service_user(svc) + encode_dest_user(dest)),
    "delete_dest": lambda svc, dest: (abi.IP_VS_SO_SET_DELDEST, encode_service_user(svc) + encode_dest_user(dest)),
    "set_timeouts": lambda new: (abi.IP_VS_SO_SET_TIMEOUT, encode_timeouts(new)),
    "start_daemon": lambda daemon: (abi.IP_VS_SO_SET_STARTDAEMON, encode_daemon(daemon)),
    "stop_daemon": lambda state: (abi.IP_VS_SO_SET_STOPDAEMON, encode_daemon(Daemon(state, ""))),
}
CHANGES = frozenset(_REQUESTS)


def request(action: str, *args) -> tuple[int, bytes]:
    """(set-option, data) of the change ACTION (a name in CHANGES) would make; pure.

    Raises InputError for a value the request cannot carry.
    """
    build = _REQUESTS.get(action)
    if build is None:
        raise ValueError(f"{action!r} is not an IPVS change")
    return build(*args)


# ipvsadm's names of the service and real-server changes, and their options.
_PACKED = {"add": abi.IP_VS_SO_SET_ADD, "edit": abi.IP_VS_SO_SET_EDIT, "delete": abi.IP_VS_SO_SET_DEL,
           "zero": abi.IP_VS_SO_SET_ZERO, "add-dest": abi.IP_VS_SO_SET_ADDDEST,
           "edit-dest": abi.IP_VS_SO_SET_EDITDEST, "delete-dest": abi.IP_VS_SO_SET_DELDEST}
PACKED_CHANGES = frozenset(_PACKED)


def packed_request(action: str, service: bytes, dest: bytes = b"") -> tuple[int, bytes]:
    """(set-option, data) of ACTION (in PACKED_CHANGES) from a ``pack_service_user`` and, for the ``-dest``
    actions, a ``pack_dest_user`` (a restore packs each service once for all its servers); pure."""
    return _PACKED[action], service + dest


def send(option: int, data: bytes) -> None:
    """Make a change ``request`` encoded; an error names what it was about."""
    name = _SET_NAMES[option]
    try:
        channel.setsockopt(channel.control_socket(), IPPROTO_IP, option, data, name, "", _REASONS[name])
    except KernelError as exc:
        raise kernel_error(exc.errno, name, describe_request(option, data), exc.reason) from None


def add_service(svc: Service) -> None:
    """``ipvsadm -A``: IP_VS_SO_SET_ADD."""
    send(*request("add_service", svc))


def edit_service(svc: Service) -> None:
    """``ipvsadm -E``: IP_VS_SO_SET_EDIT (scheduler, flags, timeout and netmask all replaced)."""
    send(*request("edit_service", svc))


def delete_service(svc: Service) -> None:
    """``ipvsadm -D``: IP_VS_SO_SET_DEL, with its real servers."""
    send(*request("delete_service", svc))


def flush() -> None:
    """``ipvsadm -C``: IP_VS_SO_SET_FLUSH, every service of the namespace."""
    send(*request("flush"))


def zero(svc: Service | None = None) -> None:
    """``ipvsadm -Z [SERVICE]``: IP_VS_SO_SET_ZERO, the counters of one service or of all."""
    send(*request("zero", svc))


def add_dest(svc: Service, dest: Dest) -> None:
    """``ipvsadm -a``: IP_VS_SO_SET_ADDDEST."""
    send(*request("add_dest", svc, dest))


def edit_dest(svc: Service, dest: Dest) -> None:
    """``ipvsadm -e``: IP_VS_SO_SET_EDITDEST (method, weight and thresholds all replaced)."""
    send(*request("edit_dest", svc, dest))


def delete_dest(svc: Service, dest: Dest) -> None:
    """``ipvsadm -d``: IP_VS_SO_SET_DELDEST (by address and port)."""
    send(*request("delete_dest", svc, dest))


def set_timeouts(new: Timeouts) -> None:
    """``ipvsadm --set TCP TCPFIN UDP``: IP_VS_SO_SET_TIMEOUT (0 leaves a value as it is)."""
    send(*request("set_timeouts", new))


def start_daemon(daemon: Daemon) -> None:
    """``ipvsadm --start-daemon master|backup [--mcast-interface IF] [--syncid N]``: IP_VS_SO_SET_STARTDAEMON."""
    send(*request("start_daemon", daemon))


def stop_daemon(state: int) -> None:
    """``ipvsadm --stop-daemon master|backup``: IP_VS_SO_SET_STOPDAEMON."""
    send(*request("stop_daemon", state))
