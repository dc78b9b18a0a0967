"""Every constant and structure of sockctl.abi against the kernel's UAPI headers.

For each module of ``sockctl.abi`` a C program is generated that includes the
module's ``C_HEADERS`` and prints the value of every constant the module
defines (module-level upper-case ints; ``C_NAMES`` maps a Python name to a
different C one) and, for every ctypes structure with a ``_c_name_``, its
sizeof and the offset, size and signedness of every field, nested ones too.
gcc compiles it against the system's headers (linux-libc-dev) and the output
is compared with what ctypes says. A wrong layout fails here.
"""

import ctypes
import importlib
import pkgutil
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import sockctl.abi
from sockctl.abi import ioctl

CONSTANT = re.compile(r"[A-Z][A-Z0-9_]*\Z")
SIGNED = (ctypes.c_byte, ctypes.c_short, ctypes.c_int, ctypes.c_long, ctypes.c_longlong)
UNSIGNED = (ctypes.c_ubyte, ctypes.c_ushort, ctypes.c_uint, ctypes.c_ulong, ctypes.c_ulonglong)

MODULES = sorted(m.name for m in pkgutil.iter_modules(sockctl.abi.__path__))
# The UAPI headers of sockctl's own kernel modules (kmod/) sit beside the system's.
KMOD_INCLUDE = Path(__file__).resolve().parents[2] / "kmod" / "include"


def constants(module) -> dict[str, int]:
    return {name: value for name, value in vars(module).items()
            if CONSTANT.match(name) and type(value) is int}


def structures(module) -> list[type]:
    return [obj for obj in vars(module).values()
            if isinstance(obj, type) and issubclass(obj, (ctypes.Structure, ctypes.Union))
            and "_c_name_" in obj.__dict__ and obj.__module__ == module.__name__]


def fields(cls, prefix: str = "", base: int = 0):
    """(C member path, offset, size, signedness or None) for every field, depth first."""
    anonymous = set(getattr(cls, "_anonymous_", ()))
    for spec in cls._fields_:
        name, ftype = spec[0], spec[1]
        if len(spec) > 2:
            continue  # bit fields have no offsetof
        offset = base + getattr(cls, name).offset
        path = prefix if name in anonymous else prefix + name
        if issubclass(ftype, ctypes.Array) and ftype._length_ == 0:
            yield path, offset, None, None  # a flexible array member: offset only
            continue
        if name not in anonymous:
            signed = True if ftype in SIGNED else False if ftype in UNSIGNED else None
            yield path, offset, ctypes.sizeof(ftype), signed
        inner = ftype
        suffix = ""
        while issubclass(inner, ctypes.Array) and inner._length_ > 0:
            suffix += "[0]"
            inner = inner._type_
        if issubclass(inner, (ctypes.Structure, ctypes.Union)):
            sep = "" if name in anonymous else "."
            yield from fields(inner, path + suffix + sep if path + suffix else "", offset)


def c_program(module) -> tuple[str, dict[str, object]]:
    """The C source and the values Python expects for each output line's key."""
    headers = "".join(f"#include <{h}>\n" for h in module.C_HEADERS)
    lines, expected = [], {}
    c_names = getattr(module, "C_NAMES", {})
    for name, value in constants(module).items():
        key = f"const {name}"
        lines.append(f'printf("{key} %lld\\n", (long long)({c_names.get(name, name)}));')
        expected[key] = value
    for cls in structures(module):
        ctype = cls._c_name_
        key = f"sizeof {ctype}"
        lines.append(f'printf("{key} %zu\\n", sizeof({ctype}));')
        expected[key] = ctypes.sizeof(cls)
        for path, offset, size, signed in fields(cls):
            member = f"((({ctype} *)0)->{path})"
            lines.append(f'printf("offsetof {ctype} {path} %zu\\n", offsetof({ctype}, {path}));')
            expected[f"offsetof {ctype} {path}"] = offset
            if size is None:
                continue
            lines.append(f'printf("sizeof {ctype} {path} %zu\\n", sizeof{member});')
            expected[f"sizeof {ctype} {path}"] = size
            if signed is not None:
                lines.append(f'printf("signed {ctype} {path} %d\\n", (int)((__typeof__{member})-1 < 0));')
                expected[f"signed {ctype} {path}"] = int(signed)
    body = "\n    ".join(lines)
    source = f"{headers}#include <stddef.h>\n#include <stdio.h>\n\nint main(void)\n{{\n    {body}\n    return 0;\n}}\n"
    return source, expected


def compile_and_run(source: str, tmp_path) -> dict[str, str]:
    gcc = shutil.which("gcc")
    assert gcc, "gcc is needed for the ABI test (scripts/test installs it)"
    src = tmp_path / "abi.c"
    exe = tmp_path / "abi"
    src.write_text(source)
    subprocess.run([gcc, "-Wall", "-Werror", "-Wno-unused", f"-I{KMOD_INCLUDE}", "-o", str(exe), str(src)],
                   check=True, capture_output=True, text=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    return {line.rsplit(" ", 1)[0]: line.rsplit(" ", 1)[1] for line in out.splitlines()}


@pytest.mark.parametrize("module_name", MODULES)
def test_module_matches_uapi_headers(module_name, tmp_path):
    module = importlib.import_module(f"sockctl.abi.{module_name}")
    assert module.C_HEADERS, f"sockctl.abi.{module_name} names no C header"
    source, expected = c_program(module)
    try:
        actual = compile_and_run(source, tmp_path)
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"C check of sockctl.abi.{module_name} did not compile:\n{exc.stderr}")
    assert expected, f"sockctl.abi.{module_name} defines nothing to check"
    wrong = {k: (v, actual.get(k)) for k, v in expected.items() if str(v) != actual.get(k)}
    assert not wrong, "python value vs C value:\n" + "\n".join(
        f"  {k}: {p} != {c}" for k, (p, c) in wrong.items())


def test_every_structure_is_seen():
    """A structure without _c_name_ would silently escape the check."""
    for module_name in MODULES:
        module = importlib.import_module(f"sockctl.abi.{module_name}")
        for obj in vars(module).values():
            if (isinstance(obj, type) and issubclass(obj, ctypes.Structure)
                    and obj.__module__ == module.__name__ and not obj.__name__.startswith("_")):
                assert "_c_name_" in obj.__dict__, f"{module_name}.{obj.__name__} has no _c_name_"


IOCTL_CASES = [
    # python value, C expression
    (ioctl.IO(0x89, 0x10), "_IO(0x89, 0x10)"),
    (ioctl.IOR(0x89, 0x06, 16), "_IOR(0x89, 0x06, long long[2])"),
    (ioctl.IOW(ord("T"), 0xCA, 4), "_IOW('T', 0xCA, int)"),
    (ioctl.IOWR(ord("X"), 3, 40), "_IOWR('X', 3, struct ifreq)"),
    (ioctl.IOWR(0xFF, 0xFF, (1 << 14) - 1), "_IOWR(0xFF, 0xFF, char[(1 << 14) - 1])"),
]


def test_ioctl_number_helpers(tmp_path):
    lines = [f'printf("case{i} %lu\\n", (unsigned long)({expr}));' for i, (_, expr) in enumerate(IOCTL_CASES)]
    source = ("#include <sys/socket.h>\n#include <linux/if.h>\n#include <linux/ioctl.h>\n#include <stdio.h>\n"
              "int main(void)\n{\n    " + "\n    ".join(lines) + "\n    return 0;\n}\n")
    actual = compile_and_run(source, tmp_path)
    for i, (value, expr) in enumerate(IOCTL_CASES):
        assert str(value) == actual[f"case{i}"], expr


def test_ioctl_helpers_reject_what_does_not_fit():
    with pytest.raises(ValueError):
        ioctl.IOR(0x89, 1, 1 << 14)
    with pytest.raises(ValueError):
        ioctl.IOW(0x100, 1, 4)


def test_checker_catches_a_wrong_layout(tmp_path):
    """The check itself can fail: a struct ifmap with one wrong field type and a wrong constant."""
    import types

    fake = types.ModuleType("fake_abi")

    class ifmap(ctypes.Structure):
        _c_name_ = "struct ifmap"
        _fields_ = [("mem_start", ctypes.c_ulong), ("mem_end", ctypes.c_ulong),
                    ("base_addr", ctypes.c_uint),  # C: unsigned short
                    ("irq", ctypes.c_ubyte), ("dma", ctypes.c_ubyte), ("port", ctypes.c_ubyte)]

    ifmap.__module__ = fake.__name__
    fake.ifmap = ifmap
    fake.C_HEADERS = ["sys/socket.h", "linux/if.h"]
    fake.IFNAMSIZ = 15
    source, expected = c_program(fake)
    actual = compile_and_run(source, tmp_path)
    wrong = {k for k, v in expected.items() if str(v) != actual.get(k)}
    assert {"const IFNAMSIZ", "sizeof struct ifmap base_addr", "offsetof struct ifmap irq"} <= wrong
