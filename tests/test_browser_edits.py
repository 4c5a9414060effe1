"""Corrections on the documents page in a real browser (headless Debian chromium through Playwright), on the test's
own copy of the sample index (issue 21 #1).

The reproduction of the defect, as a user does it: filter to "Hedensted", correct its sender in the table, save;
filter to "Roskilde". The row must show Roskilde's own sender, and "Gem ændringer" (with no edit) must write
nothing: before the fix the row showed Hedensted's new name and the save wrote it to OMU Social, Roskilde Kommune.
The index is read with `hoering docs --json` (a real process), what the user sees from the grid's own accessible
table (the cells as drawn, edits included). Then an unsaved edit and a change of filter: dropped with a notice.
"""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from tests.processes import hoering_command, python_env
from tests.test_app import fresh_index  # noqa: F401  (a fixture)
from tests.test_browser import _serve, browser  # noqa: F401  (a fixture and the server helper)
from tests.test_browser_walk import _check_language, _settle, _shot, _wait_text

pytestmark = pytest.mark.browser

HEDENSTED = "Hedensted Kommune (Voksenhandicap)"
ROSKILDE = "OMU Social, Roskilde Kommune"
NEW_NAME = "Hedensted Kommune, Handicap og Psykiatri"


def _documents(index) -> dict[str, dict]:
    """doc_id -> the document as `hoering docs --json` (a process of this checkout) reports it."""
    done = subprocess.run([*hoering_command(), "docs", "--index", str(index), "--json"], capture_output=True,
                          text=True, env=python_env(), timeout=120, check=True)
    return {d["doc_id"]: d for d in json.loads(done.stdout)["documents"]}


def _filter(page, text: str) -> None:
    box = page.get_by_label("Filtrér dokumenter")
    box.fill(text)
    box.press("Enter")
    _settle(page)


def _grid(page):
    return page.get_by_test_id("stDataFrame").first


def _shown_rows(page) -> list[list[str]]:
    """The table's rows as the grid draws them (its accessible table: the cells' texts, edits included)."""
    grid = _grid(page)
    grid.get_by_test_id("data-grid-canvas").focus()  # the grid writes its accessible table once it has focus
    deadline = time.monotonic() + 30
    while True:
        rows = grid.evaluate("""g => [...g.querySelectorAll('table[role=grid] tbody tr')]
                                     .map(r => [...r.querySelectorAll('[role=gridcell]')].map(c => c.textContent))""")
        if rows or time.monotonic() > deadline:
            return rows
        time.sleep(0.3)


def _type_into_first_cell(page, text: str) -> None:
    """Double-click the first row's first shown cell (Afsender), replace its text, and commit with Enter."""
    editor = page.locator("textarea.gdg-input")
    for attempt in range(4):  # a grid drawn again after a rerun may miss the first double-click: click again
        box = _grid(page).bounding_box()
        page.mouse.dblclick(box["x"] + 80, box["y"] + 52)
        try:
            editor.wait_for(timeout=10_000)
            break
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: try once more, then fail with it
            if attempt == 3:
                raise
            _settle(page)
    time.sleep(0.5)  # the overlay editor takes the focus
    editor.fill(text)
    editor.press("Enter")
    _settle(page)


def _senders_shown(page, expected: list[str], timeout: float = 30) -> list[str]:
    """The first column (Afsender) as the grid shows it, once it is ``expected`` or ``timeout`` has passed."""
    deadline = time.monotonic() + timeout
    while True:
        senders = [r[0] for r in _shown_rows(page) if r]
        if senders == expected or time.monotonic() > deadline:
            return senders
        time.sleep(0.5)


def test_a_correction_stays_on_its_letter_when_the_filter_changes(fresh_index, browser, tmp_path):  # noqa: F811
    before = _documents(fresh_index.index)
    hedensted = next(d for d in before.values() if d["sender"] == HEDENSTED)
    roskilde = next(d for d in before.values() if d["sender"] == ROSKILDE)
    (tmp_path / "app").mkdir()
    for url in _serve(fresh_index.index, tmp_path / "app"):
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="da-DK")
        page = context.new_page()
        page.goto(f"{url}/dokumenter", wait_until="domcontentloaded")
        page.get_by_label("Filtrér dokumenter").wait_for(timeout=90_000)
        _settle(page)

        # Hedensted: correct the sender, save
        _filter(page, "Hedensted")
        assert _senders_shown(page, [HEDENSTED]) == [HEDENSTED]
        _type_into_first_cell(page, NEW_NAME)
        assert _senders_shown(page, [NEW_NAME]) == [NEW_NAME]
        page.get_by_role("button", name="Gem ændringer").click()
        _wait_text(page, "Gemt: 1 dokument(er) rettet.")
        _settle(page)
        _shot(page, tmp_path, "edits-hedensted-saved")
        after = _documents(fresh_index.index)
        assert after[hedensted["doc_id"]]["sender"] == NEW_NAME

        # Roskilde: its own sender on the row, and a save with no edit writes nothing
        _filter(page, "Roskilde")
        assert _senders_shown(page, [ROSKILDE]) == [ROSKILDE]
        body = page.inner_text("body")
        assert NEW_NAME not in body and "kasseret" not in body
        _shot(page, tmp_path, "edits-roskilde")
        page.get_by_role("button", name="Gem ændringer").click()
        _wait_text(page, "Ingen ændringer at gemme: intet er skrevet.")
        _settle(page)
        assert "Gemt:" not in page.inner_text("body")
        assert _senders_shown(page, [ROSKILDE]) == [ROSKILDE]
        now = _documents(fresh_index.index)
        assert now[roskilde["doc_id"]] == roskilde  # the Roskilde letter's sender (and all else) unchanged
        assert {k: v for k, v in now.items() if k != hedensted["doc_id"]} == \
            {k: v for k, v in before.items() if k != hedensted["doc_id"]}

        # An unsaved edit, then another filter: dropped with a notice, never carried to the row shown now
        _type_into_first_cell(page, "Roskilde Kommune, forkert")
        assert _senders_shown(page, ["Roskilde Kommune, forkert"]) == ["Roskilde Kommune, forkert"]
        _filter(page, "Norddjurs")
        _wait_text(page, f"Ikke gemte rettelser til »{ROSKILDE}« er kasseret")
        assert _senders_shown(page, ["Norddjurs Kommune"]) == ["Norddjurs Kommune"]
        _check_language(page, "da", "the library with a dropped edit")
        _shot(page, tmp_path, "edits-dropped")
        page.get_by_role("button", name="Gem ændringer").click()
        _wait_text(page, "Ingen ændringer at gemme: intet er skrevet.")
        assert _documents(fresh_index.index) == now

        # Sorted by a click on "Afsender" (in the browser only): an edit goes to the document on the row clicked
        _filter(page, "")
        senders = [d["sender"] for d in now.values()]  # the order of `docs --json` and of the table
        assert _senders_shown(page, senders) == senders
        box = _grid(page).bounding_box()
        page.mouse.click(box["x"] + 60, box["y"] + 17)  # the header: sorts ascending
        _settle(page)
        assert _senders_shown(page, sorted(senders)) == sorted(senders) and senders != sorted(senders)
        assert sorted(senders)[0] == NEW_NAME and senders[0] != NEW_NAME
        _type_into_first_cell(page, "Hedensted Kommune")
        page.get_by_role("button", name="Gem ændringer").click()
        _wait_text(page, "Gemt: 1 dokument(er) rettet.")
        last = _documents(fresh_index.index)
        assert last[hedensted["doc_id"]]["sender"] == "Hedensted Kommune"
        assert {k: v for k, v in last.items() if k != hedensted["doc_id"]} == \
            {k: v for k, v in now.items() if k != hedensted["doc_id"]}
        context.close()
