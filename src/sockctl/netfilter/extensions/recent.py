"""The recent match, revision 1 (xt_recent_mtinfo_v1, libxt_recent): lists of recently seen addresses.

    -m recent [!] {--set | --rcheck | --update | --remove} [--seconds N [--reap]] [--hitcount N] [--rttl]
              [--name NAME] [--mask ADDR] [--rsource | --rdest]
"""

import struct

from sockctl.abi import xt_recent as rc
from sockctl.abi.x_tables import NFPROTO_IPV4, NFPROTO_IPV6
from sockctl.netfilter import addresses
from sockctl.netfilter.extensions.base import NONE, Extension, Option
from sockctl.netfilter.xtables import RuleError, c_int, c_string, parse_uint
from sockctl.record import Record

_MTINFO = struct.Struct(f"=IIBB{rc.XT_RECENT_NAME_LEN}sBx16s")  # struct xt_recent_mtinfo_v1
SET, RCHECK, UPDATE, REMOVE, SECONDS, REAP, HITCOUNT, RTTL, NAME, RSOURCE, RDEST, MASK = range(12)
_OPERATIONS = ((SET, rc.XT_RECENT_SET, "set", "SET"), (RCHECK, rc.XT_RECENT_CHECK, "rcheck", "CHECK"),
               (UPDATE, rc.XT_RECENT_UPDATE, "update", "UPDATE"), (REMOVE, rc.XT_RECENT_REMOVE, "remove", "REMOVE"))


class RecentOptions(Record):
    """struct xt_recent_mtinfo_v1: the check, its limits, the list's name, which address, the mask."""

    seconds: int = 0
    hit_count: int = 0
    check_set: int = 0
    invert: int = 0
    name: bytes = b"DEFAULT".ljust(rc.XT_RECENT_NAME_LEN, b"\0")
    side: int = rc.XT_RECENT_SOURCE
    mask: bytes = b"\xff" * 16


class Recent(Extension):
    name = "recent"
    revision = 1
    c_struct = rc.xt_recent_mtinfo_v1
    size = _MTINFO.size
    options = tuple(Option(word, oid, NONE, invert=True) for oid, _, word, _ in _OPERATIONS) + (
        Option("seconds", SECONDS), Option("reap", REAP, NONE), Option("hitcount", HITCOUNT),
        Option("rttl", RTTL, NONE), Option("name", NAME), Option("rsource", RSOURCE, NONE),
        Option("rdest", RDEST, NONE), Option("mask", MASK))
    exclusive = ((SET, RCHECK, UPDATE, REMOVE), (RTTL, SET), (RTTL, REMOVE))

    def __init__(self, family: int):
        self.family = family

    def decode(self, data: bytes) -> RecentOptions:
        return RecentOptions(*self.unpack(data, _MTINFO))

    def encode(self, o: RecentOptions) -> bytes:
        return _MTINFO.pack(o.seconds, o.hit_count, o.check_set, o.invert, o.name, o.side, o.mask)

    def parse(self, state, option, args, invert, ctx):
        oid = option.id
        bits = {oid: bit for oid, bit, _, _ in _OPERATIONS}
        bits.update({RTTL: rc.XT_RECENT_TTL, REAP: rc.XT_RECENT_REAP})
        if oid in bits:
            state["check_set"] = state.get("check_set", 0) | bits[oid]
            if invert:
                state["invert"] = 1
        elif oid == SECONDS:
            state["seconds"] = parse_uint(args[0], "recent", option.name, 1, 0xFFFFFFFF)
        elif oid == HITCOUNT:
            state["hit_count"] = parse_uint(args[0], "recent", option.name, 0, 0xFFFFFFFF)
        elif oid == NAME:
            # Written over the default name as strncpy does: bytes of "DEFAULT" past the NUL stay.
            raw = args[0].encode("utf-8", "surrogateescape")[:rc.XT_RECENT_NAME_LEN - 1] + b"\0"
            state["name"] = raw + state.get("name", RecentOptions().name)[len(raw):]
        elif oid in (RSOURCE, RDEST):
            state["side"] = rc.XT_RECENT_SOURCE if oid == RSOURCE else rc.XT_RECENT_DEST
        else:
            state["mask"] = addresses.host(args[0], ctx.family)

    def finish(self, state, ctx) -> RecentOptions:
        seen = state.get("_seen", set())
        if not seen & {SET, RCHECK, UPDATE, REMOVE}:
            raise RuleError("recent: you must specify one of `--set', `--rcheck' `--update' or `--remove'")
        if REAP in seen and SECONDS not in seen:
            raise RuleError('recent: option "--reap" also requires "--seconds".')
        return RecentOptions(**{k: v for k, v in state.items() if k != "_seen"})

    def _mask(self, o: RecentOptions) -> str:
        return addresses.numeric(o.mask[:4] if self.family == NFPROTO_IPV4 else o.mask)

    def save(self, o: RecentOptions, ctx) -> str:
        text = " !" if o.invert else ""
        text += "".join(f" --{word}" for _, bit, word, _ in _OPERATIONS if o.check_set & bit)
        if o.seconds:
            text += f" --seconds {c_int(o.seconds)}"
        if o.check_set & rc.XT_RECENT_REAP:
            text += " --reap"
        if o.hit_count:
            text += f" --hitcount {c_int(o.hit_count)}"
        if o.check_set & rc.XT_RECENT_TTL:
            text += " --rttl"
        text += f" --name {c_string(o.name)} --mask {self._mask(o)}"
        return text + {rc.XT_RECENT_SOURCE: " --rsource", rc.XT_RECENT_DEST: " --rdest"}.get(o.side, "")

    def listing(self, o: RecentOptions, ctx) -> str:
        text = (" !" if o.invert else "") + " recent:"
        text += "".join(f" {label}" for _, bit, _, label in _OPERATIONS if o.check_set & bit)
        if o.seconds:
            text += f" seconds: {c_int(o.seconds)}"
        if o.check_set & rc.XT_RECENT_REAP:
            text += " reap"
        if o.hit_count:
            text += f" hit_count: {c_int(o.hit_count)}"
        if o.check_set & rc.XT_RECENT_TTL:
            text += " TTL-Match"
        text += f" name: {c_string(o.name)}"
        text += {rc.XT_RECENT_SOURCE: " side: source", rc.XT_RECENT_DEST: " side: dest"}.get(o.side, "")
        return text + f" mask: {self._mask(o)}"


EXTENSIONS = (Recent(NFPROTO_IPV4), Recent(NFPROTO_IPV6))
