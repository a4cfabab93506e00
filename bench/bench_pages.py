"""Page speed in headless Chromium, against the floor: a bare two-chart Dash page.

Serves the dashboard (``make run``'s example data, its history imported) and
:mod:`bench.floor_app` under the production gunicorn config, then, in rounds, interleaved:

* every page's **ready time**, cold (new browser context: empty cache) and warm (the same
  context again), as a ratio to the floor's. A page is ready when every chart has drawn, no
  callback is in flight and nothing changed for 200 ms; the time is when that state began,
  from the navigation's start (``performance.now()`` in the page);
* on Usage, the time from a **filter change** (the range start moved) until ready again, for a
  14-day range and the whole range;
* the bytes a **warm reload** of each page transfers (Chromium's encoded lengths, via CDP).

Run: ``python -m bench.bench_pages [--rounds N] [--tree DIR ...]`` (or ``make bench``); with\nseveral ``--tree`` (before and after a change), every tree is measured in the same rounds.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.support.browser import CHROMIUM_ARGS, chromium_path

REPO = Path(__file__).resolve().parents[1]
PAGES = ("/", "/seats", "/history")
FLOOR = "floor"
STABLE_MS = 200
TIMEOUT_MS = 60_000

#: Injected before any page script: counts callback requests in flight and records when the
#: page first reached a state that then held for STABLE_MS (charts drawn, nothing pending).
READY_SCRIPT = """
(() => {
  const s = {pending: 0, seen: 0, seen0: 0, needCallback: false, candidate: null, readyAt: null,
             t0: 0};
  window.__bench = s;
  const fetch0 = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : (input && input.url) || '';
    const cb = url.indexOf('_dash-update-component') >= 0;
    if (cb) { s.pending++; s.seen++; }
    const p = fetch0.apply(this, arguments);
    if (cb) p.then(() => { s.pending--; }, () => { s.pending--; });
    return p;
  };
  const drawn = () => {
    const graphs = document.querySelectorAll('.dash-graph');
    if (!graphs.length) return false;
    for (const g of graphs) if (!g.querySelector('.main-svg')) return false;
    return !document.querySelector('[data-dash-is-loading="true"]');
  };
  const tick = () => {
    const now = performance.now();
    const ok = s.pending === 0 && drawn() && (!s.needCallback || s.seen > s.seen0);
    if (!ok) s.candidate = null;
    else if (s.candidate === null) s.candidate = now;
    else if (s.readyAt === null && now - s.candidate >= STABLE_MS) s.readyAt = s.candidate;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  window.__benchArm = () => {
    s.seen0 = s.seen; s.needCallback = true; s.candidate = null; s.readyAt = null;
    s.t0 = performance.now();
  };
})();
""".replace("STABLE_MS", str(STABLE_MS))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(url: str, process: subprocess.Popen, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited ({process.returncode})")
        with contextlib.suppress(OSError):
            if urllib.request.urlopen(url, timeout=30).status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer 200 within {timeout:.0f} s")


@contextlib.contextmanager
def gunicorn(target: str, env: dict[str, str], log: Path, tree: Path = REPO) -> Iterator[str]:
    """``target`` served from ``tree`` by gunicorn with its production config; yields the URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        str(tree / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        target,
    ]
    full_env = {**os.environ, "PYTHONPATH": str(tree), "WEB_CONCURRENCY": "2", **env}
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=tree, env=full_env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(f"{url}/readyz" if target.startswith("app.") else url + "/", process)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def import_history(store: str, tree: Path) -> None:
    exports = sorted(
        str(p)
        for pattern in ("copilot-usage-*.json", "copilot-metrics-*.json", "copilot-report-*")
        for p in (REPO / "sample_data").glob(pattern)
    )
    subprocess.run(
        [sys.executable, "-m", "app.collect", "import", *exports],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree), "HISTORY_STORE": store, "LOG_FORMAT": "text"},
        check=True,
        capture_output=True,
        timeout=600,
    )


def ready_ms(page) -> float:
    """Milliseconds from the navigation's start until the page was ready."""
    page.wait_for_function("() => window.__bench && window.__bench.readyAt !== null",
                           timeout=TIMEOUT_MS, polling=50)  # fmt: skip
    return float(page.evaluate("() => window.__bench.readyAt"))


def load(context, url: str) -> float:
    page = context.new_page()
    try:
        page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
        return ready_ms(page)
    finally:
        page.close()


def filter_change_ms(page, start: str) -> float:
    """Move the Usage range start to ``start``; milliseconds until the page is ready again."""
    field = page.locator("input#usage-dates")
    field.click()
    field.fill(start)
    page.evaluate("() => window.__benchArm()")  # timed from the key that commits the change
    field.press("Enter")
    # As the browser tests do: the typed start has reached the page (its URL) before the
    # calendar closes; pressing Escape at once sometimes lost the change.
    page.wait_for_function("s => window.location.search.includes('start=' + s)", arg=start,
                           timeout=TIMEOUT_MS, polling=20)  # fmt: skip
    page.keyboard.press("Escape")  # closing the calendar commits the range
    page.wait_for_function("() => window.__bench.readyAt !== null", timeout=TIMEOUT_MS,
                           polling=50)  # fmt: skip
    return float(page.evaluate("() => window.__bench.readyAt - window.__bench.t0"))


def reload_bytes(context, url: str) -> int:
    """Bytes on the wire for a reload of ``url`` once it is in the cache."""
    page = context.new_page()
    try:
        page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
        ready_ms(page)
        cdp = context.new_cdp_session(page)
        total = [0]
        cdp.on(
            "Network.loadingFinished",
            lambda e: total.__setitem__(0, total[0] + e["encodedDataLength"]),
        )
        cdp.send("Network.enable")
        page.reload(wait_until="load", timeout=TIMEOUT_MS)
        ready_ms(page)
        page.wait_for_timeout(300)  # the last events
        return total[0]
    finally:
        page.close()


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def figure(name: str, value: str) -> None:
    print(f"{name}: {value}", flush=True)


def run(rounds: int, trees: list[Path] | None = None) -> None:
    """Every figure for each tree; with several trees (before, after) all are served at once
    and measured interleaved, so the noise of a shared machine falls on each alike."""
    from playwright.sync_api import sync_playwright

    trees = trees or [REPO]
    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    chromium = chromium_path()
    names = {tree: (f"[{tree}] " if len(trees) > 1 else "") for tree in trees}
    try:
        with contextlib.ExitStack() as stack:
            urls: dict[Path, str] = {}
            for i, tree in enumerate(trees):
                store = f"file://{work / f'history-{i}'}"
                started = time.perf_counter()
                figure("tree", str(tree))
                import_history(store, tree)
                figure(f"{names[tree]}history import", f"{time.perf_counter() - started:.1f} s")
                app_env = {"DATA_SOURCE": "example", "HISTORY_STORE": store,
                           "FACTS_DIR": str(work / f"facts-{i}"), "LOG_FORMAT": "text"}  # fmt: skip
                urls[tree] = stack.enter_context(
                    gunicorn("app.wsgi:server", app_env, work / f"app-{i}.log", tree)
                )
            floor_url = stack.enter_context(
                gunicorn("bench.floor_app:server", {}, work / "floor.log")
            )
            pw = stack.enter_context(sync_playwright())
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            targets = {FLOOR: floor_url + "/"}
            for tree in trees:
                targets.update({(tree, p): urls[tree] + p for p in PAGES})
            cold: dict = {t: [] for t in targets}
            warm: dict = {t: [] for t in targets}

            def context():
                made = browser.new_context(viewport={"width": 1400, "height": 1000})
                made.add_init_script(READY_SCRIPT)
                return made

            for warmup in targets.values():  # first requests, Parquet pages in the page cache
                with contextlib.closing(context()) as ctx:
                    load(ctx, warmup)
            for _ in range(rounds):
                for name, url in targets.items():  # interleaved: floor, then each tree's pages
                    with contextlib.closing(context()) as ctx:
                        cold[name].append(load(ctx, url))
                        warm[name].append(load(ctx, url))
            floor_cold, floor_warm = median(cold[FLOOR]), median(warm[FLOOR])
            figure("floor (bare two-chart Dash page) ready, cold", f"{floor_cold:.0f} ms")
            figure("floor (bare two-chart Dash page) ready, warm", f"{floor_warm:.0f} ms")
            for tree in trees:
                for path in PAGES:
                    c, w = median(cold[(tree, path)]), median(warm[(tree, path)])
                    figure(f"{names[tree]}page {path} ready, cold",
                           f"{c:.0f} ms ({c / floor_cold:.2f}x the floor)")  # fmt: skip
                    figure(f"{names[tree]}page {path} ready, warm",
                           f"{w:.0f} ms ({w / floor_warm:.2f}x the floor)")  # fmt: skip
            figure("rounds", f"{rounds} (medians; target: every page within 1.3x the floor)")

            first, last = usage_bounds()
            pages = {}
            for tree in trees:
                ctx = stack.enter_context(contextlib.closing(context()))
                pages[tree] = ctx.new_page()
                pages[tree].goto(urls[tree] + "/", wait_until="load", timeout=TIMEOUT_MS)
                ready_ms(pages[tree])
            short: dict = {tree: [] for tree in trees}
            whole: dict = {tree: [] for tree in trees}
            for _ in range(rounds):
                for tree in trees:
                    page = pages[tree]
                    short[tree].append(
                        filter_change_ms(page, (last - dt.timedelta(days=13)).isoformat())
                    )
                    whole[tree].append(filter_change_ms(page, first.isoformat()))
            for tree in trees:
                s, w = median(short[tree]), median(whole[tree])
                figure(f"{names[tree]}usage filter change to 14 days, until ready", f"{s:.0f} ms")
                figure(
                    f"{names[tree]}usage filter change to the whole range, until ready",
                    f"{w:.0f} ms ({w / s:.2f}x the 14-day change; targets < 400 ms and <= 2x)",
                )
            for tree in trees:
                with contextlib.closing(context()) as ctx:
                    for path in PAGES:
                        size = reload_bytes(ctx, urls[tree] + path)
                        figure(f"{names[tree]}warm reload {path}",
                               f"{size / 1024:.0f} KB (target < 150 KB)")  # fmt: skip
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def usage_bounds() -> tuple[dt.date, dt.date]:
    """The first and last day of the example usage data (from the served facts)."""
    sys.path.insert(0, str(REPO))
    from app.settings import Settings
    from app.sources.example import ExampleSource

    settings = Settings.from_env()
    folder = Path(tempfile.mkdtemp(prefix="bench-pages-bounds-"))
    try:
        totals = ExampleSource(settings.sample_data_dir, folder).snapshot().usage.totals
        return totals["day"].min().date(), totals["day"].max().date()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_pages", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (medians)")
    parser.add_argument(
        "--tree",
        type=Path,
        action="append",
        help="source tree of the dashboard (repeat it to compare trees interleaved in one run)",
    )
    args = parser.parse_args([] if argv is None else argv)
    run(args.rounds, [tree.resolve() for tree in (args.tree or [REPO])])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
