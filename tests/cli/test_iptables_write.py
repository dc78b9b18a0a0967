"""Changes made by sockctl iptables/ip6tables against the same changes made by iptables-legacy.

Twin namespaces start from the corpus; each command runs in both, one
through the peer tool and one through sockctl, and after every step the
kernel's tables (geometry and blob, counters included) must be identical,
as must the exit status.
"""

import pytest

import ipt
import nstest

STEPS4 = [
    "-N web", "-N aa", "-N zz",
    "-A INPUT -p tcp --dport 80 -j web",
    "-A INPUT -p tcp -m multiport --dports 22,443 -j ACCEPT",
    "-I INPUT -s 10.0.0.0/8,192.168.0.0/16 -j DROP",
    "-I INPUT 2 -i lo -j ACCEPT",
    "-I services 3 -p udp --sport 5000:5100 -j RETURN",
    "-A web -m conntrack --ctstate NEW -m comment --comment 'new web' -j LOG --log-prefix 'web '",
    "-A web -j RETURN",
    "-R INPUT 1 -s 10.1.0.0/16 -j DROP",
    "-D INPUT -s 192.168.0.0/16 -j DROP",
    "-D INPUT -p tcp --dport 80 -j web",
    "-A FORWARD -o eth0 -m mark ! --mark 0x10/0xf0 -g zz",
    "-D INPUT 2",
    "-E aa bb",
    "-A OUTPUT -p udp --sport 53 -j bb",
    "-E bb aa2",
    "-P FORWARD ACCEPT",
    "-P OUTPUT DROP -c 10 20",
    "-C web -j RETURN",
    "-C web -j DROP",
    "-Z INPUT",
    "-Z services 2",
    "-L -Z LOGDROP",
    "-A INPUT -c 100 2000 -j ACCEPT",
    "-t nat -A POSTROUTING -o eth+ -j MASQUERADE",
    "-t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.5:80",
    "-t nat -I PREROUTING -p udp --dport 53 -j REDIRECT --to-ports 5353",
    "-t nat -F portfw",
    "-t nat -D PREROUTING 1",
    "-t mangle -A PREROUTING -j MARK --or-mark 0x4",
    "-t mangle -Z",
    "-t raw -A PREROUTING -p icmp --icmp-type echo-request -j ACCEPT",
    "-A INPUT -m limit --limit 5/min -j LOG --log-prefix 'lim '",
    "-C INPUT -m limit --limit 5/min -j LOG --log-prefix 'lim '",
    "-D INPUT -m limit --limit 5/min -j LOG --log-prefix 'lim '",
    "-I INPUT 3 -m hashlimit --hashlimit-upto 5/s --hashlimit-name h1 -m length --length 40:60 -j ACCEPT",
    "-D INPUT -m hashlimit --hashlimit-upto 5/s --hashlimit-name h1 -m length --length 40:60 -j ACCEPT",
    "-D INPUT -p tcp -m tcp --dport 22 -m recent --set --name ssh --rsource",
    "-A INPUT -m recent --rcheck --name ssh -m iprange --src-range 10.0.0.1-10.0.0.9 -j DROP",
    "-A INPUT -m addrtype --dst-type BROADCAST -m pkttype --pkt-type broadcast -m mac --mac-source 0:1:2:3:4:5",
    "-A OUTPUT -m owner --uid-owner root -j NFQUEUE --queue-num 3",
    "-t raw -A PREROUTING -p udp --dport 69 -j CT --zone 4",
    "-t raw -D PREROUTING -i lo -j NOTRACK",
    "-t raw -I OUTPUT -j NOTRACK",
    "-t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu",
    "-t mangle -R INPUT 1 -m connmark --mark 0x3 -j CONNMARK --restore-mark",
    "-t mangle -A OUTPUT -m ttl --ttl-lt 3 -m tos --tos Minimize-Cost -m dscp --dscp 8 -j TTL --ttl-set 3",
    "-t mangle -D PREROUTING -j TOS --set-tos Maximize-Throughput",
    "-t mangle -A FORWARD -m physdev --physdev-in eth1 -j DSCP --set-dscp-class AF21",
    "-t nat -A PREROUTING -d 10.99.0.0/16 -j NETMAP --to 10.98.0.0/16",
    "-F zz", "-X zz", "-X web", "-F web", "-X web",
    "-F", "-X",
    "-t nat -X",
]
STEPS6 = [
    "-N svc",
    "-A INPUT -s 2001:db8::/32 -d ::1 -p tcp --dport 22 -j ACCEPT",
    "-A INPUT -p icmpv6 --icmpv6-type echo-request -j ACCEPT",
    "-I INPUT ! -s fe80::/10 -i eth0 -j svc",
    "-A svc -m conntrack --ctstate ESTABLISHED --ctorigsrc 2001:db8::1 -j ACCEPT",
    "-A svc -p tcp -j REJECT --reject-with tcp-reset",
    "-D INPUT 1",
    "-R INPUT 1 -s 2001:db8::1 -j DROP",
    "-t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination [2001:db8::5]:8080",
    "-t nat -A POSTROUTING -j MASQUERADE --random-fully",
    "-t mangle -A POSTROUTING -j MARK --set-mark 0x7/0xff",
    "-A INPUT -m hl --hl-eq 255 -m limit --limit 1/s -j ACCEPT",
    "-t mangle -A PREROUTING -j HL --hl-dec 1",
    "-D INPUT -m iprange --src-range 2001:db8::1-2001:db8::ff -j ACCEPT",
    "-t nat -A PREROUTING -d 2001:db8:9::/64 -j NETMAP --to 2001:db8:8::/64",
    "-t raw -A PREROUTING -j CT --ctevents new --zone-reply mark",
    "-Z", "-F svc", "-X svc",
]


@pytest.mark.parametrize("family, steps", [(4, STEPS4), (6, STEPS6)], ids=["iptables", "ip6tables"])
def test_changes_match_the_peer(family, steps):
    import shlex

    if not nstest.IS_ROOT:
        pytest.skip("needs root to create network namespaces (CI runs the suite as root)")
    with nstest.netns("iptwpeer") as peer, nstest.netns("iptwmine") as mine:
        with open(ipt.CORPUS[family], "rb") as f:
            text = f.read()
        for ns in (peer, mine):
            ipt.peer_restore(ns, family, text, "-c")
        for step in steps:
            args = shlex.split(step)
            expected = peer.exec(ipt.PEER[family], *args)
            result = ipt.sockctl(mine, ipt.OURS[family], *args)
            assert (step, result.returncode) == (step, expected.returncode), result.stderr
            assert result.stdout == expected.stdout, step
            assert ipt.blobs(mine, family) == ipt.blobs(peer, family), step


def test_library_calls_match_the_peer():
    """sockctl.netfilter.tables, called directly, makes the rules iptables makes."""
    from ipaddress import IPv4Address

    from sockctl import channel
    from sockctl.netfilter import tables
    from sockctl.netfilter.model import ACCEPT, IPv4Header, Rule, Verdict

    if not nstest.IS_ROOT:
        pytest.skip("needs root to create network namespaces (CI runs the suite as root)")
    with nstest.netns("iptlpeer") as peer, nstest.netns("iptlmine") as mine:
        for args in (["-N", "web"], ["-A", "INPUT", "-s", "10.0.0.1", "-j", "ACCEPT"], ["-P", "FORWARD", "DROP"],
                     ["-I", "web", "-j", "ACCEPT"]):
            peer.exec("iptables-legacy", *args, check=True)
        rule = Rule(IPv4Header.make(src=IPv4Address("10.0.0.1"), smsk=IPv4Address("255.255.255.255")), (),
                    Verdict(ACCEPT))
        with channel.netns(mine.name):
            tables.new_chain("filter", "web")
            tables.append_rule("filter", "INPUT", rule)
            tables.set_policy("filter", "FORWARD", "DROP")
            tables.insert_rule("filter", "web", Rule(IPv4Header.make(), (), Verdict(ACCEPT)))
        assert ipt.blobs(mine, 4)["filter"] == ipt.blobs(peer, 4)["filter"]
        with channel.netns(mine.name):
            tables.delete_rule("filter", "INPUT", rule)
            tables.flush("filter")
        peer.exec("iptables-legacy", "-D", "INPUT", "-s", "10.0.0.1", "-j", "ACCEPT", check=True)
        peer.exec("iptables-legacy", "-F", check=True)
        assert ipt.blobs(mine, 4)["filter"] == ipt.blobs(peer, 4)["filter"]
