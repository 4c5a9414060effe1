"""Streamlit's own widget texts in the user's language.

Streamlit (1.67) has no locale setting: its widgets carry fixed English texts ("Upload", "Drag and drop files
here", "50MB per file", "yyyy" in a date field, "No results", "Skip to main content", the table toolbar …).
Where Streamlit lets us choose a text we do (labels, ``placeholder=``, ``format="DD.MM.YYYY"``, column labels).
For the rest, ``install(lang)`` adds one small element to the page:

* a style rule that hides the uploader's English instruction line ("50MB per file • PDF, …"): the label above
  the drop zone already says the same, from the one list of formats (core/formats.py);
* a script that puts the phrasebook's texts (keys ``ui.widget.*``) in place of Streamlit's English ones, in the
  page itself (text, ``aria-label``, ``title``, ``placeholder``), and keeps doing so as Streamlit renders
  (a MutationObserver). It replaces only exact, whole texts from the table below, and never inside Markdown,
  HTML, captions, alerts or text fields (letters, answers and what the user types are never touched) except
  the attributes of Streamlit's own buttons there (a code block's "Copy to clipboard"). The
  table holds both languages' texts, so a switch of language turns the other language's words back as well.

Why a script rather than CSS ``content:`` overlays: the page's text itself changes, so screen readers, copy and
paste, the browser's own search and ``innerText`` (what the language test reads) see one language; a CSS overlay
would leave the English in the page and hang on each widget's inner markup. If a Streamlit upgrade renames one
of these texts, the English shows again and tests/test_browser_walk.py fails on it.
"""

from __future__ import annotations

import json

import streamlit as st

from core.phrases import LANGUAGES
from ui.texts import t

# Streamlit's English text -> our phrasebook key (ui.widget.<key>)
STREAMLIT_TEXTS: dict[str, str] = {
    "Upload": "upload",
    "Drag and drop files here": "drop",
    "Drag and drop a file here": "drop",
    "Add files": "add_files",
    "Skip to main content": "skip",
    "yyyy": "year",
    "Choose date range": "choose_dates",
    "Choose date": "choose_date",
    "Clear dates": "clear_dates",
    "Date range": "date_range",  # the calendar's quick-select footer
    "Quick select a date range": "quick_dates",
    "Previous month": "previous_month",
    "Next month": "next_month",
    "Use arrow keys to navigate dates. Enter to select. Escape to close.": "calendar_keys",
    "Clear date": "clear_date",
    "Clear all": "clear_all",
    "Clear value": "clear_value",
    "Select all": "select_all",
    "No results": "no_results",
    "No options": "no_options",
    "Select...": "select",
    "Choose options": "choose_options",  # the default placeholder of st.multiselect
    "Choose an option": "choose_option",  # ... and of st.selectbox
    "Running...": "running",
    "Stop": "stop",
    "Connecting": "connecting",
    "Send message": "send",
    "Download as CSV": "download_csv",
    "Show/hide columns": "show_columns",
    "Search": "search",
    "Type to search": "type_to_search",
    "Close Search": "close_search",
    "Fullscreen": "fullscreen",
    "Close fullscreen": "close_fullscreen",
    "Sort ascending": "sort_asc",
    "Sort descending": "sort_desc",
    "Hide column": "hide_column",
    "Pin column": "pin_column",
    "Unpin column": "unpin_column",
    "Copy column name": "copy_column",
    "Autosize": "autosize",
    "Format": "format",
    "Thumbs up": "thumbs_up",
    "Thumbs down": "thumbs_down",
    "Feedback rating": "feedback_rating",  # what a screen reader says of the two buttons together
    "Chat message from user": "chat_user",  # ... of a question in the conversation
    "Chat message from assistant": "chat_assistant",  # ... of an answer
    "Copy to clipboard": "copy",  # the button of a code block (the technical details under an answer)
    "Dismiss": "dismiss",  # the button that closes an open selectbox or multiselect list
    "Expand": "expand",
    "App pages": "app_pages",
    "Sidebar": "sidebar",
    "Collapse sidebar": "collapse_sidebar",
    "Expand sidebar": "expand_sidebar",
    "Link to heading": "heading_link",
    "Open": "open",
    "file upload": "file_upload",
    "Collapse": "collapse",
}

# Streamlit's texts that begin a longer one ("Choose date range, november 2026" heads the calendar for screen
# readers) -> our key; the rest of the text stays.
STREAMLIT_PREFIXES: dict[str, tuple[str, str]] = {  # -> (key, what follows our text)
    "Choose date range, ": ("choose_dates", ", "),
    "Choose date, ": ("choose_date", ", "),
    "year, ": ("year_of", ", "),  # a date field's parts for screen readers: "year, Dato (modtaget) start date"
    "month, ": ("month_of", ", "),
    "day, ": ("day_of", ", "),
    "Remove ": ("remove_file", " "),  # the uploader's button beside a chosen file: "Remove brev.pdf"
}
# ... and that end one: "Dato (modtaget) start date"
STREAMLIT_SUFFIXES: dict[str, tuple[str, str]] = {  # -> (key, what comes before our text)
    " start date": ("start_date", " "),
    " end date": ("end_date", " "),
    # what a screen reader is told when a list opens or an option is picked (an aria-live region): "11 options
    # available.", "Øget tilgang, selected"
    " options available.": ("options_available", " "),
    " option available.": ("option_available", " "),
    ", selected": ("selected", ", "),
}

MARKER = "hoering-widget-texts"


def table(lang: str) -> dict[str, str]:
    """Every text a widget may show (Streamlit's English, and our text in each language) -> our text in ``lang``."""
    mapping: dict[str, str] = {}
    for english, key in STREAMLIT_TEXTS.items():
        target = t(lang, f"widget.{key}")
        for source in (english, *(t(other, f"widget.{key}") for other in LANGUAGES)):
            if source != target:
                mapping[source] = target
    return mapping


def _parts(texts: dict[str, tuple[str, str]], lang: str, prefix: bool) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for english, (key, joint) in texts.items():
        def part(language: str) -> str:
            return t(language, f"widget.{key}") + joint if prefix else joint + t(language, f"widget.{key}")

        target = part(lang)
        for source in (english, *(part(other) for other in LANGUAGES)):
            if source != target:
                mapping[source] = target
    return mapping


def prefixes(lang: str) -> dict[str, str]:
    """Beginnings of Streamlit's (and the other language's) longer texts -> ours in ``lang``."""
    return _parts(STREAMLIT_PREFIXES, lang, prefix=True)


def suffixes(lang: str) -> dict[str, str]:
    """Endings of Streamlit's (and the other language's) longer texts -> ours in ``lang``."""
    return _parts(STREAMLIT_SUFFIXES, lang, prefix=False)


_SCRIPT = """
(() => {
  const w = window;
  w.__hoeringWidgetTexts = %(table)s;
  w.__hoeringWidgetPrefixes = %(prefixes)s;
  w.__hoeringWidgetSuffixes = %(suffixes)s;
  const SKIP = '[data-testid="stMarkdown"], [data-testid="stHtml"], [data-testid="stCode"], [data-testid="stText"], '
             + '[data-testid="stAlert"], [data-testid="stCaptionContainer"], textarea, input, script, style';
  const ATTRS = ["aria-label", "title", "placeholder"];
  const own = (k) => Object.prototype.hasOwnProperty.call(w.__hoeringWidgetTexts, k);
  const translated = (v) => {  // our text for v, or null
    const k = v.trim();
    if (!k) return null;
    if (own(k)) return v.replace(k, w.__hoeringWidgetTexts[k]);
    let out = k;
    for (const [p, ours] of Object.entries(w.__hoeringWidgetPrefixes)) {
      if (out.startsWith(p)) { out = ours + out.slice(p.length); break; }
    }
    for (const [s, ours] of Object.entries(w.__hoeringWidgetSuffixes)) {
      if (out.endsWith(s)) { out = out.slice(0, out.length - s.length) + ours; break; }
    }
    return out === k ? null : v.replace(k, out);
  };
  const textNode = (n) => {
    if (n.parentElement && n.parentElement.closest(SKIP)) return;
    const t = translated(n.nodeValue);
    if (t !== null && t !== n.nodeValue) n.nodeValue = t;
  };
  const element = (e) => {  // a widget's own button inside a code block or an alert is Streamlit's, not text
    if (e.closest(SKIP) && !e.matches("input, textarea, button")) return;
    for (const a of ATTRS) {
      const v = e.getAttribute(a), t = v ? translated(v) : null;
      if (t !== null && t !== v) e.setAttribute(a, t);
    }
  };
  const visit = (root) => {
    if (root.nodeType === Node.TEXT_NODE) { textNode(root); return; }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    element(root);
    root.querySelectorAll("[aria-label], [title], [placeholder]").forEach(element);
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) textNode(n);
  };
  w.__hoeringVisit = visit;
  visit(document.body);
  if (w.__hoeringWidgetObserver) return;
  w.__hoeringWidgetObserver = new MutationObserver((changes) => {
    for (const c of changes) {
      if (c.type === "characterData") w.__hoeringVisit(c.target);
      else if (c.type === "attributes") w.__hoeringVisit(c.target);
      else c.addedNodes.forEach((n) => w.__hoeringVisit(n));
    }
  });
  w.__hoeringWidgetObserver.observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS,
  });
})();
"""

_STYLE = """
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
div:has(> [data-testid="stHtml"] .%(marker)s) { display: none; }
[data-testid="stElementContainer"]:has(.%(marker)s) { display: none; }
"""


def html(lang: str) -> str:
    """The element ``install`` adds: the style rules and the script with the table for ``lang``."""
    data = json.dumps(table(lang), ensure_ascii=False).replace("</", "<\\/")
    starts = json.dumps(prefixes(lang), ensure_ascii=False).replace("</", "<\\/")
    ends = json.dumps(suffixes(lang), ensure_ascii=False).replace("</", "<\\/")
    return (f'<div class="{MARKER}" data-language="{lang}"></div><style>{_STYLE % {"marker": MARKER}}</style>'
            f"<script>{_SCRIPT % {'table': data, 'prefixes': starts, 'suffixes': ends}}</script>")


def install(lang: str) -> None:
    """Put Streamlit's widget texts in ``lang`` on this page (see the module's docstring)."""
    st.html(html(lang), unsafe_allow_javascript=True)
