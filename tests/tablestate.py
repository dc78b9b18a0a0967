"""What the route and arp tests compare before and after a command: the kernel's tables, as ip shows them."""

import json

# One veth pair with fixed addresses, a permanent, a stale and a proxy ARP entry.
ARP_SETUP = """
link add v0 address 02:00:00:00:0a:00 type veth peer name v1 address 02:00:00:00:0a:01
addr add 10.2.0.1/16 dev v0
link set v0 up
link set v1 up
neigh add 10.2.0.30 lladdr 02:00:00:00:00:30 dev v0 nud permanent
neigh add 10.2.0.31 lladdr 02:00:00:00:00:31 dev v0 nud stale
neigh add proxy 10.2.0.32 dev v0
"""


def routes(ns) -> tuple:
    """Every route of every table, IPv4 and IPv6 (IPv6 expiry timers left out)."""
    v4 = json.loads(ns.exec("ip", "-j", "-d", "route", "show", "table", "all", check=True).stdout)
    v6 = json.loads(ns.exec("ip", "-j", "-d", "-6", "route", "show", "table", "all", check=True).stdout)
    return v4, [{k: v for k, v in r.items() if k != "expires"} for r in v6]


def neighbours(ns) -> tuple:
    """The ARP and neighbour entries and the proxy entries, in a stable order."""
    entries = json.loads(ns.exec("ip", "-j", "neigh", "show", check=True).stdout)
    proxies = json.loads(ns.exec("ip", "-j", "neigh", "show", "proxy", check=True).stdout)
    return sorted(entries, key=json.dumps), sorted(proxies, key=json.dumps)
