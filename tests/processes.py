"""Helpers for tests that start real processes: free loopback ports, child Python processes of this checkout, and
stopping a process by its id."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    """Terminate this process (by its id), wait, and kill it if it does not go."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)


REPO = Path(__file__).resolve().parents[1]


def python_env(**overrides: str) -> dict[str, str]:
    """Environment for a child Python process: this checkout's code first on the path (not an installed copy),
    no HOERING_* setting of the machine, offline, plus ``overrides``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOERING_")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False", **overrides)
    return env


def hoering_command() -> list[str]:
    """The ``hoering`` command of this checkout, run by this interpreter."""
    return [sys.executable, "-m", "hoering"]


def in_process_cli(monkeypatch):
    """The real Typer app run in-process with no HOERING_* variable of the machine: ``run(*args, env=None)``
    returns (exit code, stdout, stderr); ``env`` sets variables for that call (and after). A fixture yields it
    and calls ``get_settings.cache_clear()`` when done."""
    from typer.testing import CliRunner

    from hoering.cli import app
    from core.settings import get_settings

    for key in list(os.environ):
        if key.startswith("HOERING_"):
            monkeypatch.delenv(key)
    get_settings.cache_clear()
    runner = CliRunner()

    def run(*args, env: dict[str, str] | None = None):
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        get_settings.cache_clear()
        result = runner.invoke(app, [str(a) for a in args])
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout, result.stderr

    return run


def start_chroma_server(chroma: str, folder: Path) -> tuple[subprocess.Popen, int]:
    """A real ``chroma run`` (the command ``chroma``) storing in ``folder/db`` on a free loopback port, its log in
    ``folder/server.log``; returns once its heartbeat answers (the test fails if it does not start in 60 s).
    Stop it with ``stop``."""
    import time
    import urllib.request

    port = free_port()
    with open(folder / "server.log", "wb") as log:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen([chroma, "run", "--path", str(folder / "db"), "--host", "127.0.0.1",
                                    "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2).read()
            return process, port
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                stop(process)
                import pytest

                pytest.fail("chroma run did not start:\n" + (folder / "server.log").read_text(errors="replace")[-2000:])
            time.sleep(0.3)
