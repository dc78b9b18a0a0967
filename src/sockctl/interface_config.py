"""Several interface changes applied as one step, undone if one fails.

The kernel has no transaction for interface ioctls, so ``configure`` checks
the interface exists, applies the changes in order, and when the kernel
refuses one, undoes the ones already made, newest first, from the values it
read before each. ``ifconfig eth0 10.0.0.1 mtu 99999`` therefore leaves eth0
as it was when the mtu is refused.

One limit the kernel sets: replacing an IPv4 primary address deletes the
secondaries of its subnet. Undoing puts back those with a label of their own
(``eth0:1``), which ioctl can see; secondaries added by netlink under the
device's own label are invisible to ioctl and stay lost.
"""


from sockctl import interfaces
from sockctl.abi.netdevice import IFF_BROADCAST, IFF_POINTOPOINT, IFF_UP
from sockctl.errors import Error, InputError
from ipaddress import IPv4Address, IPv6Address

from sockctl.record import Record, replace

Undo = object  # a function of no arguments


def _aliases(name: str) -> dict[str, interfaces.Interface]:
    """NAME's IPv4 alias labels (``NAME:N``) that are up, by label."""
    result = {}
    for label in interfaces.address_labels():
        base, colon, number = label.partition(":")
        if base == name and colon and number.isdigit():
            result[label] = interfaces.get(label, stats={}, inet6={})
    return result


def _ipv4_undo(name: str) -> Undo:
    """What restores NAME's IPv4 address block to how it is now."""
    before = interfaces.get(name, stats={}, inet6={})
    # Replacing a primary address makes the kernel drop the labels of its
    # subnet; they are put back too.
    labels_before = {} if ":" in name else _aliases(name)

    def undo() -> None:
        if before.address is None:
            if interfaces.get(name, stats={}, inet6={}).address is not None:
                interfaces.set_address(name, IPv4Address(0))
        else:
            _restore_ipv4(name, before)
        if labels_before:
            labels_now = _aliases(name)
            for label, alias in labels_before.items():
                if label not in labels_now:
                    _restore_ipv4(label, alias)

    return undo


def _restore_ipv4(name: str, before: interfaces.Interface) -> None:
    interfaces.set_address(name, before.address)
    if before.netmask is not None:
        interfaces.set_netmask(name, before.netmask)
    if before.flags & IFF_BROADCAST and before.broadcast is not None:
        interfaces.set_broadcast(name, before.broadcast)
    if before.flags & IFF_POINTOPOINT and before.destination is not None:
        interfaces.set_destination(name, before.destination)


class SetFlags(Record):
    set_bits: int = 0
    clear_bits: int = 0

    def apply(self, name: str) -> tuple[str, Undo]:
        old = interfaces.flags(name)
        interfaces.set_flags(name, self.set_bits, self.clear_bits)
        mask = self.set_bits | self.clear_bits
        return name, lambda: interfaces.set_flags(name, old & mask, ~old & mask)


class SetMtu(Record):
    mtu: int

    def apply(self, name: str) -> tuple[str, Undo]:
        old = interfaces.get(name, stats={}, inet6={}).mtu
        interfaces.set_mtu(name, self.mtu)
        return name, lambda: interfaces.set_mtu(name, old)


class SetTxQueueLen(Record):
    length: int

    def apply(self, name: str) -> tuple[str, Undo]:
        old = interfaces.get(name, stats={}, inet6={}).txqueuelen
        interfaces.set_txqueuelen(name, self.length)
        return name, lambda: interfaces.set_txqueuelen(name, old)


class SetIPv4(Record):
    """One of SIOCSIFADDR, SIOCSIFNETMASK, SIOCSIFBRDADDR, SIOCSIFDSTADDR."""

    field: str  # "address", "netmask", "broadcast" or "destination"
    value: IPv4Address

    def apply(self, name: str) -> tuple[str, Undo]:
        undo = _ipv4_undo(name)
        setter = {
            "address": interfaces.set_address,
            "netmask": interfaces.set_netmask,
            "broadcast": interfaces.set_broadcast,
            "destination": interfaces.set_destination,
        }[self.field]
        setter(name, self.value)
        return name, undo


class SetHwAddr(Record):
    hwtype: int  # ARPHRD_*
    address: bytes

    def apply(self, name: str) -> tuple[str, Undo]:
        old = interfaces.get(name, stats={}, inet6={})
        interfaces.set_hwaddr(name, self.hwtype, self.address)
        return name, lambda: interfaces.set_hwaddr(name, old.hwtype, old.hwaddr)


class SetMapField(Record):
    field: str  # a DeviceMap field: "irq", "base_addr", "mem_start", "port"
    value: int

    def apply(self, name: str) -> tuple[str, Undo]:
        old = interfaces.get(name, stats={}, inet6={}).map
        interfaces.set_map(name, replace(old, **{self.field: self.value}))
        return name, lambda: interfaces.set_map(name, old)


class Rename(Record):
    new_name: str

    def apply(self, name: str) -> tuple[str, Undo]:
        interfaces.rename(name, self.new_name)
        return self.new_name, lambda: interfaces.rename(self.new_name, name)


class AddInet6(Record):
    address: IPv6Address
    prefixlen: int = 128

    def apply(self, name: str) -> tuple[str, Undo]:
        interfaces.add_inet6(name, self.address, self.prefixlen)
        return name, lambda: interfaces.del_inet6(name, self.address, self.prefixlen)


class DelInet6(Record):
    address: IPv6Address
    prefixlen: int = 128

    def apply(self, name: str) -> tuple[str, Undo]:
        interfaces.del_inet6(name, self.address, self.prefixlen)
        return name, lambda: interfaces.add_inet6(name, self.address, self.prefixlen)


class AddAlias(Record):
    """``ifconfig NAME add A.B.C.D``: the address on the first free label NAME:N."""

    address: IPv4Address

    def apply(self, name: str) -> tuple[str, Undo]:
        aliases = _aliases(name)
        if any(a.address == self.address for a in aliases.values()):
            raise InputError(f"{name}: {self.address} is already an alias address")
        parent = interfaces.get(name, stats={}, inet6={})
        if parent.address is None:
            raise InputError(f"interface {name} not initialized: it has no IPv4 address")
        used = {int(label.partition(":")[2]) for label in aliases}
        label = f"{name}:{min(set(range(257)) - used)}"
        if len(label.encode()) >= 16 or int(label.partition(":")[2]) > 255:
            raise InputError(f"{name}: no free alias label")
        interfaces.set_address(label, self.address)

        def undo() -> None:
            interfaces.set_flags(label, 0, IFF_UP)  # downing a label deletes its address

        try:
            interfaces.set_netmask(label, parent.netmask or IPv4Address(0))
            interfaces.set_broadcast(label, parent.broadcast or IPv4Address(0))
            interfaces.set_flags(label, IFF_BROADCAST)
        except BaseException:
            undo()
            raise
        return name, undo


class DelAlias(Record):
    """``ifconfig NAME del A.B.C.D``: remove the alias label holding that address."""

    address: IPv4Address

    def apply(self, name: str) -> tuple[str, Undo]:
        for label, alias in _aliases(name).items():
            if alias.address == self.address:
                interfaces.set_flags(label, 0, IFF_UP)

                return name, lambda: _restore_ipv4(label, alias)
        raise InputError(f"{name}: no alias carries the address {self.address}")


Change = SetFlags | SetMtu | SetTxQueueLen | SetIPv4 | SetHwAddr | SetMapField | Rename | AddInet6 | DelInet6 | AddAlias | DelAlias


def configure(name: str, changes: list[Change]) -> str:
    """Apply CHANGES to interface NAME in order; all or none.

    Returns the interface's name afterwards (a ``Rename`` changes it). When a
    change fails, the earlier ones are undone and the error is raised.
    """
    interfaces.flags(name)  # NoSuchDevice before anything is changed
    undos: list[Undo] = []
    current = name
    try:
        for change in changes:
            current, undo = change.apply(current)
            undos.append(undo)
    except BaseException as exc:
        failures = []
        for undo in reversed(undos):
            try:
                undo()
            except Exception as undo_exc:  # keep undoing the rest
                failures.append(str(undo_exc))
        if failures:
            raise Error(f"{exc}; undoing the earlier changes failed too: {'; '.join(failures)}") from exc
        raise
    return current

