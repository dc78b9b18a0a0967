"""The iptables command line, read as iptables 1.8.9's do_parse reads it: into a ``Command``.

Used for ``sockctl iptables`` arguments and for each rule line of
iptables-restore. Nothing here touches a table; the extensions' revisions
are asked of an ``Oracle`` (the kernel, or a stand-in in tests). Errors
are ``RuleError`` with iptables' meaning.
"""

from sockctl.abi.ip6_tables import IP6T_F_GOTO, IP6T_F_PROTO
from sockctl.abi.ip_tables import IPT_F_FRAG, IPT_F_GOTO, IPT_INV_DSTIP, IPT_INV_FRAG, IPT_INV_SRCIP, \
    IPT_INV_VIA_IN, IPT_INV_VIA_OUT
from sockctl.abi.x_tables import NFPROTO_IPV4, NFPROTO_IPV6, XT_INV_PROTO
from sockctl.netfilter import addresses, extensions
from sockctl.netfilter.extensions.base import TWO_ARGS, Context
from sockctl.netfilter.getopt import MISSING, NON_OPTION, UNKNOWN, Getopt, LongOption, short_options
from sockctl.netfilter.model import VERDICTS, Counters, IPv4Header, IPv6Header, Match, Target
from sockctl.netfilter.xtables import RuleError, parse_protocol, proto_name

# Commands (xshared.h CMD_*), in the bit order of cmd2char's table.
CMD_INSERT, CMD_DELETE, CMD_DELETE_NUM, CMD_REPLACE, CMD_APPEND, CMD_LIST, CMD_FLUSH, CMD_ZERO, \
    CMD_NEW_CHAIN, CMD_DELETE_CHAIN, CMD_SET_POLICY, CMD_RENAME_CHAIN, CMD_LIST_RULES, CMD_ZERO_NUM, \
    CMD_CHECK = (1 << i for i in range(15))
_CMD_CHARS = "IDDRALFZNXPESZC"
RULE_COMMANDS = CMD_APPEND | CMD_DELETE | CMD_CHECK | CMD_INSERT | CMD_REPLACE

# Options (xshared.h OPT_*), in the order of optflags.
OPT_NUMERIC, OPT_SOURCE, OPT_DESTINATION, OPT_PROTOCOL, OPT_JUMP, OPT_VERBOSE, OPT_EXPANDED, OPT_VIANAMEIN, \
    OPT_VIANAMEOUT, OPT_LINENUMBERS, OPT_COUNTERS, OPT_FRAGMENT = (1 << i for i in range(12))
_OPT_CHARS = "nsdpjvxio0cf"
_INVERSE = {OPT_SOURCE: IPT_INV_SRCIP, OPT_DESTINATION: IPT_INV_DSTIP, OPT_PROTOCOL: XT_INV_PROTO,
            OPT_VIANAMEIN: IPT_INV_VIA_IN, OPT_VIANAMEOUT: IPT_INV_VIA_OUT, OPT_FRAGMENT: IPT_INV_FRAG}

# commands_v_options: which options each command forbids ('x').
_LEGAL = {
    CMD_INSERT: "x     x  x  ", CMD_DELETE: "x     x  xx ", CMD_DELETE_NUM: "xxxxx xxxxxx",
    CMD_REPLACE: "x     x  x  ", CMD_APPEND: "x     x  x  ", CMD_LIST: " xxxx  xx xx",
    CMD_FLUSH: "xxxxx xxxxxx", CMD_ZERO: "xxxxx xxxxxx", CMD_NEW_CHAIN: "xxxxx xxxxxx",
    CMD_DELETE_CHAIN: "xxxxx xxxxxx", CMD_SET_POLICY: "xxxxx xxxx x", CMD_RENAME_CHAIN: "xxxxx xxxxxx",
    CMD_LIST_RULES: "xxxxx xxxxxx", CMD_ZERO_NUM: "xxxxx xxxxxx", CMD_CHECK: "x     x  xx ",
}

_SHORTS = short_options("-:A:C:D:E:F::I:L::M:N:P:VX::Z::c:d:i:j:o:p:s:t:R:S::W::46bfg:h::m:nvw::x")
_CORE = [("append", 1, "A"), ("delete", 1, "D"), ("check", 1, "C"), ("insert", 1, "I"), ("replace", 1, "R"),
         ("list", 2, "L"), ("list-rules", 2, "S"), ("flush", 2, "F"), ("zero", 2, "Z"), ("new-chain", 1, "N"),
         ("delete-chain", 2, "X"), ("rename-chain", 1, "E"), ("policy", 1, "P"), ("source", 1, "s"),
         ("destination", 1, "d"), ("src", 1, "s"), ("dst", 1, "d"), ("protocol", 1, "p"),
         ("in-interface", 1, "i"), ("jump", 1, "j"), ("table", 1, "t"), ("match", 1, "m"), ("numeric", 0, "n"),
         ("out-interface", 1, "o"), ("verbose", 0, "v"), ("wait", 2, "w"), ("wait-interval", 2, "W"),
         ("exact", 0, "x"), ("fragments", 0, "f"), ("version", 0, "V"), ("help", 2, "h"),
         ("line-numbers", 0, "0"), ("modprobe", 1, "M"), ("set-counters", 1, "c"), ("goto", 1, "g"),
         ("ipv4", 0, "4"), ("ipv6", 0, "6")]
CORE_OPTIONS = {NFPROTO_IPV4: [LongOption(*o) for o in _CORE],
                NFPROTO_IPV6: [LongOption(*o) for o in _CORE if o[0] != "fragments"]}


class Oracle:
    """What the running kernel has: ``has(kind, name, revision)`` and ``exists(kind, name)``."""

    def has(self, kind: str, name: str, revision: int) -> bool:
        raise NotImplementedError

    def exists(self, kind: str, name: str) -> bool:
        return any(self.has(kind, name, revision) for revision in range(4))


class RuleSpec:
    """A rule as the command line gives it, before its target meets the table's chains."""

    def __init__(self, family: int):
        self.family = family
        self.proto = 0
        self.invflags = 0
        self.flags = 0
        self.iniface = self.outiface = ""
        self.iniface_mask = self.outiface_mask = bytes(16)
        self.sources = self.destinations = ()
        self.matches = []       # Match records
        self.target = None      # a Target record, or None for a standard target named by jumpto
        self.target_codec = None
        self.jumpto = ""
        self.goto = False
        self.counters = Counters(0, 0)
        self.unsupported_target = None

    def headers(self) -> list:
        """One header per source and destination address pair (iptables adds one rule each)."""
        v4 = self.family == NFPROTO_IPV4
        result = []
        for src, smsk in self.sources:
            for dst, dmsk in self.destinations:
                if v4:
                    raw = IPv4Header._struct.pack(src, dst, smsk, dmsk, _iface(self.iniface), _iface(self.outiface),
                                                  self.iniface_mask, self.outiface_mask, self.proto, self.flags,
                                                  self.invflags)
                    result.append(IPv4Header(raw))
                else:
                    raw = IPv6Header._struct.pack(src, dst, smsk, dmsk, _iface(self.iniface),
                                                  _iface(self.outiface), self.iniface_mask, self.outiface_mask,
                                                  self.proto, 0, self.flags, self.invflags)
                    result.append(IPv6Header(raw))
        return result


def _iface(name: str) -> bytes:
    return name.encode("latin-1", "replace")


class Command:
    """One parsed iptables command: what to do, to which chain, with which rule."""

    def __init__(self, family: int, table: str):
        self.family = family
        self.table = table
        self.command = 0
        self.chain = None
        self.rulenum = 0
        self.policy = None
        self.newname = None
        self.options = 0
        self.verbose = 0
        self.wait = None
        self.spec = None
        self.version = self.help = False
        self.skip = False  # a restore line for the other family (-4 in ip6tables-restore)

    @property
    def numeric(self) -> bool:
        return bool(self.options & OPT_NUMERIC)

    @property
    def exact(self) -> bool:
        return bool(self.options & OPT_EXPANDED)

    @property
    def line_numbers(self) -> bool:
        return bool(self.options & OPT_LINENUMBERS)


_long_tables: dict = {}  # (family, loaded codecs) -> long options, as they repeat from rule to rule


class _MatchUse:
    __slots__ = ("codec", "state", "completed")

    def __init__(self, codec, state):
        self.codec, self.state, self.completed = codec, state, False


def parse_interface(text: str) -> tuple[str, bytes]:
    """xtables_parse_interface: the name, and a mask covering it and its NUL (or up to a final '+')."""
    raw = text.encode("latin-1", "replace")
    if len(raw) + 1 > 16:
        raise RuleError(f"interface name `{text}' must be shorter than IFNAMSIZ (15)")
    if not raw:
        return "", bytes(16)
    covered = len(raw) - 1 if raw.endswith(b"+") else len(raw) + 1
    return text, b"\xff" * covered + bytes(16 - covered)


def _cmd_char(command: int) -> str:
    return _CMD_CHARS[command.bit_length() - 1]


def _opt_char(option: int) -> str:
    return _OPT_CHARS[option.bit_length() - 1]


def _rulenumber(text: str) -> int:
    from sockctl.netfilter.xtables import strtoul

    value = strtoul(text, 1, 0x7FFFFFFF)
    if value is None:
        raise RuleError(f"Invalid rule number `{text}'")
    return value


def _counter(text: str, which: str) -> int:
    digits = len(text) - len(text.lstrip("0123456789"))
    if not digits:
        raise RuleError(f"-c {which} counter not numeric")
    return int(text[:digits]) & 0xFFFFFFFFFFFFFFFF


def valid_chain_name(name: str, oracle: Oracle | None) -> None:
    """assert_valid_chain_name (for -N)."""
    if len(name.encode("latin-1", "replace")) >= 29:
        raise RuleError(f"chain name `{name}' too long (must be under 29 chars)")
    if name[:1] in ("-", "!"):
        raise RuleError(f"chain name not allowed to start with `{name[0]}'")
    if name in VERDICTS or extensions.known("target", name) or \
            (oracle is not None and oracle.exists("target", name)):
        raise RuleError("chain name may not clash with target name")
    if any(c.isspace() for c in name):
        raise RuleError(f"Invalid chain name `{name}'")


def _target_name(name: str) -> str:
    """xt_parse_target."""
    if not name:
        raise RuleError("Invalid target name (too short)")
    if len(name.encode("latin-1", "replace")) >= 29:
        raise RuleError(f"Invalid target name `{name}' (28 chars max)")
    if any(c.isspace() for c in name):
        raise RuleError(f"Invalid target name `{name}'")
    return name


class _Parser:
    def __init__(self, argv, family, table, restore, oracle):
        self.argv, self.family, self.restore, self.oracle = argv, family, restore, oracle
        self.cmd = Command(family, table)
        self.spec = RuleSpec(family)
        self.invert = False
        self.table_set = False
        self.protocol = None
        self.proto_used = False
        self.matches = []     # _MatchUse, in order
        self.loaded = []      # codecs whose options are known, most recent last
        self.target = None    # (codec, state)
        self.shost = self.dhost = None
        self.counters = None
        self._long = None
        self._ctx = None

    def long_options(self):
        """The long options known now: iptables' own, then the extensions' (latest loaded first)."""
        if self._long is not None and self._long[0] == len(self.loaded):
            return self._long[1]
        key = tuple(self.loaded)
        found = _long_tables.get((self.family, key))
        if found is None:
            options = list(CORE_OPTIONS[self.family])
            seen = set()
            for codec in reversed(self.loaded):
                if id(codec) in seen:
                    continue
                seen.add(id(codec))
                options += [LongOption(o.name, 0 if o.args == 0 else 1, (codec, o)) for o in codec.options]
            by_name = {}
            for option in options:
                by_name.setdefault(option.name, option)
            found = _long_tables[(self.family, key)] = (options, by_name)
        self._long = (len(self.loaded), found)
        return found

    def ctx(self) -> Context:
        """The extensions' view of the rule so far (one object while protocol and inversions stay)."""
        ctx = self._ctx
        if ctx is None or ctx.proto != self.spec.proto or ctx.invflags != self.spec.invflags:
            ctx = self._ctx = Context(self.family, self.spec.proto, self.spec.invflags)
        return ctx

    # --- the loop ---------------------------------------------------------------------
    def run(self) -> Command:
        opt = self.getopt = Getopt(self.argv, _SHORTS)
        long_options = self.long_options
        while True:
            step = opt.next(long_options)
            if step is None:
                break
            val, arg, token = step
            if isinstance(val, tuple) or val in (UNKNOWN, MISSING):
                if self._default(val, arg, token):
                    continue
            elif val == NON_OPTION:
                if arg == "!":
                    if self.invert:
                        raise RuleError("multiple consecutive ! not allowed")
                    self.invert = True
                    continue
                raise RuleError(f"Bad argument `{arg}'")
            else:
                done = self._core(val, arg)
                if done:
                    return self.cmd
            self.invert = False
        return self._finish()

    def _add_command(self, command: int, others: int = 0) -> None:
        if self.invert:
            raise RuleError("unexpected '!' flag")
        if self.cmd.command & ~others:
            raise RuleError(f"Cannot use -{_cmd_char(command)} with -{_cmd_char(self.cmd.command & ~others)}")
        self.cmd.command |= command

    def _set_option(self, option: int) -> None:
        if self.cmd.options & option:
            raise RuleError(f"multiple -{_opt_char(option)} flags not allowed")
        self.cmd.options |= option
        if self.invert:
            bit = _INVERSE.get(option)
            if not bit:
                raise RuleError(f"cannot have ! before -{_opt_char(option)}")
            self.spec.invflags |= bit

    def _optional_chain(self, arg):
        opt = self.getopt
        if arg is not None:
            self.cmd.chain = arg
        elif opt.has_arg():
            self.cmd.chain = opt.take()

    def _core(self, c: str, arg):
        cmd, opt, spec = self.cmd, self.getopt, self.spec
        if c in "ACDRIN":
            if c == "N":
                valid_chain_name(arg, self.oracle)
            command = {"A": CMD_APPEND, "C": CMD_CHECK, "D": CMD_DELETE, "R": CMD_REPLACE, "I": CMD_INSERT,
                       "N": CMD_NEW_CHAIN}[c]
            self._add_command(command)
            cmd.chain = arg
            if c == "D" and opt.has_arg():
                cmd.rulenum = _rulenumber(opt.take())
                cmd.command = CMD_DELETE_NUM
            elif c == "R":
                if not opt.has_arg():
                    raise RuleError("-R requires a rule number")
                cmd.rulenum = _rulenumber(opt.take())
            elif c == "I":
                cmd.rulenum = _rulenumber(opt.take()) if opt.has_arg() else 1
        elif c in "LS":
            self._add_command(CMD_LIST if c == "L" else CMD_LIST_RULES, CMD_ZERO | CMD_ZERO_NUM)
            self._optional_chain(arg)
            if opt.has_arg():
                cmd.rulenum = _rulenumber(opt.take())
        elif c in "FX":
            self._add_command(CMD_FLUSH if c == "F" else CMD_DELETE_CHAIN)
            self._optional_chain(arg)
        elif c == "Z":
            self._add_command(CMD_ZERO, CMD_LIST | CMD_LIST_RULES)
            self._optional_chain(arg)
            if opt.has_arg():
                cmd.rulenum = _rulenumber(opt.take())
                cmd.command = (cmd.command & ~CMD_ZERO) | CMD_ZERO_NUM
        elif c == "E":
            self._add_command(CMD_RENAME_CHAIN)
            cmd.chain = arg
            if not opt.has_arg():
                raise RuleError("-E requires old-chain-name and new-chain-name")
            cmd.newname = opt.take()
        elif c == "P":
            self._add_command(CMD_SET_POLICY)
            cmd.chain = arg
            if not opt.has_arg():
                raise RuleError("-P requires a chain and a policy")
            cmd.policy = opt.take()
        elif c == "h":
            cmd.help = True
            return True
        elif c == "V":
            cmd.version = True
            return True
        elif c == "p":
            self._set_option(OPT_PROTOCOL)
            self.protocol = arg.lower()
            spec.proto = parse_protocol(self.protocol)
            if spec.proto == 0 and spec.invflags & XT_INV_PROTO:
                raise RuleError("rule would never match protocol")
            if self.family != NFPROTO_IPV4:
                spec.flags |= IP6T_F_PROTO
        elif c in "sd":
            self._set_option(OPT_SOURCE if c == "s" else OPT_DESTINATION)
            if c == "s":
                self.shost = arg
            else:
                self.dhost = arg
        elif c == "g":
            self._set_option(OPT_JUMP)
            spec.goto = True
            spec.jumpto = _target_name(arg)
        elif c == "j":
            self._set_option(OPT_JUMP)
            self._jump(arg)
        elif c in "io":
            if not arg:
                raise RuleError("Empty interface is likely to be undesired")
            self._set_option(OPT_VIANAMEIN if c == "i" else OPT_VIANAMEOUT)
            name, mask = parse_interface(arg)
            if c == "i":
                spec.iniface, spec.iniface_mask = name, mask
            else:
                spec.outiface, spec.outiface_mask = name, mask
        elif c == "f":
            if self.family != NFPROTO_IPV4:
                raise RuleError("`-f' is not supported in IPv6, use -m frag instead")
            self._set_option(OPT_FRAGMENT)
            spec.flags |= IPT_F_FRAG
        elif c == "v":
            if not cmd.verbose:
                self._set_option(OPT_VERBOSE)
            cmd.verbose += 1
        elif c == "m":
            if self.invert:
                raise RuleError("unexpected ! flag before --match")
            self._match(arg)
        elif c == "n":
            self._set_option(OPT_NUMERIC)
        elif c == "t":
            if self.invert:
                raise RuleError("unexpected ! flag before --table")
            if self.restore and self.table_set:
                raise RuleError("The -t option cannot be used in iptables-restore.")
            cmd.table = arg
            self.table_set = True
        elif c == "x":
            self._set_option(OPT_EXPANDED)
        elif c in "wW":
            if self.restore:
                raise RuleError(f"You cannot use `-{c}' from iptables-restore")
            if c == "w":
                seconds = arg if arg is not None else (opt.take() if opt.has_arg() else None)
                if seconds is not None and not seconds.isdigit():
                    raise RuleError("wait seconds not numeric")
                cmd.wait = int(seconds) if seconds is not None else -1
        elif c == "0":
            self._set_option(OPT_LINENUMBERS)
        elif c == "M":
            pass  # there are no modules to load: the kernel has x_tables built in or loads it itself
        elif c == "c":
            self._set_option(OPT_COUNTERS)
            packets, comma, rest = arg.partition(",")
            if comma:
                nbytes = rest
            elif opt.has_arg():
                nbytes = opt.take()
            else:
                raise RuleError("-c requires packet and byte counter")
            spec.counters = Counters(_counter(packets, "packet"), _counter(nbytes, "byte"))
        elif c in "46":
            if (self.family == NFPROTO_IPV4) == (c == "4"):
                return False
            if self.restore:
                cmd.command = 0
                cmd.skip = True
                return True
            raise RuleError(f"this is {'iptables' if self.family == NFPROTO_IPV4 else 'ip6tables'}, not -{c}")
        elif c == "b":
            pass
        return False

    # --- matches and targets ------------------------------------------------------------
    def _match(self, name: str) -> None:
        if len(name.encode("latin-1", "replace")) >= 29:
            raise RuleError(f'Invalid match name "{name}" (28 chars max)')
        codec = extensions.choose("match", name, self.family, self.oracle.has)
        if codec is None:
            spelled = extensions.MATCH_SPELLINGS.get(name, name)
            if self.oracle.exists("match", spelled):
                raise RuleError(f"match `{name}' has no codec in sockctl: rules using it cannot be written")
            raise RuleError(f"Couldn't load match `{name}':No such file or directory")
        self._use_match(codec)

    def _use_match(self, codec) -> None:
        shown = codec.user_name or codec.name
        for use in self.matches:
            if (use.codec.user_name or use.codec.name) == shown:
                use.completed = True
        self.matches.append(_MatchUse(codec, codec.start(self.ctx())))
        self.loaded.append(codec)

    def _jump(self, name: str) -> None:
        spec = self.spec
        spec.jumpto = _target_name(name)
        if name in VERDICTS:
            return
        codec = extensions.choose("target", name, self.family, self.oracle.has)
        if codec is not None:
            self.target = (codec, codec.start(self.ctx()))
            spec.target_codec = codec
            self.loaded.append(codec)
        elif self.oracle.exists("target", name):
            spec.unsupported_target = name

    def _load_proto(self) -> bool:
        if self.protocol is None or self.proto_used:
            return False
        number = None
        from sockctl.netfilter.xtables import strtoul

        number = strtoul(self.protocol, 0, 255)
        name = self.protocol if number is None else proto_name(number, bool(self.cmd.options & OPT_NUMERIC))
        if name is None:
            return False
        codec = extensions.choose("match", name, self.family, self.oracle.has)
        if codec is None:
            return False
        self._use_match(codec)
        self.proto_used = True
        return True

    def _default(self, val, arg, token) -> bool:
        """command_default: an extension's option, or the protocol's match to load; True to re-read."""
        if isinstance(val, tuple):
            codec, option = val
            args = [arg]
            if option.args == TWO_ARGS:
                if not self.getopt.has_arg():
                    raise RuleError(f"--{option.name} requires two args.")
                args.append(self.getopt.take())
            elif option.args == 0:
                args = []
            if self.target is not None and self.target[0] is codec:
                codec.take(self.target[1], option, args, self.invert, self.ctx())
                return False
            for use in self.matches:
                if not use.completed and use.codec is codec:
                    codec.take(use.state, option, args, self.invert, self.ctx())
                    return False
        if self._load_proto():
            self.getopt.back()
            return True
        if self.spec.unsupported_target is not None:
            raise RuleError(f"target `{self.spec.unsupported_target}' has no codec in sockctl: "
                            "rules using it cannot be written")
        if val == MISSING:
            raise RuleError(f'option "{token}" requires an argument')
        if val == UNKNOWN:
            raise RuleError(f'unknown option "{token}"')
        raise RuleError(f'Unknown arg "{arg}"')

    # --- after the last option ------------------------------------------------------------
    def _finish(self) -> Command:
        cmd, spec = self.cmd, self.spec
        if cmd.table == "nat" and (cmd.policy == "DROP" or spec.jumpto == "DROP"):
            raise RuleError('The "nat" table is not intended for filtering, the use of DROP is therefore '
                            'inhibited.')
        ctx = self.ctx()
        for use in self.matches:
            opts = use.codec.finish(use.state, ctx)
            spec.matches.append(Match(use.codec.name, use.codec.revision, use.codec.payload(opts)))
        if self.target is not None:
            codec, state = self.target
            spec.target = Target(codec.name, codec.revision, codec.payload(codec.finish(state, ctx)))
        if self.getopt.optind < len(self.argv):
            raise RuleError("unknown arguments found on commandline")
        if not cmd.command:
            raise RuleError("no command specified")
        if self.invert:
            raise RuleError("nothing appropriate following !")
        v4 = self.family == NFPROTO_IPV4
        if spec.goto:
            spec.flags |= IPT_F_GOTO if v4 else IP6T_F_GOTO
        any_address = "0.0.0.0/0" if v4 else "::0/0"
        if cmd.command & RULE_COMMANDS:
            self.shost = self.shost if cmd.options & OPT_SOURCE else any_address
            self.dhost = self.dhost if cmd.options & OPT_DESTINATION else any_address
        if self.shost is not None:
            spec.sources = addresses.parse_multiple(self.shost, self.family)
        if self.dhost is not None:
            spec.destinations = addresses.parse_multiple(self.dhost, self.family)
        if (len(spec.sources) > 1 or len(spec.destinations) > 1) and spec.invflags & (IPT_INV_SRCIP | IPT_INV_DSTIP):
            raise RuleError("! not allowed with multiple source or destination IP addresses")
        if cmd.command == CMD_REPLACE and (len(spec.sources) != 1 or len(spec.destinations) != 1):
            raise RuleError("Replacement rule does not specify a unique address")
        self._check_options()
        if cmd.chain is not None and len(cmd.chain.encode("latin-1", "replace")) >= 29:
            raise RuleError(f"chain name `{cmd.chain}' too long (must be under 29 chars)")
        if cmd.command & (RULE_COMMANDS | CMD_DELETE_NUM):
            if cmd.chain in ("PREROUTING", "INPUT") and cmd.options & OPT_VIANAMEOUT:
                raise RuleError(f"Can't use -o with {cmd.chain}")
            if cmd.chain in ("POSTROUTING", "OUTPUT") and cmd.options & OPT_VIANAMEIN:
                raise RuleError(f"Can't use -i with {cmd.chain}")
        cmd.spec = spec
        return cmd

    def _check_options(self) -> None:
        key = (self.cmd.command, self.cmd.options)
        if key in _legal_combinations:
            return
        for i, char in enumerate(_OPT_CHARS):
            if not self.cmd.options & (1 << i):
                continue
            legal = 0
            for command, row in _LEGAL.items():
                if self.cmd.command & command:
                    if row[i] != "x":
                        legal = 1
                    elif legal == 0:
                        legal = -1
            if legal == -1:
                raise RuleError(f"Illegal option `-{char}' with this command")
        _legal_combinations.add(key)


_legal_combinations: set = set()


def parse(argv: list, family: int, oracle: Oracle, table: str = "filter", restore: bool = False) -> Command:
    """The Command of an iptables (or ip6tables) command line; RuleError when iptables would refuse it."""
    return _Parser(argv, family, table, restore, oracle).run()
