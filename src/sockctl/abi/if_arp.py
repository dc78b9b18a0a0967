"""ARP hardware types and ARP cache requests (linux/if_arp.h).

``ARPHRD_*`` is what SIOCGIFHWADDR returns in ``sa_family``: the link type.
``struct arpreq`` is the argument of SIOCGARP, SIOCSARP and SIOCDARP on an
AF_INET socket (``arp_ioctl``); ``ATF_*`` are its flags.
"""

import ctypes
import struct

from sockctl.abi.netdevice import IFNAMSIZ, sockaddr

C_HEADERS = ["sys/socket.h", "linux/if_arp.h"]

ARPHRD_NETROM = 0
ARPHRD_ETHER = 1
ARPHRD_EETHER = 2
ARPHRD_AX25 = 3
ARPHRD_PRONET = 4
ARPHRD_CHAOS = 5
ARPHRD_IEEE802 = 6
ARPHRD_ARCNET = 7
ARPHRD_APPLETLK = 8
ARPHRD_DLCI = 15
ARPHRD_ATM = 19
ARPHRD_METRICOM = 23
ARPHRD_IEEE1394 = 24
ARPHRD_EUI64 = 27
ARPHRD_INFINIBAND = 32
ARPHRD_SLIP = 256
ARPHRD_CSLIP = 257
ARPHRD_SLIP6 = 258
ARPHRD_CSLIP6 = 259
ARPHRD_RSRVD = 260
ARPHRD_ADAPT = 264
ARPHRD_ROSE = 270
ARPHRD_X25 = 271
ARPHRD_HWX25 = 272
ARPHRD_CAN = 280
ARPHRD_MCTP = 290
ARPHRD_PPP = 512
ARPHRD_CISCO = 513
ARPHRD_HDLC = ARPHRD_CISCO
ARPHRD_LAPB = 516
ARPHRD_DDCMP = 517
ARPHRD_RAWHDLC = 518
ARPHRD_RAWIP = 519
ARPHRD_TUNNEL = 768
ARPHRD_TUNNEL6 = 769
ARPHRD_FRAD = 770
ARPHRD_SKIP = 771
ARPHRD_LOOPBACK = 772
ARPHRD_LOCALTLK = 773
ARPHRD_FDDI = 774
ARPHRD_BIF = 775
ARPHRD_SIT = 776
ARPHRD_IPDDP = 777
ARPHRD_IPGRE = 778
ARPHRD_PIMREG = 779
ARPHRD_HIPPI = 780
ARPHRD_ASH = 781
ARPHRD_ECONET = 782
ARPHRD_IRDA = 783
ARPHRD_FCPP = 784
ARPHRD_FCAL = 785
ARPHRD_FCPL = 786
ARPHRD_FCFABRIC = 787
ARPHRD_IEEE802_TR = 800
ARPHRD_IEEE80211 = 801
ARPHRD_IEEE80211_PRISM = 802
ARPHRD_IEEE80211_RADIOTAP = 803
ARPHRD_IEEE802154 = 804
ARPHRD_IEEE802154_MONITOR = 805
ARPHRD_PHONET = 820
ARPHRD_PHONET_PIPE = 821
ARPHRD_CAIF = 822
ARPHRD_IP6GRE = 823
ARPHRD_NETLINK = 824
ARPHRD_6LOWPAN = 825
ARPHRD_VSOCKMON = 826
ARPHRD_VOID = 0xFFFF
ARPHRD_NONE = 0xFFFE

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
