"""``sockctl arp``: net-tools 2.10 arp, arguments and output.

    arp [-vn] [-H TYPE] [-i IF] [-a|-e] [HOST]          list the cache
    arp [-v] [-i IF] -d HOST [pub]                       delete an entry
    arp [-v] [-H TYPE] [-i IF] -s HOST HWADDR [temp] [pub] [netmask M] [dev IF]
    arp [-v] [-H TYPE] [-i IF] -Ds HOST IF [netmask M] pub
    arp [-vnD] [-H TYPE] [-i IF] -f [FILE]               set entries from an ethers file

Listings are byte-identical with net-tools. Changes are read whole and
checked before the kernel is asked; an ethers file is checked line by line
before its first entry is set, and its entries are set all or none.
Errors are one line on stderr.
"""

import sys

from sockctl.cli import gnu_getopt

E_OPTERR, E_FAIL = 3, 255

USAGE = """\
Usage:
  arp [-vn]  [<HW>] [-i <if>] [-a] [<hostname>]             <-Display ARP cache
  arp [-v]          [-i <if>] -d  <host> [pub]               <-Delete ARP entry
  arp [-vnD] [<HW>] [-i <if>] -f  [<filename>]            <-Add entry from file
  arp [-v]   [<HW>] [-i <if>] -s  <host> <hwaddr> [temp]            <-Add entry
  arp [-v]   [<HW>] [-i <if>] -Ds <host> <if> [netmask <nm>] pub          <-''-

        -a                       display (all) hosts in alternative (BSD) style
        -e                       display (all) hosts in default (Linux) style
        -s, --set                set a new ARP entry
        -d, --delete             delete a specified entry
        -v, --verbose            be verbose
        -n, --numeric            don't resolve names
        -i, --device             specify network interface (e.g. eth0)
        -D, --use-device         read <hwaddr> from given device
        -A, -p, --protocol       specify protocol family
        -f, --file               read new entries from file or from /etc/ethers

  <HW>=Use '-H <hw>' to specify hardware address type. Default: ether
  List of possible hardware types (which support ARP):
"""

LONG_OPTIONS = [
    ("verbose", False, "v"), ("version", False, "V"), ("all", False, "a"), ("delete", False, "d"),
    ("file", False, "f"), ("numeric", False, "n"), ("set", False, "s"), ("protocol", True, "A"),
    ("hw-type", True, "H"), ("device", True, "i"), ("help", False, "h"), ("use-device", False, "D"),
    ("symbolic", False, "N"),
]


class Options:
    """What the options said (net-tools' globals)."""

    __slots__ = ("action", "numeric", "verbose", "use_device", "all", "linux", "hw", "hw_set", "device")

    def __init__(self):
        self.action = "show"  # show, file, delete or set
        self.numeric = self.verbose = self.use_device = self.hw_set = False
        self.all = self.linux = False  # -a (the BSD style unless -e), -e
        self.hw = None  # hwtypes.HwType; ether unless -H says otherwise
        self.device = ""


def _fail(message: str, code: int = E_FAIL) -> int:
    sys.stderr.write(f"arp: {message}\n")
    return code


def _hw_list() -> str:
    from sockctl import hwtypes

    names = [f"{hw.name} ({hw.title}) " for hw in hwtypes.HWTYPES if hw.addr_len > 0]
    return "".join("    " + "".join(names[i:i + 3]) + "\n" for i in range(0, len(names), 3))


def main(argv: list[str], ctx) -> int:
    from sockctl import hwtypes

    opts = Options()
    try:
        options, operands = gnu_getopt.parse(argv, "A:H:adfp:nsei:t:vh?DNV", LONG_OPTIONS)
    except gnu_getopt.OptionError as exc:
        return _fail(str(exc), E_OPTERR)
    for option, value in options:
        if option == "a":
            opts.action, opts.all = "show", True
        elif option == "e":
            opts.linux = True
        elif option in ("f", "d", "s"):
            opts.action = {"f": "file", "d": "delete", "s": "set"}[option]
        elif option == "n":
            opts.numeric = True
        elif option == "D":
            opts.use_device = True
        elif option == "v":
            opts.verbose = True
        elif option in ("A", "p"):
            if value not in ("inet", "ip", "tcpip"):
                known = ("unix", "inet6", "ip6", "ax25", "netrom", "rose", "ipx", "ddp", "appletalk", "ec",
                         "econet", "x25", "ash", "bluetooth")
                if value in known:
                    return _fail(f"{value}: kernel only supports 'inet'.")
                return _fail(f"{value}: unknown address family.")
        elif option in ("H", "t"):
            opts.hw = hwtypes.by_name(value)
            if opts.hw is None or opts.hw is hwtypes.UNSPEC:
                return _fail(f"{value}: unknown hardware type.")
            opts.hw_set = True
        elif option == "i":
            opts.device = value.encode("utf-8", "surrogateescape")[:15].decode("utf-8", "surrogateescape")
        elif option == "V":
            from sockctl import __version__

            sys.stdout.write(f"sockctl {__version__} (arp of net-tools 2.10)\n")
            return 0
        elif option in ("h", "?"):
            sys.stdout.write(USAGE)
            sys.stdout.flush()
            sys.stderr.write(_hw_list())  # net-tools prints the list on stderr
            return 0
        elif option == "N":
            sys.stderr.write("arp: -N not yet supported.\n")
    if opts.hw is None:
        opts.hw = hwtypes.by_name("ether")
    elif opts.hw.addr_len <= 0:
        return _fail(f"{opts.hw.name}: hardware type without ARP support.")
    if opts.action == "show":
        return _show(opts, operands[0] if operands else None, ctx)
    from sockctl.cli import arp_args

    return arp_args.run(opts, operands)


def _show(opts: Options, host: str | None, ctx) -> int:
    from sockctl import arp

    wanted = None
    if host is not None:
        from sockctl.cli import arp_args
        from sockctl.errors import InputError

        try:
            wanted = str(arp_args.resolve(host))
        except InputError as exc:
            return _fail(str(exc))
    rows = arp.rows()
    shown = [row for row in rows
             if not (opts.hw_set and row[1] != opts.hw.arphrd) and not (wanted and row[0] != wanted)
             and not (opts.device and row[5] != opts.device)]
    if ctx.json:
        from sockctl.cli import jsonout

        sys.stdout.write(jsonout.dumps({"arp": arp.arp_entries(shown)}))
        return 0
    from sockctl.cli import arp_format as fmt

    bsd = opts.all and not opts.linux
    if opts.numeric:
        names = ["?"] * len(shown) if bsd else [row[0] for row in shown]
    else:
        names = _names(shown, bsd)
    out = fmt.bsd_style(shown, names) if bsd else fmt.linux_style(shown, names)
    if opts.verbose:
        out += f"Entries: {len(rows)}\tSkipped: {len(rows) - len(shown)}\tFound: {len(shown)}\n"
    if not shown:
        if wanted and not opts.all:
            out += f"{host} ({wanted}) -- no entry\n"
        elif opts.hw_set or wanted or opts.device:
            out += f"arp: in {len(rows)} entries no match found.\n"
    sys.stdout.write(out)
    return 0


def _names(rows, bsd: bool) -> list[str]:
    """Each row's host name as net-tools works it out; its address (or "?" with -a) when it has none."""
    from _socket import inet_aton

    from sockctl import netdb
    from sockctl.cli import netnames

    db = netdb.system()
    names = []
    for row in rows:
        address = row[0]
        name = netnames.inet(db, inet_aton(address), netnames.SPRINT_MASK, netnames.DEFAULT)
        if name == address:
            name = "?" if bsd else address
        names.append(name)
    return names
