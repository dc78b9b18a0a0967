"""``sockctl sockopt``: raw getsockopt and setsockopt of any netfilter-registered option.

    sockctl sockopt get [-6] [-x] [-t] [-s SIZE] OPTION [DATA]
    sockctl sockopt set [-6] [-x] OPTION [DATA]

For trying a module's socket options by hand, or sending it what a client
never would: any option number, any payload, any buffer size.
"""

import sys

from sockctl.abi.families import AF_INET, AF_INET6
from sockctl.cli import payload
from sockctl.errors import InputError

USAGE = """\
usage: sockctl sockopt get [-6] [-x] [-t] [-s SIZE] OPTION [DATA]
       sockctl sockopt set [-6] [-x] OPTION [DATA]

Raw access to the socket options a module registers with nf_register_sockopt:
level IPPROTO_IP on an IPv4 raw socket, or IPPROTO_IPV6 on an IPv6 one (-6).

  OPTION   the option number: decimal, or hex with 0x (0 to 2147483647)
  DATA     the payload as text (UTF-8), or as hex digits with -x (spaces and
           colons between bytes allowed); none is zero bytes. For get, the
           request placed at the start of the buffer.
  -s SIZE  get: the buffer's size in bytes (default 4096, at least DATA's)
  -x       DATA is hex
  -t       get: print what came back as text rather than hex
  -6       IPv6

get prints the bytes the kernel returned, as hex on one line; set prints
nothing. With --json, get prints {"option", "family", "length", "data" (hex)}.
"""

MAX_SIZE = 1 << 20


def parse(argv: list[str]) -> tuple[str, int, bytes, int, int, bool]:
    """(action, option, data, size, family, as_text) from the arguments; InputError if malformed."""
    if not argv or argv[0] not in ("get", "set"):
        raise InputError("expected get or set (see --help)")
    action = argv[0]
    flags = ("-6", "-x", "-t") if action == "get" else ("-6", "-x")
    opts, args = payload.parse_options(argv[1:], flags, ("-s",) if action == "get" else ())
    if not args:
        raise InputError(f"{action} needs an option number")
    if len(args) > 2:
        raise InputError(f"unexpected argument {args[2]!r}")
    option = payload.number(args[0], "option", 0, 0x7FFFFFFF)
    data = payload.data(args[1], "-x" in opts) if len(args) > 1 else b""
    size = payload.number(opts["-s"], "size", 0, MAX_SIZE) if "-s" in opts else 4096
    family = AF_INET6 if "-6" in opts else AF_INET
    return action, option, data, max(size, len(data)), family, "-t" in opts


def main(argv: list[str], ctx) -> int:
    if argv[:1] in (["-h"], ["--help"]):
        sys.stdout.write(USAGE)
        return 0
    try:
        action, option, data, size, family, as_text = parse(argv)
    except InputError as exc:
        sys.stderr.write(f"sockctl sockopt: {exc}\n")
        return 2

    from sockctl import custom

    if action == "set":
        custom.set_option(option, data, family)
        return 0
    reply = custom.get_option(option, data, size, family)
    if ctx.json:
        from sockctl.cli import jsonout

        sys.stdout.write(jsonout.dumps({"option": option, "family": "inet6" if family == AF_INET6 else "inet",
                                        "length": len(reply), "data": reply}))
    else:
        sys.stdout.write(payload.text(reply, not as_text) + "\n")
    return 0
