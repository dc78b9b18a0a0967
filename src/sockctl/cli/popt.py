"""Command lines read the way libpopt 1.19 reads them (for ipvsadm).

Options may come anywhere; words that do not start with '-' (and a lone
'-') are collected apart as leftovers, and after ``--`` every word is one.
A long option is ``--name``, ``--name=value`` or ``--name value``, its name
spelled out in full (popt knows no abbreviations). Short options cluster
(``-Ln``); one that takes a value takes the rest of its word, without a
leading '=', or else the next word, whatever it starts with. An option
whose value is optional takes the next word only when it does not start
with '-'. Mistakes raise ``PoptError`` with popt's message and the word
popt blames.
"""

from sockctl.errors import InputError

NONE, VALUE, OPTIONAL = 0, 1, 2

MISSING_ARGUMENT = "missing argument"
UNWANTED_ARGUMENT = "option does not take an argument"
UNKNOWN_OPTION = "unknown option"


class PoptError(InputError):
    """A word popt refuses: ``word`` is the word, ``reason`` popt's message for it."""

    def __init__(self, word: str, reason: str):
        self.word = word
        self.reason = reason
        super().__init__(f"{word}: {reason}")


def options(argv: list[str], short: dict, long: dict, leftovers: list):
    """Yield (key, value, word) for each option of ARGV in order; append the leftovers to LEFTOVERS.

    SHORT maps a letter and LONG a name to (key, kind), kind being NONE,
    VALUE or OPTIONAL; value is None for an option without one, and word
    the last word read (what popt's poptBadOption names). A generator, so
    that the caller acts on each option before popt reads the next, as
    ipvsadm does.
    """
    count = len(argv)
    i = 0
    while i < count:
        word = argv[i]
        i += 1
        if word[:1] != "-" or word == "-":
            leftovers.append(word)
            continue
        if word == "--":
            leftovers.extend(argv[i:])
            return
        if word[1] == "-":
            name, eq, value = word[2:].partition("=")
            spec = long.get(name)
            if spec is None:
                raise PoptError(word, UNKNOWN_OPTION)
            key, kind = spec
            if kind == NONE:
                if eq:
                    raise PoptError(word, UNWANTED_ARGUMENT)
                yield key, None, word
                continue
            if not eq:
                value, i = _next_value(argv, i, kind, word)
            yield key, value, argv[i - 1]
            continue
        letters = word[1:]
        at = 0
        while at < len(letters):
            spec = short.get(letters[at])
            at += 1
            if spec is None:
                raise PoptError(word, UNKNOWN_OPTION)
            key, kind = spec
            if kind == NONE:
                if letters[at:at + 1] == "=":
                    raise PoptError(word, UNWANTED_ARGUMENT)
                yield key, None, word
                continue
            if at < len(letters):
                value = letters[at + 1:] if letters[at] == "=" else letters[at:]
            else:
                value, i = _next_value(argv, i, kind, word)
            yield key, value, argv[i - 1]
            break


def _next_value(argv: list[str], i: int, kind: int, word: str) -> tuple[str | None, int]:
    if i == len(argv):
        if kind != OPTIONAL:
            raise PoptError(word, MISSING_ARGUMENT)
        return None, i
    if kind == OPTIONAL and argv[i][:1] == "-":
        return None, i
    return argv[i], i + 1
