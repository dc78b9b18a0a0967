"""The comment match (xt_comment_info, libxt_comment): text that matches every packet.

    -m comment --comment TEXT      (at most 255 bytes are kept)
"""

from sockctl.abi.xt_comment import XT_MAX_COMMENT_LEN, xt_comment_info
from sockctl.errors import DecodeError
from sockctl.netfilter.extensions.base import Extension, Option
from sockctl.netfilter.xtables import save_string
from sockctl.record import Record


class CommentOptions(Record):
    """struct xt_comment_info: the comment (bytes up to the first NUL, as text)."""

    comment: str = ""


def _text(raw: bytes) -> str:
    return raw.partition(b"\0")[0].decode("utf-8", "surrogateescape")


class Comment(Extension):
    name = "comment"
    c_struct = xt_comment_info
    size = XT_MAX_COMMENT_LEN
    options = (Option("comment", 0, mandatory=True),)

    def decode(self, data: bytes) -> CommentOptions:
        if len(data) != self.payload_size:
            raise DecodeError(f"comment payload has {len(data)} bytes, expected {self.payload_size}")
        return CommentOptions(_text(data[:XT_MAX_COMMENT_LEN - 1]))

    def encode(self, opts: CommentOptions) -> bytes:
        raw = opts.comment.encode("utf-8", "surrogateescape")[:XT_MAX_COMMENT_LEN - 1]
        return raw + bytes(XT_MAX_COMMENT_LEN - len(raw))

    def parse(self, state, option, args, invert, ctx):
        state["comment"] = args[0]

    def finish(self, state, ctx) -> CommentOptions:
        self.check_mandatory(state)
        # XTTYPE_STRING into a 256-byte field: the rest is cut off.
        return CommentOptions(_text(state["comment"].encode("utf-8", "surrogateescape")[:XT_MAX_COMMENT_LEN - 1]))

    def save(self, opts: CommentOptions, ctx) -> str:
        return " --comment" + save_string(opts.comment)

    def payload_of(self, options, ctx) -> bytes:
        if len(options) != 1 or options[0][2]:
            return super().payload_of(options, ctx)
        # finish() keeps what comes before a NUL and encode() gives those very bytes back.
        raw = options[0][1][0].encode("utf-8", "surrogateescape")[:XT_MAX_COMMENT_LEN - 1].partition(b"\0")[0]
        return raw + bytes(self.payload_size - len(raw))

    def listing(self, opts: CommentOptions, ctx) -> str:
        return f" /* {opts.comment} */"


EXTENSIONS = (Comment(),)
