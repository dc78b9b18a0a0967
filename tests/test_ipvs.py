"""sockctl.ipvs and sockctl.ipvs_batch against a stand-in for the kernel's socket options (tests/ipvsfake.py).

The calls, their errors, listings that would miss IPv6 services, and
batches put back when a change is refused. The real kernel runs the same
operations in tests/vm/.
"""

from ipaddress import IPv4Address as A, IPv6Address

import pytest

from sockctl import ipvs, ipvs_batch
from sockctl.abi import ip_vs as abi
from sockctl.errors import AlreadyExists, Error, InputError, InvalidArgument, NotFound, kernel_error
from sockctl.ipvs_batch import Change

import ipvsfake

WEB = ipvs.Service(6, A("10.0.0.1"), 80, scheduler="rr")
DNS = ipvs.Service(17, A("10.0.0.2"), 53, flags=abi.IP_VS_SVC_F_PERSISTENT, timeout=60, netmask=A("255.255.255.0"))
MARK = ipvs.Service(fwmark=7, scheduler="sh", flags=abi.IP_VS_SVC_F_SCHED1)
ONE = ipvs.Dest(A("10.1.0.1"), 80)
TWO = ipvs.Dest(A("10.1.0.2"), 8080, abi.IP_VS_CONN_F_MASQ, 3, 100, 10)


@pytest.fixture
def kernel(monkeypatch):
    fake = ipvsfake.FakeIPVS()
    fake.install(monkeypatch)
    ipvs.add_service(WEB)
    ipvs.add_dest(WEB, ONE)
    ipvs.add_dest(WEB, TWO)
    ipvs.add_service(MARK)
    fake.calls.clear()
    return fake


def settings(svc):
    return (svc.protocol, svc.address, svc.port, svc.fwmark, svc.scheduler, svc.flags & ipvs.USER_FLAGS,
            svc.timeout, svc.netmask)


def test_listing(kernel):
    services = ipvs.services()
    assert [settings(s) for s in services] == [settings(WEB), settings(MARK)]
    assert services[0].num_dests == 2 and services[0].flags & abi.IP_VS_SVC_F_HASHED
    dests = ipvs.dests(services[0])
    # The kernel's order: the server added last comes first.
    assert [(d.address, d.port, d.method, d.weight, d.u_threshold, d.l_threshold) for d in dests] == [
        (A("10.1.0.2"), 8080, abi.IP_VS_CONN_F_MASQ, 3, 100, 10), (A("10.1.0.1"), 80, abi.IP_VS_CONN_F_DROUTE, 1, 0, 0)]
    assert ipvs.dests(WEB) == dests  # a request-only Service: the count is asked first
    assert settings(ipvs.get_service(ipvs.Service(fwmark=7))) == settings(MARK)
    assert ipvs.info() == ipvs.Info(abi.IP_VS_VERSION_CODE, 4096, 2)
    assert ipvs.timeouts() == ipvs.Timeouts(900, 120, 300)


@pytest.mark.parametrize("call, error, text", [
    (lambda: ipvs.add_service(WEB), AlreadyExists, "TCP 10.0.0.1:80: service already exists"),
    (lambda: ipvs.add_service(ipvs.Service(6, A("10.0.0.9"), 80, scheduler="nosuch")), NotFound,
     "TCP 10.0.0.9:80: IP_VS_SO_SET_ADD: scheduler not found"),
    (lambda: ipvs.edit_service(DNS), NotFound, "UDP 10.0.0.2:53: IP_VS_SO_SET_EDIT: no such service"),
    (lambda: ipvs.delete_service(DNS), NotFound, "no such service"),
    (lambda: ipvs.add_dest(WEB, ONE), AlreadyExists, "TCP 10.0.0.1:80 -> 10.1.0.1:80: destination already exists"),
    (lambda: ipvs.add_dest(DNS, ONE), NotFound, "no such service"),
    (lambda: ipvs.edit_dest(WEB, ipvs.Dest(A("10.1.0.9"), 80)), NotFound, "no such destination"),
    (lambda: ipvs.delete_dest(WEB, ipvs.Dest(A("10.1.0.9"), 80)), NotFound, "no such destination"),
    (lambda: ipvs.add_dest(WEB, ipvs.Dest(A("10.1.0.9"), 80, u_threshold=5, l_threshold=6)), InvalidArgument,
     "value out of range"),
    (lambda: ipvs.stop_daemon(abi.IP_VS_STATE_MASTER), NotFound, "no sync daemon is running"),
    (lambda: ipvs.get_service(DNS), NotFound, "IP_VS_SO_GET_SERVICE: no such service"),
])
def test_errors_say_what_went_wrong(kernel, call, error, text):
    with pytest.raises(error) as caught:
        call()
    assert str(caught.value).endswith(text)


def test_daemons_and_timeouts(kernel):
    ipvs.start_daemon(ipvs.Daemon(abi.IP_VS_STATE_BACKUP, "d0", 9))
    with pytest.raises(AlreadyExists, match="running already"):
        ipvs.start_daemon(ipvs.Daemon(abi.IP_VS_STATE_BACKUP, "d0", 9))
    assert ipvs.daemons() == [ipvs.Daemon(abi.IP_VS_STATE_BACKUP, "d0", 9)]
    ipvs.set_timeouts(ipvs.Timeouts(0, 60, 0))
    assert ipvs.timeouts() == ipvs.Timeouts(900, 60, 300)


def test_hidden_ipv6_services(kernel):
    kernel.hidden = 1
    with pytest.raises(ipvs.NetlinkOnly, match="1 of 3 services are IPv6"):
        ipvs.services()


def test_ipv6_requests_are_not_sent(kernel):
    with pytest.raises(InputError, match="generic netlink"):
        ipvs.add_service(ipvs.Service(6, IPv6Address("2001:db8::1"), 80))
    assert kernel.calls == []


def state():
    return ipvs_batch.snapshot()


def test_batch_applies_in_order(kernel):
    ipvs_batch.apply([Change("add_service", (DNS,)), Change("add_dest", (DNS, TWO)),
                      Change("edit_dest", (WEB, ipvs.Dest(A("10.1.0.1"), 80, weight=9))),
                      Change("delete_service", (MARK,))])
    table = {(s.protocol, s.port): [(d.address, d.weight) for d in dests] for s, dests in state().services}
    assert table == {(6, 80): [(A("10.1.0.2"), 3), (A("10.1.0.1"), 9)], (17, 53): [(A("10.1.0.2"), 3)]}


def test_refused_change_puts_everything_back(kernel):
    kernel.daemons[abi.IP_VS_STATE_MASTER] = (b"d0", 3)
    before = state()
    changes = [
        Change("edit_service", (ipvs.Service(6, A("10.0.0.1"), 80, scheduler="wlc"),)),
        Change("edit_dest", (WEB, ipvs.Dest(A("10.1.0.2"), 8080, abi.IP_VS_CONN_F_TUNNEL, 0))),
        Change("delete_dest", (WEB, ONE)),
        Change("delete_service", (MARK,)),
        Change("flush"),
        Change("add_service", (DNS,)),
        Change("add_dest", (DNS, ONE)),
        Change("set_timeouts", (ipvs.Timeouts(10, 20, 30),)),
        Change("stop_daemon", (abi.IP_VS_STATE_MASTER,)),
        Change("start_daemon", (ipvs.Daemon(abi.IP_VS_STATE_BACKUP, "d1", 4),)),
        Change("add_dest", (DNS, ONE)),  # refused: exists already
        Change("add_service", (MARK,)),
    ]
    with pytest.raises(AlreadyExists) as caught:
        ipvs_batch.apply(changes)
    assert caught.value.index == 10
    after = state()
    assert [settings(s) for s, _ in after.services] == [settings(s) for s, _ in before.services]
    assert [d for _, d in after.services] == [d for _, d in before.services]
    assert (after.timeouts, after.daemons) == (before.timeouts, before.daemons)


def test_bad_change_sends_nothing(kernel):
    with pytest.raises(InputError) as caught:
        ipvs_batch.apply([Change("delete_service", (WEB,)), Change("add_dest", (WEB, ipvs.Dest(A("10.1.0.3"), weight=-1)))])
    assert caught.value.index == 1
    assert not [c for c in kernel.calls if "_SET_" in c]
    with pytest.raises(ValueError, match="not an IPVS change"):
        ipvs_batch.apply([Change("reboot")])


def test_failure_while_putting_back(kernel, monkeypatch):
    """A refusal while putting back is reported with the one that started it."""
    from sockctl import channel

    kernel.fail_on[abi.IP_VS_SO_SET_DELDEST] = 1  # EPERM for the batch's second change
    plain = channel.setsockopt

    def refuse_deleting_dns(sock, level, option, data, call="", target="", reasons=None):
        if option == abi.IP_VS_SO_SET_DEL and DNS.address.packed in bytes(data):
            raise kernel_error(16, call, target)
        return plain(sock, level, option, data, call, target, reasons)

    monkeypatch.setattr(channel, "setsockopt", refuse_deleting_dns)
    with pytest.raises(Error, match="needs CAP_NET_ADMIN; putting the state back failed too: UDP 10.0.0.2:53"):
        ipvs_batch.apply([Change("add_service", (DNS,)), Change("delete_dest", (WEB, ONE))])


@pytest.mark.parametrize("packed, typed", [("add", "add_service"), ("edit", "edit_service"), ("delete", "delete_service"),
                                           ("zero", "zero"), ("add-dest", "add_dest"), ("edit-dest", "edit_dest"),
                                           ("delete-dest", "delete_dest")])
def test_packed_requests_are_the_typed_ones(packed, typed):
    """ipvsadm -R's requests from packed structs equal those the typed calls build from records."""
    service = ipvs.pack_service_user(6, A("10.0.0.1").packed, 80, 0, "rr", 0, 0, b"\xff" * 4)
    dest = ipvs.pack_dest_user(A("10.1.0.1").packed, 80, abi.IP_VS_CONN_F_DROUTE, 1, 0, 0)
    expected = ipvs.request(typed, WEB, ONE) if packed.endswith("-dest") else ipvs.request(typed, WEB)
    assert ipvs.packed_request(packed, service, dest if packed.endswith("-dest") else b"") == expected


def test_put_back_servers_keep_their_order(kernel):
    """A service deleted and put back lists its real servers as before (the kernel adds each one first)."""
    ipvs.add_dest(WEB, ipvs.Dest(A("10.1.0.3"), 80))

    def servers():
        return {settings(svc): [(d.address, d.port, d.weight) for d in dests] for svc, dests in state().services}

    before = servers()
    assert [a for a, _, _ in before[settings(WEB)]] == [A("10.1.0.3"), A("10.1.0.2"), A("10.1.0.1")]
    with pytest.raises(AlreadyExists):
        ipvs_batch.apply([Change("delete_service", (WEB,)), Change("add_service", (MARK,))])
    assert servers() == before
