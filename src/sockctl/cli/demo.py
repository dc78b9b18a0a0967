"""``sockctl demo``: the demo kernel modules of kmod/, sockctl_kv and sockctl_dev.

    sockctl demo kv [--base N] [-x] info|message|put|get|del|list|flush ...
    sockctl demo dev IFNAME log|set|get|add|counters ...

The command line is read whole and checked before anything is sent.
"""

import sys

from sockctl.cli import payload
from sockctl.errors import InputError

USAGE = """\
usage: sockctl demo kv [--base N] [-x] COMMAND [ARGS]
         info                      the module's limits and this namespace's use
         message [DATA]            print the stored message, or store DATA
         put [--create | --replace | --revision N] KEY VALUE
         get KEY                   print KEY's value
         del KEY
         list                      print KEY, VALUE and revision, one record a line
         flush                     remove every record
       sockctl demo dev IFNAME COMMAND [ARGS]
         log ARG1 ARG2             the kernel logs both values
         set INDEX VALUE           set a counter, print its old value
         get INDEX                 print a counter
         add INDEX DELTA           add to a counter, print the sum
         counters                  print every counter, INDEX VALUE a line

kv talks to sockctl_kv through socket options from --base (the module's
"base" parameter, default 128); dev to a sockctl_dev device (sctl0, or made
with `ip link add NAME type sctl`) through private ioctls. Keys, values and
messages are text, or hex with -x. Changes, and dev's log, need CAP_NET_ADMIN.
"""

# command -> number of words after it
KV_COMMANDS = {"info": 0, "message": (0, 1), "put": 2, "get": 1, "del": 1, "list": 0, "flush": 0}
DEV_COMMANDS = {"log": 2, "set": 2, "get": 1, "add": 2, "counters": 0}
U32, U64 = 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF


def _words(table: dict, args: list[str], what: str) -> tuple[str, list[str]]:
    if not args:
        raise InputError(f"{what} needs a command: {', '.join(table)}")
    command, rest = args[0], args[1:]
    if command not in table:
        raise InputError(f"unknown {what} command {command!r}; commands: {', '.join(table)}")
    allowed = table[command] if isinstance(table[command], tuple) else (table[command],)
    if len(rest) not in allowed:
        raise InputError(f"{command} takes {' or '.join(map(str, allowed))} argument(s), not {len(rest)}")
    return command, rest


def parse_kv(argv: list[str]) -> tuple[int, bool, str, dict, list]:
    """(base, hex, command, put options, arguments as bytes) of `demo kv`; InputError if malformed."""
    opts, args = payload.parse_options(argv, ("-x",), ("--base",))
    base = payload.number(opts["--base"], "base", 0, 0x7FFFFFFF) if "--base" in opts else 128
    put_opts: dict = {}
    if args[:1] == ["put"]:
        flags, rest = payload.parse_options(args[1:], ("--create", "--replace"), ("--revision",))
        if "--revision" in flags:
            put_opts["revision"] = payload.number(flags["--revision"], "revision", 1, U32)
        put_opts["create"] = "--create" in flags
        put_opts["replace"] = "--replace" in flags
        args = ["put"] + rest
    command, rest = _words(KV_COMMANDS, args, "kv")
    return base, "-x" in opts, command, put_opts, [payload.data(w, "-x" in opts) for w in rest]


def parse_dev(argv: list[str]) -> tuple[str, str, list[int]]:
    """(interface, command, numbers) of `demo dev`; InputError if malformed."""
    if not argv:
        raise InputError("dev needs an interface name")
    command, rest = _words(DEV_COMMANDS, argv[1:], "dev")
    names = ("arg1", "arg2") if command == "log" else ("index", "value")
    return argv[0], command, [payload.number(w, names[i], 0, (U32, U64)[i]) for i, w in enumerate(rest)]


def main(argv: list[str], ctx) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        (sys.stdout if argv else sys.stderr).write(USAGE)
        return 0 if argv else 2
    try:
        if argv[0] == "kv":
            request = parse_kv(argv[1:])
        elif argv[0] == "dev":
            request = parse_dev(argv[1:])
        else:
            raise InputError(f"unknown module {argv[0]!r}: kv or dev")
    except InputError as exc:
        sys.stderr.write(f"sockctl demo: {exc}\n")
        return 2
    out = _kv(*request) if argv[0] == "kv" else _dev(*request)
    if out is not None:
        hex_digits = argv[0] == "kv" and request[1]
        sys.stdout.write(_json(out) if ctx.json else _text(out, hex_digits))
    return 0


def _kv(base: int, hex_digits: bool, command: str, put_opts: dict, args: list):
    from sockctl.demo_kv import Store

    store = Store(base)
    if command == "info":
        return store.info()
    if command == "message":
        if args:
            return store.set_message(args[0])
        return store.message()
    if command == "put":
        return store.put(args[0], args[1], **put_opts)
    if command == "get":
        return store.get(args[0])
    if command == "del":
        return store.delete(args[0])
    if command == "list":
        return store.records()
    return store.flush()


def _dev(ifname: str, command: str, numbers: list[int]):
    from sockctl.demo_dev import Device

    dev = Device(ifname)
    if command == "counters":
        return dev.counters()
    return getattr(dev, command)(*numbers)


def _text(out, hex_digits: bool) -> str:
    from sockctl.cli import demo_format

    return demo_format.text(out, hex_digits)


def _json(out) -> str:
    from sockctl.cli import jsonout

    if isinstance(out, list):
        return jsonout.dumps({"records": out})
    if isinstance(out, tuple):
        return jsonout.dumps({"counters": list(out)})
    if isinstance(out, (bytes, int)):
        return jsonout.dumps({"value": out})
    return jsonout.dumps(out)
