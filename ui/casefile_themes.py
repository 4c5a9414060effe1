"""The page "Høringen", its themes (ui/casefile_page.py composes the page): the editor of the hearing's themes
(confirm the suggested ones as they are, or edit, order, add and delete them, each with a description) and, once
they are confirmed, letters × themes with each cell's verdict and stance and each theme's quotes."""

from __future__ import annotations

import hashlib
import json
import math

import pandas as pd
import streamlit as st

from answering.casefile import HearingError, confirmed_themes
from answering.hearing_report import HearingReport
from core.phrases import message
from ui import auth, resources
from ui.casefile_shared import NOTAT, P, WITH_CONTENT, hearing_tag, said, sender_name, show_said, table_cell
from ui.safe import escape_label, escape_markdown
from ui.texts import t

MARKS = {"mentions": "✓", "uncertain": "?", "not_mentioned": "–"}


def theme_rows(report: HearingReport) -> list[dict]:
    """The editor's rows: the confirmed themes (with their descriptions), else the suggestions, in order."""
    if report.confirmed:
        return [{"position": i, "label": th.label, "description": th.description}
                for i, th in enumerate(report.case.themes, start=1)]
    return [{"position": i, "label": th.label, "description": ""} for i, th in enumerate(report.themes, start=1)]


def edited_pairs(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, description) pairs from the editor's rows, ordered by "Nr." (rows without one last, as written);
    rows with no label are skipped."""
    rows = []
    for i, row in enumerate(frame.to_dict("records")):
        label = row.get("label")
        label = "" if label is None or (isinstance(label, float) and pd.isna(label)) else str(label).strip()
        if not label:
            continue
        description = row.get("description")
        description = "" if description is None or (isinstance(description, float) and pd.isna(description)) else str(description)
        position = row.get("position")
        try:
            order = float(position)
        except (TypeError, ValueError):
            order = float("inf")
        if math.isnan(order):
            order = float("inf")  # no number: last
        rows.append((order, i, label, description))
    return [(label, description) for _, _, label, description in sorted(rows)]


def _save_themes(hearing: str, pairs: list[tuple[str, str]], lang: str) -> None:
    auth.require_writer()
    if not pairs:
        said(hearing, "themes:warning", t(lang, "cf.themes_empty"))
        st.rerun()
    try:
        themes = confirmed_themes(pairs)
    except HearingError as exc:
        said(hearing, "themes:error", escape_markdown(exc.render(lang)))
        st.rerun()
    resources.casefile_store().set_themes(hearing, themes)
    st.session_state.pop(NOTAT, None)
    said(hearing, "themes:success", t(lang, "cf.themes_saved", n=len(themes)))
    st.rerun()


def render_themes(report: HearingReport, hearing: str, lang: str) -> None:
    tag = hearing_tag(hearing)
    st.subheader(t(lang, "cf.themes_heading"))
    show_said(hearing, "themes")
    rows = theme_rows(report)
    writer = auth.may_write()  # a reader sees the themes; confirming or editing them is disabled (refused if forced)
    if report.confirmed:
        st.caption(t(lang, "cf.themes_confirmed"))
    elif rows:
        st.caption(t(lang, "cf.themes_suggested"))
        if st.button(t(lang, "cf.themes_confirm_as_is"), key=f"{P}themes_as_is_{tag}", type="primary",
                     disabled=not writer):
            _save_themes(hearing, [(r["label"], "") for r in rows], lang)
    else:
        st.caption(t(lang, "cf.themes_none"))
    st.caption(t(lang, "cf.themes_editor_help"))
    digest = hashlib.sha1(json.dumps([lang, rows], ensure_ascii=False).encode()).hexdigest()[:10]
    frame = pd.DataFrame(rows, columns=["position", "label", "description"])
    edited = st.data_editor(
        frame, key=f"{P}themes_{tag}_{digest}", num_rows="dynamic" if writer else "fixed", hide_index=True,
        width="stretch", disabled=not writer,
        column_config={
            "position": st.column_config.NumberColumn(t(lang, "cf.col.position"), min_value=1, step=1, width="small"),
            "label": st.column_config.TextColumn(t(lang, "cf.col.label"), max_chars=120, width="medium"),
            "description": st.column_config.TextColumn(t(lang, "cf.col.description"), width="large"),
        },
    )
    if st.button(t(lang, "cf.themes_save"), key=f"{P}themes_save_{tag}", disabled=not writer):
        _save_themes(hearing, edited_pairs(edited), lang)


def matrix_rows(report: HearingReport, lang: str) -> tuple[list[dict], dict[str, str]]:
    """Letters × themes: one row per letter with content, one column per theme ("t0", "t1" …, labelled by the
    second value: column → theme label), each cell the verdict's mark and the stance."""
    columns = {f"t{i}": th.label for i, th in enumerate(report.themes)}
    ids = {th.theme_id: f"t{i}" for i, th in enumerate(report.themes)}
    rows = []
    for letter in (x for x in report.case.letters if x.outcome == WITH_CONTENT):
        row: dict = {"sender": table_cell(sender_name(letter))}
        for column in columns:
            row[column] = ""
        for cell in (c for c in report.cells if c.doc_id == letter.doc_id and c.theme_id in ids):
            mark = MARKS.get(cell.verdict, "")
            row[ids[cell.theme_id]] = mark if cell.verdict == "not_mentioned" else \
                f"{mark} {message(f'casefile.stance.{cell.stance}', lang)}"
        rows.append(row)
    return rows, columns


def render_matrix(report: HearingReport, lang: str) -> None:
    st.subheader(t(lang, "cf.matrix_heading"))
    st.caption(t(lang, "cf.matrix_legend"))
    rows, columns = matrix_rows(report, lang)
    config = {"sender": st.column_config.TextColumn(t(lang, "col.sender"))}
    config.update({column: st.column_config.TextColumn(label) for column, label in columns.items()})
    st.dataframe(rows, hide_index=True, width="stretch", column_config=config)
    for theme in report.themes:
        cells = [c for c in report.cells if c.theme_id == theme.theme_id and c.verdict != "not_mentioned" and c.quote]
        with st.expander(escape_label(t(lang, "cf.quotes", label=theme.label, n=len(cells)))):
            for cell in cells:
                letter = report.case.letter(cell.doc_id)
                line = t(lang, "cf.quote_line", sender=escape_markdown(sender_name(letter) if letter else cell.doc_id),
                         verdict=message(f"casefile.verdict.{cell.verdict}", lang).lower(),
                         stance=message(f"casefile.stance.{cell.stance}", lang).lower(),
                         quote=escape_markdown(cell.quote or ""))
                if cell.page:
                    line += f" ({t(lang, 'cf.quote_page', page=cell.page)})"
                st.markdown(line)
