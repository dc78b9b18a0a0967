"""The pkttype match (linux/netfilter/xt_pkttype.h) and the packet types of linux/if_packet.h."""

import ctypes

C_HEADERS = ["linux/if_packet.h", "linux/netfilter/xt_pkttype.h"]

PACKET_HOST = 0
PACKET_BROADCAST = 1
PACKET_MULTICAST = 2
PACKET_OTHERHOST = 3
PACKET_OUTGOING = 4


class xt_pkttype_info(ctypes.Structure):
    """struct xt_pkttype_info { int pkttype; int invert; };"""

    _c_name_ = "struct xt_pkttype_info"
    _fields_ = [("pkttype", ctypes.c_int), ("invert", ctypes.c_int)]
