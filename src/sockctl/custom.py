"""Clients for kernel modules of one's own: declare the commands once, call them as methods.

A module talks to user space on one of the two socket control channels:

- socket options it registers with ``nf_register_sockopt``, as ip_tables and
  IPVS do: setsockopt and getsockopt at level IPPROTO_IP on an IPv4 raw
  socket (IPPROTO_IPV6 on an IPv6 one), numbered from a base;
- private ioctls, SIOCDEVPRIVATE to SIOCDEVPRIVATE+15, which a network
  device's ``ndo_siocdevprivate`` answers, the argument behind ``ifr_data``.

A client class lists the module's commands as class attributes, each with
its option or request number, its ctypes payload and its direction, and each
becomes a method::

    class Store(custom.SockoptClient):
        module = "sockctl_kv"
        base = 128                                   # first option number
        header, version = sockctl_kv_hdr, 1          # for framed commands
        set_message = custom.SetOption(0, bytes, max_size=64)
        message = custom.GetOption(0, bytes, size=64)
        put = custom.SetCommand(1, 4, sockctl_kv_put)
        get = custom.GetCommand(1, 2, request=sockctl_kv_key, reply=sockctl_kv_record)

    Store().put(sockctl_kv_put(...))

Framed commands are for modules that carry several commands on one option
behind a header ``{version, command, length}`` (a ctypes structure with those
three fields, ``length`` counting the payload after it), as sockctl_kv does.
``encode_frame`` and ``decode_frame`` are the pure halves of that.

Errors are sockctl's: the kernel's errno as the fitting KernelError subclass,
naming the module (or the ``target=`` a call gives) and the command, with a
class's own words for an errno from ``reasons``. A reply that does not parse
raises DecodeError; a value of the wrong size raises InputError before
anything is sent.
"""

import ctypes
import errno as _errno
from types import MethodType  # ctypes imports it anyway

from sockctl import channel
from sockctl.abi.families import AF_INET, AF_INET6, IPPROTO_IP, IPPROTO_IPV6, IPPROTO_RAW, SOCK_RAW
from sockctl.abi.netdevice import ifreq
from sockctl.abi.sockios import SIOCDEVPRIVATE
from sockctl.errors import DecodeError, InputError, KernelError, kernel_error

# Directions of a private ioctl's argument, as _IOW/_IOR/_IOWR name them.
TO_KERNEL = 1
FROM_KERNEL = 2
BOTH = TO_KERNEL | FROM_KERNEL

LEVELS = {AF_INET: IPPROTO_IP, AF_INET6: IPPROTO_IPV6}


# ---- frames (pure) ----

def encode_frame(header, version: int, command: int, payload: bytes = b"") -> bytes:
    """A framed request: the header, then PAYLOAD, whose length the header gives."""
    return bytes(header(version=version, command=command, length=len(payload))) + payload


def decode_frame(header, version: int, command: int, data: bytes, reply=None, items=None):
    """(REPLY structure or None, [ITEMS structures]) from a framed reply.

    The header must carry VERSION and COMMAND and count exactly the bytes
    after it; those are one REPLY and, when ITEMS is given, whole ITEMS
    structures (as many as REPLY's ``count`` field says, if it has one).
    Anything else raises DecodeError with the offset where it went wrong.
    """
    hsize = ctypes.sizeof(header)
    if len(data) < hsize:
        raise DecodeError(f"reply of {len(data)} bytes is shorter than its {hsize}-byte header", 0)
    hdr = header.from_buffer_copy(data)
    if hdr.version != version:
        raise DecodeError(f"reply has protocol version {hdr.version}, not {version}", header.version.offset)
    if hdr.command != command:
        raise DecodeError(f"reply is for command {hdr.command}, not {command}", header.command.offset)
    if hdr.length != len(data) - hsize:
        raise DecodeError(f"reply header counts {hdr.length} bytes after it, but {len(data) - hsize} came",
                          header.length.offset)
    fixed = ctypes.sizeof(reply) if reply is not None else 0
    rest = len(data) - hsize - fixed
    if rest < 0:
        raise DecodeError(f"reply of {len(data) - hsize} bytes is too short for {fixed}", hsize)
    isize = ctypes.sizeof(items) if items is not None else 0
    if (not isize and rest) or (isize and rest % isize):
        raise DecodeError(f"{rest} bytes of reply left over", hsize + fixed)
    result = reply.from_buffer_copy(data, hsize) if reply is not None else None
    start = hsize + fixed
    found = [items.from_buffer_copy(data, start + i * isize) for i in range(rest // isize)] if isize else []
    if isize and result is not None and hasattr(result, "count") and result.count != len(found):
        raise DecodeError(f"reply says {result.count} entries follow, but {len(found)} came", hsize)
    return result, found


def payload_bytes(payload, value, what: str) -> bytes:
    """VALUE as the bytes of a PAYLOAD type (a ctypes structure, or ``bytes`` for any bytes)."""
    if payload is bytes:
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise TypeError(f"{what} takes bytes, not {type(value).__name__}")
        return bytes(value)
    if not isinstance(value, payload):
        raise TypeError(f"{what} takes a {payload.__name__}, not {type(value).__name__}")
    return bytes(value)


# ---- declarations ----

class _Command:
    """A declared command: a class attribute that becomes a method of the client."""

    name = "?"

    def __set_name__(self, owner, name):
        self.name = name.lstrip("_")  # what errors call it
        self.__name__, self.__qualname__ = name, f"{owner.__qualname__}.{name}"

    def __get__(self, client, owner=None):
        return self if client is None else MethodType(self, client)


class SetOption(_Command):
    """setsockopt(base + OFFSET) with a PAYLOAD (a ctypes structure, or bytes of at most MAX_SIZE)."""

    def __init__(self, offset: int, payload=bytes, max_size: int | None = None):
        self.offset, self.payload, self.max_size = offset, payload, max_size

    def __call__(self, client, value, *, target: str | None = None) -> None:
        data = payload_bytes(self.payload, value, self.name)
        if self.max_size is not None and len(data) > self.max_size:
            raise InputError(f"{self.name}: {len(data)} bytes is more than the {self.max_size} it takes")
        client.set_option(self.offset, data, self.name, target)


class GetOption(_Command):
    """getsockopt(base + OFFSET): a REPLY structure, or up to SIZE bytes when REPLY is bytes.

    A REQUEST (a ctypes structure, or bytes) goes at the start of the buffer
    for options that read one before they answer.
    """

    def __init__(self, offset: int, reply=bytes, size: int | None = None, request=None):
        if reply is bytes and size is None:
            raise ValueError("a bytes reply needs a size")
        self.offset, self.reply, self.request = offset, reply, request
        self.size = ctypes.sizeof(reply) if reply is not bytes else size

    def __call__(self, client, value=None, *, target: str | None = None):
        request = b"" if value is None else payload_bytes(self.request or bytes, value, self.name)
        data = client.get_option(self.offset, request, self.size, self.name, target)
        if self.reply is bytes:
            return data
        if len(data) != self.size:
            raise DecodeError(f"{self.name}: reply of {len(data)} bytes, not {self.size}", 0)
        return self.reply.from_buffer_copy(data)


class SetCommand(_Command):
    """A framed set request: COMMAND on option base + OFFSET, with a PAYLOAD structure or none."""

    def __init__(self, offset: int, command: int, payload=None):
        self.offset, self.command, self.payload = offset, command, payload

    def __call__(self, client, value=None, *, target: str | None = None) -> None:
        if (value is None) != (self.payload is None):
            raise TypeError(f"{self.name} takes {'a ' + self.payload.__name__ if self.payload else 'no value'}")
        body = payload_bytes(self.payload, value, self.name) if value is not None else b""
        client.set_option(self.offset, encode_frame(client.header, client.version, self.command, body),
                          self.name, target)


class GetCommand(_Command):
    """A framed get request: COMMAND on option base + OFFSET.

    Sends a REQUEST structure (or none) and returns the REPLY structure, or
    (REPLY, [ITEMS...]) when ITEMS is given, with room for ``capacity`` items.
    """

    def __init__(self, offset: int, command: int, request=None, reply=None, items=None):
        self.offset, self.command = offset, command
        self.request, self.reply, self.items = request, reply, items

    def __call__(self, client, value=None, *, capacity: int = 0, target: str | None = None):
        if (value is None) != (self.request is None):
            raise TypeError(f"{self.name} takes {'a ' + self.request.__name__ if self.request else 'no value'}")
        body = payload_bytes(self.request, value, self.name) if value is not None else b""
        request = encode_frame(client.header, client.version, self.command, body)
        size = ctypes.sizeof(client.header) + (ctypes.sizeof(self.reply) if self.reply is not None else 0)
        if self.items is not None:
            size += capacity * ctypes.sizeof(self.items)
        data = client.get_option(self.offset, request, size, self.name, target)
        try:
            reply, items = decode_frame(client.header, client.version, self.command, data, self.reply, self.items)
        except DecodeError as exc:
            raise DecodeError(f"{client.module}: {self.name}: {exc}") from None
        return (reply, items) if self.items is not None else reply


class PrivateIoctl(_Command):
    """SIOCDEVPRIVATE + NUMBER on the client's device, the PAYLOAD structure behind ifr_data.

    DIRECTION says who fills the payload: TO_KERNEL (the method takes a
    value, returns None), FROM_KERNEL (takes none, returns what the kernel
    wrote) or BOTH. ``call=`` names the operation in errors, for a method
    that carries several.
    """

    def __init__(self, number: int, payload, direction: int):
        if not 0 <= number <= 15:
            raise ValueError(f"private ioctl number {number} is not 0 to 15")
        if direction not in (TO_KERNEL, FROM_KERNEL, BOTH):
            raise ValueError(f"unknown direction {direction}")
        self.number, self.payload, self.direction = number, payload, direction

    def __call__(self, client, value=None, *, call: str | None = None):
        if (value is None) == bool(self.direction & TO_KERNEL):
            raise TypeError(f"{self.name} takes {'a ' + self.payload.__name__ if value is None else 'no value'}")
        # A copy: the kernel writes into it, never into the caller's value.
        buf = self.payload() if value is None else self.payload.from_buffer_copy(
            payload_bytes(self.payload, value, self.name))
        client.private_ioctl(self.number, buf, call or self.name)
        return buf if self.direction & FROM_KERNEL else None


# ---- clients ----

def _reraise(client, exc: KernelError, call: str, target: str, **words):
    reason = client.reasons.get(exc.errno)
    return kernel_error(exc.errno, call, target, reason.format(**words) if reason else "")


class SockoptClient:
    """The socket options of one module, in the current network namespace."""

    module = ""  # the kernel module's name, for messages
    base = 0  # the first option number (usually a module parameter)
    family = AF_INET  # AF_INET6: level IPPROTO_IPV6 on an IPv6 raw socket
    header = None  # for framed commands: a ctypes {version, command, length}
    version = 0
    reasons = {
        _errno.ENOPROTOOPT: "option {option} is not registered: is {module} loaded, with this base?",
    }

    def __init__(self, base: int | None = None):
        if base is not None:
            self.base = base
        if not 0 <= self.base <= 0x7FFFFFFF:
            raise InputError(f"option base {self.base} is out of range (0-2147483647)")

    def set_option(self, offset: int, data: bytes, call: str, target: str | None = None) -> None:
        """setsockopt(base + OFFSET, DATA)."""
        option = self.base + offset
        sock = channel.control_socket(self.family, SOCK_RAW, IPPROTO_RAW)
        try:
            channel.setsockopt(sock, LEVELS[self.family], option, data, call, target or self.module)
        except KernelError as exc:
            raise _reraise(self, exc, call, target or self.module, option=option, module=self.module) from None

    def get_option(self, offset: int, request: bytes, size: int, call: str, target: str | None = None) -> bytes:
        """getsockopt(base + OFFSET) on a buffer of SIZE bytes starting with REQUEST: what came back."""
        option = self.base + offset
        buf = bytearray(max(size, len(request)))
        buf[:len(request)] = request
        sock = channel.control_socket(self.family, SOCK_RAW, IPPROTO_RAW)
        try:
            length = channel.getsockopt(sock, LEVELS[self.family], option, buf, call, target or self.module)
        except KernelError as exc:
            raise _reraise(self, exc, call, target or self.module, option=option, module=self.module) from None
        if length > len(buf):
            raise DecodeError(f"{self.module}: {call}: the kernel reported {length} bytes in a {len(buf)}-byte buffer")
        return bytes(buf[:length])


class DeviceClient:
    """The private ioctls of one network device, in the current network namespace."""

    module = ""
    reasons = {}

    def __init__(self, ifname: str):
        try:
            self._template = bytes(ifreq.named(ifname))
        except ValueError as exc:
            raise InputError(str(exc)) from None
        self.ifname = ifname

    def private_ioctl(self, number: int, buf, call: str) -> None:
        """ioctl(SIOCDEVPRIVATE + NUMBER) with ifr_data pointing at BUF (a ctypes object the kernel may fill)."""
        req = ifreq.from_buffer_copy(self._template)
        req.set_data(ctypes.addressof(buf))
        try:
            channel.ioctl(channel.control_socket(), SIOCDEVPRIVATE + number, req, self.ifname)
        except KernelError as exc:
            raise _reraise(self, exc, call, self.ifname, module=self.module) from None


# ---- raw access ----

class _AnyOption(SockoptClient):
    reasons = {}  # no module to name: the kernel's own words


def get_option(option: int, request: bytes = b"", size: int = 4096, family: int = AF_INET) -> bytes:
    """getsockopt(OPTION) on a raw socket, the buffer (SIZE bytes) starting with REQUEST:
    `sockctl sockopt get [-6] [-s SIZE] OPTION [REQUEST]`."""
    client = _raw_client(option, family)
    return client.get_option(0, request, size, "getsockopt", f"option {option}")


def set_option(option: int, data: bytes, family: int = AF_INET) -> None:
    """setsockopt(OPTION, DATA) on a raw socket: `sockctl sockopt set [-6] OPTION DATA`."""
    _raw_client(option, family).set_option(0, data, "setsockopt", f"option {option}")


def _raw_client(option: int, family: int) -> SockoptClient:
    if family not in LEVELS:
        raise InputError(f"address family {family} has no netfilter socket options")
    client = _AnyOption(option)
    client.family = family
    return client
