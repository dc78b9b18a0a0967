"""The dscp match (xt_dscp_info, libxt_dscp) and the DSCP target (xt_DSCP_info, libxt_DSCP).

    -m dscp [!] {--dscp VALUE | --dscp-class CLASS}
    -j DSCP {--set-dscp VALUE | --set-dscp-class CLASS}
"""

import struct

from sockctl.abi.xt_dscp import XT_DSCP_MAX, xt_dscp_info, xt_DSCP_info
from sockctl.netfilter.extensions.base import Extension, Option
from sockctl.netfilter.xtables import RuleError, parse_uint
from sockctl.record import Record

_MATCH = struct.Struct("=BB")  # struct xt_dscp_info
_TARGET = struct.Struct("=B")  # struct xt_DSCP_info
# dscp_helper.c's classes, in its order: a name that starts with a class's name picks the first such.
CLASSES = (("CS0", 0x00), ("CS1", 0x08), ("CS2", 0x10), ("CS3", 0x18), ("CS4", 0x20), ("CS5", 0x28),
           ("CS6", 0x30), ("CS7", 0x38), ("BE", 0x00), ("AF11", 0x0A), ("AF12", 0x0C), ("AF13", 0x0E),
           ("AF21", 0x12), ("AF22", 0x14), ("AF23", 0x16), ("AF31", 0x1A), ("AF32", 0x1C), ("AF33", 0x1E),
           ("AF41", 0x22), ("AF42", 0x24), ("AF43", 0x26), ("EF", 0x2E))


def class_to_dscp(text: str) -> int:
    for name, value in CLASSES:
        if text[:len(name)].lower() == name.lower():
            return value
    raise RuleError(f"Invalid DSCP value `{text}'")


def _value(ext: str, option, arg: str) -> int:
    if option.id == 0:
        return parse_uint(arg, ext, option.name, 0, XT_DSCP_MAX)
    return class_to_dscp(arg)


class DscpOptions(Record):
    """struct xt_dscp_info: the code point and the inversion."""

    dscp: int = 0
    invert: int = 0


class DscpMatch(Extension):
    name = "dscp"
    c_struct = xt_dscp_info
    size = _MATCH.size
    options = (Option("dscp", 0, invert=True), Option("dscp-class", 1, invert=True))
    exclusive = ((0, 1),)

    def decode(self, data: bytes) -> DscpOptions:
        return DscpOptions(*self.unpack(data, _MATCH))

    def encode(self, o: DscpOptions) -> bytes:
        return _MATCH.pack(o.dscp, o.invert)

    def parse(self, state, option, args, invert, ctx):
        state["dscp"] = _value("dscp", option, args[0])
        if invert:
            state["invert"] = 1

    def finish(self, state, ctx) -> DscpOptions:
        if not state.get("_seen"):
            raise RuleError("DSCP match: Parameter --dscp is required")
        return DscpOptions(state["dscp"], state.get("invert", 0))

    def save(self, o: DscpOptions, ctx) -> str:
        return (" !" if o.invert else "") + f" --dscp 0x{o.dscp:02x}"

    def listing(self, o: DscpOptions, ctx) -> str:
        return f" DSCP match {'!' if o.invert else ''}0x{o.dscp:02x}"


class DscpTargetOptions(Record):
    """struct xt_DSCP_info: the code point to set."""

    dscp: int = 0


class DscpTarget(Extension):
    kind = "target"
    name = "DSCP"
    c_struct = xt_DSCP_info
    size = _TARGET.size
    options = (Option("set-dscp", 0), Option("set-dscp-class", 1))
    exclusive = ((0, 1),)

    def decode(self, data: bytes) -> DscpTargetOptions:
        return DscpTargetOptions(*self.unpack(data, _TARGET))

    def encode(self, o: DscpTargetOptions) -> bytes:
        return _TARGET.pack(o.dscp)

    def parse(self, state, option, args, invert, ctx):
        state["dscp"] = _value("DSCP", option, args[0])

    def finish(self, state, ctx) -> DscpTargetOptions:
        if not state.get("_seen"):
            raise RuleError("DSCP target: Parameter --set-dscp is required")
        return DscpTargetOptions(state["dscp"])

    def save(self, o: DscpTargetOptions, ctx) -> str:
        return f" --set-dscp 0x{o.dscp:02x}"

    def listing(self, o: DscpTargetOptions, ctx) -> str:
        return f" DSCP set 0x{o.dscp:02x}"


EXTENSIONS = (DscpMatch(), DscpTarget())
