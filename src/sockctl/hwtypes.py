"""Hardware (link-layer) types: names, titles and address text, as net-tools knows them.

The table holds the types Debian's net-tools 2.10 is built with, in its order
(``ifconfig --help`` lists them so). ``format`` turns the bytes SIOCGIFHWADDR
returned into the text ifconfig and arp print; ``parse`` turns a command-line
address into bytes, strictly: an address of the wrong length is an error.
"""

from sockctl.abi import if_arp
from sockctl.errors import InputError
from sockctl.record import Record


def _hex(sep: str, upper: bool, count: int):
    if upper:
        return lambda raw: raw[:count].hex(sep).upper() if sep else raw[:count].hex().upper()
    return lambda raw: raw[:count].hex(sep) if sep else raw[:count].hex()


def _callsign(raw: bytes) -> str:
    """AX.25 / NET/ROM callsign: six shifted letters and an SSID."""
    chars = []
    for b in raw[:6]:
        c = b >> 1
        if c == 0x20:  # a space ends the callsign, as a NUL would in C
            break
        if c == 0:
            break
        chars.append(chr(c))
    ssid = (raw[6] & 0x1E) >> 1 if len(raw) > 6 else 0
    return "".join(chars) + (f"-{ssid}" if ssid else "")


def _signed_hex(b: int) -> str:
    # net-tools formats a signed char with %02x: 0x80 and above print as ffffffNN.
    return f"ffffff{b:02x}" if b >= 0x80 else f"{b:02x}"


def _irda(raw: bytes) -> str:
    return ":".join(_signed_hex(b) for b in (raw[3], raw[2], raw[1], raw[0]))


def _dlci(raw: bytes) -> str:
    return str(int.from_bytes(raw[:2], "little", signed=True))


def _x25(raw: bytes) -> str:
    text = raw[:16].split(b"\0", 1)[0]
    return text.decode("latin-1")


def _ash(raw: bytes) -> str:
    # net-tools prints one hex digit per byte, stopping at 0xc9/0xff.
    digits = []
    for b in raw:
        if b in (0xC9, 0xFF):
            break
        digits.append(f"{b:x}"[-1])
    return "[" + "".join(digits) + "]"


def _unspec(raw: bytes) -> str:
    # ifconfig copies 8 bytes of sa_data into a zeroed buffer and prints 16.
    padded = raw[:8].ljust(16, b"\0")
    return "-".join("%02X" % b for b in padded)


def _parse_octets(text: str, count: int, seps: str) -> bytes:
    for sep in seps:
        parts = text.split(sep)
        if len(parts) == count:
            break
    else:
        raise InputError(f"{text}: a hardware address of {count} octets is expected")
    try:
        if any(not 1 <= len(p) <= 2 for p in parts):
            raise ValueError
        return bytes(int(p, 16) for p in parts)
    except ValueError:
        raise InputError(f"{text}: not a hexadecimal hardware address") from None


def _parse_arcnet(text: str) -> bytes:
    return _parse_octets(text, 1, ":")


class HwType(Record):
    name: str  # what ifconfig/arp print and accept: "ether"
    title: str  # the parenthesised description: "Ethernet"
    arphrd: int  # ARPHRD_* value
    addr_len: int  # bytes of address (0: none printed)
    format: object = None  # bytes -> str
    parse: object = None  # str -> bytes, raising InputError
    suppress_null: bool = False  # print no address when it is all zeros

    def text(self, raw: bytes) -> str | None:
        """The address as net-tools prints it, or None when it prints none."""
        if self.format is None:
            return None
        if self.suppress_null and not any(raw[: self.addr_len]):
            return None
        return self.format(raw)


_ETHER_TEXT = _hex(":", False, 6)

HWTYPES: tuple[HwType, ...] = (
    HwType("loop", "Local Loopback", if_arp.ARPHRD_LOOPBACK, 0),
    HwType("slip", "Serial Line IP", if_arp.ARPHRD_SLIP, 0),
    HwType("cslip", "VJ Serial Line IP", if_arp.ARPHRD_CSLIP, 0),
    HwType("slip6", "6-bit Serial Line IP", if_arp.ARPHRD_SLIP6, 0),
    HwType("cslip6", "VJ 6-bit Serial Line IP", if_arp.ARPHRD_CSLIP6, 0),
    HwType("adaptive", "Adaptive Serial Line IP", if_arp.ARPHRD_ADAPT, 0),
    HwType("ash", "Ash", if_arp.ARPHRD_ASH, 64, _ash, None, True),
    HwType("ether", "Ethernet", if_arp.ARPHRD_ETHER, 6, _ETHER_TEXT, lambda t: _parse_octets(t, 6, ":")),
    HwType("ax25", "AMPR AX.25", if_arp.ARPHRD_AX25, 7, _callsign),
    HwType("netrom", "AMPR NET/ROM", if_arp.ARPHRD_NETROM, 7, _callsign),
    HwType("rose", "AMPR ROSE", if_arp.ARPHRD_ROSE, 10, _hex("", False, 5)),
    HwType("tunnel", "IPIP Tunnel", if_arp.ARPHRD_TUNNEL, 0, lambda raw: ""),
    HwType("ppp", "Point-to-Point Protocol", if_arp.ARPHRD_PPP, 0),
    HwType("hdlc", "(Cisco)-HDLC", if_arp.ARPHRD_HDLC, 0),
    HwType("lapb", "LAPB", if_arp.ARPHRD_LAPB, 0),
    HwType("arcnet", "ARCnet", if_arp.ARPHRD_ARCNET, 1, _hex("", True, 1), _parse_arcnet),
    HwType("dlci", "Frame Relay DLCI", if_arp.ARPHRD_DLCI, 3, _dlci),
    HwType("frad", "Frame Relay Access Device", if_arp.ARPHRD_FRAD, 0),
    HwType("sit", "IPv6-in-IPv4", if_arp.ARPHRD_SIT, 0),
    HwType("fddi", "Fiber Distributed Data Interface", if_arp.ARPHRD_FDDI, 6, _hex("-", True, 6),
           lambda t: _parse_octets(t, 6, ":-")),
    HwType("hippi", "HIPPI", if_arp.ARPHRD_HIPPI, 6, _hex(":", True, 6), lambda t: _parse_octets(t, 6, ":")),
    HwType("irda", "IrLAP", if_arp.ARPHRD_IRDA, 2, _irda),
    HwType("ec", "Econet", if_arp.ARPHRD_ECONET, 0),
    HwType("x25", "generic X.25", if_arp.ARPHRD_X25, 16, _x25),
    HwType("eui64", "Generic EUI-64", if_arp.ARPHRD_EUI64, 8, _hex(":", True, 8),
           lambda t: _parse_octets(t, 8, ":")),
)

UNSPEC = HwType("unspec", "UNSPEC", -1, 0, _unspec)

_BY_ARPHRD = {}
for _hw in HWTYPES:
    _BY_ARPHRD.setdefault(_hw.arphrd, _hw)
_BY_NAME = {hw.name: hw for hw in HWTYPES + (UNSPEC,)}


def by_arphrd(arphrd: int) -> HwType:
    """The type for an ARPHRD_* value; ``UNSPEC`` for one net-tools does not know."""
    return _BY_ARPHRD.get(arphrd, UNSPEC)


def by_name(name: str) -> HwType | None:
    """The type net-tools calls NAME ("ether"), or None."""
    return _BY_NAME.get(name)


def format_hwaddr(arphrd: int, raw: bytes) -> str:
    """An address as text for any type: net-tools' text where it has one, else hex."""
    text = by_arphrd(arphrd).text(raw)
    if text:
        return text
    return ":".join("%02x" % b for b in raw)
