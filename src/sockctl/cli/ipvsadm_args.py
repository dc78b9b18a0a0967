"""ipvsadm 1.31's command lines, read into a ``Command`` (pure: no kernel, no output).

The first option names the command (-A, -E, -D, -C, -R, -S, -a, -e, -d,
-L/-l, -Z, --set, --start-daemon, --stop-daemon, -h, -v); the options
after it are checked against the command as ipvsadm checks them (which
are required, refused, or exclusive), in ipvsadm's order, so that the
first mistake reported is the one ipvsadm reports. Mistakes raise
``ArgumentError`` carrying ipvsadm's exit status: 2 for a bad value or
combination, 255 for what popt refuses.

Addresses stay 4-byte strings in network order and ports numbers; the
command module turns them into ``sockctl.ipvs`` records.
"""

from _socket import inet_aton

from sockctl.abi import ip_vs as abi
from sockctl.cli import popt
from sockctl.errors import InputError

MAX_TIMEOUT = 86400 * 31  # ipvsadm's limit for persistence and --set
DEFAULT_PERSISTENCE = 360
INT_MAX = 0x7FFFFFFF
SCHED_FLAGS = abi.IP_VS_SVC_F_SCHED1 | abi.IP_VS_SVC_F_SCHED2 | abi.IP_VS_SVC_F_SCHED3

TRY_HELP = "Try `ipvsadm -h' or 'ipvsadm --help' for more information."

# ipvsadm's options, in the order of its table of legal combinations (its optnames).
OPTION_NAMES = (
    "numeric", "connection", "service-address", "scheduler", "persistent", "netmask", "real-server",
    "forwarding-method", "weight", "u-threshold", "l-threshold", "mcast-interface", "timeout", "daemon",
    "stats", "rate", "thresholds", "persistent-conn", "nosort", "syncid", "exact", "ops", "pe", "sched-flags",
    "mcast-group", "mcast-port", "mcast-ttl", "sync-maxlen", "tun-info", "tun-type", "tun-port", "tun-nocsum",
    "tun-csum", "tun-remcsum")
_BIT = {name: 1 << i for i, name in enumerate(OPTION_NAMES)}
_TUNNEL_OPTIONS = ("tun-type", "tun-port", "tun-nocsum", "tun-csum", "tun-remcsum")
_TUNNEL_BITS = sum(_BIT[name] for name in _TUNNEL_OPTIONS[1:])  # what tunnel_opt_check looks at

# command -> (ipvsadm's name for it, {option: rule}); rule "+" required, "1" at most one of them,
# " " allowed; an option not named is refused.
_LIST_OPTIONS = {"numeric": " ", "connection": "1", "service-address": "1", "timeout": "1", "daemon": "1",
                 "stats": " ", "rate": " ", "thresholds": " ", "persistent-conn": " ", "nosort": " ",
                 "syncid": " ", "exact": " ", "tun-info": " "}
_SERVICE_OPTIONS = {"service-address": "+", "scheduler": " ", "persistent": " ", "netmask": " ", "ops": " ",
                    "pe": " ", "sched-flags": " "}
_SERVER_OPTIONS = {"service-address": "+", "real-server": "+", "forwarding-method": " ", "weight": " ",
                   "u-threshold": " ", "l-threshold": " ", **{name: " " for name in _TUNNEL_OPTIONS}}
COMMANDS = {
    "add": ("add-service", _SERVICE_OPTIONS),
    "edit": ("edit-service", _SERVICE_OPTIONS),
    "delete": ("delete-service", {"service-address": "+"}),
    "flush": ("flush", {}),
    "list": ("list", _LIST_OPTIONS),
    "add-dest": ("add-server", _SERVER_OPTIONS),
    "delete-dest": ("delete-server", {"service-address": "+", "real-server": "+"}),
    "edit-dest": ("edit-server", _SERVER_OPTIONS),
    "timeout": ("set", {}),
    "start-daemon": ("start-daemon", {"mcast-interface": " ", "syncid": " ", "mcast-group": " ", "mcast-port": " ",
                                      "mcast-ttl": " ", "sync-maxlen": " "}),
    "stop-daemon": ("stop-daemon", {"syncid": " "}),
    "restore": ("restore", {}),
    "save": ("save", {"numeric": " "}),
    "zero": ("zero", {"service-address": " "}),
}
TUNNEL_TYPES = ("ipip", "gue", "gre")
# tunnel type -> {option: rule}, as for commands
_TUNNEL_RULES = {
    "ipip": {},
    "gue": {"tun-port": "+", "tun-nocsum": "1", "tun-csum": "1", "tun-remcsum": "1"},
    "gre": {"tun-nocsum": "1", "tun-csum": "1"},
}

_V, _N, _O = popt.VALUE, popt.NONE, popt.OPTIONAL
_SHORT = {
    "A": ("add", _N), "E": ("edit", _N), "D": ("delete", _N), "C": ("flush", _N), "L": ("list", _N),
    "l": ("list", _N), "Z": ("zero", _N), "a": ("add-dest", _N), "e": ("edit-dest", _N), "d": ("delete-dest", _N),
    "h": ("help", _N), "v": ("version", _N), "R": ("restore", _N), "S": ("save", _N),
    "t": ("tcp-service", _V), "u": ("udp-service", _V), "f": ("fwmark-service", _V), "s": ("scheduler", _V),
    "p": ("persistent", _O), "M": ("netmask", _V), "r": ("real-server", _V), "m": ("masquerading", _N),
    "i": ("ipip", _N), "g": ("gatewaying", _N), "w": ("weight", _V), "x": ("u-threshold", _V),
    "y": ("l-threshold", _V), "n": ("numeric", _N), "c": ("connection", _N), "X": ("exact", _N),
    "6": ("ipv6", _N), "o": ("ops", _N), "b": ("sched-flags", _V),
}
_LONG = {
    "add-service": ("add", _N), "edit-service": ("edit", _N), "delete-service": ("delete", _N),
    "clear": ("flush", _N), "list": ("list", _N), "zero": ("zero", _N), "add-server": ("add-dest", _N),
    "edit-server": ("edit-dest", _N), "delete-server": ("delete-dest", _N), "set": ("timeout", _N),
    "help": ("help", _N), "version": ("version", _N), "restore": ("restore", _N), "save": ("save", _N),
    "start-daemon": ("start-daemon", _V), "stop-daemon": ("stop-daemon", _V),
    "tcp-service": ("tcp-service", _V), "udp-service": ("udp-service", _V),
    "sctp-service": ("sctp-service", _V), "fwmark-service": ("fwmark-service", _V),
    "scheduler": ("scheduler", _V), "persistent": ("persistent", _O), "netmask": ("netmask", _V),
    "real-server": ("real-server", _V), "masquerading": ("masquerading", _N), "ipip": ("ipip", _N),
    "gatewaying": ("gatewaying", _N), "weight": ("weight", _V), "u-threshold": ("u-threshold", _V),
    "l-threshold": ("l-threshold", _V), "numeric": ("numeric", _N), "connection": ("connection", _N),
    "mcast-interface": ("mcast-interface", _V), "syncid": ("syncid", _V), "timeout": ("timeout", _N),
    "daemon": ("daemon", _N), "stats": ("stats", _N), "rate": ("rate", _N), "thresholds": ("thresholds", _N),
    "persistent-conn": ("persistent-conn", _N), "nosort": ("nosort", _N), "sort": ("sort", _N),
    "exact": ("exact", _N), "ipv6": ("ipv6", _N), "ops": ("ops", _N), "pe": ("pe", _V),
    "sched-flags": ("sched-flags", _V), "mcast-group": ("mcast-group", _V), "mcast-port": ("mcast-port", _V),
    "mcast-ttl": ("mcast-ttl", _V), "sync-maxlen": ("sync-maxlen", _V), "tun-info": ("tun-info", _N),
    "tun-type": ("tun-type", _V), "tun-port": ("tun-port", _V), "tun-nocsum": ("tun-nocsum", _N),
    "tun-csum": ("tun-csum", _N), "tun-remcsum": ("tun-remcsum", _N),
}
_PROTOCOLS = {"tcp-service": 6, "udp-service": 17, "sctp-service": 132, "fwmark-service": 6}
_METHODS = {"masquerading": abi.IP_VS_CONN_F_MASQ, "ipip": abi.IP_VS_CONN_F_TUNNEL,
            "gatewaying": abi.IP_VS_CONN_F_DROUTE}
_FORMATS = {"numeric": 1, "stats": 4, "rate": 8, "thresholds": 16, "persistent-conn": 32, "nosort": 64,
            "exact": 128}
_SPECIAL_FIRST = {"help", "version", "start-daemon", "stop-daemon"}


class ArgumentError(InputError):
    """A command line ipvsadm would refuse; ``status`` is its exit status."""

    def __init__(self, message: str, status: int = 2):
        self.status = status
        super().__init__(message)


class Command:
    """What a command line asks for. Addresses are 4 bytes (or 16 for IPv6, which cannot be sent)."""

    __slots__ = ("cmd", "options", "fmt", "af", "protocol", "addr", "port", "fwmark", "scheduler", "flags",
                 "timeout", "netmask", "dest_af", "dest_addr", "dest_port", "method", "weight", "u_threshold",
                 "l_threshold", "tunnel", "timeouts", "state", "mcast_ifn", "syncid", "sched_flags")

    def __init__(self):
        self.cmd = ""
        self.options = self.fmt = 0
        self.af, self.protocol, self.addr, self.port, self.fwmark = 4, 0, bytes(4), 0, 0
        self.scheduler, self.flags, self.timeout, self.netmask = "", 0, 0, b"\xff\xff\xff\xff"
        self.dest_af, self.dest_addr, self.dest_port = 4, bytes(4), 0
        self.method, self.weight, self.u_threshold, self.l_threshold = abi.IP_VS_CONN_F_DROUTE, 1, 0, 0
        self.tunnel = "ipip"
        self.timeouts = (0, 0, 0)
        self.state, self.mcast_ifn, self.syncid = 0, "", 0
        self.sched_flags = ""

    def has(self, option: str) -> bool:
        return bool(self.options & _BIT[option])

    def netlink_only(self) -> str:
        """Why generic netlink would be needed to do this, or "" when the socket options can."""
        if self.af == 6 or (self.cmd in ("add-dest", "edit-dest", "delete-dest") and self.dest_af == 6):
            return "IPv6 services and real servers are reachable through generic netlink only"
        if self.has("pe"):
            return "persistence engines are set through generic netlink only"
        if self.tunnel != "ipip" or self.options & (_BIT["tun-port"] | _BIT["tun-nocsum"] | _BIT["tun-csum"]
                                                     | _BIT["tun-remcsum"]):
            return "tunnel types other than ipip are set through generic netlink only"
        if self.options & (_BIT["mcast-group"] | _BIT["mcast-port"] | _BIT["mcast-ttl"] | _BIT["sync-maxlen"]):
            return "the sync daemon's group, port, TTL and message size are set through generic netlink only"
        if self.has("tun-info"):
            return "tunnel details are listed through generic netlink only"
        if self.has("connection"):
            return "connections are listed from /proc/net/ip_vs_conn, not a socket option: use ipvsadm -L -c"
        return ""


def _fail(message: str) -> ArgumentError:
    return ArgumentError(message, 2)


# ---- values, read as ipvsadm reads them ----

def strtol(text: str) -> int | None:
    """C's strtol(text, &end, 10) when it reads the whole text, else None."""
    body = text.lstrip(" \t\n\v\f\r")
    digits = body[1:] if body[:1] in ("+", "-") else body
    if not digits or not digits.isascii() or not digits.isdigit():
        return None
    value = int(body)
    return value if -(1 << 63) <= value < (1 << 63) else None


def number(text: str, low: int, high: int) -> int | None:
    """ipvsadm's string_to_number: a decimal number within [LOW, HIGH], else None."""
    value = strtol(text)
    return value if value is not None and low <= value <= high else None


def host_address(text: str) -> bytes | None:
    """inet_aton, then a host name lookup (gethostbyname); None when neither gives an IPv4 address."""
    try:
        return inet_aton(text)
    except (OSError, ValueError):
        pass
    if not text or "\0" in text:
        return None
    import socket

    try:
        return inet_aton(socket.gethostbyname(text))
    except (OSError, UnicodeError, ValueError):
        return None


def _ipv6(text: str) -> bytes | None:
    from _socket import AF_INET6, inet_pton

    try:
        return inet_pton(AF_INET6, text)
    except (OSError, ValueError):
        return None


_services: dict[tuple[str, int], tuple | None] = {}


def parse_service(text: str, protocol: int) -> tuple[int, bytes, int | None] | None:
    """(family 4 or 6, address, port or None) from ``host[:port]`` or ``[v6addr]:port``, as ipvsadm reads them.

    None where ipvsadm says the address is illegal. A port is a number or a
    service name of PROTOCOL. Remembered: a restore names each service
    again on every line of its servers.
    """
    key = (text, protocol)
    if key not in _services:
        _services[key] = _parse_service(text, protocol)
    return _services[key]


def _parse_service(text: str, protocol: int) -> tuple[int, bytes, int | None] | None:
    if text.isascii() and text.isdigit() or not text:
        return None
    host, port = text, None
    if text[0] == "[":
        inner, bracket, rest = text[1:].partition("]")
        if not bracket or rest[:1] != ":":
            return None
        host, port = inner, rest[1:]
    packed6 = _ipv6(host) if host.count(":") > 1 else None  # an IPv6 address has two colons at least
    if packed6 is not None:
        family, address = 6, packed6
    else:
        # ipvsadm looks for the port again in what is left (inside brackets too).
        host, colon, port = host.rpartition(":") if ":" in host else (host, "", None)
        if not colon:
            port = None
        address = host_address(host.split("\0", 1)[0])
        if address is None:
            return None
        family = 4
    if port is None:
        return family, address, None
    value = number(port, 0, 0xFFFF)
    if value is None:
        from sockctl import servdb

        value = servdb.system().port(port, {6: "tcp", 17: "udp", 132: "sctp"}.get(protocol, "")) \
            if protocol in (6, 17, 132) else None
        if value is None:
            return None
    return family, address, value


def _timeout(text: str | None, low: int) -> int:
    if text is None:
        return DEFAULT_PERSISTENCE
    value = number(text, low, MAX_TIMEOUT)
    if value is None:
        raise _fail(f"invalid timeout value `{text}' specified")
    return value


def _ascii_prefix(text: str, size: int) -> str:
    """TEXT cut to SIZE bytes, as strncpy into a C array leaves it."""
    return text.encode("utf-8", "surrogateescape")[:size].decode("utf-8", "surrogateescape")


# ---- the command line ----

def _set_option(cmd: Command, name: str) -> None:
    bit = _BIT[name]
    if cmd.options & bit:
        raise _fail(f"multiple '{name}' options specified")
    cmd.options |= bit


def _first(cmd: Command, key: str, value: str | None) -> None:
    if key in COMMANDS and key not in _SPECIAL_FIRST:
        cmd.cmd = key
    elif key in ("start-daemon", "stop-daemon"):
        cmd.cmd = key
        if value not in ("master", "backup"):
            raise _fail(f"illegal {key} parameter {value!r}: master or backup")
        cmd.state = abi.IP_VS_STATE_MASTER if value == "master" else abi.IP_VS_STATE_BACKUP
    elif key in ("help", "version"):
        cmd.cmd = key
    else:
        raise ArgumentError(TRY_HELP, 255)


def _option(cmd: Command, key: str, value: str | None, word: str) -> None:
    if key in _PROTOCOLS:
        _set_option(cmd, "service-address")
        cmd.protocol = _PROTOCOLS[key]
        if key == "fwmark-service":
            mark = strtol(value)
            if mark is None or not 0 < mark <= 0xFFFFFFFF:
                raise _fail(f"invalid fwmark value `{value}' specified")
            cmd.af, cmd.fwmark = 4, mark
            return
        parsed = parse_service(value, cmd.protocol)
        if parsed is None:
            raise _fail(f"illegal virtual server address[:port] `{value}'")
        cmd.af, cmd.addr = parsed[0], parsed[1]
        cmd.port = parsed[2] if parsed[2] is not None else cmd.port
        if cmd.af == 6:
            cmd.netmask = (128).to_bytes(4, "little")
    elif key == "real-server":
        _set_option(cmd, "real-server")
        parsed = parse_service(value, cmd.protocol)
        if parsed is None:
            raise _fail(f"illegal real server address[:port] `{value}'")
        cmd.dest_af, cmd.dest_addr = parsed[0], parsed[1]
        cmd.dest_port = cmd.port if parsed[2] is None else parsed[2]
    elif key in _METHODS:
        _set_option(cmd, "forwarding-method")
        cmd.method = _METHODS[key]
    elif key == "weight":
        _set_option(cmd, "weight")
        cmd.weight = _ranged(value, 0, INT_MAX, "weight")  # ipvsadm 1.31 takes any int (the kernel: >= 0)
    elif key in ("u-threshold", "l-threshold"):
        _set_option(cmd, key)
        setattr(cmd, key.replace("-", "_"), _ranged(value, 0, INT_MAX, key.replace("-", "_")))
    elif key == "scheduler":
        _set_option(cmd, "scheduler")
        cmd.scheduler = _ascii_prefix(value, abi.IP_VS_SCHEDNAME_MAXLEN - 1)
    elif key == "persistent":
        _set_option(cmd, "persistent")
        cmd.flags |= abi.IP_VS_SVC_F_PERSISTENT
        cmd.timeout = _timeout(value, 1)
    elif key == "netmask":
        _set_option(cmd, "netmask")
        if cmd.af == 6:
            bits = _atoi(value)
            if not 1 <= bits <= 128:
                raise _fail(f"illegal ipv6 netmask `{value}'")
            cmd.netmask = bits.to_bytes(4, "little")
        else:
            mask = host_address(value)
            if mask is None:
                raise _fail(f"illegal virtual server persistent mask `{value}'")
            cmd.netmask = mask
    elif key in _FORMATS or key in ("connection", "timeout", "daemon", "tun-info"):
        _set_option(cmd, key)
        cmd.fmt |= _FORMATS.get(key, 0)
    elif key == "ops":
        _set_option(cmd, "ops")
        cmd.flags |= abi.IP_VS_SVC_F_ONEPACKET
    elif key == "sched-flags":
        _set_option(cmd, "sched-flags")
        cmd.sched_flags = value[:127]
    elif key == "ipv6":
        if not cmd.fwmark:
            raise _fail("-6 used before -f")
        cmd.af = 6
    elif key == "sort":
        pass  # the default; ipvsadm keeps the option for old scripts
    else:
        _daemon_or_tunnel_option(cmd, key, value, word)


def _atoi(text: str) -> int:
    """C's atoi: the number at the start of TEXT, 0 when there is none."""
    body = text.lstrip(" \t\n\v\f\r")
    sign = -1 if body[:1] == "-" else 1
    body = body[1:] if body[:1] in ("+", "-") else body
    end = 0
    while end < len(body) and body[end] in "0123456789":
        end += 1
    return sign * int(body[:end]) if end else 0


def _ranged(text: str, low: int, high: int, what: str) -> int:
    value = number(text, low, high)
    if value is None:
        raise _fail(f"illegal {what} `{text}' ({low}-{high})")
    return value


def _daemon_or_tunnel_option(cmd: Command, key: str, value: str | None, word: str) -> None:
    if key == "mcast-interface":
        _set_option(cmd, "mcast-interface")
        cmd.mcast_ifn = _ascii_prefix(value, abi.IP_VS_IFNAME_MAXLEN - 1)
    elif key == "syncid":
        _set_option(cmd, "syncid")
        cmd.syncid = _ranged(value, 0, 255, "syncid")
    elif key == "pe":
        _set_option(cmd, "pe")
    elif key == "mcast-group":
        _set_option(cmd, "mcast-group")
        if ":" in value:
            packed = _ipv6(value)
            if packed is None or packed[0] != 0xFF:
                raise _fail(f"invalid IPv6 mcast-group `{value}'")
        else:
            from _socket import AF_INET, inet_pton

            try:
                packed = inet_pton(AF_INET, value)
            except (OSError, ValueError):
                packed = b""
            if len(packed) != 4 or not 224 <= packed[0] <= 239:
                raise _fail(f"invalid IPv4 mcast-group `{value}'")
    elif key in ("mcast-port", "mcast-ttl", "sync-maxlen", "tun-port"):
        _set_option(cmd, key)
        high = {"mcast-port": 65535, "mcast-ttl": 255, "sync-maxlen": 65535 - 20 - 8, "tun-port": 65535}[key]
        _ranged(value, 1, high, key.replace("-", " "))
    elif key == "tun-type":
        _set_option(cmd, "tun-type")
        if value not in TUNNEL_TYPES:
            raise _fail(f"illegal tunnel type `{value}': ipip, gue or gre")
        cmd.tunnel = value
    elif key in ("tun-nocsum", "tun-csum", "tun-remcsum"):
        _set_option(cmd, key)
    else:  # a command letter after the command: ipvsadm blames the whole word
        raise _fail(f"invalid option `{word}'")


def _masks(rules: dict) -> tuple[int, int, int]:
    """(required, allowed, exclusive) option bits of a rules table."""
    def bits(kinds):
        return sum(_BIT[name] for name, rule in rules.items() if rule in kinds)

    return bits("+"), bits("+1 "), bits("1")


_MASKS: dict[int, tuple[int, int, int]] = {}


def _check_rules(options: int, rules: dict, subject: str) -> None:
    """ipvsadm's generic_opt_check (and tunnel_opt_check): the first option out of place, in table order."""
    masks = _MASKS.get(id(rules))
    if masks is None:
        masks = _MASKS[id(rules)] = _masks(rules)
    required, allowed, exclusive = masks
    if options & required == required and not options & ~allowed and (options & exclusive).bit_count() < 2:
        return  # the common case, without walking the table
    exclusive_seen = None
    for name in OPTION_NAMES:
        rule = rules.get(name, "x")
        if not options & _BIT[name]:
            if rule == "+":
                raise _fail(f"You need to supply the '{name}' option for the {subject}")
        elif rule == "x":
            raise _fail(f"Illegal '{name}' option with the {subject}")
        elif rule == "1":
            if exclusive_seen is not None:
                raise _fail(f"The option '{name}' conflicts with the '{exclusive_seen}' option in the {subject}")
            exclusive_seen = name


def _sched_flags(scheduler: str, text: str) -> int:
    scheduler = scheduler or "wlc"
    flags = 0
    names = [name for name in text.split(",") if name]
    if not names:
        raise _fail(f"invalid scheduler flag `{text}'")
    for name in names:
        bit = {"flag-1": abi.IP_VS_SVC_F_SCHED1, "flag-2": abi.IP_VS_SVC_F_SCHED2,
               "flag-3": abi.IP_VS_SVC_F_SCHED3}.get(name)
        if bit is None:
            owner, _, what = name.partition("-")
            if owner not in ("sh", "mh") or what not in ("fallback", "port"):
                raise _fail(f"invalid scheduler flag `{name}'")
            if scheduler != owner:
                raise _fail(f"incompatible scheduler flag `{name}'")
            bit = abi.IP_VS_SVC_F_SCHED1 if what == "fallback" else abi.IP_VS_SVC_F_SCHED2
        flags |= bit
    return flags


def parse(argv: list[str], in_restore: bool = False) -> Command:
    """The ``Command`` of ARGV (the words after ``ipvsadm``), checked as ipvsadm checks it.

    IN_RESTORE: the line comes from ``ipvsadm -R``'s input, where -R itself
    is refused.
    """
    cmd = Command()
    leftovers: list[str] = []
    words = popt.options(argv, _SHORT, _LONG, leftovers)
    try:
        first = next(words, None)
    except popt.PoptError:
        first = None
    if first is None:
        raise ArgumentError(TRY_HELP, 255)
    _first(cmd, first[0], first[1])
    if cmd.cmd in ("help", "version"):
        return cmd
    try:
        for key, value, word in words:
            _option(cmd, key, value, word)
    except popt.PoptError as exc:
        raise ArgumentError(str(exc), 255) from None
    if cmd.cmd == "timeout":
        if len(leftovers) < 3:
            raise _fail("--set needs 3 timeout values: tcp tcpfin udp")
        cmd.timeouts = tuple(_timeout(text, 0) for text in leftovers[:3])
        del leftovers[:3]
    if leftovers:
        raise _fail(f"unexpected argument {leftovers[0]}")
    if cmd.sched_flags:
        cmd.flags = cmd.flags & ~SCHED_FLAGS | _sched_flags(cmd.scheduler, cmd.sched_flags)
    if cmd.cmd == "restore" and in_restore:
        raise ArgumentError(TRY_HELP, 255)
    _check(cmd)
    return cmd


def _check(cmd: Command) -> None:
    """What ipvsadm checks after reading the line (process_options), in its order."""
    name, rules = COMMANDS[cmd.cmd]
    _check_rules(cmd.options, rules, f"'{name}' command")
    if cmd.cmd in ("add", "edit"):
        if not cmd.fwmark and not cmd.port and not cmd.flags & abi.IP_VS_SVC_F_PERSISTENT:
            raise _fail("Zero port specified for non-persistent service")
        if cmd.flags & abi.IP_VS_SVC_F_ONEPACKET and not cmd.fwmark and cmd.protocol != 17:
            raise _fail("One-Packet Scheduling is only for UDP virtual services")
        cmd.scheduler = cmd.scheduler or "wlc"
    if cmd.cmd == "start-daemon" and not cmd.mcast_ifn:
        cmd.mcast_ifn = "eth0"
    if cmd.cmd in ("add-dest", "edit-dest"):
        tunnel = cmd.method == abi.IP_VS_CONN_F_TUNNEL
        if not cmd.fwmark and (tunnel or cmd.method == abi.IP_VS_CONN_F_DROUTE):
            cmd.dest_port = cmd.port  # these methods keep the service's port
        if cmd.dest_af != cmd.af and not tunnel:
            raise _fail("Different address family is allowed only for tunneling servers")
        if cmd.options & (_TUNNEL_BITS | _BIT["tun-type"]) and not tunnel:
            raise _fail("Tunnel options conflict with forward method")
        _check_rules(cmd.options & _TUNNEL_BITS, _TUNNEL_RULES[cmd.tunnel],
                     f"'{cmd.tunnel}' tunnel type")
    if cmd.cmd == "list":
        if (cmd.options & (_BIT["connection"] | _BIT["timeout"] | _BIT["daemon"])
                and cmd.options & (_BIT["stats"] | _BIT["rate"] | _BIT["thresholds"])
                or cmd.options & (_BIT["timeout"] | _BIT["daemon"]) and cmd.has("persistent-conn")):
            raise _fail("options conflicts in the list command")
