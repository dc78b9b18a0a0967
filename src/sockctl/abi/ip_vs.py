"""IP Virtual Server over socket options (linux/ip_vs.h).

IPVS registers its options with ``nf_register_sockopt`` at level IPPROTO_IP
on an AF_INET socket (any type; ipvsadm uses a raw one). Set-options take
an ``ip_vs_service_user``, an ``ip_vs_service_user`` followed by an
``ip_vs_dest_user``, an ``ip_vs_timeout_user`` or an ``ip_vs_daemon_user``,
each of exactly its size (``do_ip_vs_set_ctl``); get-options read their
request from the buffer and write the answer over it (``do_ip_vs_get_ctl``).
The structures carry IPv4 addresses only: IPv6 services, and the fields
added later (persistence engine, tunnel type, sync group), exist only in
the generic netlink interface.

The ctypes structures are the checked layout; the ``struct.Struct`` objects
below them are what the domain code packs and unpacks with. Addresses and
ports are in network byte order, everything else in host order.
"""

import ctypes
import struct

C_HEADERS = ["sys/socket.h", "linux/ip_vs.h"]

IP_VS_VERSION_CODE = 0x010201

# Virtual service flags (ip_vs_service_user.flags)
IP_VS_SVC_F_PERSISTENT = 0x0001  # persistent port
IP_VS_SVC_F_HASHED = 0x0002  # hashed entry (set by the kernel)
IP_VS_SVC_F_ONEPACKET = 0x0004  # one-packet scheduling
IP_VS_SVC_F_SCHED1 = 0x0008  # scheduler flag 1
IP_VS_SVC_F_SCHED2 = 0x0010  # scheduler flag 2
IP_VS_SVC_F_SCHED3 = 0x0020  # scheduler flag 3
IP_VS_SVC_F_SCHED_SH_FALLBACK = IP_VS_SVC_F_SCHED1  # sh: fall back to another server
IP_VS_SVC_F_SCHED_SH_PORT = IP_VS_SVC_F_SCHED2  # sh: hash the source port too

# Sync daemon states
IP_VS_STATE_NONE = 0x0000
IP_VS_STATE_MASTER = 0x0001
IP_VS_STATE_BACKUP = 0x0002

# Socket options
IP_VS_BASE_CTL = 64 + 1024 + 64
IP_VS_SO_SET_NONE = IP_VS_BASE_CTL
IP_VS_SO_SET_INSERT = IP_VS_BASE_CTL + 1
IP_VS_SO_SET_ADD = IP_VS_BASE_CTL + 2
IP_VS_SO_SET_EDIT = IP_VS_BASE_CTL + 3
IP_VS_SO_SET_DEL = IP_VS_BASE_CTL + 4
IP_VS_SO_SET_FLUSH = IP_VS_BASE_CTL + 5
IP_VS_SO_SET_LIST = IP_VS_BASE_CTL + 6
IP_VS_SO_SET_ADDDEST = IP_VS_BASE_CTL + 7
IP_VS_SO_SET_DELDEST = IP_VS_BASE_CTL + 8
IP_VS_SO_SET_EDITDEST = IP_VS_BASE_CTL + 9
IP_VS_SO_SET_TIMEOUT = IP_VS_BASE_CTL + 10
IP_VS_SO_SET_STARTDAEMON = IP_VS_BASE_CTL + 11
IP_VS_SO_SET_STOPDAEMON = IP_VS_BASE_CTL + 12
IP_VS_SO_SET_RESTORE = IP_VS_BASE_CTL + 13
IP_VS_SO_SET_SAVE = IP_VS_BASE_CTL + 14
IP_VS_SO_SET_ZERO = IP_VS_BASE_CTL + 15
IP_VS_SO_SET_MAX = IP_VS_SO_SET_ZERO

IP_VS_SO_GET_VERSION = IP_VS_BASE_CTL
IP_VS_SO_GET_INFO = IP_VS_BASE_CTL + 1
IP_VS_SO_GET_SERVICES = IP_VS_BASE_CTL + 2
IP_VS_SO_GET_SERVICE = IP_VS_BASE_CTL + 3
IP_VS_SO_GET_DESTS = IP_VS_BASE_CTL + 4
IP_VS_SO_GET_DEST = IP_VS_BASE_CTL + 5  # not used by the kernel
IP_VS_SO_GET_TIMEOUT = IP_VS_BASE_CTL + 6
IP_VS_SO_GET_DAEMON = IP_VS_BASE_CTL + 7
IP_VS_SO_GET_MAX = IP_VS_SO_GET_DAEMON

# Connection flags: the forwarding method of a real server in the low bits
IP_VS_CONN_F_FWD_MASK = 0x0007
IP_VS_CONN_F_MASQ = 0x0000  # masquerading (NAT)
IP_VS_CONN_F_LOCALNODE = 0x0001  # the real server is this host
IP_VS_CONN_F_TUNNEL = 0x0002  # IP-in-IP tunnelling
IP_VS_CONN_F_DROUTE = 0x0003  # direct routing ("gatewaying")
IP_VS_CONN_F_BYPASS = 0x0004  # cache bypass
IP_VS_CONN_F_NOOUTPUT = 0x0080  # set by the kernel for methods without replies through it
IP_VS_CONN_F_INACTIVE = 0x0100  # set by the kernel
IP_VS_CONN_F_ONE_PACKET = 0x2000  # forward only one packet
IP_VS_CONN_F_NFCT = 1 << 16  # use netfilter conntrack
IP_VS_CONN_F_DEST_MASK = IP_VS_CONN_F_FWD_MASK | IP_VS_CONN_F_ONE_PACKET | IP_VS_CONN_F_NFCT

IP_VS_SCHEDNAME_MAXLEN = 16
IP_VS_PENAME_MAXLEN = 16
IP_VS_IFNAME_MAXLEN = 16

# Tunnel types (generic netlink only; the socket options always mean IPIP)
IP_VS_CONN_F_TUNNEL_TYPE_IPIP = 0
IP_VS_CONN_F_TUNNEL_TYPE_GUE = 1
IP_VS_CONN_F_TUNNEL_TYPE_GRE = 2


# Fields several structures share, in the same order.
_SERVICE_HEAD = [("protocol", ctypes.c_uint16), ("addr", ctypes.c_uint32), ("port", ctypes.c_uint16),
                 ("fwmark", ctypes.c_uint32)]
_SERVICE_SETTINGS = [("sched_name", ctypes.c_char * IP_VS_SCHEDNAME_MAXLEN), ("flags", ctypes.c_uint),
                     ("timeout", ctypes.c_uint), ("netmask", ctypes.c_uint32)]
_DEST_SETTINGS = [("addr", ctypes.c_uint32), ("port", ctypes.c_uint16), ("conn_flags", ctypes.c_uint),
                  ("weight", ctypes.c_int), ("u_threshold", ctypes.c_uint32), ("l_threshold", ctypes.c_uint32)]


class ip_vs_service_user(ctypes.Structure):
    """struct ip_vs_service_user {
        __u16 protocol; __be32 addr; __be16 port; __u32 fwmark;
        char sched_name[IP_VS_SCHEDNAME_MAXLEN];
        unsigned int flags; unsigned int timeout; __be32 netmask; };

    The argument of IP_VS_SO_SET_ADD, EDIT, DEL and ZERO.
    """

    _c_name_ = "struct ip_vs_service_user"
    _fields_ = _SERVICE_HEAD + _SERVICE_SETTINGS


class ip_vs_dest_user(ctypes.Structure):
    """struct ip_vs_dest_user {
        __be32 addr; __be16 port;
        unsigned int conn_flags; int weight;
        __u32 u_threshold; __u32 l_threshold; };

    Follows an ip_vs_service_user in IP_VS_SO_SET_ADDDEST, EDITDEST and DELDEST.
    """

    _c_name_ = "struct ip_vs_dest_user"
    _fields_ = _DEST_SETTINGS


class ip_vs_stats_user(ctypes.Structure):
    """struct ip_vs_stats_user {
        __u32 conns; __u32 inpkts; __u32 outpkts; __u64 inbytes; __u64 outbytes;
        __u32 cps; __u32 inpps; __u32 outpps; __u32 inbps; __u32 outbps; };
    """

    _c_name_ = "struct ip_vs_stats_user"
    _fields_ = [
        ("conns", ctypes.c_uint32),
        ("inpkts", ctypes.c_uint32),
        ("outpkts", ctypes.c_uint32),
        ("inbytes", ctypes.c_uint64),
        ("outbytes", ctypes.c_uint64),
        ("cps", ctypes.c_uint32),
        ("inpps", ctypes.c_uint32),
        ("outpps", ctypes.c_uint32),
        ("inbps", ctypes.c_uint32),
        ("outbps", ctypes.c_uint32),
    ]


class ip_vs_getinfo(ctypes.Structure):
    """struct ip_vs_getinfo { unsigned int version; unsigned int size; unsigned int num_services; };

    The answer of IP_VS_SO_GET_INFO; ``num_services`` counts IPv6 services too.
    """

    _c_name_ = "struct ip_vs_getinfo"
    _fields_ = [("version", ctypes.c_uint), ("size", ctypes.c_uint), ("num_services", ctypes.c_uint)]


class ip_vs_service_entry(ctypes.Structure):
    """struct ip_vs_service_entry {
        __u16 protocol; __be32 addr; __be16 port; __u32 fwmark;
        char sched_name[IP_VS_SCHEDNAME_MAXLEN];
        unsigned int flags; unsigned int timeout; __be32 netmask;
        unsigned int num_dests; struct ip_vs_stats_user stats; };

    The argument and answer of IP_VS_SO_GET_SERVICE, and each entry of
    IP_VS_SO_GET_SERVICES.
    """

    _c_name_ = "struct ip_vs_service_entry"
    _fields_ = _SERVICE_HEAD + _SERVICE_SETTINGS + [("num_dests", ctypes.c_uint), ("stats", ip_vs_stats_user)]


class ip_vs_dest_entry(ctypes.Structure):
    """struct ip_vs_dest_entry {
        __be32 addr; __be16 port; unsigned int conn_flags; int weight;
        __u32 u_threshold; __u32 l_threshold;
        __u32 activeconns; __u32 inactconns; __u32 persistconns;
        struct ip_vs_stats_user stats; };
    """

    _c_name_ = "struct ip_vs_dest_entry"
    _fields_ = _DEST_SETTINGS + [("activeconns", ctypes.c_uint32), ("inactconns", ctypes.c_uint32),
                                 ("persistconns", ctypes.c_uint32), ("stats", ip_vs_stats_user)]


class ip_vs_get_dests(ctypes.Structure):
    """struct ip_vs_get_dests {
        __u16 protocol; __be32 addr; __be16 port; __u32 fwmark;
        unsigned int num_dests; struct ip_vs_dest_entry entrytable[]; };

    IP_VS_SO_GET_DESTS: the service and room for ``num_dests`` entries.
    """

    _c_name_ = "struct ip_vs_get_dests"
    _fields_ = _SERVICE_HEAD + [("num_dests", ctypes.c_uint), ("entrytable", ip_vs_dest_entry * 0)]


class ip_vs_get_services(ctypes.Structure):
    """struct ip_vs_get_services { unsigned int num_services; struct ip_vs_service_entry entrytable[]; };

    IP_VS_SO_GET_SERVICES: room for ``num_services`` entries.
    """

    _c_name_ = "struct ip_vs_get_services"
    _fields_ = [("num_services", ctypes.c_uint), ("entrytable", ip_vs_service_entry * 0)]


class ip_vs_timeout_user(ctypes.Structure):
    """struct ip_vs_timeout_user { int tcp_timeout; int tcp_fin_timeout; int udp_timeout; };"""

    _c_name_ = "struct ip_vs_timeout_user"
    _fields_ = [("tcp_timeout", ctypes.c_int), ("tcp_fin_timeout", ctypes.c_int), ("udp_timeout", ctypes.c_int)]


class ip_vs_daemon_user(ctypes.Structure):
    """struct ip_vs_daemon_user { int state; char mcast_ifn[IP_VS_IFNAME_MAXLEN]; int syncid; };

    IP_VS_SO_SET_STARTDAEMON and STOPDAEMON take one; IP_VS_SO_GET_DAEMON
    answers two (the master's, then the backup's).
    """

    _c_name_ = "struct ip_vs_daemon_user"
    _fields_ = [("state", ctypes.c_int), ("mcast_ifn", ctypes.c_char * IP_VS_IFNAME_MAXLEN), ("syncid", ctypes.c_int)]


# The same layouts for struct, native byte order without automatic
# alignment ("="), padding written out; addresses and ports as raw bytes.
#   protocol, addr, port, fwmark, sched_name, flags, timeout, netmask
SERVICE_USER = struct.Struct("=H2x4s2s2xI16sII4s")
#   addr, port, conn_flags, weight, u_threshold, l_threshold
DEST_USER = struct.Struct("=4s2s2xIiII")
#   conns, inpkts, outpkts, inbytes, outbytes, cps, inpps, outpps, inbps, outbps
STATS_USER = struct.Struct("=III4xQQIIIII4x")
GETINFO = struct.Struct("=III")
#   the service_user fields, num_dests, then the statistics
SERVICE_ENTRY = struct.Struct("=H2x4s2s2xI16sII4sI" + STATS_USER.format[1:])
#   addr, port, conn_flags, weight, u_threshold, l_threshold, activeconns, inactconns, persistconns, statistics
DEST_ENTRY = struct.Struct("=4s2s2xIiIIIII4x" + STATS_USER.format[1:])
#   protocol, addr, port, fwmark, num_dests
GET_DESTS = struct.Struct("=H2x4s2s2xII4x")
GET_SERVICES = struct.Struct("=I4x")
TIMEOUT_USER = struct.Struct("=iii")
DAEMON_USER = struct.Struct(f"=i{IP_VS_IFNAME_MAXLEN}si")

for _packed, _layout in ((SERVICE_USER, ip_vs_service_user), (DEST_USER, ip_vs_dest_user),
                         (STATS_USER, ip_vs_stats_user), (GETINFO, ip_vs_getinfo),
                         (SERVICE_ENTRY, ip_vs_service_entry), (DEST_ENTRY, ip_vs_dest_entry),
                         (GET_DESTS, ip_vs_get_dests), (GET_SERVICES, ip_vs_get_services),
                         (TIMEOUT_USER, ip_vs_timeout_user), (DAEMON_USER, ip_vs_daemon_user)):
    assert _packed.size == ctypes.sizeof(_layout), _layout
del _packed, _layout
