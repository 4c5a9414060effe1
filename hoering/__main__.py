"""``python -m hoering``: the command line, as the ``hoering`` console script runs it (hoering/cli.py ``main``)."""

from hoering.cli import main

main()
