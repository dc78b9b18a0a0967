"""Every `sockctl brctl` change, against bridge-utils making the same change in a twin namespace.

Two namespaces start identical (fixed MAC addresses). The same command goes
to brctl in one and to sockctl in the other; afterwards `ip -d link`, brctl's
own listings and sysfs must read the same in both, and show the value asked for.
"""

import pytest

import brtest
import nstest

SETUP = """
link add br0 address 02:00:00:00:b0:00 type bridge
link add br9 address 02:00:00:00:b9:00 type bridge
link add w0a address 02:00:00:00:00:a0 type veth peer name w0b address 02:00:00:00:00:b0
link add w1a address 02:00:00:00:01:a0 type veth peer name w1b address 02:00:00:00:01:b0
link add w2a address 02:00:00:00:02:a0 type veth peer name w2b address 02:00:00:00:02:b0
link set w0a master br0
link set br0 up
link set w0a up
"""


def bridge_value(key, expected, bridge="br0"):
    return lambda ns: (brtest.info(brtest.links(ns)[bridge])[key] == expected
                       and brtest.sysfs(ns, f"{bridge}/bridge/{key}") == str(expected))


def port_value(key, sysfs_key, expected, port="w0a"):
    return lambda ns: (brtest.info(brtest.links(ns)[port])[key] == expected
                       and brtest.sysfs(ns, f"{port}/brport/{sysfs_key}") == str(int(expected)))


def masters(**expected):
    return lambda ns: all(brtest.links(ns)[port].get("master") == bridge for port, bridge in expected.items())


CASES = [
    ([["addbr", "brnew"]], lambda ns: brtest.links(ns)["brnew"]["linkinfo"]["info_kind"] == "bridge"),
    ([["delbr", "br9"]], lambda ns: "br9" not in brtest.links(ns)),
    ([["addif", "br0", "w1a"]], masters(w0a="br0", w1a="br0")),
    ([["addif", "br9", "w1a", "w2a"]], masters(w1a="br9", w2a="br9", w0a="br0")),
    ([["delif", "br0", "w0a"]], masters(w0a=None)),
    ([["addif", "br0", "w1a", "w2a"], ["delif", "br0", "w2a", "w0a"]], masters(w0a=None, w1a="br0", w2a=None)),
    ([["setageing", "br0", "120.5"]], bridge_value("ageing_time", 12050)),
    ([["setageing", "br0", "0"]], bridge_value("ageing_time", 0)),
    ([["setfd", "br0", "4.5"]], bridge_value("forward_delay", 450)),
    ([["setfd", "br0", "1.13"]], bridge_value("forward_delay", 112)),
    ([["sethello", "br0", "3"]], bridge_value("hello_time", 300)),
    ([["setmaxage", "br0", "12"]], bridge_value("max_age", 1200)),
    ([["setbridgeprio", "br0", "4096"]], bridge_value("priority", 4096)),
    ([["setbridgeprio", "br0", "0x2000"]], bridge_value("priority", 8192)),
    ([["setbridgeprio", "br0", "010"]], bridge_value("priority", 8)),
    ([["setpathcost", "br0", "w0a", "250"]], port_value("cost", "path_cost", 250)),
    ([["setportprio", "br0", "w0a", "20"]], port_value("priority", "priority", 20)),
    ([["stp", "br0", "on"]], bridge_value("stp_state", 1)),
    ([["stp", "br0", "yes"], ["setfd", "br0", "2"]], bridge_value("forward_delay", 200)),
    ([["stp", "br0", "1"], ["stp", "br0", "off"]], bridge_value("stp_state", 0)),
    ([["hairpin", "br0", "w0a", "on"]], port_value("hairpin", "hairpin_mode", True)),
    ([["hairpin", "br0", "w0a", "on"], ["hairpin", "br0", "w0a", "off"]],
     port_value("hairpin", "hairpin_mode", False)),
]


@pytest.fixture
def twins():
    with nstest.twins(SETUP) as pair:
        assert brtest.snapshot(pair[0]) == brtest.snapshot(pair[1])
        yield pair


def _same_change(peer, ours, argv: list[str]) -> None:
    """ARGV to brctl in PEER and to sockctl in OURS: both succeed, silently or with the same words."""
    theirs, mine = peer.exec("brctl", *argv), ours.sockctl("brctl", *argv)
    assert theirs.returncode == 0, theirs.stderr
    assert (mine.returncode, mine.stdout, mine.stderr) == (0, b"", theirs.stderr)
    if argv[0] == "addbr":  # a new bridge gets a random address: give both the same one
        for ns in (peer, ours):
            ns.ip("link", "set", argv[1], "address", "02:00:00:00:ee:ee")


@pytest.mark.parametrize("steps, check", CASES, ids=lambda v: " ; ".join(" ".join(s) for s in v)
                         if isinstance(v, list) else "")
def test_change_matches_brctl(twins, steps, check):
    peer, ours = twins
    for argv in steps:
        _same_change(peer, ours, argv)
    assert brtest.snapshot(ours) == brtest.snapshot(peer)
    assert check(ours)
    assert check(peer)  # the expectation holds for brctl too


def test_library_changes_in_a_namespace(twins):
    """The library inside `sockctl.netns`: the same changes, read back through the ioctls themselves."""
    import sockctl
    from sockctl import bridge_config, bridges

    _, ours = twins
    with sockctl.netns(ours.name):
        bridge_config.add_bridge("brlib")
        bridge_config.add_ports("brlib", ["w1a", "w2a"])
        bridge_config.set_stp("brlib", True)
        bridge_config.set_forward_delay("brlib", 500)
        bridge_config.set_path_cost("brlib", "w2a", 77)
        bridge_config.set_hairpin("brlib", "w1a", True)
        info = bridges.bridge_info("brlib")
        ports = {p.name: p for p in bridges.ports_info("brlib")}
        bridge_config.remove_ports("brlib", ["w1a"])
        left = bridges.bridge("brlib").ports
    assert info.stp_enabled and info.bridge_forward_delay == 500 == info.forward_delay
    assert ports["w2a"].path_cost == 77 and ports["w1a"].hairpin_mode and not ports["w2a"].hairpin_mode
    assert left == ("w2a",)
    assert brtest.sysfs(ours, "w2a/brport/path_cost") == "77"
    assert "brlib" not in brtest.links(twins[0])  # the peer twin is untouched


def test_legacy_calls_the_kernel_still_answers(twins):
    """SIOCSIFBR's BRCTL_ADD_BRIDGE/DEL_BRIDGE and SIOCDEVPRIVATE's BRCTL_ADD_IF/DEL_IF still work;
    BRCTL_SET_GC_INTERVAL is gone from the kernel, which says so."""
    import ctypes

    import sockctl
    from sockctl import bridges, interfaces
    from sockctl.abi import if_bridge as br
    from sockctl.errors import NotSupported

    _, ours = twins
    name = ctypes.create_string_buffer(b"brold", 16)
    with sockctl.netns(ours.name):
        bridges.deviceless(br.BRCTL_ADD_BRIDGE, ctypes.addressof(name), set_=True, target="brold")
        assert brtest.links(ours)["brold"]["linkinfo"]["info_kind"] == "bridge"
        bridges.private("brold", br.BRCTL_ADD_IF, interfaces.index("w1a"))
        assert brtest.links(ours)["w1a"]["master"] == "brold"
        assert bridges.ports("brold") == {"w1a": 1}
        bridges.private("brold", br.BRCTL_DEL_IF, interfaces.index("w1a"))
        assert "master" not in brtest.links(ours)["w1a"]
        with pytest.raises(NotSupported):
            bridges.private("brold", br.BRCTL_SET_GC_INTERVAL, 100)
        bridges.deviceless(br.BRCTL_DEL_BRIDGE, ctypes.addressof(name), set_=True, target="brold")
        assert "brold" not in brtest.links(ours)
