"""``sockctl [--netns NAME] [--json] COMMAND [ARGS...]``: the command-line entry point.

Global options come before the subcommand; everything after it belongs to the
subcommand, whose arguments are those of the classic tool it replaces. Only
the chosen subcommand's module is imported.
"""

import sys

# subcommand -> module with ``main(argv: list[str], ctx: Context) -> int``
COMMANDS = {
    "ifconfig": "sockctl.cli.ifconfig",
    "route": "sockctl.cli.route",
    "arp": "sockctl.cli.arp",
    "brctl": "sockctl.cli.brctl",
    "iptables": "sockctl.cli.iptables",
    "iptables-save": "sockctl.cli.iptables_save",
    "iptables-restore": "sockctl.cli.iptables_restore",
    "ip6tables": "sockctl.cli.ip6tables",
    "ip6tables-save": "sockctl.cli.ip6tables_save",
    "ip6tables-restore": "sockctl.cli.ip6tables_restore",
    "sockopt": "sockctl.cli.sockopt",
    "demo": "sockctl.cli.demo",
    "ipvsadm": "sockctl.cli.ipvsadm",
}

USAGE = """\
usage: sockctl [--netns NAME] [--json] COMMAND [ARGS...]
       sockctl --version | --help

Control Linux networking through the kernel's socket control channels.

global options:
  --netns NAME  run in network namespace NAME (as `ip netns` names it) or at a path
                such as /proc/PID/ns/net
  --json        print the result as one JSON document instead of the classic text
  --version     print sockctl's version
  -h, --help    print this help

commands (each takes the classic tool's arguments; COMMAND --help for more):
"""


class Context:
    """What the global options said, handed to every subcommand."""

    __slots__ = ("json", "netns")

    def __init__(self, json: bool = False, netns: str | None = None):
        self.json = json
        self.netns = netns


def _usage() -> str:
    return USAGE + "".join(f"  {name}\n" for name in COMMANDS)


def _fail(message: str, code: int = 2) -> int:
    sys.stderr.write(f"sockctl: {message}\n")
    return code


def main(argv: list[str]) -> int:
    ctx = Context()
    args = list(argv)
    while args and args[0].startswith("-"):
        opt = args.pop(0)
        if opt == "--json":
            ctx.json = True
        elif opt == "--netns" or opt.startswith("--netns="):
            if "=" in opt:
                ctx.netns = opt.partition("=")[2]
            elif args:
                ctx.netns = args.pop(0)
            else:
                return _fail("--netns needs a namespace name")
            if not ctx.netns:
                return _fail("--netns needs a namespace name")
        elif opt == "--version":
            from sockctl import __version__

            sys.stdout.write(f"sockctl {__version__}\n")
            return 0
        elif opt in ("-h", "--help"):
            sys.stdout.write(_usage())
            return 0
        else:
            return _fail(f"unknown option {opt!r} (global options come before the command; see --help)")
    if not args:
        sys.stderr.write(_usage())
        return 2
    name = args.pop(0)
    module_name = COMMANDS.get(name)
    if module_name is None:
        return _fail(f"unknown command {name!r}; commands: {', '.join(COMMANDS)}")

    from sockctl.errors import Error

    try:
        if ctx.netns is not None:
            from sockctl import channel

            channel.enter_netns(ctx.netns)
        __import__(module_name)
        return sys.modules[module_name].main(args, ctx)
    except Error as exc:
        return _fail(str(exc), 1)


def run() -> None:
    """Console-script entry point."""
    import os

    try:
        code = main(sys.argv[1:])
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (``sockctl ifconfig -a | head``): not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except KeyboardInterrupt:
        code = 130
    sys.stderr.flush()
    # Everything is written; tearing down the interpreter's objects one by
    # one would only add milliseconds to every command.
    os._exit(code)
