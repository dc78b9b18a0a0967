"""The multiport match, revision 1 (xt_multiport_v1, libxt_multiport): up to 15 ports or ranges.

    -p {tcp|udp|udplite|sctp|dccp} -m multiport [!] {--sports|--dports|--ports} P[,P:P...]
"""

import struct

from sockctl.abi.x_tables import XT_ALIGN, XT_INV_PROTO
from sockctl.abi.xt_multiport import XT_MULTI_PORTS, XT_MULTIPORT_DESTINATION, XT_MULTIPORT_EITHER, \
    XT_MULTIPORT_SOURCE, xt_multiport_v1
from sockctl.netfilter.extensions.base import Extension, Option, plain_uint
from sockctl.netfilter.xtables import RuleError, parse_port, port_name
from sockctl.record import Record

_V1 = struct.Struct(f"=BB{XT_MULTI_PORTS}H{XT_MULTI_PORTS}BB")  # struct xt_multiport_v1
_PAD = bytes(XT_ALIGN(_V1.size) - _V1.size)

PROTO_NAMES = {6: "tcp", 17: "udp", 136: "udplite", 132: "sctp", 33: "dccp"}
_KEYWORDS = {XT_MULTIPORT_SOURCE: "sports", XT_MULTIPORT_DESTINATION: "dports", XT_MULTIPORT_EITHER: "ports"}


class MultiportOptions(Record):
    """struct xt_multiport_v1: which ports, the port list, range flags, inversion."""

    flags: int = 0
    count: int = 0
    ports: tuple = (0,) * XT_MULTI_PORTS
    pflags: tuple = (0,) * XT_MULTI_PORTS
    invert: int = 0


def _proto(ctx) -> str:
    if ctx.invflags & XT_INV_PROTO:
        raise RuleError("multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP")
    name = PROTO_NAMES.get(ctx.proto)
    if name is None:
        if not ctx.proto:
            raise RuleError("multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'")
        raise RuleError("multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP")
    return name


class Multiport(Extension):
    name = "multiport"
    revision = 1
    c_struct = xt_multiport_v1
    size = _V1.size
    options = (Option("source-ports", XT_MULTIPORT_SOURCE, invert=True),
               Option("sports", XT_MULTIPORT_SOURCE, invert=True),
               Option("destination-ports", XT_MULTIPORT_DESTINATION, invert=True),
               Option("dports", XT_MULTIPORT_DESTINATION, invert=True),
               Option("ports", XT_MULTIPORT_EITHER, invert=True))
    exclusive = ((XT_MULTIPORT_SOURCE, XT_MULTIPORT_DESTINATION, XT_MULTIPORT_EITHER),)

    def decode(self, data: bytes) -> MultiportOptions:
        f = self.unpack(data, _V1)
        return MultiportOptions(f[0], f[1], f[2:2 + XT_MULTI_PORTS], f[2 + XT_MULTI_PORTS:2 + 2 * XT_MULTI_PORTS],
                                f[-1])

    def encode(self, o: MultiportOptions) -> bytes:
        return _V1.pack(o.flags, o.count, *o.ports, *o.pflags, o.invert)

    def parse(self, state, option, args, invert, ctx):
        proto = _proto(ctx)
        ports, pflags = [0] * XT_MULTI_PORTS, [0] * XT_MULTI_PORTS
        items = args[0].split(",")
        i = 0
        for n, item in enumerate(items):
            if i >= XT_MULTI_PORTS:
                raise RuleError("too many ports specified")
            low, colon, high = item.partition(":")
            if colon and i == XT_MULTI_PORTS - 1:
                raise RuleError("too many ports specified")
            ports[i] = parse_port(low, proto)
            if colon:
                pflags[i] = 1
                i += 1
                ports[i] = parse_port(high, proto)
                if ports[i - 1] >= ports[i]:
                    raise RuleError("invalid portrange specified")
            i += 1
        state.update(flags=option.id, count=i, ports=tuple(ports), pflags=tuple(pflags))
        if invert:
            state["invert"] = 1

    def finish(self, state, ctx) -> MultiportOptions:
        if not state.get("_seen"):
            raise RuleError("multiport expection an option")
        return MultiportOptions(**{k: v for k, v in state.items() if k != "_seen"})

    def _ports(self, o: MultiportOptions, proto: str | None, numeric: bool) -> str:
        out, i = [], 0
        while i < o.count and i < XT_MULTI_PORTS:
            text = str(o.ports[i]) if numeric else port_name(o.ports[i], proto)
            if o.pflags[i] and i + 1 < XT_MULTI_PORTS:
                i += 1
                text += ":" + (str(o.ports[i]) if numeric else port_name(o.ports[i], proto))
            out.append(text)
            i += 1
        return ",".join(out)

    def save(self, o: MultiportOptions, ctx) -> str:
        keyword = _KEYWORDS.get(o.flags)
        head = (" !" if o.invert else "") + (f" --{keyword} " if keyword else "")
        return head + self._ports(o, PROTO_NAMES.get(ctx.proto), True)

    def save_payload(self, data: bytes, ctx) -> str:
        f = self.unpack(data, _V1)
        flags, count, invert = f[0], f[1], f[-1]
        keyword = _KEYWORDS.get(flags)
        out, i = [], 0
        while i < count and i < XT_MULTI_PORTS:
            text = str(f[2 + i])
            if f[2 + XT_MULTI_PORTS + i] and i + 1 < XT_MULTI_PORTS:
                i += 1
                text += ":" + str(f[2 + i])
            out.append(text)
            i += 1
        return " -m multiport" + (" !" if invert else "") + (f" --{keyword} " if keyword else "") + ",".join(out)

    def payload_of(self, options, ctx) -> bytes:
        # The usual rule: one list of ports and ranges written plainly (others: parse's messages).
        if len(options) != 1:
            return super().payload_of(options, ctx)
        option, (text,), invert = options[0]
        _proto(ctx)
        ports, pflags = [], []
        for item in text.split(","):
            low, colon, high = item.partition(":")
            first = plain_uint(low, 0xFFFF)
            last = plain_uint(high, 0xFFFF) if colon else 0
            if first is None or last is None or colon and first >= last:
                return super().payload_of(options, ctx)
            ports.append(first)
            pflags.append(1 if colon else 0)
            if colon:
                ports.append(last)
                pflags.append(0)
        count = len(ports)
        if count > XT_MULTI_PORTS:
            return super().payload_of(options, ctx)
        padding = [0] * (XT_MULTI_PORTS - count)
        return _V1.pack(option.id, count, *ports, *padding, *pflags, *padding, 1 if invert else 0) + _PAD

    def listing(self, o: MultiportOptions, ctx) -> str:
        keyword = _KEYWORDS.get(o.flags, "ERROR")
        return f" multiport {keyword} " + (" !" if o.invert else "") + \
            self._ports(o, PROTO_NAMES.get(ctx.proto), ctx.numeric)


EXTENSIONS = (Multiport(),)
