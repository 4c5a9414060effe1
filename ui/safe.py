"""Showing document text safely: always escaped, never rendered as HTML or Markdown from the document."""

from __future__ import annotations

import html
import re

# "&": no HTML entity (&lt;) is decoded; "=": a line of "=" under text would make it a heading.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")


def escape_markdown(text: str) -> str:
    """Every character Markdown (or Streamlit's extensions) could interpret is backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


# A label (expander, button, chip) renders inline Markdown only (links, images, emphasis, code, strikethrough,
# Streamlit's :color[…], :material/…: and emoji directives, $math$), and block syntax is unwrapped to its text.
# Escaped: everything that opens inline markup, the ":" of URLs and directives, the "@" of e-mail addresses and
# the dot of "www." (GFM autolinks both), and a list or heading marker at the start; ordinary punctuation
# (. , - ( ) ! ?) stays as it is, so the label reads the same in the page source and in tests.
_LABEL_SPECIAL = re.compile(r"[\\`*_{}\[\]<>~$:|&@#=]|(?<=[wW]{3})\.")
_LABEL_BLOCK_START = re.compile(r"^(\s*)(?:([-+])|(\d+)([.)]))")


def escape_label(text: str) -> str:
    """Document text for a widget or expander label: one line, shown as text, never as a link or image."""
    text = " ".join(str(text).split())
    text = _LABEL_SPECIAL.sub(lambda m: "\\" + m.group(0), text)
    return _LABEL_BLOCK_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4)), text)


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
