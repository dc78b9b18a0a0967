"""ioctl request number encoding (asm-generic/ioctl.h).

The classic SIOC* requests are fixed numbers (see ``sockios``); private
requests of one's own are built with these helpers, as C does with ``_IOWR()``.
"""

C_HEADERS = ["asm-generic/ioctl.h"]
# Python names cannot start with an underscore and stay public; the C ones do.
C_NAMES = {
    "IOC_NRBITS": "_IOC_NRBITS",
    "IOC_TYPEBITS": "_IOC_TYPEBITS",
    "IOC_SIZEBITS": "_IOC_SIZEBITS",
    "IOC_DIRBITS": "_IOC_DIRBITS",
    "IOC_NONE": "_IOC_NONE",
    "IOC_WRITE": "_IOC_WRITE",
    "IOC_READ": "_IOC_READ",
    "IOC_NRSHIFT": "_IOC_NRSHIFT",
    "IOC_TYPESHIFT": "_IOC_TYPESHIFT",
    "IOC_SIZESHIFT": "_IOC_SIZESHIFT",
    "IOC_DIRSHIFT": "_IOC_DIRSHIFT",
}

IOC_NRBITS = 8
IOC_TYPEBITS = 8
IOC_SIZEBITS = 14
IOC_DIRBITS = 2
IOC_NONE = 0
IOC_WRITE = 1
IOC_READ = 2
IOC_NRSHIFT = 0
IOC_TYPESHIFT = IOC_NRSHIFT + IOC_NRBITS
IOC_SIZESHIFT = IOC_TYPESHIFT + IOC_TYPEBITS
IOC_DIRSHIFT = IOC_SIZESHIFT + IOC_SIZEBITS


def IOC(direction: int, type_: int, nr: int, size: int) -> int:
    """``_IOC(dir, type, nr, size)``."""
    if not 0 <= size < (1 << IOC_SIZEBITS):
        raise ValueError(f"ioctl argument size {size} does not fit in {IOC_SIZEBITS} bits")
    if not 0 <= type_ < (1 << IOC_TYPEBITS) or not 0 <= nr < (1 << IOC_NRBITS):
        raise ValueError("ioctl type and number must each fit in 8 bits")
    return (
        (direction << IOC_DIRSHIFT)
        | (type_ << IOC_TYPESHIFT)
        | (nr << IOC_NRSHIFT)
        | (size << IOC_SIZESHIFT)
    )


def IO(type_: int, nr: int) -> int:
    """``_IO(type, nr)``: no argument."""
    return IOC(IOC_NONE, type_, nr, 0)


def IOR(type_: int, nr: int, size: int) -> int:
    """``_IOR(type, nr, T)`` with ``size`` = sizeof(T): the kernel writes."""
    return IOC(IOC_READ, type_, nr, size)


def IOW(type_: int, nr: int, size: int) -> int:
    """``_IOW(type, nr, T)``: the kernel reads."""
    return IOC(IOC_WRITE, type_, nr, size)


def IOWR(type_: int, nr: int, size: int) -> int:
    """``_IOWR(type, nr, T)``: both directions."""
    return IOC(IOC_READ | IOC_WRITE, type_, nr, size)
