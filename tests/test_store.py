"""The Chroma client and collection names chosen from settings (embedded, a server, Chroma Cloud)."""

from __future__ import annotations

from ingest.store import auth_headers, collection_name, create_client
from tests.conftest import settings_for


def test_token_headers_for_a_server_behind_token_auth_and_for_chroma_cloud(tmp_path):
    assert auth_headers(settings_for(tmp_path)) is None
    bearer = settings_for(tmp_path, chroma_host="chroma.internal", chroma_token="s3cret")
    assert auth_headers(bearer) == {"Authorization": "Bearer s3cret"}
    cloud = settings_for(
        tmp_path, chroma_host="europe-west1.gcp.trychroma.com", chroma_port=443, chroma_ssl=True,
        chroma_token="ck-1", chroma_token_header="X-Chroma-Token",
    )
    assert auth_headers(cloud) == {"X-Chroma-Token": "ck-1"}


def test_collection_names_carry_the_prefix(tmp_path):
    assert collection_name(settings_for(tmp_path), "chunks") == "hoering_chunks"
    assert collection_name(settings_for(tmp_path, chroma_prefix="region_2026"), "manifest") == "region_2026_manifest"


def test_embedded_client_lives_in_the_index_directory(tmp_path):
    create_client(settings_for(tmp_path / "idx"))
    assert (tmp_path / "idx" / "chroma").is_dir()
