"""Which 1-day report kinds ``copilot-collect run`` archives (``--kinds``)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.collect.backfill import DEFAULT_KINDS, parse_kinds, report_kinds
from app.collect.cli import build_parser


def test_default_is_every_kind_in_a_fixed_order() -> None:
    assert DEFAULT_KINDS == ("organization", "users", "user-teams", "repos")
    assert parse_kinds(None) == parse_kinds("") == DEFAULT_KINDS
    assert parse_kinds("repos, users-1-day,ENTERPRISE") == ("organization", "users", "repos")
    assert parse_kinds(["user-teams", "user-teams"]) == ("user-teams",)
    with pytest.raises(ValueError, match="unknown report kind 'seats'"):
        parse_kinds("organization,seats")


def test_report_names_follow_the_scope() -> None:
    org = SimpleNamespace(scope=SimpleNamespace(kind="org"))
    ent = SimpleNamespace(scope=SimpleNamespace(kind="enterprise"))
    assert report_kinds(org) == [
        "organization-1-day",
        "users-1-day",
        "user-teams-1-day",
        "repos-1-day",
    ]
    assert report_kinds(ent, "organization,repos") == ["enterprise-1-day", "repos-1-day"]


def test_cli_flag() -> None:
    args = build_parser().parse_args(["run", "--kinds", "users,organization"])
    assert args.kinds == ("organization", "users")
    assert build_parser().parse_args(["run"]).kinds is None
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "--kinds", "nope"])
