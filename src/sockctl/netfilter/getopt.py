"""GNU getopt_long as iptables calls it: ``"-:"`` ordering, optional arguments, abbreviated long options.

iptables re-reads its option table as extensions load (``-m tcp`` adds
``--dport``), so the long options are asked for afresh at each step.
"""


class LongOption:
    """One long option: its name, whether it takes an argument (0 no, 1 yes, 2 optional) and its value."""

    __slots__ = ("name", "has_arg", "val")

    def __init__(self, name: str, has_arg: int, val):
        self.name, self.has_arg, self.val = name, has_arg, val


NON_OPTION = 1      # getopt's return for a non-option argument ("-" ordering)
MISSING = ":"       # an option lacks its argument
UNKNOWN = "?"       # not an option of the table, or ambiguous


def short_options(spec: str) -> dict:
    """A getopt option string as {letter: 0 (no argument), 1 (required) or 2 (optional)}."""
    shorts, i = {}, 0
    spec = spec.lstrip("-:")
    while i < len(spec):
        char, i = spec[i], i + 1
        arg = 0
        if spec[i:i + 2] == "::":
            arg, i = 2, i + 2
        elif spec[i:i + 1] == ":":
            arg, i = 1, i + 1
        shorts[char] = arg
    return shorts


class Getopt:
    """Steps through ARGS; ``next(long_options)`` returns (val, optarg, token) or None at the end.

    SHORTS is ``short_options()``'s table; LONG_OPTIONS, given at each step, is a
    function returning a (list of LongOption, {name: LongOption}) pair, asked
    only when a long option comes.
    """

    def __init__(self, args: list, shorts: dict):
        self.args = args
        self.optind = 0
        self._cluster = ""  # the rest of a bundle of short options ("-nvL")
        self._shorts = shorts

    def has_arg(self) -> bool:
        """xs_has_arg: the next argument exists and is neither an option nor '!'."""
        return self.optind < len(self.args) and self.args[self.optind][:1] not in ("-", "!")

    def take(self) -> str:
        value = self.args[self.optind]
        self.optind += 1
        return value

    def next(self, long_options):
        if self._cluster:
            return self._short(long_options)
        if self.optind >= len(self.args):
            return None
        token = self.args[self.optind]
        if token == "--":
            self.optind += 1
            return None
        if token.startswith("--"):
            self.optind += 1
            return self._long(token, long_options)
        if token.startswith("-") and len(token) > 1:
            self.optind += 1
            self._cluster = token[1:]
            self._token = token
            return self._short(long_options)
        self.optind += 1
        return NON_OPTION, token, token

    def _short(self, long_options):
        char, self._cluster = self._cluster[0], self._cluster[1:]
        token = self._token
        kind = self._shorts.get(char)
        if kind is None:
            self._cluster = ""
            return UNKNOWN, None, token
        if kind == 0:
            return char, None, token
        if self._cluster:
            value, self._cluster = self._cluster, ""
            return char, value, token
        if kind == 2:
            return char, None, token
        if self.optind >= len(self.args):
            return MISSING, None, token
        return char, self.take(), token

    def _long(self, token: str, long_options):
        options, by_name = long_options()
        name, eq, value = token[2:].partition("=")
        exact = by_name.get(name)
        found = [exact] if exact is not None else [o for o in options if o.name.startswith(name)]
        if not found:
            return UNKNOWN, None, token
        first = found[0]
        if exact is None and any((o.has_arg, o.val) != (first.has_arg, first.val) for o in found[1:]):
            return UNKNOWN, None, token  # ambiguous
        if first.has_arg == 0:
            return (UNKNOWN, None, token) if eq else (first.val, None, token)
        if eq:
            return first.val, value, token
        if first.has_arg == 2:
            return first.val, None, token
        if self.optind >= len(self.args):
            return MISSING, None, token
        return first.val, self.take(), token

    def back(self) -> None:
        """Re-read the last option (iptables' optind-- after loading a protocol match)."""
        self.optind -= 1
        self._cluster = ""
