"""``hoering hearing …`` and ``hoering themes confirm|matrix``: the JSON shapes the README documents, exit codes
0 / 2, and the per-hearing notat of ``hoering export notat --hearing``."""

from __future__ import annotations

import json
import subprocess

import docx
import pytest

from core.settings import get_settings
from tests.conftest import HEARING_DATA
from tests.processes import hoering_command, in_process_cli, python_env

VISIONS = "Visions- og udviklingsplan for Socialområdet i Region Midtjylland"
LETTER_KEYS = {"doc_id", "source", "sender", "sender_type", "date", "needs_review", "outcome", "no_remarks_sentence",
               "stance", "stance_sentence", "party", "match", "match_score", "match_reason", "match_source", "campaign",
               "representative", "added"}
STATUS_KEYS = {"hearing", "sent", "deadline", "first_received", "last_received", "has_list", "letters", "parties",
               "campaigns", "themes", "counts"}


@pytest.fixture
def cli(monkeypatch):
    yield in_process_cli(monkeypatch)
    get_settings.cache_clear()


@pytest.fixture
def index(hearing_copy):
    return hearing_copy.index


def _json(out: str):
    return json.loads(out)


def test_list_import_status_match(cli, index, monkeypatch):
    code, out, _ = cli("hearing", "list", "--json", "--index", index)
    assert code == 0 and _json(out) == {"hearings": [{"hearing": VISIONS, "letters": 5}, {"hearing": "Budget 2024", "letters": 1},
                                                     {"hearing": "Budget 2024-2027", "letters": 1}]}
    code, out, _ = cli("hearing", "import-list", "visions", HEARING_DATA / "hoeringsliste.xlsx", "--json", "--index", index)
    imported = _json(out)
    assert code == 0 and imported["hearing"] == VISIONS and len(imported["parties"]) == 9
    assert imported["column"] == "Høringspart" and imported["problems"] == []
    code, out, _ = cli("hearing", "status", "visions", "--json", "--index", index)
    status = _json(out)
    assert code == 0 and set(status) == STATUS_KEYS and all(set(x) == LETTER_KEYS for x in status["letters"])
    assert status["counts"]["no_remarks"] == 2 and status["counts"]["not_answered"] == 4
    assert {p["name"] for p in status["parties"] if p["status"] == "not_received"} == {
        "HMU, Socialområdet", "OMU Social, Roskilde", "Syddjurs Kommune", "Danske Handicaporganisationer"}
    norddjurs = next(x["doc_id"] for x in status["letters"] if x["sender"] == "Norddjurs Kommune")
    code, out, _ = cli("hearing", "match", "visions", norddjurs[:10], "Syddjurs Kommune", "--json", "--index", index)
    assert code == 0 and _json(out) == {"hearing": VISIONS, "doc_id": norddjurs, "party": "Syddjurs Kommune", "cleared": False}
    code, out, _ = cli("hearing", "status", "visions", "--json", "--index", index)
    letter = next(x for x in _json(out)["letters"] if x["doc_id"] == norddjurs)
    assert (letter["party"], letter["match_source"]) == ("Syddjurs Kommune", "person")
    code, _, err = cli("hearing", "match", "visions", norddjurs[:10], "Aarhus Kommune", "--index", index)
    assert code == 2 and "står ikke på høringslisten" in err
    code, _, err = cli("hearing", "match", "budget 2024", norddjurs[:10], "--none", "--index", index)
    assert code == 2 and "hører ikke til høringen" in err  # a letter of another hearing: nothing written
    code, _, _ = cli("hearing", "match", "visions", norddjurs[:10], "--clear", "--index", index)
    assert code == 0
    code, out, _ = cli("hearing", "status", "visions", "--json", "--index", index)
    assert next(x for x in _json(out)["letters"] if x["doc_id"] == norddjurs)["party"] == "Norddjurs Kommune"


def test_hearing_names_that_fit_none_or_several_exit_2(cli, index):
    code, _, err = cli("hearing", "status", "budget", "--index", index)
    assert code == 2 and "passer på flere høringer" in err
    code, _, err = cli("hearing", "status", "Letbane", "--index", index)
    assert code == 2 and "Ingen høring hedder" in err
    code, _, err = cli("hearing", "status", "--index", index)
    assert code == 2 and "--hearing" in err or "vælg" in err
    code, out, _ = cli("hearing", "status", "Budget 2024", "--json", "--index", index)  # in full: exactly that one
    assert code == 0 and [x["sender"] for x in _json(out)["letters"]] == ["Hoved-MEDudvalget for Socialområdet"]


def test_pasted_lines_and_a_list_with_no_names(cli, index, tmp_path):
    pasted = subprocess.run([*hoering_command(), "hearing", "import-list", "visions", "-", "--json", "--index", str(index)],
                            input="Norddjurs Kommune\n- Syddjurs Kommune\n\n", capture_output=True, text=True,
                            env=python_env(), timeout=120)
    assert pasted.returncode == 0, pasted.stderr
    assert _json(pasted.stdout)["parties"] == ["Norddjurs Kommune", "Syddjurs Kommune"]
    empty = tmp_path / "tom.csv"
    empty.write_text("Navn;E-mail\n;x@y.dk\n", encoding="utf-8")
    code, _, err = cli("hearing", "import-list", "visions", empty, "--index", index)
    assert code == 2 and "række 2: tom række" in err and "høringslisten er ikke ændret" in err
    code, out, _ = cli("hearing", "status", "visions", "--json", "--index", index)
    assert [p["name"] for p in _json(out)["parties"]] == ["Norddjurs Kommune", "Syddjurs Kommune"]  # kept
    code, _, _ = cli("hearing", "import-list", "visions", tmp_path / "findes-ikke.xlsx", "--index", index)
    assert code == 2


def test_themes_confirm_matrix_and_the_notat_of_the_hearing(cli, index, tmp_path):
    code, out, _ = cli("themes", "confirm", "--hearing", "visions", "Ventelister",
                       "Rekruttering af personale::mangel på faguddannede", "--json", "--index", index)
    confirmed = _json(out)
    assert code == 0 and [t["label"] for t in confirmed["themes"]] == ["Ventelister", "Rekruttering af personale"]
    assert confirmed["themes"][1]["description"] == "mangel på faguddannede"
    code, out, _ = cli("themes", "matrix", "--hearing", "visions", "--json", "--index", index)
    matrix = _json(out)
    assert code == 0 and matrix["confirmed"] is True and len(matrix["cells"]) == 2 * 3  # 3 letters with remarks
    assert {c["verdict"] for c in matrix["cells"]} <= {"mentions", "uncertain", "not_mentioned"}
    target = tmp_path / "notat.docx"
    code, _, err = cli("export", "notat", "--hearing", "visions", "--out", target, "--index", index)
    assert code == 0 and "5 høringssvar, 2 temaer" in err
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert f"Høringsnotat: {VISIONS}" in text and "Ingen bemærkninger" in text
    code, _, err = cli("export", "notat", "--hearing", "budget", "--out", target, "--index", index)
    assert code == 2 and "passer på flere høringer" in err
    code, _, _ = cli("themes", "confirm", "--hearing", "visions", "", "--index", index)
    assert code == 2  # a theme needs a name


def test_confirming_the_suggested_themes_as_they_are(cli, index):
    code, out, _ = cli("themes", "confirm", "--hearing", "visions", "--json", "--index", index)
    labels = [t["label"] for t in _json(out)["themes"]]
    assert code == 0 and labels
    code, out, _ = cli("themes", "matrix", "--hearing", "visions", "--json", "--index", index)
    assert [t["label"] for t in _json(out)["themes"]] == labels
