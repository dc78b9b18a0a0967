"""ipvsadm's listing text and order, from rows, without a kernel.

Expected lines are written out by hand from ipvsadm 1.31's printf formats
(print_title, print_service_entry, print_largenum, list_timeout,
list_daemon). The order is checked against glibc's own qsort: a small C
program sorts the same rows with ipvsadm's comparison functions.
"""

import random
import shutil
import subprocess

import pytest

from sockctl.cli import ipvsadm_format as fmt
from sockctl.ipvs_codec import Daemon


def ip(text):
    return bytes(int(p) for p in text.split("."))


STATS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)


def port(number):
    return number.to_bytes(2, "big")


SVC = (6, ip("10.0.0.1"), 80, 0, "wlc", 0x3, 300, ip("255.255.255.0"), 2, *STATS)
FWM = (6, bytes(4), 0, 5, "rr", 0x2, 0, b"\xff" * 4, 1, *STATS)
DR = (ip("10.1.0.1"), port(80), 0x183, 1, 0, 0, 0, 0, 0, *STATS)
NAT = (ip("10.1.0.2"), port(8080), 0x100, 5, 10, 2, 3, 4, 5, 123456789012, 2, 3, 4, 5, 6, 7, 8, 999999999, 10)
TUN = (ip("10.1.0.3"), port(80), 0x102, 2, 0, 0, 0, 0, 0, *STATS)

DEFAULT_TITLE = ("Prot LocalAddress:Port Scheduler Flags\n"
                 "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n")


def test_default_listing():
    text = fmt.title(0) + fmt.service_block(SVC, [NAT, DR], 0, fmt.numeric_name)
    assert text == DEFAULT_TITLE + (
        "TCP  10.0.0.1:80 wlc persistent 300 mask 255.255.255.0\n"
        "  -> 10.1.0.1:80                  Route   1      0          0         \n"
        "  -> 10.1.0.2:8080                Masq    5      3          4         \n")


def test_save():
    text = fmt.title(fmt.RULE) + fmt.service_block(SVC, [TUN, NAT, DR], fmt.RULE, fmt.numeric_name)
    assert text == ("-A -t 10.0.0.1:80 -s wlc -p 300 -M 255.255.255.0\n"
                    "-a -t 10.0.0.1:80 -r 10.1.0.1:80 -g -w 1\n"
                    "-a -t 10.0.0.1:80 -r 10.1.0.2:8080 -m -w 5\n"
                    "-a -t 10.0.0.1:80 -r 10.1.0.3:80 -i -w 2 --tun-type ipip\n")
    assert fmt.service_block(FWM, [DR], fmt.RULE, fmt.numeric_name) == "-A -f 5 -s rr\n-a -f 5 -r 10.1.0.1:80 -g -w 1\n"


def test_stats_and_rate():
    assert fmt.title(fmt.STATS) == ("Prot LocalAddress:Port" + " " * 11 + "    Conns   InPkts  OutPkts  InBytes OutBytes\n"
                                    "  -> RemoteAddress:Port\n")
    assert fmt.title(fmt.RATE) == ("Prot LocalAddress:Port" + " " * 11 + "      CPS    InPPS   OutPPS    InBPS   OutBPS\n"
                                   "  -> RemoteAddress:Port\n")
    stats = fmt.service_block(SVC, [NAT], fmt.STATS, fmt.numeric_name)
    assert stats == ("TCP  10.0.0.1:80" + " " * 17 + "        1        2        3        4        5\n"
                     "  -> 10.1.0.2:8080" + " " * 15 + "     123G        2        3        4        5\n")
    exact = fmt.service_block(SVC, [NAT], fmt.STATS | fmt.EXACT, fmt.numeric_name)
    assert exact.splitlines()[1] == "  -> 10.1.0.2:8080" + " " * 15 + " 123456789012        2        3        4        5"
    rate = fmt.service_block(SVC, [NAT], fmt.RATE, fmt.numeric_name)
    assert rate == ("TCP  10.0.0.1:80" + " " * 17 + "        6        7        8        9       10\n"
                    "  -> 10.1.0.2:8080" + " " * 15 + "        6        7        8  999999K       10\n")


def test_thresholds_and_persistent_conn():
    assert fmt.title(fmt.THRESHOLDS) == ("Prot LocalAddress:Port" + " " * 11 + " Uthreshold Lthreshold ActiveConn InActConn \n"
                                         "  -> RemoteAddress:Port\n")
    assert fmt.dest_lines([NAT], "", 6, fmt.THRESHOLDS, fmt.numeric_name) == (
        "  -> 10.1.0.2:8080                10         2          3          4         \n")
    assert fmt.title(fmt.PERSISTENTCONN) == ("Prot LocalAddress:Port" + " " * 11 + " Weight    PersistConn ActiveConn InActConn \n"
                                             "  -> RemoteAddress:Port\n")
    assert fmt.dest_lines([NAT], "", 6, fmt.PERSISTENTCONN, fmt.numeric_name) == (
        "  -> 10.1.0.2:8080                5         5           3          4         \n")
    # The service's own line is the default one in both.
    assert fmt.service_line(FWM, "FWM  5", fmt.THRESHOLDS) == "FWM  5 rr\n"


@pytest.mark.parametrize("row, text", [
    ((17, ip("1.2.3.4"), 53, 0, "sh", 0x19, 60, b"\xff" * 4, 0, *STATS), "UDP  1.2.3.4:53 sh (sh-fallback,sh-port) persistent 60\n"),
    ((17, ip("1.2.3.4"), 53, 0, "sh", 0x20, 0, b"\xff" * 4, 0, *STATS), "UDP  1.2.3.4:53 sh ()\n"),
    ((17, ip("1.2.3.4"), 53, 0, "wlc", 0x2c, 0, b"\xff" * 4, 0, *STATS), "UDP  1.2.3.4:53 wlc (flag-1,flag-3) ops\n"),
    ((132, ip("1.2.3.4"), 9, 0, "mh", 0x10, 0, b"\xff" * 4, 0, *STATS), "SCTP 1.2.3.4:9 mh (mh-port)\n"),
    ((6, bytes(4), 0, 0xABCDEF01, "none", 0, 0, b"\xff" * 4, 0, *STATS), "FWM  -1412567295 none\n"),
])
def test_service_lines(row, text):
    assert fmt.service_line(row, fmt.service_name(row, 0, fmt.numeric_name), 0) == text


def test_rule_flags_and_marks():
    row = (17, ip("1.2.3.4"), 53, 0, "sh", 0x1d, 60, ip("255.255.0.0"), 0, *STATS)
    assert fmt.service_line(row, fmt.service_name(row, fmt.RULE, fmt.numeric_name), fmt.RULE) == (
        "-A -u 1.2.3.4:53 -s sh -p 60 -M 255.255.0.0 -o -b sh-fallback,sh-port\n")
    marked = (6, bytes(4), 0, 0x80000000, "rr", 0, 0, b"\xff" * 4, 0, *STATS)
    assert fmt.service_name(marked, fmt.RULE, fmt.numeric_name) == "-f -2147483648"
    sctp = (132, ip("1.2.3.4"), 9, 0, "rr", 0, 0, b"\xff" * 4, 0, *STATS)
    assert fmt.service_name(sctp, fmt.RULE, fmt.numeric_name) == "--sctp-service 1.2.3.4:9"
    bypass = (ip("10.1.0.9"), port(80), 0x4, 1, 0, 0, 0, 0, 0, *STATS)
    assert fmt.dest_lines([bypass], "-t x", 6, fmt.RULE, fmt.numeric_name) == "-a -t x -r 10.1.0.9:80 (null) -w 1\n"
    assert fmt.dest_lines([bypass], "", 6, 0, fmt.numeric_name).split()[2] == "(null)"


class Hosts:
    def host_name(self, packed):
        return {ip("10.0.0.1"): "www.example.org", ip("10.1.0.1"): "a-rather-long-host-name-for-one-server.example.org"}.get(packed)


class Ports:
    def name(self, port, protocol):
        return {(80, "tcp"): "http", (53, "udp"): "domain"}.get((port, protocol))


def test_names_and_cuts():
    namer = fmt.symbolic_namer(Hosts(), Ports())
    assert namer(ip("10.0.0.1"), 80, 6) == "www.example.org:http"
    assert namer(ip("10.0.0.1"), 80, 17) == "www.example.org:80"
    assert namer(ip("10.9.9.9"), 53, 17) == "10.9.9.9:domain"
    long_name = "a-rather-long-host-name-for-one-server.example.org:http"
    assert namer(ip("10.1.0.1"), 80, 6) == long_name
    assert fmt.service_name(SVC, 0, namer) == "TCP  www.example.org:http"
    line = fmt.dest_lines([DR], "", 6, 0, namer)
    assert line.startswith("  -> " + long_name[:28] + " Route")
    assert fmt.dest_lines([DR], "-t x", 6, fmt.RULE, namer) == f"-a -t x -r {long_name} -g -w 1\n"
    svc = (6, ip("10.1.0.1"), 80, 0, "wlc", 0, 0, b"\xff" * 4, 0, *STATS)
    assert fmt.service_name(svc, 0, namer) == ("TCP  " + long_name)[:33]
    # A firewall-mark service names no port: ipvsadm does not know its protocol.
    marked = (6, bytes(4), 0, 5, "rr", 0, 0, b"\xff" * 4, 1, *STATS)
    plain = (ip("10.9.9.9"), port(80), 0x183, 1, 0, 0, 0, 0, 0, *STATS)
    assert fmt.service_block(marked, [plain], 0, namer).splitlines()[1].startswith("  -> 10.9.9.9:80 ")
    assert fmt.service_block(SVC, [plain], 0, namer).splitlines()[1].startswith("  -> 10.9.9.9:http ")
    hosts = type("H", (), {"host_name": lambda self, p: "h" * 70})()
    assert len(fmt.symbolic_namer(hosts, Ports())(ip("1.1.1.1"), 80, 6)) == 59


def test_numbers():
    assert [fmt.largenum(v, False) for v in (0, 99999999, 100000000, 1234567890, 999999999999, 99999999999999,
                                             100000000000000)] == [
        "        0", " 99999999", "  100000K", "    1234M", "     999G", "   99999G", "     100T"]
    assert fmt.largenum(12345678, True) == " 12345678"
    assert fmt.largenum(123456789, True) == " 123456789"


def test_small_listings():
    assert fmt.header(0x010201, 4096) == "IP Virtual Server version 1.2.1 (size=4096)\n"
    assert fmt.timeout_line(900, 120, 300) == "Timeout (tcp tcpfin udp): 900 120 300\n"
    assert fmt.daemon_lines([Daemon(2, "d1", 9), Daemon(1, "d0", 0)]) == (
        "master sync daemon (mcast=d0, syncid=0)\nbackup sync daemon (mcast=d1, syncid=9)\n")


# ---- order ----

C_SORT = r"""
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
/* Rows as big as ipvsadm's entries, so that glibc takes the same (indirect) path. */
struct row { unsigned int fwmark; unsigned short af, protocol; unsigned int addr; unsigned short port; int index;
             char pad[160]; };
static int services(const void *a, const void *b)
{
    const struct row *s1 = a, *s2 = b;
    int r = s1->fwmark - s2->fwmark;
    if (r) return r;
    r = s1->af - s2->af;
    if (r) return r;
    r = s1->protocol - s2->protocol;
    if (r) return r;
    r = ntohl(s1->addr) - ntohl(s2->addr);
    if (r) return r;
    return s1->port - s2->port;
}
int main(void)
{
    int n, i;
    if (scanf("%d", &n) != 1) return 1;
    struct row *rows = calloc(n, sizeof *rows);
    for (i = 0; i < n; i++) {
        unsigned int addr;
        scanf("%u %hu %u %hu", &rows[i].fwmark, &rows[i].protocol, &addr, &rows[i].port);
        rows[i].addr = htonl(addr);
        rows[i].index = i;
    }
    qsort(rows, n, sizeof *rows, services);
    for (i = 0; i < n; i++) printf("%d\n", rows[i].index);
    return 0;
}
"""


@pytest.fixture(scope="module")
def glibc_sort(tmp_path_factory):
    gcc = shutil.which("gcc")
    assert gcc, "gcc is needed (scripts/test installs it)"
    directory = tmp_path_factory.mktemp("qsort")
    (directory / "sort.c").write_text(C_SORT)
    subprocess.run([gcc, "-O1", "-o", str(directory / "sort"), str(directory / "sort.c")], check=True)
    return str(directory / "sort")


def _rows(rng, n, wide):
    rows = set()
    while len(rows) < n:
        fwmark = rng.choice([0, 0, rng.randrange(1, 1 << 32)]) if wide else 0
        addr = rng.randrange(1 << 32) if wide else rng.randrange(0x0A000000, 0x0A0000FF)
        protocol, port = rng.choice([6, 17]), rng.choice([80, 443, rng.randrange(65536)])
        rows.add((protocol, bytes(4) if fwmark else addr.to_bytes(4, "big"), 0 if fwmark else port, fwmark))
    return [(*r, "rr", 0, 0, b"\xff" * 4, 0, *STATS) for r in rows]


@pytest.mark.parametrize("seed", range(40))
def test_service_order_is_glibcs(glibc_sort, seed):
    rng = random.Random(seed)
    rows = _rows(rng, rng.choice([1, 2, 3, 7, 30, 200, 1000]), wide=seed % 4 != 0)
    rng.shuffle(rows)
    text = f"{len(rows)}\n" + "".join(f"{r[3]} {r[0]} {int.from_bytes(r[1], 'big')} {r[2]}\n" for r in rows)
    order = subprocess.run([glibc_sort], input=text, capture_output=True, text=True, check=True).stdout.split()
    assert fmt.sort_services(rows) == [rows[int(i)] for i in order]


def test_dest_order_wraps():
    """Addresses 2**31 or more apart compare the wrong way round in ipvsadm."""
    low, high, mid = (ip("10.0.0.1"), port(80)), (ip("200.0.0.1"), port(80)), (ip("100.0.0.1"), port(80))
    rows = [(a, p, 0x100, 1, 0, 0, 0, 0, 0, *STATS) for a, p in (low, high, mid)]
    # 10.0.0.1 - 200.0.0.1 wraps to a positive int: 200.0.0.1 sorts first.
    assert [r[0] for r in fmt.sort_dests(rows[:2])] == [ip("200.0.0.1"), ip("10.0.0.1")]
    # With 100.0.0.1 (within 2**31 of both) the merge of [10] and [200, 100] -> [100, 200] compares
    # 10 with 100 only: 10.0.0.1 comes first, and the order is no longer that of the pair alone.
    assert [r[0] for r in fmt.sort_dests(rows)] == [ip("10.0.0.1"), ip("100.0.0.1"), ip("200.0.0.1")]
