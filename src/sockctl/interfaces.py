"""Network interfaces through the ioctl channel.

Where each value comes from:
- the list of interfaces: /proc/net/dev (every device, with or without an
  address) and SIOCGIFCONF (IPv4 address labels such as ``eth0:1``), as
  net-tools builds it;
- flags, mtu, hardware address, txqueuelen, map, index and the IPv4 address,
  netmask, broadcast and point-to-point address: one SIOCGIF* ioctl each;
- IPv6 addresses: /proc/net/if_inet6 (no ioctl reads them);
- statistics: /proc/net/dev.
The /proc files are read through ``channel.proc_net``, which follows the
namespace the caller is in.

Setters are one ioctl each and say which ``ifconfig`` command they equal.
``sockctl.interface_config.configure`` applies several as one checked step.

Addresses are ``ipaddress`` objects; that module is imported at the first
address met, because its import alone is a fifth of a listing's start-up.
"""

from __future__ import annotations

import ctypes
import errno

from sockctl import channel
from sockctl.abi import inet, netdevice, sockios
from sockctl.abi.families import AF_INET, AF_INET6, SOCK_DGRAM
from sockctl.abi.netdevice import ifreq
from sockctl.errors import AlreadyExists, Busy, DecodeError, InputError, kernel_error
from sockctl.record import Record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    import ipaddress

IFREQ_SIZE = ctypes.sizeof(ifreq)


class Stats(Record):
    """One /proc/net/dev row (net-tools' names for the fields)."""

    rx_bytes: int
    rx_packets: int
    rx_errors: int
    rx_dropped: int
    rx_fifo_errors: int
    rx_frame_errors: int
    rx_compressed: int
    rx_multicast: int
    tx_bytes: int
    tx_packets: int
    tx_errors: int
    tx_dropped: int
    tx_fifo_errors: int
    collisions: int
    tx_carrier_errors: int
    tx_compressed: int


class DeviceMap(Record):
    """struct ifmap: I/O resources of old ISA-style devices."""

    mem_start: int = 0
    mem_end: int = 0
    base_addr: int = 0
    irq: int = 0
    dma: int = 0
    port: int = 0


_NO_MAP = DeviceMap()
_NO_MAP_FIELDS = (0, 0, 0, 0, 0, 0)


class Inet6Address(Record):
    """One /proc/net/if_inet6 row."""

    address: ipaddress.IPv6Address
    prefixlen: int
    scope: int  # IPV6_ADDR_* scope bits: 0 global, 0x10 host, 0x20 link, 0x40 site
    flags: int  # IFA_F_* flags
    ifindex: int


class Interface(Record):
    """What the kernel reports of one interface (or IPv4 alias label)."""

    name: str
    index: int | None
    flags: int  # IFF_* (low 16 bits, as SIOCGIFFLAGS gives them)
    mtu: int
    hwtype: int  # ARPHRD_*
    hwaddr: bytes  # the 14 bytes of sa_data SIOCGIFHWADDR filled in
    txqueuelen: int | None
    map: DeviceMap
    address: ipaddress.IPv4Address | None
    netmask: ipaddress.IPv4Address | None
    broadcast: ipaddress.IPv4Address | None
    destination: ipaddress.IPv4Address | None
    inet6: tuple[Inet6Address, ...]
    stats: Stats | None


# ---- decoding of /proc files (pure) ----

def parse_proc_net_dev(data: bytes) -> dict[str, Stats]:
    """/proc/net/dev as {name: Stats}, in the kernel's order."""
    header_end = data.find(b"\n", data.find(b"\n") + 1) + 1
    header = data[:header_end]
    if not header_end or b"compressed" not in header or b"multicast" not in header:
        raise DecodeError("/proc/net/dev: unrecognised header", 0)
    # Fast path: every row is "NAME: " and 16 counters, so one split of the
    # body gives 17 words a row.
    words = data[header_end:].split()
    names = words[::17]
    if len(words) % 17 == 0 and all(w.endswith(b":") for w in names):
        del words[::17]
        try:
            counters = list(map(int, words))
        except ValueError:
            pass
        else:
            return {name[:-1].decode("utf-8", "surrogateescape"): Stats(*counters[i:i + 16])
                    for name, i in zip(names, range(0, len(counters), 16))}
    return _parse_proc_net_dev_rows(data, header_end)


def _parse_proc_net_dev_rows(data: bytes, offset: int) -> dict[str, Stats]:
    """Row by row, to say where a malformed row starts."""
    result = {}
    for line in data[offset:].split(b"\n"):
        if line.strip():
            name, sep, counters = line.partition(b":")
            fields = counters.split()
            if not sep or len(fields) != 16:
                raise DecodeError("/proc/net/dev: malformed line", offset)
            try:
                stats = Stats(*map(int, fields))
            except ValueError:
                raise DecodeError("/proc/net/dev: counter is not a number", offset) from None
            result[name.strip().decode("utf-8", "surrogateescape")] = stats
        offset += len(line) + 1
    return result


def parse_if_inet6(data: bytes) -> dict[str, list[Inet6Address]]:
    """/proc/net/if_inet6 as {name: [addresses in file order]}."""
    from ipaddress import IPv6Address

    result: dict[str, list[Inet6Address]] = {}
    offset = 0
    for line in data.split(b"\n"):
        if line.strip():
            fields = line.split()
            try:
                if len(fields) != 6 or len(fields[0]) != 32:
                    raise ValueError
                entry = Inet6Address(
                    IPv6Address(bytes.fromhex(fields[0].decode("ascii"))),
                    int(fields[2], 16),
                    int(fields[3], 16),
                    int(fields[4], 16),
                    int(fields[1], 16),
                )
            except ValueError:
                raise DecodeError("/proc/net/if_inet6: malformed line", offset) from None
            result.setdefault(fields[5].decode("utf-8", "surrogateescape"), []).append(entry)
        offset += len(line) + 1
    return result


def parse_ifconf(buf: bytes) -> list[str]:
    """The names in an array of struct ifreq returned by SIOCGIFCONF."""
    if len(buf) % IFREQ_SIZE:
        raise DecodeError(f"SIOCGIFCONF: length {len(buf)} is not a multiple of {IFREQ_SIZE}", len(buf))
    names = []
    for start in range(0, len(buf), IFREQ_SIZE):
        raw = buf[start:start + netdevice.IFNAMSIZ].split(b"\0", 1)[0]
        names.append(raw.decode("utf-8", "surrogateescape"))
    return names


# ---- reading ----

def _sock():
    return channel.control_socket(AF_INET, SOCK_DGRAM)


def statistics() -> dict[str, Stats]:
    """Counters of every device in the current namespace."""
    return parse_proc_net_dev(channel.proc_net("dev"))


def inet6_addresses() -> dict[str, list[Inet6Address]]:
    """IPv6 addresses of every device, by device name."""
    try:
        data = channel.proc_net("if_inet6")
    except FileNotFoundError:  # IPv6 disabled in this kernel
        return {}
    return parse_if_inet6(data)


def address_labels() -> list[str]:
    """IPv4 address labels (``eth0``, ``eth0:1``) from SIOCGIFCONF, one per address."""
    conf = netdevice.ifconf()
    channel.ioctl(_sock(), sockios.SIOCGIFCONF, conf)  # a NULL buffer asks for the size
    while True:
        size = conf.ifc_len + 4 * IFREQ_SIZE  # room for addresses added meanwhile
        buf = ctypes.create_string_buffer(size)
        conf = netdevice.ifconf(size)
        conf.ifc_ifcu.ifcu_buf = ctypes.addressof(buf)
        channel.ioctl(_sock(), sockios.SIOCGIFCONF, conf)
        if conf.ifc_len < size:
            return parse_ifconf(buf.raw[: conf.ifc_len])


def names() -> list[str]:
    """Every interface name and IPv4 alias label: /proc/net/dev order, then new labels."""
    seen = dict.fromkeys(statistics())
    seen.update(dict.fromkeys(address_labels()))
    return list(seen)


def exists(name: str) -> bool:
    """True when SIOCGIFFLAGS answers for NAME (an alias label answers for its device)."""
    try:
        flags(name)
    except OSError:
        return False
    return True


def flags(name: str) -> int:
    """IFF_* flags. Equals the flags= field of ``ifconfig NAME``."""
    req = ifreq.named(name)
    channel.ioctl(_sock(), sockios.SIOCGIFFLAGS, req, name)
    return req.flags


def index(name: str) -> int:
    """The interface index (SIOCGIFINDEX)."""
    req = ifreq.named(name)
    channel.ioctl(_sock(), sockios.SIOCGIFINDEX, req, name)
    return req.ivalue


def name_of(ifindex: int) -> str:
    """The name of interface number IFINDEX (SIOCGIFNAME)."""
    req = ifreq()
    req.set_ivalue(ifindex)
    channel.ioctl(_sock(), sockios.SIOCGIFNAME, req, f"interface index {ifindex}")
    return req.name


def _ipv4(ifr) -> ipaddress.IPv4Address | None:
    """The IPv4 address in an ifreq's sockaddr, or None for another family."""
    family, address = inet.unpack_sockaddr_in(netdevice.ifr_sockaddr(ifr))
    if family != AF_INET:
        return None
    from ipaddress import IPv4Address

    return IPv4Address(address)


def get(name: str, stats: dict[str, Stats] | None = None,
        inet6: dict[str, list[Inet6Address]] | None = None) -> Interface:
    """Everything about one interface. Raises NoSuchDevice when there is none.

    Pass ``stats`` and ``inet6`` (from ``statistics()``/``inet6_addresses()``)
    when fetching many, so the /proc files are read once.
    """
    if stats is None:
        stats = statistics()
    if inet6 is None:
        inet6 = inet6_addresses()
    return _fetch(_sock().fileno(), name, stats, inet6, True)


_FIELD_REQUESTS = (sockios.SIOCGIFHWADDR, sockios.SIOCGIFMTU, sockios.SIOCGIFMAP,
                   sockios.SIOCGIFTXQLEN, sockios.SIOCGIFINDEX)
_IPV4_REQUESTS = (sockios.SIOCGIFADDR, sockios.SIOCGIFDSTADDR, sockios.SIOCGIFBRDADDR, sockios.SIOCGIFNETMASK)


def _fetch(fd: int, name: str, stats, inet6, may_have_ipv4: bool) -> Interface:
    req = ifreq.named(name)
    channel.ioctl(fd, sockios.SIOCGIFFLAGS, req, name)
    template = bytes(req)
    # Each field falls back on its own when its ioctl fails, as net-tools does.
    hw, mtu, devmap, qlen, ifindex = channel.ioctl_each(fd, _FIELD_REQUESTS, template)
    hwtype, hwaddr = netdevice.ifr_hwaddr(hw) if hw else (0, bytes(14))
    devmap = netdevice.ifr_map(devmap) if devmap else _NO_MAP_FIELDS
    address = netmask = broadcast = destination = None
    if may_have_ipv4:
        addr, dst, brd, mask = channel.ioctl_each(fd, _IPV4_REQUESTS, template)
        if addr:
            address = _ipv4(addr)
            destination = _ipv4(dst) if dst else None
            broadcast = _ipv4(brd) if brd else None
            netmask = _ipv4(mask) if mask else None
    return Interface(
        name,
        netdevice.ifr_ivalue(ifindex) if ifindex else None,
        req.flags,
        netdevice.ifr_ivalue(mtu) if mtu else 0,
        hwtype,
        hwaddr,
        netdevice.ifr_ivalue(qlen) if qlen else None,
        _NO_MAP if devmap == _NO_MAP_FIELDS else DeviceMap(*devmap),
        address, netmask, broadcast, destination,
        tuple(inet6.get(name, ())),
        stats.get(name),
    )


def list_all() -> list[Interface]:
    """Every interface and alias label, in ``names()`` order.

    A device that disappears while the list is read is left out.
    """
    stats = statistics()
    inet6 = inet6_addresses()
    labels = address_labels()
    with_ipv4 = set(labels)  # only these can answer SIOCGIFADDR: the others are not asked
    seen = dict.fromkeys(stats)
    seen.update(dict.fromkeys(labels))
    fd = _sock().fileno()
    result = []
    for name in seen:
        try:
            result.append(_fetch(fd, name, stats, inet6, name in with_ipv4))
        except OSError:
            continue
    return result


# ---- writing ----

def _set(request: int, req: ifreq, name: str) -> None:
    channel.ioctl(_sock(), request, req, name)


def set_flags(name: str, set_bits: int = 0, clear_bits: int = 0) -> int:
    """Turn flags on and off; returns the flags now in force.

    ``ifconfig NAME up`` is set_bits=IFF_UP|IFF_RUNNING; ``ifconfig NAME -arp``
    is set_bits=IFF_NOARP. The read and the write are two ioctls, as in net-tools.
    """
    req = ifreq.named(name)
    channel.ioctl(_sock(), sockios.SIOCGIFFLAGS, req, name)
    new = (req.flags | set_bits) & ~clear_bits & 0xFFFF
    req.set_flags(new)
    _set(sockios.SIOCSIFFLAGS, req, name)
    return flags(name)


def _set_int(request: int, name: str, value: int) -> None:
    req = ifreq.named(name)
    req.set_ivalue(value)
    _set(request, req, name)


def set_mtu(name: str, mtu: int) -> None:
    """``ifconfig NAME mtu MTU``."""
    if not 0 <= mtu <= 0x7FFFFFFF:
        raise InputError(f"mtu {mtu} is out of range")
    _set_int(sockios.SIOCSIFMTU, name, mtu)


def set_txqueuelen(name: str, length: int) -> None:
    """``ifconfig NAME txqueuelen LEN``."""
    if not 0 <= length <= 0x7FFFFFFF:
        raise InputError(f"txqueuelen {length} is out of range")
    _set_int(sockios.SIOCSIFTXQLEN, name, length)


def _set_ipv4(request: int, name: str, address: ipaddress.IPv4Address) -> None:
    from ipaddress import IPv4Address

    req = ifreq.named(name)
    req.set_sockaddr_bytes(inet.pack_sockaddr_in(IPv4Address(address).packed))
    _set(request, req, name)


def set_address(name: str, address: ipaddress.IPv4Address) -> None:
    """``ifconfig NAME ADDRESS`` without the implied ``up``.

    The kernel gives a new address its classful netmask and broadcast;
    0.0.0.0 deletes the address.
    """
    _set_ipv4(sockios.SIOCSIFADDR, name, address)


def set_netmask(name: str, netmask: ipaddress.IPv4Address) -> None:
    """``ifconfig NAME netmask MASK``."""
    _set_ipv4(sockios.SIOCSIFNETMASK, name, netmask)


def set_broadcast(name: str, address: ipaddress.IPv4Address) -> None:
    """``ifconfig NAME broadcast ADDRESS`` without the implied flag."""
    _set_ipv4(sockios.SIOCSIFBRDADDR, name, address)


def set_destination(name: str, address: ipaddress.IPv4Address) -> None:
    """``ifconfig NAME dstaddr ADDRESS``: the point-to-point peer."""
    _set_ipv4(sockios.SIOCSIFDSTADDR, name, address)


def set_hwaddr(name: str, hwtype: int, address: bytes) -> None:
    """``ifconfig NAME hw ether ADDRESS`` (hwtype is an ARPHRD_* value)."""
    req = ifreq.named(name)
    req.set_hwaddr(hwtype, address)
    _set(sockios.SIOCSIFHWADDR, req, name)


def set_map(name: str, devmap: DeviceMap) -> None:
    """``ifconfig NAME irq N`` / ``io_addr N`` / ``mem_start N``: SIOCSIFMAP."""
    req = ifreq.named(name)
    value = netdevice.ifmap(devmap.mem_start, devmap.mem_end, devmap.base_addr,
                            devmap.irq, devmap.dma, devmap.port)
    req.set_map(value)
    _set(sockios.SIOCSIFMAP, req, name)


def rename(name: str, new_name: str) -> None:
    """``ifconfig NAME name NEW``: the device must be down."""
    req = ifreq.named(name)
    req.set_newname(new_name)
    try:
        _set(sockios.SIOCSIFNAME, req, name)
    except AlreadyExists:
        raise kernel_error(errno.EEXIST, "SIOCSIFNAME", new_name) from None
    except Busy:
        raise kernel_error(errno.EBUSY, "SIOCSIFNAME", name, "is up: bring it down to rename it") from None


def _inet6_request(request: int, name: str, address: ipaddress.IPv6Address, prefixlen: int) -> None:
    from ipaddress import IPv6Address

    if not 0 <= prefixlen <= 128:
        raise InputError(f"prefix length {prefixlen} is out of range 0-128")
    ifindex = index(name)
    buf = bytearray(inet.pack_in6_ifreq(IPv6Address(address).packed, prefixlen, ifindex))
    sock = channel.control_socket(AF_INET6, SOCK_DGRAM)
    channel.ioctl(sock, request, buf, name)


def add_inet6(name: str, address: ipaddress.IPv6Address, prefixlen: int = 128) -> None:
    """``ifconfig NAME add ADDRESS/PREFIXLEN``: SIOCSIFADDR on an AF_INET6 socket."""
    _inet6_request(sockios.SIOCSIFADDR, name, address, prefixlen)


def del_inet6(name: str, address: ipaddress.IPv6Address, prefixlen: int = 128) -> None:
    """``ifconfig NAME del ADDRESS/PREFIXLEN``: SIOCDIFADDR on an AF_INET6 socket."""
    _inet6_request(sockios.SIOCDIFADDR, name, address, prefixlen)
