"""Helpers for tests that start real servers: free loopback ports and stopping a process by its id."""

from __future__ import annotations

import subprocess


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    """Terminate this process (by its id), wait, and kill it if it does not go."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)
