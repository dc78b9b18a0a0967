"""Socket ioctl request numbers (linux/sockios.h, asm-generic/sockios.h, asm-generic/ioctls.h).

Grouped as the kernel's ``sock_ioctl`` -> ``inet_ioctl`` dispatch groups them.
The SIOC* codes are fixed numbers; the FIO*/TIOC* ones come from the
architecture's ioctls.h and are the asm-generic values used by x86, arm and
most other architectures (alpha, mips, powerpc and sparc differ).
"""

from sockctl.abi.ioctl import IOR

C_HEADERS = ["linux/sockios.h", "asm-generic/sockios.h", "asm-generic/ioctls.h"]

# File control (handled for every socket by sock_ioctl / fcntl paths).
FIOSETOWN = 0x8901
FIOGETOWN = 0x8903
FIONBIO = 0x5421
FIOASYNC = 0x5452
FIONREAD = 0x541B
TIOCOUTQ = 0x5411

# Socket control.
SIOCSPGRP = 0x8902
SIOCGPGRP = 0x8904
SIOCATMARK = 0x8905
SIOCGSTAMP_OLD = 0x8906  # struct timeval, native time_t
SIOCGSTAMPNS_OLD = 0x8907  # struct timespec, native time_t
SIOCGSTAMP_NEW = IOR(0x89, 0x06, 16)  # long long[2]
SIOCGSTAMPNS_NEW = IOR(0x89, 0x07, 16)  # long long[2]
SIOCINQ = FIONREAD  # bytes waiting to be read
SIOCOUTQ = TIOCOUTQ  # bytes not yet sent or not yet acknowledged
SIOCOUTQNSD = 0x894B  # bytes not yet sent
SIOCGSKNS = 0x894C  # open the socket's network namespace

# Routing table (ip_rt_ioctl, addrconf for AF_INET6).
SIOCADDRT = 0x890B
SIOCDELRT = 0x890C
SIOCRTMSG = 0x890D

# Interfaces (devinet_ioctl, addrconf, dev_ioctl).
SIOCGIFNAME = 0x8910
SIOCSIFLINK = 0x8911
SIOCGIFCONF = 0x8912
SIOCGIFFLAGS = 0x8913
SIOCSIFFLAGS = 0x8914
SIOCGIFADDR = 0x8915
SIOCSIFADDR = 0x8916
SIOCGIFDSTADDR = 0x8917
SIOCSIFDSTADDR = 0x8918
SIOCGIFBRDADDR = 0x8919
SIOCSIFBRDADDR = 0x891A
SIOCGIFNETMASK = 0x891B
SIOCSIFNETMASK = 0x891C
SIOCGIFMETRIC = 0x891D
SIOCSIFMETRIC = 0x891E
SIOCGIFMEM = 0x891F
SIOCSIFMEM = 0x8920
SIOCGIFMTU = 0x8921
SIOCSIFMTU = 0x8922
SIOCSIFNAME = 0x8923
SIOCSIFHWADDR = 0x8924
SIOCGIFENCAP = 0x8925
SIOCSIFENCAP = 0x8926
SIOCGIFHWADDR = 0x8927
SIOCGIFSLAVE = 0x8929
SIOCSIFSLAVE = 0x8930
SIOCADDMULTI = 0x8931
SIOCDELMULTI = 0x8932
SIOCGIFINDEX = 0x8933
SIOCSIFPFLAGS = 0x8934
SIOCGIFPFLAGS = 0x8935
SIOCDIFADDR = 0x8936
SIOCSIFHWBROADCAST = 0x8937
SIOCGIFCOUNT = 0x8938
SIOCGIFTXQLEN = 0x8942
SIOCSIFTXQLEN = 0x8943
SIOCETHTOOL = 0x8946
SIOCGMIIPHY = 0x8947
SIOCGMIIREG = 0x8948
SIOCSMIIREG = 0x8949
SIOCWANDEV = 0x894A
SIOCGIFMAP = 0x8970
SIOCSIFMAP = 0x8971
SIOCGIFVLAN = 0x8982
SIOCSIFVLAN = 0x8983
SIOCBONDENSLAVE = 0x8990
SIOCBONDRELEASE = 0x8991
SIOCBONDSETHWADDR = 0x8992
SIOCBONDSLAVEINFOQUERY = 0x8993
SIOCBONDINFOQUERY = 0x8994
SIOCBONDCHANGEACTIVE = 0x8995
SIOCSHWTSTAMP = 0x89B0
SIOCGHWTSTAMP = 0x89B1

# ARP cache (arp_ioctl); the RARP ones are gone from current kernels.
SIOCDARP = 0x8953
SIOCGARP = 0x8954
SIOCSARP = 0x8955
SIOCDRARP = 0x8960
SIOCGRARP = 0x8961
SIOCSRARP = 0x8962

# Bridging (br_ioctl_hook, and the bridge device's private ioctls).
SIOCGIFBR = 0x8940
SIOCSIFBR = 0x8941
SIOCBRADDBR = 0x89A0
SIOCBRDELBR = 0x89A1
SIOCBRADDIF = 0x89A2
SIOCBRDELIF = 0x89A3

# Frame-relay DLCI (dlci_ioctl_hook; frame relay left the kernel in 5.x).
SIOCADDDLCI = 0x8980
SIOCDELDLCI = 0x8981

# Private ranges: 16 numbers each for a device driver and a protocol.
SIOCDEVPRIVATE = 0x89F0
SIOCPROTOPRIVATE = 0x89E0


def request_name(request: int) -> str:
    """The SIOC*/FIO* name of a request number, for error messages."""
    for name, value in globals().items():
        if value == request and name.startswith(("SIOC", "FIO")):
            return name
    if SIOCDEVPRIVATE < request <= SIOCDEVPRIVATE + 15:
        return f"SIOCDEVPRIVATE+{request - SIOCDEVPRIVATE}"
    if SIOCPROTOPRIVATE < request <= SIOCPROTOPRIVATE + 15:
        return f"SIOCPROTOPRIVATE+{request - SIOCPROTOPRIVATE}"
    return f"ioctl {request:#x}"
