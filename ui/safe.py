"""Showing document text safely: always escaped, never rendered as HTML or Markdown from the document."""

from __future__ import annotations

import html
import re

# "&": no HTML entity (&lt;) is decoded; "=": a line of "=" under text would make it a heading.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")


def escape_markdown(text: str) -> str:
    """Every character Markdown (or Streamlit's extensions) could interpret is backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def answer_markdown(text: str) -> str:
    """Our answer text as Markdown: only our own bullets are kept; all content is escaped."""
    lines = []
    for line in text.split("\n"):
        if line.startswith("- "):
            lines.append("- " + escape_markdown(line[2:]))
        else:
            lines.append(escape_markdown(line))
    return "  \n".join(lines).replace("  \n  \n", "\n\n")


def highlighted_html(text: str, start: int | None = None, end: int | None = None, scroll: bool = False) -> str:
    """The text escaped, with [start, end) wrapped in <mark>; newlines kept."""
    if start is None or end is None or not (0 <= start < end <= len(text)):
        body = html.escape(text)
    else:
        body = html.escape(text[:start]) + "<mark>" + html.escape(text[start:end]) + "</mark>" + html.escape(text[end:])
    style = "white-space: pre-wrap; font-family: inherit; line-height: 1.5;"
    if scroll:
        style += " max-height: 420px; overflow-y: auto; border: 1px solid #ddd; padding: 0.75rem; border-radius: 0.4rem;"
    return f'<div class="hoering-passage" style="{style}">{body}</div>'
