"""The words `sockctl sockopt` and `sockctl demo` share: options, numbers and payloads."""

import pytest

from sockctl.cli import payload
from sockctl.errors import InputError


@pytest.mark.parametrize("argv, opts, rest", [
    ([], {}, []),
    (["-x", "-s", "10", "128", "-t"], {"-x": True, "-s": "10"}, ["128", "-t"]),
    (["--", "-x"], {}, ["-x"]),
    (["-", "-x"], {}, ["-", "-x"]),
])
def test_parse_options(argv, opts, rest):
    assert payload.parse_options(argv, ("-x", "-t"), ("-s",)) == (opts, rest)


@pytest.mark.parametrize("argv, message", [(["-q"], "unknown option '-q'"), (["-s"], "-s needs a value")])
def test_parse_options_refuses(argv, message):
    with pytest.raises(InputError) as info:
        payload.parse_options(argv, ("-x",), ("-s",))
    assert str(info.value) == message


@pytest.mark.parametrize("text, value", [("0", 0), ("128", 128), ("0x80", 128), ("0X7fffffff", 2**31 - 1),
                                         ("007", 7)])
def test_number(text, value):
    assert payload.number(text, "option", 0, 2**31 - 1) == value


@pytest.mark.parametrize("text, message", [
    ("", "option '' is not a number"), ("abc", "not a number"), (" 1", "not a number"), ("1_000", "not a number"),
    ("0x", "not a number"), ("0x-5", "not a number"), ("1.5", "not a number"),
    ("-1", "option -1 is out of range (0-2147483647)"), ("2147483648", "out of range"),
])
def test_number_refuses(text, message):
    with pytest.raises(InputError) as info:
        payload.number(text, "option", 0, 2**31 - 1)
    assert message in str(info.value)


@pytest.mark.parametrize("text, hex_digits, data", [
    ("hello", False, b"hello"),
    ("", False, b""),
    ("bl\u00fc", False, b"bl\xc3\xbc"),
    ("0a0B", True, b"\x0a\x0b"),
    ("0x0a0b", True, b"\x0a\x0b"),
    ("de:ad be:ef", True, b"\xde\xad\xbe\xef"),
    ("", True, b""),
])
def test_data(text, hex_digits, data):
    assert payload.data(text, hex_digits) == data


@pytest.mark.parametrize("text", ["abc", "zz", "0x0g"])
def test_data_refuses_what_is_not_hex(text):
    with pytest.raises(InputError) as info:
        payload.data(text, True)
    assert f"{text!r} is not hexadecimal bytes" in str(info.value)


@pytest.mark.parametrize("data, hex_digits, text", [
    (b"hello", False, "hello"), (b"\xff\x00a", False, "\\xff\x00a"), (b"\xff\x00a", True, "ff0061"), (b"", True, ""),
])
def test_text(data, hex_digits, text):
    assert payload.text(data, hex_digits) == text
