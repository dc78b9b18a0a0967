"""The listings of ``sockctl brctl``: show, showmacs, showstp (text or JSON)."""

import errno
import os
import sys

from sockctl import bridges
from sockctl.cli import brctl_format as fmt
from sockctl.errors import DecodeError, Error


def _missing_or_not_bridge(name: str, exc: Exception) -> str:
    """brctl's two messages: no such device, or a device that is not a bridge."""
    if isinstance(exc, DecodeError):
        return f"bridge {name}: {exc}\n"
    if isinstance(exc, ValueError) or getattr(exc, "errno", None) in (errno.ENODEV, errno.ENXIO):
        return f"bridge {name} does not exist!\n"
    return f"device {name} is not a bridge!\n"


def run(command: str, operands: list[str], ctx) -> int:
    if command == "show":
        return _show(operands, ctx)
    if command == "showmacs":
        return _showmacs(operands[0], ctx)
    return _showstp(operands[0], ctx)


def _show(names: list[str], ctx) -> int:
    if not names:
        found, failed = bridges.list_bridges(), False
    else:
        found, failed = [], False
        for name in names:
            try:
                found.append(bridges.bridge(name))
            except (OSError, ValueError) as exc:
                sys.stderr.write(_missing_or_not_bridge(name, exc))
                failed = True
    if ctx.json:
        from sockctl.cli import jsonout

        entries = [{**jsonout.jsonable(b), "bridge_id": str(b.bridge_id)} for b in found]
        sys.stdout.write(jsonout.dumps({"bridges": entries}))
    else:
        sys.stdout.write(fmt.show(found))
    return 1 if failed else 0


def _showmacs(name: str, ctx) -> int:
    try:
        entries = bridges.fdb_entries(name)
    except OSError as exc:
        sys.stderr.write(f"read of forward table failed: {os.strerror(exc.errno)}\n")
        return 1
    except ValueError as exc:  # a name no device can have, or kernel data that does not decode
        text = exc if isinstance(exc, DecodeError) else os.strerror(errno.ENODEV)
        sys.stderr.write(f"read of forward table failed: {text}\n")
        return 1
    if ctx.json:
        from sockctl.cli import jsonout

        rows = [{**jsonout.jsonable(e), "address": fmt.mac_text(e.address)} for e in fmt.sorted_fdb(entries)]
        sys.stdout.write(jsonout.dumps({"bridge": name, "entries": rows}))
    else:
        sys.stdout.write(fmt.showmacs(entries))
    return 0


def _showstp(name: str, ctx) -> int:
    try:
        info = bridges.bridge_info(name)
    except (OSError, ValueError) as exc:
        if isinstance(exc, PermissionError):  # sysfs of the namespace could not be mounted
            sys.stderr.write(f"{exc}\n")
        else:
            sys.stderr.write(_missing_or_not_bridge(name, exc))
        return 1
    try:
        ports = bridges.ports_info(name)
    except Error as exc:
        sys.stderr.write(f"can't get ports: {exc}\n")
        return 1
    if ctx.json:
        from sockctl.cli import jsonout

        doc = {"bridge": {"name": name, **jsonout.jsonable(info), "bridge_id": str(info.bridge_id),
                          "designated_root": str(info.designated_root)},
               "ports": [{**jsonout.jsonable(p), "state_name": bridges.STATE_NAMES.get(p.state),
                          "designated_root": str(p.designated_root),
                          "designated_bridge": str(p.designated_bridge)} for p in ports]}
        sys.stdout.write(jsonout.dumps(doc))
    else:
        sys.stdout.write(fmt.showstp(name, info, ports))
    return 0
