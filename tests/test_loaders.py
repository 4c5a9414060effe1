"""ingest.loaders: every format from real bytes (generated files and excerpts of real public documents)."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pytest

from ingest.chunking import make_splitter
from ingest.loaders import LoadError, decode_text, html_to_text, load_bytes
from index.manifest import Manifest
from ingest.pipeline import prepare_file
from tests.conftest import settings_for
from tests.factories import make_docx, make_encrypted_pdf, make_eml, make_pdf, pdf_bytes

DANISH = "Rødgrød med fløde på Ærø – Åbenrå og Øresund koster 5 € i Æbeltoft"


def _prepare(path: Path, tmp_path: Path):
    """Load → clean → metadata → chunk one file exactly as ingest does (no embedding)."""
    prepared = prepare_file(str(path), Manifest(), settings_for(tmp_path / "unused"), make_splitter(800, 100))
    assert prepared.error is None, prepared.error
    return prepared


def _only_doc(prepared):
    assert len(prepared.documents) == 1
    return prepared.documents[0]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _find(text: str, line: str) -> list[re.Match]:
    return list(re.finditer(r"\s+".join(map(re.escape, line.split())), text))


# --------------------------------------------------------------------------------------------- PDF


def test_generated_pdf_pages_text_and_title(tmp_path):
    path = make_pdf(tmp_path / "brev.pdf", ["Side et: " + DANISH, "Side to (med parentes)", "Side tre"], title="Høringssvar")
    [doc] = load_bytes(path.read_bytes(), path.name, str(path))
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert DANISH in doc.pages[0].text
    assert "Side to (med parentes)" in doc.pages[1].text
    assert "Side tre" in doc.pages[2].text
    assert doc.title == "Høringssvar"
    assert doc.source == str(path)


def test_pdf_distinctive_word_on_page_two_gets_chunk_page_two(tmp_path):
    filler = "Kommunen har læst planen grundigt og har en række bemærkninger til den samlede indsats."
    # ~2,000 characters a page, the word in the middle of page 2: no 800-character chunk holding it
    # can reach page 1 or 3.
    pages = [
        "\n".join([filler] * 22),
        "\n".join([filler] * 11 + ["Her nævnes ordet blåbærgrød som kun står på side to."] + [filler] * 11),
        "\n".join([filler] * 22),
    ]
    path = make_pdf(tmp_path / "tre_sider.pdf", pages)
    doc, chunks = _only_doc(_prepare(path, tmp_path))
    assert doc.pages == 3
    hits = [c for c in chunks if "blåbærgrød" in c.text]
    assert hits, "the distinctive word must survive loading, cleaning and chunking"
    assert all(c.pages == [2] for c in hits)
    # Reading order: page 1 text, then page 2, then page 3; every chunk's pages are where its text is.
    assert [c.pages[0] for c in chunks] == sorted(c.pages[0] for c in chunks)
    assert {p for c in chunks for p in c.pages} == {1, 2, 3}
    for c in chunks:
        assert c.text == doc.text[c.start : c.end]


REPEATED_PAGE = (
    "Høringssvar fra Grundejerforeningen Søhøjlandet\n"
    "Vi ønsker at støjvolden bliver forlænget langs hele strækningen ved Ålborgvej.\n"
    "Med venlig hilsen\n"
    "Anna Hansen"
)


def _one_stream_pdf(path: Path, copies: int) -> Path:
    """A PDF whose ``copies`` pages all draw one and the same content stream (as some printers write them)."""
    from pypdf import PdfReader, PdfWriter

    page = PdfReader(io.BytesIO(pdf_bytes([REPEATED_PAGE]))).pages[0]
    writer = PdfWriter()
    for _ in range(copies):
        writer.add_page(page)
    with open(path, "wb") as out:
        writer.write(out)
    return path


@pytest.mark.parametrize("shared_stream", [False, True], ids=["own-streams", "one-stream"])
def test_a_text_pdf_whose_pages_repeat_is_read_as_text(shared_stream, make_settings, embedder, tmp_path):
    """Issue 21 #12: pages with identical text were all taken for running headers, the letter came out empty and
    was refused as scanned. Identical pages count once, so nothing of the letter is a header."""
    from pypdf import PdfReader

    from ingest.pipeline import ingest
    from index.index import Index

    path = tmp_path / "gentaget.pdf"
    if shared_stream:
        _one_stream_pdf(path, 3)
        contents = {page.raw_get("/Contents").idnum for page in PdfReader(path).pages}
        assert len(contents) == 1  # really one stream drawn by three pages
    else:
        make_pdf(path, [REPEATED_PAGE] * 3)
    report = ingest([str(path)], make_settings(), embedder=embedder)
    [outcome] = report.outcomes
    assert outcome.status.value == "ingested", outcome
    [record] = Index(make_settings()).manifest().documents.values()
    assert record.pages == 3
    # Nothing of the letter was dropped as a header: sender line, statement and signature are on every page.
    doc, chunks = _only_doc(_prepare(path, tmp_path))
    for number, (start, end) in enumerate(doc.page_spans, start=1):
        for line in REPEATED_PAGE.split("\n"):
            assert line in doc.text[start:end], (number, line)
    assert {p for c in chunks for p in c.pages} == {1, 2, 3}


def test_pdf_without_text_layer_is_a_clear_failure(tmp_path):
    with pytest.raises(LoadError) as info:
        load_bytes(pdf_bytes(["", ""]), "scan.pdf", "scan.pdf")
    assert info.value.code == "no_text"


def test_encrypted_pdf_is_refused(tmp_path):
    path = make_encrypted_pdf(tmp_path / "hemmelig.pdf", ["Fortroligt høringssvar"])
    with pytest.raises(LoadError) as info:
        load_bytes(path.read_bytes(), path.name, str(path))
    assert info.value.code == "encrypted_pdf"


@pytest.mark.parametrize(
    "data",
    [pdf_bytes(["Norddjurs Kommune"])[:200], b"%PDF-1.4\n" + os.urandom(2000), os.urandom(4000)],
    ids=["truncated", "header-then-junk", "junk"],
)
def test_corrupt_pdf_is_refused(data):
    with pytest.raises(LoadError) as info:
        load_bytes(data, "brev.pdf", "brev.pdf")
    assert info.value.code == "corrupt_pdf"
    assert info.value.params["error"]


def test_empty_and_unsupported_files():
    with pytest.raises(LoadError) as empty:
        load_bytes(b"", "tom.pdf", "tom.pdf")
    assert empty.value.code == "empty_file"
    with pytest.raises(LoadError) as unsupported:
        load_bytes(b"hej", "brev.xyz", "brev.xyz")
    assert unsupported.value.code == "unsupported_type"
    assert unsupported.value.params["ext"] == ".xyz"


# -------------------------------------------------------------------------------------------- DOCX


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


# -------------------------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
        lambda t: t.encode("cp1252"),
        lambda t: t.encode("utf-16"),  # with BOM
        lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
        lambda t: t.encode("utf-16-le"),  # no BOM
        lambda t: t.encode("utf-16-be"),  # no BOM
    ],
    ids=["utf8", "utf8-bom", "cp1252", "utf16-bom-le", "utf16-bom-be", "utf16le-nobom", "utf16be-nobom"],
)
def test_text_encodings_keep_danish_letters(encode):
    text = f"Høringssvar fra Ærø Kommune\n\n{DANISH}.\nVi glæder os over planen for ældreområdet.\n"
    [doc] = load_bytes(encode(text), "svar.txt", "svar.txt")
    assert doc.pages[0].text == text


def test_short_cp1252_text_is_not_mistaken_for_another_codepage():
    assert decode_text("Kære Åse, mvh Søren – 5 €".encode("cp1252")) == "Kære Åse, mvh Søren – 5 €"


def test_form_feed_separates_pages_in_text_files():
    [doc] = load_bytes("Side et\fSide to\fSide tre".encode(), "svar.txt", "svar.txt")
    assert [(p.number, p.text) for p in doc.pages] == [(1, "Side et"), (2, "Side to"), (3, "Side tre")]


def test_binary_junk_named_txt_is_refused():
    junk = bytes(range(256)) * 20
    with pytest.raises(LoadError) as info:
        load_bytes(junk, "svar.txt", "svar.txt")
    assert info.value.code == "binary_text"


def test_markdown_is_loaded_as_text():
    [doc] = load_bytes("# Høringssvar\n\nVi støtter **planen**.".encode(), "svar.md", "svar.md")
    assert "Vi støtter **planen**." in doc.pages[0].text


# -------------------------------------------------------------------------------------------- HTML


def test_html_drops_script_style_and_keeps_text():
    markup = """<!doctype html><html><head><title>Høringssvar – Ærø</title>
    <style>body { color: red; } .skjult { display: none }</style>
    <script>var hemmelig = "må ikke ses"; alert('x');</script></head>
    <body><h1>Høringssvar</h1><p>Vi <b>støtter</b> planen for ældreområdet.</p>
    <!-- en kommentar der ikke skal med -->
    <ul><li>første punkt</li><li>andet punkt</li></ul>
    <table><tr><td>Område</td><td>Beløb</td></tr></table>
    <noscript>Slå JavaScript til</noscript><script type="module">import x from "y";</script></body></html>"""
    text, title = html_to_text(markup)
    assert title == "Høringssvar – Ærø"
    assert "Vi støtter planen for ældreområdet." in text
    assert "- første punkt" in text and "- andet punkt" in text
    assert text.index("Høringssvar") < text.index("Vi støtter") < text.index("første punkt") < text.index("Område")
    for hidden in ("hemmelig", "må ikke ses", "color", "display", "kommentar", "JavaScript", "import"):
        assert hidden not in text

    [doc] = load_bytes(markup.encode("cp1252"), "svar.html", "svar.html")
    assert doc.title == "Høringssvar – Ærø"
    assert "støtter planen" in doc.pages[0].text and "alert" not in doc.pages[0].text


# --------------------------------------------------------------------------------------------- EML


def test_eml_body_and_pdf_attachment_are_one_document(tmp_path):
    """A mail is one høringssvar (issue 21 #3): its body, then each attachment under a line naming it, pages
    numbered through, with the mail's sender and date."""
    attachment = pdf_bytes(["Bilag: bemærkninger til planen", "Side to af bilaget"], title=None)
    path = make_eml(
        tmp_path / "mail.eml",
        sender="Ældre Sagen Hedensted <hedensted@aeldresagen.dk>",
        subject="Høringssvar om ældreplanen",
        body="Hermed vores høringssvar, se vedhæftede bilag.\n",
        attachments={"bilag.pdf": attachment, "notat.txt": b"Et kort notat om planen.", "logo.png": b"\x89PNG\r\n\x1a\n"},
    )
    [mail] = load_bytes(path.read_bytes(), path.name, str(path))
    assert mail.source == str(path) and mail.parent_source is None
    assert mail.title == "Høringssvar om ældreplanen"
    assert [p.number for p in mail.pages] == [1, 2, 3, 4]
    assert "Hermed vores høringssvar" in mail.pages[0].text and "bemærkninger" not in mail.pages[0].text
    assert mail.pages[1].text.startswith("Vedhæftet fil: bilag.pdf\n\n")
    assert "Bilag: bemærkninger til planen" in mail.pages[1].text
    assert "Side to af bilaget" in mail.pages[2].text and "Vedhæftet" not in mail.pages[2].text
    assert mail.pages[3].text.strip() == "Vedhæftet fil: notat.txt\n\nEt kort notat om planen."
    assert not any("PNG" in p.text for p in mail.pages)  # a logo is no letter
    assert mail.sender_hint == "Ældre Sagen Hedensted"
    assert mail.sender_email == "hedensted@aeldresagen.dk"
    assert mail.date_hint == "2023-09-14"


def test_eml_of_attachments_only_is_one_document_titled_by_its_first_attachment(tmp_path):
    path = make_eml(tmp_path / "mail.eml", sender="Jens Hansen <jens@example.dk>", subject="", body="",
                    attachments={"svar.txt": b"Jeg er imod lukningen.", "bilag.txt": b"Et bilag."})
    [mail] = load_bytes(path.read_bytes(), path.name, str(path))
    assert [p.text.strip() for p in mail.pages] == ["Vedhæftet fil: svar.txt\n\nJeg er imod lukningen.",
                                            "Vedhæftet fil: bilag.txt\n\nEt bilag."]
    assert mail.title == "svar.txt"


def test_eml_with_broken_attachment_keeps_the_body_and_warns(tmp_path):
    path = make_eml(
        tmp_path / "mail.eml",
        sender="Jens Hansen <jens@example.dk>",
        subject="Svar",
        body="Mit svar står her.",
        attachments={"bilag.pdf": b"%PDF-1.4 not really"},
    )
    [body] = load_bytes(path.read_bytes(), path.name, str(path))
    assert "Mit svar står her." in body.pages[0].text
    [warning] = body.warnings  # in words, not a bare code
    assert warning.startswith("bilag.pdf: PDF-filen er beskadiget eller ikke en PDF")


def test_eml_prefers_the_plain_body_and_reads_an_html_only_body():
    from email.message import EmailMessage

    both = EmailMessage()
    both["From"], both["Subject"] = "Grete Olsen <grete@example.dk>", "Svar"
    both.set_content("Jeg støtter forslaget om flere bænke.")
    both.add_alternative("<html><body><p>HTML-udgaven</p></body></html>", subtype="html")
    [doc] = load_bytes(both.as_bytes(), "a.eml", "a.eml")
    assert doc.pages[0].text.strip() == "Jeg støtter forslaget om flere bænke."
    assert doc.date_hint is None  # no Date header

    html_only = EmailMessage()
    html_only["From"], html_only["Subject"] = "Grete Olsen <grete@example.dk>", "Svar"
    html_only.set_content(
        "<html><head><style>p {color: red}</style></head><body><p>Jeg ønsker <b>flere</b> bænke.</p>"
        "<script>track()</script></body></html>",
        subtype="html",
    )
    [doc] = load_bytes(html_only.as_bytes(), "b.eml", "b.eml")
    assert doc.pages[0].text == "Jeg ønsker flere bænke."
    assert doc.sender_hint == "Grete Olsen"


def test_eml_without_headers_is_refused():
    with pytest.raises(LoadError) as info:
        load_bytes(b"\n\njust some bytes", "mail.eml", "mail.eml")
    assert info.value.code == "bad_email"


# ------------------------------------------------- real documents (excerpts in tests/data/corpus)

REAL_PDFS = ["dagsbil", "document", "Aarhus_Byråd-Aarhus_Byråd_den_27._august_2025"]


@pytest.mark.parametrize("name", REAL_PDFS)
def test_real_pdf_keeps_page_numbers_and_reading_order(name, real_corpus, tmp_path):
    """Against the corpus's independent text export (pages separated by form feeds): every line that is
    unique there and in our text is on the same page and in the same order."""
    pdf = real_corpus / "aarhus" / "orig" / f"{name}.pdf"
    reference = real_corpus / "aarhus" / f"{name}.txt"
    doc, chunks = _only_doc(_prepare(pdf, tmp_path))
    ref_text = reference.read_text(encoding="utf-8")
    ref_pages = ref_text.split("\f")
    ref_all = _norm(ref_text)
    assert doc.pages == len([p for p in ref_pages if p.strip()])

    checked, positions = 0, []
    for number, page in enumerate(ref_pages, start=1):
        for line in page.split("\n"):
            line = _norm(line)
            if len(line.split()) < 5 or ref_all.count(line) != 1:
                continue
            matches = _find(doc.text, line)
            if len(matches) != 1:
                continue
            m = matches[0]
            assert doc.page_of(m.start(), m.end())[0] == number, line
            containing = [c for c in chunks if c.start <= m.start() and m.end() <= c.end]
            assert all(number in c.pages for c in containing), line
            positions.append(m.start())
            checked += 1
    assert checked >= 10 * doc.pages or checked >= 50, f"too few lines compared ({checked})"
    assert positions == sorted(positions), "reading order differs from the reference export"


def test_real_pdf_drops_running_header_and_page_numbers(real_corpus, tmp_path):
    pdf = real_corpus / "aarhus" / "orig" / "dagsbil.pdf"
    [raw] = load_bytes(pdf.read_bytes(), pdf.name, str(pdf))
    assert all("Sundhed og Omsorg 2025" in p.text.split("\n")[0] for p in raw.pages)  # the running header
    assert all(f"Side {p.number} af 4" in p.text for p in raw.pages)
    doc, _ = _only_doc(_prepare(pdf, tmp_path))
    assert not re.search(r"Side \d af 4", doc.text)
    assert not re.search(r"Sager p.\s+vej . Sundhed og Omsorg 2025", doc.text)
    assert "Færdigbehandlede sager i 2024" in doc.text  # content that follows the header stays


def test_real_pdf_ligatures_are_resolved(real_corpus, tmp_path):
    pdf = real_corpus / "aarhus" / "orig" / "document.pdf"
    [raw] = load_bytes(pdf.read_bytes(), pdf.name, str(pdf))
    assert "\ufb02ertal" in raw.pages[0].text  # the PDF's text layer uses the ﬂ ligature
    doc, chunks = _only_doc(_prepare(pdf, tmp_path))
    assert "flertal" in doc.text and "finde en plads" in doc.text
    assert not re.search("[\ufb00-\ufb06]", doc.text)


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
    ref_lines = [_norm(line) for line in reference.read_text(encoding="utf-8").split("\n")]
    ref_all = _norm(" \n ".join(ref_lines))
    positions = []
    for line in ref_lines:
        if len(line.split()) < 5 or ref_all.count(line) != 1:
            continue
        matches = _find(text, line)
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
