"""A transparent TCP proxy: relays each connection a REDIRECT rule hands it to where its client was going.

    iptables -t nat -A PREROUTING -i eth1 -p tcp --dport 80 -j REDIRECT --to-ports 3128
    ip6tables -t nat -A PREROUTING -i eth1 -p tcp --dport 80 -j REDIRECT --to-ports 3128
    python3 examples/transparent_proxy.py --port 3128

The client believes it talks to the server it named; the kernel sends the
connection to this listener instead, and ``sockctl.original_dst`` tells the
proxy which server that was (SO_ORIGINAL_DST). The proxy connects there
itself (its own connection leaves through OUTPUT, which the PREROUTING
rule does not touch) and copies bytes both ways. One line per connection
goes to standard output: ``CLIENT -> ORIGINAL DESTINATION``.
"""

import argparse
import socket
import sys
import threading

from sockctl.errors import Error
from sockctl.original_dst import original_destination


def pump(source: socket.socket, sink: socket.socket) -> None:
    """Copy SOURCE to SINK until SOURCE ends, then end SINK's sending side."""
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        try:
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def relay(client: socket.socket, peer) -> None:
    with client:
        try:
            address, port = original_destination(client)
        except Error as exc:
            print(f"{peer[0]}:{peer[1]} -> ? ({exc})", flush=True)
            return
        print(f"{peer[0]}:{peer[1]} -> {address}:{port}", flush=True)
        try:
            upstream = socket.create_connection((str(address), port), timeout=10)
        except OSError as exc:
            print(f"{address}:{port}: {exc.strerror}", file=sys.stderr, flush=True)
            return
        with upstream:
            upstream.settimeout(None)
            back = threading.Thread(target=pump, args=(upstream, client), daemon=True)
            back.start()
            pump(client, upstream)
            back.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=3128, help="the port the REDIRECT rules send to")
    parser.add_argument("--listen", default="::", help="address to listen on (:: takes IPv4 and IPv6)")
    opts = parser.parse_args()
    family = socket.AF_INET6 if ":" in opts.listen else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        listener.bind((opts.listen, opts.port))
        listener.listen(64)
        print(f"listening on port {opts.port}", flush=True)
        while True:
            client, peer = listener.accept()
            threading.Thread(target=relay, args=(client, peer), daemon=True).start()


if __name__ == "__main__":
    main()
