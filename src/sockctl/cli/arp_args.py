"""``arp -s``, ``-d`` and ``-f``: their arguments read into ARP requests, and the requests sent.

The grammar is net-tools' (arp.c: arp_set, arp_del, arp_file). Everything
is read and checked before the kernel is asked; an ethers file is checked
whole, with the number of its first bad line, before any entry is set.
Hardware addresses must have their type's exact length. Imported only when
the cache changes, or to resolve ``arp HOST``.
"""

import errno
import os
import sys

from sockctl import arp
from sockctl.abi.arpreq import ATF_COM, ATF_DONTPUB, ATF_NETMASK, ATF_PERM, ATF_PUBL, ATF_USETRAILERS
from sockctl.cli import netnames
from sockctl.errors import InputError, KernelError

E_OPTERR, E_FAIL = 3, 255
ETHERS = "/etc/ethers"


class Refused(InputError):
    """A mistake net-tools answers with its usage text (exit code 3)."""


def resolve(text: str):
    """The IPv4 address net-tools reads TEXT as (INET_resolve, networks before hosts)."""
    return netnames.resolve_ipv4(text, False)[0]


def _modifiers(args: list[str], flags: int, device: str, public_words: bool):
    """(flags, device, netmask, seen) after the modifier words of arp -s (arp -d when not PUBLIC_WORDS).

    ``pub`` and ``priv`` set and clear ATF_PUBL for -s; for -d they choose
    which entries to delete and are only reported in ``seen``.
    """
    netmask = None
    seen = set()
    while args:
        word = args.pop(0)
        seen.add(word)
        if word in _FLAG_WORDS:
            flags |= _FLAG_WORDS[word]
        elif word == "temp":
            flags &= ~ATF_PERM
        elif word in ("pub", "priv"):
            if public_words:
                flags = flags | ATF_PUBL if word == "pub" else flags & ~ATF_PUBL
        elif word in ("dev", "netmask"):
            if not args:
                raise Refused(f"`{word}' needs a value")
            value = args.pop(0)
            if word == "dev":
                device = value.encode("utf-8", "surrogateescape")[:15].decode("utf-8", "surrogateescape")
            elif value != "255.255.255.255":
                netmask = resolve(value)
                flags |= ATF_NETMASK
        else:
            raise Refused(f"unknown argument `{word}'")
    return flags, device, netmask, seen


_FLAG_WORDS = {"trail": ATF_USETRAILERS, "dontpub": ATF_DONTPUB, "auto": arp.ATF_MAGIC}


def parse_set(opts, argv: list[str]) -> arp.ArpRequest:
    """The request of ``arp -s HOST HWADDR [MODIFIERS]`` (``-Ds HOST IF ...`` with -D)."""
    args = list(argv)
    if not args:
        raise InputError("need host name")
    address = resolve(args.pop(0))
    if not args:
        raise InputError("need hardware address")
    hwtext = args.pop(0)
    if opts.use_device:
        hwtype, hwaddr = _device_hwaddr(hwtext, opts.hw if opts.hw_set else None)
    else:
        hwtype, hwaddr = opts.hw.arphrd, _hwaddr(opts.hw, hwtext)
    flags, device, netmask, _ = _modifiers(args, ATF_PERM | ATF_COM, opts.device, True)
    return arp.ArpRequest(address, hwaddr, hwtype, flags, netmask, device)


def _hwaddr(hw, text: str) -> bytes:
    if hw.parse is None:
        raise InputError(f"{hw.name}: sockctl cannot read addresses of this hardware type")
    try:
        return hw.parse(text)
    except InputError:
        raise InputError("invalid hardware address") from None


def _device_hwaddr(name: str, hw) -> tuple[int, bytes]:
    from sockctl import interfaces

    try:
        ife = interfaces.get(name, stats={}, inet6={})
    except (OSError, ValueError) as exc:
        reason = os.strerror(exc.errno) if isinstance(exc, OSError) else "No such device"
        raise InputError(f"cant get HW-Address for `{name}': {reason}.") from None
    if hw is not None and ife.hwtype != hw.arphrd:
        raise InputError("protocol type mismatch.")
    return ife.hwtype, ife.hwaddr


def parse_delete(opts, argv: list[str]) -> tuple[arp.ArpRequest, bool, bool]:
    """(request, try the private entry, try the proxy entry) of ``arp -d HOST [MODIFIERS]``."""
    args = list(argv)
    if not args:
        raise InputError("need host name")
    address = resolve(args.pop(0))
    flags, device, netmask, seen = _modifiers(args, ATF_PERM, opts.device, False)
    public, private = "pub" in seen, "priv" in seen
    if not public and not private:  # neither word: both, the private entry first
        public = private = True
    hwtype = opts.hw.arphrd if opts.hw_set else 0
    return arp.ArpRequest(address, b"", hwtype, flags, netmask, device), private, public


def delete(req: arp.ArpRequest, private: bool, public: bool) -> int:
    """net-tools' arp_del: the private entry, then (when asked, or when there was none) the proxy entry."""
    if private:
        try:
            arp.delete_entry(req)
            return 0
        except KernelError as exc:
            if exc.errno not in (errno.ENXIO, errno.ENOENT):
                return _kernel_failure("SIOCDARP(dontpub)", exc)
            if not public:
                return _no_entry(req)
    try:
        arp.delete_entry(arp.ArpRequest(req.address, req.hwaddr, req.hwtype, req.flags | ATF_PUBL, req.netmask,
                                        req.device))
    except KernelError as exc:
        if exc.errno not in (errno.ENXIO, errno.ENOENT):
            return _kernel_failure("SIOCDARP(pub)", exc)
        return _no_entry(req)
    return 0


def _no_entry(req: arp.ArpRequest) -> int:
    sys.stderr.write(f"No ARP entry for {req.address}\n")
    return E_FAIL


def _kernel_failure(call: str, exc: KernelError) -> int:
    sys.stderr.write(f"{call}: {os.strerror(exc.errno)}\n")
    return E_FAIL


def split_line(line: str) -> list[str]:
    """An ethers file line cut into words as net-tools' getargs does (quotes group words)."""
    words = []
    i, n = 0, len(line)
    while i < n and len(words) < 31:
        while i < n and line[i] in " \t":
            i += 1
        word = []
        if i < n and line[i] in "\"'":
            quote = line[i]
            i += 1
            while i < n:
                if line[i] == quote and line[i - 1] != "\\":
                    i += 1
                    break
                word.append(line[i])
                i += 1
        else:
            while i < n and line[i] not in " \t":
                word.append(line[i])
                i += 1
        words.append("".join(word))
        while i < n and line[i] in " \t":
            i += 1
    return words


def parse_file(opts, path: str, text: str) -> list[tuple[int, arp.ArpRequest]]:
    """(line number, request) for each entry of an ethers file; the first bad line raises InputError."""
    requests = []
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line or line.startswith("#"):
            continue
        args = split_line(line)
        if len(args) < 2:
            raise InputError(f"format error on line {number} of etherfile {path} !")
        if ":" in args[0]:  # ethers(5) order, "HWADDR HOST": arp -s takes HOST first
            args[0], args[1] = args[1], args[0]
        try:
            requests.append((number, parse_set(opts, args)))
        except InputError as exc:
            raise InputError(f"{exc} on line {number} of etherfile {path} !") from None
    return requests


def run(opts, operands: list[str]) -> int:
    """``arp -s``, ``-d`` or ``-f`` with their operands; the exit code."""
    try:
        if opts.action == "set":
            req = parse_set(opts, operands)
        elif opts.action == "delete":
            req, private, public = parse_delete(opts, operands)
        else:
            path = operands[0] if operands else ETHERS
            try:
                with open(path, "rb") as f:
                    text = f.read().decode("utf-8", "surrogateescape")
            except OSError:
                return _fail(f"cannot open etherfile {path} !")
            requests = parse_file(opts, path, text)
    except Refused as exc:
        return _fail(str(exc), E_OPTERR)
    except InputError as exc:
        return _fail(str(exc))
    if opts.action == "delete":
        return delete(req, private, public)
    try:
        if opts.action == "set":
            arp.set_entry(req)
        else:
            arp.set_entries([r for _, r in requests])
    except KernelError as exc:
        if opts.action == "set":
            return _kernel_failure("SIOCSARP", exc)
        number = requests[exc.index][0]
        return _fail(f"cannot set entry on line {number} of etherfile {path} ! (SIOCSARP: {os.strerror(exc.errno)};"
                     " no entry of the file was set)")
    return 0


def _fail(message: str, code: int = E_FAIL) -> int:
    sys.stderr.write(f"arp: {message}\n")
    return code
