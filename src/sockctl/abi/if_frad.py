"""Frame-relay DLCI requests (linux/sockios.h; the structure was linux/if_frad.h).

Frame relay left the kernel in Linux 5.x (the DLCI and SDLA drivers went in
5.16) and linux/if_frad.h with it, so the structure below is quoted from the
last header that had it:

    struct dlci_add {
        char  devname[IFNAMSIZ];
        short dlci;
    };

SIOCADDDLCI takes the master device's name and a DLCI number and, on a kernel
that still has the driver, writes the new DLCI device's name back into
``devname``. SIOCDELDLCI takes the DLCI device's name. tests/abi checks this
layout by compiling the quoted declaration.
"""

import struct

from sockctl.abi.netdevice import IFNAMSIZ
from sockctl.abi.sockios import SIOCADDDLCI, SIOCDELDLCI  # noqa: F401  (checked against linux/sockios.h)

C_HEADERS = ["linux/if.h", "linux/sockios.h"]

DLCI_ADD = struct.Struct(f"@{IFNAMSIZ}sh")

DLCI_ADD_DECLARATION = """
struct dlci_add {
    char  devname[IFNAMSIZ];
    short dlci;
};
"""
