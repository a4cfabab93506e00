"""The tables behind the charts: a few header components, the rows as one JSON attribute."""

from __future__ import annotations

import json

from app.components import data_table


def test_rows_travel_as_text_in_one_attribute() -> None:
    table = data_table(["Day", "Acceptances"], [["1 Jan", 25], ["<b>2 Jan</b>", "35"]], "Per day")
    body = table.children.children[2]
    assert body.to_plotly_json()["type"] == "Tbody"
    assert getattr(body, "children", None) is None  # no component per row or cell
    assert json.loads(getattr(body, "data-rows")) == [["1 Jan", "25"], ["<b>2 Jan</b>", "35"]]
    header = table.children.children[1].children
    assert [th.children for th in header.children] == ["Day", "Acceptances"]
    assert all(th.scope == "col" for th in header.children)
    assert table.children.children[0].children == "Per day"  # the caption
    assert getattr(table, "aria-label") == "Per day" and table.role == "group"
