"""Høringsassistent: ask questions of public-consultation responses, with verified citations."""

__version__ = "0.1.0"
