"""The registry of match and target codecs: one small module per extension.

See README.md in this directory for how to add one. Modules are imported
only when a rule uses their extension, so a listing pays for what it shows.
"""

import importlib

from sockctl.abi.x_tables import NFPROTO_UNSPEC

# (kind, name) -> module of this package defining EXTENSIONS. The name is the
# kernel's (u.user.name) or, for aliases such as state, the command line's.
MODULES = {
    ("match", "tcp"): "tcp",
    ("match", "udp"): "udp",
    ("match", "icmp"): "icmp",
    ("match", "icmp6"): "icmp6",
    ("match", "comment"): "comment",
    ("match", "mark"): "mark",
    ("match", "conntrack"): "conntrack",
    ("match", "state"): "conntrack",
    ("match", "multiport"): "multiport",
    ("target", "MARK"): "MARK",
    ("target", "LOG"): "LOG",
    ("target", "REJECT"): "REJECT",
    ("target", "DNAT"): "nat",
    ("target", "SNAT"): "nat",
    ("target", "MASQUERADE"): "nat",
    ("target", "REDIRECT"): "nat",
    ("match", "limit"): "limit",
    ("match", "mac"): "mac",
    ("match", "connmark"): "connmark",
    ("target", "CONNMARK"): "CONNMARK",
    ("match", "iprange"): "iprange",
    ("match", "addrtype"): "addrtype",
    ("match", "owner"): "owner",
    ("match", "length"): "length",
    ("match", "ttl"): "ttl",
    ("match", "hl"): "ttl",
    ("target", "TTL"): "TTL",
    ("target", "HL"): "TTL",
    ("match", "pkttype"): "pkttype",
    ("match", "tos"): "tos",
    ("target", "TOS"): "tos",
    ("match", "dscp"): "dscp",
    ("target", "DSCP"): "dscp",
    ("match", "recent"): "recent",
    ("match", "hashlimit"): "hashlimit",
    ("match", "physdev"): "physdev",
    ("target", "NETMAP"): "NETMAP",
    ("target", "CT"): "CT",
    ("target", "NOTRACK"): "CT",
    ("target", "TCPMSS"): "TCPMSS",
    ("target", "NFQUEUE"): "NFQUEUE",
}

# Other spellings of a match name that iptables accepts (xtables_find_match).
MATCH_SPELLINGS = {"icmpv6": "icmp6", "ipv6-icmp": "icmp6"}

_by_name: dict = {}
_by_payload: dict = {}


def _candidates(kind: str, name: str) -> list:
    key = (kind, name)
    found = _by_name.get(key)
    if found is None:
        module_name = MODULES.get(key)
        found = []
        if module_name is not None:
            module = importlib.import_module(f"{__name__}.{module_name}")
            found = [e for e in module.EXTENSIONS if e.kind == kind and name in (e.name, e.user_name)]
        _by_name[key] = found
    return found


def for_payload(kind: str, name: str, revision: int, family: int):
    """The codec of a match or target found in a table (kernel name and revision), or None."""
    key = (kind, name, revision, family)
    try:
        return _by_payload[key]
    except KeyError:
        pass
    best = None
    for ext in _candidates(kind, name):
        if ext.name == name and ext.revision == revision and ext.family in (family, NFPROTO_UNSPEC) \
                and ext.user_name is None:
            if best is None or best.family == NFPROTO_UNSPEC:
                best = ext
    _by_payload[key] = best
    return best


def known(kind: str, name: str) -> bool:
    """Whether sockctl has any codec under this name."""
    return bool(_candidates(kind, MATCH_SPELLINGS.get(name, name) if kind == "match" else name))


def choose(kind: str, name: str, family: int, kernel_has):
    """The codec iptables would pick for NAME on the command line, or None.

    As libxtables does: among the codecs of that name for the family, an
    alias ranks above the extension itself, then a higher revision, then a
    family-specific codec above a family-neutral one; the first that the
    kernel has (``kernel_has(kind, kernel_name, revision)``) wins.
    """
    if kind == "match":
        name = MATCH_SPELLINGS.get(name, name)
    key = (kind, name, family, kernel_has)
    if key in _chosen:
        return _chosen[key]
    _chosen[key] = found = _choose(kind, name, family, kernel_has)
    return found


_chosen: dict = {}


def _choose(kind: str, name: str, family: int, kernel_has):
    options = [e for e in _candidates(kind, name)
               if (e.user_name or e.name) == name and e.family in (family, NFPROTO_UNSPEC)]
    options.sort(key=lambda e: (e.user_name is not None, e.revision, e.family != NFPROTO_UNSPEC), reverse=True)
    for ext in options:
        if kernel_has(kind, ext.name, ext.revision):
            return ext
    return None
