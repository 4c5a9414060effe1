"""Uploads in a real browser (headless chromium through Playwright), the app served as `make run` serves it
(issue 21 #6 and #12):

* a 60 MB file (over the default 50 MB of HOERING_MAX_UPLOAD_MB) gets its line in the app's outcome list in
  the user's language, like any other failure, never Streamlit's English "File must be 50.0MB or smaller.";
* an upload whose ingest fails, with a CPR number in its name, is not kept in the uploads folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_app import fresh_index  # noqa: F401  (a fixture)
from tests.test_browser import browser  # noqa: F401  (a fixture)
from tests.test_browser_walk import _new_page, _serve_as_make_run, _settle, _shot, _wait_text

pytestmark = pytest.mark.browser

BIG_MB = 60


def test_a_too_large_upload_is_refused_in_the_outcome_list_and_a_failed_one_is_not_kept(
    fresh_index, browser, tmp_path,  # noqa: F811
):
    big = tmp_path / "stor rapport.pdf"
    with big.open("wb") as handle:  # sparse: 60 MB on the page, nothing on the disk
        handle.truncate(BIG_MB * 1024 * 1024)
    broken = tmp_path / "Klage 160376-4322.pdf"
    broken.write_bytes(b"%PDF-1.4 not really a pdf")
    app = tmp_path / "app"
    app.mkdir()
    for url in _serve_as_make_run(fresh_index.index, app):
        context, page, guard = _new_page(browser)
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_test_id("stChatInputTextArea").wait_for(state="visible", timeout=90_000)
        _settle(page)
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(big), str(broken)])
        page.get_by_role("button", name="Indlæs filerne").wait_for(timeout=120_000)
        _settle(page)
        sidebar = page.get_by_test_id("stSidebar").inner_text()
        assert "File must be" not in sidebar and "or smaller" not in sidebar, sidebar
        page.get_by_role("button", name="Indlæs filerne").click()
        _wait_text(page, "Færdig: 0 indlæst, 0 uændret, 2 fejl.")
        _settle(page)
        _shot(page, tmp_path, "upload-too-large")
        sidebar = page.get_by_test_id("stSidebar").inner_text()
        assert "stor rapport.pdf: filen er større end 50 MB og blev ikke indlæst." in sidebar, sidebar
        assert "Klage _CPR-" in sidebar and ": fejl" in sidebar, sidebar
        assert "File must be" not in sidebar, sidebar
        context.close()
        assert guard.outside == [], guard.outside
    uploads = app / "uploads"
    kept = [p.name for p in uploads.iterdir()] if uploads.exists() else []
    assert kept == [], kept  # neither the refused file nor the one whose ingest failed
    assert not [p for p in Path(fresh_index.index).rglob("*") if "160376" in p.name]
