"""ARP cache requests (linux/if_arp.h): ``struct arpreq`` and the ATF_* flags.

``struct arpreq`` is the argument of SIOCGARP, SIOCSARP and SIOCDARP on an
AF_INET socket (``arp_ioctl``). It lives apart from the ARPHRD_* table of
``sockctl.abi.if_arp`` (the same header) because a structure needs ctypes,
which every listing that names a hardware type would otherwise load.
"""

import ctypes
import struct

from sockctl.abi.netdevice import IFNAMSIZ, sockaddr

C_HEADERS = ["sys/socket.h", "linux/if_arp.h"]

# arpreq.arp_flags
ATF_COM = 0x02  # completed entry (hardware address valid)
ATF_PERM = 0x04  # permanent entry
ATF_PUBL = 0x08  # publish entry (proxy ARP)
ATF_USETRAILERS = 0x10  # has requested trailers
ATF_NETMASK = 0x20  # use arp_netmask (proxy entries only)
ATF_DONTPUB = 0x40  # do not answer for this address


class arpreq(ctypes.Structure):
    """struct arpreq {
        struct sockaddr arp_pa;       /* protocol address */
        struct sockaddr arp_ha;       /* hardware address */
        int arp_flags;
        struct sockaddr arp_netmask;  /* netmask (only for proxy arps) */
        char arp_dev[IFNAMSIZ]; };
    """

    _c_name_ = "struct arpreq"
    _fields_ = [
        ("arp_pa", sockaddr),
        ("arp_ha", sockaddr),
        ("arp_flags", ctypes.c_int),
        ("arp_netmask", sockaddr),
        ("arp_dev", ctypes.c_char * IFNAMSIZ),
    ]


# The same layout for struct.pack: arp_pa, arp_ha (family and sa_data),
# arp_flags, arp_netmask, arp_dev.
ARPREQ = struct.Struct(f"=16sH14si16s{IFNAMSIZ}s")
assert ARPREQ.size == ctypes.sizeof(arpreq)
