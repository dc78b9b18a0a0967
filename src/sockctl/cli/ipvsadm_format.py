"""ipvsadm 1.31's listings as text: pure functions of the rows ``sockctl.ipvs_codec`` decodes.

Service rows are (protocol, addr, port, fwmark, scheduler, flags, timeout,
netmask, num_dests, ten counters), real server rows (addr, port,
conn_flags, weight, u_threshold, l_threshold, activeconns, inactconns,
persistconns, ten counters); addresses are 4 bytes in network order, and
so is a real server's port (2 bytes). A ``namer(addr, port, protocol)``
turns an address and a port number into ipvsadm's ``host:port`` text
(``numeric_name`` for -n).

The order is ipvsadm's: glibc's merge sort (``qsort`` in glibc 2.36) with
ipvsadm's comparison functions, which subtract 32-bit values and keep the
result in an int, so two addresses 2**31 or more apart compare the wrong
way round. ``sort_services`` and ``sort_dests`` give that order exactly.
"""

from _socket import inet_ntoa

from sockctl.abi import ip_vs as abi
from sockctl.ipvs_codec import version_text

# Format flags, as ipvsadm's FMT_*.
NUMERIC, RULE, STATS, RATE, THRESHOLDS, PERSISTENTCONN, NOSORT, EXACT = 1, 2, 4, 8, 16, 32, 64, 128

_PROTOCOL_NAMES = {6: "TCP", 17: "UDP", 132: "SCTP"}
_PROTOCOL_OPTIONS = {6: "-t", 17: "-u", 132: "--sctp-service"}
_PROTOCOL_DBNAMES = {6: "tcp", 17: "udp", 132: "sctp"}
_FWD_NAMES = {abi.IP_VS_CONN_F_MASQ: "Masq", abi.IP_VS_CONN_F_LOCALNODE: "Local", abi.IP_VS_CONN_F_TUNNEL: "Tunnel",
              abi.IP_VS_CONN_F_DROUTE: "Route"}
_FWD_SWITCHES = {abi.IP_VS_CONN_F_MASQ: "-m", abi.IP_VS_CONN_F_TUNNEL: "-i", abi.IP_VS_CONN_F_LOCALNODE: "-g",
                 abi.IP_VS_CONN_F_DROUTE: "-g"}
_NULL = "(null)"  # what glibc's printf writes for a NULL string, as ipvsadm does for an unknown method
_SCHED_FLAGS = abi.IP_VS_SVC_F_SCHED1 | abi.IP_VS_SVC_F_SCHED2 | abi.IP_VS_SVC_F_SCHED3
_ALL_ONES = b"\xff\xff\xff\xff"


# ---- order ----

def _int32(value: int) -> int:
    return (value + 0x80000000) % 0x100000000 - 0x80000000


def compare_services(a: tuple, b: tuple) -> int:
    """ipvsadm's ipvs_cmp_services on two service rows (IPv4)."""
    r = _int32(a[3] - b[3]) or a[0] - b[0]
    if r:
        return r
    return _int32(int.from_bytes(a[1], "big") - int.from_bytes(b[1], "big")) or a[2] - b[2]


def compare_dests(a: tuple, b: tuple) -> int:
    """ipvsadm's ipvs_cmp_dests on two real server rows (IPv4)."""
    return _int32(int.from_bytes(a[0], "big") - int.from_bytes(b[0], "big")) or \
        int.from_bytes(a[1], "big") - int.from_bytes(b[1], "big")


def merge_sort(items: list, compare) -> list:
    """ITEMS in the order glibc's merge sort leaves them with COMPARE (first half n // 2, ties keep order)."""
    n = len(items)
    if n <= 1:
        return list(items)
    left, right = merge_sort(items[:n // 2], compare), merge_sort(items[n // 2:], compare)
    out, i, j = [], 0, 0
    while i < len(left) and j < len(right):
        if compare(left[i], right[j]) <= 0:
            out.append(left[i])
            i += 1
        else:
            out.append(right[j])
            j += 1
    return out + left[i:] + right[j:]


def _spread(values) -> int:
    return max(values) - min(values) if values else 0


def sort_services(rows: list) -> list:
    """Service rows in ipvsadm's order."""
    if _spread([r[3] for r in rows]) < 0x80000000 and _spread([int.from_bytes(r[1], "big") for r in rows]) < 0x80000000:
        # No difference overflows: the comparison is an ordinary total order, and the keys are unique.
        return sorted(rows, key=lambda r: (r[3], r[0], r[1], r[2]))
    return merge_sort(rows, compare_services)


def sort_dests(rows: list) -> list:
    """Real server rows in ipvsadm's order."""
    if _spread([int.from_bytes(r[0], "big") for r in rows]) < 0x80000000:
        return sorted(rows, key=lambda r: (r[0], r[1]))
    return merge_sort(rows, compare_dests)


# ---- names ----

def numeric_name(addr: bytes, port: int, protocol: int) -> str:
    """``a.b.c.d:port`` (ipvsadm -n)."""
    return f"{inet_ntoa(addr)}:{port}"


def symbolic_namer(hosts, services):
    """A namer that names hosts and ports from HOSTS (``sockctl.netdb.Database``) and SERVICES (``sockctl.servdb``).

    Unknown ones stay numbers. ipvsadm writes the pair into 60 bytes, so
    the text stops at 59 characters.
    """
    host_names: dict[bytes, str] = {}
    port_names: dict[tuple[int, int], str] = {}

    def namer(addr: bytes, port: int, protocol: int) -> str:
        host = host_names.get(addr)
        if host is None:
            host = host_names[addr] = hosts.host_name(addr) or inet_ntoa(addr)
        service = port_names.get((port, protocol))
        if service is None:
            dbname = _PROTOCOL_DBNAMES.get(protocol)
            service = port_names[port, protocol] = (dbname and services.name(port, dbname)) or str(port)
        return f"{host}:{service}"[:59]

    return namer


# ---- listings ----

def header(version: int, size: int) -> str:
    """The first line of ``ipvsadm -L``."""
    return f"IP Virtual Server version {version_text(version)} (size={size})\n"


def title(fmt: int) -> str:
    """The two column-title lines ("" when saving)."""
    if fmt & STATS:
        return "%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n" % (
            "Prot LocalAddress:Port", "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes")
    if fmt & RATE:
        return "%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n" % (
            "Prot LocalAddress:Port", "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS")
    if fmt & THRESHOLDS:
        return "%-33s %-10s %-10s %-10s %-10s\n  -> RemoteAddress:Port\n" % (
            "Prot LocalAddress:Port", "Uthreshold", "Lthreshold", "ActiveConn", "InActConn")
    if fmt & PERSISTENTCONN:
        return "%-33s %-9s %-11s %-10s %-10s\n  -> RemoteAddress:Port\n" % (
            "Prot LocalAddress:Port", "Weight", "PersistConn", "ActiveConn", "InActConn")
    if fmt & RULE:
        return ""
    return ("Prot LocalAddress:Port Scheduler Flags\n"
            "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n")


def largenum(value: int, exact: bool) -> str:
    """A counter in a 9-character column, as ipvsadm's print_largenum: scaled by K, M, G, T unless EXACT."""
    if exact:
        text = str(value)
        return text.rjust(9 if len(text) <= 8 else len(text) + 1)
    if value < 100000000:
        return "%9d" % value
    for limit, divisor, unit in ((1000000000, 1000, "K"), (100000000000, 1000000, "M"),
                                 (100000000000000, 1000000000, "G")):
        if value < limit:
            return "%8d%s" % (value // divisor, unit)
    return "%8dT" % (value // 1000000000000)


def sched_flags(scheduler: str, flags: int) -> str:
    """The scheduler flags as ipvsadm names them for this scheduler, comma-separated."""
    if scheduler == "sh":
        names = (("sh-fallback", abi.IP_VS_SVC_F_SCHED1), ("sh-port", abi.IP_VS_SVC_F_SCHED2))
    elif scheduler == "mh":
        names = (("mh-fallback", abi.IP_VS_SVC_F_SCHED1), ("mh-port", abi.IP_VS_SVC_F_SCHED2))
    else:
        names = (("flag-1", abi.IP_VS_SVC_F_SCHED1), ("flag-2", abi.IP_VS_SVC_F_SCHED2),
                 ("flag-3", abi.IP_VS_SVC_F_SCHED3))
    return ",".join(name for name, bit in names if flags & bit)


def service_name(row: tuple, fmt: int, namer) -> str:
    """The service as it starts its line: ``TCP  host:port`` (33 characters at most) or ``-t host:port``."""
    protocol, addr, port, fwmark = row[:4]
    if fwmark:
        # ipvsadm 1.31 prints the mark with %d: marks of 2**31 and more come out negative.
        return f"-f {_int32(fwmark)}" if fmt & RULE else f"FWM  {_int32(fwmark)}"
    name = namer(addr, port, protocol)
    if fmt & RULE:
        return f"{_PROTOCOL_OPTIONS.get(protocol, '--xxx-service')} {name}"
    return ("%-4s %s" % (_PROTOCOL_NAMES.get(protocol, "?"), name))[:33]


def _persistence(row: tuple, timeout_word: str, mask_word: str) -> str:
    flags, timeout, netmask = row[5], row[6], row[7]
    if not flags & abi.IP_VS_SVC_F_PERSISTENT:
        return ""
    return f" {timeout_word} {timeout}" + (f" {mask_word} {inet_ntoa(netmask)}" if netmask != _ALL_ONES else "")


def service_line(row: tuple, svc_name: str, fmt: int) -> str:
    """The service's own line in listing format FMT."""
    scheduler, flags = row[4], row[5]
    exact = bool(fmt & EXACT)
    if fmt & RULE:
        return (f"-A {svc_name} -s {scheduler}" + _persistence(row, "-p", "-M")
                + (" -o" if flags & abi.IP_VS_SVC_F_ONEPACKET else "")
                + (f" -b {sched_flags(scheduler, flags)}" if flags & _SCHED_FLAGS else "") + "\n")
    if fmt & (STATS | RATE):
        counters = row[9:14] if fmt & STATS else row[14:19]
        return "%-33s" % svc_name + "".join(largenum(v, exact) for v in counters) + "\n"
    return (f"{svc_name} {scheduler}" + (f" ({sched_flags(scheduler, flags)})" if flags & _SCHED_FLAGS else "")
            + _persistence(row, "persistent", "mask") + (" ops" if flags & abi.IP_VS_SVC_F_ONEPACKET else "") + "\n")


def dest_lines(rows: list, svc_name: str, protocol: int, fmt: int, namer) -> str:
    """The lines of real servers ROWS (in the order given) under service SVC_NAME of PROTOCOL."""
    names = [namer(r[0], int.from_bytes(r[1], "big"), protocol) for r in rows]
    if fmt & RULE:
        # The socket options carry no tunnel type: their tunnels are always IPIP.
        return "".join("-a %s -r %s %s -w %d%s\n" % (
            svc_name, name, _FWD_SWITCHES.get(r[2] & 7, _NULL), r[3],
            " --tun-type ipip" if r[2] & 7 == abi.IP_VS_CONN_F_TUNNEL else "") for r, name in zip(rows, names))
    exact = bool(fmt & EXACT)
    if fmt & STATS:
        return "".join("  -> %-28s" % name[:28] + "".join(largenum(v, exact) for v in r[9:14]) + "\n"
                       for r, name in zip(rows, names))
    if fmt & RATE:
        return "".join("  -> %-28s %8d %8d %8d" % (name[:28], r[14], r[15], r[16]) + largenum(r[17], exact)
                       + largenum(r[18], exact) + "\n" for r, name in zip(rows, names))
    if fmt & THRESHOLDS:
        return "".join("  -> %-28s %-10d %-10d %-10d %-10d\n" % (name[:28], r[4], r[5], r[6], r[7])
                       for r, name in zip(rows, names))
    if fmt & PERSISTENTCONN:
        return "".join("  -> %-28s %-9d %-11d %-10d %-10d\n" % (name[:28], r[3] & 0xFFFFFFFF, r[8], r[6], r[7])
                       for r, name in zip(rows, names))
    return "".join("  -> %-28s %-7s %-6d %-10d %-10d\n" % (name[:28], _FWD_NAMES.get(r[2] & 7, _NULL), r[3], r[6], r[7])
                   for r, name in zip(rows, names))


def service_block(row: tuple, dests: list, fmt: int, namer) -> str:
    """A service's line and its real servers' lines, the servers in ipvsadm's order unless NOSORT."""
    svc_name = service_name(row, fmt, namer)
    if not fmt & NOSORT:
        dests = sort_dests(dests)
    # ipvsadm learns a firewall-mark service's protocol from generic netlink, which does not send one:
    # the ports of its servers stay numbers.
    protocol = 0 if row[3] else row[0]
    return service_line(row, svc_name, fmt) + dest_lines(dests, svc_name, protocol, fmt, namer)


def timeout_line(tcp: int, tcp_fin: int, udp: int) -> str:
    """``ipvsadm -L --timeout``."""
    return f"Timeout (tcp tcpfin udp): {tcp} {tcp_fin} {udp}\n"


def daemon_lines(daemons) -> str:
    """``ipvsadm -L --daemon``: one line per running daemon (``sockctl.ipvs.Daemon`` records), master first.

    The socket options carry the state, interface and sync id; the sync
    message size, group, port and TTL come through generic netlink only.
    """
    lines = []
    for daemon in sorted(daemons, key=lambda d: d.state):
        kind = "master" if daemon.state & abi.IP_VS_STATE_MASTER else "backup"
        lines.append(f"{kind} sync daemon (mcast={daemon.mcast_ifn}, syncid={daemon.syncid})\n")
    return "".join(lines)
