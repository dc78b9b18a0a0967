"""The owner match, revision 1 (xt_owner_match_info, libxt_owner): the local socket's owner.

    -m owner [!] --uid-owner USER|UID[-UID] [!] --gid-owner GROUP|GID[-GID] [--suppl-groups]
             [!] --socket-exists
"""

import struct

from sockctl.abi.xt_owner import XT_OWNER_GID, XT_OWNER_SOCKET, XT_OWNER_SUPPL_GROUPS, XT_OWNER_UID, \
    xt_owner_match_info
from sockctl.netfilter.extensions.base import NONE, Extension, Option
from sockctl.netfilter.xtables import RuleError, bad_value, strtoul
from sockctl.record import Record

_INFO = struct.Struct("=IIIIBB2x")  # struct xt_owner_match_info
USER, GROUP, SOCKET, SUPPL = 0, 1, 2, 6  # libxt_owner's option ids
_MAX = 0xFFFFFFFE                        # -1 means "no id", so the largest is one less


def _id_range(text: str, option: str) -> tuple[int, int]:
    parsed = strtoul(text, 0, _MAX, partial=True)
    if parsed is None:
        raise bad_value("owner", option, text)
    low, rest = parsed
    high = low
    if rest[:1] in ("-", ":"):
        parsed = strtoul(rest[1:], 0, _MAX, partial=True)
        if parsed is None:
            raise bad_value("owner", option, text)
        high, rest = parsed
    if rest:
        raise bad_value("owner", option, text)
    return low, high


def _user(text: str) -> tuple[int, int]:
    import pwd

    try:
        uid = pwd.getpwnam(text).pw_uid
    except (KeyError, ValueError):
        return _id_range(text, "--uid-owner")
    return uid, uid


def _group(text: str) -> tuple[int, int]:
    import grp

    try:
        gid = grp.getgrnam(text).gr_gid
    except (KeyError, ValueError):
        return _id_range(text, "--gid-owner")
    return gid, gid


def _name(number: int, which: int) -> str | None:
    """getpwuid / getgrgid: the name of a user or group id, or None."""
    import grp
    import pwd

    try:
        return pwd.getpwuid(number).pw_name if which == XT_OWNER_UID else grp.getgrgid(number).gr_name
    except (KeyError, OverflowError):
        return None


class OwnerOptions(Record):
    """struct xt_owner_match_info: id ranges and XT_OWNER_* match and inversion bits."""

    uid_min: int = 0
    uid_max: int = 0
    gid_min: int = 0
    gid_max: int = 0
    match: int = 0
    invert: int = 0


class Owner(Extension):
    name = "owner"
    revision = 1
    c_struct = xt_owner_match_info
    size = _INFO.size
    options = (Option("uid-owner", USER, invert=True), Option("gid-owner", GROUP, invert=True),
               Option("socket-exists", SOCKET, NONE, invert=True), Option("suppl-groups", SUPPL, NONE))

    def decode(self, data: bytes) -> OwnerOptions:
        return OwnerOptions(*self.unpack(data, _INFO))

    def encode(self, o: OwnerOptions) -> bytes:
        return _INFO.pack(o.uid_min, o.uid_max, o.gid_min, o.gid_max, o.match, o.invert)

    def parse(self, state, option, args, invert, ctx):
        match = state.get("match", 0)
        if option.id == USER:
            state["uid_min"], state["uid_max"] = _user(args[0])
            bit = XT_OWNER_UID
        elif option.id == GROUP:
            state["gid_min"], state["gid_max"] = _group(args[0])
            bit = XT_OWNER_GID
        elif option.id == SOCKET:
            bit = XT_OWNER_SOCKET
        else:
            if not match & XT_OWNER_GID:
                raise bad_value("owner", "--suppl-groups", "you need to use --gid-owner first")
            bit = XT_OWNER_SUPPL_GROUPS
        state["match"] = match | bit
        if invert:
            state["invert"] = state.get("invert", 0) | bit

    def finish(self, state, ctx) -> OwnerOptions:
        if not state.get("_seen"):
            raise RuleError("owner: At least one of --uid-owner, --gid-owner or --socket-exists is required")
        return OwnerOptions(**{k: v for k, v in state.items() if k != "_seen"})

    def _item(self, o: OwnerOptions, label: str, bit: int, numeric: bool) -> str:
        if not o.match & bit:
            return ""
        text = (" !" if o.invert & bit else "") + " " + label
        if bit in (XT_OWNER_UID, XT_OWNER_GID):
            low, high = (o.uid_min, o.uid_max) if bit == XT_OWNER_UID else (o.gid_min, o.gid_max)
            if low != high:
                return text + f" {low}-{high}"
            name = None if numeric else _name(low, bit)
            return text + f" {name if name else low}"
        return text

    def _all(self, o: OwnerOptions, labels: tuple, numeric: bool) -> str:
        bits = (XT_OWNER_SOCKET, XT_OWNER_UID, XT_OWNER_GID, XT_OWNER_SUPPL_GROUPS)
        return "".join(self._item(o, label, bit, numeric) for label, bit in zip(labels, bits))

    def save(self, o: OwnerOptions, ctx) -> str:
        return self._all(o, ("--socket-exists", "--uid-owner", "--gid-owner", "--suppl-groups"), True)

    def listing(self, o: OwnerOptions, ctx) -> str:
        return self._all(o, ("owner socket exists", "owner UID match", "owner GID match", "incl. suppl. groups"),
                         ctx.numeric)


EXTENSIONS = (Owner(),)
