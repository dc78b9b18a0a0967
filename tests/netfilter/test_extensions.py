"""Each extension codec both ways: options -> payload, payload -> save text and -L text.

Payloads are packed here from the C structs' field order (linux/netfilter/*.h)
with values worked out by hand; texts are iptables 1.8.9's formats as its
extensions print them. No privileges: the kernel's revisions come from a
stand-in that answers as a 6.x kernel does.
"""

import struct

import pytest
from hypothesis import given, settings, strategies as st

from sockctl.errors import DecodeError
from sockctl.netfilter import command, extensions
from sockctl.netfilter.extensions.base import Context
from sockctl.netfilter.xtables import RuleError

from nfstub import V4, V6, Kernel

def pad(data: bytes) -> bytes:
    return data + bytes(-len(data) % 8)


def tcp(spts=(0, 0xFFFF), dpts=(0, 0xFFFF), option=0, mask=0, cmp=0, inv=0):
    return pad(struct.pack("=HHHHBBBB", *spts, *dpts, option, mask, cmp, inv))


def udp(spts=(0, 0xFFFF), dpts=(0, 0xFFFF), inv=0):
    return pad(struct.pack("=HHHHBx", *spts, *dpts, inv))


def icmp(type_, codes=(0, 0xFF), inv=0):
    return pad(struct.pack("=BBBB", type_, *codes, inv))


def conntrack3(match_flags, invert_flags=0, state=0, status=0, l4proto=0, addrs=None, ports=(0, 0, 0, 0),
               highs=(0, 0, 0, 0), expires=(0, 0)):
    addrs = addrs or [bytes(16)] * 8
    return pad(struct.pack("=" + "16s" * 8 + "IIHHHHHHHHHHHHH2x", *addrs, *expires, l4proto, *ports,
                           match_flags, invert_flags, state, status, *highs))



def mp(flags, count, ports, pflags=(), invert=0):
    ports = list(ports) + [0] * (15 - len(ports))
    pflags = list(pflags) + [0] * (15 - len(pflags))
    return pad(struct.pack("=BB15H15BB", flags, count, *ports, *pflags, invert))


def log(level=4, flags=0, prefix=b""):
    return pad(struct.pack("=BB30s", level, flags, prefix))


def compat(flags, low=b"\0" * 4, high=b"\0" * 4, pmin=0, pmax=0):
    """nf_nat_ipv4_multi_range_compat: rangesize 1 and one range; ports in network order."""
    return pad(struct.pack("=II4s4s", 1, flags, low, high) + struct.pack("!HH", pmin, pmax))


def range2(flags, low=bytes(16), high=bytes(16), pmin=0, pmax=0, base=0):
    return pad(struct.pack("=I16s16s", flags, low, high) + struct.pack("!HHH", pmin, pmax, base) + b"\0\0")


def nrange(flags, low=bytes(16), high=bytes(16), pmin=0, pmax=0):
    return pad(struct.pack("=I16s16s", flags, low, high) + struct.pack("!HH", pmin, pmax))


A4 = bytes([10, 0, 0, 1]) + bytes(12)
ONES = b"\xff" * 16
V6ADDR = bytes.fromhex("20010db8000000000000000000000001")

# (family, options, kind, kernel name, revision, payload, iptables-save text, -L -n text)
CASES = [
    (V4, "-p tcp --dport 22", "match", "tcp", 0, tcp(dpts=(22, 22)), " --dport 22", " tcp dpt:22"),
    (V4, "-p tcp ! --sport 1000:2000", "match", "tcp", 0, tcp(spts=(1000, 2000), inv=1),
     " ! --sport 1000:2000", " tcp spts:!1000:2000"),
    (V4, "-p tcp --dport :80", "match", "tcp", 0, tcp(dpts=(0, 80)), " --dport 0:80", " tcp dpts:0:80"),
    (V4, "-p tcp --syn", "match", "tcp", 0, tcp(mask=0x17, cmp=0x02), " --tcp-flags FIN,SYN,RST,ACK SYN",
     " tcp flags:0x17/0x02"),
    (V4, "-p tcp ! --tcp-flags ALL NONE", "match", "tcp", 0, tcp(mask=0x3F, inv=4),
     " ! --tcp-flags FIN,SYN,RST,PSH,ACK,URG NONE", " tcp flags:!0x3F/0x00"),
    (V4, "-p tcp --tcp-option 2", "match", "tcp", 0, tcp(option=2), " --tcp-option 2", " tcp option=2"),
    (V4, "-p tcp -m tcp --dport 0x10", "match", "tcp", 0, tcp(dpts=(16, 16)), " --dport 16", " tcp dpt:16"),
    (V4, "-p udp --sport 53 --dport 1024:", "match", "udp", 0, udp((53, 53), (1024, 65535)),
     " --sport 53 --dport 1024:65535", " udp spt:53 dpts:1024:65535"),
    (V6, "-p udp ! --dport 5:6", "match", "udp", 0, udp(dpts=(5, 6), inv=2), " ! --dport 5:6",
     " udp dpts:!5:6"),
    (V4, "-p icmp --icmp-type echo-request", "match", "icmp", 0, icmp(8), " --icmp-type 8", " icmptype 8"),
    (V4, "-p icmp ! --icmp-type 3/4", "match", "icmp", 0, icmp(3, (4, 4), 1), " ! --icmp-type 3/4",
     " icmp !type 3 code 4"),
    (V4, "-p icmp -m icmp --icmp-type any", "match", "icmp", 0, icmp(0xFF), " --icmp-type any",
     " icmptype 255"),
    (V6, "-p ipv6-icmp --icmpv6-type neighbour-solicitation", "match", "icmp6", 0, icmp(135, inv=0),
     " --icmpv6-type 135", " ipv6-icmptype 135"),
    (V6, "-p icmpv6 -m icmpv6 ! --icmpv6-type 1/3", "match", "icmp6", 0, icmp(1, (3, 3), 1),
     " ! --icmpv6-type 1/3", " ipv6-icmp !type 1 code 3"),
    (V4, "-m comment --comment hello", "match", "comment", 0, pad(b"hello".ljust(256, b"\0")),
     " --comment hello", " /* hello */"),
    (V4, "-m comment --comment 'say \"hi\" there'", "match", "comment", 0,
     pad(b'say "hi" there'.ljust(256, b"\0")), ' --comment "say \\"hi\\" there"', ' /* say "hi" there */'),
    (V4, "-m mark --mark 0x10/0xff", "match", "mark", 1, pad(struct.pack("=IIB", 0x10, 0xFF, 0)),
     " --mark 0x10/0xff", " mark match 0x10/0xff"),
    (V6, "-m mark ! --mark 7", "match", "mark", 1, pad(struct.pack("=IIB", 7, 0xFFFFFFFF, 1)),
     " ! --mark 0x7", " mark match ! 0x7"),
    (V4, "-m conntrack --ctstate ESTABLISHED,RELATED", "match", "conntrack", 3, conntrack3(1, state=0x06),
     " --ctstate RELATED,ESTABLISHED", " ctstate RELATED,ESTABLISHED"),
    (V4, "-m conntrack ! --ctstate NEW --ctproto tcp", "match", "conntrack", 3,
     conntrack3(0x3, 0x1, state=0x08, l4proto=6), " ! --ctstate NEW --ctproto 6", " ! ctstate NEW ctproto 6"),
    (V4, "-m conntrack --ctorigsrc 10.0.0.1 --ctstatus ASSURED", "match", "conntrack", 3,
     conntrack3(0x44, status=4, addrs=[A4, ONES] + [bytes(16)] * 6), " --ctorigsrc 10.0.0.1 --ctstatus ASSURED",
     " ctorigsrc 10.0.0.1 ctstatus ASSURED"),
    (V4, "-m conntrack --ctorigdstport 80:90 --ctexpire 5:10 --ctdir REPLY", "match", "conntrack", 3,
     conntrack3(0x1280, 0x1000, ports=(0, 80, 0, 0), highs=(0, 90, 0, 0), expires=(5, 10)),
     " --ctorigdstport 80:90 --ctexpire 5:10 --ctdir REPLY", " ctorigdstport 80:90 ctexpire 5:10 ctdir REPLY"),
    (V6, "-m conntrack --ctreplsrc 2001:db8::1/64", "match", "conntrack", 3,
     conntrack3(0x10, addrs=[bytes(16)] * 4 + [V6ADDR, b"\xff" * 8 + bytes(8)] + [bytes(16)] * 2),
     " --ctreplsrc 2001:db8::1/64", " ctreplsrc 2001:db8::1/64"),
    (V4, "-m state --state NEW,UNTRACKED", "match", "conntrack", 3, conntrack3(0x2001, state=0x108),
     " --state NEW,UNTRACKED", " state NEW,UNTRACKED"),
    (V4, "-m state ! --state INVALID", "match", "conntrack", 3, conntrack3(0x2001, 1, state=1),
     " ! --state INVALID", " ! state INVALID"),
    (V4, "-p tcp -m multiport --dports 80,443,8000:8080", "match", "multiport", 1,
     mp(1, 4, (80, 443, 8000, 8080), (0, 0, 1)), " --dports 80,443,8000:8080",
     " multiport dports 80,443,8000:8080"),
    (V4, "-p udp -m multiport ! --ports 53", "match", "multiport", 1, mp(2, 1, (53,), invert=1),
     " ! --ports 53", " multiport ports  !53"),
    (V4, "-j MARK --set-mark 0x5/0xff", "target", "MARK", 2, pad(struct.pack("=II", 5, 0xFF)),
     " --set-xmark 0x5/0xff", " MARK xset 0x5/0xff"),
    (V4, "-j MARK --and-mark 0xf0", "target", "MARK", 2, pad(struct.pack("=II", 0, 0xFFFFFF0F)),
     " --set-xmark 0x0/0xffffff0f", " MARK and 0xf0"),
    (V6, "-j MARK --or-mark 3", "target", "MARK", 2, pad(struct.pack("=II", 3, 3)), " --set-xmark 0x3/0x3",
     " MARK or 0x3"),
    (V4, "-j MARK --xor-mark 9", "target", "MARK", 2, pad(struct.pack("=II", 9, 0)), " --set-xmark 0x9/0x0",
     " MARK xor 0x9"),
    (V4, "-j MARK --set-xmark 1", "target", "MARK", 2, pad(struct.pack("=II", 1, 0xFFFFFFFF)),
     " --set-xmark 0x1/0xffffffff", " MARK set 0x1"),
    (V4, "-j LOG", "target", "LOG", 0, log(), "", " LOG flags 0 level 4"),
    (V4, "-j LOG --log-prefix 'in: ' --log-level info --log-uid --log-tcp-options", "target", "LOG", 0,
     log(6, 0x0A, b"in: "), ' --log-prefix "in: " --log-level 6 --log-tcp-options --log-uid',
     ' LOG flags 10 level 6 prefix "in: "'),
    (V4, "-j REJECT", "target", "REJECT", 0, pad(struct.pack("=I", 3)), " --reject-with icmp-port-unreachable",
     " reject-with icmp-port-unreachable"),
    (V4, "-p tcp -j REJECT --reject-with tcp-rst", "target", "REJECT", 0, pad(struct.pack("=I", 7)),
     " --reject-with tcp-reset", " reject-with tcp-reset"),
    (V6, "-j REJECT --reject-with adm-prohibited", "target", "REJECT", 0, pad(struct.pack("=I", 1)),
     " --reject-with icmp6-adm-prohibited", " reject-with icmp6-adm-prohibited"),
    (V6, "-j REJECT", "target", "REJECT", 0, pad(struct.pack("=I", 4)), " --reject-with icmp6-port-unreachable",
     " reject-with icmp6-port-unreachable"),
    (V4, "-p tcp -j DNAT --to-destination 10.0.0.1:8080", "target", "DNAT", 2,
     range2(0x3, A4, A4, 8080, 8080), " --to-destination 10.0.0.1:8080", " to:10.0.0.1:8080"),
    (V4, "-p tcp -j DNAT --to 10.0.0.1:1000-2000/1500 --random", "target", "DNAT", 2,
     range2(0x27, A4, A4, 1000, 2000, 1500), " --to-destination 10.0.0.1:1000-2000/1500 --random",
     " to:10.0.0.1:1000-2000/1500 random"),
    (V6, "-p udp -j DNAT --to-destination [2001:db8::1]:53", "target", "DNAT", 2,
     range2(0x3, V6ADDR, V6ADDR, 53, 53), " --to-destination [2001:db8::1]:53", " to:[2001:db8::1]:53"),
    (V4, "-j SNAT --to-source 10.0.0.1-10.0.0.9 --persistent", "target", "SNAT", 0,
     compat(0x9, A4[:4], bytes([10, 0, 0, 9])), " --to-source 10.0.0.1-10.0.0.9 --persistent",
     " to:10.0.0.1-10.0.0.9 persistent"),
    (V6, "-j SNAT --to-source 2001:db8::1", "target", "SNAT", 1, nrange(0x1, V6ADDR, V6ADDR),
     " --to-source 2001:db8::1", " to:2001:db8::1"),
    (V4, "-p tcp -j MASQUERADE --to-ports 1024-2048 --random-fully", "target", "MASQUERADE", 0,
     compat(0x12, pmin=1024, pmax=2048), " --to-ports 1024-2048 --random-fully",
     " masq ports: 1024-2048 random-fully"),
    (V6, "-j MASQUERADE", "target", "MASQUERADE", 0, nrange(0), "", ""),
    (V4, "-p tcp -j REDIRECT --to-ports 3128", "target", "REDIRECT", 0, compat(0x2, pmin=3128, pmax=3128),
     " --to-ports 3128", " redir ports 3128"),
    (V6, "-p tcp -j REDIRECT --to-ports 80-81 --random", "target", "REDIRECT", 0, nrange(0x6, pmin=80, pmax=81),
     " --to-ports 80-81 --random", " redir ports 80-81 random"),
]


def _parse(family, options):
    import shlex

    chain = "POSTROUTING" if "SNAT" in options or "MASQUERADE" in options else "PREROUTING"
    table = "nat" if any(t in options for t in ("NAT", "MASQUERADE", "REDIRECT")) else "mangle"
    return command.parse(["-A", chain] + shlex.split(options), family, Kernel(), table)


@pytest.mark.parametrize("family, options, kind, name, revision, payload, save, listing", CASES,
                         ids=[c[1] for c in CASES])
def test_extension_both_ways(family, options, kind, name, revision, payload, save, listing):
    spec = _parse(family, options).spec
    found = [m for m in spec.matches if m.name == name] if kind == "match" else [spec.target]
    assert found and found[0] is not None
    ext = found[0]
    assert (ext.name, ext.revision, ext.data) == (name, revision, payload)
    codec = extensions.for_payload(kind, name, revision, family)
    opts = codec.decode(payload)
    ctx = Context(family, spec.proto, spec.invflags, numeric=True)
    assert codec.save(opts, ctx) == save
    assert codec.listing(opts, ctx) == listing
    assert codec.payload(opts) == payload


BAD = [
    (V4, "-p tcp --dport 99999", "invalid port/service `99999' specified"),
    (V4, "-p tcp --sport 9:8", "invalid portrange (min > max)"),
    (V4, "-p tcp --tcp-flags SYN", "--tcp-flags requires two args."),
    (V4, "-p tcp --tcp-flags SYN,BOGUS SYN", "Unknown TCP flag `BOGUS'"),
    (V4, "-p tcp --dport 1 --dport 2", "Only one `--destination-port' allowed"),
    (V4, "-p udp --dport nosuchservice", 'Port "nosuchservice" does not resolve to anything.'),
    (V4, "-p icmp --icmp-type echo", "Ambiguous ICMP type `echo'"),
    (V4, "-p icmp --icmp-type 3/x", "Unknown ICMP code `3/x'"),
    (V4, "-m icmp -p icmp", 'icmp: option "--icmp-type" must be specified'),
    (V4, "-m comment", 'comment: option "--comment" must be specified'),
    (V4, "-m mark --mark 0x1/0x2/3", 'mark: trailing garbage after value for option "--mark".'),
    (V4, "-m mark --mark nope", 'mark: bad integer value for option "--mark", or out of range.'),
    (V4, "-m conntrack", "conntrack: At least one option is required"),
    (V4, "-m conntrack --ctstate NEW,", 'Bad ctstate ""'),
    (V4, "-m conntrack --ctdir SIDEWAYS", 'conntrack: Bad value for "--ctdir" option: "SIDEWAYS"'),
    (V4, "-m conntrack --ctexpire 1:2:3", 'Too many components for option "--ctexpire"'),
    (V4, "-m state --state NEW,", '"--state" requires a list of states with no spaces'),
    (V4, "-m state --state FOO", 'Bad state "FOO"'),
    (V4, "-m multiport --dports 80", "multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'"),
    (V4, "-p icmp -m multiport --dports 80", "multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP"),
    (V4, "-p tcp -m multiport --dports 2:1", "invalid portrange specified"),
    (V4, "-p tcp -m multiport --sports 1 --dports 2", 'option "--dports" cannot be used together with'),
    (V4, "-j MARK", "MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required"),
    (V4, "-j MARK --set-mark 1 --or-mark 2", 'MARK: option "--or-mark" cannot be used together with'),
    (V4, "-j LOG --log-level 8", 'log level "8" unknown'),
    (V4, "-j LOG --log-prefix ''", "Argument must have a minimum length of 1 characters"),
    (V4, "-j REJECT --reject-with bogus", 'unknown reject type "bogus"'),
    (V4, "-j DNAT", 'DNAT: option "--to-destination" must be specified'),
    (V4, "-j DNAT --to-destination 10.0.0.1:80", "Need TCP, UDP, SCTP or DCCP with port specification"),
    (V4, "-p tcp -j REDIRECT --to-ports 80:90", "Invalid port:port syntax - use dash"),
    (V4, "-p tcp -j DNAT --to-destination 10.0.0.1:80:90", 'Bad IP address "10.0.0.1:80:90"'),
    (V4, "-p tcp -j DNAT --to-destination 10.0.0.1:90-80", "Port range `80' funky"),
    (V4, "-j SNAT --to-source 10.0.0.999", 'Bad IP address "10.0.0.999"'),
    (V4, "-j SNAT --to-source [10.0.0.1]", "Invalid address format"),
    (V4, "-p tcp -j REDIRECT --to-ports 1-2/3", "Shifted portmap ranges not supported with this kernel"),
    (V4, "-m quota --quota 10", "match `quota' has no codec in sockctl"),
]


@pytest.mark.parametrize("family, options, message", BAD, ids=[c[1] for c in BAD])
def test_extension_refuses(family, options, message):
    with pytest.raises(RuleError) as caught:
        _parse(family, options)
    assert message in str(caught.value)


def test_every_codec_round_trips_its_default_payload():
    """decode(zeros) re-encodes to zeros for every registered codec (no field lost or invented)."""
    for kind, name in extensions.MODULES:
        for family in (V4, V6):
            for revision in range(4):
                codec = extensions.for_payload(kind, name, revision, family)
                if codec is not None:
                    zeros = bytes(codec.payload_size)
                    assert codec.payload(codec.decode(zeros)) == zeros, (kind, name, revision, family)


def test_every_codec_has_the_size_of_its_abi_struct():
    """Each codec's struct layout is as large as the ctypes structure the ABI test checks against C."""
    import ctypes

    for kind, name in extensions.MODULES:
        for ext in extensions._candidates(kind, name):
            assert ext.c_struct is not None, (kind, name, ext.revision)
            assert ext.size == ctypes.sizeof(ext.c_struct), (kind, name, ext.revision)


ALL_CODECS = [codec for kind, name in extensions.MODULES for codec in extensions._candidates(kind, name)]


@pytest.mark.parametrize("codec", ALL_CODECS, ids=lambda c: f"{c.name}-{c.revision}-{c.family}-{c.user_name}")
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_any_payload_of_the_right_size_decodes_and_prints(codec, data):
    """Corrupted kernel data never crashes a listing: every payload of the right size reads and prints,
    and one of another size is refused."""
    payload = data.draw(st.binary(min_size=codec.payload_size, max_size=codec.payload_size))
    opts = codec.decode(payload)
    # -n only: names would be looked up (the -L without -n runs inside test namespaces, in tests/cli).
    ctx = Context(codec.family or V4, data.draw(st.sampled_from([0, 6, 17, 1, 58])), 0, True)
    assert isinstance(codec.save(opts, ctx), str) and isinstance(codec.listing(opts, ctx), str)
    with pytest.raises(DecodeError):
        codec.decode(payload[:-8])
