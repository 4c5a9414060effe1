"""ui/casefile_themes.py: the themes editor's rows become the official's list (the page itself is driven in
tests/test_ui_casefile.py)."""

from __future__ import annotations

import pandas as pd

from ui.casefile_themes import edited_pairs


def test_edited_theme_rows_become_the_officials_list():
    frame = pd.DataFrame([
        {"position": 2, "label": "Rekruttering af personale", "description": "vikarer, fastholdelse"},
        {"position": 1, "label": "  Pårørendes inddragelse ", "description": None},
        {"position": None, "label": "Økonomi", "description": ""},
        {"position": 3, "label": "", "description": "a row with no label is no theme"},
    ])
    assert edited_pairs(frame) == [("Pårørendes inddragelse", ""), ("Rekruttering af personale", "vikarer, fastholdelse"),
                                   ("Økonomi", "")]
