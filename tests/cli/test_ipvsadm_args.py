"""ipvsadm's command lines read into Commands, and refused as ipvsadm refuses them.

Expected values are derived by hand from ipvsadm 1.31's option handling
(parse_options, process_options, parse_service, generic_opt_check): which
port a real server gets, which defaults apply, which check fails first.
"""

from ipaddress import IPv4Address as A

import pytest

from sockctl import servdb
from sockctl.abi import ip_vs as abi
from sockctl.cli import ipvsadm_args as args

SERVICES = "http 80/tcp www\ndomain 53/udp\nsimple 1234/sctp\n"


@pytest.fixture(autouse=True)
def services_file(tmp_path, monkeypatch):
    path = tmp_path / "services"
    path.write_text(SERVICES)
    monkeypatch.setattr(servdb, "_system", servdb.Services(str(path)))


def packed(text):
    return A(text).packed


ALL = b"\xff\xff\xff\xff"
DR, MASQ, TUN = abi.IP_VS_CONN_F_DROUTE, abi.IP_VS_CONN_F_MASQ, abi.IP_VS_CONN_F_TUNNEL

GOOD = [
    (["-A", "-t", "10.0.0.1:80"],
     dict(cmd="add", protocol=6, addr=packed("10.0.0.1"), port=80, scheduler="wlc", flags=0, netmask=ALL)),
    (["--add-service", "--udp-service", "10.0.0.1:domain", "-s", "rr", "-p"],
     dict(cmd="add", protocol=17, port=53, scheduler="rr", flags=1, timeout=360)),
    (["-A", "--sctp-service", "10.0.0.1:simple"], dict(protocol=132, port=1234)),
    (["-E", "-f", "5", "-p", "100", "-M", "255.255.0.0"],
     dict(cmd="edit", protocol=6, fwmark=5, port=0, flags=1, timeout=100, netmask=packed("255.255.0.0"))),
    (["-A", "-f", "4294967295", "-p300"], dict(fwmark=0xFFFFFFFF, timeout=300)),
    (["-a", "-t", "10.0.0.1:www", "-r", "10.1.0.1:8080", "-m", "-w", "3", "-x", "10", "-y", "2"],
     dict(cmd="add-dest", port=80, dest_addr=packed("10.1.0.1"), dest_port=8080, method=MASQ, weight=3,
          u_threshold=10, l_threshold=2)),
    # Direct routing and tunnelling keep the service's port.
    (["-a", "-t", "10.0.0.1:80", "-r", "10.1.0.1:8080"], dict(dest_port=80, method=DR, weight=1)),
    (["-e", "-t", "10.0.0.1:80", "-r", "10.1.0.1:8080", "-i"], dict(cmd="edit-dest", dest_port=80, method=TUN)),
    (["-a", "-t", "10.0.0.1:80", "-r", "10.1.0.1"], dict(dest_port=80)),
    # A real server read before its service gets port 0, as in ipvsadm.
    (["-a", "-r", "10.1.0.1", "-m", "-t", "10.0.0.1:80"], dict(dest_port=0, method=MASQ)),
    (["-a", "-f", "5", "-r", "10.1.0.1:8080", "-g", "-w", "0"], dict(dest_port=8080, weight=0)),
    (["-d", "-t", "10.0.0.1:80", "-r", "10.1.0.1:8080"], dict(cmd="delete-dest", dest_port=8080)),
    (["-a", "-t", "10.0.0.1:80", "-r", "10.1.0.1", "-i", "--tun-type", "ipip"], dict(method=TUN, tunnel="ipip")),
    (["--set", "10", "0", "30"], dict(cmd="timeout", timeouts=(10, 0, 30))),
    (["--start-daemon", "backup", "--syncid", "5"], dict(cmd="start-daemon", state=2, mcast_ifn="eth0", syncid=5)),
    (["--start-daemon=master", "--mcast-interface", "averyveryverylongname"],
     dict(state=1, mcast_ifn="averyveryverylo")),
    (["--stop-daemon", "master"], dict(cmd="stop-daemon", state=1)),
    (["-Ln", "--stats", "--exact"], dict(cmd="list", fmt=1 | 4 | 128)),
    (["-l", "--rate", "--nosort", "--sort"], dict(cmd="list", fmt=8 | 64)),
    (["-L", "--thresholds", "-t", "1.2.3.4:80"], dict(fmt=16, port=80)),
    (["-L", "--persistent-conn"], dict(fmt=32)),
    (["-L", "--timeout"], dict(fmt=0)),
    (["-Z"], dict(cmd="zero", options=0)),
    (["--zero", "-t", "1.2.3.4:80"], dict(cmd="zero", port=80)),
    (["-S", "-n"], dict(cmd="save", fmt=1)),
    (["-C"], dict(cmd="flush")),
    (["-R"], dict(cmd="restore")),
    (["-D", "-u", "0x0a000001:53"], dict(cmd="delete", addr=packed("10.0.0.1"), port=53)),
    (["-A", "-t", "localhost:80"], dict(addr=packed("127.0.0.1"))),
    (["-A", "-t", "1.2.3.4:80", "-b", "flag-1,flag-3"], dict(flags=0x28)),
    (["-A", "-t", "1.2.3.4:80", "-b", "sh-fallback,sh-port", "-s", "sh"], dict(flags=0x18)),
    (["-A", "-t", "1.2.3.4:80", "-s", "mh", "-b", "mh-port"], dict(flags=0x10)),
    (["-A", "-u", "1.2.3.4:53", "-o"], dict(flags=abi.IP_VS_SVC_F_ONEPACKET)),
    (["-A", "-t", "1.2.3.4:80", "-s", "averyveryverylongscheduler"], dict(scheduler="averyveryverylo")),
    (["-A", "-t", "1.2.3.4:+80"], dict(port=80)),
    (["-h", "--bogus"], dict(cmd="help")),
    (["-v"], dict(cmd="version")),
]


@pytest.mark.parametrize("argv, expected", GOOD, ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_good(argv, expected):
    cmd = args.parse(argv)
    assert {k: getattr(cmd, k) for k in expected} == expected
    assert cmd.netlink_only() == ""


BAD = [
    ([], 255, args.TRY_HELP),
    (["-n", "-L"], 255, args.TRY_HELP),  # the first option must be a command
    (["foo"], 255, args.TRY_HELP),
    (["-Lq"], 255, "-Lq: unknown option"),
    (["-L", "--bogus"], 255, "--bogus: unknown option"),
    (["-A", "-t"], 255, "-t: missing argument"),
    (["-A", "-t", "1.2.3.4:80", "-L"], 2, "invalid option `-L'"),
    (["-A", "-t", "1.2.3.4:80", "--stop-daemon", "master"], 2, "invalid option `master'"),
    (["--start-daemon", "primary"], 2, "master or backup"),
    (["-A"], 2, "You need to supply the 'service-address' option for the 'add-service' command"),
    (["-a", "-t", "1.2.3.4:80"], 2, "You need to supply the 'real-server' option for the 'add-server' command"),
    (["-A", "-t", "1.2.3.4:80", "-r", "5.6.7.8"], 2, "Illegal 'real-server' option with the 'add-service' command"),
    (["-S", "--stats"], 2, "Illegal 'stats' option with the 'save' command"),
    (["-L", "-c", "--timeout"], 2, "The option 'timeout' conflicts with the 'connection' option in the 'list' command"),
    (["-A", "-t", "1.2.3.4:80", "-t", "1.2.3.5:80"], 2, "multiple 'service-address' options specified"),
    (["-A", "-t", "1.2.3.4:80", "-f", "1"], 2, "multiple 'service-address' options specified"),
    (["-A", "-t", "1234"], 2, "illegal virtual server address"),
    (["-A", "-t", ""], 2, "illegal virtual server address"),
    (["-A", "-t", "1.2.3.4:70000"], 2, "illegal virtual server address"),
    (["-A", "-t", "1.2.3.4:"], 2, "illegal virtual server address"),
    (["-A", "-t", "1.2.3.4:domain"], 2, "illegal virtual server address"),  # domain is udp only here
    (["-A", "-t", "1.2.3.400:80"], 2, "illegal virtual server address"),
    (["-A", "-t", "[1.2.3.4]80"], 2, "illegal virtual server address"),
    (["-A", "-t", "[1.2.3.4]:80"], 2, "Zero port specified"),  # ipvsadm looks for the port inside the brackets
    (["-A", "-t", "1.2.3.4:0"], 2, "Zero port specified for non-persistent service"),
    (["-A", "-t", "1.2.3.4:80", "-o"], 2, "One-Packet Scheduling is only for UDP virtual services"),
    (["-a", "-t", "1.2.3.4:80", "-r", "bad..address"], 2, "illegal real server address"),
    (["-a", "-t", "1.2.3.4:80", "-r", "5.6.7.8", "-w", "2147483648"], 2, "illegal weight"),
    (["-a", "-t", "1.2.3.4:80", "-r", "5.6.7.8", "-w", "-1"], 2, "illegal weight"),
    (["-a", "-t", "1.2.3.4:80", "-r", "5.6.7.8", "-w", "1x"], 2, "illegal weight"),
    (["-a", "-t", "1.2.3.4:80", "-r", "5.6.7.8", "-x", "2147483648"], 2, "illegal u_threshold"),
    (["-a", "-t", "1.2.3.4:80", "-r", "5.6.7.8", "-y", " "], 2, "illegal l_threshold"),
    (["-A", "-f", "0"], 2, "invalid fwmark value `0'"),
    (["-A", "-f", "4294967296"], 2, "invalid fwmark value"),
    (["-A", "-f", "12a"], 2, "invalid fwmark value"),
    (["-A", "-t", "1.2.3.4:80", "-p", "0"], 2, "invalid timeout value `0'"),
    (["-A", "-t", "1.2.3.4:80", "-p", "2678401"], 2, "invalid timeout value"),
    (["-A", "-t", "1.2.3.4:80", "-M", "300.1.1.1"], 2, "illegal virtual server persistent mask"),
    (["--set", "1", "2"], 2, "3 timeout values"),
    (["--set", "1", "2", "x"], 2, "invalid timeout value `x'"),
    (["--set", "1", "2", "3", "4"], 2, "unexpected argument 4"),
    (["-C", "now"], 2, "unexpected argument now"),
    (["-a", "-t", "1.2.3.4:80", "-r", "5.6.7.8", "--tun-type", "gue"], 2,
     "Tunnel options conflict with forward method"),
    (["-a", "-t", "1.2.3.4:80", "-r", "5.6.7.8", "-i", "--tun-type", "gue"], 2,
     "You need to supply the 'tun-port' option for the 'gue' tunnel type"),
    (["-a", "-t", "1.2.3.4:80", "-r", "5.6.7.8", "-i", "--tun-type", "gre", "--tun-port", "5"], 2,
     "Illegal 'tun-port' option with the 'gre' tunnel type"),
    (["-a", "-t", "1.2.3.4:80", "-r", "5.6.7.8", "-i", "--tun-type", "gue", "--tun-port", "5", "--tun-csum",
      "--tun-nocsum"], 2, "The option 'tun-csum' conflicts with the 'tun-nocsum' option in the 'gue' tunnel type"),
    (["-a", "-t", "1.2.3.4:80", "-r", "5.6.7.8", "-i", "--tun-type", "vxlan"], 2, "illegal tunnel type"),
    (["-L", "--stats", "--daemon"], 2, "options conflicts in the list command"),
    (["-L", "--persistent-conn", "--timeout"], 2, "options conflicts in the list command"),
    (["-A", "-t", "1.2.3.4:80", "-b", "sh-port"], 2, "incompatible scheduler flag `sh-port'"),
    (["-A", "-t", "1.2.3.4:80", "-b", "flag-4"], 2, "invalid scheduler flag `flag-4'"),
    (["-A", "-t", "1.2.3.4:80", "-6"], 2, "-6 used before -f"),
    (["-a", "-t", "1.2.3.4:80", "-r", "[::1]:80"], 2,
     "Different address family is allowed only for tunneling servers"),
    (["--start-daemon", "master", "--mcast-group", "10.0.0.1"], 2, "invalid IPv4 mcast-group"),
    (["--start-daemon", "master", "--mcast-group", "fe80::1"], 2, "invalid IPv6 mcast-group"),
    (["--start-daemon", "master", "--syncid", "256"], 2, "illegal syncid"),
    (["--start-daemon", "master", "--mcast-ttl", "0"], 2, "illegal mcast ttl"),
]


@pytest.mark.parametrize("argv, status, message", BAD, ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_bad(argv, status, message):
    with pytest.raises(args.ArgumentError) as caught:
        args.parse(argv)
    assert caught.value.status == status
    assert message in str(caught.value)


def test_restore_lines_cannot_restore():
    assert args.parse(["-R"]).cmd == "restore"
    with pytest.raises(args.ArgumentError, match="Try"):
        args.parse(["-R"], in_restore=True)


@pytest.mark.parametrize("argv, words", [
    (["-A", "-t", "[2001:db8::1]:80"], "IPv6"),
    (["-A", "-t", "2001:db8::1", "-p"], "IPv6"),  # an IPv6 address without brackets has no port
    (["-A", "-f", "1", "-6"], "IPv6"),
    (["-a", "-t", "1.2.3.4:80", "-r", "2001:db8::2", "-i"], "IPv6"),
    (["-A", "-t", "1.2.3.4:80", "--pe", "sip", "-p"], "persistence engines"),
    (["-a", "-t", "1.2.3.4:80", "-r", "5.6.7.8", "-i", "--tun-type", "gue", "--tun-port", "6080"], "tunnel types"),
    (["-a", "-t", "1.2.3.4:80", "-r", "5.6.7.8", "-i", "--tun-type", "gre", "--tun-csum"], "tunnel types"),
    (["--start-daemon", "master", "--mcast-group", "224.0.0.82"], "group, port, TTL"),
    (["--start-daemon", "master", "--sync-maxlen", "1400"], "group, port, TTL"),
    (["-L", "--tun-info"], "tunnel details"),
    (["-L", "-c"], "/proc/net/ip_vs_conn"),
])
def test_netlink_only(argv, words):
    assert words in args.parse(argv).netlink_only()


@pytest.mark.parametrize("text, value", [
    ("10", 10), (" 10", 10), ("+10", 10), ("-10", -10), ("010", 10), ("", None), ("10 ", None), ("1_0", None),
    ("0x10", None), ("١٠", None), ("-", None),
])
def test_strtol(text, value):
    assert args.strtol(text) == value
