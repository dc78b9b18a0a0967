"""Changing bridges through the ioctl channel (``brctl addbr``, ``addif``, ``set*``, ``stp``, ...).

Bridges are made and removed with SIOCBRADDBR/SIOCBRDELBR, ports added and
removed with SIOCBRADDIF/SIOCBRDELIF, and bridge and port values set with
SIOCDEVPRIVATE and the BRCTL_SET_* commands. Hairpin mode has no ioctl and is
written to the namespace's own sysfs (``brport/hairpin_mode``).

Each operation checks what it can before the first change: names, value
ranges, that the bridge is a bridge, that each port exists and is (or is not
yet) a port. Failures raise the errno the kernel would have returned, so a
caller can tell them apart the same way. Adding or removing several ports is
all or nothing: when the kernel refuses one, the ones done before it are
undone (a port removed and put back gets the kernel's default priority and
path cost again).

Times are in hundredths of a second (clock_t), as the kernel takes them.
"""

import errno

from sockctl import bridges, channel, interfaces
from sockctl.abi import if_bridge as br, sockios
from sockctl.abi.netdevice import IFNAMSIZ, encode_ifname, ifreq
from sockctl.errors import InputError, kernel_error

MAX_CLOCK_T = 0xFFFFFFFF  # the kernel reports these times back in 32 bits
MAX_BRIDGE_PRIORITY = 0xFFFF  # the kernel keeps 16 bits and would drop the rest silently


def _sock():
    return channel.control_socket()


def _require_bridge(name: str, call: str) -> None:
    """Raise unless NAME is a bridge: ENODEV when there is no such device, EOPNOTSUPP when it is not a bridge."""
    try:
        bridges.raw_bridge_info(name)
    except ValueError:
        raise kernel_error(errno.ENODEV, call, name, "no such bridge") from None
    except OSError as exc:
        if exc.errno == errno.EOPNOTSUPP:
            raise kernel_error(errno.EOPNOTSUPP, call, name, "not a bridge") from None
        raise kernel_error(exc.errno, call, name) from None


def _index(name: str, call: str) -> int:
    try:
        return interfaces.index(name)
    except ValueError:
        raise kernel_error(errno.ENODEV, call, name, "no such device") from None
    except OSError as exc:
        raise kernel_error(exc.errno, call, name) from None


def add_bridge(name: str) -> None:
    """``brctl addbr NAME``: SIOCBRADDBR. EEXIST when a device of that name exists."""
    try:
        raw = encode_ifname(name)
    except ValueError as exc:
        raise InputError(f"bridge name: {exc}") from None
    # The kernel copies IFNAMSIZ bytes, whatever the name's length.
    channel.ioctl(_sock(), sockios.SIOCBRADDBR, bytearray(raw.ljust(IFNAMSIZ, b"\0")), name)


def delete_bridge(name: str) -> None:
    """``brctl delbr NAME``: SIOCBRDELBR. ENXIO: no such bridge; EBUSY: it is up."""
    try:
        _require_bridge(name, "SIOCBRDELBR")
    except OSError as exc:
        if exc.errno == errno.ENODEV:
            raise kernel_error(errno.ENXIO, "SIOCBRDELBR", name, "no such bridge") from None
        raise
    channel.ioctl(_sock(), sockios.SIOCBRDELBR, bytearray(encode_ifname(name).ljust(IFNAMSIZ, b"\0")), name)


def _port_request(request: int, bridge: str, ifindex: int, port: str) -> None:
    req = ifreq.named(bridge)
    req.set_ivalue(ifindex)
    channel.ioctl(_sock(), request, req, port)


def _each_or_none(bridge: str, ports: list[tuple[str, int]], request: int, undo: int) -> None:
    """REQUEST for each (name, index) of PORTS; when one fails, UNDO for those done, newest first."""
    done = []
    try:
        for port, ifindex in ports:
            _port_request(request, bridge, ifindex, port)
            done.append((port, ifindex))
    except BaseException:
        for port, ifindex in reversed(done):
            _port_request(undo, bridge, ifindex, port)
        raise


def _memberships() -> dict[int, str]:
    """{interface index: bridge name} of every port of every bridge."""
    owner = {}
    for name in bridges.bridge_names():
        try:
            for ifindex in bridges.port_numbers(name).values():
                owner[ifindex] = name
        except OSError:
            continue  # went away meanwhile
    return owner


def _distinct(ports: list[str]) -> None:
    if not ports:
        raise InputError("no port given")
    for port in ports:
        if ports.count(port) > 1:
            raise InputError(f"port {port} is given twice")


def add_ports(bridge: str, ports: list[str]) -> None:
    """``brctl addif BRIDGE PORT...``: SIOCBRADDIF for each, all or nothing.

    EBUSY: a port is in a bridge already; ELOOP: a port is a bridge itself.
    """
    _distinct(ports)
    indexes = [_index(port, "SIOCBRADDIF") for port in ports]
    _require_bridge(bridge, "SIOCBRADDIF")
    owners = _memberships()
    for port, ifindex in zip(ports, indexes):
        if ifindex in owners:
            raise kernel_error(errno.EBUSY, "SIOCBRADDIF", port, f"already a port of bridge {owners[ifindex]}")
        if bridges.is_bridge(port):
            raise kernel_error(errno.ELOOP, "SIOCBRADDIF", port, "is a bridge itself")
    _each_or_none(bridge, list(zip(ports, indexes)), sockios.SIOCBRADDIF, sockios.SIOCBRDELIF)


def remove_ports(bridge: str, ports: list[str]) -> None:
    """``brctl delif BRIDGE PORT...``: SIOCBRDELIF for each, all or nothing.

    EINVAL: a port is not a port of BRIDGE.
    """
    _distinct(ports)
    indexes = [_index(port, "SIOCBRDELIF") for port in ports]
    _require_bridge(bridge, "SIOCBRDELIF")
    members = set(bridges.port_numbers(bridge).values())
    for port, ifindex in zip(ports, indexes):
        if ifindex not in members:
            raise kernel_error(errno.EINVAL, "SIOCBRDELIF", port, f"not a port of {bridge}")
    _each_or_none(bridge, list(zip(ports, indexes)), sockios.SIOCBRDELIF, sockios.SIOCBRADDIF)


# ---- bridge values ----

def _checked(value: int, what: str, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{what} must be a whole number, not {value!r}")
    if not 0 <= value <= high:
        raise InputError(f"{what} {value} is out of range (0-{high})")
    return value


def _set_bridge(bridge: str, command: int, value: int) -> None:
    try:
        bridges.private(bridge, command, value)
    except ValueError:  # a name no device can have
        raise kernel_error(errno.ENODEV, "SIOCDEVPRIVATE", bridge, "no such bridge") from None


def set_ageing_time(bridge: str, centiseconds: int) -> None:
    """``brctl setageing BRIDGE SECONDS``: how long a learned address stays (BRCTL_SET_AGEING_TIME)."""
    _set_bridge(bridge, br.BRCTL_SET_AGEING_TIME, _checked(centiseconds, "ageing time", MAX_CLOCK_T))


def set_forward_delay(bridge: str, centiseconds: int) -> None:
    """``brctl setfd BRIDGE SECONDS`` (BRCTL_SET_BRIDGE_FORWARD_DELAY).

    With STP on, the kernel takes 2 to 30 seconds (ERANGE otherwise).
    """
    _set_bridge(bridge, br.BRCTL_SET_BRIDGE_FORWARD_DELAY, _checked(centiseconds, "forward delay", MAX_CLOCK_T))


def set_hello_time(bridge: str, centiseconds: int) -> None:
    """``brctl sethello BRIDGE SECONDS`` (BRCTL_SET_BRIDGE_HELLO_TIME); the kernel takes 1 to 10 seconds."""
    _set_bridge(bridge, br.BRCTL_SET_BRIDGE_HELLO_TIME, _checked(centiseconds, "hello time", MAX_CLOCK_T))


def set_max_age(bridge: str, centiseconds: int) -> None:
    """``brctl setmaxage BRIDGE SECONDS`` (BRCTL_SET_BRIDGE_MAX_AGE); the kernel takes 6 to 40 seconds."""
    _set_bridge(bridge, br.BRCTL_SET_BRIDGE_MAX_AGE, _checked(centiseconds, "max age", MAX_CLOCK_T))


def set_bridge_priority(bridge: str, priority: int) -> None:
    """``brctl setbridgeprio BRIDGE PRIORITY`` (BRCTL_SET_BRIDGE_PRIORITY), 0 to 65535."""
    _set_bridge(bridge, br.BRCTL_SET_BRIDGE_PRIORITY, _checked(priority, "bridge priority", MAX_BRIDGE_PRIORITY))


def set_stp(bridge: str, enabled: bool) -> None:
    """``brctl stp BRIDGE on|off`` (BRCTL_SET_BRIDGE_STP_STATE)."""
    _set_bridge(bridge, br.BRCTL_SET_BRIDGE_STP_STATE, 1 if enabled else 0)


# ---- port values ----

def _port_number(bridge: str, port: str, call: str) -> int:
    """PORT's number in BRIDGE; EINVAL when it is not a port of BRIDGE."""
    ifindex = _index(port, call)
    _require_bridge(bridge, call)
    for port_no, member in bridges.port_numbers(bridge).items():
        if member == ifindex:
            return port_no
    raise kernel_error(errno.EINVAL, call, port, f"not a port of {bridge}")


def set_port_priority(bridge: str, port: str, priority: int) -> None:
    """``brctl setportprio BRIDGE PORT PRIORITY`` (BRCTL_SET_PORT_PRIORITY); the kernel takes 0 to 63."""
    priority = _checked(priority, "port priority", MAX_CLOCK_T)
    port_no = _port_number(bridge, port, "BRCTL_SET_PORT_PRIORITY")
    bridges.private(bridge, br.BRCTL_SET_PORT_PRIORITY, port_no, priority)


def set_path_cost(bridge: str, port: str, cost: int) -> None:
    """``brctl setpathcost BRIDGE PORT COST`` (BRCTL_SET_PATH_COST); the kernel takes 1 to 65535."""
    cost = _checked(cost, "path cost", MAX_CLOCK_T)
    port_no = _port_number(bridge, port, "BRCTL_SET_PATH_COST")
    bridges.private(bridge, br.BRCTL_SET_PATH_COST, port_no, cost)


def set_hairpin(bridge: str, port: str, enabled: bool) -> None:
    """``brctl hairpin BRIDGE PORT on|off``: no ioctl carries it, so sysfs ``brport/hairpin_mode``."""
    _port_number(bridge, port, "hairpin")
    channel.sysfs_write(f"/sys/class/net/{port}/brport/hairpin_mode", b"1\n" if enabled else b"0\n")

