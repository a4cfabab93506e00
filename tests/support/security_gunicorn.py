"""Run the app under gunicorn (the production config) as a subprocess for the security tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support.net import free_port, wait_for_http

REPO = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
REAL_APP = "app.wsgi:server"
SUPPORT_APP = "tests.support.security_app:server"


class GunicornApp:
    """``with GunicornApp(target, env) as app: httpx.get(app.url + "/")``; output kept in files."""

    def __init__(self, target: str, env: dict[str, str], workers: int = 1) -> None:
        self.target = target
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._dir = tempfile.TemporaryDirectory(prefix="security-gunicorn-")
        self.stdout_path = Path(self._dir.name) / "stdout.log"
        self.stderr_path = Path(self._dir.name) / "stderr.log"
        keep = {
            k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}
        }
        self.env = {
            **keep,
            "PORT": str(self.port),
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_THREADS": "4",
            "PYTHONUNBUFFERED": "1",
            "HISTORY_STORE": f"file://{self._dir.name}/history",
            **env,
        }
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> GunicornApp:
        self._out = open(self.stdout_path, "wb")  # noqa: SIM115 - closed in __exit__
        self._err = open(self.stderr_path, "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(GUNICORN), "-c", str(REPO / "gunicorn.conf.py"), self.target],
            cwd=REPO,
            env=self.env,
            stdout=self._out,
            stderr=self._err,
            start_new_session=True,
        )
        try:
            wait_for_http(self.url + "/healthz", timeout=60, process=self.process)
        except Exception:
            self.__exit__()
            raise RuntimeError(f"gunicorn did not start:\n{self.output()[-4000:]}") from None
        return self

    def output(self) -> str:
        """Everything the server printed so far (stdout and stderr)."""
        text = ""
        for path in (self.stdout_path, self.stderr_path):
            if path.exists():
                text += path.read_text(encoding="utf-8", errors="replace")
        return text

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        for handle in (getattr(self, "_out", None), getattr(self, "_err", None)):
            if handle is not None and not handle.closed:
                handle.close()

    def cleanup(self) -> None:
        self._dir.cleanup()
