"""The house's layers (docs/decisions/0011): a lower layer never imports a higher one, also not inside a
function. The contract is in pyproject.toml ([tool.importlinter]); import-linter checks it on the code's own
import graph. Within ingest/ no import goes round in a circle, also not through an import inside a function
(grimp, import-linter's graph)."""

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


PACKAGES = ("core", "index", "ingest", "retrieval", "answering", "export", "ui", "hoering")


def _circles(*packages: str) -> list[list[str]]:
    """The import circles among the modules of ``packages`` (each a strongly connected group of two or more),
    imports inside functions included."""
    import grimp

    graph = grimp.build_graph(*packages, cache_dir=None)
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        order[module] = low[module] = len(order)
        stack.append(module)
        for other in edges[module]:
            if other not in order:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], order[other])
        if low[module] == order[module]:
            group = []
            while not group or group[-1] != module:
                group.append(stack.pop())
            if len(group) > 1:
                circles.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in order:
            visit(module)
    return circles


def test_no_import_circle_in_the_house():
    """Issue 26: no two modules of the product import each other, however far round (a circle makes a module
    that cannot be read, tested or moved alone)."""
    assert _circles(*PACKAGES) == []


def test_no_import_circle_in_ingest():
    """The formats (ingest/formats/) sit on their base; the mail and zip formats are handed the table's load_bytes
    rather than importing it, and OCR and the zip bundles import nothing of the house but the base (and the
    records they return)."""
    import grimp

    assert _circles("ingest") == []
    graph = grimp.build_graph("ingest", cache_dir=None)
    assert graph.find_modules_directly_imported_by("ingest.formats.ocr") == {"ingest.formats.base"}
    assert graph.find_modules_directly_imported_by("ingest.formats.bundles") == {"ingest.formats.base", "ingest.schema"}


def test_the_circle_check_sees_an_import_inside_a_function(tmp_path, monkeypatch):
    """Not vacuous: two modules that import each other, one of them inside a function, are a circle."""
    (tmp_path / "circled").mkdir()
    (tmp_path / "circled" / "__init__.py").write_text("")
    (tmp_path / "circled" / "a.py").write_text("def f():\n    from circled import b\n    return b\n")
    (tmp_path / "circled" / "b.py").write_text("from circled import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _circles("circled") == [["circled.a", "circled.b"]]
