"""struct dlci_add against C: its header left the kernel with frame relay, so the
declaration sockctl quotes is compiled here with the UAPI's IFNAMSIZ."""

import shutil
import struct
import subprocess

from sockctl.abi import if_frad


def test_dlci_add_layout_matches_the_quoted_declaration(tmp_path):
    source = ("#include <linux/if.h>\n#include <stddef.h>\n#include <stdio.h>\n"
              + if_frad.DLCI_ADD_DECLARATION
              + 'int main(void)\n{\n'
                '    printf("%zu %zu %zu %zu\\n", sizeof(struct dlci_add), offsetof(struct dlci_add, devname),\n'
                '           offsetof(struct dlci_add, dlci), sizeof(((struct dlci_add *)0)->dlci));\n'
                '    return 0;\n}\n')
    gcc = shutil.which("gcc")
    assert gcc, "gcc is needed for the ABI test (scripts/test installs it)"
    (tmp_path / "dlci.c").write_text(source)
    subprocess.run([gcc, "-Wall", "-Werror", "-o", str(tmp_path / "dlci"), str(tmp_path / "dlci.c")], check=True)
    size, name_at, dlci_at, dlci_size = map(int, subprocess.run(
        [str(tmp_path / "dlci")], check=True, capture_output=True, text=True).stdout.split())
    packed = if_frad.DLCI_ADD.pack(b"abc", 0x1234)
    assert if_frad.DLCI_ADD.size == size
    assert name_at == 0 and packed[:3] == b"abc"
    assert dlci_size == 2 and packed[dlci_at:dlci_at + 2] == struct.pack("=h", 0x1234)
