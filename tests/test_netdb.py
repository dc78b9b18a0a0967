"""The hosts and networks files, read as glibc's files backend reads them.

The pure parsers are checked on hand-made lines; then, as root, every
question is asked of glibc itself (in a private mount namespace where the
same files are /etc's) and of ``netdb.Database``, and the answers compared.
"""

import json
import socket
import sys

import pytest

from etcfiles import EtcFiles
from sockctl import netdb

HOSTS = """\
# comment line
127.0.0.1\tlocalhost
::1     ip6-localhost ip6-loopback
10.1.0.2  gw-two   Gateway2   # a trailing comment
10.1.0.2  second-line-loses
10.1.0.0 zero-host
  10.1.0.3\tindented
::ffff:1.2.3.4  mapped-four
2001:db8::2 V6GW v6alias
fe80::1%lo  scoped
10.1.0.9
300.1.1.1 bogus-address
01.1.0.7 leading-zero
"""

NETWORKS = """\
default   0.0.0.0
loopback  127.0.0.0
tennet    10.9     ten-alias
eleven    10.11.0
octal     012.1.0.0
hexnet    0x0c.0x1
bad       10.256
lonely
CaseNet   10.77.0.0
"""


def test_parse_hosts():
    entries = netdb.parse_hosts(HOSTS)
    assert (socket.AF_INET, bytes([127, 0, 0, 1]), ["localhost"]) == entries[0]
    assert (socket.AF_INET6, bytes(15) + b"\x01", ["ip6-localhost", "ip6-loopback"]) == entries[1]
    # ::1 also answers IPv4 questions for 127.0.0.1, after the line's IPv6 entry.
    assert (socket.AF_INET, bytes([127, 0, 0, 1]), ["ip6-localhost", "ip6-loopback"]) == entries[2]
    assert (socket.AF_INET, bytes([10, 1, 0, 2]), ["gw-two", "Gateway2"]) == entries[3]
    assert (socket.AF_INET, bytes([10, 1, 0, 3]), ["indented"]) in entries
    assert (socket.AF_INET, bytes([1, 2, 3, 4]), ["mapped-four"]) in entries
    assert (socket.AF_INET, bytes([10, 1, 0, 9]), [""]) in entries  # an address with no name
    names = [n for _, _, ns in entries for n in ns]
    assert "scoped" not in names and "bogus-address" not in names and "leading-zero" not in names


@pytest.mark.parametrize("text, number", [
    ("10", 0x0A), ("10.1", 0x0A01), ("127.0.0.0", 0x7F000000), ("0x0a.1", 0x0A01), ("012.1", 0x0A01),
    ("x1F", 0x1F), ("0", 0), ("00.00", 0), ("08", 0xFFFFFFFF), ("0x", 0xFFFFFFFF), ("1.2.3.4.5", 0xFFFFFFFF),
    ("256", 0xFFFFFFFF), ("10..1", 0xFFFFFFFF), ("", 0xFFFFFFFF), ("1a", 0xFFFFFFFF),
])
def test_inet_network(text, number):
    assert netdb.inet_network(text) == number


def test_parse_networks():
    entries = netdb.parse_networks(NETWORKS)
    assert entries[0] == (0, ["default"])
    assert (0x0A090000, ["tennet", "ten-alias"]) in entries  # padded to 10.9.0.0 first
    assert (0x0A0B0000, ["eleven"]) in entries
    assert (0x0A010000, ["octal"]) in entries
    assert (0x0C010000, ["hexnet"]) in entries
    assert (0xFFFFFFFF, ["bad"]) in entries
    assert (0xFFFFFFFF, ["lonely"]) in entries


def test_database_questions(tmp_path):
    (tmp_path / "hosts").write_text(HOSTS)
    (tmp_path / "networks").write_text(NETWORKS)
    db = netdb.Database(str(tmp_path / "hosts"), str(tmp_path / "networks"))
    assert db.host_name(bytes([10, 1, 0, 2])) == "gw-two"
    assert db.host_name(bytes([127, 0, 0, 1])) == "localhost"
    assert db.host_name(socket.inet_pton(socket.AF_INET6, "2001:db8::2")) == "V6GW"
    assert db.host_name(bytes([10, 1, 0, 9])) == ""
    assert db.host_name(bytes([10, 1, 0, 8])) is None
    assert db.host_address("gateway2") == bytes([10, 1, 0, 2])
    assert db.host_address("v6alias", socket.AF_INET6) == socket.inet_pton(socket.AF_INET6, "2001:db8::2")
    assert db.host_address("v6alias") is None
    assert db.network_name(0x0A090000) == "tennet"
    assert db.network_number("TEN-ALIAS") == 0x0A090000
    assert db.network_number("nowhere") is None
    missing = netdb.Database(str(tmp_path / "none"), str(tmp_path / "none"))
    assert missing.host_name(bytes(4)) is None and missing.network_number("default") is None


# The questions asked of glibc, in a mount namespace where the files above are /etc's.
GLIBC_ANSWERS = r"""
import ctypes, json, socket, sys
libc = ctypes.CDLL(None)
class netent(ctypes.Structure):
    _fields_ = [("n_name", ctypes.c_char_p), ("n_aliases", ctypes.c_void_p), ("n_addrtype", ctypes.c_int),
                ("n_net", ctypes.c_uint32)]
libc.getnetbyaddr.restype = libc.getnetbyname.restype = ctypes.POINTER(netent)
libc.getnetbyaddr.argtypes = [ctypes.c_uint32, ctypes.c_int]
libc.getnetbyname.argtypes = [ctypes.c_char_p]
questions = json.loads(sys.argv[1])
answers = {}
for address in questions["addresses"]:
    try:
        answers["addr " + address] = socket.gethostbyaddr(address)[0]
    except OSError:
        answers["addr " + address] = None
for number in questions["numbers"]:
    found = libc.getnetbyaddr(number, socket.AF_INET)
    answers["net %d" % number] = found.contents.n_name.decode() if found else None
for name in questions["names"]:
    found = libc.getnetbyname(name.encode())
    answers["netname " + name] = found.contents.n_net if found else None
    try:
        answers["host " + name] = socket.gethostbyname(name)
    except OSError:
        answers["host " + name] = None
print(json.dumps(answers))
"""

QUESTIONS = {
    "addresses": ["127.0.0.1", "10.1.0.2", "10.1.0.0", "10.1.0.3", "10.1.0.9", "1.2.3.4", "::1", "2001:db8::2",
                  "::ffff:1.2.3.4", "fe80::1", "10.1.0.7", "1.1.0.7"],
    "numbers": [0, 0x7F000000, 0x0A090000, 0x0A0B0000, 0x0A010000, 0x0C010000, 0x0A4D0000, 0x0A09, 0xFFFFFFFF],
    "names": ["default", "loopback", "tennet", "TEN-ALIAS", "eleven", "octal", "hexnet", "bad", "casenet", "lonely",
              "gw-two", "GATEWAY2", "zero-host", "indented", "mapped-four", "v6gw", "ip6-localhost", "nowhere"],
}


def ours(db: netdb.Database) -> dict:
    answers = {}
    for address in QUESTIONS["addresses"]:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        answers["addr " + address] = db.host_name(socket.inet_pton(family, address))
    for number in QUESTIONS["numbers"]:
        answers[f"net {number}"] = db.network_name(number)
    for name in QUESTIONS["names"]:
        answers["netname " + name] = db.network_number(name)
        found = db.host_address(name)
        answers["host " + name] = None if found is None else socket.inet_ntoa(found)
    return answers


def test_same_answers_as_glibc(ns, tmp_path):
    files = EtcFiles(tmp_path, HOSTS, NETWORKS)
    result = ns.exec(*files.prefix, sys.executable, "-c", GLIBC_ANSWERS, json.dumps(QUESTIONS), check=True)
    glibc = json.loads(result.stdout)
    mine = ours(netdb.Database(str(tmp_path / "hosts"), str(tmp_path / "networks")))
    assert mine == glibc
    assert glibc["addr 10.1.0.2"] == "gw-two" and glibc["net 168361984"] == "tennet"  # the files were seen
