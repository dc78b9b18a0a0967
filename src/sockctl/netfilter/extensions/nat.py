"""The NAT targets (libxt_NAT): SNAT, DNAT, MASQUERADE and REDIRECT, IPv4 and IPv6.

    -j SNAT --to-source [ADDR[-ADDR]][:PORT[-PORT]] [--random] [--random-fully] [--persistent]
    -j DNAT --to-destination [ADDR[-ADDR]][:PORT[-PORT[/BASE]]] [--random] [--persistent]
    -j MASQUERADE [--to-ports PORT[-PORT]] [--random] [--random-fully]
    -j REDIRECT [--to-ports PORT[-PORT]] [--random]

IPv4 SNAT, MASQUERADE, REDIRECT and DNAT revision 0 carry the old one-range
``nf_nat_ipv4_multi_range_compat``; IPv6 carries ``nf_nat_range`` (SNAT and
DNAT revision 1); DNAT revision 2 (both families) ``nf_nat_range2``.
Addresses and ports are in network byte order in the payload, host order
(ports) in the options record.
"""

import struct

import _socket

from sockctl.abi import nf_nat as nat
from sockctl.abi.families import AF_INET, AF_INET6
from sockctl.abi.x_tables import NFPROTO_IPV4, NFPROTO_IPV6, XT_ALIGN
from sockctl.netfilter.extensions.base import NONE, Extension, Option, plain_uint
from sockctl.netfilter.xtables import RuleError, service_port, strtoul
from sockctl.record import Record

_COMPAT = struct.Struct("=II4s4sHH")      # nf_nat_ipv4_multi_range_compat with its one range
_RANGE = struct.Struct("=I16s16sHH")      # struct nf_nat_range
_RANGE2 = struct.Struct("=I16s16sHHH2x")  # struct nf_nat_range2
_RANGE2_PAD = bytes(XT_ALIGN(_RANGE2.size) - _RANGE2.size)

TO_DEST, TO_SRC, TO_PORTS, RANDOM, RANDOM_FULLY, PERSISTENT = range(6)
_PORT_PROTOS = (6, 17, 132, 33, 1)  # TCP, UDP, SCTP, DCCP, ICMP


class NatOptions(Record):
    """A NAT range: NF_NAT_RANGE_* flags, first and last address, first and last port, base port."""

    flags: int = 0
    min_addr: bytes = bytes(16)
    max_addr: bytes = bytes(16)
    min_port: int = 0
    max_port: int = 0
    base_port: int = 0
    rangesize: int = 1


def _be(port: int) -> int:
    return _socket.htons(port)


def _parse_ports(text: str, portok: bool, state: dict) -> None:
    if not portok:
        raise RuleError("Need TCP, UDP, SCTP or DCCP with port specification")
    state["flags"] |= nat.NF_NAT_RANGE_PROTO_SPECIFIED
    parsed = strtoul(text, 0, 0xFFFF, partial=True)
    if parsed is None:
        port = service_port(text, None)
        if port is None:
            raise RuleError(f"Port `{text}' not valid")
        parsed = port, ""
    port, rest = parsed
    if not rest:
        state["min_port"] = state["max_port"] = port
        return
    if rest[0] == ":":
        raise RuleError("Invalid port:port syntax - use dash")
    if rest[0] != "-":
        raise RuleError(f"Garbage after port value: `{rest}'")
    arg = rest[1:]
    parsed = strtoul(arg, 0, 0xFFFF, partial=True)
    if parsed is None:
        raise RuleError(f"Port `{arg}' not valid")
    high, rest = parsed
    if high < port:
        raise RuleError(f"Port range `{arg}' funky")
    state["min_port"], state["max_port"] = port, high
    if not rest:
        return
    if rest[0] != "/":
        raise RuleError(f"Garbage after port range: `{rest}'")
    arg = rest[1:]
    parsed = strtoul(arg, 1, 0xFFFF, partial=True)
    base = parsed[0] if parsed else service_port(arg, None)
    if base is None:
        raise RuleError(f"Port `{arg}' not valid")
    state["flags"] |= nat.NF_NAT_RANGE_PROTO_OFFSET
    state["base_port"] = base


def _parse_to(text: str, portok: bool, state: dict, family: int) -> None:
    af = AF_INET if family == NFPROTO_IPV4 else AF_INET6
    if "[" in text:
        start = text[text.index("[") + 1:]
        if "]" not in start or af == AF_INET:
            raise RuleError("Invalid address format")
        start, _, after = start.partition("]")
        colon = after.find(":")
        port_text = after[colon + 1:] if colon >= 0 else None
        only_port = colon >= 0 and text.index("[") == 0 and not start
    else:
        start = text
        first = text.find(":")
        if first >= 0 and ":" in text[first + 1:]:
            first = -1  # more than one colon: an IPv6 address without port
        port_text = text[first + 1:] if first >= 0 else None
        only_port = first == 0
        if first >= 0:
            start = text[:first]
    if port_text is not None:
        _parse_ports(port_text, portok, state)
        if only_port:
            return
    state["flags"] |= nat.NF_NAT_RANGE_MAP_IPS
    low, dash, high = start.partition("-")
    try:
        state["min_addr"] = _socket.inet_pton(af, low)
    except (OSError, ValueError):
        raise RuleError(f'Bad IP address "{low}"') from None
    if dash:
        try:
            state["max_addr"] = _socket.inet_pton(af, high)
        except (OSError, ValueError):
            raise RuleError(f'Bad IP address "{high}"') from None
    else:
        state["max_addr"] = state["min_addr"]


class Nat(Extension):
    """One NAT target at one revision and family; ``layout`` says which range struct it carries."""

    kind = "target"

    def __init__(self, name: str, revision: int, family: int, layout: str, range_option: str | None,
                 flags: tuple, save_prefix: str, listing_prefix: str, skip_colon: bool, check_offset: bool):
        self.name, self.revision, self.family, self.layout = name, revision, family, layout
        self.size = {"compat": _COMPAT, "range": _RANGE, "range2": _RANGE2}[layout].size
        self.c_struct = {"compat": nat.nf_nat_ipv4_multi_range_compat, "range": nat.nf_nat_range,
                         "range2": nat.nf_nat_range2}[layout]
        options = []
        if range_option == "to-ports":
            options.append(Option("to-ports", TO_PORTS))
        elif range_option:
            options.append(Option(range_option, TO_DEST if range_option == "to-destination" else TO_SRC,
                                  mandatory=True))
        names = {RANDOM: "random", RANDOM_FULLY: "random-fully", PERSISTENT: "persistent"}
        options += [Option(names[f], f, NONE) for f in flags]
        self.options = tuple(options)
        self.save_prefix, self.listing_prefix = save_prefix, listing_prefix
        self.skip_colon, self.check_offset = skip_colon, check_offset

    def decode(self, data: bytes) -> NatOptions:
        if self.layout == "compat":
            rangesize, flags, low, high, pmin, pmax = self.unpack(data, _COMPAT)
            return NatOptions(flags, low, high, _be(pmin), _be(pmax), 0, rangesize)
        if self.layout == "range":
            flags, low, high, pmin, pmax = self.unpack(data, _RANGE)
            return NatOptions(flags, low, high, _be(pmin), _be(pmax), 0, 1)
        flags, low, high, pmin, pmax, base = self.unpack(data, _RANGE2)
        return NatOptions(flags, low, high, _be(pmin), _be(pmax), _be(base), 1)

    def encode(self, o: NatOptions) -> bytes:
        if self.layout == "compat":
            return _COMPAT.pack(o.rangesize, o.flags, o.min_addr[:4], o.max_addr[:4], _be(o.min_port),
                                _be(o.max_port))
        if self.layout == "range":
            return _RANGE.pack(o.flags, o.min_addr, o.max_addr, _be(o.min_port), _be(o.max_port))
        return _RANGE2.pack(o.flags, o.min_addr, o.max_addr, _be(o.min_port), _be(o.max_port), _be(o.base_port))

    def start(self, ctx) -> dict:
        return {"flags": 0}

    def parse(self, state, option, args, invert, ctx):
        portok = ctx.proto in _PORT_PROTOS
        if self.layout == "compat":
            # Each option of the old IPv4 targets starts from an empty range (libxt_NAT's NAT_parse).
            scratch = {"flags": 0, "min_port": 0, "max_port": 0}
            self._apply(scratch, option, args, portok, ctx)
            if option.id in (TO_DEST, TO_SRC):
                state["min_addr"], state["max_addr"] = scratch.get("min_addr", bytes(4)), \
                    scratch.get("max_addr", bytes(4))
            if option.id in (TO_DEST, TO_SRC, TO_PORTS):
                state["min_port"], state["max_port"] = scratch["min_port"], scratch["max_port"]
            state["flags"] |= scratch["flags"]
        else:
            self._apply(state, option, args, portok, ctx)

    def _apply(self, state, option, args, portok, ctx):
        if option.id in (TO_DEST, TO_SRC):
            _parse_to(args[0], portok, state, ctx.family)
        elif option.id == TO_PORTS:
            _parse_ports(args[0], portok, state)
        else:
            state["flags"] |= {RANDOM: nat.NF_NAT_RANGE_PROTO_RANDOM, PERSISTENT: nat.NF_NAT_RANGE_PERSISTENT,
                               RANDOM_FULLY: nat.NF_NAT_RANGE_PROTO_RANDOM_FULLY}[option.id]

    def finish(self, state, ctx) -> NatOptions:
        self.check_mandatory(state)
        if self.check_offset and state["flags"] & nat.NF_NAT_RANGE_PROTO_OFFSET:
            raise RuleError("Shifted portmap ranges not supported with this kernel")
        width = 4 if self.layout == "compat" else 16
        low = state.get("min_addr", bytes(width)).ljust(width, b"\0")
        high = state.get("max_addr", bytes(width)).ljust(width, b"\0")
        return NatOptions(state["flags"], low, high, state.get("min_port", 0), state.get("max_port", 0),
                          state.get("base_port", 0), 1 if self.layout == "compat" else 1)

    def _range(self, flags, min_addr, max_addr, min_port, max_port, base_port) -> str:
        v6 = self.family == NFPROTO_IPV6
        brackets = v6 and flags & nat.NF_NAT_RANGE_PROTO_SPECIFIED
        text = ""
        if flags & nat.NF_NAT_RANGE_MAP_IPS:
            af, width = (AF_INET6, 16) if v6 else (AF_INET, 4)
            text = _socket.inet_ntop(af, min_addr[:width])
            if min_addr != max_addr:
                text += "-" + _socket.inet_ntop(af, max_addr[:width])
            if brackets:
                text = f"[{text}]"
        if flags & nat.NF_NAT_RANGE_PROTO_SPECIFIED:
            text += f":{min_port}"
            if max_port != min_port:
                text += f"-{max_port}"
            if flags & nat.NF_NAT_RANGE_PROTO_OFFSET:
                text += f"/{base_port}"
        return text

    def _text(self, o: NatOptions, prefix: str, flag_prefix: str) -> str:
        return self._range_text(o.flags, o.min_addr, o.max_addr, o.min_port, o.max_port, o.base_port, prefix,
                                flag_prefix)

    def _range_text(self, flags, min_addr, max_addr, min_port, max_port, base_port, prefix, flag_prefix) -> str:
        text = self._range(flags, min_addr, max_addr, min_port, max_port, base_port)
        if text and text[0] == ":" and self.skip_colon:
            text = text[1:]
        out = f" {prefix}{text}" if text else ""
        for bit, name in ((nat.NF_NAT_RANGE_PROTO_RANDOM, "random"),
                          (nat.NF_NAT_RANGE_PROTO_RANDOM_FULLY, "random-fully"),
                          (nat.NF_NAT_RANGE_PERSISTENT, "persistent")):
            if flags & bit:
                out += f" {flag_prefix}{name}"
        return out

    def save(self, o: NatOptions, ctx) -> str:
        return self._text(o, self.save_prefix, "--")

    def save_payload(self, data: bytes, ctx) -> str:
        if type(self).save is not Nat.save:  # a codec printing other options (NETMAP): decode, then its save
            return super().save_payload(data, ctx)
        if self.layout == "compat":
            _, flags, low, high, pmin, pmax = self.unpack(data, _COMPAT)
            base = 0
        elif self.layout == "range":
            flags, low, high, pmin, pmax = self.unpack(data, _RANGE)
            base = 0
        else:
            flags, low, high, pmin, pmax, base = self.unpack(data, _RANGE2)
            base = _be(base)
        return f" -j {self.name}" + self._range_text(flags, low, high, _be(pmin), _be(pmax), base, self.save_prefix,
                                                     "--")

    def payload_of(self, options, ctx) -> bytes:
        # The usual IPv4 rule of revision 2: --to-destination ADDRESS[:PORT], written plainly.
        if self.layout != "range2" or ctx.family != NFPROTO_IPV4 or len(options) != 1 \
                or options[0][0].id not in (TO_DEST, TO_SRC) or options[0][2]:
            return super().payload_of(options, ctx)
        host, colon, port = options[0][1][0].partition(":")
        try:
            address = _socket.inet_aton(host)
        except OSError:
            return super().payload_of(options, ctx)
        port = plain_uint(port, 0xFFFF) if colon else 0
        if _socket.inet_ntoa(address) != host or port is None or colon and ctx.proto not in _PORT_PROTOS:
            return super().payload_of(options, ctx)
        flags = nat.NF_NAT_RANGE_MAP_IPS | (nat.NF_NAT_RANGE_PROTO_SPECIFIED if colon else 0)
        address += bytes(12)
        return _RANGE2.pack(flags, address, address, _be(port), _be(port), 0) + _RANGE2_PAD

    def listing(self, o: NatOptions, ctx) -> str:
        return self._text(o, self.listing_prefix, "")


_SNAT_FLAGS = (RANDOM, RANDOM_FULLY, PERSISTENT)
_DNAT_FLAGS = (RANDOM, PERSISTENT)
_MASQ_FLAGS = (RANDOM, RANDOM_FULLY)
_V4, _V6 = NFPROTO_IPV4, NFPROTO_IPV6

EXTENSIONS = (
    Nat("SNAT", 0, _V4, "compat", "to-source", _SNAT_FLAGS, "--to-source ", "to:", False, False),
    Nat("SNAT", 1, _V6, "range", "to-source", _SNAT_FLAGS, "--to-source ", "to:", False, False),
    Nat("DNAT", 0, _V4, "compat", "to-destination", _DNAT_FLAGS, "--to-destination ", "to:", False, True),
    Nat("DNAT", 1, _V6, "range", "to-destination", _DNAT_FLAGS, "--to-destination ", "to:", False, True),
    Nat("DNAT", 2, _V4, "range2", "to-destination", _DNAT_FLAGS, "--to-destination ", "to:", False, False),
    Nat("DNAT", 2, _V6, "range2", "to-destination", _DNAT_FLAGS, "--to-destination ", "to:", False, False),
    Nat("MASQUERADE", 0, _V4, "compat", "to-ports", _MASQ_FLAGS, "--to-ports ", "masq ports: ", True, False),
    Nat("MASQUERADE", 0, _V6, "range", "to-ports", _MASQ_FLAGS, "--to-ports ", "masq ports: ", True, False),
    Nat("REDIRECT", 0, _V4, "compat", "to-ports", (RANDOM,), "--to-ports ", "redir ports ", True, True),
    Nat("REDIRECT", 0, _V6, "range", "to-ports", (RANDOM,), "--to-ports ", "redir ports ", True, True),
)
