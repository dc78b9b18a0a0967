"""net-tools 2.10 ``route`` listings, from decoded routing tables.

Pure functions: nothing here asks the kernel anything. Layouts and flag
letters are net-tools' (lib/inet_gr.c, lib/inet6_gr.c); the tests compare
them byte for byte with the real tool. ``ext`` is net-tools' listing style:
1 plain, 2 for -e, 3 for -ee, 0 (four -e) prints titles only. ``db`` is a
``sockctl.netdb.Database`` to name addresses, or None for -n.

A row is printed as its destination, padded, and a tail made of all its
other fields: rows that share those (``routes.parse_proc_route`` hands out
one object for them) share one tail, formatted once.
"""

from _socket import inet_ntoa

from sockctl.cli import netnames, nettools

# ---- IPv4 ----

# sockctl.abi.route's values (a listing does not import it: its structure loads ctypes).
RTF_UP, RTF_GATEWAY, RTF_HOST, RTF_REJECT = 0x0001, 0x0002, 0x0004, 0x0200

# The letters after U and G, in net-tools' order. Bits above 0xffff are the
# IPv6 values (linux/ipv6_route.h); 0x0400 is a 2.0 kernel's RTF_NOTCACHED.
_IPV4_LETTERS = (
    (RTF_HOST, "H"), (0x0008, "R"), (0x0010, "D"), (0x0020, "M"), (0x00010000, "d"), (0x00020000, "a"),
    (0x00040000, "c"), (0x00200000, "o"), (0x00400000, "e"), (0x01000000, "c"), (0x02000000, "f"),
    (0x04000000, "p"), (0x80000000, "l"), (0x0040, "u"), (0x0080, "w"), (0x0100, "i"), (0x0400, "n"),
)

IPV4_TITLE = "Kernel IP routing table\n"
_IPV4_HEADERS = {
    1: "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n",
    2: "Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n",
    3: "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    MSS   Window irtt\n",
}


def ipv4_flags(flags: int) -> str:
    """The Flags column: U and G, replaced by ! on a reject route, then the rest."""
    text = ("U" if flags & RTF_UP else "") + ("G" if flags & RTF_GATEWAY else "")
    if flags & RTF_REJECT:
        text = "!"
    return text + "".join(letter for bit, letter in _IPV4_LETTERS if flags & bit)


def scanned_int(value: int) -> int:
    """VALUE as net-tools holds it after sscanf's %d: strtol's saturation, then a C int."""
    return nettools.c_int(min(max(value, -2**63), 2**63 - 1))


def _tail(rest: tuple, ext: int, db) -> str | None:
    """Everything of a row after its destination, or None when net-tools skips the row."""
    iface, gateway, flags, refcnt, use, metric, genmask, mtu, window, irtt = rest
    refcnt, use, metric, mtu, window, irtt = map(scanned_int, (refcnt, use, metric, mtu, window, irtt))
    if not flags & RTF_UP:
        return None
    mask = inet_ntoa(genmask)
    flag_text = ipv4_flags(flags)
    if flags & RTF_REJECT:
        if ext == 1:
            return f" -               {mask:<15} {flag_text:<5} {metric:<6} -  {use:>7} -\n"
        if ext == 2:
            return f" -               {mask:<15} {flag_text:<5}     - -          - -\n"
        return f" -               {mask:<15} {flag_text:<5} {metric:<6} -  {use:>7} -        -     -      -\n"
    if db is None:
        gate = inet_ntoa(gateway)
    else:
        gate = netnames.inet(db, gateway, netnames.SPRINT_MASK, netnames.HOST)[:15]
    if ext == 1:
        return f" {gate:<15} {mask:<15} {flag_text:<5} {metric:<6} {refcnt:<2} {use:>7} {iface}\n"
    if ext == 2:
        return f" {gate:<15} {mask:<15} {flag_text:<5} {mtu:>5} {window:<5} {irtt:>6} {iface}\n"
    return (f" {gate:<15} {mask:<15} {flag_text:<5} {metric:<6} {refcnt:<3} {use:>6} {iface[:6]:<6}"
            f"   {mtu:<5} {window:<6} {irtt}\n")


def ipv4_table(rows: list[tuple[bytes, tuple]], ext: int, db=None) -> str:
    """``route [-n] [-e|-ee]`` for rows from ``routes.parse_proc_route``."""
    out = [IPV4_TITLE, _IPV4_HEADERS.get(ext, "")]
    if ext not in _IPV4_HEADERS:
        return "".join(out)
    tails: dict[int, str | None] = {}  # by id(rest): the rows keep each rest alive
    known, append, ntoa = tails.get, out.append, inet_ntoa
    for destination, rest in rows:
        tail = known(id(rest), _UNSEEN)
        if tail is _UNSEEN:
            tail = tails[id(rest)] = _tail(rest, ext, db)
        if tail is not None:
            name = ntoa(destination) if db is None else _destination_name(db, destination, rest)
            append(name.ljust(15) + tail)
    return "".join(out)


_UNSEEN = object()


def _destination_name(db, destination: bytes, rest: tuple) -> str:
    how = netnames.DEFAULT | (netnames.HOST if rest[2] & RTF_HOST else 0)
    return netnames.inet(db, destination, netnames.word(rest[6]), how)[:15]


# ---- IPv4 routing cache (empty since Linux 3.6, which keeps only the header) ----

IPV4_CACHE_TITLE = "Kernel IP routing cache\n"
_CACHE_HEADERS = {
    1: "Source          Destination     Gateway         Flags Metric Ref    Use Iface\n",
    2: "Source          Destination     Gateway         Flags   MSS Window  irtt Iface\n",
    3: "Source          Destination     Gateway         Flags Metric Ref    Use Iface    "
       "MSS   Window irtt  TOS HHRef HHUptod     SpecDst\n",
}

# RTCF_* letters after G, !, R, D and M (net-tools' lib/net-support.h values).
_CACHE_LETTERS = (
    (0x00000001, "-"), (0x00000004, "o"), (0x00010000, "n"), (0x00020000, "d"), (0x00080000, "t"),
    (0x00200000, "f"), (0x00400000, "q"), (0x00800000, "Ns"), (0x01000000, "r"), (0x04000000, "i"),
    (0x08000000, "Nd"), (0x10000000, "b"), (0x20000000, "m"), (0x40000000, "#"), (0x80000000, "l"),
)


def cache_flags(flags: int) -> str:
    """The Flags column of a cached route."""
    text = "G" if flags & RTF_GATEWAY else ""
    if flags & RTF_REJECT:
        text = "!"
    text += "".join(letter for bit, letter in ((0x0008, "R"), (0x0010, "D"), (0x0020, "M")) if flags & bit)
    return text + "".join(letter for bit, letter in _CACHE_LETTERS if flags & bit)


def ipv4_cache(entries, ext: int, db=None) -> str:
    """``route -C [-n] [-e|-ee]`` for ``routes.CachedRoute`` records."""
    out = [IPV4_CACHE_TITLE, _CACHE_HEADERS.get(ext, "")]

    def name(address) -> str:
        if db is None:
            return str(address)
        return netnames.inet(db, address.packed, netnames.SPRINT_MASK)

    for e in entries:
        source, destination, gateway = name(e.source), name(e.destination), name(e.gateway)
        head = f"{source:<15} {destination:<15} {gateway:<15} {cache_flags(e.flags):<5}"
        refcnt, use, metric, mtu, window, irtt, tos, hhref, hhuptod = map(
            scanned_int, (e.refcnt, e.use, e.metric, e.mtu, e.window, e.irtt, e.tos, e.hhref, e.hhuptod))
        if ext == 1:
            out.append(f"{head} {metric:<6} {refcnt:<2} {use:>7} {e.iface}\n")
        elif ext == 2:
            out.append(f"{head} {mtu:>5} {window:<5} {irtt:>6} {e.iface}\n")
        elif ext == 3:
            out.append(f"{head} {metric:<6} {refcnt:<3} {use:>6} {e.iface[:6]:<6}   {mtu:<5} {window:<6}"
                       f" {irtt:<5} {tos:<3} {hhref:<3}   {hhuptod:<3} {name(e.spec_dst):>15}\n")
    return "".join(out)


# ---- IPv6 ----

RTF_CACHE = 0x01000000  # sockctl.abi.ipv6_route's

IPV6_TITLE = "Kernel IPv6 routing table\n"
IPV6_CACHE_TITLE = "Kernel IPv6 routing cache\n"
IPV6_HEADER = "Destination                    Next Hop                   Flag Met Ref  Use If\n"

_IPV6_LETTERS = (
    (RTF_UP, "U"), (RTF_REJECT, "!"), (RTF_GATEWAY, "G"), (RTF_HOST, "H"), (0x00010000, "D"),
    (0x00040000, "A"), (RTF_CACHE, "C"), (0x00020000, "a"), (0x00400000, "e"), (0x0020, "m"),
    (0x00200000, "n"), (0x02000000, "f"),
)


def ipv6_flags(flags: int) -> str:
    """The Flag column of an IPv6 route."""
    return "".join(letter for bit, letter in _IPV6_LETTERS if flags & bit)


def ipv6_table(routes, cache: bool = False, db=None) -> str:
    """``route -A inet6 [-n]`` (or ``-C``: the cached routes) for ``routes.Route6`` records."""
    out = [IPV6_CACHE_TITLE if cache else IPV6_TITLE, IPV6_HEADER]
    for r in routes:
        if bool(r.flags & RTF_CACHE) != cache:
            continue
        if db is None:
            destination, hop = nettools.inet6_text(r.destination), nettools.inet6_text(r.next_hop)
        else:
            destination, hop = netnames.inet6(db, r.destination), netnames.inet6(db, r.next_hop)
        destination = f"{destination}/{r.prefixlen}"
        out.append(f"{destination:<30} {hop:<26} {ipv6_flags(r.flags):<4} {nettools.c_int(r.metric):<3}"
                   f" {nettools.c_int(r.refcnt):<1} {nettools.c_int(r.use):>6} {r.iface}\n")
    return "".join(out)
