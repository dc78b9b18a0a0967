"""JSON output shared by every command (``sockctl --json ...``)."""

import ipaddress
import json

from sockctl.record import Record

_ADDRESS_TYPES = (ipaddress.IPv4Address, ipaddress.IPv6Address, ipaddress.IPv4Network,
                  ipaddress.IPv6Network, ipaddress.IPv4Interface, ipaddress.IPv6Interface)


def jsonable(value):
    """VALUE with records as dicts, addresses as strings and bytes as hex."""
    if isinstance(value, Record):
        return {f: jsonable(getattr(value, f)) for f in value._fields}
    if isinstance(value, _ADDRESS_TYPES):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def dumps(document) -> str:
    """One JSON document, indented, with a final newline."""
    return json.dumps(jsonable(document), indent=2) + "\n"
