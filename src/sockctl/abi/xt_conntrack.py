"""The conntrack match, revisions 1 to 3, and the state match
(linux/netfilter/xt_conntrack.h, xt_state.h, nf_conntrack_common.h).

Addresses are ``union nf_inet_addr`` with a mask each. Ports are network
order in revisions 1 and 2, host order (with an upper bound) in revision 3.
``XT_CONNTRACK_STATE_ALIAS`` marks a conntrack match written as
``-m state``.
"""

import ctypes

from sockctl.abi.x_tables import nf_inet_addr

C_HEADERS = ["linux/netfilter.h", "linux/netfilter/nf_conntrack_common.h",
             "linux/netfilter/xt_conntrack.h", "linux/netfilter/xt_state.h"]

# enum ip_conntrack_info
IP_CT_ESTABLISHED = 0
IP_CT_RELATED = 1
IP_CT_NEW = 2
IP_CT_IS_REPLY = 3
IP_CT_NUMBER = 5

# enum ip_conntrack_status: the bits --ctstatus names
IPS_EXPECTED = 1 << 0
IPS_SEEN_REPLY = 1 << 1
IPS_ASSURED = 1 << 2
IPS_CONFIRMED = 1 << 3


def XT_CONNTRACK_STATE_BIT(ctinfo: int) -> int:
    """``XT_CONNTRACK_STATE_BIT(ctinfo)``: the state-mask bit of a conntrack state."""
    return 1 << (ctinfo % IP_CT_IS_REPLY + 1)


XT_CONNTRACK_STATE_INVALID = 1 << 0
XT_CONNTRACK_STATE_SNAT = 1 << (IP_CT_NUMBER + 1)
XT_CONNTRACK_STATE_DNAT = 1 << (IP_CT_NUMBER + 2)
XT_CONNTRACK_STATE_UNTRACKED = 1 << (IP_CT_NUMBER + 3)

XT_STATE_INVALID = 1 << 0
XT_STATE_UNTRACKED = 1 << (IP_CT_NUMBER + 1)

XT_CONNTRACK_STATE = 1 << 0
XT_CONNTRACK_PROTO = 1 << 1
XT_CONNTRACK_ORIGSRC = 1 << 2
XT_CONNTRACK_ORIGDST = 1 << 3
XT_CONNTRACK_REPLSRC = 1 << 4
XT_CONNTRACK_REPLDST = 1 << 5
XT_CONNTRACK_STATUS = 1 << 6
XT_CONNTRACK_EXPIRES = 1 << 7
XT_CONNTRACK_ORIGSRC_PORT = 1 << 8
XT_CONNTRACK_ORIGDST_PORT = 1 << 9
XT_CONNTRACK_REPLSRC_PORT = 1 << 10
XT_CONNTRACK_REPLDST_PORT = 1 << 11
XT_CONNTRACK_DIRECTION = 1 << 12
XT_CONNTRACK_STATE_ALIAS = 1 << 13

_ADDRESSES = [(name, nf_inet_addr) for name in (
    "origsrc_addr", "origsrc_mask", "origdst_addr", "origdst_mask",
    "replsrc_addr", "replsrc_mask", "repldst_addr", "repldst_mask")]
_COMMON = _ADDRESSES + [
    ("expires_min", ctypes.c_uint32), ("expires_max", ctypes.c_uint32), ("l4proto", ctypes.c_uint16),
    ("origsrc_port", ctypes.c_uint16), ("origdst_port", ctypes.c_uint16),
    ("replsrc_port", ctypes.c_uint16), ("repldst_port", ctypes.c_uint16),
    ("match_flags", ctypes.c_uint16), ("invert_flags", ctypes.c_uint16),
]


class xt_conntrack_mtinfo1(ctypes.Structure):
    """struct xt_conntrack_mtinfo1 {
        union nf_inet_addr origsrc_addr, origsrc_mask; union nf_inet_addr origdst_addr, origdst_mask;
        union nf_inet_addr replsrc_addr, replsrc_mask; union nf_inet_addr repldst_addr, repldst_mask;
        __u32 expires_min, expires_max; __u16 l4proto;
        __be16 origsrc_port, origdst_port; __be16 replsrc_port, repldst_port;
        __u16 match_flags, invert_flags; __u8 state_mask, status_mask; };
    """

    _c_name_ = "struct xt_conntrack_mtinfo1"
    _fields_ = _COMMON + [("state_mask", ctypes.c_uint8), ("status_mask", ctypes.c_uint8)]


class xt_conntrack_mtinfo2(ctypes.Structure):
    """struct xt_conntrack_mtinfo2 { ... as mtinfo1 ...; __u16 state_mask, status_mask; };"""

    _c_name_ = "struct xt_conntrack_mtinfo2"
    _fields_ = _COMMON + [("state_mask", ctypes.c_uint16), ("status_mask", ctypes.c_uint16)]


class xt_conntrack_mtinfo3(ctypes.Structure):
    """struct xt_conntrack_mtinfo3 {
        ... as mtinfo2, ports in host order ...;
        __u16 origsrc_port_high, origdst_port_high; __u16 replsrc_port_high, repldst_port_high; };
    """

    _c_name_ = "struct xt_conntrack_mtinfo3"
    _fields_ = _COMMON + [
        ("state_mask", ctypes.c_uint16), ("status_mask", ctypes.c_uint16),
        ("origsrc_port_high", ctypes.c_uint16), ("origdst_port_high", ctypes.c_uint16),
        ("replsrc_port_high", ctypes.c_uint16), ("repldst_port_high", ctypes.c_uint16),
    ]


class xt_state_info(ctypes.Structure):
    """struct xt_state_info { unsigned int statemask; };  (the state match, revision 0)"""

    _c_name_ = "struct xt_state_info"
    _fields_ = [("statemask", ctypes.c_uint)]
