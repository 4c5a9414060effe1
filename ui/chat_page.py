"""The chat page: history, answers (streamed with an LLM), inferred-filter chips, sources, export, feedback.

One language per answer: the answer, its chips, who-says-what table, source headers and exports follow
``answer.language``; the page's chrome (buttons, status line, captions) follows the interface language.
"""

from __future__ import annotations

import streamlit as st

from answering.ask import ask, final_answer, text_pieces
from answering.schema import Turn
from answering.coverage_answer import lead_sentence
from answering.texts import describe_filters, field_name, unverified_note
from core.senders import sender_type_label
from export.answer import to_docx, to_markdown
from export.coverage_table import COLUMNS, coverage_rows, state_word, to_csv, to_xlsx
from export.feedback import record_feedback
from answering.schema import Answer
from index.records import Filters
from ui import resources, sidebar
from ui.safe import CITATION_SCRIPT, answer_markdown, escape_label, escape_markdown, escape_stream
from ui.sources import render_nearest, render_sources, render_technical, source_key
from ui.texts import EXAMPLES, t

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROW_HEIGHT = 84  # three lines of a quote in the who-says-what table
HEADER_CHAR_PX, HEADER_PADDING_PX = 7, 24  # a column header's width: per character, and padding with room to spare
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The who-says-what table's columns on the page, by key: the citation number first and the page before the quote,
# so both stay in view; the quote wraps.
SCREEN_ORDER = ("source", "sender", "type", "mentions", "page", "quote")


def _messages() -> list[dict]:
    return st.session_state.setdefault("messages", [])


def _history() -> list[Turn]:
    return [Turn.of(m["answer"]) for m in _messages() if m["role"] == "assistant"]  # each with its topic


def _chip_label(field: str, value: str, lang: str) -> str:
    """The chip in the answer's language ``lang``: "✕ afsendertype = kommuner (udledt af spørgsmålet)"."""
    shown = sender_type_label(value, lang, "group") if field == "sender_type" else value
    # A button label is Markdown; the value (a sender, municipality or hearing) comes from the letters.
    return t(lang, "inferred_chip", label=f"{field_name(field, lang)} = {escape_label(shown)}")


def _links(answer: Answer, key: str) -> dict[int, str]:
    return {c.n: source_key(key, c.n) for c in answer.citations if c.verified}


def _render_answer(answer: Answer, lang: str, index: int, last: bool, loading: dict | None = None) -> None:
    """``loading``: {"done", "total"} when the answer was made while the sample letters were still loading."""
    alang = answer.language
    key = f"a{index}"
    if loading:
        st.warning(t(alang, "answer_while_loading", **loading))
    if answer.method == "coverage":
        _render_coverage(answer, lang, key)
    else:
        st.markdown(answer_markdown(answer.text, _links(answer, key)))
    if answer.dropped_citations:
        st.caption(unverified_note(answer.dropped_citations, alang, in_text=False))
    if last:
        for field in answer.filters.inferred:
            value = answer.filters.active().get(field)
            if value and st.button(_chip_label(field, value, alang), key=f"chip_{index}_{field}"):
                st.session_state.setdefault("blocked", []).append(field)
                st.session_state.pending = answer.question
                # Re-ask the standalone question on its own: asked as a follow-up of itself, the removed
                # filter would come back with the carried-over scope of the conversation.
                st.session_state.reask = answer.standalone_question or answer.question
                st.rerun()
    render_sources(answer, lang, key=key)
    if not answer.grounded and answer.method != "coverage":
        render_nearest(answer, lang, key=key)
    render_technical(answer, lang, key=key)
    if answer.grounded:  # a no-evidence reply is no answer to pass on: nothing to download
        col1, col2 = st.columns(2)
        col1.download_button(t(lang, "download_md"), to_markdown(answer), file_name="svar.md", mime="text/markdown",
                             key=f"md_{index}")
        col2.download_button(t(lang, "download_docx"), to_docx(answer), file_name="svar.docx", key=f"docx_{index}",
                             mime=DOCX)
    _render_feedback(answer, lang, index)


def _render_feedback(answer: Answer, lang: str, index: int) -> None:
    sent = st.session_state.setdefault("feedback_sent", set())
    if index in sent:
        st.caption(t(lang, "feedback_thanks"))
        return
    score = st.feedback("thumbs", key=f"fb_{index}")
    if score is not None:
        comment = st.text_input(t(lang, "feedback_comment"), key=f"fb_comment_{index}")
        if st.button(t(lang, "feedback_send"), key=f"fb_send_{index}"):
            record_feedback(resources.settings().feedback, answer, score, comment)
            sent.add(index)
            st.rerun()


def column_widths(language: str) -> dict[str, int]:
    """Pixel widths of the who-says-what table's columns by heading, each its column's least width
    (``export.coverage_table.COLUMNS``) or wide enough for its heading in ``language`` ("Mentions the topic?" was
    cut to "Mentions the topi…"): the grid writes headings in 14 px Source Sans, under 7 px a character, with 8 px
    of padding on each side."""
    headings = {c.heading(language): c.pixels for c in COLUMNS}
    return {name: max(pixels, HEADER_CHAR_PX * len(name) + HEADER_PADDING_PX) for name, pixels in headings.items()}


def _render_coverage(answer: Answer, lang: str, key: str) -> None:
    """Who says what: the short lead with the counts, then every document in scope as a sortable table whose
    rows open their source (mentions, uncertain, not mentioned; an uncertain row shows its best sentence, and a
    line under the table says what "usikker" asks of the reader), and the table as Excel or CSV."""
    alang = answer.language
    st.markdown(answer_markdown(lead_sentence(answer)))
    rows = coverage_rows(answer)
    if not rows:
        return
    names = {c.key: c.heading(alang) for c in COLUMNS}
    columns = {names[c.key]: [getattr(row, c.key) for row in rows] for c in COLUMNS}
    order = [names[key] for key in SCREEN_ORDER]
    widths = column_widths(alang)
    table_key = f"{key}_table"
    selection = st.dataframe(
        columns, hide_index=True, column_order=order, key=table_key, on_select="rerun", selection_mode="single-row",
        placeholder="", row_height=ROW_HEIGHT, height=38 + ROW_HEIGHT * min(len(rows), 8),
        column_config={name: st.column_config.Column(width=width) for name, width in widths.items()},
    )
    chosen = list(getattr(getattr(selection, "selection", None), "rows", None) or [])
    done = st.session_state.get(f"{table_key}_opened")
    if chosen != done:  # a row newly selected opens its source below (once; the reader may close it again)
        st.session_state[f"{table_key}_opened"] = chosen
        if chosen and rows[chosen[0]].n is not None:
            st.session_state[source_key(key, rows[chosen[0]].n)] = True
    st.caption(t(lang, "table_hint"))
    if (answer.counts or {}).get("uncertain"):  # the rows a person decides: what "usikker" means, in a line
        st.caption(t(lang, "table_uncertain_hint", word=state_word("uncertain", alang)))
    scope = describe_filters(answer.filters, alang)
    if scope and (answer.counts or {}).get("in_scope"):
        st.markdown(escape_markdown(scope))
    col1, col2 = st.columns(2)
    col1.download_button(t(lang, "table_xlsx"), to_xlsx(answer), file_name="hvem-siger-hvad.xlsx", mime=XLSX,
                         key=f"{key}_xlsx")
    col2.download_button(t(lang, "table_csv"), to_csv(answer), file_name="hvem-siger-hvad.csv", mime="text/csv",
                         key=f"{key}_csv")


class _Status:
    """The status line while an answer is made: "Søger …", "Vælger citater …", "Skriver svaret …", and for
    who-says-what a progress bar over the letters (the language model's map step reports each one)."""

    STEPS = {"search": 0.1, "quotes": 0.5, "write": 0.8}

    def __init__(self, lang: str, coverage: bool) -> None:
        self.lang, self.coverage = lang, coverage
        self.status = st.status(t(lang, "stage_verdicts" if coverage else "stage_search"), expanded=coverage)
        self.bar = self.status.progress(0.0) if coverage else None

    def stage(self, name: str) -> None:
        label = t(self.lang, "stage_verdicts" if self.coverage and name == "search" else f"stage_{name}")
        self.status.update(label=label)
        if self.bar is not None:
            self.bar.progress(self.STEPS.get(name, 0.0), text=label)

    def progress(self, done: int, total: int) -> None:
        if self.bar is not None and total:
            label = t(self.lang, "stage_progress", done=done, total=total)
            self.bar.progress(min(1.0, 0.1 + 0.9 * done / total), text=label)
            self.status.update(label=label)

    def done(self) -> None:
        if self.bar is not None:
            self.bar.progress(1.0)
        self.status.update(label=t(self.lang, "stage_done"), state="complete", expanded=False)


def _ask(question: str, filters: Filters, lang: str, standalone: str | None = None) -> None:
    """``standalone``: re-ask this standalone question without conversation history (an inferred filter removed)."""
    llm = resources.chat_model()
    mode = "coverage" if st.session_state.get("mode") == "coverage" else "answer"
    loading = _letters_so_far()
    with st.chat_message("user"):
        st.markdown(escape_markdown(question))
    with st.chat_message("assistant"):
        status = _Status(lang, coverage=mode == "coverage")
        items = ask(standalone or question, resources.searcher(), mode=mode, filters=filters,
                    history=[] if standalone or mode == "coverage" else _history(), llm=llm,
                    on_progress=status.progress, on_stage=status.stage)
        if mode == "answer" and llm is not None:
            final: list[Answer] = []
            placeholder = st.empty()
            with placeholder.container():
                st.write_stream(escape_stream(text_pieces(items, final)))
            placeholder.empty()
            answer = final[-1]
        else:
            answer = final_answer(items)
        status.done()
    update = {"question": question}
    if standalone and mode == "answer":
        update["standalone_question"] = standalone
    _messages().append({"role": "user", "content": question})
    _messages().append({"role": "assistant", "answer": answer.model_copy(update=update), "loading": loading})


def _letters_so_far() -> dict | None:
    """While the sample letters load in the background: how many of them a question asked now is answered from
    ({"done", "total"}); None when no loading runs."""
    progress = resources.sample_progress()
    if progress is None:
        return None
    documents = len(resources.searcher().snapshot().manifest.documents)
    return {"done": min(documents, progress.total), "total": progress.total}


def _choose_example(example: str) -> None:
    st.session_state.pending = example


def render() -> None:
    lang = sidebar.render_language()
    if st.sidebar.button(t(lang, "new_chat"), key="new_chat", type="primary"):
        st.session_state.messages = []
        st.session_state.blocked = []
        st.session_state.pop("pending", None)
    filters = sidebar.render_filters(lang)
    sidebar.render_status(lang)
    sidebar.render_upload(lang)

    st.title(t(lang, "title"))
    st.caption(t(lang, "tagline"))
    # Always one mode selected (clicking the selected one keeps it): the mode a question runs in is the one shown.
    st.segmented_control(
        t(lang, "mode"), ["answer", "coverage"], default="answer", key="mode", required=True,
        format_func=lambda m: t(lang, "mode_answer" if m == "answer" else "mode_coverage"),
    )
    # Bounded like every question (HOERING_MAX_QUESTION_CHARS): the box stops taking characters at the limit.
    # Read before the page is drawn (it stays pinned at the bottom), so a question being answered hides the
    # example buttons at once instead of leaving them clickable while the answer is made.
    typed = st.chat_input(t(lang, "ask"), key="chat_input", max_chars=resources.settings().max_question_chars,
                          disabled=resources.asking_disabled())  # the sample still loading, no letter in yet
    pending = st.session_state.pop("pending", None)
    reask = st.session_state.pop("reask", None)
    question = typed or pending
    messages = _messages()
    intro = st.empty()  # one slot: the empty state, or nothing while a question is answered
    if not messages and not question:
        with intro.container():
            st.info(t(lang, "empty"))
            st.write(t(lang, "examples"))
            for i, example in enumerate(EXAMPLES[lang]):
                st.button(example, key=f"example_{i}", on_click=_choose_example, args=(example,),
                          disabled=resources.asking_disabled())
    answers = [i for i, m in enumerate(messages) if m["role"] == "assistant"]
    for i, message in enumerate(messages):
        with st.chat_message(message["role"]):
            if message["role"] == "user":
                st.markdown(escape_markdown(message["content"]))
            else:
                _render_answer(message["answer"], lang, i, last=bool(answers) and i == answers[-1],
                               loading=message.get("loading"))
    if answers:
        st.html(CITATION_SCRIPT, unsafe_allow_javascript=True)  # "[n]" opens source n (ui/safe.py)
    if typed:
        st.session_state.blocked = []  # a removed inferred filter applies to re-asking that question only
        reask = None
    if question:
        filters = filters.model_copy(update={"blocked": list(st.session_state.get("blocked", []))})
        _ask(question, filters, lang, standalone=reask)
        st.rerun()
