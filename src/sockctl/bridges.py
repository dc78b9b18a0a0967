"""Ethernet bridges through the ioctl channel: reading (``brctl show``, ``showmacs``, ``showstp``).

Where each value comes from, and why:

- the bridges: SIOCGIFBR with BRCTL_GET_BRIDGES (their interface indexes),
  names by SIOCGIFNAME. The kernel returns at most 2047 (it refuses a larger
  array); when that many come back, every device of /proc/net/dev is asked
  with BRCTL_GET_BRIDGE_INFO, which only a bridge answers;
- a bridge's values: SIOCDEVPRIVATE with BRCTL_GET_BRIDGE_INFO, save two.
  ``forward_delay`` (the one in effect) comes in the kernel's internal tick
  (HZ), which user space has no way to convert, and ``root_port`` in 8 bits
  although port numbers reach 1023. When the bridge is its own root the
  kernel keeps the first equal to ``bridge_forward_delay`` (which comes in
  hundredths of a second) and the second is 0, so the ioctl still answers;
  for a bridge that is not the root both are read from sysfs
  (``bridge/forward_delay``, ``bridge/root_port``). ``bridge_max_age`` and
  ``bridge_hello_time`` come in the internal tick too and sysfs does not have
  them, so they are not reported (brctl shows the values in effect in their
  place, and so does ``sockctl brctl``);
- the ports: BRCTL_GET_PORT_LIST (the interface index at each port number);
- a port's values: BRCTL_GET_PORT_INFO by port number, save
  ``hairpin_mode``, which no ioctl carries: sysfs ``brport/hairpin_mode``;
- the forwarding table: BRCTL_GET_FDB_ENTRIES, a page at a time.

sysfs is read through ``channel.sysfs_read``, which mounts the current
namespace's own sysfs (the process's /sys may show another namespace).
Times are in hundredths of a second (clock_t), as the kernel reports them.
Changes are in ``sockctl.bridge_config``.
"""

import ctypes
import errno

from sockctl import channel
from sockctl.abi import if_bridge as br, sockios
from sockctl.abi.netdevice import ifreq
from sockctl.errors import DecodeError, kernel_error
from sockctl.record import Record, replace

# Limits of the kernel's bridge code (net/bridge/br_private.h, br_ioctl.c),
# not part of the UAPI headers.
MAX_PORTS = 1024  # BR_MAX_PORTS: port numbers run from 1 to 1023
MAX_BRIDGES_PER_CALL = 2047  # BRCTL_GET_BRIDGES refuses an array of 2048 or more
FDB_CHUNK = 256  # entries in a page: the most BRCTL_GET_FDB_ENTRIES returns at once

STATE_NAMES = {
    br.BR_STATE_DISABLED: "disabled",
    br.BR_STATE_LISTENING: "listening",
    br.BR_STATE_LEARNING: "learning",
    br.BR_STATE_FORWARDING: "forwarding",
    br.BR_STATE_BLOCKING: "blocking",
}


class BridgeId(Record):
    """An STP bridge identifier: priority and MAC address."""

    priority: int
    address: bytes

    def __str__(self) -> str:
        """The usual text form, ``8000.020000000001``."""
        return f"{self.priority:04x}.{self.address.hex()}"


class Bridge(Record):
    """A bridge as ``brctl show`` lists it."""

    name: str
    bridge_id: BridgeId
    stp_enabled: bool
    ports: tuple[str, ...]  # sorted by name


class BridgeInfo(Record):
    """What ``brctl showstp`` says of the bridge itself; times in 1/100 s."""

    bridge_id: BridgeId
    designated_root: BridgeId
    root_port: int | None  # None: not carried by the ioctl (see decode_bridge_info)
    root_path_cost: int
    max_age: int
    hello_time: int
    forward_delay: int | None  # the one in effect; None: not carried by the ioctl
    bridge_forward_delay: int  # the one configured
    ageing_time: int
    stp_enabled: bool
    topology_change: bool
    topology_change_detected: bool
    hello_timer: int
    tcn_timer: int
    topology_change_timer: int
    gc_timer: int

    @property
    def is_root(self) -> bool:
        return self.bridge_id == self.designated_root


class PortInfo(Record):
    """One port's STP values, as ``brctl showstp`` prints them; times in 1/100 s."""

    name: str
    port_no: int
    port_id: int
    state: int  # BR_STATE_*
    designated_root: BridgeId
    designated_bridge: BridgeId
    designated_port: int
    designated_cost: int
    path_cost: int
    top_change_ack: bool
    config_pending: bool
    message_age_timer: int
    forward_delay_timer: int
    hold_timer: int
    hairpin_mode: bool | None  # None: not read (it needs sysfs)


class FdbEntry(Record):
    """One forwarding-table entry (``brctl showmacs``)."""

    address: bytes
    port_no: int
    is_local: bool
    ageing_timer: int  # 1/100 s since the address was last seen; 0 for static entries


# ---- decoding (pure) ----

def decode_bridge_id(raw: bytes) -> BridgeId:
    """struct bridge_id: two bytes of priority (big-endian), six of address."""
    if len(raw) != 8:
        raise DecodeError(f"bridge id of {len(raw)} bytes, not 8")
    return BridgeId(int.from_bytes(raw[:2], "big"), bytes(raw[2:]))


def decode_bridge_info(buf) -> BridgeInfo:
    """A struct __bridge_info.

    For a bridge that is not the root, forward_delay and root_port are None:
    the ioctl does not carry them usably (see the module docstring).
    """
    if len(buf) != br.BRIDGE_INFO.size:
        raise DecodeError(f"__bridge_info of {len(buf)} bytes, not {br.BRIDGE_INFO.size}")
    (root, own, root_path_cost, max_age, hello_time, _forward_delay_ticks, _bridge_max_age_ticks,
     _bridge_hello_time_ticks, bridge_forward_delay, topology_change, topology_change_detected,
     root_port, stp_enabled, ageing_time, _gc_interval, hello_timer, tcn_timer, topology_change_timer,
     gc_timer) = br.BRIDGE_INFO.unpack(buf)
    is_root = root == own
    return BridgeInfo(
        decode_bridge_id(own), decode_bridge_id(root),
        root_port if is_root else None, root_path_cost, max_age, hello_time,
        bridge_forward_delay if is_root else None, bridge_forward_delay, ageing_time,
        bool(stp_enabled), bool(topology_change), bool(topology_change_detected),
        hello_timer, tcn_timer, topology_change_timer, gc_timer)


def decode_port_list(buf) -> dict[int, int]:
    """An int array indexed by port number: {port number: interface index} of the ports present."""
    if len(buf) % 4:
        raise DecodeError(f"port list of {len(buf)} bytes is not a whole number of ints")
    indexes = memoryview(buf).cast("i")
    return {port_no: ifindex for port_no, ifindex in enumerate(indexes) if ifindex}


def decode_port_info(buf, name: str, port_no: int) -> PortInfo:
    """A struct __port_info of port NAME, number PORT_NO (hairpin mode unknown)."""
    if len(buf) != br.PORT_INFO.size:
        raise DecodeError(f"__port_info of {len(buf)} bytes, not {br.PORT_INFO.size}")
    (root, bridge, port_id, designated_port, path_cost, designated_cost, state, top_change_ack,
     config_pending, message_age_timer, forward_delay_timer, hold_timer) = br.PORT_INFO.unpack(buf)
    return PortInfo(name, port_no, port_id, state, decode_bridge_id(root), decode_bridge_id(bridge),
                    designated_port, designated_cost, path_cost, bool(top_change_ack), bool(config_pending),
                    message_age_timer, forward_delay_timer, hold_timer, None)


def decode_fdb_entries(buf) -> list[FdbEntry]:
    """An array of struct __fdb_entry."""
    size = br.FDB_ENTRY.size
    if len(buf) % size:
        raise DecodeError(f"forwarding table of {len(buf)} bytes is not a whole number of entries")
    return [FdbEntry(mac, port_hi << 8 | port_lo, bool(is_local), timer)
            for mac, port_lo, is_local, timer, port_hi, _unused in br.FDB_ENTRY.iter_unpack(buf)]


def parse_sysfs_int(raw: bytes, what: str) -> int:
    """A number as sysfs prints it: decimal, or hexadecimal with 0x (port numbers)."""
    text = raw.strip()
    try:
        return int(text, 16) if text[:2] in (b"0x", b"0X") else int(text, 10)
    except ValueError:
        raise DecodeError(f"sysfs {what}: {raw[:40]!r} is not a number") from None


def sort_key(name: str) -> bytes:
    """brctl's order (alphasort in the C locale): by the bytes of the name."""
    return name.encode("utf-8", "surrogateescape")


# ---- reading ----

def _sock():
    return channel.control_socket()


def deviceless(command: int, arg1: int = 0, arg2: int = 0, set_: bool = False, target: str = "") -> int:
    """SIOCGIFBR (SIOCSIFBR with ``set_``) with args {COMMAND, ARG1, ARG2}: the kernel's return value."""
    args = br.DevicelessArgs(command, arg1, arg2)
    return channel.ioctl(_sock(), sockios.SIOCSIFBR if set_ else sockios.SIOCGIFBR, args, target)


def private(bridge: str, command: int, arg1: int = 0, arg2: int = 0, arg3: int = 0) -> int:
    """SIOCDEVPRIVATE on BRIDGE with args {COMMAND, ARG1, ARG2, ARG3}: the kernel's return value."""
    args = br.DevArgs(command, arg1, arg2, arg3)
    req = ifreq.named(bridge)
    req.set_data(ctypes.addressof(args))
    return channel.ioctl(_sock(), sockios.SIOCDEVPRIVATE, req, bridge)


def version() -> int:
    """The kernel's bridge ioctl interface version (BRCTL_GET_VERSION): 1."""
    return deviceless(br.BRCTL_GET_VERSION)


def bridge_indexes() -> list[int]:
    """Interface indexes of the namespace's bridges (BRCTL_GET_BRIDGES), in the kernel's order."""
    indexes = (ctypes.c_int * MAX_BRIDGES_PER_CALL)()
    count = deviceless(br.BRCTL_GET_BRIDGES, ctypes.addressof(indexes), MAX_BRIDGES_PER_CALL)
    if not 0 <= count <= MAX_BRIDGES_PER_CALL:
        raise DecodeError(f"BRCTL_GET_BRIDGES returned {count} bridges for room for {MAX_BRIDGES_PER_CALL}")
    return list(indexes[:count])


def name_of(ifindex: int) -> str:
    """The name of interface number IFINDEX (SIOCGIFNAME)."""
    # Imported here: listing the forwarding table needs no names, and would
    # pay for the import in start-up time.
    from sockctl import interfaces

    return interfaces.name_of(ifindex)


def _names(indexes) -> list[str]:
    """Interface names of INDEXES; devices that vanished meanwhile are left out."""
    result = []
    for ifindex in indexes:
        try:
            result.append(name_of(ifindex))
        except OSError:
            continue
    return result


def bridge_names() -> list[str]:
    """The namespace's bridges, in brctl's order (by name)."""
    indexes = bridge_indexes()
    if len(indexes) < MAX_BRIDGES_PER_CALL:
        names = _names(indexes)
    else:
        # The kernel filled the largest array it takes: there may be more
        # bridges than it can return. Ask every device instead.
        from sockctl import interfaces

        names = [name for name in interfaces.statistics() if is_bridge(name)]
    return sorted(names, key=sort_key)


def raw_bridge_info(bridge: str) -> bytes:
    """The struct __bridge_info of BRIDGE. ENODEV: no such device; EOPNOTSUPP: not a bridge."""
    buf = ctypes.create_string_buffer(br.BRIDGE_INFO.size)
    private(bridge, br.BRCTL_GET_BRIDGE_INFO, ctypes.addressof(buf))
    return buf.raw


def is_bridge(name: str) -> bool:
    """True when NAME is a bridge of this namespace."""
    try:
        raw_bridge_info(name)
    except (OSError, ValueError):
        return False
    return True


def port_numbers(bridge: str) -> dict[int, int]:
    """{port number: interface index} of BRIDGE's ports (BRCTL_GET_PORT_LIST)."""
    indexes = (ctypes.c_int * MAX_PORTS)()
    count = private(bridge, br.BRCTL_GET_PORT_LIST, ctypes.addressof(indexes), MAX_PORTS)
    if not 0 < count <= MAX_PORTS:
        raise DecodeError(f"BRCTL_GET_PORT_LIST returned {count} ports for room for {MAX_PORTS}")
    return decode_port_list(bytes(indexes)[:count * 4])


def ports(bridge: str) -> dict[str, int]:
    """{port name: port number} of BRIDGE's ports, sorted by name (``brctl show BRIDGE``)."""
    numbers = port_numbers(bridge)
    named = {}
    for port_no, ifindex in numbers.items():
        try:
            named[name_of(ifindex)] = port_no
        except OSError:
            continue  # left meanwhile
    return {name: named[name] for name in sorted(named, key=sort_key)}


def bridge(name: str) -> Bridge:
    """One bridge as ``brctl show NAME`` lists it."""
    info = decode_bridge_info(raw_bridge_info(name))
    return Bridge(name, info.bridge_id, info.stp_enabled, tuple(ports(name)))


def list_bridges() -> list[Bridge]:
    """Every bridge of the namespace, by name (``brctl show``); bridges that vanish meanwhile are left out."""
    result = []
    for name in bridge_names():
        try:
            result.append(bridge(name))
        except OSError:
            continue
    return result


def _sysfs_bridge_values(name: str) -> tuple[int, int]:
    """(forward_delay, root_port) from the namespace's sysfs."""
    delay, root_port = channel.sysfs_read([f"/sys/class/net/{name}/bridge/forward_delay",
                                           f"/sys/class/net/{name}/bridge/root_port"])
    if delay is None or root_port is None:
        raise kernel_error(errno.ENODEV, "sysfs", name, "bridge vanished while being read")
    return parse_sysfs_int(delay, "forward_delay"), parse_sysfs_int(root_port, "root_port")


def bridge_info(name: str) -> BridgeInfo:
    """The bridge's own STP values: the first part of ``brctl showstp NAME``."""
    info = decode_bridge_info(raw_bridge_info(name))
    if not info.is_root:
        forward_delay, root_port = _sysfs_bridge_values(name)
        info = replace(info, forward_delay=forward_delay, root_port=root_port)
    return info


def _port_info(bridge: str, name: str, port_no: int) -> PortInfo:
    buf = ctypes.create_string_buffer(br.PORT_INFO.size)
    private(bridge, br.BRCTL_GET_PORT_INFO, ctypes.addressof(buf), port_no)
    return decode_port_info(buf.raw, name, port_no)


def _with_hairpin(found: list[PortInfo]) -> list[PortInfo]:
    """FOUND with hairpin_mode read from sysfs (one mount for all)."""
    if not found:
        return found
    values = channel.sysfs_read([f"/sys/class/net/{p.name}/brport/hairpin_mode" for p in found])
    result = []
    for port, raw in zip(found, values):
        if raw is not None:  # a port that left meanwhile keeps None
            port = replace(port, hairpin_mode=bool(parse_sysfs_int(raw, "hairpin_mode")))
        result.append(port)
    return result


def port_info(bridge: str, port: str, hairpin: bool = True) -> PortInfo:
    """One port's STP values (a port section of ``brctl showstp BRIDGE``).

    NotFound when PORT is not a port of BRIDGE. ``hairpin=False`` leaves out
    the one value that needs sysfs.
    """
    numbers = ports(bridge)
    if port not in numbers:
        raise kernel_error(errno.ENOENT, "BRCTL_GET_PORT_INFO", port, f"not a port of {bridge}")
    found = [_port_info(bridge, port, numbers[port])]
    return (_with_hairpin(found) if hairpin else found)[0]


def ports_info(bridge: str, hairpin: bool = True) -> list[PortInfo]:
    """Every port's STP values, by port name (the port sections of ``brctl showstp BRIDGE``)."""
    found = []
    for name, port_no in ports(bridge).items():
        try:
            found.append(_port_info(bridge, name, port_no))
        except OSError as exc:
            if exc.errno != errno.EINVAL:  # EINVAL: the port left meanwhile
                raise
    return _with_hairpin(found) if hairpin else found


def fdb_entries(bridge: str) -> list[FdbEntry]:
    """BRIDGE's forwarding table in the kernel's order (``brctl showmacs`` sorts it by address)."""
    buf = ctypes.create_string_buffer(FDB_CHUNK * br.FDB_ENTRY.size)
    address = ctypes.addressof(buf)
    entries: list[FdbEntry] = []
    while True:
        count = private(bridge, br.BRCTL_GET_FDB_ENTRIES, address, FDB_CHUNK, len(entries))
        if count == 0:
            return entries
        if not 0 < count <= FDB_CHUNK:
            raise DecodeError(f"BRCTL_GET_FDB_ENTRIES returned {count} entries for room for {FDB_CHUNK}")
        entries += decode_fdb_entries(buf.raw[:count * br.FDB_ENTRY.size])
