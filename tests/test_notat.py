"""The høringsnotat export: all five senders with types and dates; theme edits flow into it; opens cleanly."""

from __future__ import annotations

import io
import shutil
import subprocess

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from export.notat import COLUMNS, build_notat, to_docx, to_xlsx
from hoering.cli import app
from retrieval.search import Searcher
from answering.themes import build_themes, edit_themes

EXPECTED = {  # sender contains, role (Udtaler sig som), date
    "Hoved-MEDudvalget for Socialområdet": ("MED-udvalg", ""),
    "Hedensted Kommune": ("Kommune", "2023-09-19"),
    "Norddjurs Kommune": ("Kommune", "2023-09-11"),
    "LMU Specialområde Hjernesgade": ("MED-udvalg", ""),
    "OMU Social, Roskilde Kommune": ("MED-udvalg", ""),
}


@pytest.fixture(scope="module")
def notat(sample_index, embedder):
    return build_notat(Searcher(sample_index, embedder=embedder))


def _check_rows(rows):
    assert len(rows) == 5
    for name, (role, date) in EXPECTED.items():
        row = next(r for r in rows if name in r[1])
        assert row[2] == role and (row[0] or "") == date
        assert row[3]  # a résumé
        assert not row[4]  # Vurdering is left to the official


def test_docx_table_and_themes(notat):
    document = docx.Document(io.BytesIO(to_docx(notat)))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == COLUMNS
    _check_rows([[c.text for c in row.cells] for row in table.rows[1:]])
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Temaer" in headings
    for theme in notat.themes:
        assert any(h.startswith(theme.label) for h in headings)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "side " in text and "»" in text


def test_xlsx_table_and_themes(notat):
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(notat)))
    rows = [[c if c is not None else "" for c in r] for r in workbook["Høringssvar"].iter_rows(values_only=True)]
    assert rows[0] == COLUMNS
    _check_rows(rows[1:])
    theme_rows = list(workbook["Temaer"].iter_rows(values_only=True))[1:]
    assert {r[0] for r in theme_rows} == {t.label for t in notat.themes}


def test_theme_edits_flow_into_export(sample_index, make_settings, embedder, tmp_path):
    settings = make_settings("notat")
    shutil.copytree(sample_index.index, settings.index)
    searcher = Searcher(settings, embedder=embedder)
    theme = build_themes(searcher)[0]
    edit_themes(searcher, rename=(theme.theme_id, "Bekymring for rekrutteringen"))
    out = tmp_path / "notat.docx"
    result = CliRunner().invoke(app, ["export", "notat", "--format", "docx", "--out", str(out), "--index", str(settings.index)])
    assert result.exit_code == 0, result.output
    headings = [p.text for p in docx.Document(str(out)).paragraphs]
    assert any(h.startswith("Bekymring for rekrutteringen") for h in headings)
    xlsx = tmp_path / "notat.xlsx"
    assert CliRunner().invoke(app, ["export", "notat", "--format", "xlsx", "--out", str(xlsx), "--index", str(settings.index)]).exit_code == 0
    labels = {r[0] for r in openpyxl.load_workbook(xlsx)["Temaer"].iter_rows(min_row=2, values_only=True)}
    assert "Bekymring for rekrutteringen" in labels


def test_opens_in_libreoffice(notat, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed (checked by re-opening with python-docx/openpyxl instead)")
    for name, data in (("notat.docx", to_docx(notat)), ("notat.xlsx", to_xlsx(notat))):
        (tmp_path / name).write_bytes(data)
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / name)],
                       check=True, timeout=180, capture_output=True, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
        assert (tmp_path / name.replace(name.rsplit(".", 1)[1], "pdf")).stat().st_size > 1000
