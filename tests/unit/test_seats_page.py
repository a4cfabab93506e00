"""The Seats page's callbacks and the CSV export, through Flask's test client on the fixture.

Figures are the hand-computed ones of tests/unit/test_seats_analytics.py (same fixture).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from app.factory import create_app
from app.seats_export import register_routes, safe_cell
from app.settings import Settings
from tests.support.seats_dash import call, dependencies, find_callback, payload

FIXTURE_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "seats"


@pytest.fixture(scope="module")
def client():
    app = create_app(Settings(sample_data_dir=FIXTURE_DIR))
    register_routes(app.server)
    register_routes(app.server)  # idempotent: the factory may already have called it
    return app.server.test_client()


@pytest.fixture(scope="module")
def deps(client):
    return dependencies(client)


def test_page_renders(client):
    assert client.get("/seats").status_code == 200
    assert client.get("/seats?days=abc&status=%3Cscript%3E&page=-1&size=9999").status_code == 200


def kpis(client, deps, days="30", plan="all") -> dict:
    dep = find_callback(deps, "seats-kpi-total-value")
    out, _ = call(client, payload(dep, {"seats-days.value": days, "seats-plan.value": plan}))
    return {k.removeprefix("seats-kpi-"): v["children"] for k, v in out.items()}


def test_kpi_callback(client, deps):
    k = kpis(client, deps)
    assert k["total-value"] == "12"
    assert k["total-note"] == "7 business, 3 enterprise, 1 pro+, 1 unknown"
    assert k["active-value"] == "4"
    assert k["inactive-value"] == "8"
    assert k["never-value"] == "3"
    assert k["pending-value"] == "2"
    assert k["cost-value"] == "$192"
    assert "including never used" in k["seats-definitions"]


def test_kpis_follow_days_and_plan(client, deps):
    assert kpis(client, deps, "60")["inactive-value"] == "6"
    assert kpis(client, deps, "60")["cost-value"] == "$134"
    enterprise = kpis(client, deps, "30", "enterprise")
    assert (enterprise["total-value"], enterprise["inactive-value"]) == ("3", "2")
    assert enterprise["cost-value"] == "$78"
    assert kpis(client, deps, "not a number")["inactive-value"] == "8"  # default 30


def table(client, deps, trigger="seats-status.value", **values) -> dict:
    dep = find_callback(deps, "seats-rows.data")
    defaults = {
        "seats-days.value": "30",
        "seats-plan.value": "all",
        "seats-status.value": "all",
        "seats-search.value": "",
        "seats-sort.value": "login",
        "seats-dir.value": "asc",
        "seats-size.value": "25",
        "seats-pagination.active_page": 1,
    }
    defaults.update({k.replace("__", ".").replace("_", "-", 1): v for k, v in values.items()})
    out, _ = call(client, payload(dep, defaults, [trigger]))
    return out


def row_logins(out: dict) -> list[str]:
    logins = []
    for tr in out["seats-rows"]["data"]["rows"]:
        first = tr["props"]["children"][0]["props"]["children"][0]
        text = first["props"]["children"]
        logins.append("" if text.startswith("(no user") else text)
    return logins


def test_table_filters_sorts_and_links(client, deps):
    out = table(client, deps)
    assert row_logins(out)[:3] == ["alice", "bob", "carol"]
    assert row_logins(out)[-1] == ""  # the seat whose assignee was deleted, last
    assert out["seats-rows"]["data"]["count"].startswith("Showing 1–12 of 12 seats")
    first_link = out["seats-rows"]["data"]["rows"][0]["props"]["children"][0]["props"]["children"][0]
    assert first_link["props"]["href"] == "https://github.com/alice"
    out = table(client, deps, seats_status__value="inactive", seats_days__value="60",
                seats_sort__value="last_activity", seats_dir__value="desc")  # fmt: skip
    assert row_logins(out) == ["grace", "ivan", "judy", "heidi", "Mallory-X", ""]
    assert out["seats-export"]["href"] == ("/seats/export.csv?days=60&status=inactive&dir=desc")
    out = table(client, deps, seats_search__value="AL")
    assert row_logins(out) == ["alice", "Mallory-X"]
    mallory = out["seats-rows"]["data"]["rows"][1]["props"]["children"][0]["props"]["children"][0]
    assert mallory["props"]["href"] == "https://github.com/Mallory-X"  # no html_url in the data


def test_table_paging_and_empty_state(client, deps):
    out = table(client, deps, "seats-pagination.active_page", seats_size__value="25")
    assert out["seats-pagination"]["max_value"] == 1
    out = table(client, deps, "seats-pagination.active_page", seats_size__value="nonsense",
                seats_pagination__active_page=7)  # fmt: skip
    assert out["seats-pagination"]["active_page"] == 1  # clamped to the only page
    out = table(client, deps, seats_search__value="nobody-has-this-login")
    assert out["seats-rows"]["data"]["rows"] == []
    assert "No seats match this filter" in str(out["seats-empty"]["children"])


def test_chart_callback(client, deps):
    dep = find_callback(deps, "seats-buckets-graph.figure")
    out, _ = call(client, payload(dep, {"seats-days.value": "30", "seats-plan.value": "all"}))
    buckets = out["seats-buckets-graph"]["figure"]["data"][0]
    assert buckets["y"] == [3, 1, 2, 1, 1, 1, 3]
    assert {t["type"] for k in out if k.endswith("-graph") for t in out[k]["figure"]["data"]} <= {
        "bar",
        "scatter",
    }
    team = out["seats-team-graph"]["figure"]["data"]
    assert team[0]["y"][-1] == "Platform" and team[0]["x"][-1] == 2


# Header sorting runs in the browser (assets/seat_rows.js): tests/browser/test_seats_page.py.


def read_csv(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_export_holds_exactly_the_filtered_rows(client):
    rows = read_csv(client, "/seats/export.csv?days=60&status=inactive&dir=desc")
    assert [r["login"] for r in rows] == ["grace", "ivan", "judy", "heidi", "Mallory-X", ""]
    grace = rows[0]
    assert grace["days_since_last_activity"] == "90"
    assert grace["status"] == "inactive"
    assert grace["pending_cancellation_date"] == "2026-12-01T00:00:00Z"
    assert rows[3]["status"] == "never used" and rows[3]["days_since_last_activity"] == ""
    everyone = read_csv(client, "/seats/export.csv")
    assert len(everyone) == 12
    assert read_csv(client, "/seats/export.csv?q=al&sort=login")[0]["login"] == "alice"
    assert read_csv(client, "/seats/export.csv?plan=enterprise&status=active") == [
        r for r in read_csv(client, "/seats/export.csv?plan=enterprise") if r["status"] == "active"
    ]
    assert read_csv(client, "/seats/export.csv?q=zzz") == []
    assert len(read_csv(client, "/seats/export.csv?days=x&status=%00&sort=;drop")) == 12


@pytest.mark.parametrize(
    ("raw", "safe"),
    [("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"), ("+1", "'+1"), ("-x", "'-x"),
     ("@SUM(1)", "'@SUM(1)"), ("Platform", "Platform"), ("", "")],
)  # fmt: skip
def test_csv_cells_are_safe_for_spreadsheets(raw, safe):
    assert safe_cell(raw) == safe
