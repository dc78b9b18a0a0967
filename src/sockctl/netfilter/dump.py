"""iptables-save text straight from a table's blob, without building the typed model.

``save_blob`` reads the entries once and writes each rule's line from text
cached by the bytes it stands for (``text.Shared``): a header's address
part, the run of matches, the target. Only bytes not seen before reach the
extension codecs. The walk checks what ``codec.decode_table`` checks; at
the first thing it does not expect, it hands the blob to the full decoder,
which prints the table the long way or raises its ``DecodeError``. Either
way the text is exactly ``text.save_table(codec.decode_table(...))``.
"""

import struct

from sockctl.errors import DecodeError
from sockctl.netfilter import codec, extensions
from sockctl.netfilter.codec import ERROR_SIZE, EXT_HEADER, HOOK_NAMES, LAYOUTS, STANDARD_HEAD, STANDARD_SIZE
from sockctl.netfilter.model import ACCEPT, DROP, RETURN, VERDICT_NAMES
from sockctl.netfilter.text import UNSUPPORTED, save_table

_ERROR_HEAD = struct.pack("=H29sB", ERROR_SIZE, b"ERROR", 0)
_ENTRY4 = struct.Struct("=16s68s4xHH")  # ipt_entry: addresses, the rest of ipt_ip, target_offset, next_offset
_ENTRY6 = struct.Struct("=64s72s4xHH")  # ip6t_entry: the same of ip6t_ip6
_VERDICT = struct.Struct("=i")
_U16 = struct.Struct("=H")
_ZERO4 = bytes(4)


class _Unusual(Exception):
    """Something the quick walk does not handle: the full decoder takes over."""


def save_blob(family: int, name: str, info, blob: bytes, counters: bool, fmt) -> str:
    """The iptables-save body of table NAME (``*name`` to ``COMMIT``) from its GET_INFO and GET_ENTRIES."""
    try:
        return _Walk(family, info, blob, fmt).text(name, counters)
    except (_Unusual, DecodeError, struct.error):  # the decoder says what is wrong first
        table = codec.decode_table(family, name, info.valid_hooks, info.hook_entry, info.underflow, blob)
        return save_table(table, counters, fmt)


class _Walk:
    def __init__(self, family, info, blob, fmt):
        self.layout = LAYOUTS[family]
        self.info, self.blob, self.fmt = info, blob, fmt
        self.chains = []  # (name, hook, lines, offset of the final entry)
        self.starts = {}  # offset of a user chain's first rule -> its name
        self.names = set(HOOK_NAMES)
        self.jumps = []   # (lines, index, destination, goto) of rules that jump

    def text(self, name: str, counters: bool) -> str:
        self._walk(counters)
        by_start = self.starts
        for lines, index, destination, goto in self.jumps:
            chain = by_start.get(destination)
            if chain is None:
                raise _Unusual
            lines[index] += (" -g " if goto else " -j ") + chain + "\n"
        builtin = [c for c in self.chains if c[1] is not None]
        user = sorted((c for c in self.chains if c[1] is None), key=lambda c: c[0].encode("latin-1"))
        out = [f"*{name}\n"]
        for chain, hook, lines, foot in builtin + user:
            verdict, packets, nbytes = self._foot(hook, foot)
            lines.pop()  # the final entry prints as the chain's line, not as a rule
            out.append(f":{chain} - [0:0]\n" if hook is None else
                       f":{chain} {VERDICT_NAMES[verdict]} [{packets}:{nbytes}]\n")
        for chains in (builtin, user):
            for _, _, lines, _ in chains:
                out += lines
        out.append("COMMIT\n")
        return "".join(out)

    def _foot(self, hook, at) -> tuple:
        """The verdict and counters of a chain's final entry, which must be a plain policy or RETURN."""
        if at is None:
            raise _Unusual  # a chain without entries
        layout, blob = self.layout, self.blob
        nfcache, target_offset, next_offset, _, packets, nbytes = layout.tail.unpack_from(blob, at + layout.tail_offset)
        start = at + target_offset
        if nfcache or target_offset != layout.size or blob[at:at + layout.header.size] != layout.zero_header \
                or blob[start:start + EXT_HEADER] != STANDARD_HEAD:
            raise _Unusual
        verdict = _VERDICT.unpack_from(blob, start + EXT_HEADER)[0]
        if verdict not in ((RETURN,) if hook is None else (ACCEPT, DROP)):
            raise _Unusual
        if hook is not None and self.info.underflow[hook] != at:
            raise _Unusual
        return verdict, packets, nbytes

    def _walk(self, counters: bool) -> None:
        layout, blob, fmt = self.layout, self.blob, self.fmt
        info = self.info
        hooks = {info.hook_entry[h]: h for h in range(len(HOOK_NAMES)) if info.valid_hooks & (1 << h)}
        if len(hooks) != bin(info.valid_hooks & 0x1F).count("1"):
            raise _Unusual
        end = len(blob)
        size = layout.size
        tail_at = layout.tail_offset
        # The header's addresses and the rest of it, target_offset and next_offset: one call an entry
        # (an entry cut short fails it, or its next_offset runs past the end).
        unpack_entry = (_ENTRY4 if fmt.v4 else _ENTRY6).unpack_from
        unpack_tail = layout.tail.unpack_from
        rests = fmt.rests
        v6 = not fmt.v4
        chains, jumps = self.chains, self.jumps
        chain = lines = foot = hook = None
        prefix = ""
        offset = 0
        while offset < end:
            addresses, rest, target_offset, next_offset = unpack_entry(blob, offset)
            stop = offset + next_offset
            if target_offset < size or next_offset < target_offset + EXT_HEADER or next_offset & 7 or stop > end:
                raise _Unusual
            if v6 and blob[offset + 148:offset + 152] != _ZERO4:
                raise _Unusual
            kind = rests.get(rest)
            if kind is None:
                kind = rests[rest] = fmt.header_rest(rest)
            shared = kind[1]
            start = offset + target_offset
            target = blob[start:stop]
            target_text = shared.targets.get(target)
            if target_text is None:
                if target[:EXT_HEADER] == STANDARD_HEAD and next_offset - target_offset == STANDARD_SIZE \
                        and target[36:] == _ZERO4:
                    verdict = _VERDICT.unpack_from(target, EXT_HEADER)[0]
                    if verdict < 0:
                        name = VERDICT_NAMES.get(verdict) or f"verdict {verdict}"
                        target_text = shared.targets[target] = (" -g " if shared.goto else " -j ") + name + "\n"
                    elif verdict == stop:
                        target_text = "\n"  # no -j: the verdict is the next entry (not cached: it is an offset)
                    # else a jump: filled in once every chain's start is known
                elif target[2] == 0 or _U16.unpack_from(target)[0] != next_offset - target_offset:
                    raise _Unusual  # a malformed standard target, or a size that does not end the entry
                elif target[:EXT_HEADER] == _ERROR_HEAD:
                    if chain is not None:
                        chains.append((chain, hook, lines, foot))
                        chain = None
                    if stop == end:
                        self._end(offset, target, hooks)
                        return
                    chain = self._head(offset, target)
                    self.starts[stop] = chain
                    hook, lines, foot = None, [], None
                    prefix = "-A " + chain
                    offset = stop
                    continue
                else:
                    target_text = shared.targets[target] = self._target(target, shared) + "\n"
            if offset in hooks:
                if chain is not None:
                    chains.append((chain, hook, lines, foot))
                hook = hooks.pop(offset)
                chain, lines = HOOK_NAMES[hook], []
                prefix = "-A " + chain
            elif chain is None:
                raise _Unusual
            line = shared.addresses.get(addresses)
            if line is None:
                line = shared.addresses[addresses] = fmt.address_text(addresses, shared.inv)
            if counters:
                packets, nbytes = unpack_tail(blob, offset + tail_at)[4:]
                line = f"[{packets}:{nbytes}] {prefix}{line}{kind[0]}"
            else:
                line = prefix + line + kind[0]
            if target_offset > size:
                matches = blob[offset + size:start]
                text = shared.matches.get(matches)
                if text is None:
                    text = shared.matches[matches] = self._matches(matches, shared)
                line += text
            if target_text is None:
                jumps.append((lines, len(lines), _VERDICT.unpack_from(target, EXT_HEADER)[0], shared.goto))
                lines.append(line)
            else:
                lines.append(line + target_text)
            foot = offset
            offset = stop
        raise _Unusual  # no final ERROR entry

    def _matches(self, raw: bytes, shared) -> str:
        """The text of a run of matches, each checked as the decoder checks it (and cached on its own)."""
        if _U16.unpack_from(raw)[0] == len(raw):
            return self._match(raw, shared)
        cache, at, end, out = shared.matches, 0, len(raw), []
        while at < end:
            if at + EXT_HEADER > end:
                raise _Unusual
            match_size = _U16.unpack_from(raw, at)[0]
            if at + match_size > end:
                raise _Unusual  # (a size too small or unaligned is refused by _match)
            match = raw[at:at + match_size]
            text = cache.get(match)
            if text is None:
                text = cache[match] = self._match(match, shared)
            out.append(text)
            at += match_size
        return "".join(out)

    def _match(self, raw: bytes, shared) -> str:
        """The text of one match, RAW being its whole xt_entry_match."""
        if len(raw) < EXT_HEADER or len(raw) & 7:
            raise _Unusual
        name, ext = self._codec(self.fmt.match_codecs, "match", raw[2:EXT_HEADER])
        return f" -m {name}{UNSUPPORTED}" if ext is None else ext.save_payload(raw[EXT_HEADER:], shared.ctx)

    def _target(self, raw: bytes, shared) -> str:
        name, ext = self._codec(self.fmt.target_codecs, "target", raw[2:EXT_HEADER])
        if name == "ERROR":
            raise _Unusual  # an ERROR target of the wrong size or revision
        return f" -j {name}{UNSUPPORTED}" if ext is None else ext.save_payload(raw[EXT_HEADER:], shared.ctx)

    def _codec(self, cache: dict, kind: str, field: bytes) -> tuple:
        """(name, codec or None) of an extension's name and revision field, the name checked once."""
        found = cache.get(field)
        if found is None:
            name = _name(field[:29])
            found = cache[field] = (name, extensions.for_payload(kind, name, field[29], self.fmt.family))
        return found

    def _error_entry(self, offset: int, target: bytes) -> str:
        """The chain name of an ERROR entry, which carries nothing else."""
        layout, blob = self.layout, self.blob
        nfcache, target_offset, _, comefrom, packets, nbytes = layout.tail.unpack_from(blob, offset + layout.tail_offset)
        if nfcache or comefrom or packets or nbytes or target_offset != layout.size \
                or blob[offset:offset + layout.header.size] != layout.zero_header \
                or len(target) != ERROR_SIZE or target[-2:] != b"\0\0":
            raise _Unusual
        return _name(target[EXT_HEADER:EXT_HEADER + 30])

    def _head(self, offset: int, target: bytes) -> str:
        name = self._error_entry(offset, target)
        if name in self.names:
            raise _Unusual
        self.names.add(name)
        return name

    def _end(self, offset: int, target: bytes, hooks: dict) -> None:
        if self._error_entry(offset, target) != "ERROR" or hooks:
            raise _Unusual


def _name(raw: bytes) -> str:
    """A NUL-terminated, NUL-padded ASCII name (as the decoder requires it)."""
    name, nul, rest = raw.partition(b"\0")
    if not nul or rest.strip(b"\0") or not name.isascii():
        raise _Unusual
    return name.decode("ascii")
