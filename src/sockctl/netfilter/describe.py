"""Tables as plain data for JSON (``sockctl --json iptables -S``): typed fields, extension options decoded."""

from sockctl.abi.x_tables import NFPROTO_IPV4
from sockctl.netfilter import extensions
from sockctl.netfilter.model import Fallthrough, Jump, Target, Verdict
from sockctl.netfilter.text import chain_order, references


def table(t) -> dict:
    refs = references(t)
    return {
        "table": t.name,
        "family": "ipv4" if t.family == NFPROTO_IPV4 else "ipv6",
        "chains": [{
            "name": c.name,
            "builtin": c.builtin,
            "policy": c.policy.name if c.policy else None,
            "counters": _counters(c.counters),
            "references": refs.get(c.name),
            "rules": [rule(r, t.family) for r in c.rules],
        } for c in chain_order(t)],
    }


def rule(r, family: int) -> dict:
    header = r.header.typed()
    for key in ("iniface_mask", "outiface_mask"):
        header[key] = header[key].hex()
    return {
        "header": header,
        "matches": [_extension("match", m, family) for m in r.matches],
        "target": _target(r.target, family),
        "counters": _counters(r.counters),
    }


def _counters(c) -> dict:
    return {"packets": c.packets, "bytes": c.bytes}


def _extension(kind: str, ext, family: int) -> dict:
    codec = extensions.for_payload(kind, ext.name, ext.revision, family)
    entry = {"name": ext.name, "revision": ext.revision}
    if codec is None:
        entry["data"] = ext.data.hex()
    else:
        entry["options"] = codec.decode(ext.data)
    return entry


def _target(target, family: int) -> dict:
    if isinstance(target, Target):
        return _extension("target", target, family)
    if isinstance(target, Verdict):
        return {"verdict": target.name}
    if isinstance(target, Jump):
        return {"jump": target.chain}
    assert isinstance(target, Fallthrough)
    return {}
