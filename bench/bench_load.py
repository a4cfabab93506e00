"""Load: many users loading pages and changing filters against one production-like instance.

Serves the enterprise-scale example data as ``bench_instance`` does (gunicorn, production
config, ``WEB_CONCURRENCY=2``, history imported), then runs virtual users on keep-alive
connections for ``--seconds`` each at 50 and at 100 users. A user repeats what a browser does:
``GET`` a page, ``/_dash-layout`` (with the page as ``Referer``) and ``/_dash-dependencies``, in
trees whose first layout is empty the pages router's callback and the shell's two callbacks,
then one filter change on that page (Usage: a random range; Seats: a
random table page; History: a random range). Prints throughput, p50/p95/p99 and every error.

The client runs on the same 2-core machine as the server and takes CPU from it: the figures are
a floor for what the instance does, and compare runs of this bench with each other.

Run: ``python -m bench.bench_load [--users 50 100] [--seconds 60]`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import shutil
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from bench.bench_instance import BENCH_ROOT, Server, data_files, ensure_data, fill_history
from bench.timing import percentiles
from tests.support.dash_payload import find_callback, payload

UPDATE = "/_dash-update-component"
JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}
PAGES = ("/", "/seats", "/history")


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)

    def add(self, ms: float, problem: str | None) -> None:
        with self.lock:
            self.latencies.append(ms)
            if problem:
                self.errors[problem] += 1


def find_props(tree: object, component_id: str) -> dict | None:
    """The props of the component with ``component_id`` in a Dash JSON layout."""
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            props = item.get("props")
            if isinstance(props, dict) and props.get("id") == component_id:
                return props
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


class Client:
    """One keep-alive connection, reopened after an error (as a browser would)."""

    def __init__(self, port: int, results: Results) -> None:
        self.port, self.results = port, results
        self.conn: http.client.HTTPConnection | None = None

    def send(
        self, method: str, path: str, body: dict | None = None, referer: str | None = None
    ) -> bytes | None:
        data = json.dumps(body).encode() if body is not None else None
        headers = dict(JSON_HEADERS) if body is not None else {}
        if referer is not None:
            headers["Referer"] = f"http://127.0.0.1:{self.port}{referer}"
        started = time.perf_counter()
        problem, payload_bytes = None, None
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            payload_bytes = response.read()
            if response.status not in (200, 204):
                problem = f"{method} {path.split('?')[0]} {response.status}"
        except (OSError, http.client.HTTPException) as exc:
            problem = f"{method} {path.split('?')[0]} {type(exc).__name__}"
            if self.conn is not None:
                self.conn.close()
            self.conn = None
        self.results.add((time.perf_counter() - started) * 1000, problem)
        return payload_bytes if problem is None else None


@dataclass
class Script:
    """The callback bodies a user sends, built once from the app's own dependency list."""

    deps: list[dict]
    usage_bounds: tuple[date, date]
    history_bounds: tuple[date, date]
    #: The first layout carries the page (app/first_view.py): a load sends no callback.
    first_view: bool = False

    def router(self, path: str) -> dict:
        dep = find_callback(self.deps, "_pages_content.children")
        return payload(dep, {"_pages_location.pathname": path, "_pages_location.search": ""},
                       ["_pages_location.pathname"])  # fmt: skip

    def shell(self) -> list[dict]:
        return [payload(find_callback(self.deps, out), {}, []) for out in
                ("source-store.data", "source-badge.children")]  # fmt: skip

    def change(self, path: str, rng: random.Random) -> dict:
        if path == "/seats":
            try:
                dep = find_callback(self.deps, "seats-rows.data")
            except LookupError:  # trees that still send the rows as components
                dep = find_callback(self.deps, "seats-tbody.children")
            values = {"seats-days.value": "30", "seats-plan.value": "all",
                      "seats-status.value": "all", "seats-search.value": "",
                      "seats-sort.value": "last_activity", "seats-dir.value": "asc",
                      "seats-size.value": "50", "seats-pagination.active_page": rng.randint(1, 50)}  # fmt: skip
            return payload(dep, values, ["seats-pagination.active_page"])
        prefix, bounds = ("usage", self.usage_bounds) if path == "/" else ("history",
                                                                          self.history_bounds)  # fmt: skip
        dep = find_callback(self.deps, f"{prefix}-kpi-")
        first, last = bounds
        span = (last - first).days
        start = first + timedelta(days=rng.randint(0, max(0, span - 14)))
        values = {f"{prefix}-dates.start_date": start.isoformat(),
                  f"{prefix}-dates.end_date": last.isoformat(),
                  f"{prefix}-granularity.value": rng.choice(["day", "week", "month"])}  # fmt: skip
        return payload(dep, values, [f"{prefix}-dates.start_date"])


def bounds_from(answer: bytes | None, component_id: str) -> tuple[date, date]:
    """The date picker's bounds in a router answer or a first layout."""
    tree = json.loads(answer or b"{}")
    content = tree.get("response", {}) if isinstance(tree, dict) and "response" in tree else tree
    props = find_props(content, component_id) or {}
    first = props.get("min_date_allowed") or "2024-01-01"
    last = props.get("max_date_allowed") or "2026-01-01"
    return date.fromisoformat(str(first)[:10]), date.fromisoformat(str(last)[:10])


def prepare(port: int) -> Script:
    probe = Client(port, Results())
    deps = json.loads(probe.send("GET", "/_dash-dependencies") or b"[]")
    script = Script(deps, (date.min, date.min), (date.min, date.min))
    usage = probe.send("GET", "/_dash-layout", referer="/")
    script.first_view = (find_props(json.loads(usage or b"{}"), "page-built-for") or {}).get(
        "data"
    ) == "/"
    if script.first_view:
        history = probe.send("GET", "/_dash-layout", referer="/history")
    else:  # older trees: the router callback builds the page
        usage = probe.send("POST", UPDATE, script.router("/"))
        history = probe.send("POST", UPDATE, script.router("/history"))
    script.usage_bounds = bounds_from(usage, "usage-dates")
    script.history_bounds = bounds_from(history, "history-dates")
    return script


def user(port: int, script: Script, results: Results, stop: threading.Event, seed: int) -> None:
    """What a browser sends: the page, its layout and dependencies, (in older trees) the router
    and shell callbacks, then one filter change."""
    rng = random.Random(seed)
    client = Client(port, results)
    while not stop.is_set():
        path = rng.choice(PAGES)
        client.send("GET", path)
        client.send("GET", "/_dash-layout", referer=path)
        client.send("GET", "/_dash-dependencies")
        if not script.first_view:
            client.send("POST", UPDATE, script.router(path))
            for body in script.shell():
                client.send("POST", UPDATE, body)
        client.send("POST", UPDATE, script.change(path, rng))


def load(port: int, script: Script, users: int, seconds: float) -> None:
    results, stop = Results(), threading.Event()
    threads = [threading.Thread(target=user, args=(port, script, results, stop, i), daemon=True)
               for i in range(users)]  # fmt: skip
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=90)
    elapsed = time.perf_counter() - started
    samples = sorted(results.latencies)
    p50, p95 = percentiles(samples)
    p99 = samples[min(len(samples) - 1, round(0.99 * len(samples)) - 1)] if samples else 0.0
    failed = sum(results.errors.values())
    print(f"load {users} users: {len(samples)} requests in {elapsed:.0f} s, "
          f"{len(samples) / elapsed:.0f} req/s", flush=True)  # fmt: skip
    print(f"load {users} users latency: p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms, "
          f"max {samples[-1] if samples else 0:.0f} ms", flush=True)  # fmt: skip
    print(f"load {users} users errors: {failed}"
          + (f" ({dict(results.errors.most_common(5))})" if failed else " (target 0)"), flush=True)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_load", description=__doc__)
    parser.add_argument("--tree", type=Path, default=BENCH_ROOT)
    parser.add_argument(
        "--data", type=Path, help="example data (default TREE/var/bench/enterprise)"
    )
    parser.add_argument("--users", type=int, nargs="+", default=[50, 100])
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args([] if argv is None else argv)
    tree = args.tree.resolve()
    data = (args.data or tree / "var" / "bench" / "enterprise").resolve()
    ensure_data(tree, data)
    print(f"example data: {data} ({len(data_files(data))} files)", flush=True)
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    (work / "history").mkdir()
    server = Server(tree, data, work / "history", work / "server.log", work / "facts")
    try:
        fill_history(tree, data, work / "history")
        server.start()
        print(f"start to /readyz 200: {server.wait_ready():.1f} s", flush=True)
        script = prepare(server.port)
        print(f"ranges drawn from: usage {script.usage_bounds}, history {script.history_bounds}"
              f"; page loads {'send no callback' if script.first_view else 'send 3 callbacks'}")  # fmt: skip
        for users in args.users:
            load(server.port, script, users, args.seconds)
    finally:
        server.stop()
        log = (work / "server.log").read_text(errors="replace")
        problems = [line for line in log.splitlines() if " ERROR " in line or "Traceback" in line]
        print(f"server log: {len(problems)} error lines" + (f", first: {problems[0][:200]}"
              if problems else ""), flush=True)  # fmt: skip
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(__import__("sys").argv[1:]))
