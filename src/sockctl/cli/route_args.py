"""``route add|del`` arguments, read into a route request, and the request applied.

The grammar is net-tools' (lib/inet_sr.c, lib/inet6_sr.c), including how a
target is told to be a host or a network and which masks it refuses; the
line is read whole, and any mistake is an InputError before the kernel is
asked. Numbers must be whole numbers where net-tools would read a leading
one (``metric 5x``) and stay within what the kernel's fields hold.
Imported only when a route changes.
"""

import os
import sys
from _socket import inet_pton
from ipaddress import IPv4Address, IPv6Address

from sockctl import route_edit
from sockctl.abi import route as rt
from sockctl.abi.families import AF_INET6
from sockctl.cli import addresses, netnames
from sockctl.errors import InputError, KernelError

E_SOCK = 7


def _value(args: list[str], keyword: str) -> str:
    if not args:
        raise InputError(f"`{keyword}' needs a value")
    return args.pop(0)


def _number(text: str, keyword: str, low: int, high: int) -> int:
    return addresses.integer(text, keyword, low, high, base=10)


def _limited(text: str, keyword: str, low: int, high: int, message: str) -> int:
    value = addresses.integer(text, keyword, -2**63, 2**64, base=10)
    if not low <= value <= high:
        raise InputError(message)
    return value


def _ipv4_prefix(target: str) -> tuple[str, int | None]:
    address, slash, prefix = target.partition("/")
    if not slash:
        return target, None
    return address, addresses.integer(prefix, "prefix length", 0, 32)


def parse_ipv4(argv: list[str]) -> route_edit.RouteEntry:
    """A ``RouteEntry`` from ``[-net|-host] TARGET[/PREFIX] [OPTIONS...]`` (as net-tools' INET_setroute)."""
    args = list(argv)
    kind = None
    if args and args[0] in ("#net", "#host"):
        kind = args.pop(0)[1:]
    if not args:
        raise InputError("a target is needed")
    target, prefixlen = _ipv4_prefix(args.pop(0))
    genmask = None if prefixlen is None else addresses.prefix_mask(prefixlen)
    mask_text = f"/{prefixlen}"
    destination, is_net = netnames.resolve_ipv4(target, kind == "host")
    if kind is not None:
        is_net = kind == "net"
    fields: dict = {"host": not is_net}
    flags = 0
    while args:
        word = args.pop(0)
        if word == "metric":
            fields["metric"] = _number(_value(args, word), word, 0, 32766)
        elif word == "netmask":
            text = _value(args, word)
            if genmask is not None and int(genmask):
                raise InputError("netmask given twice")
            genmask, mask_text = netnames.resolve_ipv4(text, False)[0], text
        elif word in ("gw", "gateway"):
            text = _value(args, word)
            if "gateway" in fields:
                raise InputError("gateway given twice")
            gateway, gateway_is_net = netnames.resolve_ipv4(text, True)
            if gateway_is_net:
                raise InputError(f"{text}: cannot use a NETWORK as gateway!")
            fields["gateway"] = gateway
        elif word in ("mss", "mtu"):
            fields["mss"] = _limited(_value(args, word), word, 64, 65536, "Invalid MSS/MTU.")
        elif word == "window":
            fields["window"] = _limited(_value(args, word), word, 128, 0xFFFFFFFF, "Invalid window.")
        elif word == "irtt":
            fields["irtt"] = _number(_value(args, word), word, 0, 0xFFFF)
        elif word == "reject":
            fields["reject"] = True
        elif word in ("mod", "dyn", "reinstate"):
            flags |= {"mod": rt.RTF_MODIFIED, "dyn": rt.RTF_DYNAMIC, "reinstate": rt.RTF_REINSTATE}[word]
        elif word in ("dev", "device"):
            if "dev" in fields:
                raise InputError("device given twice")
            fields["dev"] = _value(args, word)
        elif "dev" not in fields and not args:  # a bare device name comes last, to catch typos
            fields["dev"] = word
        else:
            raise InputError(f"unknown argument `{word}'")
    if fields.get("reject") and "dev" not in fields:
        fields["dev"] = "lo"
    if genmask is not None and int(genmask):
        _check_mask(destination, genmask, mask_text, fields["host"])
    return route_edit.RouteEntry(destination, genmask, flags=flags, **fields)


def _check_mask(destination: IPv4Address, genmask: IPv4Address, text: str, host: bool) -> None:
    inverse = ~int(genmask) & 0xFFFFFFFF
    if host:
        raise InputError(f"netmask {inverse:08x} doesn't make sense with host route")
    if inverse & (inverse + 1):
        raise InputError(f"bogus netmask {text}")
    if int(destination) & inverse:
        raise InputError("netmask doesn't match route address")


def parse_ipv6(argv: list[str]) -> route_edit.Route6Entry:
    """A ``Route6Entry`` from ``TARGET[/PREFIX] [gw GW] [metric M] [mod] [dyn] [[dev] IF]`` (INET6_setroute)."""
    args = list(argv)
    if not args:
        raise InputError("a target is needed")
    target = args.pop(0)
    if target == "default":
        destination, prefixlen = IPv6Address(0), 0
    else:
        target, slash, prefix = target.partition("/")
        prefixlen = _number(prefix, "prefix length", 0, 128) if slash else 128
        try:
            destination = addresses.ipv6(target)
        except InputError:
            raise netnames.UnknownHost(target, 1) from None
    fields: dict = {}
    flags = 0
    while args:
        word = args.pop(0)
        if word == "metric":
            fields["metric"] = _number(_value(args, word), word, 0, 0xFFFFFFFF)
        elif word in ("gw", "gateway"):
            text = _value(args, word)
            if "gateway" in fields:
                raise InputError("gateway given twice")
            try:
                fields["gateway"] = IPv6Address(inet_pton(AF_INET6, text))
            except OSError:
                raise netnames.UnknownHost(text) from None
        elif word in ("mod", "dyn"):
            flags |= rt.RTF_MODIFIED if word == "mod" else rt.RTF_DYNAMIC
        else:
            if word in ("dev", "device"):
                word = _value(args, word)
            elif args:
                raise InputError(f"unknown argument `{word}'")
            fields["dev"] = word
    return route_edit.Route6Entry(destination, prefixlen, flags=flags, **fields)


def parse(family: str, args: list[str]):
    """The request of ``route -A FAMILY add|del ARGS``."""
    request = parse_ipv4(args) if family == "inet" else parse_ipv6(args)
    if request.dev is not None:
        from sockctl.abi.netdevice import encode_ifname

        try:
            encode_ifname(request.dev)
        except ValueError as exc:
            raise InputError(str(exc)) from None
    return request


def apply(action: str, request) -> int:
    """Send the request; net-tools' message (``SIOCADDRT: File exists``) and exit code on failure."""
    is_add = action == "add"
    if is_add and isinstance(request, route_edit.RouteEntry) and request.host and request.genmask is None:
        from sockctl.record import replace

        request = replace(request, genmask=IPv4Address("255.255.255.255"))  # as net-tools fills it in
    try:
        route_edit.add(request) if is_add else route_edit.delete(request)
    except KernelError as exc:
        call = "SIOGIFINDEX" if exc.call == "SIOCGIFINDEX" else exc.call
        sys.stderr.write(f"{call}: {os.strerror(exc.errno)}\n")
        return E_SOCK
    return 0
