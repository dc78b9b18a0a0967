"""``sockctl ifconfig``: net-tools 2.10 ifconfig, arguments and output.

    ifconfig [-a] [-v] [-s] [INTERFACE]
    ifconfig INTERFACE [inet] [ADDRESS[/PREFIXLEN]] [KEYWORD [VALUE]]...

Unlike net-tools, a command line that changes things is read whole and
checked before the first change, and a change the kernel refuses undoes the
ones before it (``sockctl.interface_config``).
"""

import sys

from sockctl import hwtypes, interfaces
from sockctl.abi import netdevice as nd
from sockctl.cli import ifconfig_format as fmt, nettools
from sockctl.errors import Error, NoSuchDevice

USAGE = """\
Usage:
  ifconfig [-a] [-v] [-s] <interface> [[<AF>] <address>]
  [add <address>[/<prefixlen>]]
  [del <address>[/<prefixlen>]]
  [[-]broadcast [<address>]]  [[-]pointopoint [<address>]]
  [netmask <address>]  [dstaddr <address>]
  [hw <HW> <address>]  [mtu <NN>]
  [[-]trailers]  [[-]arp]  [[-]allmulti]
  [multicast]  [[-]promisc]
  [mem_start <NN>]  [io_addr <NN>]  [irq <NN>]  [media <type>]
  [txqueuelen <NN>]
  [name <newname>]
  [[-]dynamic]
  [up|down] ...

  <HW>=Hardware Type.
  List of possible hardware types:
{hwlist}
  <AF>=Address family. Default: inet
  List of possible address families:
    inet (DARPA Internet) inet6 (IPv6)
"""

def _usage_text() -> str:
    names = [f"{hw.name} ({hw.title}) " for hw in hwtypes.HWTYPES]
    rows = ["    " + "".join(names[i:i + 3]) for i in range(0, len(names), 3)]
    return USAGE.format(hwlist="\n".join(rows))


def main(argv: list[str], ctx) -> int:
    args = list(argv)
    show_all = short = False
    while args and args[0].startswith("-"):
        opt = args.pop(0)
        if opt == "-a":
            show_all = True
        elif opt == "-s":
            short = True
        elif opt == "-v":
            pass  # net-tools' -v changes no listing, only error chatter
        elif opt in ("-V", "-version", "--version"):
            from sockctl import __version__

            sys.stdout.write(f"sockctl {__version__} (ifconfig of net-tools 2.10)\n")
            return 0
        elif opt in ("-?", "-h", "-help", "--help"):
            sys.stdout.write(_usage_text())
            return 0
        else:
            sys.stderr.write(f"ifconfig: option `{opt}' not recognised; `--help' gives usage information.\n")
            return 1
    if not args:
        return _show(None, show_all, short, ctx)
    if len(args) == 1:
        return _show(args[0], show_all, short, ctx)
    return _configure(args)


def _configure(args: list[str]) -> int:
    from sockctl.cli.ifconfig_args import STILL_SET, UsageError, parse_changes
    from sockctl.interface_config import configure

    try:
        name, changes, warn_bits = parse_changes(args)
        final_name = configure(name, changes)
    except UsageError as exc:
        sys.stderr.write(f"ifconfig: {exc}\n")
        return 3
    except Error as exc:
        sys.stderr.write(f"ifconfig: {exc}\n")
        return 1
    left = interfaces.flags(final_name) & warn_bits
    for bit, message in STILL_SET.items():
        if left & bit:
            sys.stderr.write(message.format(final_name) + "\n")
    return 0


def _show(name: str | None, show_all: bool, short: bool, ctx) -> int:
    if short and not ctx.json:
        sys.stdout.write(fmt.SHORT_HEADER)  # net-tools prints it even before an error
    if name is None:
        found = sorted(interfaces.list_all(), key=lambda i: nettools.nstrcmp_key(i.name))
        if not show_all:
            found = [i for i in found if i.flags & nd.IFF_UP]
    else:
        try:
            found = [interfaces.get(name)]
        except ValueError:  # a name no interface can have
            sys.stderr.write(f"{name}: error fetching interface information: Device not found\n")
            return 1
        except OSError as exc:
            reason = "Device not found" if isinstance(exc, NoSuchDevice) else exc.reason
            sys.stderr.write(f"{name}: error fetching interface information: {reason}\n")
            return 1
    if ctx.json:
        sys.stdout.write(_json(found))
    elif short:
        sys.stdout.write("".join(fmt.short_entry(i) for i in found))
    else:
        sys.stdout.write("".join(fmt.long_entry(i) for i in found))
    return 0


def _json(found) -> str:
    from sockctl.cli import jsonout

    entries = []
    for ife in found:
        entry = jsonout.jsonable(ife)
        hw = hwtypes.by_arphrd(ife.hwtype)
        entry["flag_names"] = fmt.flag_names(ife.flags)
        entry["hwtype_name"] = hw.name
        entry["hwaddr"] = hw.text(ife.hwaddr) or None
        for item in entry["inet6"]:
            item["scope_name"] = fmt.scope_text(item["scope"]).strip("<>")
        entries.append(entry)
    return jsonout.dumps({"interfaces": entries})
