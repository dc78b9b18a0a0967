"""``sockctl iptables-restore``: load tables written in the iptables-save format.

    iptables-restore [-c] [-n] [-t] [-v] [-T TABLE] [FILE]

The input is checked whole before anything changes; each table is then one
atomic replace. A mistake is reported with its line number.
"""

import sys

from sockctl.errors import DecodeError, Error, KernelError
from sockctl.netfilter import kernel

USAGE = ("Usage: {prog} [-c] [-v] [-V] [-t] [-h] [-n] [-w secs] [-W usecs] [-T table] [-M command] [file]\n")
_FLAGS = {"c": "counters", "v": "verbose", "t": "test", "n": "noflush", "h": "help", "V": "version", "b": "binary",
          "w": "wait", "W": "wait-interval"}
_LONG = {"--counters": "c", "--verbose": "v", "--test": "t", "--noflush": "n", "--help": "h", "--version": "V",
         "--binary": "b", "--wait": "w", "--wait-interval": "W"}


def main(argv: list[str], ctx, family=kernel.IPV4) -> int:
    prog = f"{family.program}-restore"
    seen = {"c": False, "t": False, "n": False}
    verbose, table, files = 0, None, []
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--":
            files += args
            break
        if arg.startswith("--"):
            name, eq, value = arg.partition("=")
            if name in ("--table", "--modprobe"):
                if not eq:
                    if not args:
                        sys.stderr.write(f"{prog}: option '{name}' requires an argument\n")
                        return 1
                    value = args.pop(0)
                if name == "--table":
                    table = value
                continue
            letter = _LONG.get(name)
            if letter is None:
                sys.stderr.write(f"{prog}: unrecognized option '{arg}'; try `{prog} -h' for more information.\n")
                return 1
            flags = letter
        elif arg.startswith("-") and len(arg) > 1:
            flags = arg[1:]
        else:
            files.append(arg)
            continue
        for i, letter in enumerate(flags):
            if letter in "TM":
                value = flags[i + 1:] or (args.pop(0) if args else None)
                if value is None:
                    sys.stderr.write(f"{prog}: option requires an argument -- '{letter}'\n")
                    return 1
                if letter == "T":
                    table = value
                break
            if letter not in _FLAGS:
                sys.stderr.write(f"{prog}: invalid option -- '{letter}'; try `{prog} -h' for more information.\n")
                return 1
            if letter == "v":
                verbose += 1
            elif letter == "h":
                sys.stderr.write(USAGE.format(prog=prog))
                return 0
            elif letter == "V":
                from sockctl import __version__

                sys.stdout.write(f"sockctl {__version__} ({prog} of iptables 1.8.9, legacy)\n")
                return 0
            elif letter == "b":
                sys.stderr.write("-b/--binary option is not implemented\n")
            elif letter in seen:
                seen[letter] = True
    if len(files) > 1:
        sys.stderr.write("Unknown arguments found on commandline\n")
        return 1
    try:
        if files:
            with open(files[0], encoding="utf-8", errors="surrogateescape") as f:
                text = f.read()
        else:
            text = sys.stdin.buffer.read().decode("utf-8", "surrogateescape")
    except OSError as exc:
        sys.stderr.write(f"Can't open {files[0]}: {exc.strerror}\n")
        return 1
    from sockctl.cli.iptables import KernelOracle, write
    from sockctl.netfilter import restore

    out = []
    try:
        restore.restore(text, family, KernelOracle(family), noflush=seen["n"], counters=seen["c"], test=seen["t"],
                        only_table=table, verbose=verbose, write=out.append, warn=sys.stderr.write)
    except restore.RestoreError as exc:
        write("".join(out))
        sys.stderr.write(f"{prog}: {exc}\n")
        return 1
    except (DecodeError, KernelError, Error) as exc:
        write("".join(out))
        from sockctl.cli.iptables import _reason

        reason = _reason(exc) if isinstance(exc, KernelError) else str(exc)
        sys.stderr.write(f"{prog}: {reason}\n")
        return 1
    write("".join(out))
    return 0
