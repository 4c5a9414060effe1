"""The page "Gennemgang" in a real browser (headless Debian chromium through Playwright), as an official uses it
(issue 25), on an index of the sample letters plus the sample hearing's two "ingen bemærkninger" answers, with the
sample høringsliste imported and the suggested themes confirmed:

open the page → the hearing's progress ("0 af N gennemgået") and its queue → accept the first item → the progress
moves to "1 af N", the item leaves the queue, and the review trail holds that one item as reviewed (with who) →
flag the next one → it shows as "Markeret til opfølgning". What is checked is what the page shows and the review
trail as stored. Screenshots go to the test's tmp dir and, when /work/shots exists, to $HOERING_SHOTS (default
/work/shots/review)."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from tests.test_browser import _serve, browser  # noqa: F401  (a fixture and the server helper)
from tests.test_browser_walk import _check_language, _settle, _wait_text, shot
from tests.test_ui_casefile import HEARING, hearing_index  # noqa: F401  (a fixture)
from tests.test_ui_review import prepare
from ui.review_page import item_key

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("HOERING_SHOTS", "/work/shots/review"))


_shot = functools.partial(shot, shots=SHOTS)


def _decisions(db: Path):
    from index.review_store import ReviewStore

    return ReviewStore(f"sqlite:///{db}").decisions(HEARING)


def _boxes(page):
    return page.locator('[class*="st-key-cf_rv_box_"]')


def test_review_an_item_in_the_browser(hearing_index, browser, tmp_path):  # noqa: F811
    db = tmp_path / "casefile.sqlite"
    prepare(hearing_index.model_copy(update={"review_db_url": f"sqlite:///{db}"}))
    (tmp_path / "app").mkdir()
    for url in _serve(hearing_index.index, tmp_path / "app", extra_env={"HOERING_REVIEW_DB_URL": f"sqlite:///{db}"}):
        context = browser.new_context(viewport={"width": 1400, "height": 2000}, locale="da-DK")
        page = context.new_page()
        page.goto(f"{url}/gennemgang", wait_until="domcontentloaded")
        page.get_by_role("heading", level=1).filter(has_text="Gennemgang").wait_for(timeout=90_000)
        page.get_by_role("heading", level=2).filter(has_text=HEARING).first.wait_for(timeout=120_000)
        _settle(page)
        total = len(_decisions(db))
        assert total > 0
        _wait_text(page, f"0 af {total} gennemgået")
        _check_language(page, "da", "the review page",
                        exclude=('[data-testid="stMain"] h2', '[class*="st-key-cf_rv_box_"]'))
        queued = _boxes(page).count()
        assert queued >= 1
        first = _boxes(page).first
        first_text = first.inner_text()
        assert "Usikker vurdering" in first_text  # the uncertain verdicts come first
        _shot(page, tmp_path, "review-start")

        first.get_by_role("button", name="Godkend").click()
        _wait_text(page, f"1 af {total} gennemgået")
        _wait_text(page, "Godkendt: svaret fra")
        _settle(page)
        reviewed = [d for d in _decisions(db) if d.state == "reviewed"]
        assert len(reviewed) == 1 and reviewed[0].decided_by == "sagsbehandler" and reviewed[0].source != "person"
        assert all(d.state == "unreviewed" for d in _decisions(db) if d.key != reviewed[0].key)
        assert _boxes(page).count() == queued - 1  # it left the queue
        _shot(page, tmp_path, "review-accepted")

        second = _boxes(page).first
        second.get_by_role("button", name="Markér til opfølgning").click()
        _wait_text(page, "Markeret til opfølgning: svaret fra")
        _settle(page)
        flagged = [d for d in _decisions(db) if d.state == "flagged"]
        assert len(flagged) == 1
        box = page.locator(f".st-key-{item_key('box', flagged[0].key)}")  # now last: follow-up comes after the rest
        box.scroll_into_view_if_needed()
        assert box.inner_text().startswith("Markeret til opfølgning")
        assert "Markér til opfølgning" not in box.inner_text()  # flagged already: accept or change, no second flag
        assert f"1 af {total} gennemgået" in page.inner_text("body")  # flagged is not reviewed
        _shot(page, tmp_path, "review-flagged")
        context.close()
