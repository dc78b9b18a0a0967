"""Table blobs <-> ``sockctl.netfilter.model.Table``: pure functions, no system calls.

The layout is the one libiptc writes and the kernel keeps: for each chain in
order, a user-defined chain's ``ERROR`` head naming it, the rules, and a
final standard entry (the built-in chain's policy, or RETURN); then one
``ERROR`` entry named ``ERROR``. Jumps are byte offsets of the first entry
after the target chain's head. ``decode_table(encode_table(t)) == t`` and
``encode_table(decode_table(b)).blob == b`` for every blob in this layout;
anything else raises ``DecodeError`` naming the offset of the entry at
fault. The walk always advances, so corrupted input ends in an error, never
a loop or a crash.
"""

import struct

from sockctl.abi.ip6_tables import IP6T_F_GOTO
from sockctl.abi.ip_tables import IPT_F_GOTO
from sockctl.abi.x_tables import NF_INET_NUMHOOKS, NFPROTO_IPV4, NFPROTO_IPV6, XT_ALIGN
from sockctl.errors import DecodeError
from sockctl.netfilter.model import (
    ACCEPT, DROP, RETURN, ZERO, Chain, Counters, Fallthrough, IPv4Header, IPv6Header, Jump, Match, Rule,
    Table, Target, Verdict,
)
from sockctl.record import Record

HOOK_NAMES = ("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING")

# xt_entry_match / xt_entry_target header: size, name[29], revision.
_EXT = struct.Struct("=H29sB")
EXT_HEADER = _EXT.size
STANDARD_SIZE = XT_ALIGN(EXT_HEADER + 4)       # xt_standard_target
ERROR_SIZE = XT_ALIGN(EXT_HEADER + 30)         # xt_error_target
_VERDICT = struct.Struct("=i4x")
STANDARD_HEAD = _EXT.pack(STANDARD_SIZE, b"", 0)  # xt_standard_target's header; the verdict follows
_U16 = struct.Struct("=H")
_OFFSETS = struct.Struct("=HH")  # an entry's target_offset and next_offset
_ERRORNAME = struct.Struct("=30s2x")


class Layout:
    """How one family's entry header is laid out, and its typed view."""

    def __init__(self, family: int, header_class, tail_format: str, goto_flag: int):
        self.family = family
        self.header_class = header_class
        header_format = header_class._struct.format.lstrip("=")
        self.header = struct.Struct("=" + header_format)  # the ipt_ip / ip6t_ip6 part
        self.entry = struct.Struct("=" + header_format + tail_format)
        self.size = self.entry.size
        self.goto_flag = goto_flag
        self.zero_header = bytes(self.header.size)
        self.tail = struct.Struct("=" + tail_format)
        self.tail_offset = self.header.size
        # nfcache, target_offset, next_offset, comefrom, packets, bytes
        self.pack_tail = self.tail.pack


# ipt_ip: src dst smsk dmsk iniface outiface iniface_mask outiface_mask proto flags invflags;
# then nfcache, target_offset, next_offset, comefrom, counters.
IPV4 = Layout(NFPROTO_IPV4, IPv4Header, "IHHIQQ", IPT_F_GOTO)
# ip6t_ip6 adds tos before flags and 3 bytes of padding; 4 more before the counters.
IPV6 = Layout(NFPROTO_IPV6, IPv6Header, "IHHI4xQQ", IP6T_F_GOTO)
LAYOUTS = {NFPROTO_IPV4: IPV4, NFPROTO_IPV6: IPV6}


class Encoded(Record):
    """A table as SO_SET_REPLACE wants it: the entries blob and where each hook starts and ends."""

    blob: bytes
    num_entries: int
    hook_entry: tuple
    underflow: tuple


def _text(raw: bytes, what: str, offset: int) -> str:
    """A NUL-terminated, NUL-padded name field as text."""
    name, nul, rest = raw.partition(b"\0")
    if not nul or rest.strip(b"\0"):
        raise DecodeError(f"{what} is not a NUL-padded name", offset)
    try:
        return name.decode("ascii")
    except UnicodeDecodeError:
        raise DecodeError(f"{what} is not ASCII", offset) from None


def _name_field(name: str, size: int, what: str) -> bytes:
    raw = name.encode("ascii")
    if len(raw) >= size:
        raise ValueError(f"{what} {name!r} is longer than {size - 1} bytes")
    return raw


# --- matches and targets --------------------------------------------------------------

def encode_extension(name: str, revision: int, data: bytes) -> bytes:
    """An xt_entry_match / xt_entry_target: header and payload (which must be XT_ALIGN'ed)."""
    if len(data) % 8:
        raise ValueError(f"payload of {name} is {len(data)} bytes, not a multiple of 8")
    return _EXT.pack(EXT_HEADER + len(data), _name_field(name, 29, "extension name"), revision) + data


def encode_target(target) -> bytes:
    """The xt_entry_target of an extension target or a verdict (jumps and fall-throughs need their offsets)."""
    if isinstance(target, Target):
        return encode_extension(target.name, target.revision, target.data)
    if isinstance(target, Verdict):
        return STANDARD_HEAD + _VERDICT.pack(target.verdict)
    raise ValueError(f"{target!r} is not a rule's target")


def _error_entry(layout: Layout, name: str) -> bytes:
    target = _EXT.pack(ERROR_SIZE, b"ERROR", 0) + _ERRORNAME.pack(_name_field(name, 30, "chain name"))
    size = layout.size + ERROR_SIZE
    return layout.zero_header + layout.pack_tail(0, layout.size, size, 0, 0, 0) + target


def error_entry(layout: Layout, name: str) -> bytes:
    """The whole entry heading user-defined chain NAME (or, named ERROR, ending the table), as encoded."""
    return _error_entry(layout, name)


# --- encode -----------------------------------------------------------------------------

def encode_table(table: Table) -> Encoded:
    """The SO_SET_REPLACE entries for TABLE, as libiptc lays them out.

    One pass lays out every entry (a jump's verdict, the offset of a chain
    that may come later, is filled in afterwards). Matches and targets are
    encoded once per object: tables share them between rules.
    """
    layout = LAYOUTS[table.family]
    size, header_class, pack_tail = layout.size, layout.header_class, layout.pack_tail
    head_size = size + ERROR_SIZE
    foot_size = size + STANDARD_SIZE
    encoded = {}    # id of a Match, Target or Verdict -> its bytes (the table keeps each alive meanwhile)
    starts = {}     # user-defined chain -> offset of its first rule
    jumps = []      # (index in parts, chain) of jump targets to fill in
    parts, offset, count = [], 0, 0
    hook_entry = [0] * NF_INET_NUMHOOKS
    underflow = [0] * NF_INET_NUMHOOKS
    for chain in table.chains:
        if chain.builtin:
            hook_entry[chain.hook] = offset
        else:
            parts.append(_error_entry(layout, chain.name))
            offset += head_size
            count += 1
            starts[chain.name] = offset
        for rule in chain.rules:
            header = rule.header
            if type(header) is not header_class:
                raise ValueError("a rule's header does not match the table's family")
            matches = b""
            for match in rule.matches:
                raw = encoded.get(id(match))
                if raw is None:
                    raw = encoded[id(match)] = encode_extension(match.name, match.revision, match.data)
                matches += raw
            target_offset = size + len(matches)
            target = rule.target
            kind = type(target)
            if kind is Jump:
                target_bytes = None
                next_offset = target_offset + STANDARD_SIZE
            else:
                if kind is Fallthrough:
                    target_bytes = STANDARD_HEAD + _VERDICT.pack(offset + target_offset + STANDARD_SIZE)
                else:
                    target_bytes = encoded.get(id(target))
                    if target_bytes is None:
                        target_bytes = encoded[id(target)] = encode_target(target)
                next_offset = target_offset + len(target_bytes)
            if next_offset > 0xFFFF:
                raise ValueError(f"a rule of {next_offset} bytes does not fit in an entry")
            counters = rule.counters
            parts += (header.raw, pack_tail(rule.nfcache, target_offset, next_offset, rule.comefrom, counters.packets,
                                            counters.bytes), matches, target_bytes)
            if target_bytes is None:
                jumps.append((len(parts) - 1, target.chain))
            offset += next_offset
            count += 1
        if chain.builtin:
            underflow[chain.hook] = offset
            if chain.policy is None:
                raise ValueError(f"built-in chain {chain.name} has no policy")
            verdict = chain.policy.verdict
        else:
            verdict = RETURN
        counters = chain.counters
        parts.append(layout.zero_header + pack_tail(0, size, foot_size, chain.foot_comefrom, counters.packets,
                                                    counters.bytes) + STANDARD_HEAD + _VERDICT.pack(verdict))
        offset += foot_size
        count += 1
    parts.append(_error_entry(layout, "ERROR"))
    count += 1
    for index, name in jumps:
        if name not in starts:
            raise ValueError(f"jump to chain {name!r}, which the table does not have")
        parts[index] = STANDARD_HEAD + _VERDICT.pack(starts[name])
    return Encoded(b"".join(parts), count, tuple(hook_entry), tuple(underflow))


# --- decode -----------------------------------------------------------------------------

def decode_table(family: int, name: str, valid_hooks: int, hook_entry, underflow, blob: bytes) -> Table:
    """The Table in BLOB, the entries of IPT_SO_GET_ENTRIES (or IP6T_) with the geometry of GET_INFO."""
    layout = LAYOUTS.get(family)
    if layout is None:
        raise ValueError(f"no x_tables layout for family {family}")
    hooks = {hook_entry[h]: h for h in range(NF_INET_NUMHOOKS) if valid_hooks & (1 << h)}
    if len(hooks) != bin(valid_hooks & 0x1F).count("1"):
        raise DecodeError("two hooks enter the table at the same entry")
    walk = _Walk(layout, blob, hooks)
    walk.run()
    targets = {start: chain for chain, start in walk.starts.items()}
    chains = []
    for chain_name, hook, rules, foot in walk.chains:
        for index, at, destination in walk.jumps.get(chain_name, ()):
            jump_to = targets.get(destination)
            if jump_to is None:
                raise DecodeError(f"jump to offset {destination}, which starts no user-defined chain", at)
            rule = rules[index]
            rules[index] = Rule(rule.header, rule.matches, _jump(jump_to), rule.counters, rule.comefrom,
                                rule.nfcache)
        chains.append(_chain(layout, chain_name, hook, rules, foot, underflow))
    return Table(name, family, valid_hooks, tuple(chains))


def outline(family: int, name: str, valid_hooks: int, hook_entry, underflow, blob: bytes):
    """The table's chains without their rules, and each chain's entry index of its final entry.

    Enough for a restore that replaces every rule, at a fraction of a full
    decode's cost: the walk reads each entry's offsets and names only, and
    decodes the built-in chains' policy entries.
    """
    layout = LAYOUTS[family]
    size = layout.size
    at = layout.tail_offset + 4  # target_offset, next_offset
    unpack_offsets = _OFFSETS.unpack_from
    end = len(blob)
    feet, users = {}, []
    offset = index = 0
    starts = {underflow[h]: h for h in range(NF_INET_NUMHOOKS) if valid_hooks & (1 << h)}
    while offset < end:
        if offset + size > end:
            raise DecodeError("truncated entry header", offset)
        target_offset, next_offset = unpack_offsets(blob, offset + at)
        if target_offset < size or next_offset < target_offset + EXT_HEADER or next_offset & 7 \
                or offset + next_offset > end:
            raise DecodeError(f"entry offsets {target_offset}/{next_offset} do not fit", offset)
        if blob.startswith(b"ERROR\0", offset + target_offset + 2):
            if next_offset - target_offset != ERROR_SIZE:
                raise DecodeError("malformed ERROR target", offset)
            users.append(_text(_ERRORNAME.unpack_from(blob, offset + target_offset + EXT_HEADER)[0],
                               "chain name", offset))
        if offset in starts:
            feet[starts.pop(offset)] = (offset, index)
        offset += next_offset
        index += 1
    if starts:
        raise DecodeError("an underflow is not the start of an entry", min(starts))
    chains = []
    for hook in sorted(feet):
        foot, foot_index = feet[hook]
        foot_size = unpack_offsets(blob, foot + at)[1]
        only = _only(hook)
        table = decode_table(family, name, 1 << hook, only, only, blob[foot:foot + foot_size] +
                             _error_entry(layout, "ERROR"))
        chain = table.chains[0]
        chains.append((Chain(HOOK_NAMES[hook], (), hook, chain.policy, chain.counters, chain.foot_comefrom),
                       foot_index))
    return Table(name, family, valid_hooks, tuple(c for c, _ in chains)), \
        {c.name: i for c, i in chains}, users[:-1]  # the last ERROR entry ends the table


def _only(hook: int) -> tuple:
    return tuple(0 if h == hook else 0xFFFFFFFF for h in range(NF_INET_NUMHOOKS))


def _chain(layout: Layout, name: str, hook, rules: list, foot: tuple, underflow) -> Chain:
    at, rule = foot
    if rule.matches or rule.header.raw != layout.zero_header or rule.nfcache:
        raise DecodeError(f"the final entry of chain {name!r} is not unconditional", at)
    verdict = rule.target
    if not isinstance(verdict, Verdict):
        raise DecodeError(f"the final entry of chain {name!r} has no standard verdict", at)
    if hook is None:
        if verdict.verdict != RETURN:
            raise DecodeError(f"user-defined chain {name!r} does not end with RETURN", at)
        verdict = None
    else:
        if verdict.verdict not in (ACCEPT, DROP):
            raise DecodeError(f"the policy of {name} is neither ACCEPT nor DROP", at)
        if underflow[hook] != at:
            raise DecodeError(f"the underflow of {name} is not its final entry", at)
    return Chain(name, tuple(rules), hook, verdict, rule.counters, rule.comefrom)


_jumps: dict = {}


def _jump(name: str) -> Jump:
    jump = _jumps.get(name)
    if jump is None:
        jump = _jumps[name] = Jump(name)
    return jump


class _Walk:
    """One pass over the entries: chains with their rules, user chain starts, jumps to resolve.

    Equal headers, matches and targets are decoded once and shared.
    """

    def __init__(self, layout: Layout, blob: bytes, hooks: dict):
        self.layout, self.blob, self.hooks = layout, blob, hooks
        self.chains = []   # (name, hook, rules, (offset, foot rule))
        self.starts = {}   # user chain name -> offset of its first rule
        self.jumps = {}    # chain name -> [(rule index, offset, destination)]

    def run(self) -> None:
        layout, blob, hooks = self.layout, self.blob, self.hooks
        end = len(blob)
        size = layout.size
        unpack_tail = layout.tail.unpack_from
        tail_at = layout.tail_offset
        header_class = layout.header_class
        # Matches and targets apart: a match and a target can have the very same bytes.
        headers, extensions, targets, verdicts = {}, {}, {}, {}
        v6 = layout is IPV6
        chain_name = hook = rules = None
        offsets = []
        offset = 0
        while offset < end:
            if offset + size > end:
                raise DecodeError("truncated entry header", offset)
            nfcache, target_offset, next_offset, comefrom, packets, nbytes = unpack_tail(blob, offset + tail_at)
            if target_offset < size or next_offset < target_offset + EXT_HEADER or next_offset & 7 \
                    or offset + next_offset > end:
                raise DecodeError(f"entry offsets {target_offset}/{next_offset} do not fit", offset)
            if v6 and blob[offset + 148:offset + 152] != b"\0\0\0\0":
                raise DecodeError("padding of the entry header is not zero", offset)
            raw = blob[offset:offset + tail_at]
            header = headers.get(raw)
            if header is None:
                header = headers[raw] = header_class(raw)
            matches = ()
            if target_offset > size:
                at = offset + size
                match_size = _U16.unpack_from(blob, at)[0]
                if match_size == target_offset - size and match_size >= EXT_HEADER and not match_size & 7:
                    # one match, the usual case: looked up whole
                    raw_match = blob[at:at + match_size]
                    match = extensions.get(raw_match)
                    if match is None:
                        match = extensions[raw_match] = _new_match(raw_match, offset)
                    matches = (match,)
                else:
                    matches = self._matches(offset, at, offset + target_offset, extensions)
            start = offset + target_offset
            stop = offset + next_offset
            jump = None
            if blob[start:start + EXT_HEADER] == STANDARD_HEAD and stop - start == STANDARD_SIZE \
                    and blob[stop - 4:stop] == b"\0\0\0\0":
                # the standard target, well formed: a verdict or a jump
                verdict = _VERDICT.unpack_from(blob, start + EXT_HEADER)[0]
                if verdict < 0:
                    target = verdicts.get(verdict)
                    if target is None:
                        target = verdicts[verdict] = Verdict(verdict)
                elif verdict == stop:
                    target = _FALLTHROUGH
                else:
                    jump, target = verdict, None
            elif blob[start + 2] == 0:
                self._standard(offset, start, stop, verdicts)  # malformed: raises
            else:
                target = self._extension(offset, start, stop, targets)
                if type(target) is str:  # an ERROR entry: a chain head, or the end
                    if matches or raw != layout.zero_header or nfcache or comefrom or packets or nbytes:
                        raise DecodeError("an ERROR entry carries conditions or counters", offset)
                    if chain_name is not None:
                        self._close(chain_name, hook, rules, offsets, offset)
                        chain_name = None
                    if stop == end:
                        if target != "ERROR":
                            raise DecodeError(f"the last entry names {target!r}, not ERROR", offset)
                        if hooks:
                            raise DecodeError(f"hook entry point {min(hooks)} is not the start of a chain",
                                              min(hooks))
                        return
                    if target in self.starts or target in HOOK_NAMES:
                        raise DecodeError(f"chain name {target!r} appears twice", offset)
                    self.starts[target] = stop
                    chain_name, hook, rules, offsets = target, None, [], []
                    offset = stop
                    continue
            if offset in hooks:
                if chain_name is not None:
                    self._close(chain_name, hook, rules, offsets, offset)
                hook = hooks.pop(offset)
                chain_name, rules, offsets = HOOK_NAMES[hook], [], []
            elif chain_name is None:
                raise DecodeError("entry outside any chain", offset)
            if jump is not None:
                self.jumps.setdefault(chain_name, []).append((len(rules), offset, jump))
            counters = ZERO if not packets and not nbytes else Counters(packets, nbytes)
            rules.append(Rule(header, matches, target, counters, comefrom, nfcache))
            offsets.append(offset)
            offset = stop
        raise DecodeError("the table does not end with an ERROR entry", offset)

    def _close(self, name, hook, rules, offsets, offset) -> None:
        if not rules:
            raise DecodeError(f"chain {name!r} has no final policy or RETURN entry", offset)
        jumps = self.jumps.get(name, ())
        if jumps and jumps[-1][0] == len(rules) - 1:
            raise DecodeError(f"the final entry of chain {name!r} jumps", offsets[-1])
        self.chains.append((name, hook, rules, (offsets.pop(), rules.pop())))

    def _matches(self, entry: int, at: int, end: int, extensions: dict) -> tuple:
        blob, matches = self.blob, []
        while at < end:
            if at + EXT_HEADER > end:
                raise DecodeError(f"truncated match at entry offset {at - entry}", entry)
            match_size = _U16.unpack_from(blob, at)[0]
            if match_size < EXT_HEADER or match_size & 7 or at + match_size > end:
                raise DecodeError(f"match size {match_size} at entry offset {at - entry} does not fit", entry)
            raw = blob[at:at + match_size]
            match = extensions.get(raw)
            if match is None:
                match = extensions[raw] = _new_match(raw, entry)
            matches.append(match)
            at += match_size
        return tuple(matches)

    def _standard(self, entry: int, start: int, stop: int, verdicts: dict):
        """The Verdict or Fallthrough of a standard target, or the offset it jumps to."""
        blob = self.blob
        target_size, name, revision = _EXT.unpack_from(blob, start)
        if target_size != STANDARD_SIZE or stop - start != STANDARD_SIZE or revision or name.strip(b"\0") \
                or blob[stop - 4:stop] != b"\0\0\0\0":
            raise DecodeError("malformed standard target", entry)
        verdict = _VERDICT.unpack_from(blob, start + EXT_HEADER)[0]
        if verdict >= 0:
            return _FALLTHROUGH if verdict == stop else verdict
        target = verdicts.get(verdict)
        if target is None:
            target = verdicts[verdict] = Verdict(verdict)
        return target

    def _extension(self, entry: int, start: int, stop: int, extensions: dict):
        """The Target of an extension, or the chain name of an ERROR target (a str)."""
        blob = self.blob
        raw = blob[start:stop]
        target = extensions.get(raw)
        if target is not None:
            return target
        target_size, name, revision = _EXT.unpack_from(raw)
        if target_size != stop - start:
            raise DecodeError(f"target size {target_size} does not end the entry", entry)
        text = _text(name, "target name", entry)
        if text == "ERROR":
            if target_size != ERROR_SIZE or revision or raw[-2:] != b"\0\0":
                raise DecodeError("malformed ERROR target", entry)
            return _text(_ERRORNAME.unpack_from(raw, EXT_HEADER)[0], "chain name", entry)
        target = extensions[raw] = Target(text, revision, raw[EXT_HEADER:])
        return target


def _new_match(raw: bytes, entry: int) -> Match:
    """The Match of a whole xt_entry_match not met before (its entry at offset ENTRY)."""
    name = raw[2:31]
    text = _names.get(name)
    if text is None:
        text = _names[name] = _text(name, "match name", entry)
    return Match(text, raw[31], raw[EXT_HEADER:])


_FALLTHROUGH = Fallthrough()
_names: dict = {}  # name fields seen -> their text
