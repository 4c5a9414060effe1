"""The ``hoering`` command line, Høringsassistent's CLI shell (ask questions of public-consultation responses, with
verified citations): the app in hoering/cli.py, its commands in hoering/*_cli.py."""

__version__ = "0.1.0"
