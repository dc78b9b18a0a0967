"""``sockctl route``: net-tools 2.10 route, arguments and output.

    route [-nNvee] [-FC] [-A inet|inet6 | -4 | -6]            list the tables
    route [-v] [-A ...] add|del [-net|-host] TARGET [OPTIONS]  change one route

Listings are byte-identical with net-tools. A change is read whole and
checked before the kernel is asked, and errors are one line on stderr.
"""

import sys

from sockctl.cli import gnu_getopt
from sockctl.errors import Error

# net-tools' exit code for a command line it refuses (lib/net-support.h)
E_OPTERR = 3

USAGE = """\
Usage: route [-nNvee] [-FC] [<AF>]           List kernel routing tables
       route [-v] [-FC] {add|del|flush} ...  Modify routing table for AF.

       route {-h|--help} [<AF>]              Detailed usage syntax for specified AF.
       route {-V|--version}                  Display version/author and exit.

        -v, --verbose            be verbose
        -n, --numeric            don't resolve names
        -e, --extend             display other/more information
        -F, --fib                display Forwarding Information Base (default)
        -C, --cache              display routing cache instead of FIB

  <AF>=Use -4, -6, '-A <af>' or '--<af>'; default: inet
  List of possible address families (which support routing):
"""
AF_LIST = """\
    inet (DARPA Internet) inet6 (IPv6) ax25 (AMPR AX.25) 
    netrom (AMPR NET/ROM) rose (AMPR ROSE) ipx (Novell IPX) 
    ddp (Appletalk DDP) x25 (CCITT X.25) 
"""
INET_USAGE = """\
Usage: inet_route [-vF] del {-host|-net} Target[/prefix] [gw Gw] [metric M] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [gw Gw] [metric M]
                              [netmask N] [mss Mss] [window W] [irtt I]
                              [mod] [dyn] [reinstate] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [metric M] reject
       inet_route [-FC] flush      NOT supported
"""
INET6_USAGE = """\
Usage: inet6_route [-vF] del Target
       inet6_route [-vF] add Target [gw Gw] [metric M] [[dev] If]
       inet6_route [-FC] flush      NOT supported
"""

# -A and --<af> names, as net-tools translates them; only inet and inet6 route here.
FAMILY_ALIASES = {"ax25": "ax25", "ip": "inet", "ip6": "inet6", "ipx": "ipx", "rose": "rose", "appletalk": "ddp",
                  "netrom": "netrom", "inet": "inet", "inet6": "inet6", "ddp": "ddp", "unix": "unix",
                  "tcpip": "inet", "econet": "ec", "x25": "x25", "ash": "ash", "bluetooth": "bluetooth"}
_FAMILY_OPTIONS = ("ax25", "x25", "ip", "ipx", "appletalk", "netrom", "inet", "inet6", "ddp", "rose", "unix",
                   "bluetooth", "tcpip")
LONG_OPTIONS = [(name, False, "af") for name in _FAMILY_OPTIONS] + [
    ("extend", False, "e"), ("verbose", False, "v"), ("version", False, "V"), ("numeric", False, "n"),
    ("symbolic", False, "N"), ("protocol", True, "A"), ("cache", False, "C"), ("fib", False, "F"),
    ("help", False, "h"),
]


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"route: {message}\n")
    return code


def _families(text: str, families: list[str]) -> None:
    for name in text.split(","):
        if name not in FAMILY_ALIASES:
            raise gnu_getopt.OptionError(f"Unknown address family `{name}'.")
        families.append(FAMILY_ALIASES[name])


def main(argv: list[str], ctx) -> int:
    # getopt would read -net and -host as options: net-tools renames them first.
    args = ["#" + a[1:] if a in ("-net", "-host") else a for a in argv]
    families: list[str] = []
    numeric = want_help = False
    ext, fib, cache = 1, False, False
    try:
        options, operands = gnu_getopt.parse(args, "A:eCFhnN64Vv?", LONG_OPTIONS)
        for option, value in options:
            if option in ("n", "N"):
                numeric = True  # -N: symbolic names, which net-tools prints numerically
            elif option == "e":
                ext += 1
            elif option == "C":
                cache = True
            elif option == "F":
                fib = True
            elif option in ("A", "af"):  # -A NAME[,NAME...] or --NAME
                _families(value, families)
            elif option in ("4", "6"):
                families.append("inet" if option == "4" else "inet6")
            elif option == "V":
                from sockctl import __version__

                sys.stdout.write(f"sockctl {__version__} (route of net-tools 2.10)\n")
                return 0
            elif option in ("h", "?"):
                want_help = True
    except gnu_getopt.OptionError as exc:
        return _fail(str(exc), 1 if str(exc).startswith("Unknown address family") else E_OPTERR)
    if want_help:
        return _help(families)
    if not families:
        families = ["inet"]
    if not operands:
        return _show(families, ext & 3, numeric, fib or not cache, cache, ctx)
    action = operands[0]
    if action not in ("add", "del", "delete", "flush"):
        return _fail(f"unknown command `{action}' (add, del or flush)", E_OPTERR)
    return _edit(action, families, cache, operands[1:])


def _help(families: list[str]) -> int:
    if not families:
        sys.stdout.write(USAGE)
        sys.stdout.flush()
        sys.stderr.write(AF_LIST)  # net-tools prints the list on stderr
        return 0
    family = ",".join(families)
    if family not in ("inet", "inet6"):
        return _fail(f"No routing for address family `{family}'.", E_OPTERR)
    sys.stdout.write(INET_USAGE if family == "inet" else INET6_USAGE)
    return 0


def _show(families: list[str], ext: int, numeric: bool, fib: bool, cache: bool, ctx) -> int:
    from sockctl import routes
    from sockctl.cli import route_format as fmt

    db = None
    if not numeric:
        from sockctl import netdb

        db = netdb.system()
    for family in families:
        if family not in ("inet", "inet6"):
            return _fail(f"No routing for address family `{family}'.", E_OPTERR)
    document = {}
    for family in families:
        try:
            if family == "inet":
                if fib:
                    rows = routes.ipv4_rows()
                    if ctx.json:
                        document["inet"] = routes.ipv4_routes(rows)
                    else:
                        sys.stdout.write(fmt.ipv4_table(rows, ext, db))
                if cache:
                    entries = routes.ipv4_cache()
                    if ctx.json:
                        document["inet_cache"] = entries
                    else:
                        sys.stdout.write(fmt.ipv4_cache(entries, ext, db))
            else:
                table = routes.ipv6_table()
                if ctx.json:
                    document.setdefault("inet6", []).extend(table)
                else:
                    if fib:
                        sys.stdout.write(fmt.ipv6_table(table, False, db))
                    if cache:
                        sys.stdout.write(fmt.ipv6_table(table, True, db))
        except OSError as exc:  # a kernel without this family's table
            return _fail(f"{exc.filename}: {exc.strerror}", 1)
    if ctx.json:
        from sockctl.cli import jsonout

        sys.stdout.write(jsonout.dumps(document))
    return 0


def _edit(action: str, families: list[str], cache: bool, args: list[str]) -> int:
    family = ",".join(families)
    if family not in ("inet", "inet6"):
        return _fail(f"Address family `{family}' not supported.", E_OPTERR)
    if action == "flush":
        return _fail(f"Flushing `{family}' routing table not supported", E_OPTERR)
    if cache and family == "inet":
        return _fail("Modifying `inet' routing cache not supported", E_OPTERR)
    if not args:
        if family == "inet6":
            return _fail("a target is needed", E_OPTERR)
        sys.stdout.write(INET_USAGE)  # net-tools takes a bare `route add' as a request for help
        return 0
    from sockctl.cli import route_args
    from sockctl.cli.netnames import UnknownHost

    try:
        request = route_args.parse(family, args)
    except UnknownHost as exc:
        return _fail(str(exc), exc.code)
    except Error as exc:
        return _fail(str(exc), E_OPTERR)
    return route_args.apply(action, request)
