"""The house's layers (docs/decisions/0011): a lower layer never imports a higher one, also not inside a
function. The contract is in pyproject.toml ([tool.importlinter]); import-linter checks it on the code's own
import graph."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _lint(cwd: Path, config: Path | None = None) -> subprocess.CompletedProcess:
    args = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"]
    if config is not None:
        args += ["--config", str(config)]
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"})


def test_no_layer_imports_a_higher_one():
    result = _lint(REPO)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "1 kept, 0 broken" in result.stdout


def test_the_contract_catches_an_upward_import_inside_a_function(tmp_path):
    """The check is not vacuous: a copy of the house where the index imports answering inside a function fails."""
    for package in ("core", "index", "ingest", "retrieval", "answering", "export", "ui", "hoering"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "answering" / "ask.py").write_text("def ask():\n    return 1\n")
    (tmp_path / "index" / "store.py").write_text("def read():\n    from answering.ask import ask\n    return ask()\n")
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.importlinter]" + (REPO / "pyproject.toml").read_text().split("[tool.importlinter]", 1)[1])
    result = _lint(tmp_path, config)
    assert result.returncode != 0
    assert "index.store -> answering.ask" in result.stdout
