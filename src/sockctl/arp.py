"""The ARP cache through the ioctl channel.

Reading: /proc/net/arp, as net-tools reads it (SIOCGARP answers for one
address on one device, and lists nothing). Writing: SIOCSARP and SIOCDARP
with a ``struct arpreq`` on an AF_INET socket (``arp_ioctl``); SIOCGARP
looks one entry up.

``parse_proc_arp`` gives the rows as text, which is what a listing prints;
``arp_entries`` turns them into ``ArpEntry`` records.
"""

from __future__ import annotations

from errno import ENXIO

from sockctl import channel
from sockctl.errors import DecodeError, Error, InputError, KernelError, NotFound
from sockctl.record import Record, replace

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from ipaddress import IPv4Address

# net-tools' "auto" flag (glibc's net/if_arp.h ATF_MAGIC): the kernel ignores
# it, and it is not in the kernel's headers.
ATF_MAGIC = 0x80

PROC_ARP_COLUMNS = ["IP", "address", "HW", "type", "Flags", "HW", "address", "Mask", "Device"]


class ArpEntry(Record):
    """One row of /proc/net/arp: a neighbour, or a proxy (published) address."""

    address: IPv4Address
    hwtype: int  # ARPHRD_* of the device
    flags: int  # ATF_*: COM when the address is known, PERM, PUBL for a proxy entry
    hwaddr: str  # as the kernel lists it: hex octets joined by ':' ("" for a device without addresses)
    mask: str  # "*": the kernel keeps no mask for an entry
    device: str

    def hwaddr_bytes(self) -> bytes | None:
        """The hardware address as bytes, or None when it is not hex octets (an AX.25 callsign)."""
        octets = self.hwaddr.split(":") if self.hwaddr else []
        if any(len(octet) != 2 for octet in octets):
            return None
        try:
            return bytes.fromhex("".join(octets))
        except ValueError:
            return None


# ---- decoding of /proc files (pure) ----

def parse_proc_arp(data: bytes) -> list[tuple[str, int, int, str, str, str]]:
    """/proc/net/arp as (address, hwtype, flags, hwaddr, mask, device) text rows, in the file's order.

    A row of a device with no hardware address has no hwaddr field; it comes back as "".
    """
    text = data.decode("utf-8", "surrogateescape")
    body = text.find("\n") + 1
    if text[:body].split() != PROC_ARP_COLUMNS:
        raise DecodeError("/proc/net/arp: unrecognised header", 0)
    # Fast path, for a cache of thousands: when every row has its six
    # fields, the columns are slices of the words, and the few distinct
    # type and flag values are read once each.
    words = text[body:].split()
    columns = [words[i::6] for i in range(6)]
    if len(words) % 6 == 0:
        try:
            kinds = {w: _hex(w) for w in set(columns[1])}
            flags = {w: _hex(w) for w in set(columns[2])}
        except ValueError:
            pass
        else:
            columns[1] = list(map(kinds.__getitem__, columns[1]))
            columns[2] = list(map(flags.__getitem__, columns[2]))
            return list(zip(*columns))
    return _parse_proc_arp_rows(text, body)


def _hex(word: str) -> int:
    if not word.startswith("0x"):
        raise ValueError(word)
    return int(word, 16)


def _parse_proc_arp_rows(text: str, offset: int) -> list[tuple[str, int, int, str, str, str]]:
    """Row by row, for rows without a hardware address and to say where a malformed row starts."""
    rows = []
    for line in text[offset:].split("\n"):
        fields = line.split()
        if fields:
            if len(fields) == 5:
                fields.insert(3, "")
            try:
                if len(fields) != 6:
                    raise ValueError
                rows.append((fields[0], _hex(fields[1]), _hex(fields[2]), fields[3], fields[4], fields[5]))
            except ValueError:
                raise DecodeError("/proc/net/arp: malformed line", offset) from None
        offset += len(line) + 1
    return rows


def arp_entries(rows) -> list[ArpEntry]:
    """``ArpEntry`` records of rows from ``parse_proc_arp``."""
    from ipaddress import IPv4Address

    try:
        return [ArpEntry(IPv4Address(row[0]), *row[1:]) for row in rows]
    except ValueError as exc:
        raise DecodeError(f"/proc/net/arp: {exc}") from None


def rows() -> list[tuple[str, int, int, str, str, str]]:
    """The ARP cache in ``parse_proc_arp`` form: what ``arp -n`` reads."""
    return parse_proc_arp(channel.proc_net("arp"))


def entries() -> list[ArpEntry]:
    """The ARP cache, neighbours and proxy entries: ``arp -n``."""
    return arp_entries(rows())


# ---- the ioctl requests ----

class ArpRequest(Record):
    """What ``struct arpreq`` carries: an entry to set or delete, or one the kernel looked up.

    ``hwaddr`` is the hardware address (at most 14 bytes) of link type
    ``hwtype`` (ARPHRD_*); ``flags`` are ATF_* (ATF_COM says hwaddr is
    valid, ATF_PERM makes the entry permanent, ATF_PUBL a proxy entry);
    ``netmask`` goes with ATF_NETMASK; ``device`` "" lets the kernel choose
    by route (SIOCGARP needs one).
    """

    address: IPv4Address
    hwaddr: bytes = b""
    hwtype: int = 1  # ARPHRD_ETHER
    flags: int = 0
    netmask: IPv4Address | None = None
    device: str = ""


def encode_arpreq(req: ArpRequest) -> bytes:
    """The ``struct arpreq`` of REQ."""
    from sockctl.abi import arpreq, inet, netdevice

    if len(req.hwaddr) > 14:
        raise InputError(f"a hardware address holds at most 14 bytes, not {len(req.hwaddr)}")
    try:
        device = netdevice.encode_ifname(req.device) if req.device else b""
    except ValueError as exc:
        raise InputError(str(exc)) from None
    netmask = bytes(16) if req.netmask is None else inet.pack_sockaddr_in(req.netmask.packed)
    return arpreq.ARPREQ.pack(inet.pack_sockaddr_in(req.address.packed), req.hwtype, req.hwaddr, req.flags,
                              netmask, device)


def decode_arpreq(buf: bytes, addr_len: int = 14) -> ArpRequest:
    """An ``ArpRequest`` from a ``struct arpreq`` (ADDR_LEN: bytes of sa_data that are the address)."""
    from ipaddress import IPv4Address

    from sockctl.abi import arpreq, inet
    from sockctl.abi.families import AF_INET

    if len(buf) != arpreq.ARPREQ.size:
        raise DecodeError(f"struct arpreq: {len(buf)} bytes, not {arpreq.ARPREQ.size}")
    pa, hwtype, hwaddr, flags, netmask, device = arpreq.ARPREQ.unpack(buf)
    family, address = inet.unpack_sockaddr_in(pa)
    if family != AF_INET:
        raise DecodeError(f"struct arpreq: address family {family}, not AF_INET")
    mask_family, mask = inet.unpack_sockaddr_in(netmask)
    return ArpRequest(IPv4Address(address), hwaddr[:addr_len], hwtype, flags,
                      IPv4Address(mask) if mask_family == AF_INET else None,
                      device.split(b"\0", 1)[0].decode("utf-8", "surrogateescape"))


def _ioctl(request: int, req: ArpRequest) -> bytes:
    buf = bytearray(encode_arpreq(req))
    try:
        channel.ioctl(channel.control_socket(), request, buf, str(req.address))
    except KernelError as exc:
        if exc.errno == ENXIO:  # arp_ioctl's answer for an address it has no entry for
            raise NotFound(exc.errno, exc.call, exc.target, "no ARP entry") from None
        raise
    return bytes(buf)


def get_entry(address: IPv4Address, device: str) -> ArpRequest:
    """The entry for ADDRESS on DEVICE (SIOCGARP), as ``arp -n -i DEVICE ADDRESS`` shows it.

    Raises NotFound when there is none. The hardware address is cut
    to the length of its type when sockctl knows the type.
    """
    from sockctl import hwtypes
    from sockctl.abi.sockios import SIOCGARP

    found = decode_arpreq(_ioctl(SIOCGARP, ArpRequest(address, device=device)))
    length = hwtypes.by_arphrd(found.hwtype).addr_len
    return replace(found, hwaddr=found.hwaddr[:length]) if length else found


def set_entry(req: ArpRequest) -> None:
    """``arp -s ADDRESS HWADDR [temp] [pub]``: SIOCSARP, which adds or replaces."""
    from sockctl.abi.sockios import SIOCSARP

    _ioctl(SIOCSARP, req)


def delete_entry(req: ArpRequest) -> None:
    """``arp -d ADDRESS``: SIOCDARP (ATF_PUBL in flags removes a proxy entry); NotFound when there is none."""
    from sockctl.abi.sockios import SIOCDARP

    _ioctl(SIOCDARP, req)


def set_entries(reqs: list[ArpRequest]) -> None:
    """``arp -f FILE``: SIOCSARP for each, all or none.

    When the kernel refuses one, the entries set before it are put back as
    they were (deleted when they are new, set to their old address when
    replaced) and the error is raised, with ``index``: the position of the
    refused request in REQS.
    """
    from sockctl.abi.arpreq import ATF_PUBL

    before = {(row[0], row[5], bool(row[2] & ATF_PUBL)): row for row in rows()}
    done: list[ArpRequest] = []
    try:
        for req in reqs:
            set_entry(req)
            done.append(req)
    except BaseException as exc:
        now = rows()
        failures = []
        for req in reversed(done):
            try:
                _put_back(req, before, now)
            except NotFound:
                pass  # gone already: a later request for the same address was put back first
            except Exception as undo_exc:  # keep putting back the rest
                failures.append(str(undo_exc))
        if isinstance(exc, KernelError):
            exc.index = len(done)
        if failures:
            raise Error(f"{exc}; putting back the entries set before failed too: {'; '.join(failures)}") from exc
        raise


def _put_back(req: ArpRequest, before: dict, now: list) -> None:
    from sockctl.abi.arpreq import ATF_COM, ATF_PERM, ATF_PUBL

    public = bool(req.flags & ATF_PUBL)
    address = str(req.address)
    devices = [req.device] if req.device else [r[5] for r in now if r[0] == address and bool(r[2] & ATF_PUBL) == public]
    for device in devices:
        old = before.get((address, device, public))
        if old is None:
            delete_entry(ArpRequest(req.address, flags=req.flags & ATF_PUBL, device=device))
        elif not public:
            hwaddr = arp_entries([old])[0].hwaddr_bytes() or b""
            set_entry(ArpRequest(req.address, hwaddr, old[1], old[2] & (ATF_COM | ATF_PERM), device=device))
