"""The chat page: history, answers (streamed with an LLM), inferred-filter chips, sources, export, feedback."""

from __future__ import annotations

import streamlit as st

from answering.ask import ask, final_answer, text_pieces
from answering.conversation import Turn
from answering.texts import FIELD_NAMES, SENDER_TYPE_NAMES
from export.answer import to_docx, to_markdown
from export.feedback import record_feedback
from answering.schema import Answer
from index.records import Filters
from ui import resources, sidebar
from ui.safe import answer_markdown, escape_label, escape_markdown
from ui.sources import render_sources
from ui.texts import EXAMPLES, t


def _messages() -> list[dict]:
    return st.session_state.setdefault("messages", [])


def _history() -> list[Turn]:
    return [
        Turn(question=m["answer"].question, standalone=m["answer"].standalone_question or m["answer"].question,
             filters=m["answer"].filters)
        for m in _messages() if m["role"] == "assistant"
    ]


def _chip_label(field: str, value: str, lang: str) -> str:
    shown = SENDER_TYPE_NAMES[lang].get(value, value) if field == "sender_type" else value
    # A button label is Markdown; the value (a sender, municipality or hearing) comes from the letters.
    return t(lang, "inferred_chip", label=f"{FIELD_NAMES[lang][field]} = {escape_label(shown)}")


def _render_answer(answer: Answer, lang: str, index: int, last: bool) -> None:
    st.markdown(answer_markdown(answer.text))
    if answer.method == "coverage":
        _render_coverage(answer, lang)
    if answer.dropped_citations:
        st.caption(t(lang, "unverified", n=answer.dropped_citations))
    if last:
        for field in answer.filters.inferred:
            value = answer.filters.active().get(field)
            if value and st.button(_chip_label(field, value, lang), key=f"chip_{index}_{field}"):
                st.session_state.setdefault("blocked", []).append(field)
                st.session_state.pending = answer.question
                # Re-ask the standalone question on its own: asked as a follow-up of itself, the removed
                # filter would come back with the carried-over scope of the conversation.
                st.session_state.reask = answer.standalone_question or answer.question
                st.rerun()
    render_sources(answer, lang, key=f"a{index}")
    col1, col2 = st.columns(2)
    col1.download_button(t(lang, "download_md"), to_markdown(answer), file_name="svar.md", mime="text/markdown", key=f"md_{index}")
    col2.download_button(
        t(lang, "download_docx"), to_docx(answer), file_name="svar.docx", key=f"docx_{index}",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
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


def _render_coverage(answer: Answer, lang: str) -> None:
    """Every document in scope with its verdict: who mentions the topic and who does not."""
    for entry in answer.coverage:
        mark = "✅" if entry.mentions else "—"
        refs = " ".join(f"[{n}]" for n in entry.citations)
        verdict = (f"{entry.stance}: {entry.summary} {refs}" if entry.summary else refs) if entry.mentions else t(lang, "not_mentioned")
        st.markdown(f"{mark} {escape_markdown(entry.sender)} ({escape_markdown(entry.sender_type)}): {escape_markdown(verdict)}")


def _ask(question: str, filters: Filters, lang: str, standalone: str | None = None) -> None:
    """``standalone``: re-ask this standalone question without conversation history (an inferred filter removed)."""
    llm = resources.chat_model()
    mode = "coverage" if st.session_state.get("mode") == "coverage" else "answer"
    with st.chat_message("user"):
        st.markdown(escape_markdown(question))
    items = ask(standalone or question, resources.searcher(), mode=mode, filters=filters,
                history=[] if standalone else _history(), llm=llm)
    if mode == "coverage":  # who says what: every document in scope
        with st.spinner("…"):
            answer = final_answer(items)
    else:
        with st.chat_message("assistant"):
            if llm is not None:
                final: list[Answer] = []
                placeholder = st.empty()
                with placeholder.container():
                    st.write_stream(escape_markdown(piece) for piece in text_pieces(items, final))
                placeholder.empty()
                answer = final[-1]
            else:
                answer = final_answer(items)
    update = {"question": question}
    if standalone and mode == "answer":
        update["standalone_question"] = standalone
    _messages().append({"role": "user", "content": question})
    _messages().append({"role": "assistant", "answer": answer.model_copy(update=update)})


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
    st.segmented_control(
        t(lang, "mode"), ["answer", "coverage"], default="answer", key="mode",
        format_func=lambda m: t(lang, "mode_answer" if m == "answer" else "mode_coverage"),
    )
    messages = _messages()
    if not messages:
        st.info(t(lang, "empty"))
        st.write(t(lang, "examples"))
        for i, example in enumerate(EXAMPLES[lang]):
            if st.button(example, key=f"example_{i}", disabled=resources.asking_disabled()):
                st.session_state.pending = example
    answers = [i for i, m in enumerate(messages) if m["role"] == "assistant"]
    for i, message in enumerate(messages):
        with st.chat_message(message["role"]):
            if message["role"] == "user":
                st.markdown(escape_markdown(message["content"]))
            else:
                _render_answer(message["answer"], lang, i, last=bool(answers) and i == answers[-1])
    # Bounded like every question (HOERING_MAX_QUESTION_CHARS): the box stops taking characters at the limit.
    typed = st.chat_input(t(lang, "ask"), key="chat_input", max_chars=resources.settings().max_question_chars,
                          disabled=resources.asking_disabled())  # the sample still loading, no letter in yet
    pending = st.session_state.pop("pending", None)
    reask = st.session_state.pop("reask", None)
    if typed:
        st.session_state.blocked = []  # a removed inferred filter applies to re-asking that question only
        reask = None
    question = typed or pending
    if question:
        filters = filters.model_copy(update={"blocked": list(st.session_state.get("blocked", []))})
        _ask(question, filters, lang, standalone=reask)
        st.rerun()
