"""What the x_tables socket options are handed, without privileges (the socket call is replaced)."""

import struct

from sockctl import channel
from sockctl.netfilter import kernel


def test_add_counters_packs_each_pair_and_wraps_negative_differences(monkeypatch):
    sent = []
    monkeypatch.setattr(kernel.Family, "socket", lambda self: None)
    monkeypatch.setattr(channel, "setsockopt", lambda sock, level, option, data, *rest: sent.append(data))
    kernel.add_counters(kernel.IPV4, "filter", [(1, 2), (3, 4)])
    kernel.add_counters(kernel.IPV4, "filter", [(5, -1), (0, 2 ** 64)])
    # struct xt_counters_info: name[32], num_counters, padding to 8; then struct xt_counters { u64 pcnt, bcnt; }
    head = struct.pack("=32sI4x", b"filter", 2)
    assert sent[0] == head + struct.pack("=4Q", 1, 2, 3, 4)
    assert sent[1] == head + struct.pack("=4Q", 5, 2 ** 64 - 1, 0, 0)
