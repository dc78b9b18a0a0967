"""``python -m sockctl``: the same as the ``sockctl`` command."""

from sockctl.cli.main import run

run()
