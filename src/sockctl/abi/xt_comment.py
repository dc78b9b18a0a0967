"""The comment match (linux/netfilter/xt_comment.h): a NUL-terminated text that matches everything."""

import ctypes

C_HEADERS = ["linux/netfilter/xt_comment.h"]

XT_MAX_COMMENT_LEN = 256


class xt_comment_info(ctypes.Structure):
    """struct xt_comment_info { char comment[XT_MAX_COMMENT_LEN]; };"""

    _c_name_ = "struct xt_comment_info"
    _fields_ = [("comment", ctypes.c_char * XT_MAX_COMMENT_LEN)]
