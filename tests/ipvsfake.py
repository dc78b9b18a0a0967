"""A stand-in for the kernel's IPVS socket options, for unit tests of the calls and of batches.

It keeps services and real servers as net/netfilter/ipvs/ip_vs_ctl.c does
(do_ip_vs_set_ctl, do_ip_vs_get_ctl: exact lengths, ESRCH, EEXIST, ENOENT,
ERANGE) and answers through the same structures, packed with the ctypes
layouts of sockctl.abi.ip_vs. The real kernel is tested in tests/vm/.
"""

import errno

from sockctl import channel
from sockctl.abi import ip_vs as abi
from sockctl.errors import kernel_error

SCHEDULERS = {"rr", "wrr", "lc", "wlc", "sh", "mh", "none"}
KERNEL_FLAGS = abi.IP_VS_CONN_F_INACTIVE | abi.IP_VS_CONN_F_NOOUTPUT


class FakeIPVS:
    def __init__(self):
        self.services = {}  # key -> [service_user fields dict, {dest key: dest fields dict}]
        self.hidden = 0  # IPv6 services: neither counted nor listed by the socket options, in /proc/net/ip_vs
        self.timeouts = [900, 120, 300]
        self.daemons = {}
        self.fail_on = {}  # option -> errno, once
        self.calls = []

    def install(self, monkeypatch):
        monkeypatch.setattr(channel, "getsockopt", self.getsockopt)
        monkeypatch.setattr(channel, "setsockopt", self.setsockopt)
        monkeypatch.setattr(channel, "control_socket", lambda *a: -1)
        monkeypatch.setattr(channel, "proc_net", self.proc_net)

    def proc_net(self, name):
        """/proc/net/ip_vs as the kernel writes it (seq_file in ip_vs_ctl.c), one line a service and a server."""
        assert name == "ip_vs"
        lines = ["IP Virtual Server version 1.2.1 (size=4096)", "Prot LocalAddress:Port Scheduler Flags",
                 "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn"]
        for key, (_, dests) in self.services.items():
            lines.append("FWM  00000007 sh " if key[0] == "fwm" else "TCP  0A000001:0050 rr ")
            lines += ["  -> 0A010001:0050      Route   1      0          0         "] * len(dests)
        lines += ["TCP  [2001:0db8:0000:0000:0000:0000:0000:0001]:0050 rr "] * self.hidden
        return "".join(line + "\n" for line in lines).encode()

    # ---- helpers ----

    @staticmethod
    def _key(user):
        return ("fwm", user.fwmark) if user.fwmark else (user.protocol, user.addr, user.port)

    def _fail(self, err, call, target, reasons):
        raise kernel_error(err, call, target, (reasons or {}).get(err, ""))

    # ---- set ----

    def setsockopt(self, sock, level, option, data, call="", target="", reasons=None):
        self.calls.append(call)
        if option in self.fail_on:
            self._fail(self.fail_on.pop(option), call, target, reasons)
        sizes = {abi.IP_VS_SO_SET_FLUSH: 0, abi.IP_VS_SO_SET_TIMEOUT: 12, abi.IP_VS_SO_SET_STARTDAEMON: 24,
                 abi.IP_VS_SO_SET_STOPDAEMON: 24, abi.IP_VS_SO_SET_ADDDEST: 68, abi.IP_VS_SO_SET_EDITDEST: 68,
                 abi.IP_VS_SO_SET_DELDEST: 68}
        if len(data) != sizes.get(option, 44):
            self._fail(errno.EINVAL, call, target, reasons)
        err = self._set(option, bytes(data))
        if err:
            self._fail(err, call, target, reasons)

    def _set(self, option, data):
        if option == abi.IP_VS_SO_SET_FLUSH:
            self.services.clear()
            return 0
        if option == abi.IP_VS_SO_SET_TIMEOUT:
            new = abi.ip_vs_timeout_user.from_buffer_copy(data)
            for i, value in enumerate((new.tcp_timeout, new.tcp_fin_timeout, new.udp_timeout)):
                if value:  # 0 leaves a timeout as it is
                    self.timeouts[i] = value
            return 0
        if option in (abi.IP_VS_SO_SET_STARTDAEMON, abi.IP_VS_SO_SET_STOPDAEMON):
            daemon = abi.ip_vs_daemon_user.from_buffer_copy(data)
            if option == abi.IP_VS_SO_SET_STOPDAEMON:
                return 0 if self.daemons.pop(daemon.state, None) else errno.ESRCH
            if daemon.state in self.daemons:
                return errno.EEXIST
            self.daemons[daemon.state] = (daemon.mcast_ifn, daemon.syncid)
            return 0
        user = abi.ip_vs_service_user.from_buffer_copy(data[:44])
        if option == abi.IP_VS_SO_SET_ZERO and not user.fwmark and not user.addr and not user.port:
            return 0
        if user.protocol not in (6, 17, 132):
            return errno.EFAULT
        key = self._key(user)
        found = self.services.get(key)
        if option == abi.IP_VS_SO_SET_ADD:
            if found:
                return errno.EEXIST
            if user.sched_name.decode() not in SCHEDULERS:
                return errno.ENOENT
            self.services[key] = [user, {}]
            return 0
        if found is None:
            return errno.ESRCH
        if option == abi.IP_VS_SO_SET_EDIT:
            if user.sched_name.decode() not in SCHEDULERS:
                return errno.ENOENT
            found[0] = user
        elif option == abi.IP_VS_SO_SET_DEL:
            del self.services[key]
        elif option != abi.IP_VS_SO_SET_ZERO:
            return self._set_dest(option, found[1], abi.ip_vs_dest_user.from_buffer_copy(data[44:]))
        return 0

    @staticmethod
    def _set_dest(option, dests, dest):
        key = (dest.addr, dest.port)
        if option == abi.IP_VS_SO_SET_DELDEST:
            return 0 if dests.pop(key, None) else errno.ENOENT
        if dest.weight < 0 or (dest.u_threshold and dest.l_threshold > dest.u_threshold):
            return errno.ERANGE
        if option == abi.IP_VS_SO_SET_ADDDEST:
            if key in dests:
                return errno.EEXIST
        elif key not in dests:
            return errno.ENOENT
        if option == abi.IP_VS_SO_SET_ADDDEST:  # the kernel puts a new server first (list_add)
            rest = list(dests.items())
            dests.clear()
            dests[key] = dest
            dests.update(rest)
        else:
            dests[key] = dest
        return 0

    # ---- get ----

    def getsockopt(self, sock, level, option, buf, call="", target="", reasons=None):
        self.calls.append(call)
        if option in self.fail_on:
            self._fail(self.fail_on.pop(option), call, target, reasons)
        if option == abi.IP_VS_SO_GET_INFO:
            answer = abi.ip_vs_getinfo(abi.IP_VS_VERSION_CODE, 4096, len(self.services))
        elif option == abi.IP_VS_SO_GET_TIMEOUT:
            answer = abi.ip_vs_timeout_user(*self.timeouts)
        elif option == abi.IP_VS_SO_GET_DAEMON:
            pair = (abi.ip_vs_daemon_user * 2)()
            for slot, state in enumerate((1, 2)):
                if state in self.daemons:
                    ifname, syncid = self.daemons[state]
                    pair[slot] = abi.ip_vs_daemon_user(state, ifname, syncid)
            answer = pair
        elif option == abi.IP_VS_SO_GET_SERVICE:
            found = self.services.get(self._key(abi.ip_vs_service_entry.from_buffer_copy(buf)))
            if found is None:
                self._fail(errno.ESRCH, call, target, reasons)
            answer = self._entry(*found)
        elif option == abi.IP_VS_SO_GET_SERVICES:
            room = abi.ip_vs_get_services.from_buffer_copy(buf).num_services
            if len(buf) != 8 + room * 104:
                self._fail(errno.EINVAL, call, target, reasons)
            for i, found in enumerate(list(self.services.values())[:room]):
                buf[8 + i * 104:8 + (i + 1) * 104] = bytes(self._entry(*found))
            return len(buf)
        elif option == abi.IP_VS_SO_GET_DESTS:
            head = abi.ip_vs_get_dests.from_buffer_copy(buf)
            if len(buf) != 24 + head.num_dests * 96:
                self._fail(errno.EINVAL, call, target, reasons)
            found = self.services.get(self._key(head))
            if found is None:
                self._fail(errno.ESRCH, call, target, reasons)
            for i, dest in enumerate(list(found[1].values())[:head.num_dests]):
                entry = abi.ip_vs_dest_entry(dest.addr, dest.port, dest.conn_flags | KERNEL_FLAGS, dest.weight,
                                             dest.u_threshold, dest.l_threshold)
                buf[24 + i * 96:24 + (i + 1) * 96] = bytes(entry)
            return len(buf)
        else:
            self._fail(errno.EINVAL, call, target, reasons)
        raw = bytes(answer)
        buf[:len(raw)] = raw
        return len(buf)

    @staticmethod
    def _entry(user, dests):
        return abi.ip_vs_service_entry(user.protocol, user.addr, user.port, user.fwmark, user.sched_name,
                                       user.flags | abi.IP_VS_SVC_F_HASHED, user.timeout, user.netmask, len(dests))
