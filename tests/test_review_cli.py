"""``hoering review list|set|history`` and the trail's hooks in ``docs set``, ``hearing match`` and ``remove``: the
JSON shapes the README documents, exit codes, a person's verdict in ``themes matrix`` and in a new process, and the
audit export (CSV/XLSX) with every change — who, when, old → new, why — and no formula cell."""

from __future__ import annotations

import csv
import io
import json
import subprocess

import openpyxl
import pytest

from core.settings import get_settings
from tests.conftest import HEARING_DATA
from tests.processes import hoering_command, in_process_cli, python_env

VISIONS = "Visions- og udviklingsplan for Socialområdet i Region Midtjylland"
DECISION_KEYS = {"hearing", "kind", "doc_id", "subject", "value", "machine_value", "source", "model", "decided_by",
                 "decided_at", "state", "machine_changed"}
QUEUE_ITEM_KEYS = DECISION_KEYS | {"reason", "sender", "sentence", "label"}
HISTORY_KEYS = {"id", "hearing", "kind", "doc_id", "subject", "who", "at", "old_value", "new_value", "old_state",
                "new_state", "why"}


@pytest.fixture
def cli(monkeypatch):
    yield in_process_cli(monkeypatch)
    get_settings.cache_clear()


@pytest.fixture
def index(hearing_copy, cli):
    target = hearing_copy.index
    assert cli("hearing", "import-list", "visions", HEARING_DATA / "hoeringsliste.xlsx", "--index", target)[0] == 0
    assert cli("themes", "confirm", "--hearing", "visions", "Ventelister", "Rekruttering af personale",
               "--index", target)[0] == 0
    return target


def _json(out: str):
    return json.loads(out)


def test_queue_set_and_the_matrix_and_a_new_process_see_it(cli, index):
    code, out, _ = cli("review", "list", "--hearing", "visions", "--queue", "--json", "--index", index)
    queue = _json(out)
    assert code == 0 and set(queue) == {"hearing", "reviewed", "total", "items"} and queue["hearing"] == VISIONS
    assert queue["items"] and all(set(i) == QUEUE_ITEM_KEYS for i in queue["items"])
    assert queue["reviewed"] == 0 and queue["total"] > len(queue["items"])
    assert {i["reason"] for i in queue["items"]} <= {"uncertain_verdict", "check_sender", "uncertain_party", "unlisted",
                                                    "campaign", "flagged"}
    first = queue["items"][0]
    code, out, _ = cli("review", "set", "visions", first["kind"], first["doc_id"][:10], first["subject"], "--accept",
                       "--why", "læst", "--json", "--index", index)
    accepted = _json(out)
    assert code == 0 and set(accepted) == DECISION_KEYS
    assert (accepted["state"], accepted["decided_by"], accepted["source"]) == ("reviewed", "sagsbehandler", first["source"])
    code, out, _ = cli("review", "list", "--hearing", "visions", "--queue", "--json", "--index", index)
    again = _json(out)
    assert again["reviewed"] == 1 and len(again["items"]) == len(queue["items"]) - 1

    code, out, _ = cli("themes", "matrix", "--hearing", "visions", "--json", "--index", index)
    matrix = _json(out)
    cell = next(c for c in matrix["cells"] if c["verdict"] == "not_mentioned")
    assert {"source", "model", "decided_by", "state"} <= set(cell) and cell["source"] == "model"
    code, out, _ = cli("review", "set", "visions", "verdict", cell["doc_id"][:10], cell["theme_id"], "--value", "mentions",
                       "--json", "--index", index)
    assert code == 0 and (_json(out)["value"], _json(out)["source"]) == ("mentions", "person")
    code, out, _ = cli("themes", "matrix", "--hearing", "visions", "--json", "--index", index)
    mine = next(c for c in _json(out)["cells"] if (c["doc_id"], c["theme_id"]) == (cell["doc_id"], cell["theme_id"]))
    assert (mine["verdict"], mine["source"], mine["decided_by"], mine["state"]) == ("mentions", "person", "sagsbehandler", "reviewed")
    assert _json(out)["review"] == {"reviewed": 2, "total": again["total"]}
    # a restart: a new process reads the same trail
    done = subprocess.run([*hoering_command(), "review", "list", "--hearing", "visions", "--kind", "verdict", "--state",
                           "reviewed", "--json", "--index", str(index)], capture_output=True, text=True,
                          env=python_env(), timeout=180)
    listed = _json(done.stdout)["decisions"]
    assert done.returncode == 0 and all(set(d) == DECISION_KEYS for d in listed)
    assert any((d["doc_id"], d["subject"], d["value"], d["source"]) == (cell["doc_id"], cell["theme_id"], "mentions", "person")
               for d in listed)


def test_set_refuses_what_it_cannot_do(cli, index):
    code, out, _ = cli("review", "list", "--hearing", "visions", "--queue", "--json", "--index", index)
    doc = _json(out)["items"][0]["doc_id"]
    code, _, err = cli("review", "set", "visions", "verdict", doc[:10], "x", "--accept", "--flag", "--index", index)
    assert code == 2 and "præcis én" in err
    code, _, err = cli("review", "set", "visions", "stance", doc[:10], "--value", "måske", "--index", index)
    assert code == 2 and "for, imod, uklar" in err
    code, _, err = cli("review", "set", "visions", "opinion", doc[:10], "--accept", "--index", index)
    assert code == 2
    code, _, err = cli("review", "set", "visions", "verdict", doc[:10], "findes-ikke", "--accept", "--index", index)
    assert code == 2 and "ingen vurdering" in err
    code, _, _ = cli("review", "list", "--state", "done", "--index", index)
    assert code == 2


def test_docs_set_match_and_remove_write_the_history_and_the_audit_export_has_no_formula(cli, index, tmp_path):
    code, out, _ = cli("hearing", "status", "visions", "--json", "--index", index)
    letters = {x["sender"]: x["doc_id"] for x in _json(out)["letters"]}
    norddjurs, hedensted = letters["Norddjurs Kommune"], letters["Hedensted Kommune (Voksenhandicap)"]
    code, _, _ = cli("docs", "set", hedensted[:10], "--sender", "=HYPERLINK(\"x\")", "--index", index)
    assert code == 0
    code, _, _ = cli("hearing", "match", "visions", norddjurs[:10], "Syddjurs Kommune", "--index", index)
    assert code == 0
    code, _, _ = cli("review", "set", "visions", "stance", norddjurs[:10], "--value", "imod", "--why", "+47 siger nej",
                     "--index", index)
    assert code == 0
    code, out, _ = cli("review", "history", "--hearing", "visions", "--json", "--index", index)
    history = _json(out)["history"]
    assert history and all(set(e) == HISTORY_KEYS for e in history)
    by = {(e["kind"], e["doc_id"], e["subject"]): e for e in history}
    sender = by[("metadata", hedensted, "sender")]
    assert (sender["who"], sender["old_value"], sender["new_value"]) == (
        "sagsbehandler", "Hedensted Kommune (Voksenhandicap)", "=HYPERLINK(\"x\")")
    party = by[("party", norddjurs, "")]
    assert (party["new_value"], party["new_state"], party["who"]) == ("Syddjurs Kommune", "reviewed", "sagsbehandler")
    stance = by[("stance", norddjurs, "")]
    assert (stance["new_value"], stance["why"]) == ("imod", "+47 siger nej") and stance["at"]

    target = tmp_path / "historik.csv"
    code, _, err = cli("review", "history", "--hearing", "visions", "--format", "csv", "--out", target, "--index", index)
    assert code == 0 and str(len(history)) in err
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Nr.", "Høring", "Slags", "Dokument", "Emne", "Hvem", "Hvornår", "Før", "Efter", "Gennemgang før",
                       "Gennemgang efter", "Begrundelse"]
    assert len(rows) == len(history) + 1
    assert not any(cell[:1] in "=+-@" and cell for row in rows[1:] for cell in row[1:])  # never a formula
    assert any(cell == "'=HYPERLINK(\"x\")" for row in rows for cell in row)
    assert any(cell == "'+47 siger nej" for row in rows for cell in row)
    xlsx = tmp_path / "historik.xlsx"
    code, _, _ = cli("review", "history", "--hearing", "visions", "--format", "xlsx", "--out", xlsx, "--index", index)
    sheet = openpyxl.load_workbook(xlsx).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert sheet.max_row == len(history) + 1
    assert all(c.data_type != "f" for c in cells) and not any(
        isinstance(c.value, str) and c.value[:1] in "=+-@" for c in cells)
    assert [c.value for c in sheet[2]][5] == history[0]["who"]

    code, out, _ = cli("remove", norddjurs[:10], "--json", "--index", index)
    assert code == 0
    code, out, _ = cli("review", "history", "--doc", norddjurs[:10], "--json", "--index", index)
    kept = _json(out)["history"]
    assert {e["kind"] for e in kept} >= {"party", "stance"}  # kept with the letter gone
    code, out, _ = cli("review", "list", "--json", "--index", index)
    assert not any(d["doc_id"] == norddjurs for d in _json(out)["decisions"])  # its decisions went
    code, _, _ = cli("remove", hedensted[:10], "--erase-history", "--index", index)
    assert code == 0
    code, out, _ = cli("review", "history", "--doc", hedensted[:10], "--json", "--index", index)
    assert _json(out)["history"] == []
