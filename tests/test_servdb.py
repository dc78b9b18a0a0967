"""The services database read as glibc's files backend reads /etc/services (nss_files/files-service.c)."""

from sockctl import servdb

TEXT = """\
# comment line
http		80/tcp		www		# WorldWideWeb HTTP
http		80/udp
domain		53/tcp
domain		53/udp
hexa		0x1F90/tcp	alt-http
octal		010/udp
slashes		7//sctp		echo-sctp
wrapped		65617/tcp
negative	-1/udp
noport		/tcp
noproto		99/
junk		12x/tcp
lonely
www-again	80/tcp
"""


def test_parse():
    assert servdb.parse_services(TEXT) == [
        ("http", 80, "tcp", ["www"]), ("http", 80, "udp", []), ("domain", 53, "tcp", []),
        ("domain", 53, "udp", []), ("hexa", 8080, "tcp", ["alt-http"]), ("octal", 8, "udp", []),
        ("slashes", 7, "sctp", ["echo-sctp"]), ("wrapped", 81, "tcp", []), ("negative", 65535, "udp", []),
        ("www-again", 80, "tcp", []),
    ]


def test_lookups(tmp_path):
    path = tmp_path / "services"
    path.write_text(TEXT)
    db = servdb.Services(str(path))
    assert db.name(80, "tcp") == "http"  # the first line with the port wins
    assert db.name(8080, "tcp") == "hexa"
    assert db.name(8080, "udp") is None
    assert db.port("www", "tcp") == 80 and db.port("www", "udp") is None
    assert db.port("alt-http", "tcp") == 8080
    assert db.port("WWW", "tcp") is None  # names compare exactly
    assert servdb.Services(str(tmp_path / "missing")).name(80, "tcp") is None
