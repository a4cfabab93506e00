"""Start the real app under gunicorn on a free loopback port, as production does."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from tests.support.net import free_port, wait_for_http

REPO = Path(__file__).resolve().parents[2]


@dataclass
class RunningApp:
    url: str
    process: subprocess.Popen
    log_path: Path

    def logs(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def run_gunicorn(
    env: Mapping[str, str] | None = None,
    workers: int = 1,
    threads: int = 4,
    timeout: float = 60.0,
    cwd: Path | None = None,
) -> Iterator[RunningApp]:
    """gunicorn serving ``app.wsgi:server`` with the given environment (merged over os.environ),
    run in ``cwd`` (default the repository: relative paths such as the default history store
    ``file://./var/history`` resolve there)."""
    port = free_port()
    full_env = {**os.environ, "PORT": str(port), "LOG_FORMAT": "json", **(env or {})}
    full_env.setdefault("WEB_CONCURRENCY", str(workers))
    full_env.setdefault("GUNICORN_THREADS", str(threads))
    log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)  # noqa: SIM115 - the server outlives this function
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        str(REPO / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "app.wsgi:server",
    ]
    if cwd is not None:
        full_env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(REPO), full_env.get("PYTHONPATH")) if p
        )
    process = subprocess.Popen(
        cmd,
        cwd=cwd or REPO,
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    running = RunningApp(f"http://127.0.0.1:{port}", process, Path(log.name))
    try:
        wait_for_http(f"{running.url}/healthz", timeout=timeout, process=process)
        yield running
    except Exception:
        sys.stderr.write(running.logs()[-5000:])
        raise
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
