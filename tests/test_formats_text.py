"""ingest.formats.text: text files in every encoding a Danish letter comes in, form-feed pages, binary junk
refused, Markdown as text; HTML reduced to its visible text."""

from __future__ import annotations

import pytest

from ingest.formats.base import LoadError
from ingest.formats.table import load_bytes
from ingest.formats.text import decode_text, html_to_text
from tests.factories import DANISH


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
