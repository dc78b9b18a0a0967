"""A quick reader for the rule lines iptables-save writes, for iptables-restore.

iptables-save writes each rule in one form: ``-A CHAIN``, the header's
options (``[!] -s``, ``-d``, ``-i``, ``-o``, ``-p``, ``-f``), then each
match as ``-m NAME`` with its options, then ``-j TARGET`` (or ``-g``) with
its options. ``QuickReader.rule`` reads a line of that form without the
getopt emulation of ``sockctl.netfilter.command``: each option is looked up
by its exact name in the table of the extension it follows, and what a run
of options gives (a match's or target's payload) is cached by the words
themselves, as rulesets repeat them. Whatever it does not expect (another
command, an abbreviated option, an option of another extension, a mistake),
it leaves to the full parser by returning None, so a line's meaning and its
errors stay the full parser's. Tests compare both on the corpus and on
generated lines.
"""

from _socket import inet_aton as _inet_aton, inet_ntoa as _inet_ntoa

from sockctl.abi.ip6_tables import IP6T_F_GOTO, IP6T_F_PROTO
from sockctl.abi.ip_tables import IPT_F_FRAG, IPT_F_GOTO, IPT_INV_DSTIP, IPT_INV_FRAG, IPT_INV_SRCIP, \
    IPT_INV_VIA_IN, IPT_INV_VIA_OUT
from sockctl.abi.x_tables import NFPROTO_IPV4, XT_INV_PROTO
from sockctl.netfilter import addresses, extensions
from sockctl.netfilter.command import CORE_OPTIONS, parse_interface
from sockctl.netfilter.extensions.base import ARG, NONE, Context
from sockctl.netfilter.model import VERDICTS, Counters, Fallthrough, IPv4Header, IPv6Header, Jump, Match, Rule, \
    Target, Verdict
from sockctl.netfilter.xtables import RuleError, parse_protocol

_ENDS = ("-m", "-j", "-g")      # the words that end a match's or target's options
_HEADER_OPTIONS = {"-s": IPT_INV_SRCIP, "-d": IPT_INV_DSTIP, "-p": XT_INV_PROTO, "-i": IPT_INV_VIA_IN,
                   "-o": IPT_INV_VIA_OUT}  # the header's options with a value, by their inversion bit
_ZERO = Counters(0, 0)
_NO_INTERFACE = (b"", bytes(16))
_ANY4 = [(bytes(4), bytes(4))]
_ANY6 = [(bytes(16), bytes(16))]
_IN_ONLY = ("PREROUTING", "INPUT")     # chains where -o makes no sense
_OUT_ONLY = ("POSTROUTING", "OUTPUT")  # and -i
_MASK64 = (1 << 64) - 1
_VERDICT_TARGETS = {name: Verdict(value) for name, value in VERDICTS.items()}
_FALLTHROUGH = Fallthrough()
_V4_MASKS = [(((1 << 32) - 1) << (32 - n) & ((1 << 32) - 1)) for n in range(33)]
_PREFIXES = {str(n): n for n in range(33)}
_FULL4 = b"\xff" * 4


class QuickReader:
    """Reads rule lines of one family and table; remembers what repeats."""

    def __init__(self, family: int, table: str, oracle):
        self.family, self.table, self.oracle = family, table, oracle
        self.v4 = family == NFPROTO_IPV4
        self._pack = (IPv4Header if self.v4 else IPv6Header)._struct.pack
        self._header_class = IPv4Header if self.v4 else IPv6Header
        self._any = _ANY4 if self.v4 else _ANY6
        self._codecs = {"match": {}, "target": {}}  # kind -> name -> (codec, its option words) or None
        self._runs = {}        # (codec, proto, invflags, words) -> Match or Target
        self._addresses = {}   # address text -> [(address, mask)]
        self._protocols = {}   # -p text -> protocol number
        self._interfaces = {}  # -i/-o text -> (name bytes, mask)
        self._jumps = {}       # chain name -> Jump
        self._headers = {}     # header bytes -> the header (rules share them)
        self._tails = {}       # (protocol, inversions, the words after the header) -> what _tail made of them
        self._names = {}       # -j/-g text -> whether it can name a target (xt_parse_target)

    def rule(self, words: list, counters: Counters | None, edit):
        """(chain, rules) of ``-A CHAIN ...`` (WORDS split as restore splits them), or None for the full parser.

        COUNTERS are the line's [packets:bytes] when restoring with -c. EDIT is
        the table as changed so far (to know its chains); it is not changed.
        """
        try:
            return self._rule(words, counters, edit)
        except RuleError:
            return None  # the full parser says what is wrong, in its words

    def _rule(self, words, counters, edit):
        n = len(words)
        if n < 2 or words[0] != "-A":
            return None
        chain = words[1]
        if len(chain) >= 29:  # (a name's length in bytes as iptables counts them: latin-1, one each)
            return None
        src = dst = None
        inface = outface = None
        proto = flags = inv = 0
        invert = proto_seen = False
        i = 2
        # The header's options.
        while i < n:
            word = words[i]
            bit = _HEADER_OPTIONS.get(word)
            if bit is None:
                if word == "!":
                    if invert:
                        return None
                    invert = True
                    i += 1
                    continue
                if word != "-f":
                    break
                if not self.v4 or flags & IPT_F_FRAG:
                    return None
                flags |= IPT_F_FRAG
                if invert:
                    inv |= IPT_INV_FRAG
                    invert = False
                i += 1
                continue
            if i + 1 >= n:
                return None
            arg = words[i + 1]
            i += 2
            if bit == IPT_INV_SRCIP:
                if src is not None:
                    return None
                src = arg
            elif bit == IPT_INV_DSTIP:
                if dst is not None:
                    return None
                dst = arg
            elif bit == XT_INV_PROTO:
                if proto_seen:
                    return None
                proto_seen = True
                proto = self._protocol(arg)
                if proto == 0 and invert:
                    return None
                if not self.v4:
                    flags |= IP6T_F_PROTO
            elif not arg:
                return None
            elif bit == IPT_INV_VIA_IN:
                if inface is not None:
                    return None
                inface = self._interface(arg)
            else:
                if outface is not None:
                    return None
                outface = self._interface(arg)
            if invert:
                inv |= bit
                invert = False
        if invert:
            return None
        if (outface is not None and chain in _IN_ONLY) or (inface is not None and chain in _OUT_ONLY):
            return None
        # Matches and the target: the same words after the same header read the same.
        key = (proto, inv, tuple(words[i:]))
        tail = self._tails.get(key)
        if tail is None:
            tail = self._tail(words, i, n, proto, inv)
            if tail is None:
                return None
            self._tails[key] = tail
        matches, name, goto, target = tail
        # The target against the table's chains (tables.resolve).
        if target is not None:
            if edit.is_chain(name):
                return None  # iptables warns that it uses the chain: the full parser does
        elif goto:
            if not edit.is_chain(name):
                return None
            target = self._jump(name)
            flags |= IPT_F_GOTO if self.v4 else IP6T_F_GOTO
        elif name is None:
            target = _FALLTHROUGH
        elif name in VERDICTS:
            target = _VERDICT_TARGETS[name]
        elif edit.is_chain(name):
            target = self._jump(name)
        else:
            return None
        sources = self._any if src is None else self._address(src)
        destinations = self._any if dst is None else self._address(dst)
        if (len(sources) > 1 or len(destinations) > 1) and inv & (IPT_INV_SRCIP | IPT_INV_DSTIP):
            return None
        inname, inmask = inface or _NO_INTERFACE
        outname, outmask = outface or _NO_INTERFACE
        fields = (proto, flags, inv) if self.v4 else (proto, 0, flags, inv)
        counters = counters or _ZERO
        pack, headers = self._pack, self._headers
        rules = []
        for s, smsk in sources:
            for d, dmsk in destinations:
                raw = pack(s, d, smsk, dmsk, inname, outname, inmask, outmask, *fields)
                header = headers.get(raw)
                if header is None:
                    header = headers[raw] = self._header_class(raw)
                rules.append(Rule(header, matches, target, counters))
        return chain, rules

    def _tail(self, words, i, n, proto, inv):
        """(matches, target name, goto, extension Target or None) of the words after the header, or None."""
        matches = []
        target = name = None
        goto = False
        while i < n:
            word = words[i]
            if i + 1 >= n or word not in _ENDS:
                return None
            arg = words[i + 1]
            i += 2
            if word == "-m":
                if len(arg) >= 29:
                    return None
                found = self._codec("match", arg)
                if found is None:
                    return None
                i, run = self._run(found, words, i, n, proto, inv)
                if run is None:
                    return None
                matches.append(run)
                continue
            if name is not None or not self._target_name(arg):
                return None
            name = arg
            if word == "-g":
                goto = True
                continue
            if name in VERDICTS:
                continue
            found = self._codec("target", name)
            if found is None:
                continue  # a chain, else an error the full parser gives
            i, target = self._run(found, words, i, n, proto, inv)
            if target is None:
                return None
        if self.table == "nat" and name == "DROP":
            return None
        return tuple(matches), name, goto, target

    # --- the parts ------------------------------------------------------------------------
    def _codec(self, kind: str, name: str):
        """(codec, {option word: Option}) that the full parser would load for -m/-j NAME, or None."""
        known = self._codecs[kind]
        if name in known:
            return known[name]
        codec = extensions.choose(kind, name, self.family, self.oracle.has)
        found = None
        if codec is not None:
            core = {o.name for o in CORE_OPTIONS[self.family]}
            table = {}
            for option in codec.options:
                if option.name not in core:  # iptables' own options come first in its table
                    table.setdefault("--" + option.name, option)
            found = (codec, table)
        known[name] = found
        return found

    def _run(self, found, words, i, n, proto, inv):
        """The options of one match or target from WORDS[I:], and where they end: (end, Match or Target)."""
        codec, table = found
        start = i
        options = []
        invert = False
        while i < n:
            word = words[i]
            if word == "!":
                if invert:
                    return i, None
                invert = True
                i += 1
                continue
            option = table.get(word)
            if option is None:
                if word in _ENDS and not invert:
                    break
                return i, None
            if option.args == NONE:
                args = []
                i += 1
            elif option.args == ARG:
                if i + 1 >= n:
                    return i, None
                args = [words[i + 1]]
                i += 2
            else:  # two values, the second not looking like an option
                if i + 2 >= n or words[i + 2][:1] in ("-", "!"):
                    return i, None
                args = [words[i + 1], words[i + 2]]
                i += 3
            options.append((option, args, invert))
            invert = False
        if invert:
            return i, None
        key = (codec, proto, inv, tuple(words[start:i]))
        run = self._runs.get(key)
        if run is None:
            payload = codec.payload_of(options, Context(self.family, proto, inv))
            run = self._runs[key] = (Match if codec.kind == "match" else Target)(codec.name, codec.revision, payload)
        return i, run

    def _target_name(self, text: str) -> bool:
        valid = self._names.get(text)
        if valid is None:
            valid = self._names[text] = bool(text) and len(text) < 29 and not any(c.isspace() for c in text)
        return valid

    def _protocol(self, text: str) -> int:
        number = self._protocols.get(text)
        if number is None:
            number = self._protocols[text] = parse_protocol(text.lower())
        return number

    def _interface(self, text: str) -> tuple:
        found = self._interfaces.get(text)
        if found is None:
            name, mask = parse_interface(text)
            found = self._interfaces[text] = (name.encode("latin-1", "replace"), mask)
        return found

    def _address(self, text: str) -> list:
        found = self._addresses.get(text)
        if found is None:
            found = (quick_v4(text) if self.v4 else None) or addresses.parse_multiple(text, self.family)
            self._addresses[text] = found
        return found

    def _jump(self, name: str) -> Jump:
        jump = self._jumps.get(name)
        if jump is None:
            jump = self._jumps[name] = Jump(name)
        return jump


def quick_v4(text: str):
    """[(address, mask)] of A.B.C.D or A.B.C.D/N written plainly (decimal, no leading zeros), else None.

    What ``addresses.parse_multiple`` gives for the same text, without its
    general rules (C's number bases, masks written as addresses, names).
    """
    host, slash, bits = text.partition("/")
    try:
        packed = _inet_aton(host)
    except OSError:
        return None
    if _inet_ntoa(packed) != host:  # the C library reads other forms too: only its own spelling is plain
        return None
    width = _PREFIXES.get(bits) if slash else 32
    if width is None:
        return None
    if width == 32:
        return [(packed, _FULL4)]
    mask = _V4_MASKS[width]
    return [((int.from_bytes(packed, "big") & mask).to_bytes(4, "big"), mask.to_bytes(4, "big"))]
