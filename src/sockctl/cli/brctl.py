"""``sockctl brctl``: bridge-utils 1.7.1 brctl, arguments, output and error messages.

    brctl [-h|--help] [-V|--version] COMMAND [ARGS...]

Listings (show, showmacs, showstp) print what brctl prints, byte for byte.
Errors are brctl's one-line messages on stderr with exit status 1. Unlike
brctl, a command line is checked whole before anything changes: a name too
long for a device is refused instead of cut short, extra arguments and
numbers with trailing junk are errors, and ``addif``/``delif`` with several
ports add or remove all of them or none.
"""

import errno
import os
import sys

from sockctl.errors import Error, InputError, KernelError, describe_errno

# name: (fewest arguments, most arguments or None for any number, usage, description)
COMMANDS = {
    "addbr": (1, 1, "<bridge>\t\t", "add bridge"),
    "delbr": (1, 1, "<bridge>\t\t", "delete bridge"),
    "addif": (2, None, "<bridge> <device>\t", "add interface to bridge"),
    "delif": (2, None, "<bridge> <device>\t", "delete interface from bridge"),
    "hairpin": (3, 3, "<bridge> <port> {on|off}\t", "turn hairpin on/off"),
    "setageing": (2, 2, "<bridge> <time>\t\t", "set ageing time"),
    "setbridgeprio": (2, 2, "<bridge> <prio>\t\t", "set bridge priority"),
    "setfd": (2, 2, "<bridge> <time>\t\t", "set bridge forward delay"),
    "sethello": (2, 2, "<bridge> <time>\t\t", "set hello time"),
    "setmaxage": (2, 2, "<bridge> <time>\t\t", "set max message age"),
    "setpathcost": (3, 3, "<bridge> <port> <cost>\t", "set path cost"),
    "setportprio": (3, 3, "<bridge> <port> <prio>\t", "set port priority"),
    "show": (0, None, "[ <bridge> ]\t\t", "show a list of bridges"),
    "showmacs": (1, 1, "<bridge>\t\t", "show a list of mac addrs"),
    "showstp": (1, 1, "<bridge>\t\t", "show bridge stp info"),
    "stp": (2, 2, "<bridge> {on|off}\t", "turn stp on/off"),
}


def help_text() -> str:
    rows = "".join(f"\t{name:<10}\t{usage}{text}\n" for name, (_, _, usage, text) in COMMANDS.items())
    return f"Usage: brctl [commands]\ncommands:\n{rows}"


class Failure(Exception):
    """A message for stderr, ending the command with status 1."""


def _strerror(exc: OSError) -> str:
    """What brctl prints for a kernel error: C's strerror, or the reason sockctl found before asking."""
    if isinstance(exc, KernelError) and exc.reason != describe_errno(exc.errno):
        return f"{exc.target}: {exc.reason}" if exc.target else exc.reason
    return os.strerror(exc.errno)


def _reason(exc: Error) -> str:
    return _strerror(exc) if isinstance(exc, OSError) else str(exc)


def main(argv: list[str], ctx) -> int:
    args = list(argv)
    while args and args[0].startswith("-"):
        opt = args.pop(0)
        if opt in ("-h", "--help"):
            sys.stdout.write(help_text())
            return 0
        if opt in ("-V", "--version"):
            from sockctl import __version__

            sys.stdout.write(f"sockctl {__version__} (brctl of bridge-utils 1.7.1)\n")
            return 0
        sys.stderr.write(f"Unknown option '{opt}'; brctl --help lists the commands\n")
        return 1
    if not args:
        sys.stdout.write(help_text())
        return 1
    name, operands = args[0], args[1:]
    spec = COMMANDS.get(name)
    if spec is None:
        sys.stderr.write(f"never heard of command [{name}]\n")
        return 1
    fewest, most, usage, _ = spec
    if len(operands) < fewest or (most is not None and len(operands) > most):
        sys.stderr.write(f"Incorrect number of arguments for command: brctl {name} {usage.rstrip()}\n")
        return 1
    try:
        if name.startswith("show"):
            from sockctl.cli import brctl_show

            return brctl_show.run(name, operands, ctx)
        _change(name, operands)
    except Failure as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    return 0


# ---- arguments, as brctl reads them (but whole) ----

def seconds(text: str, what: str) -> int:
    """A time in seconds as brctl reads it (``%lf``), in hundredths, truncated as brctl does."""
    try:
        if "_" in text:
            raise ValueError
        value = float(text)
    except ValueError:
        raise Failure(f"bad {what} value") from None
    if not 0 <= value < 2**32 / 100:  # also refuses inf and nan
        raise InputError(f"{what} {text} is out of range (0 to 42949672.95 seconds)")
    whole = int(value)
    micro = int(1000000 * (value - whole))
    return (1000000 * whole + micro) // 10000


_DIGITS = {8: "01234567", 10: "0123456789", 16: "0123456789abcdefABCDEF"}


def c_integer(text: str, bad: str) -> int:
    """An integer as C's ``%i`` reads it (decimal, 0x hexadecimal, 0 octal), with nothing after it."""
    body = text.strip()
    digits = body[1:] if body[:1] in ("+", "-") else body
    if digits[:2] in ("0x", "0X"):
        base, digits = 16, digits[2:]
    elif len(digits) > 1 and digits[0] == "0":
        base, digits = 8, digits[1:]
    else:
        base = 10
    if not digits or any(c not in _DIGITS[base] for c in digits):
        raise Failure(bad)
    value = int(digits, base)
    return -value if body[:1] == "-" else value


def on_off(text: str) -> bool:
    if text in ("on", "yes", "1"):
        return True
    if text in ("off", "no", "0"):
        return False
    raise Failure("expect on/off for argument")


# ---- changes ----

_TIMES = {"setageing": "ageing time", "setfd": "forward delay", "sethello": "hello timer",
          "setmaxage": "max age"}

# command: (bridge_config function, what brctl says when it fails)
_SETTERS = {
    "setageing": ("set_ageing_time", "set ageing time failed"),
    "setfd": ("set_forward_delay", "set forward delay failed"),
    "sethello": ("set_hello_time", "set hello timer failed"),
    "setmaxage": ("set_max_age", "set max age failed"),
    "setbridgeprio": ("set_bridge_priority", "set bridge priority failed"),
    "setpathcost": ("set_path_cost", "set path cost failed"),
    "setportprio": ("set_port_priority", "set port priority failed"),
    "stp": ("set_stp", "set stp status failed"),
}


def _change(name: str, operands: list[str]) -> None:
    from sockctl import bridge_config

    if name not in _SETTERS:
        return _membership(name, operands)
    setter, failed = _SETTERS[name]
    try:
        if name in _TIMES:
            values = (seconds(operands[1], _TIMES[name]),)
        elif name == "setbridgeprio":
            values = (c_integer(operands[1], "bad priority"),)
        elif name == "setpathcost":
            values = (operands[1], c_integer(operands[2], "bad path cost value"))
        elif name == "setportprio":
            values = (operands[1], c_integer(operands[2], "bad path priority value"))
        else:
            values = (on_off(operands[1]),)
        getattr(bridge_config, setter)(operands[0], *values)
    except Error as exc:
        raise Failure(f"{failed}: {_reason(exc)}") from None


def _membership(name: str, operands: list[str]) -> None:
    """addbr, delbr, addif, delif and hairpin, with brctl's messages for each errno."""
    from sockctl import bridge_config as bc

    bridge, ports = operands[0], operands[1:]
    if name == "hairpin":
        enabled = on_off(operands[2])
        ports = operands[1:2]
    try:
        if name == "addbr":
            bc.add_bridge(bridge)
        elif name == "delbr":
            bc.delete_bridge(bridge)
        elif name == "addif":
            bc.add_ports(bridge, ports)
        elif name == "delif":
            bc.remove_ports(bridge, ports)
        else:
            bc.set_hairpin(bridge, ports[0], enabled)
    except InputError as exc:
        raise Failure(f"brctl {name}: {exc}") from None
    except OSError as exc:
        raise Failure(_membership_message(name, bridge, ports, exc)) from None


# (command, errno, or None for any other): brctl's message
_MESSAGES = {
    ("addbr", errno.EEXIST): "device {bridge} already exists; can't create bridge with the same name",
    ("addbr", None): "add bridge failed: {why}",
    ("delbr", errno.ENXIO): "bridge {bridge} doesn't exist; can't delete it",
    ("delbr", errno.EBUSY): "bridge {bridge} is still up; can't delete it",
    ("delbr", None): "can't delete bridge {bridge}: {why}",
    ("addif", errno.EBUSY): "device {port} is already a member of a bridge; can't add it to bridge {bridge}.",
    ("addif", errno.ELOOP): "device {port} is a bridge device itself; can't add a bridge device to a bridge device.",
    ("addif", None): "can't add {port} to bridge {bridge}: {why}",
    ("delif", errno.EINVAL): "device {port} is not a port of {bridge}",
    ("delif", None): "can't delete {port} from {bridge}: {why}",
    ("hairpin", None): "can't set {port} to hairpin on bridge {bridge}: {why}",
}


def _membership_message(name: str, bridge: str, ports: list[str], exc: OSError) -> str:
    target = getattr(exc, "target", "")
    port = target if target in ports else (ports[0] if ports else "")
    if exc.errno == errno.ENODEV and name not in ("addbr", "delbr"):
        # brctl asks which of the two names is missing.
        if target == bridge and bridge not in ports:
            return f"bridge {bridge} does not exist!"
        return f"interface {port} does not exist!"
    text = _MESSAGES.get((name, exc.errno)) or _MESSAGES[name, None]
    return text.format(bridge=bridge, port=port, why=_strerror(exc))
