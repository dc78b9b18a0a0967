"""What the brctl tests compare: a namespace's links and bridges as `ip` and sysfs show them."""

import json
import re

# Values that move on their own between two readings.
_MOVING = re.compile(r"(_timer|^stats64)$")
TIMER = re.compile(rb" *\b(\d+)\.(\d\d)\b")  # with the padding, which changes with the number


def _still(value):
    if isinstance(value, dict):
        return {k: _still(v) for k, v in value.items() if not _MOVING.search(k)}
    if isinstance(value, list):
        return [_still(v) for v in value]
    return value


def links(ns) -> dict:
    """`ip -j -d link show` by name, without timers and counters."""
    found = json.loads(ns.exec("ip", "-j", "-d", "link", "show", check=True).stdout)
    return {link["ifname"]: _still(link) for link in found}


def info(link: dict) -> dict:
    """A bridge's own values (``info_data``) or a port's (``info_slave_data``)."""
    linkinfo = link.get("linkinfo", {})
    return linkinfo.get("info_slave_data") or linkinfo.get("info_data") or {}


def sysfs(ns, path: str) -> str:
    """One value of the namespace's own sysfs (`ip netns exec` mounts it)."""
    return ns.exec("cat", f"/sys/class/net/{path}", check=True).stdout.decode().strip()


def snapshot(ns) -> tuple:
    """Everything a brctl command can change: links, bridge and port values, brctl's own view, the FDB."""
    now = links(ns)
    show = ns.exec("brctl", "show", check=True).stdout
    fdb = ns.exec("bridge", "fdb", "show", check=True).stdout
    stp = {name: TIMER.sub(b"T", ns.exec("brctl", "showstp", name).stdout)
           for name, link in now.items() if link.get("linkinfo", {}).get("info_kind") == "bridge"}
    return now, show, fdb, stp
