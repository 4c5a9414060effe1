"""The house's shape (issue 26; docs/decisions/0017): no module over 450 lines but the phrase data, no function
over 60 lines, and nothing outside index/ reaching through the searcher to the index or touching Chroma (import
circles: tests/test_layers.py)."""

from __future__ import annotations

import ast
import re
from pathlib import Path


REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "index", "ingest", "retrieval", "answering", "export", "ui", "hoering")
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60
PHRASE_DATA = ("core/phrasebook/",)  # the phrasebook's tables are data, not code
GENERATED = ("index/migrations/versions/",)  # Alembic revisions


def _modules() -> list[Path]:
    files = [REPO / "app.py"]
    for package in PACKAGES:
        files += sorted((REPO / package).rglob("*.py"))
    return [f for f in files if not any(str(f.relative_to(REPO)).startswith(g) for g in GENERATED)]


def test_no_module_over_the_limit():
    long = {str(f.relative_to(REPO)): n for f in _modules()
            if (n := len(f.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
            and not str(f.relative_to(REPO)).startswith(PHRASE_DATA)}
    assert long == {}


def test_no_function_over_the_limit():
    long = []
    for f in _modules():
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{f.relative_to(REPO)}:{node.lineno} {node.name} ({lines} lines)")
    assert long == []


# the searcher's index, the Chroma store, Chroma itself, the snapshot's columns
REACH = re.compile(r"searcher(\(\))?\._?index\b|\.store\.\w|\bimport chromadb\b|\bfrom chromadb\b|\b_?columns\[")


def test_nothing_outside_the_index_reaches_into_it():
    """Readers read through one snapshot; the index's paths and Chroma are the index's own (issue 26 #1)."""
    found = [f"{f.relative_to(REPO)}:{n}: {line.strip()}" for f in _modules() if not str(f.relative_to(REPO)).startswith("index/")
             for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if REACH.search(line)]
    assert found == []
