"""One answer with its citations as Markdown or as a Word document (python-docx)."""

from __future__ import annotations

import io
import re
from datetime import datetime

from core.phrases import message
from core.senders import sender_type_label
from export.coverage_table import COLUMNS, coverage_rows, headers
from export.labels import file_label, page_label
from export.safe import clean_text
from answering.schema import Answer, Citation
from answering.texts import field_name, filter_value

LABELS = ("title", "question", "answer", "sources", "page", "filters", "made", "none")


# Markdown: text from letters (quotes, senders, file names) and the question must stay text when the file is
# rendered, so the characters that could form inline markup are backslash-escaped ("_" only where it could
# start or end emphasis, so file names like 001_569e.txt stay readable).
_MD_INLINE = re.compile(r"[\\`*\[\]<>&~|$]|(?<![^\W_])_|_(?![^\W_])")


# GitHub-flavoured Markdown viewers also link bare URLs, "www." and e-mail addresses: one escape breaks each.
_MD_AUTOLINK = re.compile(r"(?<=:)/|(?<=[wW]{3})\.|@")


def _md(text: str) -> str:
    text = _MD_INLINE.sub(lambda m: "\\" + m.group(0), clean_text(text))
    return _MD_AUTOLINK.sub(lambda m: "\\" + m.group(0), text)


def _md_line(line: str) -> str:
    """One line of the answer: our own "- " bullets kept, everything else literal (no heading, list or quote)."""
    if line.startswith("- "):
        return "- " + _md(line[2:])
    text = re.sub(r"^(\s*)([#+=-])", r"\1\\\2", _md(line))
    return re.sub(r"^(\s*\d+)([.)])", r"\1\\\2", text)


def _xml(text: str) -> str:
    """Word: XML 1.0 forbids control characters; python-docx raises on them (e.g. a form feed in a question)."""
    return clean_text(text)


def _labels(answer: Answer) -> dict[str, str]:
    """The export's headings and labels in the answer's language (core.phrases)."""
    return {key: message(f"answer_export.{key}", answer.language) for key in LABELS}


def _filters_text(answer: Answer) -> str:
    """"afsendertype = kommuner, kommune = Roskilde": field names and values in words, in the answer's language."""
    lang = answer.language
    active = answer.filters.active()
    if not active:
        return _labels(answer)["none"]
    shown = {k: filter_value(k, v, lang) for k, v in active.items()}
    return ", ".join(f"{field_name(k, lang)} = {v}" for k, v in shown.items())


def _where(c: Citation, language: str) -> str:
    """"(kommune) – brev.pdf, side 3" – the file only by its own name, and only when it has one."""
    where = ", ".join(x for x in (file_label(c.source), page_label(c.page, language)) if x)
    if c.ocr:
        where += f" ({message('answer_export.ocr', language)})"
    return f" ({sender_type_label(c.sender_type, language)}) – {where}"


def to_markdown(answer: Answer) -> str:
    t = _labels(answer)
    lines = [
        f"# {t['title']}",
        "",
        f"**{t['question']}:** {_md(answer.question)}",
        "",
        f"## {t['answer']}",
        "",
        "\n".join(_md_line(line) for line in answer.text.split("\n")),
        "",
    ]
    if answer.method == "coverage" and answer.coverage:  # who says what: the table too
        lines += ["| " + " | ".join(_md(h) for h in headers(answer.language)) + " |", "|" + " --- |" * len(COLUMNS)]
        for row in coverage_rows(answer):
            lines.append("| " + " | ".join(_md(" ".join(str(v).split())) if v is not None else "" for v in row.cells()) + " |")
        lines.append("")
    lines += [f"## {t['sources']}", ""]
    for c in answer.citations:
        if c.verified:
            lines.append(f"{c.n}. {_md(c.sender)}{_md(_where(c, answer.language))}: »{_md(c.quote)}«")
    lines += ["", f"_{t['filters']}: {_md(_filters_text(answer))} · {t['made']} {datetime.now():%Y-%m-%d %H:%M}_", ""]
    return "\n".join(lines)


def to_docx(answer: Answer) -> bytes:
    import docx

    t = _labels(answer)
    document = docx.Document()
    document.add_heading(t["title"], level=1)
    question = document.add_paragraph()
    question.add_run(f"{t['question']}: ").bold = True
    question.add_run(_xml(answer.question))
    document.add_heading(t["answer"], level=2)
    for block in _xml(answer.text).split("\n"):
        if block.startswith("- "):
            document.add_paragraph(block[2:], style="List Bullet")
        elif block.strip():
            document.add_paragraph(block)
    if answer.method == "coverage" and answer.coverage:  # who says what: the table too
        rows = coverage_rows(answer)
        table = document.add_table(rows=1 + len(rows), cols=len(COLUMNS))
        table.style = "Table Grid"
        for j, header in enumerate(headers(answer.language)):
            table.rows[0].cells[j].paragraphs[0].add_run(_xml(header)).bold = True
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row.cells()):
                table.rows[i].cells[j].text = _xml("" if value is None else str(value))
    document.add_heading(t["sources"], level=2)
    for c in answer.citations:
        if not c.verified:
            continue
        par = document.add_paragraph(style="List Number")
        par.add_run(_xml(f"[{c.n}] {c.sender}")).bold = True
        par.add_run(_xml(f"{_where(c, answer.language)}: "))
        par.add_run(_xml(f"»{c.quote}«")).italic = True
    document.add_paragraph(_xml(f"{t['filters']}: {_filters_text(answer)} · {t['made']} {datetime.now():%Y-%m-%d %H:%M}"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
