"""The mac match (xt_mac_info, libxt_mac): the Ethernet source address.

    -m mac [!] --mac-source XX:XX:XX:XX:XX:XX
"""

import struct

from sockctl.abi.xt_mac import ETH_ALEN, xt_mac_info
from sockctl.netfilter.extensions.base import Extension, Option
from sockctl.netfilter.xtables import RuleError
from sockctl.record import Record

_MAC_INFO = struct.Struct("=6s2xi")  # struct xt_mac_info
_HEX = "0123456789abcdefABCDEF"


class MacOptions(Record):
    """struct xt_mac_info: the address and the inversion."""

    srcaddr: bytes = bytes(ETH_ALEN)
    invert: int = 0


def _hex_part(text: str) -> tuple[int, int]:
    """strtoul(TEXT, &end, 16): the value as a byte and how many characters it used (0: none)."""
    i = len(text) - len(text.lstrip(" \t\n\v\f\r"))
    negative = text[i:i + 1] == "-"
    j = i + 1 if text[i:i + 1] in "+-" else i
    if text[j:j + 2].lower() == "0x" and text[j + 2:j + 3] and text[j + 2] in _HEX:
        j += 2
    k = j
    while k < len(text) and text[k] in _HEX:
        k += 1
    if k == j:
        return 0, 0
    value = int(text[j:k], 16)
    return (-value if negative else value) & 0xFF, k


def parse_mac(text: str) -> bytes:
    """XTTYPE_ETHERMAC: six hex numbers of at most two characters each, separated by colons."""
    parts = text.split(":")
    if len(parts) != ETH_ALEN:
        raise RuleError("Invalid MAC address specified.")
    out = []
    for part in parts:
        value, used = _hex_part(part)
        if used != len(part) or used > 2:
            raise RuleError("Invalid MAC address specified.")
        out.append(value)
    return bytes(out)


def mac_text(address: bytes) -> str:
    return ":".join(f"{b:02x}" for b in address)


class Mac(Extension):
    name = "mac"
    c_struct = xt_mac_info
    size = _MAC_INFO.size
    options = (Option("mac-source", 0, invert=True, mandatory=True),)

    def decode(self, data: bytes) -> MacOptions:
        return MacOptions(*self.unpack(data, _MAC_INFO))

    def encode(self, o: MacOptions) -> bytes:
        return _MAC_INFO.pack(o.srcaddr, o.invert)

    def parse(self, state, option, args, invert, ctx):
        state["srcaddr"] = parse_mac(args[0])
        if invert:
            state["invert"] = 1

    def finish(self, state, ctx) -> MacOptions:
        self.check_mandatory(state)
        return MacOptions(state["srcaddr"], state.get("invert", 0))

    def save(self, o: MacOptions, ctx) -> str:
        return (" !" if o.invert else "") + " --mac-source " + mac_text(o.srcaddr)

    def listing(self, o: MacOptions, ctx) -> str:
        return " MAC " + ("! " if o.invert else "") + mac_text(o.srcaddr)


EXTENSIONS = (Mac(),)
