"""ingest.formats.bundles: zip members ingested as if dropped alone; unsafe, oversized and too-deep members refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from ingest.formats import base, bundles
from ingest.formats.base import LoadError, ZipLimits
from ingest.formats.bundles import load_bundle, unsafe_name
from ingest.formats.table import load_bytes
from tests.factories import letter, pdf_bytes


def zip_bytes(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name) if ".." in name or name.startswith("/") else name, data,
                             compress_type=compression)
    return buf.getvalue()


LETTERS = {
    "svar/faxe.pdf": pdf_bytes([letter("Faxe Kommune", "Vi støtter planen for de nye botilbud i regionen.")]),
    "svar/norddjurs.txt": letter("Norddjurs Kommune", "Vi er bekymrede for ventelisterne til botilbud.").encode(),
    "svar/borger.txt": letter("Karen Jensen", "Jeg ønsker flere hænder på bostederne om natten.").encode(),
}


def bundle() -> bytes:
    inner = zip_bytes({"ekstra/dh-vejle.txt": letter("DH Vejle", "Vi savner handicappolitisk fokus i planen.").encode()})
    return zip_bytes({
        **LETTERS,
        "indre.zip": inner,
        "../evil.txt": b"escape attempt",
        "stor.txt": b"ord " * 50_000,  # 200 kB unpacked: over the test limit of 100 kB
        "__MACOSX/svar/._faxe.pdf": b"resource fork",
    })


SMALL = ZipLimits(max_member_bytes=100_000, max_total_bytes=10_000_000, max_ratio=10_000)


def test_unsafe_names():
    for name in ("../evil.txt", "svar/../../etc/passwd", "/etc/passwd", "C:/Windows/x.txt", "a\\..\\b.txt"):
        assert unsafe_name(name), name
    for name in ("svar/faxe.pdf", "a..b.txt", "..hidden/x.txt"):
        assert not unsafe_name(name), name


def test_load_bundle_members_and_refusals():
    result = load_bundle(bundle(), "hoering.zip", SMALL, load=load_bytes)
    sources = sorted(d.source for d in result.documents)
    assert sources == sorted(
        ["hoering.zip#svar/faxe.pdf", "hoering.zip#svar/norddjurs.txt", "hoering.zip#svar/borger.txt",
         "hoering.zip#indre.zip#ekstra/dh-vejle.txt"]
    )
    failures = {member: exc for member, exc in result.failures}
    assert set(failures) == {"hoering.zip#../evil.txt", "hoering.zip#stor.txt"}
    assert failures["hoering.zip#../evil.txt"].code == "zip_unsafe_path"
    assert failures["hoering.zip#stor.txt"].code == "zip_member_too_large"


def test_nesting_deeper_than_two_is_refused():
    level3 = zip_bytes({"dybt.txt": b"Dybt begravet svar."})
    level2 = zip_bytes({"niveau3.zip": level3, "ok.txt": letter("Region Midtjylland", "Fint.").encode()})
    result = load_bundle(zip_bytes({"niveau2.zip": level2}), "b.zip", load=load_bytes)
    assert [d.source for d in result.documents] == ["b.zip#niveau2.zip#ok.txt"]
    assert [(m, e.code) for m, e in result.failures] == [("b.zip#niveau2.zip#niveau3.zip", "zip_too_deep")]


def test_zip_bomb_ratio_and_size_lies_are_caught():
    bomb = zip_bytes({"bombe.txt": b"\0" * (5 * 1024 * 1024)})  # compresses ~1000:1
    result = load_bundle(bomb, "b.zip", ZipLimits(max_ratio=100), load=load_bytes)
    assert [e.code for _, e in result.failures] == ["zip_ratio"]
    # A header that understates the size: never more than it claims is read (the CRC then fails).
    limits = ZipLimits(max_member_bytes=50_000, max_ratio=10_000)
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes({"a.txt": b"x" * 200_000})))
    info = archive.infolist()[0]
    info.file_size = 10  # lie
    with pytest.raises(LoadError) as caught:
        bundles._read_member(archive, info, limits, bundles._Budget(10**9))
    assert caught.value.code == "corrupt_zip"
    # A header that passes the checks but whose data is larger than the member limit is cut off while reading.
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes({"a.txt": b"x" * 200_000})))
    with pytest.raises(LoadError) as caught:
        bundles._read_member(archive, archive.infolist()[0], limits, bundles._Budget(10**9))
    assert caught.value.code == "zip_member_too_large"


def test_total_size_and_member_count_limits():
    members = {f"svar{i}.txt": letter(f"Borger {i}", "Kort svar om planen.").encode() * 20 for i in range(5)}
    result = load_bundle(zip_bytes(members), "b.zip", ZipLimits(max_members=3), load=load_bytes)
    assert len(result.documents) == 3 and {e.code for _, e in result.failures} == {"zip_too_many"}
    size = len(next(iter(members.values())))
    result = load_bundle(zip_bytes(members), "b.zip", ZipLimits(max_total_bytes=2 * size + 10), load=load_bytes)
    assert len(result.documents) == 2 and {e.code for _, e in result.failures} == {"zip_total_too_large"}


def test_corrupt_zip_is_a_clear_error():
    with pytest.raises(LoadError) as caught:
        load_bytes(b"PK\x03\x04 not really a zip", "b.zip", "b.zip")
    assert caught.value.code == "corrupt_zip"


def test_ingest_a_bundle(tmp_path, make_settings, embedder, monkeypatch):
    from core.phrases import message
    from index.index import Index
    from ingest.pipeline import ingest
    from retrieval.search import Searcher

    monkeypatch.setattr(base, "LIMITS", SMALL)
    path = tmp_path / "hoering.zip"
    path.write_bytes(bundle())
    settings = make_settings()
    report = ingest([str(path)], settings, embedder=embedder)
    data = report.to_json()
    assert data["ingested"] == 1
    failed = {item["source"]: item["error"] for item in data["failed"]}
    assert set(failed) == {f"{path}#../evil.txt", f"{path}#stor.txt"}
    assert failed[f"{path}#../evil.txt"] == message("zip_unsafe_path", name="../evil.txt")
    assert "for stor" in failed[f"{path}#stor.txt"] and "grænsen er 97 kB" in failed[f"{path}#stor.txt"]
    zip_outcome = next(o for o in report.outcomes if o.source == str(path))
    assert "../evil.txt" in zip_outcome.detail and "stor.txt" in zip_outcome.detail
    assert len(zip_outcome.doc_ids) == 4

    manifest = Index(settings).manifest()
    senders = {r.source.split("#")[-1]: r.sender for r in manifest.documents.values()}
    assert {r.source for r in manifest.documents.values()} == {
        f"{path}#svar/faxe.pdf", f"{path}#svar/norddjurs.txt", f"{path}#svar/borger.txt",
        f"{path}#indre.zip#ekstra/dh-vejle.txt",
    }
    assert senders["svar/faxe.pdf"] == "Faxe Kommune" and senders["ekstra/dh-vejle.txt"] == "DH Vejle"
    top = Searcher(settings, embedder=embedder).search("ventelister til botilbud", k=1).passages[0]
    assert top.source == f"{path}#svar/norddjurs.txt"

    again = ingest([str(path)], settings, embedder=embedder)  # unchanged bundle: skipped, no repeated failures
    assert again.to_json()["unchanged"] == 1 and again.to_json()["failed"] == []
