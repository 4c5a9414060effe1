"""The phrasebook (core.phrases): every user-facing text in Danish and English with the same placeholders, in
one place; errors that carry data and become text in the user's language; one list of supported formats.

The rule for "no table of user-facing Danish text outside core/": every string literal of the product packages
(not core/, tests, eval, bench) is checked for common Danish words (MARKERS). Exempt are docstrings, regular
expressions (a literal with regex syntax: \\b, \\s, \\d, \\w, (?:, ^ or $ at an end), and the small ALLOWED list
below: vocabularies the code parses or an LLM emits, file names and URL paths — none of them shown as a sentence.
"""

from __future__ import annotations

import ast
import pickle
import re
import string
from pathlib import Path

import pytest

from core.formats import FORMAT_NAMES, FORMATS, IMAGE_SUFFIXES, SUPPORTED_SUFFIXES
from core.phrases import LANGUAGES, PHRASES, PhrasedError, message
from core.settings import get_settings
from tests.processes import in_process_cli

REPO = Path(__file__).resolve().parents[1]
PRODUCT = ["answering", "export", "hoering", "index", "ingest", "retrieval", "ui", "app.py"]
MARKERS = re.compile(
    r"(?<![\w-])(ikke|og|eller|følgende|af|skal|mindst|angiv|ingen|nævner|høringssvar|afsender|afsendere|dokumenter|"
    r"tema|temaer|fejl|indlæst|side|svar|dato|kilde|uddrag|fil|mappe|søgning|spørgsmål|fjernet|rettet|skrevet|"
    r"hent|vis|gem)(?![\w-])",
    re.I,
)
REGEX = re.compile(r"\\[bsdwSW]|\(\?[:=!<]|^\^|\$$")
ALLOWED: dict[str, set[str]] = {  # file -> names of assignments whose literals are exempt, or exempt literals
    "retrieval/query.py": {"_DA_WORDS", "_FRAME_WORDS", "_GENERIC"},  # words of questions, parsed
    "answering/citations.py": {"_FRAME_WORDS"},  # words that frame a quote in a letter, parsed
    "ingest/clean.py": {"_JOIN_WORDS"},  # words that join a wrapped line, parsed
    "index/statements.py": {"_FUNCTION_WORDS", "_MAY_BE_META"},  # function words (keyword lists), words the meta rules need
    "answering/llm_tasks.py": {"STANCES", "TITLE_OPENINGS"},  # the vocabulary the LLM answers in (its schema)
    "answering/prompts.py": {"[uddrag"},  # the delimiter of passages in a prompt
    "ui/chat_page.py": {"svar.md", "svar.docx"},  # download file names
    "app.py": {"temaer", "dokumenter"},  # URL paths
}


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_every_phrase_has_both_languages_with_the_same_placeholders():
    assert PHRASES, "the phrasebook is empty"
    for key, entry in PHRASES.items():
        assert set(entry) == set(LANGUAGES), f"{key}: {sorted(entry)}"
        assert all(entry[lang].strip() for lang in LANGUAGES), f"{key}: an empty text"
        assert placeholders(entry["da"]) == placeholders(entry["en"]), f"{key}: placeholders differ"


def test_message_looks_up_fills_in_and_falls_back_to_danish():
    assert message("empty_file", "en") == "the file is empty (0 bytes)"
    assert message("empty_file", "fr") == message("empty_file", "da") == "filen er tom (0 bytes)"
    assert message("ui.saved", "da", n=3) == "Gemt: 3 dokument(er) rettet."
    assert message("coverage.none", "en", topic="{x}") == "None of them mentions {x}."  # a value is never a format


def _literals(path: Path):
    """(string literal, name of the assignment it is in) of one module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    for statement in ast.walk(tree):
        if not isinstance(statement, ast.stmt):
            continue
        targets = statement.targets if isinstance(statement, ast.Assign) else [getattr(statement, "target", None)]
        names = {t.id for t in targets if isinstance(t, ast.Name)}
        for node in ast.iter_child_nodes(statement):
            if isinstance(node, ast.stmt):
                continue  # a nested statement is visited on its own
            for leaf in ast.walk(node):
                if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str) and id(leaf) not in docstrings:
                    yield leaf.value, names, leaf.lineno


def test_no_module_outside_core_holds_user_facing_danish_text():
    files = [REPO / p for p in PRODUCT if p.endswith(".py")]
    files += [f for p in PRODUCT if not p.endswith(".py") for f in sorted((REPO / p).rglob("*.py"))]
    found = []
    for path in files:
        rel = path.relative_to(REPO).as_posix()
        allowed = ALLOWED.get(rel, set())
        for value, names, line in _literals(path):
            if not MARKERS.search(value) or REGEX.search(value) or value in allowed or names & allowed:
                continue
            found.append(f"{rel}:{line}: {value[:80]!r}")
    assert not found, "user-facing Danish text outside the phrasebook (core/phrasebook/):\n" + "\n".join(found)


def test_the_scan_would_catch_a_danish_table():
    sample = 'WORDS = {"da": {"not": "nævner det ikke"}}\nPATTERN = r"\\bikke\\b"\n'
    path = REPO / "tests" / "_phrases_sample.py"
    try:
        path.write_text(sample, encoding="utf-8")
        flagged = [v for v, names, _ in _literals(path) if MARKERS.search(v) and not REGEX.search(v)]
    finally:
        path.unlink()
    assert flagged == ["nævner det ikke"]


# --- errors carry data ------------------------------------------------------------------------------------------


def test_errors_carry_a_code_and_parameters_and_survive_pickling():
    from index.index import IndexDamagedError
    from ingest.corrections import CorrectionError
    from ingest.formats.base import LoadError

    load = pickle.loads(pickle.dumps(LoadError("unsupported_type", ext=".xyz")))
    assert (load.code, load.params) == ("unsupported_type", {"ext": ".xyz"})
    assert load.render("da").startswith("filtypen understøttes ikke (.xyz)")
    assert load.render("en").startswith("unsupported file type (.xyz)")
    damaged = pickle.loads(pickle.dumps(IndexDamagedError(language="en", doc_ids=["a"], index="/i", missing=1, total=2,
                                                          command="hoering ingest x --index /i")))
    assert damaged.doc_ids == ["a"] and str(damaged).endswith("Rebuild them with: hoering ingest x --index /i")
    assert "Genopbyg dem med: hoering ingest x" in damaged.render("da")
    error = CorrectionError("correction_sender_type", allowed="kommune, region")
    assert isinstance(error, (PhrasedError, ValueError)) and error.params == {"allowed": "kommune, region"}


@pytest.mark.parametrize(
    "fields, english, danish",
    [
        ({"sender_type": "forening"}, "sender_type must be one of kommune", "sender_type skal være en af kommune"),
        ({"municipality": "Gotham"}, "'Gotham' is not one of the 98 Danish municipalities",
         "'Gotham' er ikke en af de 98 danske kommuner"),
        ({"date": "i morgen"}, "cannot read the date 'i morgen'", "kan ikke læse datoen 'i morgen'"),
        ({"colour": "blå"}, "unknown field 'colour'; editable: sender", "ukendt felt 'colour'; kan rettes: sender"),
    ],
)
def test_correction_errors_speak_both_languages(fields, english, danish):
    from ingest.corrections import CorrectionError, validate

    with pytest.raises(CorrectionError) as refused:
        validate(fields)
    assert str(refused.value).startswith(english)  # str() keeps today's English words
    assert refused.value.render("en").startswith(english)
    assert refused.value.render("da").startswith(danish)


@pytest.fixture
def cli(monkeypatch):
    yield in_process_cli(monkeypatch)
    get_settings.cache_clear()


def test_the_cli_tells_a_refused_correction_in_the_users_language(cli, tmp_path):
    index = tmp_path / "index"  # refused before any document is looked up: no index needed
    code, _, err = cli("docs", "set", "abcdef12", "--sender-type", "forening", "--index", index)
    assert code == 2 and "sender_type skal være en af" in " ".join(err.split())
    code, _, err = cli("docs", "set", "abcdef12", "--sender-type", "forening", "--index", index,
                       env={"HOERING_LANGUAGE": "en"})
    assert code == 2 and "sender_type must be one of" in " ".join(err.split())


# --- one list of supported formats ------------------------------------------------------------------------------


def test_the_supported_formats_come_from_one_list(cli, monkeypatch):
    from ingest import uploads
    from ingest.formats import bundles, mail, table
    from ui import sidebar
    from ui.texts import t

    assert set(table.LOADERS) == set(SUPPORTED_SUFFIXES)  # every listed suffix is read, nothing else
    assert (bundles.SUPPORTED_SUFFIXES is mail.SUPPORTED_SUFFIXES is uploads.SUPPORTED_SUFFIXES
            is sidebar.SUPPORTED_SUFFIXES is SUPPORTED_SUFFIXES)
    assert mail.IMAGE_SUFFIXES == IMAGE_SUFFIXES
    assert len(SUPPORTED_SUFFIXES) == len(set(SUPPORTED_SUFFIXES)) == sum(map(len, FORMATS.values())) == 14
    monkeypatch.setenv("COLUMNS", "300")
    code, help_text, _ = cli("ingest", "--help")
    assert code == 0
    for language in LANGUAGES:
        upload_help = t(language, "upload_help", mb=25)
        unsupported = message("unsupported_type", language, ext=".xyz")
        for name in FORMAT_NAMES:
            assert name in help_text and name in upload_help and name in unsupported, (language, name)
    assert t("da", "upload_help", mb=25) == "PDF, DOCX, TXT, MD, HTML, EML, MSG, ZIP, PNG, JPEG eller TIFF, højst 25 MB pr. fil."
    assert "Indlæs høringssvar (PDF, DOCX, TXT, MD, HTML, EML, MSG, ZIP, PNG, JPEG, TIFF) i indekset." in " ".join(help_text.split())
