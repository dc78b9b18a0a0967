"""The hashlimit match, revision 3 (xt_hashlimit_mtinfo3, libxt_hashlimit): a limit per group of
addresses and ports, in packets or bytes.

    -m hashlimit {--hashlimit-upto | --hashlimit-above} RATE --hashlimit-name NAME
                 [--hashlimit-burst N[kb|mb]] [--hashlimit-mode {srcip|srcport|dstip|dstport},...]
                 [--hashlimit-srcmask LEN] [--hashlimit-dstmask LEN] [--hashlimit-htable-size N]
                 [--hashlimit-htable-max N] [--hashlimit-htable-gcinterval MS] [--hashlimit-htable-expire MS]
                 [--hashlimit-rate-match] [--hashlimit-rate-interval S]

RATE is N[/second|/minute|/hour|/day] packets, or N[k|m]b/s bytes (then
``avg`` holds a cost per byte and the burst counts in units of that cost).
"""

import struct

import _socket

from sockctl.abi import xt_hashlimit as hl
from sockctl.abi.families import AF_INET, AF_INET6
from sockctl.abi.x_tables import NFPROTO_IPV4, NFPROTO_IPV6
from sockctl.netfilter import addresses
from sockctl.netfilter.extensions.base import NONE, Extension, Option
from sockctl.netfilter.extensions.limit import atoi, rate_multiplier, rate_text
from sockctl.netfilter.xtables import RuleError, bad_value, c_string, parse_uint, strtoul
from sockctl.record import Record

_MTINFO3 = struct.Struct(f"={hl.NAME_MAX}sxQQIIIIIIBB6xQ")  # struct xt_hashlimit_mtinfo3
U32, U64 = 0xFFFFFFFF, (1 << 64) - 1
BURST, GC_INTERVAL = 5, 1000
BYTE_EXPIRE, BYTE_EXPIRE_BURST, BURST_MAX = 15, 60, 1000000
UPTO, ABOVE, LIMIT, MODE, SRCMASK, DSTMASK, NAME, BURST_OPT, SIZE, MAX, GCINT, EXPIRE, RATEMATCH, INTERVAL = \
    range(14)
RATES = (("day", hl.XT_HASHLIMIT_SCALE_v2 * 86400), ("hour", hl.XT_HASHLIMIT_SCALE_v2 * 3600),
         ("min", hl.XT_HASHLIMIT_SCALE_v2 * 60), ("sec", hl.XT_HASHLIMIT_SCALE_v2))
MODES = (("srcip", hl.XT_HASHLIMIT_HASH_SIP), ("srcport", hl.XT_HASHLIMIT_HASH_SPT),
         ("dstip", hl.XT_HASHLIMIT_HASH_DIP), ("dstport", hl.XT_HASHLIMIT_HASH_DPT))
_ANY_MODE = hl.XT_HASHLIMIT_HASH_SIP | hl.XT_HASHLIMIT_HASH_SPT | hl.XT_HASHLIMIT_HASH_DIP | hl.XT_HASHLIMIT_HASH_DPT
UNITS = (("m", 1024 * 1024), ("k", 1024), ("", 1))


def cost_to_bytes(cost: int) -> int:
    r = U32 // cost if cost else U32
    return ((r - 1) << hl.XT_HASHLIMIT_BYTE_SHIFT) & U64


def bytes_to_cost(nbytes: int) -> int:
    r = (nbytes >> hl.XT_HASHLIMIT_BYTE_SHIFT) & U32
    return U32 // ((r + 1) & U32) if (r + 1) & U32 else 0


def _factor(char: str) -> int:
    return {"m": 1024 * 1024, "k": 1024}.get(char, 1)


def _parse_rate(text: str, state: dict, option: str) -> None:
    """An upto/above value: bytes per second (sets XT_HASHLIMIT_BYTES) or packets per unit of time."""
    at = text.find("b/s")
    count = atoi(text) & U64
    if at > 0 and count:
        cost = bytes_to_cost(count * _factor(text[at - 1]) & U64)
        if cost == 0:
            raise RuleError(f'Rate too high "{text}"')
        state["mult"] = BYTE_EXPIRE
        state["avg"] = cost
        state["mode"] |= hl.XT_HASHLIMIT_BYTES
        return
    mult = rate_multiplier(text)
    if mult is None or not count:
        raise bad_value("hashlimit", "--" + option, text)
    period = hl.XT_HASHLIMIT_SCALE_v2 * mult // count
    if period == 0:
        raise RuleError(f'Rate too fast "{text}"')
    state["mult"], state["avg"] = mult, period


def _parse_burst(text: str) -> int:
    parsed = strtoul(text, 1, U64, partial=True)
    if parsed is None or (not parsed[1] and parsed[0] > BURST_MAX):
        raise RuleError(f'bad value for option "--hashlimit-burst", or out of range (1-{BURST_MAX}).')
    value, rest = parsed
    return value * _factor(rest[:1]) & U64


def _parse_mode(text: str) -> int:
    mode = 0
    for word in text.replace("|", ",").split(","):
        if word:
            bit = dict(MODES).get(word)
            if bit is None:
                raise bad_value("hashlimit", "--hashlimit-mode", text)
            mode |= bit
    return mode


def _parse_plen(text: str, option: str, family: int) -> int:
    """XTTYPE_PLEN: a prefix length, or a contiguous mask written as an address."""
    width = 32 if family == NFPROTO_IPV4 else 128
    value = strtoul(text, 0, width)
    if value is not None:
        return value
    try:
        bits = addresses.cidr(_socket.inet_pton(AF_INET if family == NFPROTO_IPV4 else AF_INET6, text))
    except (OSError, ValueError):
        bits = -1
    if bits < 0:
        raise RuleError(f'hashlimit: bad value for option "--{option}", neither a valid network mask nor '
                        f'valid CIDR (0-{width}).')
    return bits


class HashlimitOptions(Record):
    """struct xt_hashlimit_mtinfo3: the table's name and struct hashlimit_cfg3 (hinfo is the kernel's)."""

    name: bytes = bytes(hl.NAME_MAX)
    avg: int = 0
    burst: int = BURST
    mode: int = 0
    size: int = 0
    max: int = 0
    gc_interval: int = GC_INTERVAL
    expire: int = 0
    interval: int = 0
    srcmask: int = 32
    dstmask: int = 32
    hinfo: int = 0


def _rate(period: int) -> tuple[str, int]:
    """print_rate for revision 3: the text and the unit in milliseconds."""
    text, unit = rate_text(period, RATES)
    return text, unit // hl.XT_HASHLIMIT_SCALE_v2 * 1000 & U32


def _bytes(avg: int, burst: int, prefix: str) -> tuple[str, int]:
    """print_bytes: the byte rate (and burst), and the expiry it implies."""
    r = cost_to_bytes(avg)
    i = 0
    while i < len(UNITS) - 1:
        thresh = UNITS[i][1]
        if r >= thresh and bytes_to_cost(r & (~(thresh - 1) & U32)) == avg:
            break
        i += 1
    text = f" {r // UNITS[i][1]}{UNITS[i][0]}b/s"
    if burst == 0:
        return text, BYTE_EXPIRE * 1000
    r = r * burst & U64
    i = next((n for n, (_, thresh) in enumerate(UNITS[:-1]) if r >= thresh), len(UNITS) - 1)
    return text + f" {prefix}burst {r // UNITS[i][1]}{UNITS[i][0]}b", BYTE_EXPIRE_BURST * 1000


def _modes(mode: int, separator: str) -> str:
    return " " + separator.join(name for name, bit in MODES if mode & bit)


class Hashlimit(Extension):
    name = "hashlimit"
    revision = 3
    c_struct = hl.xt_hashlimit_mtinfo3
    size = _MTINFO3.size
    userspace_size = size - 8  # offsetof(struct xt_hashlimit_mtinfo3, hinfo)
    options = (Option("hashlimit-upto", UPTO, invert=True), Option("hashlimit-above", ABOVE, invert=True),
               Option("hashlimit", UPTO, invert=True), Option("hashlimit-srcmask", SRCMASK),
               Option("hashlimit-dstmask", DSTMASK), Option("hashlimit-burst", BURST_OPT),
               Option("hashlimit-htable-size", SIZE), Option("hashlimit-htable-max", MAX),
               Option("hashlimit-htable-gcinterval", GCINT), Option("hashlimit-htable-expire", EXPIRE),
               Option("hashlimit-mode", MODE), Option("hashlimit-name", NAME, mandatory=True),
               Option("hashlimit-rate-match", RATEMATCH, NONE), Option("hashlimit-rate-interval", INTERVAL))
    exclusive = ((UPTO, ABOVE),)

    def __init__(self, family: int):
        self.family = family
        self.width = 32 if family == NFPROTO_IPV4 else 128

    def decode(self, data: bytes) -> HashlimitOptions:
        return HashlimitOptions(*self.unpack(data, _MTINFO3))

    def encode(self, o: HashlimitOptions) -> bytes:
        return _MTINFO3.pack(o.name, o.avg, o.burst, o.mode, o.size, o.max, o.gc_interval, o.expire, o.interval,
                             o.srcmask, o.dstmask, o.hinfo)

    def start(self, ctx) -> dict:
        return {"mode": 0, "mult": 0, "srcmask": self.width, "dstmask": self.width}

    def parse(self, state, option, args, invert, ctx):
        oid, arg = option.id, (args[0] if args else "")
        if oid in (UPTO, ABOVE):
            if invert == (oid == UPTO):
                state["mode"] |= hl.XT_HASHLIMIT_INVERT
            _parse_rate(arg, state, "hashlimit-upto" if oid == UPTO else "hashlimit-above")
        elif oid == BURST_OPT:
            state["burst"] = _parse_burst(arg)
        elif oid == MODE:
            state["mode"] |= _parse_mode(arg)
        elif oid in (SRCMASK, DSTMASK):
            state["srcmask" if oid == SRCMASK else "dstmask"] = _parse_plen(arg, option.name, self.family)
        elif oid == NAME:
            if not arg:
                raise RuleError("Argument must have a minimum length of 1 characters")
            state["name"] = arg.encode("utf-8", "surrogateescape")[:hl.NAME_MAX - 1]
        elif oid == RATEMATCH:
            state["mode"] |= hl.XT_HASHLIMIT_RATE_MATCH
        elif oid == INTERVAL:
            value = atoi(arg)
            if value <= 0:
                raise bad_value("hashlimit", "--hashlimit-rate-interval", arg)
            state["interval"] = value & U32
        else:
            field = {SIZE: "size", MAX: "max", GCINT: "gc_interval", EXPIRE: "expire"}[oid]
            state[field] = parse_uint(arg, "hashlimit", option.name, 0, U32)

    def finish(self, state, ctx) -> HashlimitOptions:
        self.check_mandatory(state)
        seen = state["_seen"]
        if not seen & {UPTO, ABOVE}:
            raise RuleError("You have to specify --hashlimit")
        o = {k: v for k, v in state.items() if k not in ("_seen", "mult")}
        o.setdefault("burst", BURST)
        if EXPIRE not in seen:
            o["expire"] = state["mult"] * 1000 & U32
        if o["mode"] & hl.XT_HASHLIMIT_BYTES:
            burst = 0
            if BURST_OPT in seen:
                unit = cost_to_bytes(o["avg"])
                if o["burst"] < unit:
                    raise RuleError(f"burst cannot be smaller than {unit}b")
                burst = (o["burst"] & U32) // unit & U32
                if o["burst"] % unit:
                    burst += 1
                if EXPIRE not in seen:
                    o["expire"] = BYTE_EXPIRE_BURST * 1000
            o["burst"] = burst
        elif o["burst"] > BURST_MAX:
            raise RuleError(f'bad value for option "--hashlimit-burst", or out of range (1-{BURST_MAX}).')
        if RATEMATCH in seen:
            if not o["mode"] & hl.XT_HASHLIMIT_BYTES:
                o["avg"] //= state["mult"]
            if not o.get("interval"):
                o["interval"] = 1 if o["mode"] & hl.XT_HASHLIMIT_BYTES else state["mult"]
        o["name"] = o["name"].ljust(hl.NAME_MAX, b"\0")
        return HashlimitOptions(**o)

    def _text(self, o: HashlimitOptions, prefix: str, listing: bool) -> str:
        inverted = o.mode & hl.XT_HASHLIMIT_INVERT
        if listing:
            text = " limit: above" if inverted else " limit: up to"
        else:
            text = " --hashlimit-above" if inverted else " --hashlimit-upto"
        if o.mode & hl.XT_HASHLIMIT_BYTES:
            rate, quantum = _bytes(o.avg, o.burst, prefix)
            text += rate
        else:
            period = o.avg * o.interval & U64 if listing and o.interval else o.avg
            rate, quantum = _rate(period)
            text += rate + f" {prefix}burst {o.burst}"
        if o.mode & _ANY_MODE:
            text += f" {prefix}mode" + _modes(o.mode, "-" if listing else ",")
        if not listing:
            text += f" --hashlimit-name {c_string(o.name)}"
        if o.size:
            text += f" {prefix}htable-size {o.size}"
        if o.max:
            text += f" {prefix}htable-max {o.max}"
        if o.gc_interval != GC_INTERVAL:
            text += f" {prefix}htable-gcinterval {o.gc_interval}"
        if o.expire != quantum:
            text += f" {prefix}htable-expire {o.expire}"
        if o.srcmask != self.width:
            text += f" {prefix}srcmask {o.srcmask}"
        if o.dstmask != self.width:
            text += f" {prefix}dstmask {o.dstmask}"
        if o.mode & hl.XT_HASHLIMIT_RATE_MATCH:
            text += f" {prefix}rate-match"
            if o.interval != 1:
                text += f" {prefix}rate-interval {o.interval}"
        return text

    def save(self, o: HashlimitOptions, ctx) -> str:
        return self._text(o, "--hashlimit-", False)

    def listing(self, o: HashlimitOptions, ctx) -> str:
        return self._text(o, "", True)


EXTENSIONS = (Hashlimit(NFPROTO_IPV4), Hashlimit(NFPROTO_IPV6))
