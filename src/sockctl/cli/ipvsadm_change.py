"""ipvsadm's changing commands as encoded IPVS requests, and ``ipvsadm -R``.

``-R`` reads its input as ipvsadm does (words split at spaces, tabs and
carriage returns, the word ``ipvsadm`` dropped, lines without words
skipped), checks every line before the first change, and applies them all
or none; an error names the line.
"""

import sys

from sockctl import ipvs
from sockctl.cli import ipvsadm_args as arguments
from sockctl.errors import Error
from sockctl.ipvs_batch import apply_requests

E_USAGE, E_CHANGE = 2, 255
CHANGES = frozenset({*ipvs.PACKED_CHANGES, "flush", "timeout", "start-daemon", "stop-daemon"})

# A restore names the same service on every line of its servers: each is packed once.
_services: dict[tuple, bytes] = {}


def _service(cmd) -> bytes:
    key = (cmd.protocol, cmd.addr, cmd.port, cmd.fwmark, cmd.scheduler, cmd.flags, cmd.timeout, cmd.netmask)
    packed = _services.get(key)
    if packed is None:
        packed = _services[key] = ipvs.pack_service_user(*key)
    return packed


def request(cmd) -> tuple[int, bytes]:
    """(set-option, data) of a checked changing command (not -L, -S or -R); InputError if it cannot be sent."""
    name = cmd.cmd
    if name.endswith("-dest"):
        return ipvs.packed_request(name, _service(cmd), ipvs.pack_dest_user(
            cmd.dest_addr, cmd.dest_port, cmd.method, cmd.weight, cmd.u_threshold, cmd.l_threshold))
    if name in ipvs.PACKED_CHANGES:
        if name == "zero" and not cmd.has("service-address"):
            return ipvs.request("zero", None)
        return ipvs.packed_request(name, _service(cmd))
    if name == "timeout":
        return ipvs.request("set_timeouts", ipvs.Timeouts(*cmd.timeouts))
    if name == "start-daemon":
        return ipvs.request("start_daemon", ipvs.Daemon(cmd.state, cmd.mcast_ifn, cmd.syncid))
    if name == "stop-daemon":
        return ipvs.request("stop_daemon", cmd.state)
    return ipvs.request("flush")


def send(cmd) -> None:
    """Make the one change CMD asks for."""
    ipvs.send(*request(cmd))


def lines(data: bytes):
    """(line number, words) of each line ipvsadm's restore would act on."""
    text = data.decode("utf-8", "surrogateescape")
    for number, line in enumerate(text.split("\n"), 1):
        words = [w for w in line.replace("\t", " ").replace("\r", " ").split(" ") if w and w != "ipvsadm"]
        if words:
            yield number, words


def restore(data: bytes) -> int:
    """``ipvsadm -R`` with DATA as its input: every line checked, then all applied or none."""
    requests, numbers = [], []
    for number, words in lines(data):
        try:
            cmd = arguments.parse(words, in_restore=True)
        except arguments.ArgumentError as exc:
            return _fail(f"line {number}: {exc}", exc.status)
        if cmd.cmd not in CHANGES:
            return _fail(f"line {number}: -R applies changes; `{' '.join(words)}' is not one", E_USAGE)
        why = cmd.netlink_only()
        if why:
            return _fail(f"line {number}: {why}", E_CHANGE)
        try:
            requests.append(request(cmd))
        except Error as exc:
            return _fail(f"line {number}: {exc}", E_CHANGE)
        numbers.append(number)
    try:
        apply_requests(requests)
    except Error as exc:
        index = getattr(exc, "index", None)
        where = f"line {numbers[index]}: " if index is not None else ""
        undone = "" if type(exc) is Error else "; nothing was changed"  # plain Error: putting back failed
        return _fail(f"{where}{exc}{undone}", E_CHANGE)
    return 0


def _fail(message: str, status: int) -> int:
    sys.stderr.write(f"{message}\n")
    return status
