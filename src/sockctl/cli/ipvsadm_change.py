"""ipvsadm's changing commands as ``sockctl.ipvs_batch.Change``s, and ``ipvsadm -R``.

``-R`` reads its input as ipvsadm does (words split at spaces, tabs and
carriage returns, the word ``ipvsadm`` dropped, lines without words
skipped), checks every line before the first change, and applies them all
or none; an error names the line.
"""

import sys
from ipaddress import IPv4Address

from sockctl import ipvs
from sockctl.cli import ipvsadm_args as arguments
from sockctl.errors import Error
from sockctl.ipvs_batch import Change, apply

E_USAGE, E_CHANGE = 2, 255
_ALL_ONES = b"\xff\xff\xff\xff"
_CHANGES = {"add": "add_service", "edit": "edit_service", "delete": "delete_service", "flush": "flush",
            "zero": "zero", "add-dest": "add_dest", "edit-dest": "edit_dest", "delete-dest": "delete_dest",
            "timeout": "set_timeouts", "start-daemon": "start_daemon", "stop-daemon": "stop_daemon"}

# Requests repeat the same service and server many times in a restore: each is made once.
_addresses: dict[bytes, IPv4Address] = {}


def _address(packed: bytes) -> IPv4Address:
    address = _addresses.get(packed)
    if address is None:
        address = _addresses[packed] = IPv4Address(packed)
    return address


def _service(cmd) -> ipvs.Service:
    return ipvs.Service(cmd.protocol, None if cmd.fwmark else _address(cmd.addr), cmd.port, cmd.fwmark,
                        cmd.scheduler, cmd.flags, cmd.timeout,
                        None if cmd.netmask == _ALL_ONES else _address(cmd.netmask))


def change(cmd) -> Change:
    """The change a checked changing command (not -L, -S or -R) asks for."""
    action = _CHANGES[cmd.cmd]
    if action in ("add_dest", "edit_dest", "delete_dest"):
        dest = ipvs.Dest(_address(cmd.dest_addr), cmd.dest_port, cmd.method, cmd.weight, cmd.u_threshold,
                         cmd.l_threshold)
        return Change(action, (_service(cmd), dest))
    if action in ("add_service", "edit_service", "delete_service"):
        return Change(action, (_service(cmd),))
    if action == "zero":
        return Change(action, (_service(cmd) if cmd.has("service-address") else None,))
    if action == "set_timeouts":
        return Change(action, (ipvs.Timeouts(*cmd.timeouts),))
    if action == "start_daemon":
        return Change(action, (ipvs.Daemon(cmd.state, cmd.mcast_ifn, cmd.syncid),))
    if action == "stop_daemon":
        return Change(action, (cmd.state,))
    return Change(action)


def send(cmd) -> None:
    """Make the one change CMD asks for."""
    ipvs.send(*change(cmd).request())


def lines(data: bytes):
    """(line number, words) of each line ipvsadm's restore would act on."""
    text = data.decode("utf-8", "surrogateescape")
    for number, line in enumerate(text.split("\n"), 1):
        words = [w for w in line.replace("\t", " ").replace("\r", " ").split(" ") if w and w != "ipvsadm"]
        if words:
            yield number, words


def restore(data: bytes) -> int:
    """``ipvsadm -R`` with DATA as its input: every line checked, then all applied or none."""
    changes, numbers = [], []
    for number, words in lines(data):
        try:
            cmd = arguments.parse(words, in_restore=True)
        except arguments.ArgumentError as exc:
            return _fail(f"line {number}: {exc}", exc.status)
        if cmd.cmd not in _CHANGES:
            return _fail(f"line {number}: -R applies changes; `{' '.join(words)}' is not one", E_USAGE)
        why = cmd.netlink_only()
        if why:
            return _fail(f"line {number}: {why}", E_CHANGE)
        changes.append(change(cmd))
        numbers.append(number)
    try:
        apply(changes)
    except Error as exc:
        index = getattr(exc, "index", None)
        where = f"line {numbers[index]}: " if index is not None else ""
        undone = "" if type(exc) is Error else "; nothing was changed"  # plain Error: putting back failed
        return _fail(f"{where}{exc}{undone}", E_CHANGE)
    return 0


def _fail(message: str, status: int) -> int:
    sys.stderr.write(f"{message}\n")
    return status
