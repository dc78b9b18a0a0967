"""SO_ORIGINAL_DST and IP6T_SO_ORIGINAL_DST on the host kernel, in two test namespaces.

A client namespace routes through a router namespace. In the router,
iptables (legacy) REDIRECT rules send TCP for 10.99.0.9:80 and
[fd99::9]:80 to a local listener on port 8080; the client connects to
those addresses, and the listener asks where the connection was going.
Everything stays within the two namespaces.
"""

import ipaddress
import os
import socket
import subprocess
import sys
import threading

import pytest

import nstest
import sockctl
from sockctl.errors import DecodeError, NotFound, NotSupported
from sockctl.original_dst import decode_sockaddr, original_destination

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER4, SERVER6 = "10.99.0.9", "fd99::9"


@pytest.fixture
def pair():
    """(client namespace, router namespace) wired together, with the REDIRECT rules in the router."""
    with nstest.prepared("odc") as client, nstest.prepared("odr") as router:
        nstest.run(["ip", "link", "add", "c0", "netns", client.name, "type", "veth", "peer", "name", "r0",
                    "netns", router.name])
        client.script("""
            addr add 10.77.0.2/24 dev c0
            addr add fd77::2/64 dev c0 nodad
            link set c0 up
            route add default via 10.77.0.1
            route add default via fd77::1
        """)
        router.script(f"""
            addr add 10.77.0.1/24 dev r0
            addr add fd77::1/64 dev r0 nodad
            link set r0 up
            addr add {SERVER4}/32 dev lo
            addr add {SERVER6}/128 dev lo nodad
        """)
        router.sysctl("net.ipv4.ip_forward", "1")
        for tool, server in (("iptables-legacy", SERVER4), ("ip6tables-legacy", SERVER6)):
            router.exec(tool, "-t", "nat", "-A", "PREROUTING", "-i", "r0", "-p", "tcp", "-d", server,
                        "--dport", "80", "-j", "REDIRECT", "--to-ports", "8080", check=True)
        yield client, router


def listen(router, family=socket.AF_INET6, dual=True):
    with sockctl.netns(router.name):
        listener = socket.socket(family, socket.SOCK_STREAM)
    if family == socket.AF_INET6:
        listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0 if dual else 1)
    listener.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", 8080))
    listener.listen(4)
    listener.settimeout(10)
    return listener


def connect(client, address, port=80):
    with sockctl.netns(client.name):
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(10)
    sock.connect((address, port))
    return sock


@pytest.mark.parametrize("listen_family, server", [
    (socket.AF_INET, SERVER4),
    (socket.AF_INET6, SERVER6),
    (socket.AF_INET6, SERVER4),  # an IPv4 connection on a dual-stack socket: asked at SOL_IP
])
def test_listener_recovers_the_original_destination(pair, listen_family, server):
    client, router = pair
    with listen(router, listen_family) as listener, connect(client, server) as sock:
        conn, peer = listener.accept()
        with conn:
            assert conn.getsockname()[1] == 8080  # the listener's own port: the connection was redirected
            assert ipaddress.ip_address(conn.getsockname()[0].removeprefix("::ffff:")) != ipaddress.ip_address(server)
            assert original_destination(conn) == (ipaddress.ip_address(server), 80)
            assert original_destination(conn.fileno()) == (ipaddress.ip_address(server), 80)
            assert sock.getsockname()[1] == peer[1]


def test_connection_without_conntrack_entry(pair):
    """A socket whose connection conntrack never saw (a UDP socket, a listener) says so in one line."""
    client, router = pair
    with listen(router, socket.AF_INET) as listener:
        with pytest.raises(NotFound, match="connection tracking has no entry"):
            original_destination(listener)
        with sockctl.netns(router.name):
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        with udp, pytest.raises(NotSupported, match="not a TCP or SCTP socket"):
            original_destination(udp)


def test_not_a_socket(tmp_path):
    with open(tmp_path / "f", "w") as f, pytest.raises(OSError, match="not a socket"):
        original_destination(f)


def test_example_proxy_relays_to_the_original_server(pair):
    """examples/transparent_proxy.py: the client reaches the server it named, through the proxy."""
    client, router = pair
    servers = []
    for family, address in ((socket.AF_INET, SERVER4), (socket.AF_INET6, SERVER6)):
        with sockctl.netns(router.name):
            server = socket.socket(family, socket.SOCK_STREAM)
        server.bind((address, 80))
        server.listen(4)
        servers.append(server)

    def answer(server):
        conn, _ = server.accept()
        with conn:
            request = conn.recv(100)
            conn.sendall(b"server " + server.getsockname()[0].encode() + b" got " + request)

    threads = [threading.Thread(target=answer, args=(s,), daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "src"))
    proxy = subprocess.Popen(["ip", "netns", "exec", router.name, sys.executable,
                              os.path.join(ROOT, "examples", "transparent_proxy.py"), "--port", "8080"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proxy.stdout.readline() == "listening on port 8080\n"
        for address in (SERVER4, SERVER6):
            with connect(client, address) as sock:
                sock.sendall(b"ping")
                sock.shutdown(socket.SHUT_WR)
                reply = b"".join(iter(lambda: sock.recv(100), b""))
            assert reply == f"server {address} got ping".encode()
            line = proxy.stdout.readline()
            assert line.endswith(f" -> {address}:80\n"), line
    finally:
        proxy.kill()
        proxy.wait()
        for server in servers:
            server.close()


@pytest.mark.parametrize("raw, expected", [
    (bytes.fromhex("0200") + (80).to_bytes(2, "big") + bytes([10, 99, 0, 9]) + bytes(8),
     (ipaddress.IPv4Address("10.99.0.9"), 80)),
    (bytes.fromhex("0a00") + (443).to_bytes(2, "big") + bytes(4) + ipaddress.IPv6Address("fd99::9").packed + bytes(4),
     (ipaddress.IPv6Address("fd99::9"), 443)),
])
def test_decode_sockaddr(raw, expected):
    assert decode_sockaddr(raw) == expected


@pytest.mark.parametrize("raw", [b"", b"\x02", bytes.fromhex("0200") + bytes(13), bytes.fromhex("0a00") + bytes(14),
                                 bytes.fromhex("0100") + bytes(14)])
def test_decode_sockaddr_refuses(raw):
    with pytest.raises(DecodeError):
        decode_sockaddr(raw)
