"""ifconfig's command line after the interface name, read into interface changes.

Read whole and checked before anything is applied: a malformed value
anywhere raises InputError (UsageError for a keyword missing its value) and
nothing changes. Imported only when a command line changes something.
"""

from sockctl import hwtypes, interface_config as ic
from sockctl.abi import netdevice as nd
from sockctl.cli import addresses
from sockctl.errors import InputError

# keyword -> (flags to set, flags to clear)
FLAG_WORDS = {
    "up": (nd.IFF_UP | nd.IFF_RUNNING, 0),
    "down": (0, nd.IFF_UP),
    "arp": (0, nd.IFF_NOARP),
    "-arp": (nd.IFF_NOARP, 0),
    "trailers": (0, nd.IFF_NOTRAILERS),
    "-trailers": (nd.IFF_NOTRAILERS, 0),
    "promisc": (nd.IFF_PROMISC, 0),
    "-promisc": (0, nd.IFF_PROMISC),
    "multicast": (nd.IFF_MULTICAST, 0),
    "-multicast": (0, nd.IFF_MULTICAST),
    "allmulti": (nd.IFF_ALLMULTI, 0),
    "-allmulti": (0, nd.IFF_ALLMULTI),
    "dynamic": (nd.IFF_DYNAMIC, 0),
    "-dynamic": (0, nd.IFF_DYNAMIC),
    "-broadcast": (0, nd.IFF_BROADCAST),
    "-pointopoint": (0, nd.IFF_POINTOPOINT),
    "-pointtopoint": (0, nd.IFF_POINTOPOINT),
}

# Clearing these may not stick (another user holds them): net-tools warns.
STILL_SET = {
    nd.IFF_PROMISC: "Warning: Interface {} still in promisc mode... maybe other application is running?",
    nd.IFF_MULTICAST: "Warning: Interface {} still in MULTICAST mode.",
    nd.IFF_ALLMULTI: "Warning: Interface {} still in ALLMULTI mode.",
    nd.IFF_DYNAMIC: "Warning: Interface {} still in DYNAMIC mode.",
    nd.IFF_BROADCAST: "Warning: Interface {} still in BROADCAST mode.",
    nd.IFF_POINTOPOINT: "Warning: Interface {} still in POINTOPOINT mode.",
}

ADDRESS_FAMILIES = ("unix", "inet", "inet6", "ax25", "netrom", "rose", "ipx", "ddp", "ec", "ash", "x25")
PORT_NAMES = {"unknown": 0, "10base2": 1, "bnc": 1, "coax": 1, "10baset": 2, "utp": 2, "tpe": 2,
              "aui": 3, "thick": 3, "db15": 3, "100baset": 4, "100basetx": 5, "100basefx": 6}
UNSUPPORTED = {"tunnel": "SIT tunnels", "keepalive": "SLIP lines", "outfill": "SLIP lines"}


class UsageError(InputError):
    """A keyword without its value, and the like (net-tools exits 3 for these)."""


def _value(args: list[str], keyword: str) -> str:
    if not args:
        raise UsageError(f"`{keyword}' needs a value")
    return args.pop(0)


def _address_with_prefix(text: str):
    """(address, prefix length or None) from ``add``/``del`` and bare-address syntax."""
    address, slash, prefix = text.partition("/")
    if ":" in address:
        plen = addresses.integer(prefix, "prefix length", 0, 128, base=10) if slash else 128
        return addresses.ipv6(address), plen
    plen = addresses.integer(prefix, "prefix length", 0, 32) if slash else None
    return addresses.ipv4(address), plen


def parse_changes(argv: list[str]) -> tuple[str, list, int]:
    """(interface, changes, flags to warn about) from ``INTERFACE [AF] ARGS...``.

    Raises InputError (UsageError for a missing value) before anything changes.
    """
    args = list(argv)
    name = args.pop(0)
    try:
        nd.encode_ifname(name)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    family = "inet"
    if args and args[0] in ADDRESS_FAMILIES:
        family = args.pop(0)
    changes: list = []
    warn_bits = 0
    pending_netmask = None
    did_netmask = False
    while args:
        word = args.pop(0)
        if word in FLAG_WORDS:
            set_bits, clear_bits = FLAG_WORDS[word]
            changes.append(ic.SetFlags(set_bits, clear_bits))
            warn_bits |= clear_bits & sum(STILL_SET)
        elif word == "mtu":
            changes.append(ic.SetMtu(addresses.integer(_value(args, word), "mtu", 0, 0x7FFFFFFF, base=10)))
        elif word == "txqueuelen":
            changes.append(ic.SetTxQueueLen(addresses.integer(_value(args, word), "txqueuelen", 0, 0x7FFFFFFF)))
        elif word == "netmask":
            if did_netmask:
                raise UsageError("netmask given twice")
            did_netmask = True
            changes.append(ic.SetIPv4("netmask", addresses.netmask(_value(args, word))))
        elif word == "broadcast":
            if args:
                changes.append(ic.SetIPv4("broadcast", addresses.ipv4(args.pop(0), "broadcast address")))
            changes.append(ic.SetFlags(nd.IFF_BROADCAST))
        elif word == "dstaddr":
            changes.append(ic.SetIPv4("destination", addresses.ipv4(_value(args, word), "destination")))
        elif word in ("pointopoint", "pointtopoint"):
            if args:
                changes.append(ic.SetIPv4("destination", addresses.ipv4(args.pop(0), "destination")))
            changes.append(ic.SetFlags(nd.IFF_POINTOPOINT))
        elif word == "hw":
            changes.append(_hw_change(_value(args, word), _value(args, word)))
        elif word in ("add", "del"):
            address, plen = _address_with_prefix(_value(args, word))
            if address.version == 6:
                changes.append((ic.AddInet6 if word == "add" else ic.DelInet6)(address, plen))
            else:
                changes.append((ic.AddAlias if word == "add" else ic.DelAlias)(address))
        elif word == "name":
            new_name = _value(args, word)
            try:
                nd.encode_ifname(new_name)
            except ValueError as exc:
                raise InputError(str(exc)) from None
            changes.append(ic.Rename(new_name))
        elif word == "mem_start":
            changes.append(ic.SetMapField("mem_start", addresses.integer(_value(args, word), word, 0, 2**64 - 1)))
        elif word == "io_addr":
            changes.append(ic.SetMapField("base_addr", addresses.integer(_value(args, word), word, 0, 0xFFFF)))
        elif word == "irq":
            changes.append(ic.SetMapField("irq", addresses.integer(_value(args, word), word, 0, 0xFF, base=10)))
        elif word in ("media", "port"):
            changes.append(_media_change(_value(args, word)))
        elif word in UNSUPPORTED:
            raise InputError(f"`{word}' is for {UNSUPPORTED[word]}, which sockctl does not configure")
        else:
            if family != "inet":
                raise InputError(f"cannot set a {family} address this way (use add/del)")
            address, plen = _address_with_prefix(word)
            if address.version != 4:
                raise InputError(f"{word}: use `add {word}' to add an IPv6 address")
            changes.append(ic.SetIPv4("address", address))
            # net-tools brings the interface up, except for a label being deleted.
            if not (":" in name and (name.endswith("-") or int(address) == 0)):
                changes.append(ic.SetFlags(nd.IFF_UP | nd.IFF_RUNNING))
            if plen is not None:
                if did_netmask:
                    raise UsageError("netmask given twice")
                pending_netmask = addresses.prefix_mask(plen)
    if pending_netmask is not None:
        changes.append(ic.SetIPv4("netmask", pending_netmask))
    return name, changes, warn_bits


def _hw_change(type_name: str, text: str):
    hw = hwtypes.by_name(type_name)
    if hw is None:
        raise UsageError(f"unknown hardware type `{type_name}'")
    if hw.parse is None:
        raise InputError(f"hw address type `{type_name}' has no handler to set address")
    return ic.SetHwAddr(hw.arphrd, hw.parse(text))


def _media_change(text: str):
    if text.lower() == "auto":
        return ic.SetFlags(nd.IFF_AUTOMEDIA)
    if text.isdigit():
        return ic.SetMapField("port", addresses.integer(text, "media", 0, 255, base=10))
    if text.lower() not in PORT_NAMES:
        raise InputError(f"{text}: unknown media type")
    return ic.SetMapField("port", PORT_NAMES[text.lower()])
