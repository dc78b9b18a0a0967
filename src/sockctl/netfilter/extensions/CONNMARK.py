"""The CONNMARK target, revisions 1 and 2 (xt_connmark_tginfo1/2, libxt_CONNMARK).

    -j CONNMARK {--set-xmark V[/M] | --set-mark V[/M] | --and-mark B | --or-mark B | --xor-mark B}
    -j CONNMARK {--save-mark | --restore-mark} [--mask M | --ctmask M --nfmask M]
                [--left-shift-mark N | --right-shift-mark N]          (revision 2)

Setting: ctmark = (ctmark & ~ctmask) ^ ctmark-value. Saving and restoring
copy the marks through ctmask and nfmask (and the shift).
"""

import struct

from sockctl.abi.xt_connmark import D_SHIFT_LEFT, D_SHIFT_RIGHT, XT_CONNMARK_RESTORE, XT_CONNMARK_SAVE, \
    XT_CONNMARK_SET, xt_connmark_tginfo1, xt_connmark_tginfo2
from sockctl.netfilter.extensions.base import NONE, Extension, Option
from sockctl.netfilter.xtables import RuleError, parse_mark_mask, parse_uint
from sockctl.record import Record

_TGINFO1 = struct.Struct("=IIIB3x")    # struct xt_connmark_tginfo1
_TGINFO2 = struct.Struct("=IIIBBBx")   # struct xt_connmark_tginfo2
ALL = 0xFFFFFFFF

# libxt_CONNMARK's option ids
SET_MARK, SAVE_MARK, RESTORE_MARK, AND_MARK, OR_MARK, XOR_MARK, LEFT_SHIFT, RIGHT_SHIFT, SET_XMARK, CTMASK, \
    NFMASK, MASK = range(12)
_OPERATIONS = (SET_MARK, SAVE_MARK, RESTORE_MARK, AND_MARK, OR_MARK, XOR_MARK, SET_XMARK)
_SHIFT_NAMES = {D_SHIFT_LEFT: "left-shift-mark", D_SHIFT_RIGHT: "right-shift-mark"}


class ConnmarkTargetOptions(Record):
    """struct xt_connmark_tginfo2 (revision 1 has no shift): marks, masks, mode, shift."""

    ctmark: int = 0
    ctmask: int = ALL
    nfmask: int = ALL
    mode: int = XT_CONNMARK_SET
    shift_dir: int = D_SHIFT_LEFT
    shift_bits: int = 0


class ConnmarkTarget(Extension):
    kind = "target"
    name = "CONNMARK"

    def __init__(self, revision: int):
        self.revision = revision
        self.layout = _TGINFO1 if revision == 1 else _TGINFO2
        self.c_struct = xt_connmark_tginfo1 if revision == 1 else xt_connmark_tginfo2
        self.size = self.layout.size
        options = [Option("set-xmark", SET_XMARK), Option("set-mark", SET_MARK), Option("and-mark", AND_MARK),
                   Option("or-mark", OR_MARK), Option("xor-mark", XOR_MARK), Option("save-mark", SAVE_MARK, NONE),
                   Option("restore-mark", RESTORE_MARK, NONE)]
        if revision == 2:
            options += [Option("left-shift-mark", LEFT_SHIFT), Option("right-shift-mark", RIGHT_SHIFT)]
        self.options = tuple(options + [Option("ctmask", CTMASK), Option("nfmask", NFMASK), Option("mask", MASK)])
        self.exclusive = (_OPERATIONS, (CTMASK, MASK), (NFMASK, MASK))

    def decode(self, data: bytes) -> ConnmarkTargetOptions:
        fields = self.unpack(data, self.layout)
        if self.revision == 1:
            return ConnmarkTargetOptions(*fields)
        ctmark, ctmask, nfmask, shift_dir, shift_bits, mode = fields
        return ConnmarkTargetOptions(ctmark, ctmask, nfmask, mode, shift_dir, shift_bits)

    def encode(self, o: ConnmarkTargetOptions) -> bytes:
        if self.revision == 1:
            return _TGINFO1.pack(o.ctmark, o.ctmask, o.nfmask, o.mode)
        return _TGINFO2.pack(o.ctmark, o.ctmask, o.nfmask, o.shift_dir, o.shift_bits, o.mode)

    def start(self, ctx) -> dict:
        return {"ctmask": ALL, "nfmask": ALL}

    def parse(self, state, option, args, invert, ctx):
        oid = option.id
        if oid in (SET_XMARK, SET_MARK):
            value, mask = parse_mark_mask(args[0], "CONNMARK", option.name)
            state.update(mode=XT_CONNMARK_SET, ctmark=value, ctmask=mask if oid == SET_XMARK else value | mask)
        elif oid in (SAVE_MARK, RESTORE_MARK):
            state["mode"] = XT_CONNMARK_SAVE if oid == SAVE_MARK else XT_CONNMARK_RESTORE
        elif oid in (LEFT_SHIFT, RIGHT_SHIFT):
            state["shift_dir"] = D_SHIFT_LEFT if oid == LEFT_SHIFT else D_SHIFT_RIGHT
            state["shift_bits"] = parse_uint(args[0], "CONNMARK", option.name, 0, 32)
        else:
            value = parse_uint(args[0], "CONNMARK", option.name, 0, ALL)
            if oid == AND_MARK:
                state.update(mode=XT_CONNMARK_SET, ctmark=0, ctmask=~value & ALL)
            elif oid == OR_MARK:
                state.update(mode=XT_CONNMARK_SET, ctmark=value, ctmask=value)
            elif oid == XOR_MARK:
                state.update(mode=XT_CONNMARK_SET, ctmark=value, ctmask=0)
            elif oid == MASK:
                state["nfmask"] = state["ctmask"] = value
            else:
                state["ctmask" if oid == CTMASK else "nfmask"] = value

    def finish(self, state, ctx) -> ConnmarkTargetOptions:
        if not state.get("_seen", set()) & set(_OPERATIONS):
            raise RuleError("CONNMARK target: No operation specified")
        return ConnmarkTargetOptions(**{k: v for k, v in state.items() if k != "_seen"})

    def _shift(self, o: ConnmarkTargetOptions, prefix: str) -> str:
        if self.revision == 2 and o.mode <= XT_CONNMARK_RESTORE and o.shift_bits:
            return f" {prefix}{_SHIFT_NAMES.get(o.shift_dir, '')} {o.shift_bits}"
        return ""

    def save(self, o: ConnmarkTargetOptions, ctx) -> str:
        if o.mode == XT_CONNMARK_SET:
            text = f" --set-xmark 0x{o.ctmark:x}/0x{o.ctmask:x}"
        elif o.mode in (XT_CONNMARK_SAVE, XT_CONNMARK_RESTORE):
            word = "save" if o.mode == XT_CONNMARK_SAVE else "restore"
            text = f" --{word}-mark --nfmask 0x{o.nfmask:x} --ctmask 0x{o.ctmask:x}"
        else:
            text = " ERROR: UNKNOWN CONNMARK MODE"
        return text + self._shift(o, "--")

    def listing(self, o: ConnmarkTargetOptions, ctx) -> str:
        mark, ctmask, nfmask = o.ctmark, o.ctmask, o.nfmask
        if o.mode == XT_CONNMARK_SET:
            if mark == 0:
                text = f" CONNMARK and 0x{~ctmask & ALL:x}"
            elif mark == ctmask:
                text = f" CONNMARK or 0x{mark:x}"
            elif ctmask == 0:
                text = f" CONNMARK xor 0x{mark:x}"
            elif ctmask == ALL:
                text = f" CONNMARK set 0x{mark:x}"
            else:
                text = f" CONNMARK xset 0x{mark:x}/0x{ctmask:x}"
        elif o.mode in (XT_CONNMARK_SAVE, XT_CONNMARK_RESTORE):
            # Saving names the packet's mask first, restoring the connection's.
            word, (first, one), (second, other) = ("save", ("nfmask", nfmask), ("ctmask", ctmask)) \
                if o.mode == XT_CONNMARK_SAVE else ("restore", ("ctmask", ctmask), ("nfmask", nfmask))
            if one == ALL and other == ALL:
                text = f" CONNMARK {word}"
            elif one == other:
                text = f" CONNMARK {word} mask 0x{one:x}"
            else:
                text = f" CONNMARK {word} {first} 0x{one:x} {second} ~0x{other:x}"
        else:
            text = " ERROR: UNKNOWN CONNMARK MODE"
        return text + self._shift(o, "")


EXTENSIONS = (ConnmarkTarget(1), ConnmarkTarget(2))
