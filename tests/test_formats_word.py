"""ingest.formats.word: DOCX letters from real bytes (generated files and excerpts of real public DOCX files in
tests/data/corpus): reading order, lists, tables, content controls and page breaks, refusals."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest

from ingest.formats.base import LoadError
from ingest.formats.table import load_bytes
from tests.factories import make_docx
from tests.reference_text import find_line, norm


def test_docx_reading_order_lists_tables_and_page_break(tmp_path):
    path = make_docx(
        tmp_path / "svar.docx",
        heading="Høringssvar fra Ærø Kommune",
        paragraphs=["Første afsnit om økonomien.", "Andet afsnit om børneområdet."],
        bullets=["første punkt", "andet punkt"],
        table=[["Område", "Beløb"], ["Ældre", "1,2 mio. kr."]],
        after_break=["Tekst på side to om fællesskab."],
        title="Svar på høring",
    )
    [doc] = load_bytes(path.read_bytes(), path.name, str(path))
    assert doc.title == "Svar på høring"
    assert [p.number for p in doc.pages] == [1, 2]
    page1 = doc.pages[0].text
    expected = [
        "Høringssvar fra Ærø Kommune",
        "Første afsnit om økonomien.",
        "Andet afsnit om børneområdet.",
        "- første punkt",
        "- andet punkt",
        "Område\tBeløb",
        "Ældre\t1,2 mio. kr.",
    ]
    positions = [page1.find(s) for s in expected]
    assert all(p >= 0 for p in positions), (expected, page1)
    assert positions == sorted(positions)
    assert "fællesskab" not in page1
    assert doc.pages[1].text == "Tekst på side to om fællesskab."


def test_docx_break_after_text_keeps_that_text_on_its_page(tmp_path):
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_paragraph("Første side begynder her.")
    last = document.add_paragraph("Sidste linje på side et.")
    last.runs[0].add_break(WD_BREAK.PAGE)  # the break ends this paragraph: the text stays on page 1
    document.add_paragraph("Første linje på side to.")
    path = tmp_path / "brud.docx"
    document.save(str(path))
    [doc] = load_bytes(path.read_bytes(), path.name, str(path))
    assert [p.number for p in doc.pages] == [1, 2]
    assert doc.pages[0].text == "Første side begynder her.\n\nSidste linje på side et."
    assert doc.pages[1].text == "Første linje på side to."


def test_docx_content_controls_are_read_in_order_with_their_page_breaks(tmp_path):
    """Word keeps cover pages and tables of contents in block-level content controls (w:sdt)."""
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document()
    cover = document.add_paragraph("Forside: Høringssvar fra Grønt Råd")
    breaker = document.add_paragraph()
    breaker.add_run().add_break(docx.enum.text.WD_BREAK.PAGE)
    document.add_paragraph("Brødtekst på side to.")
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    sdt.append(content)
    cover._p.addprevious(sdt)
    content.append(cover._p)
    content.append(breaker._p)
    path = tmp_path / "forside.docx"
    document.save(str(path))
    [doc] = load_bytes(path.read_bytes(), path.name, str(path))
    assert [(p.number, p.text) for p in doc.pages] == [
        (1, "Forside: Høringssvar fra Grønt Råd"),
        (2, "Brødtekst på side to."),
    ]


def test_corrupt_docx_is_refused():
    with pytest.raises(LoadError) as info:
        load_bytes(b"PK\x03\x04" + os.urandom(500), "svar.docx", "svar.docx")
    assert info.value.code == "corrupt_docx"


# ------------------------------------------------- real documents (excerpts in tests/data/corpus)

REAL_DOCX = [
    "DA 2 - Bilag 1 - Kundens behov",
    "DA 2 - Bilag 2 Leverandørens besvarelse",
    "DA 2 - Bilag 2.1- n CV'er",
    "DA 2 - Leverancekontrakt Konsulentydelser",
    "DA 2 Miniudbudsbetingelser",
]


@pytest.mark.parametrize("name", REAL_DOCX)
def test_real_docx_reading_order(name, real_corpus):
    """Unique lines of the corpus's independent text export come out of our loader in the same order."""
    path = real_corpus / "udbud" / "orig_docx" / f"{name}.docx"
    reference = real_corpus / "udbud" / f"{name}.txt"
    [doc] = load_bytes(path.read_bytes(), path.name, str(path))
    text = "\n\n".join(p.text for p in doc.pages)
    ref_lines = [norm(line) for line in reference.read_text(encoding="utf-8").split("\n")]
    ref_all = norm(" \n ".join(ref_lines))
    positions = []
    for line in ref_lines:
        if len(line.split()) < 5 or ref_all.count(line) != 1:
            continue
        matches = find_line(text, line)
        if len(matches) == 1:
            positions.append(matches[0].start())
    assert len(positions) >= 3
    assert positions == sorted(positions)


def _explicit_page_breaks(path: Path) -> int:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    return len(re.findall(r'<w:br\b[^>]*w:type="page"', xml))


@pytest.mark.parametrize(
    "name, first_line, page",
    [
        # cover page (a content control ending in a page break), table of contents, then the text
        ("DA 2 - Bilag 1 - Kundens behov", "Dette bilag indeholder Kundens krav til Leverancen", 3),
        # title page, page break, table of contents (a content control), page break, then the text
        ("DA 2 Miniudbudsbetingelser", "Generelle oplysninger", 3),
        ("DA 2 - Bilag 2 Leverandørens besvarelse", "Dette bilag indeholder Leverandørens tilbud", 3),
    ],
)
def test_real_docx_page_numbers(name, first_line, page, real_corpus):
    path = real_corpus / "udbud" / "orig_docx" / f"{name}.docx"
    [doc] = load_bytes(path.read_bytes(), path.name, str(path))
    numbers = [p.number for p in doc.pages]
    assert numbers == sorted(set(numbers))
    # Every explicit page break in these files separates text, so there are at least that many pages more.
    assert numbers[-1] >= 1 + _explicit_page_breaks(path)
    found = [p.number for p in doc.pages if any(par.startswith(first_line) for par in p.text.split("\n\n"))]
    assert found and found[0] == page, (found, [p.text[:60] for p in doc.pages])
