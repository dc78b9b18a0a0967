"""The CT target, revisions 0 to 2 (xt_ct_target_info[_v1], libxt_CT), and its NOTRACK alias.

    -j CT [--notrack] [--helper NAME] [--timeout NAME] [--ctevents E[,E...]] [--expevents new]
          [--zone-orig {ID|mark}] [--zone-reply {ID|mark}] [--zone {ID|mark}]
    -j NOTRACK

``-j NOTRACK`` writes CT with XT_CT_NOTRACK (revision 2 adds
XT_CT_NOTRACK_ALIAS, so that it lists back as NOTRACK).
"""

import struct

from sockctl.abi import xt_CT as ct
from sockctl.netfilter.extensions.base import NONE, Extension, Option
from sockctl.netfilter.xtables import RuleError, c_string, strtoul
from sockctl.record import Record

_V0 = struct.Struct("=HHII16s4xQ")      # struct xt_ct_target_info
_V1 = struct.Struct("=HHII16s32s4xQ")   # struct xt_ct_target_info_v1
NOTRACK, HELPER, TIMEOUT, CTEVENTS, EXPEVENTS, ZONE, ZONE_ORIG, ZONE_REPLY = range(8)
CT_EVENTS = (("new", ct.IPCT_NEW), ("related", ct.IPCT_RELATED), ("destroy", ct.IPCT_DESTROY),
             ("reply", ct.IPCT_REPLY), ("assured", ct.IPCT_ASSURED), ("protoinfo", ct.IPCT_PROTOINFO),
             ("helper", ct.IPCT_HELPER), ("mark", ct.IPCT_MARK), ("natseqinfo", ct.IPCT_NATSEQADJ),
             ("secmark", ct.IPCT_SECMARK))
EXP_EVENTS = (("new", ct.IPEXP_NEW),)
_DIRECTIONS = ct.XT_CT_ZONE_DIR_ORIG | ct.XT_CT_ZONE_DIR_REPL


class CtOptions(Record):
    """struct xt_ct_target_info_v1 (revision 0 has no timeout): flags, zone, event masks, names."""

    flags: int = 0
    zone: int = 0
    ct_events: int = 0
    exp_events: int = 0
    helper: bytes = bytes(16)
    timeout: bytes = bytes(32)
    ct: int = 0


def _events(text: str, table: tuple) -> int:
    mask = 0
    for word in text.split(","):
        bit = next((1 << event for name, event in table if name == word), None)
        if bit is None:
            raise RuleError(f'Unknown event type "{word}"')
        mask |= bit
    return mask


def _events_text(prefix: str, table: tuple, mask: int) -> str:
    return f" {prefix} " + ",".join(name for name, event in table if mask & (1 << event))


def _name_field(text: str, size: int) -> bytes:
    """An XTTYPE_STRING put into a char array: cut to leave room for the NUL."""
    return text.encode("utf-8", "surrogateescape")[:size - 1].ljust(size, b"\0")


class Ct(Extension):
    kind = "target"
    name = "CT"

    def __init__(self, revision: int):
        self.revision = revision
        self.layout = _V0 if revision == 0 else _V1
        self.c_struct = ct.xt_ct_target_info if revision == 0 else ct.xt_ct_target_info_v1
        self.size = self.layout.size
        self.userspace_size = self.size - 8  # offsetof(..., ct)
        options = [Option("notrack", NOTRACK, NONE), Option("helper", HELPER)]
        if revision:
            options.append(Option("timeout", TIMEOUT))
        self.options = tuple(options + [Option("ctevents", CTEVENTS), Option("expevents", EXPEVENTS),
                                        Option("zone-orig", ZONE_ORIG), Option("zone-reply", ZONE_REPLY),
                                        Option("zone", ZONE)])

    def decode(self, data: bytes) -> CtOptions:
        f = self.unpack(data, self.layout)
        if self.revision == 0:
            return CtOptions(*f[:5], bytes(32), f[5])
        return CtOptions(*f)

    def encode(self, o: CtOptions) -> bytes:
        head = (o.flags, o.zone, o.ct_events, o.exp_events, o.helper)
        if self.revision == 0:
            return _V0.pack(*head, o.ct)
        return _V1.pack(*head, o.timeout, o.ct)

    def shown_name(self, opts: CtOptions) -> str:
        return "NOTRACK" if self.revision == 2 and opts.flags & ct.XT_CT_NOTRACK_ALIAS else "CT"

    def parse(self, state, option, args, invert, ctx):
        oid = option.id
        if oid == NOTRACK:
            state["flags"] = state.get("flags", 0) | ct.XT_CT_NOTRACK
        elif oid in (HELPER, TIMEOUT):
            state["helper" if oid == HELPER else "timeout"] = _name_field(args[0], 16 if oid == HELPER else 32)
        elif oid == CTEVENTS:
            state["ct_events"] = _events(args[0], CT_EVENTS)
        elif oid == EXPEVENTS:
            state["exp_events"] = _events(args[0], EXP_EVENTS)
        else:
            flags = state.get("flags", 0) | {ZONE: 0, ZONE_ORIG: ct.XT_CT_ZONE_DIR_ORIG,
                                             ZONE_REPLY: ct.XT_CT_ZONE_DIR_REPL}[oid]
            zone = 0
            if args[0].lower() == "mark":
                flags |= ct.XT_CT_ZONE_MARK
            else:
                zone = strtoul(args[0], 0, 0xFFFF)
                if zone is None:
                    raise RuleError(f"Cannot parse {args[0]} as a zone ID")
            state["flags"], state["zone"] = flags, zone

    def finish(self, state, ctx) -> CtOptions:
        return CtOptions(**{k: v for k, v in state.items() if k != "_seen"})

    def _text(self, o: CtOptions, prefix: str) -> str:
        text = f" {prefix}notrack" if o.flags & ct.XT_CT_NOTRACK else ""
        if o.helper[:1] != b"\0":
            text += f" {prefix}helper {c_string(o.helper)}"
        if self.revision and o.timeout[:1] != b"\0":
            text += f" {prefix}timeout {c_string(o.timeout)}"
        if o.ct_events:
            text += _events_text(prefix + "ctevents", CT_EVENTS, o.ct_events)
        if o.exp_events:
            text += _events_text(prefix + "expevents", EXP_EVENTS, o.exp_events)
        if o.flags & ct.XT_CT_ZONE_MARK or o.zone:
            text += f" {prefix}zone"
            direction = o.flags & _DIRECTIONS
            text += "-orig" if direction == ct.XT_CT_ZONE_DIR_ORIG else "-reply" if direction == \
                ct.XT_CT_ZONE_DIR_REPL else ""
            text += " mark" if o.flags & ct.XT_CT_ZONE_MARK else f" {o.zone}"
        return text

    def save(self, o: CtOptions, ctx) -> str:
        if o.flags & ct.XT_CT_NOTRACK_ALIAS:
            return ""
        return self._text(o, "--")

    def listing(self, o: CtOptions, ctx) -> str:
        if self.revision and o.flags & ct.XT_CT_NOTRACK_ALIAS:
            return " NOTRACK"
        return " CT" + self._text(o, "")


class NotrackAlias(Ct):
    """``-j NOTRACK``: CT at this revision with XT_CT_NOTRACK (and the alias flag from revision 2)."""

    user_name = "NOTRACK"

    def __init__(self, revision: int):
        super().__init__(revision)
        self.options = ()
        self.flags = ct.XT_CT_NOTRACK | (ct.XT_CT_NOTRACK_ALIAS if revision == 2 else 0)

    def start(self, ctx) -> dict:
        return {"flags": self.flags}


EXTENSIONS = tuple(Ct(revision) for revision in (0, 1, 2)) + tuple(NotrackAlias(revision) for revision in (0, 1, 2))
