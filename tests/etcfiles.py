"""Commands run with some /etc files replaced, for comparing name lookups with no DNS.

net-tools names addresses through glibc (gethostbyaddr, getnetbyaddr,
getnameinfo); sockctl reads /etc/hosts and /etc/networks itself. To compare
them, both run inside a private mount namespace (``unshare -m``, within the
test's network namespace) where /etc/hosts, /etc/networks and an
nsswitch.conf that says "files" only are bind-mounted from the test's own
files. The machine's /etc is never changed, and no DNS server is asked.
"""

import shlex
import sys

import nstest

NSSWITCH = "hosts: files\nnetworks: files\n"


class EtcFiles:
    """A hosts and a networks file written under TMP, and the wrapper that shows them as /etc's."""

    def __init__(self, tmp, hosts: str, networks: str):
        files = {"hosts": hosts, "networks": networks, "nsswitch.conf": NSSWITCH}
        mounts = []
        for name, text in files.items():
            path = tmp / name
            path.write_text(text)
            mounts.append(f"mount --bind {shlex.quote(str(path))} /etc/{name}")
        self.prefix = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
                       " && ".join(mounts) + ' && exec "$@"', "sh"]

    def peer(self, ns, *argv: str):
        """A net-tools command in namespace NS, seeing the files."""
        return ns.exec(*self.prefix, *argv)

    def sockctl(self, ns, *argv: str):
        """sockctl in namespace NS, seeing the files."""
        return ns.exec(*self.prefix, sys.executable, "-m", "sockctl", *argv)

    def settled(self, ns, argv: list[str], attempts: int = 40):
        """(net-tools, sockctl) results of the same command taken while the state stood still (``nstest.steady``)."""
        return nstest.steady(lambda: self.peer(ns, *argv), lambda: self.sockctl(ns, *argv), argv, attempts)
