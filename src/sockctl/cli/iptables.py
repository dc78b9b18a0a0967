"""``sockctl iptables``: iptables-legacy 1.8.9's command line, and its output.

    iptables [-t TABLE] -[ACD] CHAIN RULE | -I CHAIN [N] RULE | -R CHAIN N RULE | -D CHAIN N
             -[LS] [CHAIN [N]] [-v] [-n] [-x] [--line-numbers] | -[FZ] [CHAIN] | -[NX] CHAIN
             -E OLD NEW | -P CHAIN POLICY

Unlike iptables, the command is checked whole before the table is read,
and a change is one atomic replace of the table. ``ip6tables`` is the same
for IPv6 (``sockctl.cli.ip6tables``).
"""

import sys

from sockctl.errors import DecodeError, Error, KernelError
from sockctl.netfilter import command as cmdline, kernel
from sockctl.netfilter.edit import TableError
from sockctl.netfilter.xtables import RuleError

PARAMETER_PROBLEM, OTHER_PROBLEM, VERSION_PROBLEM = 2, 1, 3

USAGE = """\
{prog} v1.8.9 (legacy, sockctl)

Usage: {prog} -[ACD] chain rule-specification [options]
       {prog} -I chain [rulenum] rule-specification [options]
       {prog} -R chain rulenum rule-specification [options]
       {prog} -D chain rulenum [options]
       {prog} -[LS] [chain [rulenum]] [options]
       {prog} -[FZ] [chain] [options]
       {prog} -[NX] chain
       {prog} -E old-chain-name new-chain-name
       {prog} -P chain target [options]
       {prog} -h (print this help information)
"""


class KernelOracle(cmdline.Oracle):
    """The running kernel's extensions, asked as iptables asks them (GET_REVISION_MATCH/TARGET)."""

    def __init__(self, family):
        self.family = family

    def has(self, kind: str, name: str, revision: int) -> bool:
        return kernel.has_revision(self.family, kind, name, revision)

    def exists(self, kind: str, name: str) -> bool:
        return kernel.has_extension(self.family, kind, name)


def main(argv: list[str], ctx, family=kernel.IPV4) -> int:
    prog = family.program
    oracle = KernelOracle(family)
    try:
        cmd = cmdline.parse(argv, family.nfproto, oracle)
    except RuleError as exc:
        return _fail(prog, str(exc), PARAMETER_PROBLEM)
    except KernelError as exc:
        return _fail(prog, f"can't initialize {prog} table `{_table_of(argv)}': {_reason(exc)}", VERSION_PROBLEM)
    if cmd.help:
        sys.stdout.write(USAGE.format(prog=prog))
        return 0
    if cmd.version:
        from sockctl import __version__

        sys.stdout.write(f"sockctl {__version__} ({prog} of iptables 1.8.9, legacy)\n")
        return 0
    return run(cmd, ctx, family)


def run(cmd, ctx, family) -> int:
    from sockctl.netfilter import tables
    from sockctl.netfilter.execute import add, execute

    prog = family.program
    out = []
    readonly = cmd.command & (cmdline.CMD_LIST | cmdline.CMD_LIST_RULES) and \
        not cmd.command & (cmdline.CMD_ZERO | cmdline.CMD_ZERO_NUM)

    def carry_out(edit):
        if ctx.json and readonly:
            out.append(_json(edit.table()))
        else:
            execute(cmd, edit, out.append, sys.stderr.write)

    try:
        if readonly:
            from sockctl.netfilter.edit import TableEdit

            carry_out(TableEdit(tables.read(family, cmd.table)))
        elif cmd.command in (cmdline.CMD_APPEND, cmdline.CMD_INSERT):
            add(cmd, family, out.append, sys.stderr.write)
        else:
            tables.change(family, cmd.table, carry_out, cmd.wait)
    except TableError as exc:
        write("".join(out))
        return _fail(prog, f"{exc}.", OTHER_PROBLEM)
    except RuleError as exc:
        return _fail(prog, str(exc), PARAMETER_PROBLEM)
    except DecodeError as exc:
        return _fail(prog, f"the kernel's table `{cmd.table}' does not decode: {exc}", OTHER_PROBLEM)
    except KernelError as exc:
        if exc.call.endswith(("GET_INFO", "GET_ENTRIES")) or exc.call == "socket":
            return _fail(prog, f"can't initialize {prog} table `{cmd.table}': {_reason(exc)}", VERSION_PROBLEM)
        return _fail(prog, f"{_reason(exc)}.", OTHER_PROBLEM)
    except Error as exc:
        return _fail(prog, str(exc), OTHER_PROBLEM)
    write("".join(out))
    return 0


def _table_of(argv: list[str]) -> str:
    for i, arg in enumerate(argv[:-1]):
        if arg in ("-t", "--table"):
            return argv[i + 1]
    return "filter"


def write(text: str) -> None:
    """TEXT to stdout as the bytes it stands for (a comment or log prefix may hold any byte, as in iptables)."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8", "surrogateescape"))


def _reason(exc: KernelError) -> str:
    """libiptc's words for the errors a user meets most."""
    return {1: "Permission denied (you must be root)", 13: "Permission denied (you must be root)",
            2: "Table does not exist (do you need to insmod?)", 22: "Invalid argument (the kernel refused the table)",
            40: "Too many levels of symbolic links (the chains jump in a loop)"}.get(exc.errno, exc.reason)


def _fail(prog: str, message: str, code: int) -> int:
    sys.stderr.write(f"{prog}: {' '.join(message.split())}\n")
    return code


def _json(table) -> str:
    from sockctl.cli import jsonout
    from sockctl.netfilter import describe

    return jsonout.dumps(describe.table(table))
