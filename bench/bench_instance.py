"""One production-like instance: start time, memory (PSS), callback latency, worker replacement.

Starts gunicorn from a source tree exactly as production does (``gunicorn -c gunicorn.conf.py
app.wsgi:server``, 2 workers) on enterprise-scale example data, then:

1. times process start -> first ``GET /readyz`` answering 200;
2. loads every page in headless Chromium (Playwright driving Debian's ``/usr/bin/chromium``)
   and records the bodies of the ``POST /_dash-update-component`` requests the pages send;
   the recording is redone on every run (so it follows the app's callbacks as they change) and
   saved beside the data; it is only reused when no browser can be started;
3. prints the instance's PSS (master + workers, from ``/proc/PID/smaps_rollup``);
4. replays the recorded callbacks over plain HTTP: each once, then the main callback of the
   Usage, Seats and History pages with a 28-day, 1-year and 2-year range (p50/p95);
5. stops one worker with SIGTERM and measures how long its replacement takes to appear, to
   answer its first callback, and for its PSS to settle, while callbacks keep coming;
6. stops the server with SIGTERM and summarises its log.

The tree's own ``app`` package is served (PYTHONPATH=TREE, checked), whatever the venv's
editable install points at. The history store is a temporary folder, filled from the data's
exports with the tree's ``python -m app.collect import`` (``--empty-history`` skips that).

Run: ``python -m bench.bench_instance [--tree DIR] [--data DIR]`` (or ``python -m bench``).
Defaults: tree = the repo holding this bench package; data = TREE/var/bench/enterprise,
generated with ``python -m sample --scale enterprise`` (``app.sample`` in older trees) when
missing. The Parquet facts of trees that write them go to a fresh temporary ``FACTS_DIR`` per
run, so the conversion is part of the measured start.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import datetime as dt
import gzip
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.timing import percentiles
from tests.support.browser import CHROMIUM_ARGS, chromium_path

BENCH_ROOT = Path(__file__).resolve().parents[1]
UPDATE_PATH = "/_dash-update-component"
WORKERS = 2
# What Chromium sends with a callback request (the server compresses what it answers).
CALLBACK_HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/json",
    "Accept-Encoding": "gzip, deflate, br, zstd",
}
# Generators of the example data, tried in this order: ``sample`` (top level) in current trees,
# ``app.sample`` before it left the runtime package.
SAMPLE_MODULES = ("sample", "app.sample", "tools.sample")
# Environment that must not leak from the caller into the benchmarked instance.
DROPPED_ENV = re.compile(
    r"^(BASIC_AUTH_|ALLOWED_IPS|TRUSTED_PROXIES|REDIS_URL|SENTRY_|VCAP_|GITHUB_|AWS_|DASH_DEBUG"
    r"|GUNICORN_|PORT$|WEB_CONCURRENCY|SAMPLE_DATA_DIR|HISTORY_STORE|DATA_SOURCE|LOG_|PYTHONPATH"
    r"|FACTS_DIR)"
)


@dataclass(frozen=True)
class Timed:
    """A page whose main callback is timed: how to find it and how its range is encoded."""

    name: str
    path: str
    main_outputs: tuple[str, ...]  # outputs only the main callback writes ("id.prop"; any tree)
    range_id: str  # the component whose inputs encode the range
    range_kind: str  # "dates": a DatePickerRange start/end; "days": a number of days (value)
    #: What a user does to make the page send its main callback, for trees whose layout already
    #: carries the first answer (Playwright selector to click).
    action: str = ""

    @property
    def main_output(self) -> str:
        return self.main_outputs[0]

    def is_main(self, body: dict) -> bool:
        return any(o in outputs_of(body) for o in self.main_outputs)


TIMED = (
    Timed(
        "usage",
        "/",
        ("usage-acceptance-graph.figure",),
        "usage-dates",
        "dates",
        "#usage-granularity label:has-text('Week')",
    ),
    Timed(
        "seats",
        "/seats",
        ("seats-rows.data", "seats-tbody.children"),
        "seats-days",
        "days",
        "#seats-sort-login",
    ),
    Timed(
        "history",
        "/history",
        ("history-suggestions-graph.figure",),
        "history-dates",
        "dates",
        "#history-granularity label:has-text('Week')",
    ),
)
RANGES = (("28 days", 28), ("1 year", 365), ("2 years", 730))


def figure(name: str, value: object, unit: str = "") -> None:
    print(f"{name}: {value}{' ' + unit if unit else ''}", flush=True)


def note(text: str) -> None:
    print(f"# {text}", flush=True)


class Step:
    """Prints how long a step took (``step NAME took: X s``)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> Step:
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        figure(f"step {self.name} took", f"{time.perf_counter() - self.started:.1f}", "s")


# -- processes and memory ----------------------------------------------------------------------


def children(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError):
                text = Path(f"/proc/{pid}/task/{task}/children").read_text()
                found.extend(int(c) for c in text.split())
    return sorted(set(found))


def pss_kb(pid: int) -> int | None:
    """The process's proportional set size in kB (None once it is gone)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    match = re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else None


def mb(kb: float | None) -> str:
    return "gone" if kb is None else f"{kb / 1024:.0f}"


def report_pss(label: str, master: int, workers: set[int] | None = None) -> int:
    """Print the instance's total PSS and each process's; returns the total in kB. Children of
    the master not in ``workers`` (when given) are shown as other children (a build, say)."""
    procs = children(master)
    sizes = {master: pss_kb(master), **{w: pss_kb(w) for w in procs}}
    total = sum(v for v in sizes.values() if v)
    figure(f"instance PSS {label}", mb(total), "MB")
    figure(f"  master pid {master} PSS {label}", mb(sizes[master]), "MB")
    for w in procs:
        kind = "worker" if workers is None or w in workers else "other child"
        figure(f"  {kind} pid {w} PSS {label}", mb(sizes[w]), "MB")
    return total


# -- HTTP --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def socket_owner(server_port: int, client_port: int, pids: list[int]) -> int | None:
    """Which of ``pids`` holds the server end of the loopback connection from ``client_port``."""
    inode = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                parts = line.split()
                local, remote = parts[1], parts[2]
                if (
                    int(local.rsplit(":", 1)[1], 16) == server_port
                    and int(remote.rsplit(":", 1)[1], 16) == client_port
                    and parts[9] != "0"
                ):
                    inode = parts[9]
                    break
        if inode:
            break
    if inode is None:
        return None
    wanted = f"socket:[{inode}]"
    for pid in pids:
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    if os.readlink(f"/proc/{pid}/fd/{fd}") == wanted:
                        return pid
    return None


@dataclass
class Answer:
    status: int  # 0: no answer (connection error or timeout)
    ms: float
    size: int = 0
    body: bytes = b""
    encoding: str = ""
    pid: int | None = None
    error: str = ""


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict | None = None,
    timeout: float = 120.0,
    owners: list[int] | Callable[[], list[int]] | None = None,
) -> Answer:
    """One request on a fresh connection, timed to the last byte of the answer. With
    ``owners``, also find which of those processes served it (from the open connection)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        ms = (time.perf_counter() - started) * 1000
        answer = Answer(
            response.status, ms, len(data), data, response.getheader("Content-Encoding") or ""
        )
        if owners and conn.sock is not None:
            pids = owners() if callable(owners) else owners  # after the answer: new workers too
            answer.pid = socket_owner(port, conn.sock.getsockname()[1], pids)
        return answer
    except (OSError, http.client.HTTPException) as exc:
        return Answer(0, (time.perf_counter() - started) * 1000, error=type(exc).__name__)
    finally:
        conn.close()


def post_callback(port: int, payload: dict, **kwargs) -> Answer:
    body = json.dumps(payload).encode()
    return request(port, "POST", UPDATE_PATH, body, CALLBACK_HEADERS, **kwargs)


def decoded(answer: Answer) -> bytes | None:
    if answer.encoding in ("", "identity"):
        return answer.body
    if answer.encoding == "gzip":
        return gzip.decompress(answer.body)
    if answer.encoding == "br":
        with contextlib.suppress(ImportError):
            import brotli

            return brotli.decompress(answer.body)
    return None  # zstd and friends: not checked


# -- the tree, its data and history --------------------------------------------------------------


def tree_env(tree: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not DROPPED_ENV.match(k)}
    env["PYTHONPATH"] = str(tree)
    env["PYTHONUNBUFFERED"] = "1"  # as the Dockerfile and manifest.yml set it
    return env


def run_python(tree: Path, args: list[str], env: dict | None = None, **kw):
    return subprocess.run(
        [sys.executable, *args],
        cwd=tree,
        env={**tree_env(tree), **(env or {})},
        text=True,
        capture_output=True,
        **kw,
    )


def check_tree_imports(tree: Path) -> None:
    result = run_python(tree, ["-c", "import app; print(app.__file__)"])
    where = result.stdout.strip()
    figure("app package imported from", where or result.stderr.strip()[-300:])
    if not where or not Path(where).resolve().is_relative_to(tree.resolve()):
        raise RuntimeError(f"the tree's app package is not the one imported: {where!r}")
    # The venv's editable install also maps ``pages`` (a namespace package) to its own repo: a
    # page module must still resolve to the tree's file (found, not imported: pages need an app).
    probe = "import importlib.util as u; print(u.find_spec('pages.usage').origin)"
    result = run_python(tree, ["-c", probe])
    where = result.stdout.strip()
    if where and not Path(where).resolve().is_relative_to(tree.resolve()):
        raise RuntimeError(f"pages.usage resolves outside the tree: {where!r}")


def describe_tree(tree: Path) -> None:
    commit = subprocess.run(
        ["git", "-C", str(tree), "log", "-1", "--format=%h %s"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(tree), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    figure("tree", f"{tree} at {commit or '(not a git tree)'}{' (modified)' if dirty else ''}")


def data_files(data: Path) -> list[Path]:
    return sorted(p for p in data.glob("copilot-*") if p.suffix in (".json", ".ndjson"))


def ensure_data(tree: Path, data: Path) -> None:
    if data_files(data):
        return
    note(f"no example data in {data}: generating it (enterprise scale)")
    started = time.perf_counter()
    for module in SAMPLE_MODULES:
        probe = run_python(
            tree, ["-c", f"import importlib.util as u; print(bool(u.find_spec({module!r})))"]
        )
        if probe.stdout.strip() != "True":
            continue
        result = run_python(tree, ["-m", module, "--scale", "enterprise", "--out", str(data)])
        if result.returncode != 0:
            raise RuntimeError(f"python -m {module} failed:\n{result.stderr[-3000:]}")
        note(result.stdout.strip())
        figure("example data generation", f"{time.perf_counter() - started:.1f}", "s")
        return
    raise RuntimeError(f"no example-data generator found in {tree} (tried {SAMPLE_MODULES})")


def ensure_vendor_assets(tree: Path) -> None:
    """assets/vendor is built by ``make assets`` (not in git): a fresh worktree lacks it, and
    pages would then load without plotly.js and Bootstrap. Copy this repo's when missing."""
    vendor, ours = tree / "assets" / "vendor", BENCH_ROOT / "assets" / "vendor"
    if any(vendor.glob("*.js")) or vendor.resolve() == ours.resolve():
        return
    if any(ours.glob("*.js")):
        shutil.copytree(ours, vendor, dirs_exist_ok=True)
        note(f"copied {ours} to {vendor} (the tree had no `make assets` output)")
    else:
        note(f"{vendor} is missing: pages load without the vendored plotly.js/Bootstrap")


def fill_history(tree: Path, data: Path, store: Path) -> None:
    """Import the data's usage exports into the history store, as ``app.collect import``
    would fill a real one (seat and billing files hold no usage and are left out)."""
    files = [str(p) for p in data_files(data) if "seats" not in p.name and "billing" not in p.name]
    if not files:
        note("no usage exports to import: the history store stays empty")
        return
    env = {"HISTORY_STORE": f"file://{store}", "LOG_FORMAT": "text"}
    started = time.perf_counter()
    result = run_python(tree, ["-m", "app.collect", "import", *files], env=env)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        note(f"history import exited {result.returncode}: {result.stderr.strip()[-500:]}")
    figure("history store import", f"{elapsed:.1f}", f"s ({len(files)} files)")


# -- the server --------------------------------------------------------------------------------


@dataclass
class Server:
    tree: Path
    data: Path
    history: Path
    log_path: Path
    facts: Path | None = None  # FACTS_DIR: a fresh folder per run, so the conversion is timed
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    started: float = 0.0

    def command(self) -> list[str]:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        head = [str(gunicorn)] if gunicorn.exists() else [sys.executable, "-m", "gunicorn"]
        return [
            *head,
            "-c",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{self.port}",
            "app.wsgi:server",
        ]

    def env(self) -> dict[str, str]:
        return {
            **tree_env(self.tree),
            "WEB_CONCURRENCY": str(WORKERS),
            "SAMPLE_DATA_DIR": str(self.data),
            "HISTORY_STORE": f"file://{self.history}",
            "LOG_FORMAT": "text",
            "DATA_SOURCE": "example",
            **({"FACTS_DIR": str(self.facts)} if self.facts is not None else {}),
        }

    def start(self) -> None:
        env = self.env()
        shown = " ".join(
            f"{k}={env[k]}"
            for k in (
                "WEB_CONCURRENCY",
                "SAMPLE_DATA_DIR",
                "HISTORY_STORE",
                "LOG_FORMAT",
                "FACTS_DIR",
            )
            if k in env
        )
        note(
            f"cd {self.tree} && {shown} DATA_SOURCE=example PYTHONPATH={self.tree} "
            f"{' '.join(self.command())}"
        )
        log = self.log_path.open("wb")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            self.command(),
            cwd=self.tree,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def wait_ready(self, timeout: float = 900.0) -> float:
        """Seconds from process start to the first /readyz answering 200."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}: {self.tail()}")
            answer = request(self.port, "GET", "/readyz", timeout=5)
            if answer.status == 200:
                return time.perf_counter() - self.started
            time.sleep(0.05)
        raise TimeoutError(f"/readyz not 200 within {timeout} s: {self.tail()}")

    def booted_workers(self) -> set[int]:
        """Pids gunicorn logged as workers ("Booting worker with pid: N")."""
        with contextlib.suppress(OSError):
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
            return {int(m) for m in re.findall(r"Booting worker with pid: (\d+)", text)}
        return set()

    def worker_children(self) -> list[int]:
        """The master's children that are gunicorn workers (not, say, a facts build it runs)."""
        booted = self.booted_workers()
        return [pid for pid in children(self.pid) if pid in booted]

    def workers(self, count: int = WORKERS, timeout: float = 60.0) -> list[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.worker_children()
            if len(found) >= count:
                return found
            time.sleep(0.05)
        return self.worker_children()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        started = time.perf_counter()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            note("gunicorn did not stop within 30 s of SIGTERM: killing its process group")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGKILL)
            code = self.process.wait()
        figure("stop: master exited after SIGTERM in", f"{time.perf_counter() - started:.2f}", "s")
        figure("stop: master exit code", code)

    def tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]


# -- pages and their callbacks ------------------------------------------------------------------


def page_paths(tree: Path) -> list[str]:
    """The paths of the tree's pages (from ``dash.register_page`` in pages/*.py), 404 excluded."""
    paths = []
    for module in sorted((tree / "pages").glob("*.py")):
        text = module.read_text(encoding="utf-8")
        if "register_page(" not in text or "not_found" in module.stem:
            continue
        match = re.search(r"register_page\([^)]*?\bpath\s*=\s*[\"']([^\"']+)[\"']", text, re.S)
        paths.append(match.group(1) if match else "/" + module.stem.replace("_", "-"))
    ordered = [p for p in ("/", "/seats", "/history") if p in paths]
    return ordered + [p for p in paths if p not in ordered]


def outputs_of(payload: dict) -> list[str]:
    output = str(payload.get("output", ""))
    if output.startswith("..") and output.endswith(".."):
        return output[2:-2].split("...")
    return [output]


def short_name(payload: dict) -> str:
    outs = outputs_of(payload)
    return outs[0] + (f" (+{len(outs) - 1} outputs)" if len(outs) > 1 else "")


def is_update(url: str) -> bool:
    """A callback request (Dash 4 adds a query string to the path, so no ``endswith``)."""
    return urllib.parse.urlsplit(url).path == UPDATE_PATH


QUIET_SECONDS = 2.0  # no callback in flight or sent for this long: the page has settled
PAGE_TIMEOUT_SECONDS = 300.0


def record_pages(port: int, paths: list[str]) -> dict[str, list[dict]]:
    """Open each page in headless Chromium; returns the callback bodies each page sent.

    Callbacks are matched on the URL's path: Dash 4's renderer posts to
    ``/_dash-update-component?endId=...``, so matching the whole URL (``endswith``) records
    nothing. A page counts as loaded when no callback has been in flight or sent for
    ``QUIET_SECONDS`` (and, for the timed pages, once their main callback has answered), not at
    ``networkidle``: Dash chains callbacks, and between links of the chain the browser may
    parse or draw (plotly.js) for longer than networkidle's 500 ms without any request.
    """
    from playwright.sync_api import sync_playwright

    recorded: dict[str, list[dict]] = {}
    base = f"http://127.0.0.1:{port}"
    timed_pages = {t.path: t for t in TIMED}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            for path in paths:
                bodies: list[dict] = []
                statuses: list[int] = []
                errors: list[str] = []
                state = {"in_flight": 0, "last": time.perf_counter(), "done": 0.0, "main": False}
                wanted = timed_pages.get(path)
                page = context.new_page()

                def on_request(req, bodies=bodies, state=state, errors=errors) -> None:
                    if req.method != "POST" or not is_update(req.url):
                        return
                    state["in_flight"] += 1
                    state["last"] = time.perf_counter()
                    data = req.post_data_buffer
                    if data:
                        try:
                            bodies.append(json.loads(data))
                        except ValueError:
                            errors.append(f"callback body is not JSON ({len(data)} bytes)")

                def on_end(req, failed=False, state=state, errors=errors, wanted=wanted) -> None:
                    if req.method != "POST" or not is_update(req.url):
                        return
                    state["in_flight"] = max(0, state["in_flight"] - 1)
                    state["last"] = state["done"] = time.perf_counter()
                    if failed:
                        errors.append(f"callback request failed: {req.failure}")
                    elif wanted and not state["main"]:
                        with contextlib.suppress(ValueError, TypeError):
                            state["main"] = wanted.is_main(json.loads(req.post_data_buffer))

                def on_response(resp, statuses=statuses) -> None:
                    if is_update(resp.url):
                        statuses.append(resp.status)

                page.on("request", on_request)
                page.on("requestfinished", on_end)
                page.on("requestfailed", lambda req, on_end=on_end: on_end(req, failed=True))
                page.on("response", on_response)
                page.on(
                    "console", lambda m, errors=errors: m.type == "error" and errors.append(m.text)
                )
                page.on("pageerror", lambda e, errors=errors: errors.append(f"pageerror: {e}"))
                started = time.perf_counter()
                page.goto(base + path, wait_until="load", timeout=PAGE_TIMEOUT_SECONDS * 1000)
                loaded = time.perf_counter() - started
                deadline = started + PAGE_TIMEOUT_SECONDS
                acted = False
                while time.perf_counter() < deadline:
                    quiet = time.perf_counter() - state["last"] >= QUIET_SECONDS
                    if quiet and state["in_flight"] == 0 and (state["main"] or not wanted):
                        break
                    if quiet and state["in_flight"] == 0 and wanted and not acted:
                        acted = True  # the layout carried the first answer: change a filter
                        with contextlib.suppress(Exception):
                            page.locator(wanted.action).first.click(timeout=10_000)
                        state["last"] = time.perf_counter()
                    page.wait_for_timeout(100)  # lets Playwright deliver the events
                else:
                    note(
                        f"browser page {path}: not settled after {PAGE_TIMEOUT_SECONDS:.0f} s "
                        f"({state['in_flight']} callbacks in flight, main callback "
                        f"{'answered' if state['main'] else 'not answered'})"
                    )
                settled = (state["done"] or time.perf_counter()) - started
                bad = [s for s in statuses if s not in (200, 204)]
                figure(f"browser page {path} load event after", f"{loaded:.2f}", "s")
                figure(f"browser page {path} last callback answered after", f"{settled:.2f}", "s")
                figure(
                    f"browser page {path} callbacks",
                    f"{len(statuses)} ({len(bad)} not 200/204{': ' + str(bad) if bad else ''})",
                )
                if wanted and not state["main"]:
                    note(
                        f"browser page {path}: its main callback ({wanted.main_output}) never answered"
                    )
                elif acted:
                    note(
                        f"browser page {path}: main callback recorded after a filter change "
                        "(the page load itself sent none)"
                    )
                if errors:
                    figure(f"browser page {path} console errors", len(errors))
                    for text in errors[:5]:
                        note(f"  console: {text[:300]}")
                recorded[path] = bodies
                page.close()
            context.close()
        finally:
            browser.close()
    return recorded


def distinct(bodies: list[dict]) -> list[dict]:
    seen, out = set(), []
    for body in bodies:
        key = json.dumps(
            [body.get("output"), body.get("inputs"), body.get("state")], sort_keys=True
        )
        if key not in seen:
            seen.add(key)
            out.append(body)
    return out


def main_callback(bodies: list[dict], timed: Timed) -> dict | None:
    """The last recorded body of the page's main callback."""
    hits = [b for b in bodies if timed.is_main(b)]
    if not hits:  # fall back to the widest callback reading the range
        hits = [b for b in bodies if timed.range_id in json.dumps(b.get("inputs"))]
        hits.sort(key=lambda b: len(outputs_of(b)))
    return hits[-1] if hits else None


def _entries(payload: dict):
    for key in ("inputs", "state"):
        for item in payload.get(key) or []:
            yield from item if isinstance(item, list) else [item]


def with_range(payload: dict, timed: Timed, days: int) -> dict | None:
    """The payload with its range set to ``days`` days (ending where the recorded one ends);
    None when the payload carries no such range."""
    changed = copy.deepcopy(payload)
    entries = [e for e in _entries(changed) if e.get("id") == timed.range_id]
    if not entries:
        return None
    if timed.range_kind == "days":
        for entry in entries:
            if entry.get("property") == "value":
                entry["value"] = str(days)
        return changed
    ends = [e for e in entries if e.get("property") == "end_date" and e.get("value")]
    if not ends:
        return None
    end = dt.date.fromisoformat(str(ends[0]["value"])[:10])
    start = end - dt.timedelta(days=days - 1)
    for entry in entries:
        if entry.get("property") == "start_date":
            entry["value"] = start.isoformat()
        elif entry.get("property") == "end_date":
            entry["value"] = end.isoformat()
    return changed


def range_of(payload: dict, timed: Timed) -> str:
    values = {
        e.get("property"): e.get("value")
        for e in _entries(payload)
        if e.get("id") == timed.range_id
    }
    return ", ".join(f"{k}={v}" for k, v in values.items())


# -- measurements ------------------------------------------------------------------------------


def get_pages(port: int, paths: list[str]) -> None:
    for path in [*paths, "/_dash-layout", "/_dash-dependencies"]:
        answer = request(
            port, "GET", path, headers={"Accept-Encoding": CALLBACK_HEADERS["Accept-Encoding"]}
        )
        figure(f"GET {path}", f"{answer.status} in {answer.ms:.0f}", f"ms ({answer.size} bytes)")


def replay_once(port: int, recorded: dict[str, list[dict]]) -> None:
    for path, bodies in recorded.items():
        for body in distinct(bodies):
            answer = post_callback(port, body)
            figure(
                f"replay {path} {short_name(body)}",
                f"{answer.status} in {answer.ms:.0f}",
                f"ms ({answer.size / 1024:.0f} kB)",
            )


def time_series(port: int, payload: dict, count: int) -> tuple[list[float], list[Answer]]:
    answers = [post_callback(port, payload) for _ in range(count)]
    return [a.ms for a in answers], answers


def callback_latency(port: int, recorded: dict[str, list[dict]], count: int) -> dict:
    """p50/p95 of each timed page's main callback for each range; returns the payloads used."""
    chosen: dict[str, dict] = {}
    for timed in TIMED:
        base = main_callback(recorded.get(timed.path, []), timed)
        if base is None:
            note(f"no recorded main callback ({timed.main_output}) for {timed.path}")
            continue
        chosen[timed.name] = base
        note(f"{timed.name}: main callback {short_name(base)}; recorded {range_of(base, timed)}")
        variants = [(label, with_range(base, timed, days)) for label, days in RANGES]
        if all(v is None for _, v in variants):
            note(f"{timed.name}: the recorded callback carries no range; timing it as is")
            variants = [("as recorded", base)]
        for label, payload in variants:
            if payload is None:
                continue
            post_callback(port, payload)  # one untimed call per worker: caches as a user finds
            post_callback(port, payload)
            samples, answers = time_series(port, payload, count)
            bad = [a.status for a in answers if a.status != 200]
            p50, p95 = percentiles(samples)
            check = decoded(answers[0])
            ok = "" if check is None or b'"response"' in check else " (answer is not a response)"
            name = f"callback {timed.name} {label}"
            figure(f"{name} p50", f"{p50:.0f}", "ms")
            figure(f"{name} p95", f"{p95:.0f}", "ms")
            figure(
                f"{name} detail",
                f"n={len(samples)} max={max(samples):.0f} ms, answer {answers[0].size / 1024:.0f} kB "
                f"({answers[0].encoding or 'identity'}), {len(bad)} not 200{ok}",
            )
    return chosen


def replacement_worker(server: Server, payload: dict, window: float = 10.0) -> None:
    """SIGTERM one worker; time its replacement while two clients keep sending ``payload``."""
    old_workers = server.workers()
    if not old_workers:
        note("no worker to replace")
        return
    victim = old_workers[0]
    figure("replacement: old worker PSS before SIGTERM", mb(pss_kb(victim)), "MB")
    stop = threading.Event()
    results: list[tuple[float, Answer]] = []  # (seconds after the signal, answer)
    appeared: dict[int, float] = {}
    pss_trace: dict[int, list[tuple[float, int]]] = {}
    lock = threading.Lock()
    t0 = 0.0

    def watch() -> None:
        last_pss = 0.0
        while not stop.is_set():
            now = time.perf_counter() - t0
            for pid in children(server.pid):
                if pid not in old_workers and pid not in appeared:
                    appeared[pid] = now
            if now - last_pss >= 0.25:
                last_pss = now
                for pid in list(appeared):
                    size = pss_kb(pid)
                    if size is not None:
                        pss_trace.setdefault(pid, []).append((now, size))
            time.sleep(0.01)

    def client() -> None:
        while not stop.is_set():
            started = time.perf_counter() - t0
            answer = post_callback(
                server.port, payload, timeout=60, owners=lambda: [victim, *children(server.pid)]
            )
            with lock:
                results.append((started + answer.ms / 1000, answer))

    t0 = time.perf_counter()
    os.kill(victim, signal.SIGTERM)
    threads = [threading.Thread(target=watch, daemon=True)]
    threads += [threading.Thread(target=client, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()

    def served_by_new() -> list[tuple[float, Answer]]:
        with lock:
            return [(t, a) for t, a in results if a.status == 200 and a.pid in appeared]

    def settled(trace: list[tuple[float, int]], span: float = 3.0) -> float | None:
        """When the PSS first stayed within 2 MB (or 1%) for ``span`` seconds."""
        for i, (start_t, _) in enumerate(trace):
            later = [s for t, s in trace[i:] if t <= start_t + span]
            if trace[-1][0] < start_t + span:
                return None
            if max(later) - min(later) <= max(2048, 0.01 * max(later)):
                return start_t
        return None

    deadline = 60.0
    while time.perf_counter() - t0 < deadline:
        elapsed = time.perf_counter() - t0
        new_served = served_by_new()
        traces = [pss_trace.get(pid, []) for pid in appeared]
        stable = bool(traces) and all(settled(t) is not None for t in traces)
        if elapsed >= window and new_served and stable:
            break
        time.sleep(0.1)
    stop.set()
    for thread in threads:
        thread.join(timeout=65)

    if victim in children(server.pid):
        note(f"the old worker {victim} is still a child of the master")
    booted = server.booted_workers()
    others = sorted(pid for pid in appeared if pid not in booted)
    if others:
        note(f"new children of the master that are not workers: {others}")
    new_workers = {pid: at for pid, at in appeared.items() if pid in booted}
    if not new_workers:
        figure("replacement: new worker appeared", "never (within 60 s)")
        return
    new_pid, new_at = min(new_workers.items(), key=lambda kv: kv[1])
    figure("replacement: new worker process appeared after", f"{new_at:.2f}", f"s (pid {new_pid})")
    new_served = [(t, a) for t, a in served_by_new() if a.pid == new_pid]
    if new_served:
        t, first = min(new_served, key=lambda ta: ta[0])
        figure("replacement: first callback 200 from the new worker after", f"{t:.2f}", "s")
        figure("replacement: that first callback took", f"{first.ms:.0f}", "ms")
        later = sorted(a.ms for _, a in new_served[1:])
        if later:
            figure(
                "replacement: new worker's later callbacks p50",
                f"{percentiles(later)[0]:.0f}",
                f"ms (n={len(later)})",
            )
    else:
        figure("replacement: first callback 200 from the new worker", "none within 60 s")
    first_window = [a for t, a in results if t <= window]
    if first_window:
        figure(
            f"replacement: max callback latency in the first {window:.0f} s",
            f"{max(a.ms for a in first_window):.0f}",
            "ms",
        )
        figure(
            f"replacement: callbacks in the first {window:.0f} s",
            f"{len(first_window)} ({sum(a.status != 200 for a in first_window)} failed)",
        )
        done_at, slowest = max(((t, a) for t, a in results if t <= window), key=lambda ta: ta[1].ms)
        role = (
            "the SIGTERMed worker"
            if slowest.pid == victim
            else "the new worker"
            if slowest.pid == new_pid
            else "the other old worker"
            if slowest.pid in old_workers
            else "an unknown process"
        )
        figure(
            "replacement: slowest of those",
            f"sent at {done_at - slowest.ms / 1000:.2f} s, status {slowest.status or slowest.error}, "
            f"served by {role} (pid {slowest.pid})",
        )
    failed = [a for _, a in results if a.status != 200]
    if failed:
        figure(
            "replacement: failed callbacks",
            ", ".join(sorted({f"{a.status or a.error}" for a in failed})),
        )
    unknown = sum(1 for _, a in results if a.status == 200 and a.pid is None)
    if unknown:
        note(f"{unknown} answers could not be attributed to a worker (connection already closed)")
    trace = pss_trace.get(new_pid, [])
    if trace:
        figure("replacement: new worker PSS when first seen", mb(trace[0][1]), "MB")
        stable_at = settled(trace)
        if stable_at is None:
            figure(
                "replacement: new worker PSS settled",
                f"not within 60 s (last {mb(trace[-1][1])} MB)",
            )
        else:
            value = [s for t, s in trace if t >= stable_at][0]
            figure("replacement: new worker PSS settled after", f"{stable_at:.2f}", "s")
            figure("replacement: new worker PSS settled at", mb(value), "MB")
        figure("replacement: new worker PSS at the end", mb(trace[-1][1]), "MB")


def summarise_log(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = text.splitlines()
    errors = [ln for ln in lines if " ERROR " in ln or " CRITICAL " in ln or "Traceback" in ln]
    warnings = [ln for ln in lines if " WARNING " in ln]
    figure("server log", f"{len(lines)} lines, {len(errors)} errors, {len(warnings)} warnings")
    # The app's access lines: "... app.access [request id] METHOD PATH STATUS 1.2ms".
    access = re.findall(r"app\.access \[[^\]]*\] (\S+) (\S+) (\d{3}) ", text)
    statuses: dict[str, int] = {}
    for _, _, status in access:
        statuses[status] = statuses.get(status, 0) + 1
    figure(
        "server log requests",
        f"{len(access)} ({', '.join(f'{k}: {v}' for k, v in sorted(statuses.items())) or 'none'})",
    )
    failing: dict[str, int] = {}
    for method, path, status in access:
        if int(status) >= 400:
            key = f"{method} {path} {status}"
            failing[key] = failing.get(key, 0) + 1
    for key, count in sorted(failing.items(), key=lambda kv: -kv[1])[:8]:
        note(f"  log: {count} x {key}")
    seen: set[str] = set()
    for line in errors + warnings:
        key = re.sub(r"^\S+ \S+ ", "", line)[:200]
        if key not in seen and len(seen) < 12:
            seen.add(key)
            note(f"  log: {line[:300]}")


def payload_file(data: Path, tree: Path) -> Path:
    digest = hashlib.sha1(str(tree.resolve()).encode()).hexdigest()[:8]
    return data / "bench-instance" / f"payloads-{tree.name}-{digest}.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_instance", description=__doc__)
    parser.add_argument("--tree", type=Path, default=BENCH_ROOT, help="source tree to serve")
    parser.add_argument(
        "--data", type=Path, help="example data (default TREE/var/bench/enterprise)"
    )
    parser.add_argument("--requests", type=int, default=30, help="timed requests per range")
    parser.add_argument(
        "--empty-history", action="store_true", help="do not import the data into the history store"
    )
    parser.add_argument(
        "--reuse-payloads",
        action="store_true",
        help="replay the saved payloads instead of recording them with the browser",
    )
    args = parser.parse_args([] if argv is None else argv)
    tree = args.tree.resolve()
    data = (args.data or tree / "var" / "bench" / "enterprise").resolve()
    overall = time.perf_counter()

    describe_tree(tree)
    check_tree_imports(tree)
    with Step("example data"):
        ensure_data(tree, data)
    files = data_files(data)
    size = sum(p.stat().st_size for p in files)
    figure("example data", data, f"({len(files)} files, {size / 1e6:.1f} MB)")
    ensure_vendor_assets(tree)
    paths = page_paths(tree)
    figure("pages", " ".join(paths))

    work = Path(tempfile.mkdtemp(prefix="bench-instance-"))
    history = work / "history"
    history.mkdir()
    facts = work / "facts"  # created by the app (trees without Parquet facts ignore it)
    saved = payload_file(data, tree)
    saved.parent.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    server = Server(tree, data, history, saved.parent / f"server-{tree.name}-{stamp}.log", facts)
    try:
        if not args.empty_history:
            with Step("history import"):
                fill_history(tree, data, history)
        with Step("start"):
            server.start()
            figure("time to first /readyz 200", f"{server.wait_ready():.2f}", "s")
            workers = server.workers()
            figure("workers up", f"{len(workers)} (pids {' '.join(map(str, workers))})")
            figure("all workers up after", f"{time.perf_counter() - server.started:.2f}", "s")
        if facts.exists():
            written = [p for p in facts.rglob("*") if p.is_file()]
            figure(
                "facts written",
                f"{sum(p.stat().st_size for p in written) / 1e6:.1f} MB in {len(written)} files "
                f"({sum(p.suffix == '.parquet' for p in written)} Parquet) under FACTS_DIR",
            )
        else:
            note("no FACTS_DIR written (this tree keeps its data in memory)")
        report_pss("after start", server.pid, server.booted_workers())

        with Step("plain GETs"):
            get_pages(server.port, paths)

        recorded: dict[str, list[dict]] | None = None
        if not args.reuse_payloads:
            with Step("browser"):
                try:
                    recorded = record_pages(server.port, paths)
                except Exception as exc:  # noqa: BLE001 - fall back to the saved recording
                    note(f"the browser run failed ({type(exc).__name__}: {exc}); trying {saved}")
        if recorded is not None:
            saved.write_text(
                json.dumps(
                    {
                        "tree": str(tree),
                        "recorded_at": dt.datetime.now(dt.UTC).isoformat(),
                        "pages": recorded,
                    },
                    indent=1,
                )
            )
            note(f"recorded payloads saved to {saved}")
        elif saved.exists():
            recorded = json.loads(saved.read_text())["pages"]
            note(f"replaying the payloads saved in {saved}")
        else:
            raise RuntimeError("no callback payloads: the browser failed and none were saved")
        figure(
            "recorded callbacks",
            ", ".join(
                f"{p} {len(distinct(b))} distinct ({len(b)} sent)" for p, b in recorded.items()
            ),
        )
        report_pss("after all pages", server.pid, server.booted_workers())

        with Step("replay once"):
            replay_once(server.port, recorded)
        with Step("callback latency"):
            chosen = callback_latency(server.port, recorded, args.requests)
        report_pss("after callback timings", server.pid, server.booted_workers())

        with Step("replacement worker"):
            payload = chosen.get("usage") or next(iter(chosen.values()), None)
            if payload is None:
                note("no callback to drive the replacement test with")
            else:
                replacement_worker(server, payload)
        report_pss("after worker replacement", server.pid, server.booted_workers())
    finally:
        with Step("stop"):
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
        if server.log_path.exists():
            summarise_log(server.log_path)
            note(f"server log kept in {server.log_path}")
    figure("bench_instance total", f"{time.perf_counter() - overall:.0f}", "s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
