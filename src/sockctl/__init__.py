"""sockctl: control Linux networking through the kernel's socket control channels.

Two channels: ioctl on a socket (the ``sock_ioctl`` -> ``inet_ioctl`` dispatch
that ifconfig, route, arp and brctl use) and netfilter-registered socket
options (getsockopt/setsockopt on a raw socket, what iptables-legacy and
ipvsadm use).

Imports are lazy: ``import sockctl`` loads nothing but this file, so a command
pays only for the domain it uses.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "netns"]


def __getattr__(name):
    if name == "netns":
        from sockctl.channel import netns

        return netns
    raise AttributeError(f"module 'sockctl' has no attribute {name!r}")
