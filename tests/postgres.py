"""A real PostgreSQL server for tests (like tests/processes.py's ``start_chroma_server``): ``initdb`` in a temporary
folder, ``pg_ctl`` starting it on a free port with its unix socket in that folder and no TCP listener, trust
authentication, one database per test. Debian's package (``postgresql``) puts the binaries in
``/usr/lib/postgresql/<version>/bin``; they are found there or on PATH. PostgreSQL refuses to run as root: as root the
server runs as the unprivileged ``postgres`` (or ``nobody``) user, in a folder that user owns.

The fixtures are in tests/conftest.py: ``postgres_server`` (session) and ``postgres_url`` (a fresh database)."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from tests.processes import free_port

USER = "hoering"  # the cluster's superuser (trust authentication: no password)


def binaries() -> tuple[Path, Path] | None:
    """``initdb`` and ``pg_ctl`` (PATH first, then Debian's newest /usr/lib/postgresql/<version>/bin), or None."""
    on_path = [shutil.which(name) for name in ("initdb", "pg_ctl")]
    if all(on_path):
        return Path(on_path[0]), Path(on_path[1])
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    for folder in reversed(versions):
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder / "initdb", folder / "pg_ctl"
    return None


def _server_user() -> str | None:
    """Who runs the server: this user, or (as root) an unprivileged one; None when there is none."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid()).pw_name
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    return None


def unavailable() -> str | None:
    """Why no server can be started here (None: it can)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'psycopg[binary]')"
    if binaries() is None:
        return "PostgreSQL's initdb and pg_ctl were not found (Debian: apt-get install postgresql)"
    if _server_user() is None:
        return "running as root and no unprivileged user (postgres, nobody) to run PostgreSQL as"
    return None


@dataclass
class PostgresServer:
    folder: Path
    port: int
    pg_ctl: Path
    user: str

    @property
    def socket_dir(self) -> Path:
        return self.folder / "socket"

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of ``database`` on this server (psycopg, over the unix socket)."""
        return f"postgresql+psycopg://{USER}@/{database}?host={self.socket_dir}&port={self.port}"

    def _admin(self):
        import psycopg

        return psycopg.connect(host=str(self.socket_dir), port=self.port, user=USER, dbname="postgres", autocommit=True)

    def create_database(self) -> str:
        """A new, empty database; returns its name."""
        name = "test_" + uuid.uuid4().hex[:12]
        with self._admin() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with self._admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its folder."""
        _run_as(self.user, [str(self.pg_ctl), "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop"],
                self.folder, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def _run_as(user: str, command: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    as_other = os.geteuid() == 0
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120,
                            user=user if as_other else None, env={**os.environ, "LC_ALL": "C"})
    if check and result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def start_postgres_server() -> PostgresServer:
    """initdb a new cluster in a new temporary folder and start it; returns once it accepts connections. Stop it with
    ``stop()``. Check ``unavailable()`` first."""
    initdb, pg_ctl = binaries()  # type: ignore[misc]
    user = _server_user()
    assert user is not None
    folder = Path(tempfile.mkdtemp(prefix="hoering-pg-"))  # short: a unix socket's path has at most 107 bytes
    (folder / "socket").mkdir()
    if os.geteuid() == 0:
        entry = pwd.getpwnam(user)
        for path in (folder, folder / "socket"):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    try:
        _run_as(user, [str(initdb), "-D", str(folder / "data"), "-U", USER, "--auth=trust", "-E", "UTF8",
                       "--locale=C", "--no-sync"], folder)
        port = free_port()
        options = (f"-p {port} -k {folder / 'socket'} -c listen_addresses='' -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        _run_as(user, [str(pg_ctl), "-D", str(folder / "data"), "-l", str(folder / "server.log"), "-o", options,
                       "-w", "-t", "60", "start"], folder)
    except BaseException:
        log = folder / "server.log"
        text = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        _run_as(user, [str(pg_ctl), "-D", str(folder / "data"), "-m", "immediate", "stop"], folder, check=False)
        shutil.rmtree(folder, ignore_errors=True)
        if text:
            raise RuntimeError("PostgreSQL did not start:\n" + text)
        raise
    return PostgresServer(folder, port, pg_ctl, user)
