"""The host side of scripts/vm-test: build kmod/, boot the distribution kernel once, run the VM tests in it.

Run by scripts/vm-test with the project's interpreter, as root, after the
.venv holds virtme-ng (the test extra). Steps:

1. install the Debian packages of scripts/vm-packages.txt that are missing;
2. pick the newest kernel in /boot whose headers are installed
   (SOCKCTL_VM_KERNEL=VERSION picks one);
3. build kmod/ against those headers, in build/vm/, and compile the
   package's bytecode (the guest cannot write it);
4. boot it with virtme-ng (the host's root filesystem shared read-only) and
   run scripts/vm-guest, which runs `pytest -m vm` as root and prints the
   guest's kernel log. KVM is tried first when /dev/kvm is there; when the
   guest has not started within KVM_START_SECONDS, or QEMU gave up, the boot
   is repeated under software emulation. SOCKCTL_VM_ACCEL=kvm or tcg forces
   one of them.
5. fail on a failing test, a guest that never finished, or an oops, BUG or
   WARNING anywhere in the guest's kernel log.
"""

import compileall
import os
import select
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from vmtest import kernel_problems  # noqa: E402  (the same patterns as the per-test check)

PACKAGES = ROOT / "scripts" / "vm-packages.txt"
BUILD = ROOT / "build" / "vm"
MARK = "sockctl-vm: "
KVM_START_SECONDS = 45  # a KVM guest starts in seconds; one stuck this long will not
RUN_SECONDS = 20 * 60  # the whole guest run, boot included


def say(message: str) -> None:
    print(f"vm-test: {message}", flush=True)


def install_packages() -> None:
    wanted = [w for line in PACKAGES.read_text().splitlines() if not line.startswith("#") for w in line.split()]
    missing = [p for p in wanted if not _installed(p)]
    if missing:
        say(f"installing Debian packages: {' '.join(missing)}")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing], check=True, env=env)


def _installed(package: str) -> bool:
    status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
    return status.returncode == 0 and status.stdout.endswith("ok installed")


def _version_key(version: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in version.replace("-", ".").split("."))


def pick_kernel() -> str:
    """The kernel version to boot: the newest in /boot with headers to build modules against."""
    versions = [name[len("vmlinuz-"):] for name in os.listdir("/boot") if name.startswith("vmlinuz-")]
    usable = [v for v in versions if Path(f"/lib/modules/{v}/build/Makefile").exists()]
    wanted = os.environ.get("SOCKCTL_VM_KERNEL")
    if wanted:
        if wanted not in usable:
            sys.exit(f"vm-test: SOCKCTL_VM_KERNEL={wanted}: no /boot/vmlinuz-{wanted} with headers")
        return wanted
    if not usable:
        sys.exit("vm-test: no kernel in /boot with headers in /lib/modules/VERSION/build "
                 "(linux-image-amd64 and linux-headers-amd64 install one)")
    return max(usable, key=_version_key)


def build_modules(version: str) -> Path:
    """kmod/ built for VERSION in a copy under build/vm (kbuild writes beside its sources)."""
    out = BUILD / f"kmod-{version}"
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "kmod", out)
    make = subprocess.run(["make", "-C", str(out), f"KDIR=/lib/modules/{version}/build"],
                          capture_output=True, text=True)
    if make.returncode != 0:
        sys.stdout.write(make.stdout + make.stderr)
        sys.exit(f"vm-test: building kmod/ for {version} failed")
    built = sorted(p.name for p in out.glob("*.ko"))
    say(f"built {', '.join(built)} for {version}")
    return out


class Boot:
    """One guest run: its output lines, whether the guest started, and how it ended."""

    def __init__(self, version: str, kmod_dir: Path, accel: str, pytest_args: list[str]):
        guest = shlex.join(["scripts/vm-guest", sys.executable, str(kmod_dir), *pytest_args])
        vng = str(Path(sys.executable).parent / "vng")
        self.command = [vng, *(["--disable-kvm"] if accel == "tcg" else []), "-r", f"/boot/vmlinuz-{version}",
                        "--cpus", "2", "--memory", "1G", "--exec", guest]
        self.accel = accel
        self.started_at = None  # seconds from launch to the guest's first line
        self.before_start: list[str] = []  # QEMU's and virtme-ng's own words
        self.kernel_log: list[str] = []
        self.pytest_exit = None
        self.returncode = None

    def run(self, start_deadline: float | None) -> bool:
        """Boot and stream the guest's output; False if it did not start by START_DEADLINE seconds."""
        t0 = time.monotonic()
        proc = subprocess.Popen(self.command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True)
        in_log = False
        pending = b""
        try:
            while True:
                elapsed = time.monotonic() - t0
                limit = start_deadline if self.started_at is None and start_deadline else RUN_SECONDS
                if elapsed > limit:
                    say(f"{'no guest' if self.started_at is None else 'guest still running'} after {limit:.0f} s")
                    return False
                ready, _, _ = select.select([proc.stdout], [], [], 1.0)
                if not ready:
                    continue
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for raw in lines:
                    in_log = self._line(raw.decode("utf-8", "replace").rstrip("\r"), in_log, t0)
            self.returncode = proc.wait()
            return self.started_at is not None
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait()

    def _line(self, line: str, in_log: bool, t0: float) -> bool:
        if line.startswith(MARK + "guest started"):
            self.started_at = time.monotonic() - t0
            say(f"guest started after {self.started_at:.1f} s ({self.accel}): {line[len(MARK):]}")
        elif line == MARK + "kernel log begin":
            return True
        elif line == MARK + "kernel log end":
            return False
        elif line.startswith(MARK + "pytest exit "):
            self.pytest_exit = int(line.rsplit(" ", 1)[1])
        elif in_log:
            self.kernel_log.append(line)
        elif self.started_at is None:
            self.before_start.append(line)
        else:
            print(line, flush=True)
        return in_log


def main(pytest_args: list[str]) -> int:
    if pytest_args[:1] != ["--run"] and not any(arg.startswith("tests") for arg in pytest_args):
        pytest_args = [*pytest_args, "tests/vm"]  # VM tests live there; collecting the rest costs minutes
    if os.geteuid() != 0:
        sys.exit("vm-test: run it as root (it installs packages and the guest loads modules)")
    install_packages()
    version = pick_kernel()
    kmod_dir = build_modules(version)
    # The guest cannot write bytecode (its root is read-only) and compiles slowly.
    compileall.compile_dir(str(ROOT / "src" / "sockctl"), quiet=1)
    accel = os.environ.get("SOCKCTL_VM_ACCEL", "auto")
    if accel not in ("auto", "kvm", "tcg"):
        sys.exit(f"vm-test: SOCKCTL_VM_ACCEL={accel}: expected auto, kvm or tcg")
    if accel == "auto":
        accel = "kvm" if os.access("/dev/kvm", os.R_OK | os.W_OK) else "tcg"
        fallback = accel == "kvm"
    else:
        fallback = False

    t0 = time.monotonic()
    boot = Boot(version, kmod_dir, accel, pytest_args)
    if not boot.run(KVM_START_SECONDS if fallback else None) and fallback and boot.started_at is None:
        reason = next((line for line in boot.before_start if "error" in line.lower()), "no guest output")
        say(f"KVM did not boot ({reason.strip()}); using software emulation")
        boot = Boot(version, kmod_dir, "tcg", pytest_args)
        boot.run(None)
    say(f"guest run took {time.monotonic() - t0:.1f} s in all")

    if boot.started_at is None:
        sys.stdout.write("".join(line + "\n" for line in boot.before_start))
        say("the guest never started")
        return 1
    problems = kernel_problems(boot.kernel_log)
    if problems:
        say("the guest's kernel log shows a problem:")
        sys.stdout.write("".join(f"  {line}\n" for line in problems))
        return 1
    if boot.pytest_exit is None:
        say(f"the guest stopped before the tests finished (exit {boot.returncode})")
        return 1
    if not boot.kernel_log:
        say("the guest printed no kernel log")
        return 1
    return boot.pytest_exit


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
