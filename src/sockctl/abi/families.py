"""Address families, socket types and protocol levels (sys/socket.h, linux/in.h, linux/in6.h).

The values the channel opens sockets with. Defined here rather than taken
from Python's ``socket`` module, whose import alone costs several
milliseconds of start-up.
"""

C_HEADERS = ["sys/socket.h", "linux/in.h", "linux/in6.h"]

AF_UNSPEC = 0
AF_UNIX = 1
AF_INET = 2
AF_INET6 = 10
AF_PACKET = 17

SOCK_STREAM = 1
SOCK_DGRAM = 2
SOCK_RAW = 3
SOCK_CLOEXEC = 0o2000000

SOL_SOCKET = 1

IPPROTO_IP = 0
IPPROTO_ICMP = 1
IPPROTO_TCP = 6
IPPROTO_UDP = 17
IPPROTO_IPV6 = 41
IPPROTO_ICMPV6 = 58
IPPROTO_RAW = 255
