"""The original destination of a NATed connection (linux/netfilter_ipv4.h, linux/netfilter_ipv6/ip6_tables.h).

Connection tracking registers SO_ORIGINAL_DST as a get-option at level
SOL_IP (IPPROTO_IP) and IP6T_SO_ORIGINAL_DST at level SOL_IPV6
(IPPROTO_IPV6); on a TCP or SCTP socket they answer the destination the
connection's first packet carried before a REDIRECT or DNAT rewrote it, as
a ``struct sockaddr_in`` (exactly 16 bytes asked) or a ``struct
sockaddr_in6`` (``sockctl.abi.inet`` has both).
"""

C_HEADERS = ["sys/socket.h", "linux/netfilter_ipv4.h", "linux/netfilter_ipv6/ip6_tables.h"]

SO_ORIGINAL_DST = 80
IP6T_SO_ORIGINAL_DST = 80
