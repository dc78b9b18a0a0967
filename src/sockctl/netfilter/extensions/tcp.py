"""The tcp match (xt_tcp, libxt_tcp): port ranges, TCP flags and an option number.

    -p tcp [!] --sport P[:P] [!] --dport P[:P] [!] --tcp-flags MASK COMP | [!] --syn  [!] --tcp-option N
"""

import struct

from sockctl.abi.x_tables import XT_ALIGN
from sockctl.abi.xt_tcpudp import XT_TCP_INV_DSTPT, XT_TCP_INV_FLAGS, XT_TCP_INV_MASK, XT_TCP_INV_OPTION, \
    XT_TCP_INV_SRCPT, xt_tcp
from sockctl.netfilter.extensions.base import NONE, TWO_ARGS, Extension, Option, plain_uint
from sockctl.netfilter.xtables import RuleError, parse_port, port_name, strtoul
from sockctl.record import Record

_XT_TCP = struct.Struct("=HHHHBBBB")  # struct xt_tcp
_PAD = bytes(XT_ALIGN(_XT_TCP.size) - _XT_TCP.size)

FLAG_NAMES = (("FIN", 0x01), ("SYN", 0x02), ("RST", 0x04), ("PSH", 0x08), ("ACK", 0x10), ("URG", 0x20),
              ("ALL", 0x3F), ("NONE", 0))


class TcpOptions(Record):
    """struct xt_tcp: source and destination port ranges, option, flags mask and comparison, inversions."""

    spts: tuple = (0, 0xFFFF)
    dpts: tuple = (0, 0xFFFF)
    option: int = 0
    flg_mask: int = 0
    flg_cmp: int = 0
    invflags: int = 0


def parse_ports(text: str, proto: str) -> tuple[int, int]:
    """PORT or [LOW]:[HIGH] as libxt_tcp/libxt_udp read it."""
    low, colon, high = text.partition(":")
    if not colon:
        port = parse_port(text, proto)
        return port, port
    first = parse_port(low, proto) if low else 0
    last = parse_port(high, proto) if high else 0xFFFF
    if first > last:
        raise RuleError("invalid portrange (min > max)")
    return first, last


def ports_save(option: str, ports: tuple, inverted: bool) -> str:
    if ports == (0, 0xFFFF):
        return ""
    text = f" --{option} {ports[0]}" if ports[0] == ports[1] else f" --{option} {ports[0]}:{ports[1]}"
    return (" !" if inverted else "") + text


def ports_listing(label: str, ports: tuple, inverted: bool, numeric: bool, proto: str) -> str:
    if ports == (0, 0xFFFF) and not inverted:
        return ""
    inv = "!" if inverted else ""
    first = str(ports[0]) if numeric else port_name(ports[0], proto)
    if ports[0] == ports[1]:
        return f" {label}:{inv}{first}"
    last = str(ports[1]) if numeric else port_name(ports[1], proto)
    return f" {label}s:{inv}{first}:{last}"


def _parse_flags(text: str) -> int:
    value = 0
    for word in text.split(","):
        if not word:
            continue
        for name, bit in FLAG_NAMES:
            if name.lower() == word.lower():
                value |= bit
                break
        else:
            raise RuleError(f"Unknown TCP flag `{word}'")
    return value


def flags_text(flags: int) -> str:
    names = []
    while flags:
        found = next(((n, b) for n, b in FLAG_NAMES if flags & b), None)
        if found is None:  # bits no TCP flag name covers (iptables runs off its table there)
            names.append(f"0x{flags:02X}")
            break
        names.append(found[0])
        flags &= ~found[1]
    return ",".join(names) or "NONE"


def _saved(s0, s1, d0, d1, option, flg_mask, flg_cmp, invflags) -> str:
    text = ports_save("sport", (s0, s1), invflags & XT_TCP_INV_SRCPT) + \
        ports_save("dport", (d0, d1), invflags & XT_TCP_INV_DSTPT)
    if option or invflags & XT_TCP_INV_OPTION:
        text += (" !" if invflags & XT_TCP_INV_OPTION else "") + f" --tcp-option {option}"
    if flg_mask or invflags & XT_TCP_INV_FLAGS:
        text += (" !" if invflags & XT_TCP_INV_FLAGS else "") + \
            f" --tcp-flags {flags_text(flg_mask)} {flags_text(flg_cmp)}"
    return text


def plain_ports(text: str):
    """PORT or LOW:HIGH in plain decimal as parse_ports reads them, else None (for parse_ports to read)."""
    low, colon, high = text.partition(":")
    first = plain_uint(low, 0xFFFF)
    if not colon:
        return None if first is None else (first, first)
    last = plain_uint(high, 0xFFFF)
    if first is None or last is None or first > last:
        return None
    return first, last


class Tcp(Extension):
    name = "tcp"
    c_struct = xt_tcp
    size = _XT_TCP.size
    options = (
        Option("source-port", 1, invert=True), Option("sport", 1, invert=True),
        Option("destination-port", 2, invert=True), Option("dport", 2, invert=True),
        Option("syn", 3, NONE, invert=True), Option("tcp-flags", 3, TWO_ARGS, invert=True),
        Option("tcp-option", 5, invert=True),
    )

    def decode(self, data: bytes) -> TcpOptions:
        s0, s1, d0, d1, option, mask, cmp, inv = self.unpack(data, _XT_TCP)
        return TcpOptions((s0, s1), (d0, d1), option, mask, cmp, inv)

    def encode(self, opts: TcpOptions) -> bytes:
        return _XT_TCP.pack(*opts.spts, *opts.dpts, opts.option, opts.flg_mask, opts.flg_cmp, opts.invflags)

    def take(self, state, option, args, invert, ctx):
        # libxt_tcp predates the option table: its own messages for repeats.
        seen = state.setdefault("_seen", set())
        if option.id in seen:
            raise RuleError({1: "Only one `--source-port' allowed", 2: "Only one `--destination-port' allowed",
                             3: "Only one of `--syn' or `--tcp-flags'  allowed",
                             5: "Only one `--tcp-option' allowed"}[option.id])
        self.parse(state, option, args, invert, ctx)
        seen.add(option.id)

    def parse(self, state, option, args, invert, ctx):
        if option.id == 1:
            state["spts"] = parse_ports(args[0], "tcp")
            bit = XT_TCP_INV_SRCPT
        elif option.id == 2:
            state["dpts"] = parse_ports(args[0], "tcp")
            bit = XT_TCP_INV_DSTPT
        elif option.id == 3:
            mask, cmp = ("SYN,RST,ACK,FIN", "SYN") if option.name == "syn" else args
            state["flg_mask"] = _parse_flags(mask)
            state["flg_cmp"] = _parse_flags(cmp)
            bit = XT_TCP_INV_FLAGS
        else:
            value = strtoul(args[0], 1, 255)
            if value is None:
                raise RuleError(f'Bad TCP option "{args[0]}"')
            state["option"] = value
            bit = XT_TCP_INV_OPTION
        if invert:
            state["invflags"] = state.get("invflags", 0) | bit

    def finish(self, state, ctx) -> TcpOptions:
        return TcpOptions(**{k: v for k, v in state.items() if k != "_seen"})

    def save(self, opts: TcpOptions, ctx) -> str:
        return _saved(*opts.spts, *opts.dpts, opts.option, opts.flg_mask, opts.flg_cmp, opts.invflags)

    def save_payload(self, data: bytes, ctx) -> str:
        return " -m tcp" + _saved(*self.unpack(data, _XT_TCP))

    def payload_of(self, options, ctx) -> bytes:
        # The usual rule: one port or range, written plainly.
        if len(options) == 1 and options[0][0].id in (1, 2):
            option, (text,), invert = options[0]
            ports = plain_ports(text)
            if ports is not None:
                if option.id == 1:
                    return _XT_TCP.pack(*ports, 0, 0xFFFF, 0, 0, 0, XT_TCP_INV_SRCPT if invert else 0) + _PAD
                return _XT_TCP.pack(0, 0xFFFF, *ports, 0, 0, 0, XT_TCP_INV_DSTPT if invert else 0) + _PAD
        return super().payload_of(options, ctx)

    def listing(self, opts: TcpOptions, ctx) -> str:
        numeric = ctx.numeric
        text = " tcp" + ports_listing("spt", opts.spts, opts.invflags & XT_TCP_INV_SRCPT, numeric, "tcp") + \
            ports_listing("dpt", opts.dpts, opts.invflags & XT_TCP_INV_DSTPT, numeric, "tcp")
        if opts.option or opts.invflags & XT_TCP_INV_OPTION:
            text += f" option={'!' if opts.invflags & XT_TCP_INV_OPTION else ''}{opts.option}"
        if opts.flg_mask or opts.invflags & XT_TCP_INV_FLAGS:
            text += f" flags:{'!' if opts.invflags & XT_TCP_INV_FLAGS else ''}"
            if numeric:
                text += f"0x{opts.flg_mask:02X}/0x{opts.flg_cmp:02X}"
            else:
                text += f"{flags_text(opts.flg_mask)}/{flags_text(opts.flg_cmp)}"
        if opts.invflags & ~XT_TCP_INV_MASK:
            text += f" Unknown invflags: 0x{opts.invflags & ~XT_TCP_INV_MASK:X}"
        return text


EXTENSIONS = (Tcp(),)
