"""Command lines read as glibc's getopt_long reads them (permutation, clusters, prefixes).

Expected results follow getopt(3)'s documented rules; glibc's own wording
for its errors is checked against net-tools' route, which prints it.
"""

import pytest

from sockctl.cli import gnu_getopt

LONG = [("inet", False, "af"), ("inet6", False, "af"), ("numeric", False, "n"), ("protocol", True, "A"),
        ("extend", False, "e"), ("help", False, "h")]


@pytest.mark.parametrize("argv, options, operands", [
    ([], [], []),
    (["-n"], [("n", None)], []),
    (["-nee"], [("n", None), ("e", None), ("e", None)], []),
    (["add", "-n", "x"], [("n", None)], ["add", "x"]),  # permuted
    (["-A", "inet6"], [("A", "inet6")], []),
    (["-Ainet6", "-n"], [("A", "inet6"), ("n", None)], []),
    (["-nAinet"], [("n", None), ("A", "inet")], []),
    (["--numeric", "--protocol=inet6"], [("n", "numeric"), ("A", "inet6")], []),
    (["--proto", "inet6"], [("A", "inet6")], []),  # an unambiguous prefix
    (["--inet6"], [("af", "inet6")], []),
    (["--in"], [("af", "inet")], []),  # several names, one meaning: the first
    (["--", "-n", "x"], [], ["-n", "x"]),
    (["-", "-n"], [("n", None)], ["-"]),
    (["#net", "10.0.0.0/8", "metric", "5"], [], ["#net", "10.0.0.0/8", "metric", "5"]),
])
def test_parse(argv, options, operands):
    assert gnu_getopt.parse(argv, "A:eCFhnN64Vv?", LONG) == (options, operands)


@pytest.mark.parametrize("argv, message", [
    (["-x"], "invalid option -- 'x'"),
    (["-nx"], "invalid option -- 'x'"),
    (["-A"], "option requires an argument -- 'A'"),
    (["--bogus"], "unrecognized option '--bogus'"),
    (["--protocol"], "option '--protocol' requires an argument"),
    (["--numeric=5"], "option '--numeric' doesn't allow an argument"),
    (["--e"], "option '--e' is ambiguous; possibilities: '--extend'"),
    (["-:"], "invalid option -- ':'"),
])
def test_errors(argv, message):
    with pytest.raises(gnu_getopt.OptionError) as info:
        gnu_getopt.parse(argv, "A:eCFhnN64Vv?", LONG + [("eextra", False, "x")])
    assert str(info.value).startswith(message)


@pytest.mark.parametrize("argv, message", [
    (["-x"], b"invalid option -- 'x'"),
    (["--bogus"], b"unrecognized option '--bogus'"),
    (["-A"], b"option requires an argument -- 'A'"),
    (["--protocol"], b"option '--protocol' requires an argument"),
    (["--numeric=1"], b"option '--numeric' doesn't allow an argument"),
])
def test_wording_is_glibcs(argv, message):
    """net-tools route prints glibc's message: the same words."""
    import subprocess

    peer = subprocess.run(["route", *argv], capture_output=True)
    assert peer.stderr.splitlines()[0] == b"route: " + message
    with pytest.raises(gnu_getopt.OptionError) as info:
        gnu_getopt.parse(argv, "A:eCFhnN64Vv?", LONG)
    assert str(info.value).encode() == message
