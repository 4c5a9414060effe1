"""ingest.formats.table: a file name's ending picks the loader; an empty file or an unknown ending is refused."""

from __future__ import annotations

import pytest

from ingest.formats.base import LoadError
from ingest.formats.table import load_bytes


def test_empty_and_unsupported_files():
    with pytest.raises(LoadError) as empty:
        load_bytes(b"", "tom.pdf", "tom.pdf")
    assert empty.value.code == "empty_file"
    with pytest.raises(LoadError) as unsupported:
        load_bytes(b"hej", "brev.xyz", "brev.xyz")
    assert unsupported.value.code == "unsupported_type"
    assert unsupported.value.params["ext"] == ".xyz"
