"""The LOG target (xt_log_info, libxt_LOG): log the packet to the kernel log.

    -j LOG [--log-level LEVEL] [--log-prefix TEXT] [--log-tcp-sequence] [--log-tcp-options]
           [--log-ip-options] [--log-uid] [--log-macdecode]
"""

import struct

from sockctl.abi.xt_LOG import XT_LOG_IPOPT, XT_LOG_MACDECODE, XT_LOG_MASK, XT_LOG_TCPOPT, XT_LOG_TCPSEQ, XT_LOG_UID, \
    xt_log_info
from sockctl.netfilter.extensions.base import NONE, Extension, Option
from sockctl.netfilter.xtables import RuleError, save_string, strtoul
from sockctl.record import Record

_LOG_INFO = struct.Struct("=BB30s")  # struct xt_log_info
DEFAULT_LEVEL = 4  # LOG_WARNING

# syslog.h's prioritynames, in its order: the first name of a level is the one shown.
PRIORITY_NAMES = (("alert", 1), ("crit", 2), ("debug", 7), ("emerg", 0), ("err", 3), ("error", 3), ("info", 6),
                  ("none", 0x10), ("notice", 5), ("panic", 0), ("warn", 4), ("warning", 4))
# The names --log-level accepts (libxtables' own table).
LEVEL_NAMES = {"alert": 1, "crit": 2, "debug": 7, "emerg": 0, "error": 3, "info": 6, "notice": 5, "panic": 0,
               "warning": 4}
FLAGS = (("tcp-sequence", XT_LOG_TCPSEQ), ("tcp-options", XT_LOG_TCPOPT), ("ip-options", XT_LOG_IPOPT),
         ("uid", XT_LOG_UID), ("macdecode", XT_LOG_MACDECODE))


class LogOptions(Record):
    """struct xt_log_info: syslog level, XT_LOG_* flags, prefix."""

    level: int = DEFAULT_LEVEL
    logflags: int = 0
    prefix: str = ""


class Log(Extension):
    kind = "target"
    name = "LOG"
    c_struct = xt_log_info
    size = _LOG_INFO.size
    options = (Option("log-level", 6), Option("log-prefix", 7)) + \
        tuple(Option("log-" + name, i, NONE) for i, (name, _) in enumerate(FLAGS[:4])) + \
        (Option("log-macdecode", 5, NONE),)

    def decode(self, data: bytes) -> LogOptions:
        level, flags, prefix = self.unpack(data, _LOG_INFO)
        return LogOptions(level, flags, prefix.partition(b"\0")[0].decode("utf-8", "surrogateescape"))

    def encode(self, o: LogOptions) -> bytes:
        return _LOG_INFO.pack(o.level, o.logflags, o.prefix.encode("utf-8", "surrogateescape")[:29])

    def parse(self, state, option, args, invert, ctx):
        if option.name == "log-level":
            level = strtoul(args[0], 0, 7)
            if level is None:
                level = LEVEL_NAMES.get(args[0])
                if level is None:
                    raise RuleError(f'log level "{args[0]}" unknown')
            state["level"] = level
        elif option.name == "log-prefix":
            if not args[0]:
                raise RuleError("Argument must have a minimum length of 1 characters")
            if "\n" in args[0]:
                raise RuleError("Newlines not allowed in --log-prefix")
            state["prefix"] = args[0].encode("utf-8", "surrogateescape")[:29].decode("utf-8", "surrogateescape")
        else:
            state["logflags"] = state.get("logflags", 0) | (1 << option.id)

    def finish(self, state, ctx) -> LogOptions:
        return LogOptions(**{k: v for k, v in state.items() if k != "_seen"})

    def save(self, o: LogOptions, ctx) -> str:
        text = " --log-prefix" + save_string(o.prefix) if o.prefix else ""
        if o.level != DEFAULT_LEVEL:
            text += f" --log-level {o.level}"
        return text + "".join(f" --log-{name}" for name, bit in FLAGS if o.logflags & bit)

    def listing(self, o: LogOptions, ctx) -> str:
        text = " LOG"
        if ctx.numeric:
            text += f" flags {o.logflags} level {o.level}"
        else:
            name = next((n for n, v in PRIORITY_NAMES if v == o.level), None)
            text += f" level {name}" if name else f" UNKNOWN level {o.level}"
            text += "".join(f" {name}" for name, bit in FLAGS if o.logflags & bit)
            if o.logflags & ~XT_LOG_MASK:
                text += " unknown-flags"
        if o.prefix:
            text += f' prefix "{o.prefix}"'
        return text


EXTENSIONS = (Log(),)
