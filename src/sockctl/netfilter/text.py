"""Rules as iptables 1.8.9 writes them: iptables-save lines (and -S), and the -L listing.

The save format is the contract between a table and its text: every rule
of a decoded table prints exactly as iptables-legacy-save prints it. A match
or target without a codec (or in a revision sockctl does not know) prints
the way iptables prints an extension revision it cannot read.
"""

import struct
from _socket import inet_ntoa as _inet_ntoa

from sockctl.abi.ip6_tables import IP6T_F_TOS, IP6T_INV_TOS
from sockctl.abi.ip_tables import IPT_F_FRAG, IPT_INV_DSTIP, IPT_INV_FRAG, IPT_INV_SRCIP, IPT_INV_VIA_IN, \
    IPT_INV_VIA_OUT
from sockctl.abi.x_tables import NFPROTO_IPV4, XT_INV_PROTO
from sockctl.netfilter import addresses, extensions
from sockctl.netfilter.codec import LAYOUTS
from sockctl.netfilter.extensions.base import Context
from sockctl.netfilter.model import Chain, Fallthrough, Jump, Target, Verdict
from sockctl.netfilter.xtables import proto_name

UNSUPPORTED = " [unsupported revision]"
_ZERO4 = bytes(4)
_MASKS = {(((1 << 32) - 1) << (32 - n) & ((1 << 32) - 1)).to_bytes(4, "big"): str(n) for n in range(33)}


class Shared:
    """What the rules of one protocol, inversions and goto flag share: their extension context and text caches.

    Caches are keyed by the bytes they print: ``addresses`` by the header's
    address part, ``matches`` by a rule's whole run of xt_entry_match,
    ``targets`` by its xt_entry_target (verdicts and extensions; a jump's
    bytes are an offset, so jumps are not cached).
    """

    __slots__ = ("proto", "inv", "goto", "ctx", "addresses", "matches", "targets")

    def __init__(self, family: int, proto: int, inv: int, goto: int):
        self.proto, self.inv, self.goto = proto, inv, goto
        self.ctx = Context(family, proto, inv, True)
        self.addresses: dict = {}
        self.matches: dict = {}
        self.targets: dict = {}


class Formatter:
    """Writes the rules of one family, remembering what it has written (tables repeat a lot)."""

    def __init__(self, family: int):
        self.family = family
        self.layout = LAYOUTS[family]
        self.v4 = family == NFPROTO_IPV4
        self.alen = 4 if self.v4 else 16
        self.rests: dict = {}     # header bytes after the addresses -> (their text, Shared)
        self._shared: dict = {}   # (proto, inv, goto) -> Shared
        self.match_codecs: dict = {}   # name and revision field of an xt_entry_match -> (name, codec or None)
        self.target_codecs: dict = {}  # the same of an xt_entry_target
        self._rest = struct.Struct("=16s16s16s16sHBB" if self.v4 else "=16s16s16s16sHBBB3x")

    # --- iptables-save / -S ----------------------------------------------------------
    def save_rule(self, chain: str, rule, counters: int = 0) -> str:
        """print_rule4/6: COUNTERS > 0 for '[p:b] ' first (save -c), < 0 for ' -c p b' (-S -v)."""
        raw = rule.header.raw
        split = 4 * self.alen
        rest = raw[split:]
        kind = self.rests.get(rest)
        if kind is None:
            kind = self.rests[rest] = self.header_rest(rest)
        shared = kind[1]
        addresses = raw[:split]
        text = shared.addresses.get(addresses)
        if text is None:
            text = shared.addresses[addresses] = self.address_text(addresses, shared.inv)
        line = ("-A " if counters <= 0 else f"[{rule.counters.packets}:{rule.counters.bytes}] -A ") + chain + \
            text + kind[0]
        cache = shared.matches
        for match in rule.matches:
            # Keyed by the payload (its hash is kept by the bytes object); the name checked on a hit.
            hit = cache.get(match.data)
            if hit is None or hit[0] != match.name or hit[1] != match.revision:
                hit = cache[match.data] = (match.name, match.revision,
                                           self.extension_text("match", match.name, match.revision, match.data,
                                                               shared.ctx))
            line += hit[2]
        if counters < 0:
            line += f" -c {rule.counters.packets} {rule.counters.bytes}"
        target = rule.target
        if type(target) is Target:
            hit = shared.targets.get(target.data)
            if hit is None or hit[0] != target.name or hit[1] != target.revision:
                hit = shared.targets[target.data] = (target.name, target.revision,
                                                     self.extension_text("target", target.name, target.revision,
                                                                         target.data, shared.ctx))
            return line + hit[2] + "\n"
        name = target_name(target)
        if not name:
            return line + "\n"
        return line + (" -g " if shared.goto else " -j ") + name + "\n"

    def header_rest(self, rest: bytes) -> tuple:
        """The save text of a header's part after the addresses, and the Shared of its protocol and flags."""
        inface, outface, inmask, outmask, proto, *tail = self._rest.unpack(rest)
        flags, inv = tail[-2], tail[-1]
        text = ""
        if inmask[0]:
            text += _save_iface("i", _c_name(inface), inmask, inv & IPT_INV_VIA_IN)
        if outmask[0]:
            text += _save_iface("o", _c_name(outface), outmask, inv & IPT_INV_VIA_OUT)
        if proto > 0:
            name = proto_name(proto)
            text += (" !" if inv & XT_INV_PROTO else "") + (f" -p {name}" if name else f" -p {proto}")
        if self.v4:
            if flags & IPT_F_FRAG:
                text += (" !" if inv & IPT_INV_FRAG else "") + " -f"
        elif flags & IP6T_F_TOS:
            text += (" !" if inv & IP6T_INV_TOS else "") + f" -? {tail[0]}"
        goto = flags & self.layout.goto_flag
        key = (proto, inv, goto)
        shared = self._shared.get(key)
        if shared is None:
            shared = self._shared[key] = Shared(self.family, proto, inv, goto)
        return text, shared

    def address_text(self, raw: bytes, inv: int) -> str:
        """The -s and -d part of a save line from the header's four addresses (src, dst, smsk, dmsk)."""
        if self.v4 and not inv & (IPT_INV_SRCIP | IPT_INV_DSTIP):
            # The usual case, without the general code's slicing: whole masks and no inversion.
            text = ""
            mask = raw[8:12]
            if mask != _ZERO4 or raw[:4] != _ZERO4:
                suffix = _MASKS.get(mask) or addresses.mask_suffix(mask)[1:]
                text = " -s " + _inet_ntoa(raw[:4]) + "/" + suffix
            mask = raw[12:]
            if mask != _ZERO4 or raw[4:8] != _ZERO4:
                suffix = _MASKS.get(mask) or addresses.mask_suffix(mask)[1:]
                text += " -d " + _inet_ntoa(raw[4:8]) + "/" + suffix
            return text
        return self._save_address("s", raw, 0, inv & IPT_INV_SRCIP) + self._save_address("d", raw, 1, inv & IPT_INV_DSTIP)

    def _save_address(self, letter: str, raw: bytes, which: int, invert: int) -> str:
        width = self.alen
        address = raw[which * width:(which + 1) * width]
        mask = raw[(2 + which) * width:(3 + which) * width]
        if not invert and not any(mask) and (not self.v4 or not any(address)):
            return ""  # ip6tables skips any address with a /0 mask, iptables only 0.0.0.0/0
        suffix = _MASKS.get(mask)
        if suffix is None:
            bits = addresses.cidr(mask)
            suffix = str(bits) if bits >= 0 else addresses.numeric(mask)
        return f"{' !' if invert else ''} -{letter} {addresses.numeric(address)}/{suffix}"

    def extension_text(self, kind: str, name: str, revision: int, data: bytes, ctx: Context) -> str:
        """' -m NAME OPTIONS' of a match, ' -j NAME OPTIONS' of an extension target."""
        codec = extensions.for_payload(kind, name, revision, self.family)
        if codec is None:
            return f"{' -m ' if kind == 'match' else ' -j '}{name}{UNSUPPORTED}"
        return codec.save_payload(data, ctx)

    # --- -L ---------------------------------------------------------------------------
    def listing_rule(self, rule, number: int, options: "ListOptions") -> str:
        """print_firewall: one rule of the -L listing."""
        header = rule.header
        inv = header.invflags
        out = []
        if options.line_numbers:
            out.append(f"{number:<4} ")
        if options.verbose:
            out.append(number_text(rule.counters.packets, options.exact))
            out.append(number_text(rule.counters.bytes, options.exact))
        target = rule.target
        name = target.name if isinstance(target, Target) else target_name(target)
        out.append(f"{name:<9} ")
        out.append("!" if inv & XT_INV_PROTO else " ")
        pname = proto_name(header.proto, options.numeric)
        out.append(f"{header.proto:<4} " if options.numeric or not pname else f"{pname:<4} ")
        if self.v4:
            out.append(("!" if inv & IPT_INV_FRAG else "-") + ("f" if header.flags & IPT_F_FRAG else "-") + " ")
        else:
            out.append("-- ")
        if options.verbose:
            anyname = "*" if options.numeric else "any"
            out.append(f" {('!' if inv & IPT_INV_VIA_IN else '') + (header.iniface or anyname):<6} ")
            out.append(f"{('!' if inv & IPT_INV_VIA_OUT else '') + (header.outiface or anyname):<6} ")
        out.append("!" if inv & IPT_INV_SRCIP else " ")
        out.append(f"{self._list_address(header.raw, 0, options.numeric):<19} ")
        out.append("!" if inv & IPT_INV_DSTIP else " ")
        out.append(f"{self._list_address(header.raw, 1, options.numeric):<19} ")
        if header.flags & self.layout.goto_flag:
            out.append("[goto] ")
        ctx = Context(self.family, header.proto, inv, options.numeric)
        out.extend(self._extension_listing(rule, ctx))
        out.append("\n")
        return "".join(out)

    def rule_line(self, rule) -> str:
        """print_firewall_line: the rule -v echoes as -A, -I, -D, -R or -C handles it (FMT_PRINT_RULE)."""
        header = rule.header
        inv = header.invflags
        target = rule.target
        name = target.name if isinstance(target, Target) else target_name(target)
        pname = proto_name(header.proto, True)
        out = [f"{name} ", "!" if inv & XT_INV_PROTO else " ", f"{pname} " if pname else f"{header.proto} ",
               "opt "]
        if self.v4:
            out.append(("!" if inv & IPT_INV_FRAG else "-") + ("f" if header.flags & IPT_F_FRAG else "-") + " ")
        else:
            out.append("-- ")
        out.append(f"in {('!' if inv & IPT_INV_VIA_IN else '') + (header.iniface or '*')} ")
        out.append(f"out {('!' if inv & IPT_INV_VIA_OUT else '') + (header.outiface or '*')} ")
        out.append(("!" if inv & IPT_INV_SRCIP else " ") + self._list_address(header.raw, 0, True) + " ")
        out.append(("!" if inv & IPT_INV_DSTIP else " ") + "-> " + self._list_address(header.raw, 1, True))
        out.append("  ")
        if header.flags & self.layout.goto_flag:
            out.append("[goto] ")
        ctx = Context(self.family, header.proto, inv, True)
        out.extend(self._extension_listing(rule, ctx))
        out.append("\n")
        return "".join(out)

    def _extension_listing(self, rule, ctx) -> list:
        out = []
        for match in rule.matches:
            codec = extensions.for_payload("match", match.name, match.revision, self.family)
            if codec is not None:
                out.append(codec.listing(codec.decode(match.data), ctx))
            else:
                out.append(f"{match.name}{UNSUPPORTED} ")
        target = rule.target
        if isinstance(target, Target):
            codec = extensions.for_payload("target", target.name, target.revision, self.family)
            if codec is not None:
                out.append(codec.listing(codec.decode(target.data), ctx))
            else:
                out.append(f" {target.name}{UNSUPPORTED}")
        return out

    def _list_address(self, raw: bytes, which: int, numeric: bool) -> str:
        width = 4 if self.v4 else 16
        address = raw[which * width:(which + 1) * width]
        mask = raw[(2 + which) * width:(3 + which) * width]
        if not numeric and (not any(mask) if self.v4 else not any(address)):
            return "anywhere"
        return addresses.text(address, numeric) + addresses.mask_suffix(mask)

    def listing_header(self, chain: Chain, references: int, options: "ListOptions") -> str:
        """print_header: the chain line and the column titles."""
        if chain.builtin:
            text = f"Chain {chain.name} (policy {chain.policy.name}"
            if options.verbose:
                text += f" {number_text(chain.counters.packets, options.exact, True)}packets, " \
                        f"{number_text(chain.counters.bytes, options.exact, True)}bytes"
            text += ")\n"
        else:
            text = f"Chain {chain.name} ({references} references)\n"
        if options.line_numbers:
            text += f"{'num':<4} "
        if options.verbose:
            text += f"{'pkts':>8} {'bytes':>10} " if options.exact else f"{'pkts':>5} {'bytes':>5} "
        text += f"{'target':<9}  prot opt"
        if options.verbose:
            text += f" {'in':<6} {'out':<6} "
        return text + f" {'source':<19}  {'destination':<19} \n"


class ListOptions:
    """The -L switches: -v, -n, -x, --line-numbers."""

    __slots__ = ("verbose", "numeric", "exact", "line_numbers")

    def __init__(self, verbose=False, numeric=False, exact=False, line_numbers=False):
        self.verbose, self.numeric, self.exact, self.line_numbers = verbose, numeric, exact, line_numbers


def target_name(target) -> str:
    """iptc_get_target: the verdict's or chain's name, '' for a rule without -j."""
    if isinstance(target, Verdict):
        return target.name
    if isinstance(target, Jump):
        return target.chain
    if isinstance(target, Fallthrough):
        return ""
    return target.name


def number_text(number: int, exact: bool, notable: bool = False) -> str:
    """xtables_print_num: counters in the listing, in K/M/G/T unless -x."""
    if exact:
        return f"{number} " if notable else f"{number:>8} "
    if number <= 99999:
        return f"{number} " if notable else f"{number:>5} "
    for unit in "KMGT":
        number = (number + 500) // 1000
        if number <= 9999 or unit == "T":
            return f"{number}{unit} " if notable else f"{number:>4}{unit} "
    raise AssertionError("unreachable")


def _c_name(raw: bytes) -> str:
    return raw.partition(b"\0")[0].decode("latin-1")


def _save_iface(letter: str, name: str, mask: bytes, invert: int) -> str:
    """save_iface: the name up to where the mask ends, '+' when the mask stops before its end."""
    if not mask[0]:
        return ""
    raw = name.encode("latin-1").ljust(16, b"\0")
    out = []
    for i in range(16):
        if mask[i]:
            if raw[i]:
                out.append(chr(raw[i]))
        else:
            if raw[i - 1]:
                out.append("+")
            break
    return (" !" if invert else "") + f" -{letter} " + "".join(out)


def chain_order(table) -> list:
    """Chains in libiptc's order: built-in ones as in the table, then user-defined ones by name."""
    builtin = [c for c in table.chains if c.builtin]
    user = sorted((c for c in table.chains if not c.builtin), key=lambda c: c.name.encode("latin-1"))
    return builtin + user


def references(table) -> dict:
    """How many rules jump (or go) to each user-defined chain."""
    counts = {c.name: 0 for c in table.chains if not c.builtin}
    for chain in table.chains:
        for rule in chain.rules:
            if isinstance(rule.target, Jump) and rule.target.chain in counts:
                counts[rule.target.chain] += 1
    return counts


def save_table(table, counters: bool, formatter: Formatter | None = None) -> str:
    """The body of one table in iptables-save: *name, chain lines, rules, COMMIT (no # lines)."""
    fmt = formatter or Formatter(table.family)
    chains = chain_order(table)
    out = [f"*{table.name}\n"]
    for chain in chains:
        if chain.builtin:
            out.append(f":{chain.name} {chain.policy.name} [{chain.counters.packets}:{chain.counters.bytes}]\n")
        else:
            out.append(f":{chain.name} - [0:0]\n")
    mode = 1 if counters else 0
    save_rule = fmt.save_rule
    for chain in chains:
        name = chain.name
        out.extend([save_rule(name, rule, mode) for rule in chain.rules])
    out.append("COMMIT\n")
    return "".join(out)
