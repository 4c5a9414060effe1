"""Showing document text safely: always escaped, never rendered as HTML or Markdown from the document."""

from __future__ import annotations

import html
import re

# "&": no HTML entity (&lt;) is decoded; "=": a line of "=" under text would make it a heading; "@": an e-mail
# address would become a mailto: link (GFM autolinks).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=@])")


# GFM's autolinks are found in the text after Markdown is parsed (mdast-util-gfm-autolink-literal), where a
# backslash escape is already gone: "http\://evil\.example" still became a live link. A word joiner (U+2060,
# invisible, not a word character) between "http(s)" and ":", between "www" and "." and before "@" leaves
# nothing those patterns can match, and the text reads the same.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(https?|www)(?=[:.])|(?=@)")


def defeat_autolinks(text: str) -> str:
    """``text`` with a word joiner where GFM would start a link: after "http"/"https" before ":", after "www"
    before ".", and before "@" of an e-mail address."""
    return _AUTOLINK.sub(lambda m: (m.group(1) or "") + WORD_JOINER, text)


def escape_markdown(text: str) -> str:
    """Every character Markdown (or Streamlit's extensions) could interpret is backslash-escaped, and no web or
    e-mail address in it becomes a link."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", defeat_autolinks(text))


def escape_stream(pieces):
    """``escape_markdown`` for text that arrives in pieces (an LLM's stream): a piece is escaped when its word
    is complete, so an address split over two pieces ("http" + "://…") is escaped as a whole."""
    pending = ""
    for piece in pieces:
        pending += piece
        cut = max(pending.rfind(" "), pending.rfind("\n"), pending.rfind("\t"))
        if cut >= 0:
            yield escape_markdown(pending[: cut + 1])
            pending = pending[cut + 1 :]
    if pending:
        yield escape_markdown(pending)


# A label (expander, button, chip) renders inline Markdown only (links, images, emphasis, code, strikethrough,
# Streamlit's :color[…], :material/…: and emoji directives, $math$), and block syntax is unwrapped to its text.
# Escaped: everything that opens inline markup, the ":" of URLs and directives, the "@" of e-mail addresses and
# the dot of "www." (GFM autolinks both), and a list or heading marker at the start; ordinary punctuation
# (. , - ( ) ! ?) stays as it is, so the label reads the same in the page source and in tests.
_LABEL_SPECIAL = re.compile(r"[\\`*_{}\[\]<>~$:|&@#=]|(?<=[wW]{3})\.")
_LABEL_BLOCK_START = re.compile(r"^(\s*)(?:([-+])|(\d+)([.)]))")


def escape_label(text: str) -> str:
    """Document text for a widget or expander label: one line, shown as text, never as a link or image."""
    text = defeat_autolinks(" ".join(str(text).split()))
    text = _LABEL_SPECIAL.sub(lambda m: "\\" + m.group(0), text)
    return _LABEL_BLOCK_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4)), text)


def answer_markdown(text: str, links: dict[int, str] | None = None) -> str:
    """Our answer text as Markdown: only our own bullets are kept; all content is escaped. ``links``: citation
    number → in-page anchor; each "[n]" of those becomes a link to it (the page's script opens that source)."""
    lines = []
    for line in text.split("\n"):
        if line.startswith("- "):
            lines.append("- " + escape_markdown(line[2:]))
        else:
            lines.append(escape_markdown(line))
    markdown = "  \n".join(lines).replace("  \n  \n", "\n\n")
    if links:
        markdown = _CITE.sub(lambda m: f"[\\[{m.group(1)}\\]](#{links[int(m.group(1))]})" if int(m.group(1)) in links
                             else m.group(0), markdown)
    return markdown


_CITE = re.compile(r"\\\[(\d+)\\\]")  # an escaped "[n]" of the answer text


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


def document_html(text: str, start: int | None, end: int | None, element_id: str) -> str:
    """The whole document, escaped, in a scrolling box that opens at the highlighted quote (our own script,
    for ``st.html(..., unsafe_allow_javascript=True)``: the letter's text is escaped and never runs)."""
    box = highlighted_html(text, start, end, scroll=True).replace(
        '<div class="hoering-passage" style="', f'<div class="hoering-passage hoering-document" id="{html.escape(element_id)}" style="position: relative; ', 1
    )
    script = (
        "<script>(function(){var box=document.getElementById(%s);if(!box)return;var m=box.querySelector('mark');"
        "if(m){box.scrollTop=Math.max(0,m.offsetTop-48);}})();</script>" % _js_string(element_id)
    )
    return box + script


def _js_string(value: str) -> str:
    """A JavaScript string literal of our own id (letters, digits, "-" and "_" only)."""
    return "'" + re.sub(r"[^A-Za-z0-9_-]", "", value) + "'"


# One click handler for the page: a "[n]" link (href "#cite-…") opens source n's expander (widget key cite-…,
# CSS class st-key-cite-…) and scrolls to it. Added once per browser page; our own code only.
CITATION_SCRIPT = """<script>(function(){
if (window.__hoeringCitations) return; window.__hoeringCitations = true;
document.addEventListener('click', function (event) {
  var link = event.target && event.target.closest ? event.target.closest('a[href^="#cite-"]') : null;
  if (!link) return;
  event.preventDefault();
  var box = document.querySelector('.st-key-' + link.getAttribute('href').slice(1));
  if (!box) return;
  var details = box.querySelector('details');
  if (details && !details.open) { var summary = details.querySelector('summary'); if (summary) summary.click(); }
  box.scrollIntoView({block: 'center'});
}, true);
})();</script>"""
