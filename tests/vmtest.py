"""Tests that run inside the VM scripts/vm-test boots: kernel modules and the kernel log.

Mark such a test ``@pytest.mark.vm`` (or ``pytestmark = pytest.mark.vm``).
On the host, scripts/test deselects them (``-m "not vm"``); run anywhere but
in the guest, they fail rather than skip. In the guest every VM test is
followed by a look at the kernel log (conftest.py): an oops, BUG or WARNING
logged while it ran fails it.

Modules: ``loaded("sockctl_kv", base=1000)`` loads one of kmod/'s, built by
the harness into SOCKCTL_KMOD_DIR, or a distribution module by name (modprobe)
for the block, and unloads it afterwards.
"""

import contextlib
import ctypes
import mmap
import os
import pickle
import re
import subprocess
import traceback

IN_GUEST = os.environ.get("SOCKCTL_VM_GUEST") == "1"
KMOD_DIR = os.environ.get("SOCKCTL_KMOD_DIR", "")

# What the kernel prints when it went wrong. Taints, module signature notes
# and "loading out-of-tree module" are not among them.
PROBLEM = re.compile(
    r"Oops|BUG:|WARNING:|kernel BUG at|general protection fault|Kernel panic|UBSAN:|KASAN:"
    r"|list_(add|del) corruption|refcount_t:|stack-protector|usercopy:")


def kernel_problems(lines) -> list[str]:
    """The lines of a kernel log that report an oops, BUG, WARNING or the like."""
    return [line for line in lines if PROBLEM.search(line)]


class KernelLog:
    """The kernel log from now on, read through /dev/kmsg (one record a call to read)."""

    def __init__(self):
        self._fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        os.lseek(self._fd, 0, os.SEEK_END)
        self.lines: list[str] = []

    def read(self) -> list[str]:
        """Every message logged since this object was made (the text after each record's prefix)."""
        while True:
            try:
                record = os.read(self._fd, 8192)
            except BlockingIOError:
                return self.lines
            except BrokenPipeError:
                # Records were overwritten before being read: say so, and go on.
                self.lines.append("(kernel log records lost)")
                continue
            text = record.decode("utf-8", "replace")
            self.lines.extend(text.split(";", 1)[1].splitlines()[:1])

    def close(self) -> None:
        os.close(self._fd)


def run(*cmd: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if check and proc.returncode:
        raise AssertionError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()}")
    return proc


def module_path(name: str) -> str:
    return os.path.join(KMOD_DIR, f"{name}.ko")


def is_loaded(name: str) -> bool:
    return os.path.exists(f"/sys/module/{name}/initstate")


def load(name: str, **params) -> subprocess.CompletedProcess:
    """insmod one of kmod/'s modules (modprobe a distribution one); CompletedProcess, unchecked."""
    words = [f"{key}={value}" for key, value in params.items()]
    if os.path.exists(module_path(name)):
        return run("insmod", module_path(name), *words, check=False)
    return run("modprobe", name, *words, check=False)


def unload(name: str) -> None:
    run("rmmod", name)


@contextlib.contextmanager
def unloaded(name: str):
    """For a test that loads NAME itself: not loaded before it, unloaded after it whatever happened."""
    assert not is_loaded(name), f"{name} is loaded already: another test left it"
    try:
        yield
    finally:
        if is_loaded(name):
            unload(name)


@contextlib.contextmanager
def loaded(name: str, **params):
    """Module NAME loaded for the block, unloaded after it."""
    result = load(name, **params)
    assert result.returncode == 0, f"loading {name}: {result.stderr.strip()}"
    try:
        yield
    finally:
        if is_loaded(name):
            unload(name)


# ---- calls with any length and any address, for bad-input tests ----

_libc = ctypes.CDLL(None, use_errno=True)
PAGE = mmap.PAGESIZE


def raw_setsockopt(fd: int, level: int, option: int, address: int, length: int) -> int:
    """setsockopt with a raw pointer and length: 0, or the errno."""
    if _libc.setsockopt(fd, level, option, ctypes.c_void_p(address), ctypes.c_int(length)) == 0:
        return 0
    return ctypes.get_errno()


def raw_getsockopt(fd: int, level: int, option: int, address: int, length: int) -> tuple[int, int]:
    """getsockopt with a raw pointer and any length, negative too: (0 or the errno, the length after)."""
    size = ctypes.c_int(length)
    if _libc.getsockopt(fd, level, option, ctypes.c_void_p(address), ctypes.byref(size)) == 0:
        return 0, size.value
    return ctypes.get_errno(), size.value


class GuardedBuffer:
    """LENGTH writable bytes that end where an inaccessible page begins.

    A kernel that reads or writes one byte past them faults (EFAULT) instead
    of quietly using memory that is not the caller's.
    """

    def __init__(self, length: int):
        assert 0 <= length <= PAGE
        self._map = mmap.mmap(-1, 2 * PAGE)
        base = ctypes.addressof(ctypes.c_char.from_buffer(self._map))
        assert _libc.mprotect(ctypes.c_void_p(base + PAGE), PAGE, 0) == 0  # PROT_NONE
        self.offset = PAGE - length
        self.address = base + self.offset
        self.length = length

    def view(self) -> memoryview:
        return memoryview(self._map)[self.offset:PAGE]

    def fill(self, data: bytes) -> None:
        assert len(data) == self.length
        self._map[self.offset:PAGE] = data

    def bytes(self) -> bytes:
        return self._map[self.offset:PAGE]


# ---- clients in processes of their own ----

def in_children(work, count: int, meanwhile=None) -> list:
    """WORK(i) in COUNT forked processes started together; their results, in order.

    The children wait at a common start line, so they really run at once;
    MEANWHILE(), if given, runs in this process as they start. An exception
    in any of them fails the caller with its traceback.
    """
    start_read, start_write = os.pipe()
    children = []
    for i in range(count):
        result_read, result_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            status = 0
            try:
                os.close(start_write)
                os.read(start_read, 1)  # returns when the parent closes its end
                outcome = ("ok", work(i))
            except BaseException:
                outcome = ("error", traceback.format_exc())
            try:
                os.write(result_write, pickle.dumps(outcome))
            except BaseException:
                status = 1
            os._exit(status)
        os.close(result_write)
        children.append((pid, result_read))
    os.close(start_read)
    os.close(start_write)  # the start
    if meanwhile is not None:
        meanwhile()
    results, failures = [], []
    for i, (pid, result_read) in enumerate(children):
        with os.fdopen(result_read, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        kind, value = pickle.loads(data) if data else ("error", "died without a result")
        (results if kind == "ok" else failures).append(value if kind == "ok" else f"child {i}: {value}")
    assert not failures, "\n".join(failures)
    return results


CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def unshare(flags: int) -> None:
    """unshare(2) for this process (single-threaded: a forked child). CLONE_NEWUSER gives every
    capability in a new user namespace, and none in the namespaces that belong to the old one."""
    if _libc.unshare(flags) != 0:
        raise OSError(ctypes.get_errno(), "unshare")
