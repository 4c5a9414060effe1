"""ui.safe: document text is shown as text, never as Markdown or HTML; the quote's span is marked exactly.

The Markdown checks render the escaped text with a real CommonMark parser (markdown-it-py, which rich
brings along) with GFM tables and strikethrough on, and look at the HTML it produces.
"""

from __future__ import annotations

import html
import re

import pytest

from ui.safe import WORD_JOINER, answer_markdown, escape_markdown, highlighted_html

HOSTILE = [
    "<script>alert(1)</script>",
    "[klik her](http://evil.example)",
    "![billede](http://evil.example/x.png)",
    "**fed** og *kursiv* og _også kursiv_ og __fed__",
    "# Overskrift",
    "## Under\u00adoverskrift",
    "> citat",
    "- punkt",
    "+ punkt",
    "1. nummer",
    "`kode` og ```blok```",
    "~~overstreget~~",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "<img src=x onerror=alert(2)>",
    "<http://evil.example>",
    ":red[rød tekst] og :material/home: og $x^2$",
    "&lt;script&gt; og &amp; og &#60;b&#62;",
    "C:\\sti\\til\\fil og \\*ikke fed\\*",
    "Afsnit 1.2 (se bilag) – 50 % + 10 kr. {x}",
    "Sætningen slutter her\n---\nog her\n===",
]


def _render(markdown: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def _unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown, flags=re.S)


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_markdown_leaves_only_text(text):
    escaped = escape_markdown(text)
    # nothing lost or changed, only escaped (and an invisible word joiner where GFM would start a link)
    assert _unescape(escaped).replace(WORD_JOINER, "") == text
    rendered = _render(escaped)
    # One paragraph (or nothing but text): no tag but <p>/<br> comes out, the letter's words stay literal.
    tags = set(re.findall(r"</?([a-z0-9]+)", rendered))
    assert tags <= {"p"}, (text, rendered)
    shown = rendered.replace(WORD_JOINER, "")  # invisible: the words read as the letter wrote them
    for line in text.split("\n"):
        assert html.escape(line, quote=False) in shown or html.escape(line) in shown, (line, rendered)


def test_escape_markdown_escapes_every_special_character():
    specials = "\\`*_{}[]()#+-.!|<>~$:&="
    assert escape_markdown(specials) == "".join("\\" + c for c in specials)
    assert escape_markdown("Høringssvar fra Ærø og Åbenrå") == "Høringssvar fra Ærø og Åbenrå"


def test_answer_markdown_keeps_our_bullets_and_paragraphs_only():
    text = (
        "Det skriver høringssvarene:\n\n"
        "- Hedensted Kommune skriver: »Vi har lange ventelister.« [1]\n"
        "- Foreningen <b>X</b> skriver: »[klik](http://evil.example) **nu**« [2]\n\n"
        "Afgrænset til: afsendertype = kommuner."
    )
    markdown = answer_markdown(text)
    assert markdown == (
        "Det skriver høringssvarene\\:\n\n"
        "- Hedensted Kommune skriver\\: »Vi har lange ventelister\\.« \\[1\\]  \n"
        "- Foreningen \\<b\\>X\\</b\\> skriver\\: »\\[klik\\]\\(http\u2060\\://evil\\.example\\) \\*\\*nu\\*\\*« \\[2\\]\n\n"
        "Afgrænset til\\: afsendertype \\= kommuner\\."
    )
    rendered = _render(markdown)
    assert rendered.count("<li>") == 2 and rendered.count("<ul>") == 1
    assert set(re.findall(r"</?([a-z0-9]+)", rendered)) <= {"p", "ul", "li", "br"}
    assert "&lt;b&gt;X&lt;/b&gt;" in rendered and "[klik](http://evil.example) **nu**" in rendered.replace(WORD_JOINER, "")


def test_answer_markdown_escapes_a_line_that_only_looks_like_a_bullet():
    # "- " at the start is ours; "-x", "* x", "1. x" and "# x" from anywhere else are literal text.
    markdown = answer_markdown("* ikke et punkt\n1. ikke nummereret\n# ikke overskrift\n-ikke punkt")
    rendered = _render(markdown)
    assert set(re.findall(r"</?([a-z0-9]+)", rendered)) <= {"p", "br"}
    assert "* ikke et punkt" in rendered and "1. ikke nummereret" in rendered and "# ikke overskrift" in rendered


def test_highlighted_html_escapes_and_marks_the_span():
    text = "Indledning.\nVi <b>kræver</b> & ønsker \"lange\" ventelister væk.\nSlut."
    start = text.index("Vi ")
    end = text.index(" væk.") + len(" væk.")
    out = highlighted_html(text, start, end)
    assert out.startswith('<div class="hoering-passage" style="') and out.endswith("</div>")
    assert out.count("<mark>") == 1 and out.count("</mark>") == 1
    marked = re.search(r"<mark>(.*)</mark>", out, re.S).group(1)
    assert marked == html.escape(text[start:end])
    assert html.unescape(marked) == text[start:end]  # exactly the span, character for character
    assert "&lt;b&gt;kræver&lt;/b&gt; &amp; ønsker &quot;lange&quot;" in marked
    assert "<b>" not in out
    body = re.sub(r"^<div[^>]*>|</div>$", "", out)
    assert html.unescape(body.replace("<mark>", "").replace("</mark>", "")) == text  # newlines kept, nothing lost
    assert "white-space: pre-wrap" in out and "max-height" not in out


def test_highlighted_html_span_at_the_edges_and_with_danish_letters():
    text = "Æblerne på Ærø"
    assert highlighted_html(text, 0, 7).count("<mark>Æblerne</mark>") == 1
    assert "<mark>Ærø</mark></div>" in highlighted_html(text, len(text) - 3, len(text))


@pytest.mark.parametrize("span", [(None, None), (None, 3), (3, None), (5, 5), (6, 2), (-1, 3), (0, 999)])
def test_highlighted_html_without_a_valid_span_marks_nothing(span):
    text = "<script>alert(1)</script> tekst"
    out = highlighted_html(text, *span)
    assert "<mark>" not in out and "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt; tekst" in out


def test_highlighted_html_scroll_box_for_the_whole_document():
    out = highlighted_html("Hele dokumentet", 0, 4, scroll=True)
    assert "max-height: 420px" in out and "overflow-y: auto" in out and "<mark>Hele</mark>" in out


def test_no_address_in_document_text_can_become_a_gfm_autolink():
    """Issue 21 #7: GFM finds autolinks after escapes are resolved; a word joiner breaks each pattern."""
    from ui.safe import defeat_autolinks, escape_stream

    text = "Norddjurs Kommune http://evil.example HTTPS://x.dk www.x.dk kontakt@evil.example"
    broken = defeat_autolinks(text)
    assert broken.replace(WORD_JOINER, "") == text
    assert not re.search(r"(?i)https?://|www\.|\w@", broken)
    # an LLM's stream: an address split over pieces is escaped as a whole, and the pieces join to the whole escape
    pieces = ["Se ", "http", "://evil", ".example og ", "www", ".x.dk", " nu"]
    assert "".join(escape_stream(iter(pieces))) == escape_markdown("".join(pieces))
