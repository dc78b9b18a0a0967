"""The typed model of an x_tables table: table, chains, rules, matches, target.

A ``Table`` is what ``IPT_SO_GET_ENTRIES`` returns, decoded
(``sockctl.netfilter.codec``): its chains in blob order, built-in chains with
their hook and policy, user-defined chains by name. A ``Rule`` is the entry
header (``IPv4Header`` or ``IPv6Header``), its matches and its target. A
match or extension target keeps the kernel's payload bytes exactly; the
extension codecs (``sockctl.netfilter.extensions``) turn them into options
and text. Everything is an immutable ``Record``, so decoding and encoding
are exact inverses.

Rule headers are kept as the C struct's bytes with typed accessors, so
that equal bytes are equal rules. The fields ``comefrom`` (which hooks reach an entry) and ``nfcache`` are the
kernel's bookkeeping: kept so that a table re-encodes to the very bytes it
was read from, ignored (and cleared) by the kernel on a replace.
"""

import struct

from sockctl.abi.x_tables import NF_ACCEPT, NF_DROP, NF_QUEUE, NFPROTO_IPV4, NFPROTO_IPV6, XT_RETURN
from sockctl.record import Record

ACCEPT = -NF_ACCEPT - 1
DROP = -NF_DROP - 1
QUEUE = -NF_QUEUE - 1
RETURN = XT_RETURN

VERDICT_NAMES = {ACCEPT: "ACCEPT", DROP: "DROP", QUEUE: "QUEUE", RETURN: "RETURN"}
VERDICTS = {name: value for value, name in VERDICT_NAMES.items()}

FAMILIES = (NFPROTO_IPV4, NFPROTO_IPV6)


class Counters(Record):
    """Packet and byte counters of an entry (struct xt_counters)."""

    packets: int = 0
    bytes: int = 0


ZERO = Counters(0, 0)


class _Header(Record):
    """The header part of a rule, kept as its C struct's bytes and read through typed accessors.

    Equal bytes are equal headers, so a table decodes and re-encodes
    exactly, padding included; ``make()`` builds one from typed values.
    """

    raw: bytes

    _struct = None  # struct.Struct of the C layout
    _version = 4     # the ipaddress class: imported when an address is asked for, not to list a table

    def __hash__(self):
        return hash(self.raw)
    _address = None  # the ipaddress class

    def _fields_tuple(self) -> tuple:
        return self._struct.unpack(self.raw)

    def _address(self, which: int):
        import ipaddress

        kind = ipaddress.IPv4Address if self._version == 4 else ipaddress.IPv6Address
        return kind(self.raw[which * self._alen:(which + 1) * self._alen])

    @property
    def src(self):
        return self._address(0)

    @property
    def dst(self):
        return self._address(1)

    @property
    def smsk(self):
        return self._address(2)

    @property
    def dmsk(self):
        return self._address(3)

    @property
    def iniface(self) -> str:
        return _c_string(self.raw[4 * self._alen:4 * self._alen + 16])

    @property
    def outiface(self) -> str:
        return _c_string(self.raw[4 * self._alen + 16:4 * self._alen + 32])

    @property
    def iniface_mask(self) -> bytes:
        return self.raw[4 * self._alen + 32:4 * self._alen + 48]

    @property
    def outiface_mask(self) -> bytes:
        return self.raw[4 * self._alen + 48:4 * self._alen + 64]

    @property
    def proto(self) -> int:
        return self._fields_tuple()[8]

    @property
    def flags(self) -> int:
        return self._fields_tuple()[-2]

    @property
    def invflags(self) -> int:
        return self._fields_tuple()[-1]

    def typed(self) -> dict:
        """Every field by its C name, typed (for JSON and repr)."""
        names = ("src", "smsk", "dst", "dmsk", "iniface", "iniface_mask", "outiface", "outiface_mask") + \
            self._tail_names
        return {name: getattr(self, name) for name in names}

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.typed().items())
        return f"{type(self).__name__}({inner})"


def _packed(address, version: int) -> bytes:
    if address is None:
        return bytes(4 if version == 4 else 16)
    import ipaddress

    kind = ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address
    return kind(address).packed


def _c_string(raw: bytes) -> str:
    return raw.partition(b"\0")[0].decode("latin-1")


def _iface(name: str, mask: bytes | None) -> tuple[bytes, bytes]:
    raw = name.encode("latin-1")
    if len(raw) > 15:
        raise ValueError(f"interface name {name!r} is longer than 15 bytes")
    if mask is None:
        mask = bytes(16)
    if len(mask) != 16:
        raise ValueError("an interface mask has 16 bytes")
    return raw, mask


class IPv4Header(_Header):
    """The IPv4 part of a rule (struct ipt_ip): addresses with masks, interfaces, protocol, flags.

    Interface masks are 16 bytes: 0xFF where the name must match (the
    terminating NUL included unless the name ends in ``+``).
    """

    _struct = struct.Struct("=4s4s4s4s16s16s16s16sHBB")
    _alen = 4
    _tail_names = ("proto", "flags", "invflags")

    @classmethod
    def make(cls, src=None, smsk=None, dst=None, dmsk=None, iniface: str = "", iniface_mask: bytes | None = None,
             outiface: str = "", outiface_mask: bytes | None = None, proto: int = 0, flags: int = 0,
             invflags: int = 0):
        """A header from typed values: ipaddress.IPv4Address (or anything it takes; None is 0.0.0.0)."""
        inface, inmask = _iface(iniface, iniface_mask)
        outface, outmask = _iface(outiface, outiface_mask)
        return cls(cls._struct.pack(_packed(src, 4), _packed(dst, 4), _packed(smsk, 4), _packed(dmsk, 4),
                                    inface, outface, inmask, outmask, proto, flags, invflags))


class IPv6Header(_Header):
    """The IPv6 part of a rule (struct ip6t_ip6); ``proto`` counts only with IP6T_F_PROTO in ``flags``."""

    _struct = struct.Struct("=16s16s16s16s16s16s16s16sHBBB3x")
    _version = 6
    _alen = 16
    _tail_names = ("proto", "tos", "flags", "invflags")

    @property
    def tos(self) -> int:
        return self._fields_tuple()[9]

    @classmethod
    def make(cls, src=None, smsk=None, dst=None, dmsk=None, iniface: str = "", iniface_mask: bytes | None = None,
             outiface: str = "", outiface_mask: bytes | None = None, proto: int = 0, tos: int = 0, flags: int = 0,
             invflags: int = 0):
        """A header from typed values: ipaddress.IPv6Address (or anything it takes; None is ::)."""
        inface, inmask = _iface(iniface, iniface_mask)
        outface, outmask = _iface(outiface, outiface_mask)
        return cls(cls._struct.pack(_packed(src, 6), _packed(dst, 6), _packed(smsk, 6), _packed(dmsk, 6),
                                    inface, outface, inmask, outmask, proto, tos, flags, invflags))


ANY4 = IPv4Header(bytes(IPv4Header._struct.size))
ANY6 = IPv6Header(bytes(IPv6Header._struct.size))


class Match(Record):
    """One match as the kernel holds it: extension name, revision and payload (padded to XT_ALIGN)."""

    name: str
    revision: int
    data: bytes

    def __hash__(self):
        # bytes cache their hash: tables repeat matches, and listings key on them.
        return hash(self.data) ^ hash(self.name) ^ self.revision


class Target(Record):
    """An extension target (LOG, DNAT, ...): name, revision and payload (padded to XT_ALIGN)."""

    name: str
    revision: int
    data: bytes

    def __hash__(self):
        return hash(self.data) ^ hash(self.name) ^ self.revision


class Verdict(Record):
    """The standard target with a verdict: ACCEPT, DROP, QUEUE or RETURN (-j ACCEPT)."""

    verdict: int

    @property
    def name(self) -> str:
        return VERDICT_NAMES.get(self.verdict) or f"verdict {self.verdict}"


class Jump(Record):
    """The standard target jumping to a user-defined chain (-j CHAIN, or -g CHAIN with the goto flag)."""

    chain: str


class Fallthrough(Record):
    """The standard target that continues with the next rule: a rule without -j."""


class Rule(Record):
    """One entry of a chain: header, matches, target, counters."""

    header: object  # IPv4Header or IPv6Header
    matches: tuple = ()
    target: object = Fallthrough()
    counters: Counters = ZERO
    comefrom: int = 0
    nfcache: int = 0


class Chain(Record):
    """A chain: built-in (``hook`` is its hook number, ``policy`` a Verdict) or user-defined.

    ``counters`` are the policy's counters (of the chain's last entry, which
    carries the policy or the final RETURN); ``foot_comefrom`` is that
    entry's kernel bookkeeping.
    """

    name: str
    rules: tuple = ()
    hook: int | None = None
    policy: Verdict | None = None
    counters: Counters = ZERO
    foot_comefrom: int = 0

    @property
    def builtin(self) -> bool:
        return self.hook is not None


class Table(Record):
    """A whole table of one family (NFPROTO_IPV4 or NFPROTO_IPV6): its chains in kernel order."""

    name: str
    family: int
    valid_hooks: int
    chains: tuple = ()

    def chain(self, name: str) -> Chain | None:
        for chain in self.chains:
            if chain.name == name:
                return chain
        return None
