"""Command-line words shared by ``sockctl sockopt`` and ``sockctl demo``: options, numbers, byte payloads.

Pure functions; failures raise InputError naming the word.
"""

from sockctl.errors import InputError


def parse_options(argv: list[str], flags=(), valued=()) -> tuple[dict, list[str]]:
    """({option: True or its value}, the words after them).

    Options come first; the first other word, or ``--``, ends them, so a
    payload may start with a dash.
    """
    opts: dict = {}
    args = list(argv)
    while args and args[0].startswith("-") and args[0] != "-":
        opt = args.pop(0)
        if opt == "--":
            break
        if opt in flags:
            opts[opt] = True
        elif opt in valued:
            if not args:
                raise InputError(f"{opt} needs a value")
            opts[opt] = args.pop(0)
        else:
            raise InputError(f"unknown option {opt!r}")
    return opts, args


def number(text: str, what: str, low: int, high: int) -> int:
    """A whole number in [LOW, HIGH]: decimal, or 0x hex."""
    try:
        if text != text.strip() or "_" in text:
            raise ValueError
        value = int(text, 16) if text[:2] in ("0x", "0X") else int(text, 10)
    except ValueError:
        raise InputError(f"{what} {text!r} is not a number") from None
    if not low <= value <= high:
        raise InputError(f"{what} {value} is out of range ({low}-{high})")
    return value


def data(text: str, hex_digits: bool, what: str = "data") -> bytes:
    """Bytes typed as text (UTF-8) or, with HEX_DIGITS, as hex (spaces and colons between bytes allowed)."""
    if not hex_digits:
        return text.encode("utf-8", "surrogateescape")
    digits = text.replace(" ", "").replace(":", "")
    if digits[:2] in ("0x", "0X"):
        digits = digits[2:]
    try:
        return bytes.fromhex(digits)
    except ValueError:
        raise InputError(f"{what} {text!r} is not hexadecimal bytes") from None


def text(value: bytes, hex_digits: bool) -> str:
    """Bytes for printing: as hex, or as text with undecodable bytes escaped (\\xNN)."""
    return value.hex() if hex_digits else value.decode("utf-8", "backslashreplace")
