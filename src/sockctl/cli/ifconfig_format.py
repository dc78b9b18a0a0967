"""net-tools 2.10 ifconfig text, from ``interfaces.Interface`` values.

Pure functions: nothing here asks the kernel anything. The layouts, flag
orders and unit rules are net-tools' (lib/interface.c, ife_print_long and
ife_print_short); the tests compare them byte for byte with the real tool.
"""

from sockctl import hwtypes
from sockctl.abi import netdevice as nd
from sockctl.cli import nettools
from sockctl.interfaces import Interface

# Order and names of ife_print_long's flag list.
_LONG_FLAGS = (
    (nd.IFF_UP, "UP"), (nd.IFF_BROADCAST, "BROADCAST"), (nd.IFF_DEBUG, "DEBUG"),
    (nd.IFF_LOOPBACK, "LOOPBACK"), (nd.IFF_POINTOPOINT, "POINTOPOINT"),
    (nd.IFF_NOTRAILERS, "NOTRAILERS"), (nd.IFF_RUNNING, "RUNNING"), (nd.IFF_NOARP, "NOARP"),
    (nd.IFF_PROMISC, "PROMISC"), (nd.IFF_ALLMULTI, "ALLMULTI"), (nd.IFF_SLAVE, "SLAVE"),
    (nd.IFF_MASTER, "MASTER"), (nd.IFF_MULTICAST, "MULTICAST"), (nd.IFF_DYNAMIC, "DYNAMIC"),
)

# Order and letters of ife_print_short's flag column (P appears twice in net-tools).
_SHORT_FLAGS = (
    (nd.IFF_ALLMULTI, "A"), (nd.IFF_BROADCAST, "B"), (nd.IFF_DEBUG, "D"), (nd.IFF_LOOPBACK, "L"),
    (nd.IFF_MULTICAST, "M"), (nd.IFF_DYNAMIC, "d"), (nd.IFF_PROMISC, "P"), (nd.IFF_NOTRAILERS, "N"),
    (nd.IFF_NOARP, "O"), (nd.IFF_POINTOPOINT, "P"), (nd.IFF_SLAVE, "s"), (nd.IFF_MASTER, "m"),
    (nd.IFF_RUNNING, "R"), (nd.IFF_UP, "U"),
)

_PORT_NAMES = ("unknown", "10base2", "10baseT", "AUI", "100baseT", "100baseTX", "100baseFX")

# IPv6 scope bits of /proc/net/if_inet6.
_ADDR_COMPATV4 = 0x80
_SCOPE_NAMES = ((0x20, "link"), (0x40, "site"), (0x10, "host"))

SHORT_HEADER = "Iface      MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg\n"


def flag_names(flags: int) -> list[str]:
    """The names ifconfig prints for IFF_* flags, in its order."""
    return [name for bit, name in _LONG_FLAGS if flags & bit]


def _signed16(value: int) -> int:
    return value - 0x10000 if value & 0x8000 else value


_FLAGS_FIELDS: dict[int, str] = {}  # a listing repeats few flag values: format each once


def _flags_field(flags: int) -> str:
    text = _FLAGS_FIELDS.get(flags)
    if text is None:
        text = _FLAGS_FIELDS[flags] = _format_flags_field(flags)
    return text


def _format_flags_field(flags: int) -> str:
    text = f"flags={_signed16(flags)}<"
    if flags == 0:
        text += ">"
    text += "".join(name + "," for name in flag_names(flags))
    # net-tools turns a final comma into '>' and otherwise drops the last character.
    return text[:-1] + ">" if text.endswith(",") else text[:-1]


def scope_text(scope: int) -> str:
    """``<link>``, ``<global>``, ``<compat,global>``... as ifconfig prints an IPv6 scope."""
    names = []
    if scope & _ADDR_COMPATV4:
        names.append("compat")
        scope -= _ADDR_COMPATV4
    if scope == 0:
        names.append("global")
    names.extend(name for bit, name in _SCOPE_NAMES if scope & bit)
    return "<" + ",".join(names) + ">" if names else ""


def _size(value: int) -> str:
    """``(111.2 MiB)``: net-tools' one-decimal size with its strict '>' thresholds."""
    if value <= 1024:
        return f"({value}.0 B)"
    if value > 1 << 60:
        tenths, unit = value // 115292150460684697, "EiB"
    else:
        tenths, unit = value * 10, "B"
        for shift, name in ((50, "PiB"), (40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")):
            if value > 1 << shift:
                tenths, unit = value * 10 // (1 << shift), name
                break
    return f"({tenths // 10}.{tenths % 10} {unit})"


def long_entry(ife: Interface) -> str:
    """One interface as ``ifconfig`` prints it, ending with its blank line."""
    out = [f"{ife.name}: {_flags_field(ife.flags)}  mtu {ife.mtu}\n"]
    if ife.address is not None:
        line = f"        inet {_ipv4(ife.address)}  netmask {_ipv4(ife.netmask)}"
        if ife.flags & nd.IFF_BROADCAST:
            line += f"  broadcast {_ipv4(ife.broadcast)}"
        if ife.flags & nd.IFF_POINTOPOINT:
            line += f"  destination {_ipv4(ife.destination)}"
        out.append(line + "\n")
    for a6 in ife.inet6:
        out.append(f"        inet6 {nettools.inet6_text(a6.address)}  prefixlen {a6.prefixlen}  scopeid {a6.scope:#x}"
                   f"{scope_text(a6.scope)}\n")
    hw = hwtypes.by_arphrd(ife.hwtype)
    addr = hw.text(ife.hwaddr)
    line = f"        {hw.name}" if addr is None else f"        {hw.name} {addr}"
    if ife.txqueuelen is not None:
        line += f"  txqueuelen {ife.txqueuelen}"
    out.append(f"{line}  ({hw.title})\n")
    if ife.flags & nd.IFF_PORTSEL:
        port = _PORT_NAMES[ife.map.port] if ife.map.port < len(_PORT_NAMES) else "(null)"
        out.append(f"        media {port}{'autoselect' if ife.flags & nd.IFF_AUTOMEDIA else ''}\n")
    s = ife.stats
    if s is not None:
        out.append(
            f"        RX packets {s.rx_packets}  bytes {s.rx_bytes} {_size(s.rx_bytes)}\n"
            f"        RX errors {s.rx_errors}  dropped {s.rx_dropped}  overruns {s.rx_fifo_errors}"
            f"  frame {s.rx_frame_errors}\n"
            f"        TX packets {s.tx_packets}  bytes {s.tx_bytes} {_size(s.tx_bytes)}\n"
            f"        TX errors {s.tx_errors}  dropped {s.tx_dropped} overruns {s.tx_fifo_errors}"
            f"  carrier {s.tx_carrier_errors}  collisions {s.collisions}\n")
    m = ife.map
    if m.irq or m.mem_start or m.dma or m.base_addr >= 0x100:
        line = "        device "
        if m.irq:
            line += f"interrupt {m.irq}  "
        if m.base_addr >= 0x100:
            line += f"base {m.base_addr:#x}  "
        if m.mem_start:
            line += f"memory {m.mem_start:#x}-{m.mem_end:x}  "
        if m.dma:
            line += f"  dma {m.dma:#x}"
        out.append(line + "\n")
    out.append("\n")
    return "".join(out)


def _ipv4(address) -> str:
    # A value the kernel did not give is printed as net-tools prints an empty sockaddr.
    return "[NONE SET]" if address is None else str(address)


def short_entry(ife: Interface) -> str:
    """One row of ``ifconfig -s``."""
    line = f"{ife.name[:15]:<15} {ife.mtu:5d} "
    s = ife.stats
    if s is not None:
        line += (f"{s.rx_packets:8d} {s.rx_errors:6d} {s.rx_dropped:6d} {s.rx_fifo_errors:<6d} "
                 f"{s.tx_packets:8d} {s.tx_errors:6d} {s.tx_dropped:6d} {s.tx_fifo_errors:6d} ")
    else:
        line += f"{'     - no statistics available -':<56}"
    if ife.flags == 0:
        line += "[NO FLAGS]"
    line += "".join(letter for bit, letter in _SHORT_FLAGS if ife.flags & bit)
    return line + "\n"
