"""``sockctl ipvsadm``: ipvsadm 1.31's commands and listings, over IPVS's socket options.

    ipvsadm -A|E -t|u|--sctp-service ADDR[:PORT] | -f MARK [-s SCHED] [-p [TIMEOUT]] [-M NETMASK] [-o] [-b FLAGS]
    ipvsadm -D SERVICE | -C | -R | -S [-n] | -Z [SERVICE]
    ipvsadm -a|e SERVICE -r ADDR[:PORT] [-g|-i|-m] [-w WEIGHT] [-x UTHR] [-y LTHR]
    ipvsadm -d SERVICE -r ADDR[:PORT]
    ipvsadm -L|l [SERVICE] [-n] [--stats|--rate|--thresholds|--persistent-conn] [--exact] [--nosort]
    ipvsadm -L --timeout | --daemon
    ipvsadm --set TCP TCPFIN UDP
    ipvsadm --start-daemon master|backup [--mcast-interface IF] [--syncid ID] | --stop-daemon master|backup

Listings and saved rules are byte-identical with ipvsadm's. A command line
is checked whole before the kernel is asked; ``-R`` reads every line
first and applies them all or none. What only generic netlink carries
(IPv6, persistence engines, tunnel types, sync daemon groups) is refused
with a message saying so. Exit statuses are ipvsadm's: 2 for a bad command
line (or no IPVS), 1 for a listing that fails, 255 for a refused change.
"""

import sys
from errno import ENOPROTOOPT

from sockctl.cli import ipvsadm_args as arguments
from sockctl.errors import Error, KernelError

E_LIST, E_USAGE, E_CHANGE = 1, 2, 255

HELP = """\
Usage:
  sockctl ipvsadm -A|E SERVICE [-s scheduler] [-p [timeout]] [-M netmask] [-o] [-b sched-flags]
  sockctl ipvsadm -D SERVICE
  sockctl ipvsadm -C | -R | -S [-n] | -Z [SERVICE]
  sockctl ipvsadm -a|e SERVICE -r server-address [-g|-i|-m] [-w weight] [-x upper] [-y lower]
  sockctl ipvsadm -d SERVICE -r server-address
  sockctl ipvsadm -L|l [SERVICE] [-n] [--stats|--rate|--thresholds|--persistent-conn] [--exact] [--nosort]
  sockctl ipvsadm -L|l --timeout | --daemon
  sockctl ipvsadm --set tcp tcpfin udp
  sockctl ipvsadm --start-daemon master|backup [--mcast-interface IF] [--syncid ID]
  sockctl ipvsadm --stop-daemon master|backup

SERVICE is -t|--tcp-service HOST[:PORT], -u|--udp-service HOST[:PORT],
--sctp-service HOST[:PORT] or -f|--fwmark-service MARK. Real servers are
reached by direct routing (-g, the default), IP-in-IP tunnelling (-i) or
masquerading (-m). Schedulers: rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf
mh (default wlc). -R reads ipvsadm commands from standard input, one per
line, and applies all of them or none; -S writes them.

IPVS is reached through its socket options, which carry IPv4 only: IPv6
services, persistence engines (--pe), tunnel types other than ipip and the
sync daemon's group, port, TTL and message size need generic netlink.
"""


def _fail(message: str, status: int) -> int:
    sys.stderr.write(f"{message}\n")
    return status


def _modprobe() -> bool:
    """Load ip_vs as ipvsadm does when IPVS does not answer; whether modprobe succeeded."""
    import subprocess

    try:
        return subprocess.run(["/sbin/modprobe", "--", "ip_vs"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode == 0
    except OSError:
        return False


def _init():
    """IPVS's Info, loading the module if need be (ipvsadm's ipvs_init)."""
    from sockctl import ipvs

    try:
        return ipvs.info()
    except KernelError as exc:
        if exc.errno != ENOPROTOOPT or not _modprobe():
            raise
    return ipvs.info()


def main(argv: list[str], ctx) -> int:
    if not argv:
        argv = ["-L"]  # ipvsadm alone lists the table
    try:
        cmd = arguments.parse(argv)
    except arguments.ArgumentError as exc:
        return _fail(str(exc), exc.status)
    if cmd.cmd == "help":
        sys.stdout.write(HELP)
        return 0
    if cmd.cmd == "version":
        from sockctl import __version__

        sys.stdout.write(f"sockctl {__version__} (ipvsadm v1.31 over IPVS socket options)\n")
        return 0
    why = cmd.netlink_only()
    if why:
        return _fail(why, E_CHANGE)
    try:
        info = _init()
    except Error as exc:
        return _fail(f"cannot reach IPVS: {exc}", E_USAGE)
    if cmd.cmd in ("list", "save"):
        from sockctl.cli import ipvsadm_list

        try:
            return ipvsadm_list.run(cmd, info, ctx)
        except Error as exc:
            return _fail(str(exc), E_LIST)
    from sockctl.cli import ipvsadm_change

    if cmd.cmd == "restore":
        return ipvsadm_change.restore(sys.stdin.buffer.read())
    try:
        ipvsadm_change.send(cmd)
    except Error as exc:
        return _fail(str(exc), E_CHANGE)
    return 0
