"""Several IPVS changes as one: all of them, or none (``ipvsadm -R``).

The kernel applies each socket option whole, but has no transaction over
several. ``apply`` reads the state first (``snapshot``), makes the changes
in order, and when one is refused puts the state back (``restore``):
services and real servers with their settings, timeouts and sync daemons.
What cannot come back: counters of a service deleted and added again, or
zeroed; the place in its service's list of a real server deleted alone and
added again (it comes back first); and a sync daemon restarted gets the interface and sync id the
socket options carry, with the kernel's defaults for the rest.
"""

from __future__ import annotations

from sockctl import ipvs
from sockctl.abi import ip_vs as abi
from sockctl.errors import Error, InputError, KernelError
from sockctl.record import Record


class Change(Record):
    """One change of a batch: a ``sockctl.ipvs`` change function's name (in ``ipvs.CHANGES``) and its arguments."""

    action: str
    args: tuple = ()

    def request(self) -> tuple:
        """The encoded request (``ipvs.request``): checks the change without sending it."""
        return ipvs.request(self.action, *self.args)


class State(Record):
    """Everything the socket options can set: services with their real servers, timeouts, sync daemons."""

    services: tuple  # ((Service, (Dest, ...)), ...) in the kernel's order
    timeouts: ipvs.Timeouts
    daemons: tuple  # (Daemon, ...)


def snapshot() -> State:
    """The current state of the namespace's IPVS (``ipvsadm -S`` plus timeouts and daemons)."""
    table = []
    for row in ipvs.service_rows()[1]:
        svc = ipvs.service_record(row)
        table.append((svc, tuple(ipvs.dest_record(d) for d in ipvs.dest_rows(row, row[8]))))
    return State(tuple(table), ipvs.timeouts(), tuple(ipvs.daemons()))


def apply(changes: list[Change]) -> None:
    """Make every change in order, or none: ``ipvsadm -R``.

    Every change is encoded first (an InputError names the first bad one
    by ``index`` before anything is sent). When the kernel refuses one,
    the state is put back and the refusal raised with ``index``, the
    position of the refused change; if putting back fails too, an Error
    says what could not be.
    """
    requests = []
    for index, change in enumerate(changes):
        try:
            requests.append(change.request())
        except InputError as exc:
            exc.index = index
            raise
    apply_requests(requests)


def apply_requests(requests: list[tuple[int, bytes]]) -> None:
    """``apply`` for changes encoded already (``ipvs.request``): (set-option, data) pairs."""
    before = snapshot()
    done = 0
    try:
        for option, data in requests:
            ipvs.send(option, data)
            done += 1
    except BaseException as exc:
        if isinstance(exc, KernelError):
            exc.index = done
        try:
            restore(before)
        except Error as undo:
            raise Error(f"{exc}; putting the state back failed too: {undo}") from exc
        raise


def _service_key(svc: ipvs.Service) -> tuple:
    return (svc.fwmark,) if svc.fwmark else (svc.protocol, svc.address, svc.port)


def _service_settings(svc: ipvs.Service) -> tuple:
    return svc.scheduler, svc.flags & ipvs.USER_FLAGS, svc.timeout, svc.netmask


def _dest_settings(dest: ipvs.Dest) -> tuple:
    return dest.conn_flags & abi.IP_VS_CONN_F_DEST_MASK, dest.weight, dest.u_threshold, dest.l_threshold


def _request_dest(dest: ipvs.Dest) -> ipvs.Dest:
    return ipvs.Dest(dest.address, dest.port, *_dest_settings(dest))


def restore(state: State) -> None:
    """Change the namespace's IPVS until it equals STATE, as far as the socket options reach.

    Every difference is attempted even when one fails; the failures are
    raised together as one Error.
    """
    now = snapshot()
    failures: list[str] = []

    def attempt(function, *args):
        try:
            function(*args)
        except Error as exc:
            failures.append(str(exc))

    wanted = {_service_key(svc): (svc, dests) for svc, dests in state.services}
    present = {_service_key(svc): (svc, dests) for svc, dests in now.services}
    for key, (svc, _) in present.items():
        if key not in wanted:
            attempt(ipvs.delete_service, svc)
    for key, (svc, dests) in wanted.items():
        old = present.get(key)
        if old is None:
            attempt(ipvs.add_service, svc)
            # The kernel puts each new real server first in its list: adding them last to first brings
            # back the order they were listed in (which schedulers such as sh, mh and rr walk).
            for dest in reversed(dests):
                attempt(ipvs.add_dest, svc, _request_dest(dest))
            continue
        if _service_settings(old[0]) != _service_settings(svc):
            attempt(ipvs.edit_service, svc)
        _restore_dests(svc, dests, old[1], attempt)
    if now.timeouts != state.timeouts:
        attempt(ipvs.set_timeouts, state.timeouts)
    running = {d.state: d for d in now.daemons}
    for daemon in now.daemons:
        if daemon not in state.daemons:
            attempt(ipvs.stop_daemon, daemon.state)
    for daemon in state.daemons:
        if running.get(daemon.state) != daemon:
            attempt(ipvs.start_daemon, daemon)
    if failures:
        raise Error("; ".join(failures))


def _restore_dests(svc: ipvs.Service, wanted: tuple, present: tuple, attempt) -> None:
    """Real servers of SVC as WANTED from PRESENT. One put back comes first in the kernel's list, not where it
    was (the socket options cannot place it); several keep their order among themselves."""
    old = {(d.address, d.port): d for d in present}
    new = {(d.address, d.port): d for d in reversed(wanted)}
    for key, dest in old.items():
        if key not in new:
            attempt(ipvs.delete_dest, svc, dest)
    for key, dest in new.items():
        if key not in old:
            attempt(ipvs.add_dest, svc, _request_dest(dest))
        elif _dest_settings(old[key]) != _dest_settings(dest):
            attempt(ipvs.edit_dest, svc, _request_dest(dest))
