"""The limit match (xt_rateinfo, libxt_limit): at most RATE packets, in bursts of up to N.

    -m limit [--limit RATE[/second|/minute|/hour|/day]] [--limit-burst N]

The rate is kept as the time between packets in 1/XT_LIMIT_SCALE seconds;
it prints in the largest unit that shows it without losing too much.
"""

import struct

from sockctl.abi.xt_limit import XT_LIMIT_SCALE, xt_rateinfo
from sockctl.netfilter.extensions.base import Extension, Option
from sockctl.netfilter.xtables import RuleError, parse_uint
from sockctl.record import Record

_RATEINFO = struct.Struct("=IIQIII4xQ")  # struct xt_rateinfo
DEFAULT_BURST = 5
UNITS = (("second", 1), ("minute", 60), ("hour", 3600), ("day", 86400))
# How a period prints: the name and the period of one packet per unit, longest first.
RATES = (("day", XT_LIMIT_SCALE * 86400), ("hour", XT_LIMIT_SCALE * 3600), ("min", XT_LIMIT_SCALE * 60),
         ("sec", XT_LIMIT_SCALE))


def atoi(text: str) -> int:
    """C's atoi: leading blanks, a sign, the digits that follow (0 when there are none)."""
    text = text.lstrip(" \t\n\v\f\r")
    sign = -1 if text[:1] == "-" else 1
    if text[:1] in "+-":
        text = text[1:]
    digits = len(text) - len(text.lstrip("0123456789"))
    return sign * int(text[:digits]) if digits else 0


def rate_multiplier(rate: str) -> int | None:
    """Seconds per unit of RATE[/UNIT] (a unit is any prefix of its name), or None when the unit is bad."""
    _, slash, unit = rate.partition("/")
    if not slash:
        return 1
    if not unit:
        return None
    return next((seconds for name, seconds in UNITS if name.startswith(unit.lower())), None)


def parse_rate(rate: str, scale: int, width: int) -> int | None:
    """The period of RATE in 1/SCALE seconds (WIDTH-bit unsigned arithmetic), or None when RATE is bad."""
    mult = rate_multiplier(rate)
    count = atoi(rate) & ((1 << width) - 1)
    if mult is None or not count:
        return None
    period = scale * mult // count
    if period == 0:
        raise RuleError(f'Rate too fast "{rate}"')
    return period


def rate_text(period: int, rates=RATES) -> tuple[str, int]:
    """print_rate: ' N/unit' for a period, and the unit's length in 1/scale seconds (0 for ' inf')."""
    if period == 0:
        return " inf", 0
    i = 1
    while i < len(rates):
        unit = rates[i][1]
        if period > unit or unit // period < unit % period:
            break
        i += 1
    name, unit = rates[i - 1]
    return f" {unit // period}/{name}", unit


class LimitOptions(Record):
    """struct xt_rateinfo: period and burst; the kernel's own fields after them (zero from user space)."""

    avg: int = XT_LIMIT_SCALE * 3600 // 3
    burst: int = DEFAULT_BURST
    prev: int = 0
    credit: int = 0
    credit_cap: int = 0
    cost: int = 0
    master: int = 0


class Limit(Extension):
    name = "limit"
    c_struct = xt_rateinfo
    size = _RATEINFO.size
    userspace_size = 8  # offsetof(struct xt_rateinfo, prev)
    options = (Option("limit", 0), Option("limit-burst", 1))

    def decode(self, data: bytes) -> LimitOptions:
        return LimitOptions(*self.unpack(data, _RATEINFO))

    def encode(self, o: LimitOptions) -> bytes:
        return _RATEINFO.pack(o.avg, o.burst, o.prev, o.credit, o.credit_cap, o.cost, o.master)

    def parse(self, state, option, args, invert, ctx):
        if option.id == 0:
            period = parse_rate(args[0], XT_LIMIT_SCALE, 32)
            if period is None:
                raise RuleError(f'bad rate "{args[0]}"\'')
            state["avg"] = period
        else:
            state["burst"] = parse_uint(args[0], "limit", option.name, 0, 10000)

    def finish(self, state, ctx) -> LimitOptions:
        return LimitOptions(state.get("avg", LimitOptions().avg), state.get("burst", DEFAULT_BURST))

    def save(self, o: LimitOptions, ctx) -> str:
        text = " --limit" + rate_text(o.avg)[0]
        return text + (f" --limit-burst {o.burst}" if o.burst != DEFAULT_BURST else "")

    def listing(self, o: LimitOptions, ctx) -> str:
        return f" limit: avg{rate_text(o.avg)[0]} burst {o.burst}"


EXTENSIONS = (Limit(),)
