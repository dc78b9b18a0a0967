"""net-tools 2.10 ``arp`` listings, from /proc/net/arp rows.

Pure functions: nothing here asks the kernel anything. The two layouts are
net-tools' arp_disp_2 (the default and -e) and arp_disp (-a); the tests
compare them byte for byte with the real tool. A row is
``arp.parse_proc_arp``'s (address, hwtype, flags, hwaddr, mask, device),
printed with the name the caller worked out for it.
"""

from sockctl import hwtypes

# sockctl.abi.arpreq's values and arp.ATF_MAGIC (a listing does not import
# the former: its structure loads ctypes).
ATF_COM, ATF_PERM, ATF_PUBL, ATF_USETRAILERS, ATF_NETMASK, ATF_DONTPUB, ATF_MAGIC = (
    0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80)

TITLE = "Address                  HWtype  HWaddress           Flags Mask            Iface\n"

_LETTERS = ((ATF_COM, "C"), (ATF_PERM, "M"), (ATF_PUBL, "P"), (ATF_MAGIC, "A"), (ATF_DONTPUB, "!"),
            (ATF_USETRAILERS, "T"))
_WORDS = ((ATF_PERM, "PERM "), (ATF_PUBL, "PUB "), (ATF_MAGIC, "AUTO "), (ATF_DONTPUB, "DONTPUB "),
          (ATF_USETRAILERS, "TRAIL "))

_ETHER = hwtypes.by_name("ether")


def hw_name(hwtype: int) -> str:
    """The name net-tools gives a link type; ``ether`` for one it does not know."""
    hw = hwtypes.by_arphrd(hwtype)
    return (_ETHER if hw is hwtypes.UNSPEC else hw).name


def flag_letters(flags: int) -> str:
    """The Flags column of the default listing."""
    return "".join(letter for bit, letter in _LETTERS if flags & bit)


def _ends(flags: int, mask: str, device: str) -> str:
    mask = mask if flags & ATF_NETMASK else ""
    return f"{flag_letters(flags)[:6]:<6}{mask[:15]:<15} {device}\n"


def linux_style(rows, names) -> str:
    """``arp [-e]``: a title, then a row per entry; NAMES has the first column of each row.

    net-tools prints the title with the first entry: an empty listing has none.
    """
    out = [TITLE] if rows else []
    append = out.append
    hw_texts: dict[int, str] = {}
    ends: dict[tuple, str] = {}
    for name, (_address, hwtype, flags, hwaddr, mask, device) in zip(names, rows):
        if not flags & ATF_COM:
            hw = "*       <from_interface>    " if flags & ATF_PUBL else "        (incomplete)        "
        else:
            kind = hw_texts.get(hwtype)
            if kind is None:
                kind = hw_texts[hwtype] = f"{hw_name(hwtype)[:8]:<8}"
            hw = kind + f"{hwaddr[:20]:<20}"
        key = (flags, mask, device)
        end = ends.get(key)
        if end is None:
            end = ends[key] = _ends(flags, mask, device)
        append(f"{name[:23]:<23}  {hw}{end}")
    return "".join(out)


def bsd_style(rows, names) -> str:
    """``arp -a``: one sentence per entry; NAMES has each row's host name ("?" for none)."""
    out = []
    for name, (address, hwtype, flags, hwaddr, mask, device) in zip(names, rows):
        line = f"{name} ({address}) at "
        if not flags & ATF_COM:
            line += "<from_interface> " if flags & ATF_PUBL else "<incomplete> "
        else:
            line += f"{hwaddr} [{hw_name(hwtype)}] "
        if flags & ATF_NETMASK:
            line += f"netmask {mask} "
        line += "".join(word for bit, word in _WORDS if flags & bit)
        out.append(f"{line}on {device}\n")
    return "".join(out)
