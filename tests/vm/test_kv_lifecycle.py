"""sockctl_kv loaded, unloaded and reloaded: parameters, option ranges taken by others, callers in flight."""

import errno
import time

import pytest

import sockctl
import vmtest
from sockctl import channel, custom
from sockctl.abi.families import AF_INET, IPPROTO_IP, IPPROTO_RAW, SOCK_RAW
from sockctl.demo_kv import KvRecord, Store
from sockctl.errors import KernelError

pytestmark = pytest.mark.vm

MODULE = "sockctl_kv"


@pytest.fixture(autouse=True)
def not_loaded():
    with vmtest.unloaded(MODULE):
        yield


def option_errno(option: int) -> int:
    try:
        custom.get_option(option, b"", 64)
    except KernelError as exc:
        return exc.errno
    return 0


def test_unload_drops_the_options_and_the_state(vmns):
    with sockctl.netns(vmns.name):
        with vmtest.loaded(MODULE):
            Store().put(b"colour", b"blue")
            Store().set_message(b"before")
            survivor = channel.control_socket(AF_INET, SOCK_RAW, IPPROTO_RAW)  # outlives the module
        with pytest.raises(KernelError) as info:
            Store().get(b"colour")
        assert info.value.errno == errno.ENOPROTOOPT
        assert str(info.value) == ("key 'colour': get: option 129 is not registered: "
                                   "is sockctl_kv loaded, with this base?")
        with vmtest.loaded(MODULE, base=1000):
            store = Store(base=1000)
            assert store.records() == [] and store.message() == b""
            assert store.info().base == 1000
            store.put(b"colour", b"red")
            assert store.get(b"colour") == KvRecord(b"colour", b"red", 1)
            assert option_errno(128) == option_errno(1002) == errno.ENOPROTOOPT
            assert channel.getsockopt(survivor, IPPROTO_IP, 1000, bytearray(64)) == 0  # the empty message
        assert option_errno(1000) == errno.ENOPROTOOPT


@pytest.mark.parametrize("base", [-1, 0, 63, 199, 200, 212, 2147483646, 2147483647])
def test_unusable_bases_are_refused_at_load(base, kernel_log):
    result = vmtest.load(MODULE, base=base)
    assert result.returncode != 0 and not vmtest.is_loaded(MODULE)
    assert f"sockctl_kv: base {base} is not a usable option number" in kernel_log.read()


def test_a_base_taken_by_another_module_is_refused(kernel_log):
    """ip_tables holds options 64 to 67: loading on top of them fails with EBUSY, and nothing is left behind."""
    with vmtest.loaded("ip_tables"):
        result = vmtest.load(MODULE, base=65)
        assert result.returncode != 0 and not vmtest.is_loaded(MODULE)
        assert "sockctl_kv: options 65 to 66: already registered (-16)" in kernel_log.read()
        # ip_tables still answers its own: IPT_SO_GET_INFO refuses a buffer of the wrong size.
        assert option_errno(64) == errno.EINVAL
    with vmtest.loaded(MODULE, base=64):  # free again
        assert Store(base=64).info().base == 64


def test_unload_while_clients_call(vmns):
    """Unloading and reloading under two busy clients: each call answers or says the option is gone."""

    def client(_):
        channel.enter_netns(vmns.name)
        store, answers = Store(), set()
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            for call in (lambda: store.put(b"k", b"v"), store.info, store.message):
                try:
                    call()
                    answers.add(0)
                except KernelError as exc:
                    answers.add(exc.errno)
        return answers

    cycles = []

    def unload_and_reload():
        deadline = time.monotonic() + 6
        while time.monotonic() < deadline:
            # rmmod refuses while a call holds the module: try again until it goes.
            if vmtest.run("rmmod", MODULE, check=False).returncode == 0:
                assert vmtest.load(MODULE).returncode == 0
                cycles.append(1)
            time.sleep(0.05)

    assert vmtest.load(MODULE).returncode == 0
    results = vmtest.in_children(client, 2, meanwhile=unload_and_reload)
    assert cycles  # at least one unload and reload happened under the clients (several, usually)
    assert all(answers <= {0, errno.ENOPROTOOPT} for answers in results), results
