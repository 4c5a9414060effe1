"""index/casefile_store.py: the case file on a real SQLite database (the default, in the index folder): reads
create nothing, every write is one transaction, and another process sees what one wrote."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from core.casefile import ConfirmedTheme, PartyLink
from core.parties import Party
from index.casefile_store import FILE_NAME, CaseFileStore, database_url
from tests.conftest import settings_for

REPO = Path(__file__).resolve().parents[1]


def test_reading_a_case_file_that_does_not_exist_creates_nothing(tmp_path):
    store = CaseFileStore.for_settings(settings_for(tmp_path / "index"))
    record = store.hearing("Budget 2024")
    assert record.name == "Budget 2024" and not record.has_list and record.links == () and record.themes == ()
    assert store.hearing_names() == []
    assert not (tmp_path / "index").exists()


def test_round_trip_in_the_index_folder(tmp_path):
    settings = settings_for(tmp_path / "index")
    store = CaseFileStore.for_settings(settings)
    assert database_url(settings).endswith(f"/index/{FILE_NAME}")
    store.set_parties("  Budget   2024 ", [Party("Norddjurs Kommune", 2, {"E-mail": "x@y.dk"}), Party("HMU", 3)])
    store.set_dates("Budget 2024", sent="2023-08-01", deadline="2023-09-30")
    store.set_link("Budget 2024", PartyLink("abc", "HMU"))
    store.set_themes("Budget 2024", [ConfirmedTheme("t2", "Ventelister"), ConfirmedTheme("t1", "Rekruttering", "vikarer")])
    record = CaseFileStore.for_settings(settings).hearing("Budget 2024")
    assert [p.name for p in record.parties] == ["Norddjurs Kommune", "HMU"] and record.parties[0].extra == {"E-mail": "x@y.dk"}
    assert (record.sent, record.deadline) == ("2023-08-01", "2023-09-30")
    assert record.links == (PartyLink("abc", "HMU", "person"),)
    assert [(t.theme_id, t.label, t.description) for t in record.themes] == [("t2", "Ventelister", ""),
                                                                             ("t1", "Rekruttering", "vikarer")]
    assert store.hearing_names() == ["Budget 2024"]
    assert (tmp_path / "index" / FILE_NAME).exists()


def test_a_second_process_sees_and_changes_the_same_case_file(tmp_path):
    settings = settings_for(tmp_path / "index")
    store = CaseFileStore.for_settings(settings)
    store.set_parties("H", [Party("A", 2), Party("B", 3)])
    script = (
        "import sys; from index.casefile_store import CaseFileStore; from core.casefile import PartyLink\n"
        "store = CaseFileStore(sys.argv[1]); assert [p.name for p in store.hearing('H').parties] == ['A', 'B']\n"
        "store.set_link('H', PartyLink('doc1', 'B'))\n"
    )
    subprocess.run([sys.executable, "-c", script, database_url(settings)], cwd=REPO, check=True, timeout=60)
    assert store.hearing("H").links == (PartyLink("doc1", "B", "person"),)
    store.set_link("H", PartyLink("doc1", "A"))  # the last write wins
    assert store.hearing("H").links == (PartyLink("doc1", "A", "person"),)
