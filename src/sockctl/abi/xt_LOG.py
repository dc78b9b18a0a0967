"""The LOG target (linux/netfilter/xt_LOG.h): syslog level, flags and a prefix."""

import ctypes

C_HEADERS = ["linux/netfilter/xt_LOG.h"]

XT_LOG_TCPSEQ = 0x01
XT_LOG_TCPOPT = 0x02
XT_LOG_IPOPT = 0x04
XT_LOG_UID = 0x08
XT_LOG_NFLOG = 0x10
XT_LOG_MACDECODE = 0x20
XT_LOG_MASK = 0x2F


class xt_log_info(ctypes.Structure):
    """struct xt_log_info { unsigned char level; unsigned char logflags; char prefix[30]; };"""

    _c_name_ = "struct xt_log_info"
    _fields_ = [("level", ctypes.c_ubyte), ("logflags", ctypes.c_ubyte), ("prefix", ctypes.c_char * 30)]
