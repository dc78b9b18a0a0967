"""Helpers of the IPVS tests, which run in the VM (the distribution kernel loads ip_vs).

A test namespace gets IPVS state of its own. ipvsadm, the peer, talks to
IPVS over generic netlink when it can; ``Peer(sockopt=True)`` runs it with
netlink sockets refused (a small LD_PRELOAD library), so that it falls back
to the socket options sockctl uses. Both read the same kernel state.
"""

import difflib
import io
import shutil
import subprocess
import sys
import time

import nstest
import sockctl

# socket(AF_NETLINK, ...) fails: libipvs then uses IPVS's socket options.
NO_NETLINK_C = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sys/socket.h>

int socket(int domain, int type, int protocol)
{
    static int (*real)(int, int, int);

    if (domain == AF_NETLINK) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    if (!real)
        real = (int (*)(int, int, int))dlsym(RTLD_NEXT, "socket");
    return real(domain, type, protocol);
}
"""

# Interfaces and routes the rules below need: real servers must be unicast
# addresses, a sync daemon needs an interface. Nothing leaves the namespace:
# a dummy interface drops what it is given.
LINKS = """
link add d0 type dummy
addr add 10.0.0.254/24 dev d0
addr add 10.1.0.254/16 dev d0
addr add 192.168.7.254/24 dev d0
addr add 192.168.50.254/24 dev d0
addr add 200.1.2.254/24 dev d0
link set d0 up
"""

# Services of every kind the socket options carry, in an order ipvsadm
# does not list them in; 10.x, 192.168.x and 200.x addresses are 2**31 or
# more apart, where ipvsadm's comparison wraps.
RULES = """\
-A -t 200.1.2.3:21 -s dh -p
-A -t 10.0.0.1:80 -s rr
-a -t 10.0.0.1:80 -r 10.1.0.1:80 -g -w 1
-a -t 10.0.0.1:80 -r 200.1.2.9:80 -i -w 3
-a -t 10.0.0.1:80 -r 192.168.7.2:80 -g -w 0
-a -t 10.0.0.1:80 -r 10.1.0.11:80 -m -w 2
-A -t 192.168.50.1:443 -s wlc -p 600 -M 255.255.255.0
-a -t 192.168.50.1:443 -r 10.1.0.2:8443 -m -w 65535
-a -t 192.168.50.1:443 -r 10.1.0.3:8443 -m -w 100 -x 1000 -y 10
-A -u 10.0.0.2:53 -s sh -b sh-fallback,sh-port -o
-a -u 10.0.0.2:53 -r 10.1.0.4:5353 -m
-A --sctp-service 10.0.0.3:9999 -s lc
-a --sctp-service 10.0.0.3:9999 -r 10.1.0.5 -g
-A -f 1 -s wrr
-a -f 1 -r 10.1.0.6:0 -g -w 5
-A -f 2882430849 -s mh -b mh-fallback
-a -f 2882430849 -r 10.1.0.7:80 -m
-A -t 10.0.0.1:8080 -s sed
-A -t 10.0.0.1:8081 -s nq
-A -t 10.0.0.1:8082 -s lblc
-A -t 10.0.0.1:8083 -s lblcr
-A -t 10.0.0.1:8084 -s fo
-A -t 10.0.0.1:8085 -s ovf
-A -t 10.0.0.1:0 -s rr -p 60
-A -t 10.0.0.1:25 -s rr -b flag-3
-a -t 10.0.0.1:25 -r 200.1.2.10:25 -g
-a -t 10.0.0.1:25 -r 10.1.0.12:25 -g
-a -t 10.0.0.1:25 -r 192.168.7.3:25 -g
"""


# What ipvsadm -S prints can be read back: ipvsadm 1.31 prints a firewall mark of 2**31 or more as a
# negative number, which its own -R (and sockctl's) refuses.
SAVEABLE = RULES.replace("2882430849", "2147483647")


def no_netlink_library(directory) -> str:
    """Build the LD_PRELOAD library in DIRECTORY; its path."""
    gcc = shutil.which("gcc")
    assert gcc, "gcc is needed (scripts/test installs it)"
    source, library = directory / "no_netlink.c", directory / "no_netlink.so"
    source.write_text(NO_NETLINK_C)
    nstest.run([gcc, "-shared", "-fPIC", "-o", str(library), str(source), "-ldl"])
    return str(library)


class Peer:
    """ipvsadm in a namespace, over netlink (its default) or forced onto the socket options."""

    def __init__(self, ns, library: str | None = None):
        self.ns = ns
        self.prefix = ["env", f"LD_PRELOAD={library}", "ipvsadm"] if library else ["ipvsadm"]

    def __call__(self, *argv: str, stdin: bytes | None = None, check: bool = False) -> subprocess.CompletedProcess:
        return self.ns.exec(*self.prefix, *argv, input=stdin, check=check)

    def command(self, *argv: str) -> list[str]:
        return [*self.prefix, *argv]


def spawned(ns, *argv: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """``sockctl ipvsadm ARGV`` entering NS itself, in a process of its own."""
    return nstest.run([sys.executable, "-m", "sockctl", "--netns", ns.name, "ipvsadm", *argv], check=False,
                      input=stdin)


def mine(ns, *argv: str, stdin: bytes = b"", json: bool = False) -> subprocess.CompletedProcess:
    """``sockctl [--json] ipvsadm ARGV`` run by this process inside NS: the command's own main, its
    output and exit status, without the seconds a new interpreter costs under emulation."""
    from sockctl.cli import main

    out, err = io.BytesIO(), io.BytesIO()
    streams = [io.TextIOWrapper(b, "utf-8", "surrogateescape", write_through=True) for b in (out, err)]
    streams.append(io.TextIOWrapper(io.BytesIO(stdin)))
    saved = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr, sys.stdin = streams
    try:
        with sockctl.netns(ns.name):
            status = main.main([*(["--json"] if json else []), "ipvsadm", *argv])
    finally:
        sys.stdout, sys.stderr, sys.stdin = saved
        for stream in streams:
            stream.detach()  # a wrapper closes its buffer when it goes
    return subprocess.CompletedProcess(argv, status, out.getvalue(), err.getvalue())


def settled(ns, peer: list[str], argv: list[str], attempts: int = 40):
    """(ipvsadm's result, sockctl's) for the same state (``nstest.steady``), sockctl run in this process.

    PEER is the peer's whole command line (``Peer.command``); ARGV sockctl ipvsadm's arguments.
    """
    return nstest.steady(lambda: ns.exec(*peer), lambda: mine(ns, *argv), peer, attempts)


def counted(ns, ready, seconds: float = 30) -> bytes:
    """``ipvsadm -L -n --stats --exact`` once READY(text) holds and two readings agree (counters settle)."""
    deadline = time.monotonic() + seconds
    last = None
    while True:
        text = Peer(ns)("-L", "-n", "--stats", "--exact", check=True).stdout
        if ready(text) and text == last:
            return text
        if time.monotonic() > deadline:
            raise AssertionError(f"IPVS counters never settled:\n{text.decode()}")
        last = text
        time.sleep(1)


def prepare(ns, rules: str = RULES, links: bool = True) -> None:
    """LINKS in NS (unless set up already), and RULES restored by ipvsadm."""
    if links:
        ns.script(LINKS)
    if rules:
        result = Peer(ns)("-R", stdin=rules.encode())
        assert result.returncode == 0 and not result.stderr, result.stderr


def state(ns) -> bytes:
    """What ipvsadm shows of NS's IPVS: rules, thresholds, timeouts, daemons (one shell, four listings)."""
    views = "ipvsadm -S -n && ipvsadm -L -n --thresholds && ipvsadm -L --timeout && ipvsadm -L --daemon"
    return ns.exec("sh", "-c", views, check=True).stdout


def traffic(ns, targets: list[tuple[str, int]], rounds: int = 3) -> None:
    """Connection attempts from inside NS to each (address, port): IPVS schedules them, counters move.

    The real servers sit behind a dummy interface, so nothing answers and
    nothing leaves the namespace.
    """
    script = ("import socket, sys\n"
              "for _ in range(int(sys.argv[1])):\n"
              "    for target in sys.argv[2:]:\n"
              "        host, port = target.rsplit(':', 1)\n"
              "        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
              "        s.setblocking(False)\n"
              "        s.connect_ex((host, int(port)))\n"
              "        s.close()\n")
    ns.exec(sys.executable, "-c", script, str(rounds), *(f"{a}:{p}" for a, p in targets), check=True)


def same(mine: bytes, theirs: bytes, what="") -> None:
    """Assert that sockctl printed what ipvsadm printed, showing the lines that differ when not."""
    if mine != theirs:
        diff = difflib.unified_diff(theirs.decode(errors="replace").splitlines(),
                                    mine.decode(errors="replace").splitlines(), "ipvsadm", "sockctl", lineterm="")
        raise AssertionError(f"{what}\n" + "\n".join(diff))
