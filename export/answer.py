"""One answer with its citations as Markdown or as a Word document (python-docx)."""

from __future__ import annotations

import io
from datetime import datetime

from retrieval.schema import Answer

LABELS = {
    "da": {"title": "Svar fra Høringsassistent", "question": "Spørgsmål", "answer": "Svar", "sources": "Kilder",
           "page": "side", "filters": "Filtre", "made": "Udarbejdet", "none": "ingen"},
    "en": {"title": "Answer from Høringsassistent", "question": "Question", "answer": "Answer", "sources": "Sources",
           "page": "page", "filters": "Filters", "made": "Made", "none": "none"},
}


def _labels(answer: Answer) -> dict[str, str]:
    return LABELS.get(answer.language, LABELS["da"])


def _filters_text(answer: Answer) -> str:
    active = answer.filters.active()
    return ", ".join(f"{k} = {v}" for k, v in active.items()) if active else _labels(answer)["none"]


def to_markdown(answer: Answer) -> str:
    t = _labels(answer)
    lines = [
        f"# {t['title']}",
        "",
        f"**{t['question']}:** {answer.question}",
        "",
        f"## {t['answer']}",
        "",
        answer.text,
        "",
        f"## {t['sources']}",
        "",
    ]
    for c in answer.citations:
        if c.verified:
            lines.append(f"{c.n}. {c.sender} ({c.sender_type}) – {c.source}, {t['page']} {c.page}: »{c.quote}«")
    lines += ["", f"_{t['filters']}: {_filters_text(answer)} · {t['made']} {datetime.now():%Y-%m-%d %H:%M}_", ""]
    return "\n".join(lines)


def to_docx(answer: Answer) -> bytes:
    import docx

    t = _labels(answer)
    document = docx.Document()
    document.add_heading(t["title"], level=1)
    question = document.add_paragraph()
    question.add_run(f"{t['question']}: ").bold = True
    question.add_run(answer.question)
    document.add_heading(t["answer"], level=2)
    for block in answer.text.split("\n"):
        if block.startswith("- "):
            document.add_paragraph(block[2:], style="List Bullet")
        elif block.strip():
            document.add_paragraph(block)
    document.add_heading(t["sources"], level=2)
    for c in answer.citations:
        if not c.verified:
            continue
        par = document.add_paragraph(style="List Number")
        par.add_run(f"[{c.n}] {c.sender}").bold = True
        par.add_run(f" ({c.sender_type}) – {c.source}, {t['page']} {c.page}: ")
        par.add_run(f"»{c.quote}«").italic = True
    document.add_paragraph(f"{t['filters']}: {_filters_text(answer)} · {t['made']} {datetime.now():%Y-%m-%d %H:%M}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
