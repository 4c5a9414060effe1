"""The høringsnotat export: all five senders with types and dates; coherent résumés; theme edits flow into it; the
Word table lays out well when rendered (LibreOffice → PDF → PNG, looked at by the test: header words and dates
whole on one line)."""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from export.notat import COLUMNS, WIDTHS_CM, build_notat, display_date, to_docx, to_xlsx
from hoering.cli import app
from index.index import Index
from retrieval.search import Searcher
from answering.themes import build_themes, edit_themes

EXPECTED = {  # sender contains, role (Udtaler sig som), date as the table shows it
    "Hoved-MEDudvalget for Socialområdet": ("MED-udvalg", "ikke angivet"),
    "Hedensted Kommune": ("Kommune", "19.09.2023"),
    "Norddjurs Kommune": ("Kommune", "11.09.2023"),
    "LMU Specialområde Hjernesgade": ("MED-udvalg", "ikke angivet"),
    "OMU Social, Roskilde Kommune": ("MED-udvalg", "ikke angivet"),
}
SHOTS = Path(os.environ.get("HOERING_SHOTS", "/work/shots")) / "notat"


@pytest.fixture(scope="module")
def notat(sample_index, embedder):
    return build_notat(Searcher(sample_index, embedder=embedder))


def _check_rows(rows):
    assert len(rows) == 5
    for name, (role, date) in EXPECTED.items():
        row = next(r for r in rows if name in r[1])
        shown = row[0].strftime("%d.%m.%Y") if isinstance(row[0], datetime.datetime) else row[0]
        assert row[2] == role and shown == date
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


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def test_resumes_are_coherent_runs_of_the_letters_own_sentences(notat, searcher):
    """Each résumé is consecutive sentences of its letter, in order, from one passage; no administrative line."""
    store = Index(searcher.settings).store
    for r in notat.respondents:
        letter = " ".join(_words(store.document_text(r.doc_id)))
        assert r.summary and " ".join(_words(r.summary)) in letter, (r.sender, r.summary)
        assert not re.search(r"fremlagt for|venlig hilsen|takker for|@", r.summary), r.summary
        assert len(r.summary) <= 450
    hedensted = next(r for r in notat.respondents if r.sender.startswith("Hedensted"))
    assert "ventelister" in hedensted.summary  # its main point (eval/themes.jsonl)


def test_display_dates():
    assert display_date("2023-09-19") == "19.09.2023"
    assert display_date(None) == display_date("") == "ikke angivet"
    assert display_date("2023-09-19", "en") == "19.09.2023" and display_date(None, "en") == "not given"


def test_docx_table_has_fixed_widths_and_a_repeated_header(notat):
    document = docx.Document(io.BytesIO(to_docx(notat)))
    table = document.tables[0]
    xml = table._tbl.xml
    assert 'w:type="fixed"' in xml and "w:tblHeader" in xml
    widths = [round(c.width.cm, 1) for c in table.columns]
    assert widths == [round(w, 1) for w in WIDTHS_CM]
    section = document.sections[0]
    assert sum(WIDTHS_CM) <= (section.page_width - section.left_margin - section.right_margin) / 360000 + 0.01  # EMU per cm


def test_rendered_docx_keeps_header_words_and_dates_whole(notat, tmp_path):
    """Render the notat as a reader sees it (LibreOffice → PDF → PNG pages) and read the text back: every header
    word and every date stands whole on one line; a missing date reads "ikke angivet"."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed")
    pdfium = pytest.importorskip("pypdfium2")
    (tmp_path / "notat.docx").write_bytes(to_docx(notat))
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "notat.docx")],
                   check=True, timeout=180, capture_output=True, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    pdf = pdfium.PdfDocument(str(tmp_path / "notat.pdf"))
    lines = []
    for i in range(len(pdf)):
        lines += [line.strip() for line in pdf[i].get_textpage().get_text_range().splitlines()]
        image = pdf[i].render(scale=1.4).to_pil()
        assert image.width > image.height  # landscape
        try:
            SHOTS.mkdir(parents=True, exist_ok=True)
            image.save(SHOTS / f"notat-page{i + 1}.png")
        except OSError:
            pass  # the screenshots are for people; the assertions below are the test
    words = set(_words(" ".join(lines)))
    for header in COLUMNS:
        for word in header.split():
            assert word in words, (word, lines[:12])  # never broken inside a word ("modtage/t")
    for name, (_, date) in EXPECTED.items():
        if date[0].isdigit():
            assert any(date in line for line in lines), date
    assert sum("ikke angivet" in line for line in lines) == 3
