"""Issue 17 #6: document metadata (a mail's From name, a theme label, a filter value) is shown as text in every
label of the app: no image the browser would fetch, no link, no other markup.

The labels are rendered with a real CommonMark parser (markdown-it-py) and checked for the tags Streamlit's
renderer would produce; the app runs end to end with AppTest on a real index with a real hostile e-mail.
"""

from __future__ import annotations

import re

import pytest

from export.safe import FORMULA_START
from answering.schema import Citation
from tests.factories import make_eml
from tests.test_app import _ask, _last_answer, _no_exception, _open_page, _source_labels, _verified, app_env, fresh_index  # noqa: F401
from ui.safe import WORD_JOINER, escape_label

CMD = "=cmd|' /C calc'!A0"
PIXEL = "![p](http://host/pixel.gif)"
PHISH = "[Se bilag her](http://host/phish)"
HOSTILE_NAME = f"Karen {PIXEL} {PHISH}"
LABEL_ATTACKS = [
    HOSTILE_NAME,
    "<img src=http://host/x.gif> <a href=http://host>klik</a>",
    "<http://host/auto>",
    "http://host/bare og www.host.example og karen@host.example",
    "**fed** _kursiv_ ~~streg~~ `kode` $x^2$",
    ":red[rød] :material/home: :smile:",
    "# Overskrift",
    "- punkt",
    "1. nummer",
    "&lt;b&gt; &#60;",
    "Foreningen [X](javascript:alert(1))",
]


def _render(markdown: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def _assert_plain_label(label: str) -> None:
    rendered = _render(label)
    tags = set(re.findall(r"</?([a-z0-9]+)", rendered))
    assert tags <= {"p"}, (label, rendered)
    # What CommonMark does not do but GitHub-flavoured Markdown (Streamlit) does: autolink URLs, www. and
    # e-mail addresses, and Streamlit's :directives: -- none may stand unescaped.
    assert not re.search(r"(?<!\\)://|(?<!\\)@|[wW]{3}(?<!\\)\.(?=\w)|(?<!\\):\w+(?<!\\)[:\[]", label), label


@pytest.mark.parametrize("text", LABEL_ATTACKS)
def test_escape_label_leaves_only_text(text):
    label = escape_label(text)
    _assert_plain_label(label)
    # nothing lost, only escaped (and an invisible word joiner where GFM would start a link)
    assert re.sub(r"\\(.)", r"\1", label).replace(WORD_JOINER, "") == " ".join(text.split())


def test_escape_label_keeps_ordinary_punctuation_readable():
    text = "Hedensted Kommune (Voksenhandicap) · 2023-09-19 · 001_569e1742.txt, side 2"
    assert escape_label(text) == "Hedensted Kommune (Voksenhandicap) · 2023-09-19 · 001\\_569e1742.txt, side 2"
    assert escape_label("Linje 1\nLinje 2") == "Linje 1 Linje 2"


def test_source_header_and_chip_escape_the_sender():
    from ui.chat_page import _chip_label
    from ui.sources import metadata_line, source_header

    citation = Citation(n=3, doc_id="d", chunk_id="d:0000", source=f"/breve/{PHISH}.eml", sender=HOSTILE_NAME,
                        sender_type="borger", hearing=PIXEL, date="2023-09-14", page=2, quote="Vi har lange ventelister.",
                        verified=True)
    header = source_header(citation, "da")
    assert header.startswith("[3] Karen ")
    _assert_plain_label(header)
    _assert_plain_label(metadata_line(citation, "da"))  # the hearing (a pixel link) and the file name stand here
    chip = _chip_label("sender", HOSTILE_NAME, "da")
    _assert_plain_label(chip)
    assert "Karen" in chip


def test_a_hostile_from_name_never_renders_as_image_or_link(app_env, fresh_index, embedder):
    """The issue's attack: a mail whose From display name is Markdown; asked about, it is cited; the source
    panel's expander label (and every other label on the chat and themes pages) is plain text."""
    from ingest.pipeline import ingest

    mail = make_eml(
        fresh_index.index.parent / "mails" / "karen.eml",
        sender=f'"{HOSTILE_NAME}" <karen@example.com>',
        subject="Høringssvar om trappelifte",
        body="Jeg mener, at trappeliftene på bostederne skal serviceres langt oftere, fordi de ofte går i stå.\n\n"
             "Trappeliftene på bostederne er afgørende for beboernes frihed.\n\nVenlig hilsen\nKaren",
    )
    formula = make_eml(fresh_index.index.parent / "mails" / "formel.eml", sender=f'"{CMD}" <x@example.com>',
                       subject="Høringssvar", body="Vi ønsker kortere sagsbehandlingstid for hjælpemidler til borgerne.")
    report = ingest([str(mail), str(formula)], fresh_index, embedder=embedder)
    assert not report.failed, report.to_json()

    at = app_env(fresh_index.index)
    _ask(at, "Hvad siger høringssvarene om trappeliftene på bostederne?")
    answer = _last_answer(at)
    cited = [c for c in _verified(answer) if c.source.startswith(str(mail))]
    assert cited, [c.source for c in _verified(answer)]
    labels = _source_labels(at)
    assert labels
    for label in labels:
        _assert_plain_label(label)
    if "pixel.gif" in cited[0].sender:  # the From name reached the metadata as the attacker wrote it
        assert any("pixel.gif" in label for label in labels)  # ...and is shown, as text
    for button in at.button:
        _assert_plain_label(button.label)

    _open_page(at, "temaer")
    for expander in at.expander:
        _assert_plain_label(expander.label)
    _no_exception(at)

    # The document table (CSV download, copy into a spreadsheet) shows text as literal cells.
    _open_page(at, "dokumenter")
    table = at.data_editor[0].value
    values = [v for column in table.columns for v in table[column] if isinstance(v, str)]
    assert not [v for v in values if v[:1] in FORMULA_START], values
    assert f"'{CMD}" in set(table["sender"])  # the From name, kept as text


def test_no_icon_is_fetched_from_another_host(app_env, sample_index, monkeypatch):
    """A Material page icon makes every browser fetch the favicon from fonts.gstatic.com (privacy; broken
    offline): the page icon is an emoji (an inline data: URL). The navigation icons are Material Symbols, drawn
    from the font Streamlit serves itself (no emoji font needed; tests/test_browser_walk.py checks in a real
    browser that nothing is fetched from another host); the config names no remote font either."""
    import streamlit as st

    icons = []
    set_page_config, page = st.set_page_config, st.Page

    def record_config(*args, **kwargs):
        icons.append(kwargs.get("page_icon"))
        return set_page_config(*args, **kwargs)

    def record_page(*args, **kwargs):
        icons.append(kwargs.get("icon"))
        return page(*args, **kwargs)

    monkeypatch.setattr(st, "set_page_config", record_config)
    monkeypatch.setattr(st, "Page", record_page)
    at = app_env(sample_index.index)
    _no_exception(at)
    assert len(icons) == 6, icons  # the page icon and the five pages' icons
    page_icon, *nav_icons = icons
    assert page_icon and not page_icon.startswith(":") and "/" not in page_icon and "http" not in page_icon
    for icon in nav_icons:
        assert re.fullmatch(r":material/[a-z_]+:", icon), icon  # the bundled font; never a URL, never emoji
    from tests.conftest import REPO

    config = (REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert "http" not in config  # no remote font or asset
