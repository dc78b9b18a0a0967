"""`sockctl brctl` listings against bridge-utils `brctl`, byte for byte, on the same kernel state.

One namespace holds bridges with and without ports, STP off and on (ports
listening, a root and a non-root bridge joined by a veth pair, so the non-root
one takes the root's timers), local, static and learned MAC entries, a
hairpin port with its own priority and cost, names that sort by bytes
(``P2a`` before ``p0a``, ``br10`` before ``br2``) and a bridge of 260 ports,
whose port numbers pass 255.

Timers tick between two runs, so listings with timers are compared with the
timer values masked, and each of sockctl's timers must lie between brctl's
readings taken just before and just after it.
"""

import json
import re
import time

import pytest

import nstest
import sockctl

SETUP = """
link add br0 address 02:00:00:00:b0:00 type bridge
link add p0a address 02:00:00:00:00:a0 type veth peer name p0b address 02:00:00:00:00:b0
link add p1a address 02:00:00:00:01:a0 type veth peer name p1b address 02:00:00:00:01:b0
link add P2a address 02:00:00:00:02:a0 type veth peer name P2b address 02:00:00:00:02:b0
link set p0a master br0
link set p1a master br0
link set P2a master br0
link set dev p0a type bridge_slave hairpin on priority 10 cost 100
link set dev P2a type bridge_slave cost 7
link add br1 address 02:00:00:00:b1:00 type bridge ageing_time 12345
link add br10 address 02:00:00:00:b1:10 type bridge stp_state 1 priority 100
link add br2 address 02:00:00:00:b2:00 type bridge stp_state 1 forward_delay 3000
link add q0a address 02:00:00:00:10:a0 type veth peer name q0b address 02:00:00:00:10:b0
link add q1a address 02:00:00:00:11:a0 type veth peer name q1b address 02:00:00:00:11:b0
link set q0a master br2
link set q1a master br2
link add brA address 02:00:00:00:aa:00 type bridge stp_state 1 priority 4096 hello_time 100 forward_delay 400 max_age 600
link add brB address 02:00:00:00:bb:00 type bridge stp_state 1 forward_delay 1000 max_age 2500
link add ab0 address 02:00:00:00:ab:00 type veth peer name ab1 address 02:00:00:00:ab:01
link set ab0 master brA
link set ab1 master brB
link add lonely type veth peer name lonely1
link add brbig address 02:00:00:00:bf:00 type bridge
"""
UP = ["br0", "p0a", "p0b", "p1a", "p1b", "P2a", "P2b", "br2", "q0a", "q1a", "q0b", "q1b", "brA", "brB",
      "ab0", "ab1", "br10"]
STATIC = ["02:00:00:00:dd:01 dev p1a master static", "02:00:00:00:dd:02 dev P2a master static",
          "00:00:00:00:00:01 dev p0a master static"]

# Frames from p0b and p1b into br0, with the source addresses the bridge is to learn.
_LEARN = """
import socket
for port, sources in (("p0b", ["02:00:00:00:cc:01", "02:00:00:00:cc:03"]), ("p1b", ["02:00:00:00:cc:02"])):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((port, 0))
    for src in sources:
        s.send(b"\\xff" * 6 + bytes.fromhex(src.replace(":", "")) + b"\\x88\\xb5" + bytes(46))
    s.close()
"""

TIMER = re.compile(rb"\b(\d+)\.(\d\d)\b")


@pytest.fixture(scope="module")
def lab():
    with nstest.prepared("brcmp") as ns:
        for scope in ("all", "default"):  # no IPv6 chatter: the bridges learn only what the test sends
            ns.sysctl(f"net.ipv6.conf.{scope}.disable_ipv6", "1")
        ns.script(SETUP + "".join(f"link add big{i} type veth peer name bigp{i}\nlink set big{i} master brbig\n"
                                  for i in range(260)))
        ns.script("\n".join(f"link set {name} up" for name in UP))
        nstest.run(["bridge", "-n", ns.name, "-batch", "-"], input="\n".join(f"fdb add {s}" for s in STATIC).encode())
        ns.exec("python3", "-c", _LEARN, check=True)
        # brB takes brA as its root once brA's hello BPDUs arrive.
        deadline = time.monotonic() + 20
        while b"root port\t\t   1" not in ns.exec("brctl", "showstp", "brB").stdout:
            assert time.monotonic() < deadline, "brB never took brA as its root"
            time.sleep(0.2)
        yield ns


def _timers(out: bytes) -> list[int]:
    return [int(sec) * 100 + int(hundredths) for sec, hundredths in TIMER.findall(out)]


def compare_with_timers(ns, args: list[str], attempts: int = 40):
    """brctl, sockctl, brctl; the text equal with timers masked, sockctl's timers between brctl's."""
    for _ in range(attempts):
        before = ns.exec("brctl", *args)
        mine = ns.sockctl("brctl", *args)
        after = ns.exec("brctl", *args)
        still = (TIMER.sub(b"T", before.stdout), before.stderr, before.returncode)
        if still != (TIMER.sub(b"T", after.stdout), after.stderr, after.returncode):
            time.sleep(0.1)  # a port changed state meanwhile
            continue
        assert (TIMER.sub(b"T", mine.stdout), mine.stderr, mine.returncode) == still
        low, high = _timers(before.stdout), _timers(after.stdout)
        if all(min(b, a) <= m <= max(b, a) for b, m, a in zip(low, _timers(mine.stdout), high)):
            return before, mine
        time.sleep(0.1)  # a timer started over meanwhile
    raise AssertionError(f"brctl {' '.join(args)}: timers never bracketed:\n{before.stdout}\n{mine.stdout}")


@pytest.mark.parametrize("args", [[], ["br0"], ["br1", "br0", "br1"], ["brbig"], ["nosuch0"], ["lonely"],
                                  ["br0", "nosuch0", "lonely", "br2"], ["averyveryverylongname"]],
                         ids=lambda a: " ".join(a) or "(all)")
def test_show(lab, args):
    peer, mine = nstest.settled(lab, ["brctl", "show", *args], ["brctl", "show", *args])
    assert (mine.stdout, mine.stderr, mine.returncode) == (peer.stdout, peer.stderr, peer.returncode)


@pytest.mark.parametrize("bridge", ["br0", "br1", "br2", "brA", "brB", "brbig", "nosuch0", "lonely"])
def test_showmacs(lab, bridge):
    peer, mine = compare_with_timers(lab, ["showmacs", bridge])
    if bridge == "br0":  # local, static and learned entries are all there
        assert b"yes\t\t   0.00" in peer.stdout and b"00:00:00:00:00:01\tno\t\t   0.00" in peer.stdout
        assert b"02:00:00:00:cc:02" in peer.stdout
    if bridge == "brbig":
        assert b"\n  4\t" in peer.stdout and peer.stdout.count(b"\n") == 261  # port 260 shows as 4


@pytest.mark.parametrize("bridge", ["br0", "br1", "br2", "br10", "brA", "brB", "brbig", "nosuch0", "lonely"])
def test_showstp(lab, bridge):
    peer, mine = compare_with_timers(lab, ["showstp", bridge])
    if bridge == "br0":
        assert b"hairpin mode\t\t   1" in peer.stdout
    if bridge == "brB":  # not the root: brA's forward delay is in effect, and a root port
        assert b"forward delay\t\t   4.00" in peer.stdout and b"root port\t\t   1" in peer.stdout


@pytest.mark.parametrize("args", [[], ["-h"], ["--help"], ["show", "br0", "br1"]])
def test_help_and_return_codes(lab, args):
    peer = lab.exec("brctl", *args)
    mine = lab.sockctl("brctl", *args)
    assert (mine.stdout, mine.returncode) == (peer.stdout, peer.returncode)


def test_unprivileged_showstp_reads_the_namespace_sysfs(lab):
    """Without CAP_SYS_ADMIN no sysfs can be mounted; under `ip netns exec` /sys is the namespace's own."""
    import sys

    drop = ["setpriv", "--inh-caps=-sys_admin,-net_admin", "--bounding-set=-sys_admin,-net_admin"]
    for _ in range(40):
        before = lab.exec("brctl", "showstp", "brB")
        mine = lab.exec(*drop, sys.executable, "-m", "sockctl", "brctl", "showstp", "brB")
        after = lab.exec("brctl", "showstp", "brB")
        if TIMER.sub(b"T", before.stdout) == TIMER.sub(b"T", after.stdout):
            break
    assert mine.returncode == 0, mine.stderr
    assert TIMER.sub(b"T", mine.stdout) == TIMER.sub(b"T", before.stdout)


def test_json_carries_the_same_information(lab):
    show = json.loads(lab.sockctl("brctl", "show", json=True, check=True).stdout)
    by_name = {b["name"]: b for b in show["bridges"]}
    assert list(by_name)[:3] == ["br0", "br1", "br10"]
    assert by_name["br0"]["bridge_id"] == "8000.02000000b000"
    assert by_name["br0"]["ports"] == ["P2a", "p0a", "p1a"] and by_name["br2"]["stp_enabled"] is True
    macs = json.loads(lab.sockctl("brctl", "showmacs", "br0", json=True, check=True).stdout)
    learned = {e["address"]: e for e in macs["entries"]}
    assert learned["02:00:00:00:cc:02"]["is_local"] is False and learned["02:00:00:00:cc:02"]["port_no"] == 2
    assert learned["02:00:00:00:dd:01"]["ageing_timer"] == 0
    stp = json.loads(lab.sockctl("brctl", "showstp", "brB", json=True, check=True).stdout)
    assert stp["bridge"]["forward_delay"] == 400 and stp["bridge"]["bridge_forward_delay"] == 1000
    assert stp["bridge"]["designated_root"] == "1000.02000000aa00" and stp["bridge"]["root_port"] == 1
    assert stp["ports"][0]["name"] == "ab1" and stp["ports"][0]["state_name"] in ("listening", "learning",
                                                                                   "forwarding")


def test_library_reads_the_namespace_values(lab):
    """From this process, whose /sys is the host's: sysfs values still come from the namespace."""
    from sockctl import bridges

    sysfs = {key: int(lab.exec("cat", f"/sys/class/net/brB/bridge/{key}", check=True).stdout)
             for key in ("forward_delay", "root_port", "max_age")}
    with sockctl.netns(lab.name):
        info = bridges.bridge_info("brB")
        ports = bridges.ports_info("br0")
        assert bridges.version() == 1
        assert "brB" in bridges.bridge_names() and not bridges.is_bridge("lonely")
    assert (info.forward_delay, info.root_port, info.max_age) == (sysfs["forward_delay"], sysfs["root_port"],
                                                                  sysfs["max_age"])
    assert not info.is_root and info.bridge_forward_delay == 1000
    assert [(p.name, p.hairpin_mode, p.path_cost) for p in ports] == [("P2a", False, 7), ("p0a", True, 100),
                                                                     ("p1a", False, 2)]


def test_more_bridges_than_the_kernel_lists_at_once(lab, monkeypatch):
    """BRCTL_GET_BRIDGES returns at most 2047; when the array comes back full, the rest are found
    all the same. (A namespace of 2048 bridges takes the kernel half a minute to tear down, holding
    the lock every other network change waits for: the array is made small instead.)"""
    from sockctl import bridges

    listed = [line.split(b"\t")[0].decode() for line in lab.exec("brctl", "show", check=True).stdout.splitlines()[1:]
              if not line.startswith(b"\t")]
    monkeypatch.setattr(bridges, "MAX_BRIDGES_PER_CALL", 3)
    with sockctl.netns(lab.name):
        assert len(bridges.bridge_indexes()) == 3  # the kernel filled the whole array
        assert bridges.bridge_names() == listed
    assert len(listed) == 7


def test_namespace_without_bridges(ns):
    for args in (["show"], ["show", "lo"], ["showmacs", "lo"], ["showstp", "lo"]):
        peer, mine = nstest.settled(ns, ["brctl", *args], ["brctl", *args])
        assert (mine.stdout, mine.stderr, mine.returncode) == (peer.stdout, peer.stderr, peer.returncode)
    assert peer.returncode == 1 and mine.stdout == b""
