"""Command lines read the way glibc's getopt_long reads them for net-tools.

Options may come anywhere: the operands are collected apart, in order
(GNU permutation), until ``--``, after which everything is an operand.
Short options cluster (``-nee``); one that takes a value takes the rest of
its word or the next word. Long options take ``--name=value`` or
``--name value`` and may be shortened to any unambiguous prefix.
Mistakes raise ``OptionError`` with glibc's wording.
"""

from sockctl.errors import InputError


class OptionError(InputError):
    """A command line getopt would refuse; the message is glibc's, without the program name."""


def parse(argv: list[str], shortopts: str, longopts: list[tuple[str, bool, str]]):
    """([(option, value)], [operands]) from ARGV.

    SHORTOPTS is getopt's string (``"A:eCFhn"``: a colon after a letter that
    takes a value). LONGOPTS lists (name, takes_value, option), ``option``
    being what is reported for it: a short option's letter, or a tag that
    several long options may share. ``value`` is the option's argument; for
    a long option without one it is the full name given, so options sharing
    a tag can be told apart; for a short option without one it is None.
    """
    options: list[tuple[str, str | None]] = []
    operands: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg == "--":
            operands.extend(args)
            break
        if arg.startswith("--"):
            name, eq, value = arg[2:].partition("=")
            long_name, takes_value, option = _long(name, longopts)
            if takes_value:
                if not eq:
                    value = next(args, None)
                    if value is None:
                        raise OptionError(f"option '--{long_name}' requires an argument")
                options.append((option, value))
            else:
                if eq:
                    raise OptionError(f"option '--{long_name}' doesn't allow an argument")
                options.append((option, long_name))
        elif arg.startswith("-") and arg != "-":
            i = 1
            while i < len(arg):
                letter = arg[i]
                at = shortopts.find(letter)
                if letter == ":" or at < 0:
                    raise OptionError(f"invalid option -- '{letter}'")
                if shortopts[at + 1:at + 2] == ":":
                    value = arg[i + 1:] or next(args, None)
                    if value is None:
                        raise OptionError(f"option requires an argument -- '{letter}'")
                    options.append((letter, value))
                    break
                options.append((letter, None))
                i += 1
        else:
            operands.append(arg)
    return options, operands


def _long(name: str, longopts):
    for entry in longopts:
        if entry[0] == name:
            return entry
    matches = [entry for entry in longopts if entry[0].startswith(name)]
    if not matches:
        raise OptionError(f"unrecognized option '--{name}'")
    # Like glibc: prefixes of several names are ambiguous only when those
    # names would act differently.
    if any(m[1:] != matches[0][1:] for m in matches[1:]):
        names = " ".join(f"'--{m[0]}'" for m in matches)
        raise OptionError(f"option '--{name}' is ambiguous; possibilities: {names}")
    return matches[0]
