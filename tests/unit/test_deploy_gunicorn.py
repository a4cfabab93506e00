"""gunicorn.conf.py: platform-driven values, safe defaults, and tolerance of bad variables."""

from __future__ import annotations

import gc
import logging
import os
import runpy
from types import SimpleNamespace

import pytest

from tests.support.deploy_files import REPO_ROOT

CONFIG = REPO_ROOT / "gunicorn.conf.py"
VARIABLES = (
    "PORT",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_KEEPALIVE",
    "GUNICORN_ACCESS_LOG",
    "FORWARDED_ALLOW_IPS",
    "GUNICORN_MAX_REQUESTS",
)


def _load(monkeypatch, **env) -> dict:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_defaults(monkeypatch):
    cfg = _load(monkeypatch)
    assert cfg["bind"] == ["0.0.0.0:8050"]
    assert cfg["workers"] == 2
    assert cfg["worker_class"] == "gthread" and cfg["threads"] == 4
    assert cfg["preload_app"] is True
    assert cfg["timeout"] == 60 and cfg["keepalive"] == 5
    assert cfg["errorlog"] == "-" and cfg["accesslog"] is None
    assert cfg["control_socket_disable"] is True


def test_graceful_shutdown_fits_cloud_foundrys_ten_seconds(monkeypatch):
    assert _load(monkeypatch)["graceful_timeout"] < 10


def test_platform_variables_are_honoured(monkeypatch):
    cfg = _load(
        monkeypatch,
        PORT="61234",
        WEB_CONCURRENCY="3",
        GUNICORN_THREADS="8",
        GUNICORN_KEEPALIVE="65",
        GUNICORN_ACCESS_LOG="1",
    )
    assert cfg["bind"] == ["0.0.0.0:61234"]
    assert (cfg["workers"], cfg["threads"], cfg["keepalive"]) == (3, 8, 65)
    assert cfg["accesslog"] == "-"
    assert "%(q)s" not in cfg["access_log_format"], "query strings stay out of the logs"


@pytest.mark.parametrize("bad", ["", "two", "-4", "0"])
def test_malformed_numbers_fall_back_instead_of_crashing(monkeypatch, bad):
    cfg = _load(monkeypatch, WEB_CONCURRENCY=bad, GUNICORN_THREADS=bad)
    assert cfg["workers"] >= 1 and cfg["threads"] >= 1


def test_forwarded_headers_are_not_trusted_from_everyone(monkeypatch):
    cfg = _load(monkeypatch)
    assert cfg["forwarded_allow_ips"] != "*"
    assert set(cfg["forwarded_allow_ips"].split(",")) <= {"127.0.0.1", "::1"}


def test_gunicorn_accepts_every_setting(monkeypatch):
    """Each name in the file is a real gunicorn setting (a typo would be silently ignored)."""
    from gunicorn.config import KNOWN_SETTINGS

    known = {setting.name for setting in KNOWN_SETTINGS}
    cfg = _load(monkeypatch)
    settings = {
        name
        for name, value in cfg.items()
        if not name.startswith("_")
        and not callable(value)
        and name not in {"os", "sys", "gc", "logging", "contextlib", "annotations"}
    }
    assert settings <= known, settings - known


def test_hooks_are_gunicorn_hooks(monkeypatch):
    from gunicorn.config import KNOWN_SETTINGS

    known = {setting.name for setting in KNOWN_SETTINGS}
    cfg = _load(monkeypatch)
    hooks = {name for name, value in cfg.items() if callable(value) and not name.startswith("_")}
    hooks -= {"gc", "os", "sys", "logging", "contextlib"}
    assert hooks == {"when_ready", "worker_exit"}
    assert hooks <= known


def test_graceful_worker_exit_skips_interpreter_teardown(monkeypatch):
    cfg = _load(monkeypatch)
    exits: list[int] = []
    monkeypatch.setattr(os, "_exit", exits.append)
    # The hook flushes logging before exiting; keep pytest's own handlers open.
    monkeypatch.setattr(logging, "shutdown", lambda: None)
    cfg["worker_exit"](None, SimpleNamespace(booted=True, alive=False))
    assert exits == [0]


@pytest.mark.parametrize(
    "worker",
    [SimpleNamespace(booted=False, alive=False), SimpleNamespace(booted=True, alive=True)],
    ids=["failed-boot", "crashed-while-alive"],
)
def test_failed_workers_keep_the_normal_exit_status(monkeypatch, worker):
    cfg = _load(monkeypatch)
    exits: list[int] = []
    monkeypatch.setattr(os, "_exit", exits.append)
    cfg["worker_exit"](None, worker)
    assert exits == []


def test_when_ready_freezes_the_preloaded_heap(monkeypatch):
    cfg = _load(monkeypatch)
    try:
        cfg["when_ready"](None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
