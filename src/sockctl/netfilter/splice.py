"""One rule into a table's blob, without decoding and encoding the whole table.

``-A`` and ``-I`` change one chain by one entry. Instead of decoding every
rule and laying the table out again, ``insert`` walks the blob once over
the entries' offsets, finds the chain's bounds, and splices the one new
entry in: what follows it moves by its size, and so do the hook entry
points, the underflows and every standard verdict pointing past it (jumps
to user-defined chains and fall-throughs are byte offsets). The result is
byte for byte what ``codec.encode_table`` gives for the same change made
through ``edit.TableEdit``; the counters for SO_SET_ADD_COUNTERS are the
ones ``TableEdit.new_counters`` gives (existing rules keep theirs).

The walk checks the layout it relies on: libiptc's order of chains
(built-in ones first, user-defined ones sorted by name), their ERROR heads,
their final entries, hook entry points and underflows, and every standard
target and jump. Anything else raises ``Unusual``, and the caller takes the
full path, which decodes the table (and says what is wrong with it). The
contents of matches and extension targets are copied as the kernel gave
them; the kernel checks them again when the table is replaced.

A splice also knows the layout of the table it wrote. When the next read
gives back exactly those bytes, but for the new entry's ``comefrom`` (which
the kernel fills in), ``insert`` takes that layout instead of walking the
table again; once packets were counted in between, it walks.
"""

import struct
from bisect import bisect_left
from itertools import pairwise

from sockctl.abi.x_tables import NF_INET_NUMHOOKS
from sockctl.netfilter import codec
from sockctl.netfilter.codec import EXT_HEADER, HOOK_NAMES, LAYOUTS, STANDARD_HEAD, STANDARD_SIZE
from sockctl.netfilter.edit import NO_CHAIN, TableError
from sockctl.netfilter.model import ACCEPT, DROP, RETURN, Chain, Fallthrough, Jump, Table, Verdict


_OFFSETS = struct.Struct("=HH")   # an entry's target_offset and next_offset
_VERDICT = struct.Struct("=i")
_ERROR_NAME = b"ERROR\0"
_PAD = bytes(4)
_COUNTER = struct.Struct("=QQ")  # struct xt_counters
_NONE = bytes(_COUNTER.size)
_U64 = (1 << 64) - 1
# The whole standard target of the usual verdicts, which the walk need only recognise.
_VERDICTS = frozenset(STANDARD_HEAD + _VERDICT.pack(verdict) + _PAD for verdict in (ACCEPT, DROP, RETURN))


class Unusual(Exception):
    """A table or change the splice does not handle: take the full path."""


class Spliced:
    """The replace a splice makes: ``encoded`` for SO_SET_REPLACE, ``new_counters`` for SO_SET_ADD_COUNTERS."""

    __slots__ = ("_at", "_counters", "_family", "_grow", "_index", "_next", "_outline", "_verdict", "encoded")

    def __init__(self, family: int, encoded, outline, index: int, at: int, grow: int, verdict: bool, counters):
        self.encoded, self._family, self._outline = encoded, family, outline
        self._index, self._at, self._grow, self._verdict, self._counters = index, at, grow, verdict, counters
        self._next = None

    def new_counters(self, old) -> bytes:
        """What to add to each entry (struct xt_counters, packed), given the old ones the replace handed back."""
        outline = self._outline
        out = bytearray(memoryview(old)[:_COUNTER.size * (self.encoded.num_entries - 1)])
        # chain heads, user-defined chains' RETURN and the final ERROR add nothing
        for index in (*outline.user_heads, *outline.user_feet, len(outline.offsets) - 1):
            out[index * 16:index * 16 + 16] = _NONE
        for index, packets, nbytes in outline.policies:  # a policy keeps what was counted since the read
            was_packets, was_bytes = _COUNTER.unpack_from(old, index * 16)
            _COUNTER.pack_into(out, index * 16, (was_packets - packets) & _U64, (was_bytes - nbytes) & _U64)
        out[self._index * 16:self._index * 16] = _COUNTER.pack(*self._counters)
        return bytes(out)

    def outline_of(self, family: int, info, blob: bytes):
        """The outline of BLOB when it is the table this splice wrote, as read back; else None.

        The kernel hands the table back with its own counters and the new
        entry's ``comefrom`` (the hooks that reach it); when nothing else
        differs, the table is the one written and its layout is known.
        """
        encoded = self.encoded
        written = encoded.blob
        if family != self._family or len(blob) != len(written) or info.num_entries != encoded.num_entries:
            return None
        outline = self._outline
        if any(info.hook_entry[h] != encoded.hook_entry[h] or info.underflow[h] != encoded.underflow[h]
               for h in outline.hooks) or info.valid_hooks != outline.valid_hooks:
            return None
        comefrom = self._at + outline.layout.tail_offset + 8
        view = memoryview(written)
        if not blob.startswith(view[:comefrom]) or not blob.startswith(view[comefrom + 4:], comefrom + 4):
            return None
        if self._next is None:
            self._next = outline.shifted(self)
        self._next.blob = blob
        return self._next


class _Outline:
    """Where the entries and chains of a blob are: one pass over the entries' offsets."""

    def __init__(self, family: int, info, blob: bytes):
        layout = self.layout = LAYOUTS[family]
        self.blob = blob
        offsets = self.offsets = []
        self.verdicts = verdicts = []  # offsets of standard verdicts that are not negative
        heads = []                     # indices of the entries with an ERROR target
        add_offset, add_verdict, add_head = offsets.append, verdicts.append, heads.append
        unpack_offsets, unpack_verdict = _OFFSETS.unpack_from, _VERDICT.unpack_from
        starts_with = blob.startswith
        size = layout.size
        at = layout.tail_offset + 4
        padding = at + 8 if layout is codec.IPV6 else None  # ip6t_entry's 4 bytes before the counters
        end = len(blob)
        offset = 0
        try:
            while offset < end:
                add_offset(offset)
                target_offset, next_offset = unpack_offsets(blob, offset + at)
                stop = offset + next_offset
                start = offset + target_offset
                if blob[start:stop] in _VERDICTS and target_offset >= size and not next_offset & 7 \
                        and (padding is None or starts_with(_PAD, offset + padding)):
                    offset = stop  # the usual rule: ACCEPT, DROP or RETURN
                    continue
                if target_offset < size or next_offset < target_offset + EXT_HEADER or next_offset & 7 or stop > end:
                    raise Unusual
                if padding is not None and not starts_with(_PAD, offset + padding):
                    raise Unusual
                if starts_with(STANDARD_HEAD, start):
                    if stop - start != STANDARD_SIZE or not starts_with(_PAD, stop - 4):
                        raise Unusual
                    if unpack_verdict(blob, stop - 8)[0] >= 0:
                        add_verdict(stop - 8)
                elif blob[start + 2] == 0:  # a standard target's empty name, but not its header
                    raise Unusual
                elif starts_with(_ERROR_NAME, start + 2):
                    add_head(len(offsets) - 1)
                offset = stop
        except struct.error:
            raise Unusual from None
        self._chains(info, heads)

    def _chains(self, info, heads: list) -> None:
        """The chains in order: (name, hook, index of the first rule, index of the final entry)."""
        layout, blob, offsets = self.layout, self.blob, self.offsets
        last = len(offsets) - 1
        if not heads or heads[-1] != last or blob[offsets[last]:] != codec.error_entry(layout, "ERROR"):
            raise Unusual
        bounds = {index: None for index in heads}  # index of a chain's first entry -> its hook, or None
        self.valid_hooks = info.valid_hooks
        self.hook_entry = [0] * NF_INET_NUMHOOKS
        self.underflow = [0] * NF_INET_NUMHOOKS
        self.hooks = []
        for hook in range(NF_INET_NUMHOOKS):
            if info.valid_hooks & (1 << hook):
                self.hook_entry[hook], self.underflow[hook] = info.hook_entry[hook], info.underflow[hook]
                self.hooks.append(hook)
                index = bisect_left(offsets, info.hook_entry[hook])
                if index >= last or offsets[index] != info.hook_entry[hook] or index in bounds:
                    raise Unusual
                bounds[index] = hook
        order = sorted(bounds)
        if order[0] != 0:
            raise Unusual  # entries outside any chain
        self.chains = chains = {}
        self.policies = []   # (index, packets, bytes) of each built-in chain's final entry
        self.user_heads = []
        self.user_feet = []
        previous = None
        for index, next_index in pairwise(order):
            hook = bounds[index]
            foot = next_index - 1
            if hook is None:
                name = self._user_head(index)
                key = name.encode("latin-1")
                if previous is not None and key <= previous or name in HOOK_NAMES:
                    raise Unusual  # out of libiptc's order: the full path sorts the chains again
                previous = key
                first = index + 1
                self.user_heads.append(index)
                self.user_feet.append(foot)
            else:
                if previous is not None:
                    raise Unusual  # a built-in chain after a user-defined one
                name, first = HOOK_NAMES[hook], index
            if foot < first:
                raise Unusual
            self._foot(hook, foot)
            chains[name] = (hook, first, foot)
        starts = {offsets[first] for hook, first, _ in chains.values() if hook is None}
        for at in self.verdicts:
            verdict = _VERDICT.unpack_from(blob, at)[0]
            if verdict != at + 8 and verdict not in starts:  # neither a fall-through nor a jump to a chain
                raise Unusual

    def shifted(self, spliced: Spliced) -> "_Outline":
        """The outline of the table SPLICED wrote: this one, with its entry in."""
        index, at, grow = spliced._index, spliced._at, spliced._grow
        new = _Outline.__new__(_Outline)
        new.layout, new.blob = self.layout, spliced.encoded.blob
        new.valid_hooks, new.hooks = self.valid_hooks, self.hooks
        new.hook_entry, new.underflow = list(spliced.encoded.hook_entry), list(spliced.encoded.underflow)
        offsets = self.offsets
        new.offsets = offsets[:index] + [at] + [offset + grow for offset in offsets[index:]]
        new.verdicts = [where + grow if where > at else where for where in self.verdicts]
        if spliced._verdict:
            new.verdicts.append(at + grow - 8)
        new.chains = {name: (hook, first + 1 if first > index else first, foot + 1 if foot >= index else foot)
                      for name, (hook, first, foot) in self.chains.items()}
        new.user_heads = [head + 1 if head > index else head for head in self.user_heads]
        new.user_feet = [foot + 1 if foot >= index else foot for foot in self.user_feet]
        new.policies = [(foot + 1 if foot >= index else foot, packets, nbytes)
                        for foot, packets, nbytes in self.policies]
        return new

    def _user_head(self, index: int) -> str:
        blob, offset = self.blob, self.offsets[index]
        field = offset + self.layout.size + EXT_HEADER
        name, nul, _ = blob[field:field + 30].partition(b"\0")
        try:
            text = name.decode("ascii")
        except UnicodeDecodeError:
            raise Unusual from None
        if not text or not nul or blob[offset:self.offsets[index + 1]] != codec.error_entry(self.layout, text):
            raise Unusual
        return text

    def _foot(self, hook, index: int) -> None:
        """Check a chain's final entry: an unconditional policy or RETURN, as the decoder wants it."""
        layout, blob = self.layout, self.blob
        offset = self.offsets[index]
        nfcache, target_offset, next_offset, _, packets, nbytes = layout.tail.unpack_from(
            blob, offset + layout.tail_offset)
        start = offset + target_offset
        if nfcache or target_offset != layout.size or next_offset != layout.size + STANDARD_SIZE \
                or not blob.startswith(layout.zero_header, offset) or not blob.startswith(STANDARD_HEAD, start):
            raise Unusual
        verdict = _VERDICT.unpack_from(blob, start + EXT_HEADER)[0]
        if hook is None:
            if verdict != RETURN:
                raise Unusual
        elif verdict not in (ACCEPT, DROP) or self.underflow[hook] != offset:
            raise Unusual
        else:
            self.policies.append((index, packets, nbytes))


def walk(family: int, info, blob: bytes, previous: Spliced | None = None) -> _Outline:
    """The outline of the table INFO and BLOB describe; its ``chains`` hold the chains' names.

    Raises ``Unusual`` when the table is not in the layout the splice
    handles. PREVIOUS, the splice made last, spares the walk when BLOB is
    the table it wrote.
    """
    outline = previous.outline_of(family, info, blob) if previous is not None else None
    return _Outline(family, info, blob) if outline is None else outline


def insert(family: int, info, blob: bytes, chain: str, rule, position: int | None,
           previous: Spliced | None = None, outline: _Outline | None = None) -> Spliced:
    """RULE into chain CHAIN of the table INFO and BLOB describe, as rule POSITION (0-based; None: at the end).

    Raises ``TableError`` as ``TableEdit.insert`` and ``append`` do,
    ``ValueError`` as ``codec.encode_table`` does, and ``Unusual`` when the
    table is not in the layout the splice handles. PREVIOUS is as for
    ``walk``; OUTLINE, when given, is what ``walk`` made of this table.
    """
    if position is not None and position < 0:
        raise Unusual
    if outline is None:
        outline = walk(family, info, blob, previous)
    found = outline.chains.get(chain)
    if found is None:
        raise TableError(NO_CHAIN)
    _, first, foot = found
    if position is None:
        index = foot
    elif position > foot - first:
        raise TableError("Index of insertion too big")
    else:
        index = first + position
    target = rule.target
    if type(target) is Verdict and target.verdict >= 0:
        raise Unusual  # not a verdict the kernel takes; the full way says so
    if isinstance(target, Jump):
        jumped = outline.chains.get(target.chain)
        what = "Invalid argument" if position is None else "Target problem"
        if jumped is None:
            raise TableError(f"{NO_CHAIN} (jump to {target.chain!r})")
        if jumped[0] is not None:
            raise TableError(f"{what}: a rule cannot jump to the built-in chain {target.chain}")
    offsets = outline.offsets
    at = offsets[index]
    entry = _encode(outline.layout, family, rule)
    grow = len(entry)
    if isinstance(target, Jump):
        destination = offsets[outline.chains[target.chain][1]]
        entry = _with_verdict(entry, destination + grow if destination > at else destination)
    elif type(target) is Fallthrough:
        entry = _with_verdict(entry, at + grow)
    view = memoryview(blob)
    out = b"".join((view[:at], entry, view[at:]))  # one copy
    moved = [(where + grow if where > at else where, verdict + grow)
             for where, verdict in ((where, _VERDICT.unpack_from(blob, where)[0]) for where in outline.verdicts)
             if verdict > at]
    if moved:
        out = bytearray(out)
        for where, verdict in moved:
            _VERDICT.pack_into(out, where, verdict)
        out = bytes(out)
    hook_entry = tuple(e + grow if e > at else e for e in outline.hook_entry)
    underflow = tuple(u + grow if u >= at and h in outline.hooks else u for h, u in enumerate(outline.underflow))
    counters = rule.counters
    encoded = codec.Encoded(out, len(offsets) + 1, hook_entry, underflow)
    return Spliced(family, encoded, outline, index, at, grow, isinstance(target, Jump) or type(target) is Fallthrough,
                   (counters.packets, counters.bytes))


def _encode(layout, family: int, rule) -> bytes:
    """RULE's entry as ``codec.encode_table`` lays it out (a jump's or fall-through's verdict still to set)."""
    target = rule.target
    chains = [Chain(HOOK_NAMES[0], (rule,), 0, Verdict(ACCEPT))]
    if isinstance(target, Jump):
        chains.append(Chain(target.chain))
    blob = codec.encode_table(Table("", family, 1, tuple(chains))).blob
    return blob[:_OFFSETS.unpack_from(blob, layout.tail_offset + 4)[1]]


def _with_verdict(entry: bytes, verdict: int) -> bytes:
    return entry[:-8] + _VERDICT.pack(verdict) + _PAD
