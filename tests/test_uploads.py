"""ingest.uploads: uploaded file names cannot leave the uploads folder or hide there; size and type are checked;
a second file with the same name never overwrites the first."""

from __future__ import annotations

import os
import unicodedata

import pytest

from ingest.uploads import MAX_NAME_BYTES, UploadError, safe_name, save_upload

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("../../../høringssvar.pdf", "høringssvar.pdf"),
        ("..\\..\\Windows\\system.ini", "system.ini"),
        ("..\\brev.docx", "brev.docx"),
        ("/etc/cron.d/job.txt", "job.txt"),
        ("C:\\Users\\jens\\Desktop\\svar.pdf", "svar.pdf"),
        ("\\\\server\\share\\svar.md", "svar.md"),
        ("Høringssvar fra Ærø og Åbenrå (2).pdf", "Høringssvar fra Ærø og Åbenrå (2).pdf"),
        ("ÆØÅ æøå.txt", "ÆØÅ æøå.txt"),
        ("A\u030arhus Kommune.pdf", "Århus Kommune.pdf"),  # decomposed å → one character
        (".skjult.txt", "skjult.txt"),  # no hidden files (ingest would skip them)
        ("brev..pdf", "brev.pdf"),
        ("..", "upload"),
        ("../..", "upload"),
        ("", "upload"),
        ("svar; rm -rf ~ $(whoami) `id`.txt", "svar_ rm -rf _ _(whoami) _id_.txt"),
    ],
)
def test_safe_name(name, expected):
    assert safe_name(name) == expected


@pytest.mark.parametrize("name", ["bre\x00v.txt", "linje\nskift.txt", "esc\x1b[31m.txt", "tab\t.pdf", "del\x7f.md",
                                  "brev\u202etxt.exe", "nul\u200bbredde.txt"])
def test_safe_name_removes_control_and_invisible_characters(name):
    clean = safe_name(name)
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in clean), repr(clean)
    assert "/" not in clean and "\\" not in clean and not clean.startswith(".")


def test_safe_name_of_a_long_name_keeps_the_file_type():
    assert safe_name("a" * 300 + ".pdf") == "a" * (MAX_NAME_BYTES - 4) + ".pdf"
    long_danish = safe_name("Høringssvar vedrørende " + "æøå" * 200 + ".docx")
    assert long_danish.endswith(".docx") and len(long_danish.encode("utf-8")) <= MAX_NAME_BYTES
    cjk = safe_name("意见" * 200 + ".txt")  # 3 bytes a character: the limit is in bytes, not characters
    assert cjk.endswith(".txt") and len(cjk.encode("utf-8")) <= MAX_NAME_BYTES


def test_save_upload_writes_into_the_folder_only(tmp_path):
    folder = tmp_path / "uploads"
    path = save_upload("../../../brev.txt", b"Hej", folder, MB)
    assert path == folder / "brev.txt" and path.read_bytes() == b"Hej"
    assert not (tmp_path / "brev.txt").exists()
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["brev.txt"]
    assert save_upload("C:\\x\\Høringssvar Ærø.pdf", b"%PDF-", folder, MB) == folder / "Høringssvar Ærø.pdf"


def test_save_upload_refuses_a_too_large_file(tmp_path):
    folder = tmp_path / "uploads"
    with pytest.raises(UploadError, match="larger than 1 MB"):
        save_upload("stor.pdf", b"x" * (MB + 1), folder, MB)
    assert not folder.exists() or not any(folder.iterdir())
    assert save_upload("præcis.pdf", b"x" * MB, folder, MB).stat().st_size == MB  # the limit itself is fine


@pytest.mark.parametrize("name", ["program.exe", "script.sh", "billede.gif", "arkiv.rar", "uden_endelse", ".txt", "brev.txt.exe"])
def test_save_upload_refuses_unsupported_files(tmp_path, name):
    folder = tmp_path / "uploads"
    with pytest.raises(UploadError, match="unsupported file type"):
        save_upload(name, b"data", folder, MB)
    assert not folder.exists() or not any(folder.iterdir())


def test_supported_types_in_any_case(tmp_path):
    for name in ("a.PDF", "b.Docx", "c.TXT", "d.md", "e.html", "f.HTM", "g.eml"):
        assert save_upload(name, b"data", tmp_path, MB).name == name


def test_same_name_with_other_content_does_not_overwrite(tmp_path):
    first = save_upload("svar.txt", b"Version 1", tmp_path, MB)
    second = save_upload("svar.txt", b"Version 2", tmp_path, MB)
    third = save_upload("../svar.txt", b"Version 3", tmp_path, MB)
    assert first == tmp_path / "svar.txt" and first.read_bytes() == b"Version 1"
    assert len({first, second, third}) == 3
    assert second.read_bytes() == b"Version 2" and third.read_bytes() == b"Version 3"
    assert second.name.startswith("svar-") and second.suffix == ".txt"
    # the same content again is the same file, not a fourth copy
    assert save_upload("svar.txt", b"Version 1", tmp_path, MB) == first
    assert save_upload("svar.txt", b"Version 2", tmp_path, MB) == second
    assert len(list(tmp_path.iterdir())) == 3


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_a_symlink_in_the_folder_cannot_redirect_a_write(tmp_path):
    folder, outside = tmp_path / "uploads", tmp_path / "outside.txt"
    folder.mkdir()
    outside.write_bytes(b"Hemmeligt")
    (folder / "brev.txt").symlink_to(outside)
    with pytest.raises(UploadError, match="invalid file name"):
        save_upload("brev.txt", b"Hemmeligt", folder, MB)  # same content: the target would be the symlink
    other = save_upload("brev.txt", b"Andet indhold", folder, MB)  # other content: a new name inside
    assert other.parent == folder and not other.is_symlink()
    assert outside.read_bytes() == b"Hemmeligt"


@pytest.mark.parametrize("name", ["scannet.png", "foto.jpg", "scan.tiff", "mail.msg", "hoering.zip"])
def test_save_upload_accepts_scans_msg_and_zip(tmp_path, name):
    assert save_upload(name, b"data", tmp_path / "uploads", MB).name.endswith(name.rsplit(".", 1)[1])


def test_a_refused_upload_is_told_in_the_users_language(tmp_path):
    """UploadError carries its phrase and parameters; the app renders it in the user's language."""
    with pytest.raises(UploadError) as caught:
        save_upload("notes.exe", b"data", tmp_path, 1024)
    assert caught.value.render("da") == "notes.exe: filtypen understøttes ikke"
    assert caught.value.render("en") == str(caught.value) == "notes.exe: unsupported file type"
    with pytest.raises(UploadError) as caught:
        save_upload("svar.pdf", b"x" * 2048 * 1024, tmp_path, 1024 * 1024)
    assert caught.value.render("da") == "svar.pdf: større end 1 MB"
