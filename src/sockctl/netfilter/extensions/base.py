"""The shape of an extension codec, and the option checks libxtables makes for every extension.

An extension is one revision of one match or target, for one family or
all. It converts between three forms: the kernel's payload (``decode`` /
``encode``), iptables' options (``start``/``parse``/``finish``) and text
(``save`` for iptables-save and -S, ``listing`` for -L). The typed options
value in the middle is the extension's own ``Record``.
"""

from sockctl.abi.x_tables import NFPROTO_UNSPEC, XT_ALIGN
from sockctl.errors import DecodeError
from sockctl.netfilter.xtables import RuleError

NONE, ARG, TWO_ARGS = 0, 1, 2  # how many values an option takes
_ALIGN = XT_ALIGN(1) - 1


class Option:
    """One long option of an extension (an xt_option_entry)."""

    __slots__ = ("name", "id", "args", "invert", "multi", "mandatory")

    def __init__(self, name: str, id: int, args: int = ARG, invert: bool = False, multi: bool = False,
                 mandatory: bool = False):
        self.name = name
        self.id = id
        self.args = args
        self.invert = invert
        self.multi = multi
        self.mandatory = mandatory


class Context:
    """What an extension may look at besides its own options: the rule's family and header.

    ``proto`` and ``invflags`` are the header's values at the moment (while
    parsing, as far as the command line has set them).
    """

    __slots__ = ("family", "proto", "invflags", "numeric")

    def __init__(self, family: int, proto: int = 0, invflags: int = 0, numeric: bool = False):
        self.family = family
        self.proto = proto
        self.invflags = invflags
        self.numeric = numeric


class Extension:
    """Base of every match and target codec. Subclasses set the class attributes and override the methods."""

    kind = "match"          # or "target"
    name = ""               # the kernel's name (xt_entry_match.u.user.name)
    revision = 0
    family = NFPROTO_UNSPEC  # NFPROTO_IPV4, NFPROTO_IPV6 or both
    user_name = None        # the name on the command line when it differs (state for conntrack)
    c_struct = None         # the ctypes structure in sockctl.abi (the ABI test checks it against C)
    size = 0                # sizeof the C struct (padded to XT_ALIGN in the entry)
    userspace_size = None   # bytes -D and -C compare (None: all)
    options: tuple = ()
    exclusive: tuple = ()   # groups of option ids of which at most one may be given

    # --- payload ------------------------------------------------------------------
    def decode(self, data: bytes):
        """The options record of a payload (DecodeError when it cannot be one)."""
        raise NotImplementedError

    def encode(self, opts) -> bytes:
        """The C struct of an options record (``payload`` pads it)."""
        raise NotImplementedError

    # --- command line -------------------------------------------------------------
    def start(self, ctx: Context) -> dict:
        """The parse state before any option (the extension's init())."""
        return {}

    def parse(self, state: dict, option: Option, args: list, invert: bool, ctx: Context) -> None:
        """Take one option (already checked by ``take``) into STATE."""
        raise NotImplementedError

    def finish(self, state: dict, ctx: Context):
        """The options record once the command line is read (the extension's final check)."""
        raise NotImplementedError

    def payload_of(self, options: list, ctx: Context) -> bytes:
        """The payload of OPTIONS, a run of (Option, values, inverted) as a rule line gives them in order.

        Optional: iptables-restore reads rules with it (``start``, ``take``
        for each option, ``finish`` and ``payload``, which is the default).
        A codec may override it to read its most common forms faster, and
        leave the others to this default: the bytes must be the same, and
        whatever the default refuses must be refused (RuleError).
        """
        state = self.start(ctx)
        for option, values, inverted in options:
            self.take(state, option, values, inverted, ctx)
        return self.payload(self.finish(state, ctx))

    # --- text ---------------------------------------------------------------------
    def save(self, opts, ctx: Context) -> str:
        """The options as iptables-save writes them, each with a leading space."""
        raise NotImplementedError

    def listing(self, opts, ctx: Context) -> str:
        """The options as iptables -L shows them (ctx.numeric for -n)."""
        raise NotImplementedError

    def shown_name(self, opts) -> str:
        """The name after -m or -j in iptables-save (an alias can show another)."""
        return self.user_name or self.name

    def save_payload(self, data: bytes, ctx: Context) -> str:
        """A payload's whole part of a save line: ' -m NAME' (or ' -j NAME') and ``save``'s text.

        Optional: iptables-save calls it for each payload it has not printed
        before. A codec may override it with a direct reading of the bytes
        (no options record) for speed; it must give the text and raise the
        errors that decode and save give.
        """
        opts = self.decode(data)
        return (" -m " if self.kind == "match" else " -j ") + self.shown_name(opts) + self.save(opts, ctx)

    # --- helpers ------------------------------------------------------------------
    @property
    def payload_size(self) -> int:
        return XT_ALIGN(self.size)

    def payload(self, opts) -> bytes:
        raw = self.encode(opts)
        return raw + bytes(self.payload_size - len(raw))

    def unpack(self, data: bytes, layout):
        """LAYOUT (a struct.Struct) read from a payload of the right size."""
        if len(data) != (self.size + _ALIGN) & ~_ALIGN:  # payload_size inline: a table's decode calls this a lot
            raise DecodeError(f"{self.kind} {self.name} revision {self.revision} payload has {len(data)} bytes, "
                              f"expected {self.payload_size}")
        return layout.unpack_from(data)

    def take(self, state: dict, option: Option, args: list, invert: bool, ctx: Context) -> None:
        """xtables_option_parse's checks, then ``parse``."""
        seen = state.setdefault("_seen", set())
        label = self.user_name or self.name
        if option.id in seen and not option.multi:
            raise RuleError(f'{label}: option "--{option.name}" can only be used once.')
        if invert and not option.invert:
            raise RuleError(f'{label}: option "--{option.name}" cannot be inverted.')
        for group in self.exclusive:
            if option.id in group:
                other = next((o for o in self.options if o.id in seen and o.id in group and o.id != option.id),
                             None)
                if other is not None:
                    raise RuleError(f'{label}: option "--{option.name}" cannot be used together with '
                                    f'"--{other.name}".')
        self.parse(state, option, args, invert, ctx)
        seen.add(option.id)

    def check_mandatory(self, state: dict) -> None:
        seen = state.get("_seen", ())
        for option in self.options:
            if option.mandatory and option.id not in seen:
                raise RuleError(f'{self.user_name or self.name}: option "--{option.name}" must be specified')


def plain_uint(text: str, high: int):
    """TEXT as a number when written plainly, in decimal (no leading zero) or 0x hex, and <= HIGH; else None.

    ``xtables.strtoul`` reads these the same way; codecs' quick readers
    (``payload_of``) take them and leave every other spelling to it.
    """
    if text.isdigit() and text.isascii() and (text[0] != "0" or len(text) == 1):
        value = int(text)
    elif text[:2] == "0x" and len(text) > 2 and text.isascii() and text[2:].isalnum():
        try:
            value = int(text[2:], 16)
        except ValueError:
            return None
    else:
        return None
    return value if value <= high else None
