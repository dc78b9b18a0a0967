"""libpopt's reading of a command line, as ipvsadm's option table sees it (popt.c poptGetNextOpt)."""

import pytest

from sockctl.cli import popt

SHORT = {"L": ("list", popt.NONE), "n": ("numeric", popt.NONE), "t": ("tcp", popt.VALUE),
         "p": ("persistent", popt.OPTIONAL)}
LONG = {"list": ("list", popt.NONE), "tcp-service": ("tcp", popt.VALUE), "persistent": ("persistent", popt.OPTIONAL)}


def read(argv):
    leftovers = []
    found = list(popt.options(argv, SHORT, LONG, leftovers))
    return found, leftovers


@pytest.mark.parametrize("argv, found, leftovers", [
    (["-Ln"], [("list", None, "-Ln"), ("numeric", None, "-Ln")], []),
    (["a", "-L", "b", "--", "-n", "c"], [("list", None, "-L")], ["a", "b", "-n", "c"]),
    (["-", "", "-L"], [("list", None, "-L")], ["-", ""]),
    (["-t1.2.3.4:80"], [("tcp", "1.2.3.4:80", "-t1.2.3.4:80")], []),
    (["-t=1.2.3.4"], [("tcp", "1.2.3.4", "-t=1.2.3.4")], []),
    (["-t", "-n"], [("tcp", "-n", "-n")], []),  # a value is taken whatever it starts with
    (["-Lt", "x"], [("list", None, "-Lt"), ("tcp", "x", "x")], []),
    (["--tcp-service=a:1", "--tcp-service", "b"], [("tcp", "a:1", "--tcp-service=a:1"), ("tcp", "b", "b")], []),
    (["--tcp-service="], [("tcp", "", "--tcp-service=")], []),
    (["-p", "300"], [("persistent", "300", "300")], []),
    (["-p", "-n"], [("persistent", None, "-p"), ("numeric", None, "-n")], []),
    (["-p"], [("persistent", None, "-p")], []),
    (["-p60"], [("persistent", "60", "-p60")], []),
    (["--persistent", "x"], [("persistent", "x", "x")], []),
])
def test_reading(argv, found, leftovers):
    assert read(argv) == (found, leftovers)


@pytest.mark.parametrize("argv, message", [
    (["-Lq"], "-Lq: unknown option"),
    (["--lis"], "--lis: unknown option"),  # no abbreviations
    (["-list"], "-list: unknown option"),  # one dash: letters l, i...
    (["--list=x"], "--list=x: option does not take an argument"),
    (["-L=x"], "-L=x: option does not take an argument"),
    (["-L", "-t"], "-t: missing argument"),
    (["--tcp-service"], "--tcp-service: missing argument"),
])
def test_errors(argv, message):
    with pytest.raises(popt.PoptError) as caught:
        read(argv)
    assert str(caught.value) == message


def test_options_come_one_at_a_time():
    """An error after a good option is raised only when reading reaches it."""
    words = popt.options(["-L", "--bogus"], SHORT, LONG, [])
    assert next(words) == ("list", None, "-L")
    with pytest.raises(popt.PoptError):
        next(words)
