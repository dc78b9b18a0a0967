"""/proc/net files of the calling thread's network namespace.

The same reading as ``channel.proc_net``, for listings that need no ioctl:
importing the channel loads ctypes, a noticeable part of a listing's
start-up.
"""

# The thread's own view of /proc/net: after setns() it shows the new
# namespace, where /proc/net (the process leader's) might not.
PROC_NET = "/proc/thread-self/net"


def read(name: str) -> bytes:
    """The contents of /proc/net/NAME as seen from the current namespace."""
    with open(f"{PROC_NET}/{name}", "rb") as f:
        return f.read()
