"""Reading and changing iptables tables: the library behind ``sockctl iptables`` and ip6tables.

Each change is one atomic SO_SET_REPLACE of the whole table, made under
iptables' own lock (so iptables-legacy and sockctl never interleave), then
SO_SET_ADD_COUNTERS with the counters the replace handed back. When another
writer changed the table between read and replace (EAGAIN), the table is
read again and the change made again, as libiptc's callers do.

    from sockctl.netfilter import tables
    tables.append_rule("filter", "INPUT", rule)            # iptables -A INPUT ...
    print(tables.save_text(tables.IPV4))                  # iptables-save
"""

import errno
import fcntl
import os

from sockctl.errors import KernelError
from sockctl.netfilter import codec, extensions, kernel, splice
from sockctl.netfilter.edit import TableEdit, same_rule
from sockctl.netfilter.xtables import RuleError
from sockctl.netfilter.kernel import IPV4, IPV6  # noqa: F401  (the families callers name)
from sockctl.abi.x_tables import NFPROTO_IPV4, NFPROTO_IPV6, NFPROTO_UNSPEC
from sockctl.netfilter.model import VERDICTS, Fallthrough, Jump, Match, Rule, Verdict

LOCK_FILE = "/run/xtables.lock"
RETRIES = 20


class Lock:
    """iptables' xtables lock: flock on $XTABLES_LOCKFILE or /run/xtables.lock, held while a table changes.

    WAIT is the seconds to wait for it (None: as long as it takes, as iptables 1.8.9 does).
    """

    def __init__(self, wait: int | None = None):
        self.wait = wait
        self.fd = -1

    def __enter__(self):
        path = os.environ.get("XTABLES_LOCKFILE") or LOCK_FILE
        try:
            self.fd = os.open(path, os.O_CREAT | os.O_RDONLY | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            raise KernelError(exc.errno, "open", f"lock file {path}") from None
        if self.wait is None or self.wait < 0:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            return self
        import time

        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(self.fd)
                    raise KernelError(errno.EWOULDBLOCK, "", f"lock file {path}",
                                      f"another app is holding the xtables lock; stopped waiting after {self.wait}s")
                time.sleep(0.05)

    def __exit__(self, *exc_info):
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        return False


def read(family, name: str):
    """The Table NAME as the kernel has it now (iptables -t NAME -S, as data)."""
    return kernel.read_table(family, name)[1]


def commit(family, info, edit: TableEdit) -> None:
    """Replace table INFO with the result of EDIT, then add the counters libiptc would add."""
    _replace(family, info, codec.encode_table(edit.table()), edit)


def _replace(family, info, encoded, counting) -> None:
    """Replace, then add counters: COUNTING is a TableEdit, or a splice (which works on them packed)."""
    if isinstance(counting, splice.Spliced):
        old = kernel.replace_packed(family, info, encoded)
        kernel.add_counters_packed(family, info.name, counting.new_counters(old))
        _spliced[family.nfproto, info.name] = counting
    else:
        kernel.add_counters(family, info.name, counting.new_counters(kernel.replace(family, info, encoded)))


def _retrying(family, name: str, wait, attempt_change):
    """Under the lock: read table NAME, ATTEMPT_CHANGE(info, blob) and commit; again from the start on EAGAIN.

    ATTEMPT_CHANGE returns (result, encoded, what gives the counters), encoded None when nothing is to change.
    """
    with Lock(wait):
        for attempt in range(RETRIES):
            info, blob = kernel.read(family, name)
            result, encoded, counting = attempt_change(info, blob)
            if encoded is None:
                return result
            try:
                _replace(family, info, encoded, counting)
                return result
            except OSError as exc:
                if exc.errno != errno.EAGAIN or attempt == RETRIES - 1:
                    raise
    raise AssertionError("unreachable")


def _edited(family, name: str, make_change):
    """An attempt that decodes the whole table, lets MAKE_CHANGE(edit) change it, and encodes it again."""

    def attempt(info, blob):
        table = codec.decode_table(family.nfproto, name, info.valid_hooks, info.hook_entry, info.underflow, blob)
        edit = TableEdit(table)
        result = make_change(edit)
        if not edit.changed:
            return result, None, None
        return result, codec.encode_table(edit.table()), edit

    return attempt


def change(family, name: str, make_change, wait: int | None = None):
    """Read table NAME, let MAKE_CHANGE(edit) change it, commit; again from the start on EAGAIN.

    Returns what MAKE_CHANGE returned. Nothing is committed when it raises or changes nothing.
    """
    return _retrying(family, name, wait, _edited(family, name, make_change))


_spliced: dict = {}  # (family, table name) -> the last splice committed to it (it knows the layout it wrote)


def _add_rule(family, name: str, chain: str, rule: Rule, position: int | None, wait) -> None:
    """One rule into CHAIN at POSITION (0-based; None: appended), spliced into the blob as it is.

    Tables the splice does not handle take the way of ``change``; either
    way the replace is the same, byte for byte (``sockctl.netfilter.splice``).
    """
    if position is None:
        fallback = lambda edit: edit.append(chain, rule)  # noqa: E731
    else:
        fallback = lambda edit: edit.insert(chain, rule, position)  # noqa: E731
    add_rules(family, name, chain, lambda names: [rule], position, wait, fallback)


class ChainNames:
    """The chains a splice walk found, asked as ``resolve`` asks a TableEdit."""

    __slots__ = ("is_chain",)

    def __init__(self, chains):
        self.is_chain = chains.__contains__


def add_rules(family, name: str, chain: str, rules_for, position: int | None, wait, fallback) -> bool:
    """Rules into CHAIN at POSITION (0-based; None: appended) by the splice, else FALLBACK(edit) as ``change``.

    RULES_FOR(names) gives the rules, NAMES (a ``ChainNames``) the chains
    of the table read. When it gives one rule and the table is in libiptc's
    layout, that rule is spliced into the blob; otherwise (several rules, an
    unusual table) FALLBACK changes the decoded table. Returns True when the
    change was spliced.
    """
    edited = _edited(family, name, fallback)
    key = (family.nfproto, name)
    took = []

    def attempt(info, blob):
        took.clear()
        try:
            outline = splice.walk(family.nfproto, info, blob, _spliced.get(key))
            rules = rules_for(ChainNames(outline.chains))
            if len(rules) != 1:
                raise splice.Unusual  # an entry at a time: several rules take the full way
            spliced = splice.insert(family.nfproto, info, blob, chain, rules[0], position, outline=outline)
        except splice.Unusual:
            return edited(info, blob)
        took.append(True)
        return None, spliced.encoded, spliced

    _retrying(family, name, wait, attempt)
    return bool(took)


def compare_size(ext) -> int:
    """How many payload bytes of a match or target -D and -C compare (the codec's userspace size)."""
    kind = "match" if isinstance(ext, Match) else "target"
    for family in (NFPROTO_UNSPEC, NFPROTO_IPV4, NFPROTO_IPV6):
        found = extensions.for_payload(kind, ext.name, ext.revision, family)
        if found is not None and found.userspace_size is not None:
            return found.userspace_size
    return len(ext.data)


SAME = same_rule(compare_size)


def resolve(spec, edit: TableEdit | ChainNames, warn=None) -> list[Rule]:
    """The rules of a parsed rule (one per address pair), its target named against EDIT's chains."""
    target = spec.target
    name = spec.jumpto
    if target is not None and edit.is_chain(name):
        if warn is not None:
            warn(f"Warning: using chain {name}, not extension\n")
        target = None
    if target is None:
        if spec.goto and not edit.is_chain(name):
            raise RuleError(f"goto '{name}' is not a chain")
        if not name:
            target = Fallthrough()
        elif name in VERDICTS:
            target = Verdict(VERDICTS[name])
        elif edit.is_chain(name):
            target = Jump(name)
        elif spec.unsupported_target is not None:
            raise RuleError(f"target `{name}' has no codec in sockctl: rules using it cannot be written")
        else:
            raise RuleError(f"Couldn't load target `{name}':No such file or directory")
    matches = tuple(spec.matches)
    counters = spec.counters
    return [Rule(header, matches, target, counters) for header in spec.headers()]


# --- the library's operations -------------------------------------------------------------

def append_rule(table: str, chain: str, rule: Rule, family=IPV4, wait: int | None = None) -> None:
    """iptables -t TABLE -A CHAIN <rule>."""
    _add_rule(family, table, chain, rule, None, wait)


def insert_rule(table: str, chain: str, rule: Rule, position: int = 1, family=IPV4,
                wait: int | None = None) -> None:
    """iptables -t TABLE -I CHAIN POSITION <rule> (POSITION counts from 1)."""
    _add_rule(family, table, chain, rule, position - 1, wait)


def delete_rule(table: str, chain: str, rule: Rule, family=IPV4, wait: int | None = None) -> None:
    """iptables -t TABLE -D CHAIN <rule>: the first rule equal to RULE."""
    change(family, table, lambda edit: edit.delete_rule(chain, rule, SAME), wait)


def flush(table: str, chain: str | None = None, family=IPV4, wait: int | None = None) -> None:
    """iptables -t TABLE -F [CHAIN]."""

    def flush_all(edit):
        for name in [c.name for c in edit.chains] if chain is None else [chain]:
            edit.flush(name)

    change(family, table, flush_all, wait)


def new_chain(table: str, chain: str, family=IPV4, wait: int | None = None) -> None:
    """iptables -t TABLE -N CHAIN."""
    change(family, table, lambda edit: edit.create_chain(chain), wait)


def set_policy(table: str, chain: str, policy: str, family=IPV4, wait: int | None = None) -> None:
    """iptables -t TABLE -P CHAIN POLICY (counters start again from zero, as with iptables)."""
    change(family, table, lambda edit: edit.set_policy(chain, policy, None), wait)
