"""sockctl_kv's state: per network namespace, guarded by CAP_NET_ADMIN, safe under concurrent clients."""

import ctypes
import errno
import os
import sys

import pytest

import nstest
import sockctl
import vmtest
from sockctl import channel
from sockctl.abi.families import AF_INET, IPPROTO_IP, IPPROTO_RAW, SOCK_RAW
from sockctl.demo_kv import KvRecord, Store

pytestmark = pytest.mark.vm

DROP_NET_ADMIN = ["setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin"]


def test_state_is_per_namespace(kv_module, vmns):
    with nstest.netns("vm", quiet=False) as other:
        with sockctl.netns(vmns.name):
            Store().put(b"colour", b"blue")
            Store().set_message(b"from the first")
        with sockctl.netns(other.name):
            store = Store()
            assert store.records() == [] and store.message() == b""
            store.put(b"colour", b"red")
            store.put(b"size", b"9")
        with sockctl.netns(vmns.name):
            assert Store().records() == [KvRecord(b"colour", b"blue", 1)]
            assert Store().message() == b"from the first"
        with sockctl.netns(other.name):
            assert Store().records() == [KvRecord(b"colour", b"red", 1), KvRecord(b"size", b"9", 1)]


def test_changes_need_cap_net_admin(store, vmns):
    """Through the command: a one-line error for a change, the state as it was; reading still works."""
    store.put(b"colour", b"blue")
    store.set_message(b"kept")
    before = store.records(), store.message()
    cli = [*DROP_NET_ADMIN, sys.executable, "-m", "sockctl"]
    put = vmns.exec(*cli, "demo", "kv", "put", "colour", "red")
    assert (put.returncode, put.stderr) == (1, b"sockctl: key 'colour': operation not permitted: needs CAP_NET_ADMIN\n")
    get = vmns.exec(*cli, "demo", "kv", "get", "colour")
    assert (get.returncode, get.stdout, get.stderr) == (0, b"blue\n", b"")
    assert (store.records(), store.message()) == before


def test_capability_counts_in_the_sockets_namespace(kv_module, vmns):
    """A process with every capability in a user namespace of its own may change the namespaces that
    belong to it, not a namespace it holds a socket of from outside."""
    with sockctl.netns(vmns.name):
        Store().put(b"colour", b"blue")
        outer = channel.control_socket(AF_INET, SOCK_RAW, IPPROTO_RAW)

        def child(_):
            vmtest.unshare(vmtest.CLONE_NEWUSER | vmtest.CLONE_NEWNET)
            message = ctypes.create_string_buffer(b"mine", 4)
            outside = vmtest.raw_setsockopt(outer.fileno(), IPPROTO_IP, 128, ctypes.addressof(message), 4)
            channel.enter_netns("/proc/thread-self/ns/net")  # fresh sockets, in the new namespace
            Store().put(b"colour", b"green")
            return outside, Store().records()

        [(outside, inside)] = vmtest.in_children(child, 1)
        assert outside == errno.EPERM
        assert inside == [KvRecord(b"colour", b"green", 1)]
        assert Store().records() == [KvRecord(b"colour", b"blue", 1)] and Store().message() == b""


CLIENTS = 8
ROUNDS = 40


def test_concurrent_clients_lose_no_update(kv_module, vmns):
    """Eight processes increment one counter by read, change, put-if-unchanged, and add keys of their own."""

    def client(i):
        channel.enter_netns(vmns.name)  # sockets of its own
        store = Store()
        for r in range(ROUNDS):
            store.update(b"counter", lambda value: b"%d" % (int(value or b"0") + 1))
            store.put(b"client%d-%02d" % (i, r), b"%d" % r, create=True)
        return os.getpid()

    assert len(set(vmtest.in_children(client, CLIENTS))) == CLIENTS
    with sockctl.netns(vmns.name):
        store = Store()
        # Created at revision 1, bumped by every later put: one put per increment.
        assert store.get(b"counter") == KvRecord(b"counter", b"%d" % (CLIENTS * ROUNDS), CLIENTS * ROUNDS)
        own = [KvRecord(b"client%d-%02d" % (i, r), b"%d" % r, 1) for i in range(CLIENTS) for r in range(ROUNDS)]
        assert store.records() == sorted(own, key=lambda rec: rec.key) + [store.get(b"counter")]
        assert store.info().records == CLIENTS * ROUNDS + 1
