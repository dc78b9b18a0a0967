"""The NFQUEUE target, revision 3 (xt_NFQ_info_v3, libxt_NFQUEUE): hand packets to user-space queues.

    -j NFQUEUE [--queue-num N | --queue-balance FIRST:LAST [--queue-cpu-fanout]] [--queue-bypass]
"""

import struct

from sockctl.abi.xt_NFQUEUE import NFQ_FLAG_BYPASS, NFQ_FLAG_CPU_FANOUT, xt_NFQ_info_v3
from sockctl.netfilter.extensions.base import NONE, Extension, Option
from sockctl.netfilter.xtables import RuleError, parse_uint, parse_uint_range
from sockctl.record import Record

_V3 = struct.Struct("=HHH")  # struct xt_NFQ_info_v3
NUM, BALANCE, BYPASS, FANOUT = range(4)


class NfqueueOptions(Record):
    """struct xt_NFQ_info_v3: the first queue, how many, NFQ_FLAG_* flags."""

    queuenum: int = 0
    queues_total: int = 1
    flags: int = 0


class Nfqueue(Extension):
    kind = "target"
    name = "NFQUEUE"
    revision = 3
    c_struct = xt_NFQ_info_v3
    size = _V3.size
    options = (Option("queue-num", NUM), Option("queue-balance", BALANCE), Option("queue-bypass", BYPASS, NONE),
               Option("queue-cpu-fanout", FANOUT, NONE))
    exclusive = ((NUM, BALANCE),)

    def decode(self, data: bytes) -> NfqueueOptions:
        return NfqueueOptions(*self.unpack(data, _V3))

    def encode(self, o: NfqueueOptions) -> bytes:
        return _V3.pack(o.queuenum, o.queues_total, o.flags)

    def parse(self, state, option, args, invert, ctx):
        if option.id == NUM:
            state["queuenum"] = parse_uint(args[0], "NFQUEUE", option.name, 0, 0xFFFF)
        elif option.id == BALANCE:
            values = parse_uint_range(args[0], "NFQUEUE", option.name, 0xFFFF)
            if len(values) != 2:
                raise RuleError(f'Bad range "{args[0]}"')
            first, last = values
            if first >= last:
                raise RuleError(f"{first} should be less than {last}")
            state["queuenum"], state["queues_total"] = first, last - first + 1
        else:
            state["flags"] = state.get("flags", 0) | (NFQ_FLAG_BYPASS if option.id == BYPASS else NFQ_FLAG_CPU_FANOUT)

    def finish(self, state, ctx) -> NfqueueOptions:
        seen = state.get("_seen", set())
        if FANOUT in seen and BALANCE not in seen:
            raise RuleError('NFQUEUE: option "--queue-cpu-fanout" also requires "--queue-balance".')
        return NfqueueOptions(**{k: v for k, v in state.items() if k != "_seen"})

    def _text(self, o: NfqueueOptions, num: str, balance: str, bypass: str, fanout: str) -> str:
        if o.queues_total > 1:
            text = f"{balance}{o.queuenum}:{(o.queues_total + o.queuenum - 1) & 0xFFFFFFFF}"
        else:
            text = f"{num}{o.queuenum}"
        return text + (bypass if o.flags & NFQ_FLAG_BYPASS else "") + (fanout if o.flags & NFQ_FLAG_CPU_FANOUT else "")

    def save(self, o: NfqueueOptions, ctx) -> str:
        return self._text(o, " --queue-num ", " --queue-balance ", " --queue-bypass", " --queue-cpu-fanout")

    def listing(self, o: NfqueueOptions, ctx) -> str:
        return self._text(o, " NFQUEUE num ", " NFQUEUE balance ", " bypass", " cpu-fanout")


EXTENSIONS = (Nfqueue(),)
