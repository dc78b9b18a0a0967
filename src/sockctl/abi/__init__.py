"""The kernel ABI as data: request numbers, flags and ctypes structures.

One module per UAPI header (or small group of headers); each names the headers
it mirrors in ``C_HEADERS`` and keeps the C declaration next to the Python
one. Nothing here makes a system call. ``tests/abi/test_layout.py`` compiles C
against the system's UAPI headers and checks every constant (module-level
upper-case int) and every structure's size, field offsets and field sizes.
"""
