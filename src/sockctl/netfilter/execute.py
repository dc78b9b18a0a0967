"""One parsed iptables command carried out on a table being edited (do_command4's switch).

Shared by ``sockctl iptables`` and each rule line of iptables-restore.
Listings and iptables' -v messages go to WRITE; refusals raise TableError.
"""

from sockctl.netfilter import text
from sockctl.netfilter.command import (
    CMD_APPEND, CMD_CHECK, CMD_DELETE, CMD_DELETE_CHAIN, CMD_DELETE_NUM, CMD_FLUSH, CMD_INSERT, CMD_LIST,
    CMD_LIST_RULES, CMD_NEW_CHAIN, CMD_RENAME_CHAIN, CMD_REPLACE, CMD_SET_POLICY, CMD_ZERO, CMD_ZERO_NUM,
    OPT_COUNTERS, Command,
)
from sockctl.netfilter.edit import NO_CHAIN, TableEdit, TableError
from sockctl.netfilter.tables import SAME, add_rules, resolve


def execute(cmd: Command, edit: TableEdit, write, warn=None) -> None:
    c, chain, verbose = cmd.command, cmd.chain, cmd.verbose
    fmt = text.Formatter(edit.family)
    if c & (CMD_APPEND | CMD_INSERT | CMD_DELETE | CMD_CHECK | CMD_REPLACE):
        rules = resolve(cmd.spec, edit, warn)
        if verbose:  # iptables says every rule, then the error of one that failed
            write("".join(fmt.rule_line(rule) for rule in rules))
        for rule in rules:
            if c == CMD_APPEND:
                edit.append(chain, rule)
            elif c == CMD_INSERT:
                edit.insert(chain, rule, cmd.rulenum - 1)
            elif c == CMD_REPLACE:
                edit.replace(chain, rule, cmd.rulenum - 1)
            elif c == CMD_DELETE:
                edit.delete_rule(chain, rule, SAME)
            elif edit.find_rule(chain, rule, SAME) is None:
                raise TableError("Bad rule (does a matching rule exist in that chain?)")
    elif c == CMD_DELETE_NUM:
        edit.delete_number(chain, cmd.rulenum - 1)
    elif c == CMD_FLUSH:
        for_each(edit, chain, True, "Flushing", edit.flush, verbose, write)
    elif c == CMD_ZERO:
        for_each(edit, chain, True, "Zeroing", edit.zero, verbose, write)
    elif c == CMD_ZERO_NUM:
        edit.zero_rule(chain, cmd.rulenum)
    elif c & (CMD_LIST | CMD_LIST_RULES):
        if c & CMD_LIST:
            write(listing(edit, cmd, fmt))
        else:
            write(list_rules(edit, cmd, fmt))
        if c & CMD_ZERO:
            for_each(edit, chain, True, "Zeroing", edit.zero, verbose, write)
        if c & CMD_ZERO_NUM:
            edit.zero_rule(chain, cmd.rulenum)
    elif c == CMD_NEW_CHAIN:
        edit.create_chain(chain)
    elif c == CMD_DELETE_CHAIN:
        for_each(edit, chain, False, "Deleting", edit.delete_chain, verbose, write)
    elif c == CMD_RENAME_CHAIN:
        edit.rename_chain(chain, cmd.newname)
    elif c == CMD_SET_POLICY:
        edit.set_policy(chain, cmd.policy, cmd.spec.counters if cmd.options & OPT_COUNTERS else None)


def add(cmd: Command, family, write, warn=None) -> bool:
    """-A and -I on the kernel's table: spliced into its blob when ``tables.add_rules`` can, else ``execute``.

    What either way writes and warns is the same: the splice's -v lines and
    warnings are held until it is sure to go on (a table it does not handle
    takes the full way, which says them itself). Returns True when spliced.
    """
    fmt = text.Formatter(family.nfproto)
    position = None if cmd.command == CMD_APPEND else cmd.rulenum - 1
    said, warned = [], []

    def rules_for(names):
        said.clear()
        warned.clear()
        rules = resolve(cmd.spec, names, warned.append)
        if cmd.verbose:
            said.extend(fmt.rule_line(rule) for rule in rules)
        return rules

    def fallback(edit):
        said.clear()
        warned.clear()
        execute(cmd, edit, write, warn)

    try:
        return add_rules(family, cmd.table, cmd.chain, rules_for, position, cmd.wait, fallback)
    finally:
        for line in warned:
            if warn is not None:
                warn(line)
        for line in said:
            write(line)


def for_each(edit: TableEdit, chain, builtin: bool, verb: str, action, verbose, write) -> None:
    """ACTION on CHAIN, or on every chain (user-defined ones only unless BUILTIN), saying so with -v."""
    names = [chain] if chain is not None else [c.name for c in edit.chains if builtin or c.hook is None]
    for name in names:
        if verbose:
            write(f"{verb} chain `{name}'\n")
        action(name)


def listing(edit: TableEdit, cmd: Command, fmt) -> str:
    """iptables -L [CHAIN [RULENUM]]."""
    options = text.ListOptions(bool(cmd.verbose), cmd.numeric, cmd.exact, cmd.line_numbers)
    table = edit.table()
    out, found = [], False
    for chain in table.chains:
        if cmd.chain is not None and chain.name != cmd.chain:
            continue
        if found:
            out.append("\n")
        if not cmd.rulenum:
            out.append(fmt.listing_header(chain, edit.references(chain.name), options))
        for number, rule in enumerate(chain.rules, 1):
            if not cmd.rulenum or number == cmd.rulenum:
                out.append(fmt.listing_rule(rule, number, options))
        found = True
    if not found:
        raise TableError(NO_CHAIN)
    return "".join(out)


def list_rules(edit: TableEdit, cmd: Command, fmt) -> str:
    """iptables -S [CHAIN [RULENUM]]."""
    table = edit.table()
    counters = -1 if cmd.verbose else 0
    out, found = [], False
    chains = [c for c in table.chains if cmd.chain is None or c.name == cmd.chain]
    if not cmd.rulenum:
        for chain in chains:
            if chain.builtin:
                line = f"-P {chain.name} {chain.policy.name}"
                if counters:
                    line += f" -c {chain.counters.packets} {chain.counters.bytes}"
                out.append(line + "\n")
            else:
                out.append(f"-N {chain.name}\n")
    for chain in chains:
        for number, rule in enumerate(chain.rules, 1):
            if not cmd.rulenum or number == cmd.rulenum:
                out.append(fmt.save_rule(chain.name, rule, counters))
        found = True
    if not found:
        raise TableError(NO_CHAIN)
    return "".join(out)
