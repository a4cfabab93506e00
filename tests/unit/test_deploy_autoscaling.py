"""The App Autoscaler policy validates against the schema, and the schema rejects bad policies."""

from __future__ import annotations

import copy
import json
import zoneinfo

import jsonschema
import pytest

from tests.support.deploy_files import REPO_ROOT

POLICY = REPO_ROOT / "infra" / "cf" / "autoscaling-policy.json"
SCHEMA = REPO_ROOT / "infra" / "cf" / "autoscaling-policy.schema.json"


@pytest.fixture(scope="module")
def schema() -> dict:
    loaded = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(loaded)
    return loaded


@pytest.fixture(scope="module")
def policy() -> dict:
    return json.loads(POLICY.read_text(encoding="utf-8"))


def test_policy_matches_the_schema(schema, policy):
    jsonschema.Draft7Validator(schema).validate(policy)


def test_policy_is_coherent(policy):
    assert 2 <= policy["instance_min_count"] <= policy["instance_max_count"]
    rules = policy["scaling_rules"]
    ups = [r for r in rules if r["adjustment"].startswith("+")]
    downs = [r for r in rules if r["adjustment"].startswith("-")]
    assert ups and downs, "a policy that only scales one way never comes back"
    assert {"cpu", "throughput", "responsetime"} <= {r["metric_type"] for r in rules}
    # Scale in more cautiously than out.
    assert min(r["cool_down_secs"] for r in downs) >= max(r["cool_down_secs"] for r in ups)
    # A down rule must not fire in the range where an up rule on the same metric fires.
    for down in downs:
        for up in (u for u in ups if u["metric_type"] == down["metric_type"]):
            assert down["threshold"] < up["threshold"]


def test_schedules_are_within_bounds_and_in_a_real_timezone(policy):
    schedules = policy.get("schedules")
    if not schedules:
        pytest.skip("the policy has no schedules")
    zoneinfo.ZoneInfo(schedules["timezone"])
    for entry in schedules.get("recurring_schedule", []) + schedules.get("specific_date", []):
        assert 1 <= entry["instance_min_count"] <= entry["instance_max_count"]
        initial = entry.get("initial_min_instance_count", entry["instance_min_count"])
        assert entry["instance_min_count"] <= initial <= entry["instance_max_count"]
        if "start_time" in entry:
            assert entry["start_time"] < entry["end_time"]


@pytest.mark.parametrize(
    "mutate",
    [
        lambda p: p.pop("instance_max_count"),
        lambda p: p["scaling_rules"][0].update(adjustment="1"),
        lambda p: p["scaling_rules"][0].update(metric_type="bogus"),
        lambda p: p["scaling_rules"][0].update(operator="=="),
        lambda p: p["scaling_rules"][0].update(breach_duration_secs=30),
        lambda p: p["scaling_rules"][0].update(threshold="70"),
        lambda p: p.update(unexpected=True),
        lambda p: p["schedules"]["recurring_schedule"][0].update(start_time="8:00"),
        lambda p: p["schedules"]["recurring_schedule"][0].update(days_of_week=[0]),
    ],
    ids=[
        "no-max",
        "unsigned-adjustment",
        "unknown-metric",
        "bad-operator",
        "breach-too-short",
        "threshold-string",
        "unknown-key",
        "bad-time",
        "bad-weekday",
    ],
)
def test_schema_rejects_broken_policies(schema, policy, mutate):
    broken = copy.deepcopy(policy)
    mutate(broken)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate(broken)
