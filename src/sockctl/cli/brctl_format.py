"""bridge-utils 1.7.1 brctl text, as pure functions of sockctl.bridges records.

The layouts follow brctl's printf formats: ``%4i.%.2i`` timers (seconds and
hundredths), ``%.2x`` bytes of bridge ids and MAC addresses, tabs between
columns. Numbers brctl prints with ``%i`` from unsigned fields go through
``nettools.c_int`` as C would print them.
"""

from operator import attrgetter

from sockctl.bridges import STATE_NAMES
from sockctl.cli.nettools import c_int

SHOW_HEADER = "bridge name\tbridge id\t\tSTP enabled\tinterfaces\n"
SHOWMACS_HEADER = "port no\tmac addr\t\tis local?\tageing timer\n"
PORT_SEPARATOR = "\n\t\t\t\t\t\t\t"


def timer(centiseconds: int) -> str:
    """brctl's br_show_timer: seconds in four places, then hundredths (of a 32-bit clock_t)."""
    return f"{centiseconds // 100:4d}.{centiseconds % 100:02d}"


def mac_text(address: bytes) -> str:
    return address.hex(":")


def show_entry(bridge) -> str:
    """One bridge of ``brctl show``: its line and one more line for each further port."""
    stp = "yes" if bridge.stp_enabled else "no"
    return f"{bridge.name}\t\t{bridge.bridge_id}\t{stp}\t\t{PORT_SEPARATOR.join(bridge.ports)}\n"


def show(bridges) -> str:
    """``brctl show``: the header only when there is a bridge to show."""
    if not bridges:
        return ""
    return SHOW_HEADER + "".join(show_entry(b) for b in bridges)


def fdb_line(entry) -> str:
    # brctl copies only the low byte of the port number (``port_no``) of
    # each entry; it prints what it copied.
    cs = entry.ageing_timer
    return (f"{entry.port_no & 0xFF:3d}\t{entry.address.hex(':')}\t{'yes' if entry.is_local else 'no'}\t\t"
            f"{cs // 100:4d}.{cs % 100:02d}\n")


def sorted_fdb(entries) -> list:
    """brctl's order: by MAC address; entries with the same address keep the kernel's order."""
    return sorted(entries, key=attrgetter("address"))


def showmacs(entries) -> str:
    return SHOWMACS_HEADER + "".join([fdb_line(e) for e in sorted_fdb(entries)])


def _flags(*pairs) -> str:
    return "".join(f"{name} " for on, name in pairs if on)


def showstp_bridge(name: str, info) -> str:
    """The bridge part of ``brctl showstp``. brctl reads the values in effect
    for both columns of max age, hello time and forward delay."""
    return (
        f"{name}\n"
        f" bridge id\t\t{info.bridge_id}\n"
        f" designated root\t{info.designated_root}\n"
        f" root port\t\t{c_int(info.root_port):4d}\t\t\tpath cost\t\t{c_int(info.root_path_cost):4d}\n"
        f" max age\t\t{timer(info.max_age)}\t\t\tbridge max age\t\t{timer(info.max_age)}\n"
        f" hello time\t\t{timer(info.hello_time)}\t\t\tbridge hello time\t{timer(info.hello_time)}\n"
        f" forward delay\t\t{timer(info.forward_delay)}\t\t\tbridge forward delay\t{timer(info.forward_delay)}\n"
        f" ageing time\t\t{timer(info.ageing_time)}\n"
        f" hello timer\t\t{timer(info.hello_timer)}\t\t\ttcn timer\t\t{timer(info.tcn_timer)}\n"
        f" topology change timer\t{timer(info.topology_change_timer)}\t\t\tgc timer\t\t{timer(info.gc_timer)}\n"
        f" flags\t\t\t{_flags((info.topology_change, 'TOPOLOGY_CHANGE'), (info.topology_change_detected, 'TOPOLOGY_CHANGE_DETECTED'))}\n"
        "\n\n"
    )


def showstp_port(port) -> str:
    """One port section of ``brctl showstp``."""
    state = STATE_NAMES.get(port.state, "<INVALID STATE>")
    flags = _flags((port.config_pending, "CONFIG_PENDING"), (port.top_change_ack, "TOPOLOGY_CHANGE_ACK"))
    if port.hairpin_mode:
        flags += f"\n hairpin mode\t\t{int(port.hairpin_mode):4d}"
    return (
        f"{port.name} ({port.port_no})\n"
        f" port id\t\t{port.port_id:04x}\t\t\tstate\t\t{state:>15}\n"
        f" designated root\t{port.designated_root}\tpath cost\t\t{c_int(port.path_cost):4d}\n"
        f" designated bridge\t{port.designated_bridge}\tmessage age timer\t{timer(port.message_age_timer)}\n"
        f" designated port\t{port.designated_port:04x}\t\t\tforward delay timer\t{timer(port.forward_delay_timer)}\n"
        f" designated cost\t{c_int(port.designated_cost):4d}\t\t\thold timer\t\t{timer(port.hold_timer)}\n"
        f" flags\t\t\t{flags}\n"
        "\n"
    )


def showstp(name: str, info, ports) -> str:
    return showstp_bridge(name, info) + "".join(showstp_port(p) for p in ports)
