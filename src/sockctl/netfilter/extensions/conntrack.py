"""The conntrack match, revisions 1-3, its ``-m state`` alias, and the old state match (libxt_conntrack).

    -m conntrack [!] --ctstate S[,S...] [!] --ctproto P [!] --ct{orig,repl}{src,dst} ADDR[/MASK]
                 [!] --ct{orig,repl}{src,dst}port P[:P] [!] --ctstatus S[,S...] [!] --ctexpire T[:T]
                 --ctdir {ORIGINAL|REPLY}
    -m state [!] --state S[,S...]
"""

import struct

from sockctl.abi import xt_conntrack as ct
from sockctl.abi.x_tables import NFPROTO_IPV4, NFPROTO_IPV6, NFPROTO_UNSPEC
from sockctl.netfilter.extensions.base import Extension, Option
from sockctl.netfilter.extensions.udp import parse_port_range
from sockctl.netfilter.xtables import RuleError, parse_protocol, strtoul
from sockctl.netfilter import addresses
from sockctl.record import Record

STATES = (("INVALID", ct.XT_CONNTRACK_STATE_INVALID), ("NEW", ct.XT_CONNTRACK_STATE_BIT(ct.IP_CT_NEW)),
          ("RELATED", ct.XT_CONNTRACK_STATE_BIT(ct.IP_CT_RELATED)),
          ("ESTABLISHED", ct.XT_CONNTRACK_STATE_BIT(ct.IP_CT_ESTABLISHED)),
          ("UNTRACKED", ct.XT_CONNTRACK_STATE_UNTRACKED), ("SNAT", ct.XT_CONNTRACK_STATE_SNAT),
          ("DNAT", ct.XT_CONNTRACK_STATE_DNAT))
# The order in which a state list is read (libxt_conntrack tries them so: a prefix picks the first).
_STATE_PARSE_ORDER = ("INVALID", "NEW", "ESTABLISHED", "RELATED", "UNTRACKED", "SNAT", "DNAT")
STATUSES = (("EXPECTED", ct.IPS_EXPECTED), ("SEEN_REPLY", ct.IPS_SEEN_REPLY), ("ASSURED", ct.IPS_ASSURED),
            ("CONFIRMED", ct.IPS_CONFIRMED))
_STATUS_PARSE_ORDER = (("NONE", 0),) + STATUSES

ADDRESS_OPTIONS = (("ctorigsrc", "origsrc", ct.XT_CONNTRACK_ORIGSRC), ("ctorigdst", "origdst", ct.XT_CONNTRACK_ORIGDST),
                   ("ctreplsrc", "replsrc", ct.XT_CONNTRACK_REPLSRC), ("ctrepldst", "repldst", ct.XT_CONNTRACK_REPLDST))
PORT_OPTIONS = (("ctorigsrcport", "origsrc", ct.XT_CONNTRACK_ORIGSRC_PORT),
                ("ctorigdstport", "origdst", ct.XT_CONNTRACK_ORIGDST_PORT),
                ("ctreplsrcport", "replsrc", ct.XT_CONNTRACK_REPLSRC_PORT),
                ("ctrepldstport", "repldst", ct.XT_CONNTRACK_REPLDST_PORT))

_ADDRS = "16s" * 8
LAYOUTS = {1: struct.Struct("=" + _ADDRS + "IIHHHHHHHBB"),       # struct xt_conntrack_mtinfo1
           2: struct.Struct("=" + _ADDRS + "IIHHHHHHHHH2x"),     # struct xt_conntrack_mtinfo2
           3: struct.Struct("=" + _ADDRS + "IIHHHHHHHHHHHHH2x")}  # struct xt_conntrack_mtinfo3


class ConntrackOptions(Record):
    """struct xt_conntrack_mtinfo3 (revisions 1 and 2 read into it): 16-byte addresses and masks,
    ports as numbers in host order with an upper bound (equal to the lower one before revision 3)."""

    origsrc_addr: bytes = bytes(16)
    origsrc_mask: bytes = bytes(16)
    origdst_addr: bytes = bytes(16)
    origdst_mask: bytes = bytes(16)
    replsrc_addr: bytes = bytes(16)
    replsrc_mask: bytes = bytes(16)
    repldst_addr: bytes = bytes(16)
    repldst_mask: bytes = bytes(16)
    expires_min: int = 0
    expires_max: int = 0
    l4proto: int = 0
    origsrc_port: int = 0
    origdst_port: int = 0
    replsrc_port: int = 0
    repldst_port: int = 0
    match_flags: int = 0
    invert_flags: int = 0
    state_mask: int = 0
    status_mask: int = 0
    origsrc_port_high: int = 0
    origdst_port_high: int = 0
    replsrc_port_high: int = 0
    repldst_port_high: int = 0


def _swap16(value: int) -> int:
    return ((value & 0xFF) << 8) | (value >> 8)


def _names(text: str, table, what: str) -> int:
    """A comma list of names, each a case-insensitive prefix of one in TABLE (first wins)."""
    mask, rest = 0, text
    while True:
        word, comma, after = rest.partition(",")
        if not word:
            raise RuleError(f'Bad {what} "{rest}"')
        for name, bit in table:
            if name.lower().startswith(word.lower()):
                mask |= bit
                break
        else:
            raise RuleError(f'Bad {what} "{rest}"')
        if not comma:
            return mask
        rest = after


def _state_table():
    by_name = dict(STATES)
    return [(name, by_name[name]) for name in _STATE_PARSE_ORDER]


def states_text(mask: int, sep: str = " ") -> str:
    parts = [name for name, bit in STATES if mask & bit]
    return sep + ",".join(parts) if parts else ""


def statuses_text(mask: int) -> str:
    parts = [name for name, bit in STATUSES if mask & bit]
    return " " + (",".join(parts) if parts else "NONE")


class Conntrack(Extension):
    """conntrack revision 1, 2 or 3 for one family (addresses print by family)."""

    name = "conntrack"

    def __init__(self, revision: int, family: int):
        self.revision = revision
        self.family = family
        self.layout = LAYOUTS[revision]
        self.size = self.layout.size
        self.c_struct = {1: ct.xt_conntrack_mtinfo1, 2: ct.xt_conntrack_mtinfo2, 3: ct.xt_conntrack_mtinfo3}[revision]
        self.options = tuple(Option(name, i, invert=(name != "ctdir")) for i, name in enumerate(
            ("ctstate", "ctproto", "ctorigsrc", "ctorigdst", "ctreplsrc", "ctrepldst", "ctstatus", "ctexpire",
             "ctorigsrcport", "ctorigdstport", "ctreplsrcport", "ctrepldstport", "ctdir")))

    def decode(self, data: bytes) -> ConntrackOptions:
        f = self.unpack(data, self.layout)
        ports = f[11:15]
        if self.revision < 3:
            ports = tuple(_swap16(p) for p in ports)
            high = (0, 0, 0, 0)
        else:
            high = f[19:23]
        return ConntrackOptions(*f[:11], *ports, f[15], f[16], f[17], f[18], *high)

    def encode(self, o: ConntrackOptions) -> bytes:
        ports = (o.origsrc_port, o.origdst_port, o.replsrc_port, o.repldst_port)
        head = (o.origsrc_addr, o.origsrc_mask, o.origdst_addr, o.origdst_mask, o.replsrc_addr, o.replsrc_mask,
                o.repldst_addr, o.repldst_mask, o.expires_min, o.expires_max, o.l4proto)
        flags = (o.match_flags, o.invert_flags, o.state_mask, o.status_mask)
        if self.revision < 3:
            return self.layout.pack(*head, *(_swap16(p) for p in ports), *flags)
        return self.layout.pack(*head, *ports, *flags, o.origsrc_port_high, o.origdst_port_high,
                                o.replsrc_port_high, o.repldst_port_high)

    def shown_name(self, opts: ConntrackOptions) -> str:
        return "state" if opts.match_flags & ct.XT_CONNTRACK_STATE_ALIAS else "conntrack"

    # --- parsing --------------------------------------------------------------------
    def start(self, ctx) -> dict:
        return {"match_flags": 0, "invert_flags": 0}

    def parse(self, state, option, args, invert, ctx):
        arg, name = args[0], option.name
        bit = 0
        if name == "ctstate":
            state["state_mask"] = state.get("state_mask", 0) | _names(arg, _state_table(), "ctstate")
            bit = ct.XT_CONNTRACK_STATE
        elif name == "ctproto":
            proto = parse_protocol(arg)
            if proto == 0 and state["invert_flags"] & 0x40:  # XT_INV_PROTO, as libxt_conntrack tests it
                raise RuleError("conntrack: rule would never match protocol")
            state["l4proto"] = proto
            bit = ct.XT_CONNTRACK_PROTO
        elif name == "ctstatus":
            state["status_mask"] = state.get("status_mask", 0) | _names(arg, _STATUS_PARSE_ORDER, "ctstatus")
            bit = ct.XT_CONNTRACK_STATUS
        elif name == "ctexpire":
            low, high = _expire_range(arg)
            state["expires_min"], state["expires_max"] = low, high
            bit = ct.XT_CONNTRACK_EXPIRES
        elif name == "ctdir":
            if arg.lower() == "original":
                state["invert_flags"] &= ~ct.XT_CONNTRACK_DIRECTION
            elif arg.lower() == "reply":
                state["invert_flags"] |= ct.XT_CONNTRACK_DIRECTION
            else:
                raise RuleError(f'conntrack: Bad value for "--ctdir" option: "{arg}"')
            state["match_flags"] |= ct.XT_CONNTRACK_DIRECTION
            return
        else:
            for option_name, field, flag in ADDRESS_OPTIONS:
                if name == option_name:
                    state[field + "_addr"], state[field + "_mask"] = addresses.host_mask(arg, ctx.family)
                    bit = flag
            for option_name, field, flag in PORT_OPTIONS:
                if name == option_name:
                    low, high = parse_port_range(arg, "conntrack", name)
                    if self.revision < 3 and low != high:
                        raise RuleError(f"conntrack rev {self.revision} does not support port ranges")
                    state[field + "_port"] = low
                    if self.revision == 3:
                        state[field + "_port_high"] = high
                    bit = flag
        state["match_flags"] |= bit
        if invert:
            state["invert_flags"] |= bit

    def finish(self, state, ctx) -> ConntrackOptions:
        if not state.get("_seen"):
            raise RuleError("conntrack: At least one option is required")
        return ConntrackOptions(**{k: v for k, v in state.items() if k != "_seen"})

    # --- text -------------------------------------------------------------------------
    def _dump(self, o: ConntrackOptions, prefix: str, numeric: bool) -> str:
        out = []
        flags, inv = o.match_flags, o.invert_flags

        def bang(bit):
            if inv & bit:
                out.append(" !")

        if flags & ct.XT_CONNTRACK_STATE:
            bang(ct.XT_CONNTRACK_STATE)
            out.append(f" {prefix}{'state' if flags & ct.XT_CONNTRACK_STATE_ALIAS else 'ctstate'}")
            out.append(states_text(o.state_mask))
        if flags & ct.XT_CONNTRACK_PROTO:
            bang(ct.XT_CONNTRACK_PROTO)
            out.append(f" {prefix}ctproto {o.l4proto}")
        for option_name, field, flag in ADDRESS_OPTIONS:
            if flags & flag:
                bang(flag)
                out.append(f" {prefix}{option_name}")
                out.append(self._address(getattr(o, field + "_addr"), getattr(o, field + "_mask"), numeric))
        for option_name, field, flag in PORT_OPTIONS:
            if flags & flag:
                bang(flag)
                low = getattr(o, field + "_port")
                high = getattr(o, field + "_port_high") if self.revision == 3 else 0
                out.append(f" {prefix}{option_name} {low}" if high in (0, low) else
                           f" {prefix}{option_name} {low}:{high}")
        if flags & ct.XT_CONNTRACK_STATUS:
            bang(ct.XT_CONNTRACK_STATUS)
            out.append(f" {prefix}ctstatus" + statuses_text(o.status_mask))
        if flags & ct.XT_CONNTRACK_EXPIRES:
            bang(ct.XT_CONNTRACK_EXPIRES)
            out.append(f" {prefix}ctexpire {o.expires_min}" if o.expires_min == o.expires_max else
                       f" {prefix}ctexpire {o.expires_min}:{o.expires_max}")
        if flags & ct.XT_CONNTRACK_DIRECTION:
            out.append(f" {prefix}ctdir {'REPLY' if inv & ct.XT_CONNTRACK_DIRECTION else 'ORIGINAL'}")
        return "".join(out)

    def _address(self, addr: bytes, mask: bytes, numeric: bool) -> str:
        if self.family == NFPROTO_IPV4:
            addr, mask = addr[:4], mask[:4]
        if not numeric and not any(addr):
            return " anywhere"
        return " " + addresses.text(addr, numeric) + addresses.mask_suffix(mask)

    def save(self, opts, ctx) -> str:
        return self._dump(opts, "--", True)

    def listing(self, opts, ctx) -> str:
        return self._dump(opts, "", ctx.numeric)


def _expire_range(text: str) -> tuple[int, int]:
    """An XTTYPE_UINT32RC value: N or N:M (an empty part is 0, or the maximum for the upper one)."""
    parts = text.split(":")
    if len(parts) > 2:
        raise RuleError('conntrack: Too many components for option "--ctexpire" (max: 2)')
    values = []
    for i, part in enumerate(parts):
        if not part:
            values.append(0xFFFFFFFF if i == 1 else 0)
            continue
        value = strtoul(part, 0, 0xFFFFFFFF)
        if value is None:
            raise RuleError(f'conntrack: bad value for option "--ctexpire" near "{part}", '
                            'or out of range (0-4294967295).')
        values.append(value)
    return values[0], values[-1]


class StateAlias(Conntrack):
    """``-m state``: written as a conntrack match with XT_CONNTRACK_STATE_ALIAS (revisions 1-3)."""

    user_name = "state"

    def __init__(self, revision: int):
        super().__init__(revision, NFPROTO_UNSPEC)
        self.options = (Option("state", 0, invert=True, mandatory=True),)

    def parse(self, state, option, args, invert, ctx):
        state["match_flags"] = ct.XT_CONNTRACK_STATE | ct.XT_CONNTRACK_STATE_ALIAS
        state["state_mask"] = parse_state_list(args[0])
        if invert:
            state["invert_flags"] |= ct.XT_CONNTRACK_STATE

    def finish(self, state, ctx) -> ConntrackOptions:
        self.check_mandatory(state)
        return super().finish(state, ctx)


def parse_state_list(text: str) -> int:
    """The state match's list: INVALID, NEW, ESTABLISHED, RELATED, UNTRACKED (prefixes allowed)."""
    if not text or text.endswith(","):
        if not text.rpartition(",")[2]:
            raise RuleError('"--state" requires a list of states with no spaces, e.g. ESTABLISHED,RELATED')
    table = [(name, bit) for name, bit in _state_table() if name not in ("SNAT", "DNAT")]
    try:
        return _names(text, table, "state")
    except RuleError:
        raise RuleError(f'Bad state "{text}"') from None


_STATE_INFO = struct.Struct("=I")  # struct xt_state_info


class StateOptions(Record):
    """struct xt_state_info: the states to match."""

    statemask: int = 0


class State(Extension):
    """The state match itself (revision 0); iptables writes the conntrack alias instead."""

    name = "state"
    c_struct = ct.xt_state_info
    size = _STATE_INFO.size
    options = (Option("state", 0, invert=True, mandatory=True),)

    def decode(self, data: bytes) -> StateOptions:
        return StateOptions(*self.unpack(data, _STATE_INFO))

    def encode(self, opts: StateOptions) -> bytes:
        return _STATE_INFO.pack(opts.statemask)

    def parse(self, state, option, args, invert, ctx):
        mask = parse_state_list(args[0])
        state["statemask"] = ~mask & 0xFFFFFFFF if invert else mask

    def finish(self, state, ctx) -> StateOptions:
        self.check_mandatory(state)
        return StateOptions(state["statemask"])

    def save(self, opts: StateOptions, ctx) -> str:
        return " --state " + _old_states(opts.statemask)

    def listing(self, opts: StateOptions, ctx) -> str:
        return " state " + _old_states(opts.statemask)


def _old_states(mask: int) -> str:
    bits = (("INVALID", ct.XT_STATE_INVALID), ("NEW", ct.XT_CONNTRACK_STATE_BIT(ct.IP_CT_NEW)),
            ("RELATED", ct.XT_CONNTRACK_STATE_BIT(ct.IP_CT_RELATED)),
            ("ESTABLISHED", ct.XT_CONNTRACK_STATE_BIT(ct.IP_CT_ESTABLISHED)), ("UNTRACKED", ct.XT_STATE_UNTRACKED))
    return ",".join(name for name, bit in bits if mask & bit)


EXTENSIONS = tuple(Conntrack(rev, fam) for rev in (1, 2, 3) for fam in (NFPROTO_IPV4, NFPROTO_IPV6)) + \
    tuple(StateAlias(rev) for rev in (1, 2, 3)) + (State(),)
