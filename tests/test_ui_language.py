"""One language at a time: every page of the app, in Danish and in English, shows no text of the other language.

AppTest reads what the script sends (labels, placeholders, options, captions, alerts, column headers …) on each
page in each language; tests/test_browser_walk.py reads the page a browser shows (Streamlit's own widget texts
included). Answers and letters' text are left out: they follow the question's language and quote the letters.
Also here: the Streamlit configuration (quiet, offline) and the table of Streamlit's own texts.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib

import pytest
from streamlit.testing.v1.element_tree import Block

from core.phrases import LANGUAGES
from tests.conftest import REPO
from tests.test_app import _no_exception, _open_page, app_env  # noqa: F401  (app_env is a fixture)

PAGES = ("", "temaer", "dokumenter")  # chat (the default page), themes and notat, the document library

# Words of one language that the other language's interface never shows (whole words, case as written).
ENGLISH = ["Upload", "Browse files", "Drag and drop", "per file", "Choose", "Search", "Documents", "Document",
           "Ask", "Download", "Sender", "Filters", "Language", "Select", "Running", "Skip to", "No results", "yyyy",
           "Clear", "Themes", "Theme", "Save", "Remove", "Technical", "Limit", "options", "Add files", "Date",
           "Index", "Municipality", "Hearing", "Pages", "File", "Check sender", "New conversation", "None",
           # what a screen reader says (aria-label)
           "start date", "end date", "Collapse", "Expand", "Open", "Sidebar", "heading", "upload", "year", "month",
           "day", "App pages", "Show/hide", "Chat message", "Feedback rating", "Copy to clipboard", "Dismiss",
           "options available", "option available"]
DANISH = ["Søg", "Spørg", "Dokumenter", "Dokument", "Hent", "Indlæs", "Vælg", "Gem", "Fjern", "Filtre", "Sprog",
          "Afsender", "Afsendertype", "Temaer", "Tekniske", "Ingen", "gælder", "åååå", "Gå til", "Ryd", "samtale",
          "Svartype", "dokumenter", "tekststykker", "Indeks", "sprogmodel", "Dato", "Sider", "Fil", "Tjek",
          "Bemærkning", "Annullér", "Kommune", "Høring", "alle",
          "startdato", "slutdato", "Sidepanel", "Åbn", "filindlæsning", "Skjul", "Dit spørgsmål", "Svar", "Bedøm",
          "udklipsholderen", "valgmuligheder", "valgmulighed", "Luk"]
# (The calendar's month and day names, and its "måned"/"år" pickers, follow the browser's own language.)
OTHER = {"da": ENGLISH, "en": DANISH}

# Widgets whose options are the letters' own values (senders, municipalities, hearings, documents, themes).
LETTER_OPTIONS = {"f_sender", "f_municipality", "f_hearing", "lib_remove_pick", "merge_pick"}


def other_language(text: str, lang: str) -> list[str]:
    """The other language's marker words found in ``text``."""
    return [w for w in OTHER[lang] if re.search(rf"(?<![\wæøåÆØÅ]){re.escape(w)}(?![\wæøåÆØÅ])", text)]


def page_texts(at, themes_page: bool = False) -> list[str]:
    """Every text the script sent for the page, except answers (chat messages), passages (HTML) and the
    letters' own values (filter options, theme labels and their quotes)."""
    found: list[str] = []

    def visit(node) -> None:
        if isinstance(node, Block):
            if node.type == "chat_message" or (themes_page and node.type == "expander"):
                return  # an answer; a theme (its label and quotes are the letters' words)
            if getattr(node, "label", None):
                found.append(node.label)
            for child in node.children.values():
                visit(child)
            return
        if node.type in ("html", "chat_message"):
            return
        key = getattr(node, "key", None)
        for attribute in ("label", "help", "placeholder"):
            value = getattr(node, attribute, None)
            if isinstance(value, str) and value:
                found.append(value)
        if node.type in ("markdown", "caption", "title", "header", "subheader", "text", "info", "warning",
                         "error", "success"):
            found.append(str(node.value))
        if key not in LETTER_OPTIONS and node.type in ("selectbox", "multiselect", "radio"):
            found.extend(str(o) for o in node.options)
        if node.type == "button_group":
            found.extend(o.content for o in node.proto.options)
        if node.type in ("arrow_data_frame", "dataframe"):
            for column in json.loads(node.proto.columns or "{}").values():
                if isinstance(column, dict):
                    found.extend(str(column.get(k)) for k in ("label", "help") if column.get(k))

    visit(at._tree)
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_speaks_one_language(app_env, sample_index, lang):  # noqa: F811
    at = app_env(sample_index.index)
    if lang != "da":
        at.segmented_control(key="language_choice").set_value(lang).run()
        _no_exception(at)
    assert at.session_state["language"] == lang if "language" in at.session_state else lang == "da"
    seen = {}
    for page in PAGES:
        _open_page(at, page)
        if page == "":
            question = {"da": "Hvad siger kommunerne om ventelister?",
                        "en": "What do the municipalities say about waiting lists?"}[lang]
            at.chat_input[0].set_value(question).run()
            _no_exception(at)
            assert [m.name for m in at.chat_message] == ["user", "assistant"]
        texts = page_texts(at, themes_page=page == "temaer")
        assert len(texts) > 10, texts
        seen[page] = texts
        wrong = {text: other_language(text, lang) for text in texts if other_language(text, lang)}
        assert not wrong, f"{lang} page {page or 'chat'!r} shows the other language: {wrong}"
    # the library's column headers are words of the interface's language (not "title / pages / chunks / source")
    library = " | ".join(seen["dokumenter"])
    expected = {"da": ["Afsender", "Afsendertype", "Dato", "Titel", "Sider", "Tekststykker", "Fil", "Tjek afsender"],
                "en": ["Sender", "Sender type", "Date", "Title", "Pages", "Passages", "File", "Check sender"]}[lang]
    for header in expected:
        assert header in seen["dokumenter"], (header, library)
    for internal in ("doc_id", "chunks", "source", "pages", "Embedding"):
        assert internal not in seen["dokumenter"]


def test_the_widget_text_table_covers_both_languages():
    from core.phrases import PHRASES
    from ui import widget_texts

    for lang in LANGUAGES:
        table = widget_texts.table(lang)
        for english, key in widget_texts.STREAMLIT_TEXTS.items():
            target = PHRASES[f"ui.widget.{key}"][lang]
            assert table.get(english, english) == target  # Streamlit's English becomes our text
            for other in LANGUAGES:  # and so does the other language's text, after a switch
                assert table.get(PHRASES[f"ui.widget.{key}"][other], target) == target
        assert all(source != target for source, target in table.items())  # nothing maps to itself: no loop
    assert widget_texts.table("da")["Upload"] == "Vælg filer" and widget_texts.table("da")["yyyy"] == "åååå"
    html = widget_texts.html("da")
    assert html.count("<script>") == 1 and html.count("</script>") == 1  # no text can close the script early
    assert 'stFileUploaderDropzoneInstructions"] { display: none; }' in html


def test_the_streamlit_configuration_is_quiet_and_offline(tmp_path):
    """.streamlit/config.toml: no file watcher (the "Inotify queue overflowed" flood), no rerun on save, no usage
    statistics, no error links to other hosts, no tracebacks for users; and Streamlit itself reads these
    options under these names (`streamlit config show` run in the repository)."""
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none" and config["server"]["runOnSave"] is False
    assert config["server"]["address"] == "127.0.0.1" and config["server"]["headless"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorLinks"] is False and config["client"]["showErrorDetails"] == "type"
    assert "theme" not in config or "font" not in config["theme"]  # Streamlit's own bundled fonts: nothing fetched
    shown = subprocess.run([sys.executable, "-m", "streamlit", "config", "show"], cwd=REPO, capture_output=True,
                           text=True, timeout=120, check=True).stdout
    for name, value in [("fileWatcherType", '"none"'), ("runOnSave", "false"), ("gatherUsageStats", "false"),
                        ("showErrorLinks", "false"), ("showErrorDetails", '"type"')]:
        assert re.search(rf"The value below was set in \S*config\.toml\n{name} = {value}\n", shown), name
