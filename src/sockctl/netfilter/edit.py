"""A table being changed, the way libiptc changes it: chains of rules, and where their counters come from.

Every operation checks what libiptc checks and raises ``TableError`` with
its message; nothing reaches the kernel until ``sockctl.netfilter.tables``
commits the result as one replace. Counters follow libiptc: a rule kept
from the table read gets the kernel's counters as of the replace (packets
counted meanwhile are not lost), a new rule gets the counters it was given,
a zeroed rule keeps only what was counted since it was read, and so does
every built-in chain's policy (libiptc reads policies that way).
"""

from sockctl.errors import InputError
from sockctl.netfilter.model import (
    ACCEPT, DROP, VERDICTS, ZERO, Chain, Counters, Fallthrough, Jump, Rule, Table, Target, Verdict,
)

SET = -1  # a counter source: the rule's own counters (a new rule, or -c)
NOMAP = None  # zero (a policy set without counters)


def _zeroed(index: int) -> int:
    return -2 - index  # a counter source: counted since the read at INDEX


class TableError(InputError):
    """A change libiptc refuses: ``str()`` is iptables' message for it."""


NO_CHAIN = "No chain/target/match by that name"


class _Chain:
    __slots__ = ("name", "hook", "policy", "counters", "source", "foot_comefrom", "rules")

    def __init__(self, name, hook, policy, counters, source, foot_comefrom, rules):
        self.name, self.hook, self.policy, self.counters = name, hook, policy, counters
        self.source, self.foot_comefrom, self.rules = source, foot_comefrom, rules


class TableEdit:
    """Chains in libiptc order (built-in, then user-defined by name); each rule with its counter source."""

    def __init__(self, table: Table):
        self.name, self.family, self.valid_hooks = table.name, table.family, table.valid_hooks
        self.changed = False
        self.chains: list[_Chain] = []
        index = 0
        by_name = {}
        for chain in table.chains:  # kernel order: entry indices
            if not chain.builtin:
                index += 1
            rules = []
            for rule in chain.rules:
                rules.append((rule, index))
                index += 1
            # libiptc reads a policy's counters as zeroed: a commit leaves only what was counted since
            # the read (iptables -A resets the policies' counters, and so does sockctl).
            by_name[chain.name] = _Chain(chain.name, chain.hook, chain.policy, chain.counters,
                                         _zeroed(index) if chain.builtin else NOMAP, chain.foot_comefrom, rules)
            index += 1
        builtin = [by_name[c.name] for c in table.chains if c.builtin]
        user = sorted((by_name[c.name] for c in table.chains if not c.builtin), key=_sort_key)
        self.chains = builtin + user
        self._by_name = by_name  # the chains by name, kept with the list (a restore looks them up per rule)

    @classmethod
    def outline(cls, table: Table, foot_indices: dict, user_chains: list) -> "TableEdit":
        """An edit of a table known only by ``codec.outline``: built-in chains and the names of the others.

        Every rule is to be replaced (iptables-restore without --noflush); the
        policies' counters still follow libiptc through their entry indices.
        """
        edit = cls(table)
        for chain in edit.chains:
            chain.source = _zeroed(foot_indices[chain.name])
        for name in user_chains:
            edit._insert_sorted(_Chain(name, None, None, ZERO, NOMAP, 0, []))
        return edit

    # --- looking up -----------------------------------------------------------------------
    def find(self, name: str) -> _Chain | None:
        return self._by_name.get(name)

    def _get(self, name: str) -> _Chain:
        chain = self.find(name)
        if chain is None:
            raise TableError(NO_CHAIN)
        return chain

    def is_chain(self, name: str) -> bool:
        return self.find(name) is not None

    def builtin(self, name: str) -> bool:
        chain = self.find(name)
        return chain is not None and chain.hook is not None

    def references(self, name: str) -> int:
        count = 0
        for chain in self.chains:
            for rule, _ in chain.rules:
                if isinstance(rule.target, Jump) and rule.target.chain == name:
                    count += 1
        return count

    def rules(self, name: str) -> list[Rule]:
        return [rule for rule, _ in self._get(name).rules]

    # --- rules --------------------------------------------------------------------------
    def _check_target(self, rule: Rule, what: str) -> None:
        target = rule.target
        if isinstance(target, Jump):
            chain = self.find(target.chain)
            if chain is None:
                raise TableError(f"{NO_CHAIN} (jump to {target.chain!r})")
            if chain.hook is not None:
                raise TableError(f"{what}: a rule cannot jump to the built-in chain {target.chain}")

    def insert(self, name: str, rule: Rule, index: int) -> None:
        """TC_INSERT_ENTRY: RULE becomes rule INDEX (0-based) of chain NAME."""
        chain = self._get(name)
        if not 0 <= index <= len(chain.rules):  # libiptc's rule numbers are unsigned: below 1 is too big
            raise TableError("Index of insertion too big")
        self._check_target(rule, "Target problem")
        chain.rules.insert(index, (rule, SET))
        self.changed = True

    def append(self, name: str, rule: Rule) -> None:
        """TC_APPEND_ENTRY."""
        chain = self._get(name)
        self._check_target(rule, "Invalid argument")
        chain.rules.append((rule, SET))
        self.changed = True

    def replace(self, name: str, rule: Rule, index: int) -> None:
        """TC_REPLACE_ENTRY: rule INDEX (0-based) becomes RULE."""
        chain = self._get(name)
        if index >= len(chain.rules):
            raise TableError("Index of replacement too big")
        self._check_target(rule, "Invalid argument")
        chain.rules[index] = (rule, SET)
        self.changed = True

    def delete_number(self, name: str, index: int) -> None:
        """TC_DELETE_NUM_ENTRY (0-based)."""
        chain = self._get(name)
        if index >= len(chain.rules):
            raise TableError("Index of deletion too big")
        del chain.rules[index]
        self.changed = True

    def find_rule(self, name: str, rule: Rule, same) -> int | None:
        """The index of the first rule of chain NAME that SAME(rule, candidate) calls equal."""
        chain = self._get(name)
        target = rule.target
        if isinstance(target, Jump) and not self.is_chain(target.chain):
            raise TableError(NO_CHAIN)
        for index, (candidate, _) in enumerate(chain.rules):
            if same(rule, candidate):
                return index
        return None

    def delete_rule(self, name: str, rule: Rule, same) -> None:
        """TC_DELETE_ENTRY: the first rule equal to RULE (as -D compares)."""
        index = self.find_rule(name, rule, same)
        if index is None:
            raise TableError("Bad rule (does a matching rule exist in that chain?)")
        del self._get(name).rules[index]
        self.changed = True

    def flush(self, name: str) -> None:
        """TC_FLUSH_ENTRIES."""
        self._get(name).rules.clear()
        self.changed = True

    def zero(self, name: str) -> None:
        """TC_ZERO_ENTRIES: the chain's rules and policy count from zero."""
        chain = self._get(name)
        chain.rules[:] = [(r, _zeroed(s) if s is not None and s >= 0 else s) for r, s in chain.rules]
        self.changed = True

    def zero_rule(self, name: str, number: int) -> None:
        """TC_ZERO_COUNTER: rule NUMBER (1-based)."""
        chain = self._get(name)
        if not 1 <= number <= len(chain.rules):
            raise TableError("Index of counter too big")
        rule, source = chain.rules[number - 1]
        if source is not None and source >= 0:
            chain.rules[number - 1] = (rule, _zeroed(source))
        self.changed = True

    # --- chains -------------------------------------------------------------------------
    def create_chain(self, name: str) -> None:
        """TC_CREATE_CHAIN: an empty user-defined chain, in name order."""
        if self.is_chain(name) or name in VERDICTS:
            raise TableError("Chain already exists")
        if len(name.encode("latin-1", "replace")) + 1 > 32:
            raise TableError("Invalid argument")
        self._insert_sorted(_Chain(name, None, None, ZERO, NOMAP, 0, []))
        self.changed = True

    def _insert_sorted(self, chain: _Chain) -> None:
        self._by_name[chain.name] = chain
        key = _sort_key(chain)
        for i, other in enumerate(self.chains):
            if other.hook is None and key <= _sort_key(other):
                self.chains.insert(i, chain)
                return
        self.chains.append(chain)

    def delete_chain(self, name: str) -> None:
        """TC_DELETE_CHAIN: an empty, unreferenced user-defined chain."""
        chain = self._get(name)
        if chain.hook is not None:
            raise TableError("Can't delete built-in chain")
        if self.references(name):
            raise TableError("Can't delete chain with references left")
        if chain.rules:
            raise TableError("Chain is not empty")
        self.chains.remove(chain)
        del self._by_name[name]
        self.changed = True

    def rename_chain(self, old: str, new: str) -> None:
        """TC_RENAME_CHAIN: jumps to the chain follow it."""
        if self.is_chain(new) or new in VERDICTS:
            raise TableError("File exists")
        chain = self.find(old)
        if chain is None or chain.hook is not None:
            raise TableError(NO_CHAIN)
        if len(new.encode("latin-1", "replace")) + 1 > 32:
            raise TableError("Invalid argument")
        self.chains.remove(chain)
        del self._by_name[old]
        chain.name = new
        self._insert_sorted(chain)
        jump = Jump(new)
        for other in self.chains:
            other.rules[:] = [(_retarget(rule, old, jump), source) for rule, source in other.rules]
        self.changed = True

    def set_policy(self, name: str, policy: str, counters: Counters | None) -> None:
        """TC_SET_POLICY: ACCEPT or DROP; counters set, or zero when None."""
        chain = self.find(name)
        if chain is None or chain.hook is None:
            raise TableError("Bad built-in chain name")
        if policy not in ("ACCEPT", "DROP"):
            raise TableError("Bad policy name")
        chain.policy = Verdict(ACCEPT if policy == "ACCEPT" else DROP)
        if counters is None:
            chain.counters, chain.source = ZERO, NOMAP
        else:
            chain.counters, chain.source = counters, SET
        self.changed = True

    def keep_counters(self) -> None:
        """Make every rule and policy keep the counters it holds (to put a table read earlier back)."""
        for chain in self.chains:
            chain.rules[:] = [(rule, SET) for rule, _ in chain.rules]
            if chain.hook is not None:
                chain.source = SET
        self.changed = True

    # --- the result ---------------------------------------------------------------------
    def table(self) -> Table:
        chains = tuple(Chain(c.name, tuple(rule for rule, _ in c.rules), c.hook, c.policy, c.counters,
                             c.foot_comefrom) for c in self.chains)
        return Table(self.name, self.family, self.valid_hooks, chains)

    def new_counters(self, returned: list) -> list:
        """SO_SET_ADD_COUNTERS for the table of ``table()``, given the counters the replace returned."""
        out = []
        append = out.append

        def value(source, counters):
            if source is None:
                return 0, 0
            if source == SET:
                return counters.packets, counters.bytes
            if source >= 0:
                return returned[source]
            packets, nbytes = returned[-2 - source]
            return packets - counters.packets, nbytes - counters.bytes

        for chain in self.chains:
            if chain.hook is None:
                append((0, 0))
            for rule, source in chain.rules:
                append(value(source, rule.counters))
            append(value(chain.source, chain.counters) if chain.hook is not None else (0, 0))
        append((0, 0))
        return out


def _sort_key(chain) -> bytes:
    return chain.name.encode("latin-1", "replace")


def _retarget(rule: Rule, old: str, jump: Jump) -> Rule:
    if isinstance(rule.target, Jump) and rule.target.chain == old:
        return Rule(rule.header, rule.matches, jump, rule.counters, rule.comefrom, rule.nfcache)
    return rule


def same_rule(masks):
    """libiptc's is_same and target_same as -D and -C use them; MASKS(match or target) gives the bytes compared."""

    def same(a: Rule, b: Rule) -> bool:
        if type(a.header) is not type(b.header) or _header_key(a.header) != _header_key(b.header):
            return False
        if len(a.matches) != len(b.matches):
            return False
        for x, y in zip(a.matches, b.matches):
            if x.name != y.name or len(x.data) != len(y.data):
                return False
            size = masks(x)
            if x.data[:size] != y.data[:size]:
                return False
        ta, tb = a.target, b.target
        if type(ta) is not type(tb):
            return False
        if isinstance(ta, Target):
            if ta.name != tb.name or len(ta.data) != len(tb.data):
                return False
            size = masks(ta)
            return ta.data[:size] == tb.data[:size]
        return isinstance(ta, Fallthrough) or ta == tb

    return same


def _header_key(header) -> tuple:
    """The header with interface names cut at their masks (is_same compares only the masked bytes)."""
    raw = header.raw
    width = 4 if len(raw) < 100 else 16
    at = 4 * width
    inface, outface = raw[at:at + 16], raw[at + 16:at + 32]
    inmask, outmask = raw[at + 32:at + 48], raw[at + 48:at + 64]
    return (raw[:at], bytes(c & m for c, m in zip(inface, inmask)), bytes(c & m for c, m in zip(outface, outmask)),
            inmask, outmask, raw[at + 64:])
