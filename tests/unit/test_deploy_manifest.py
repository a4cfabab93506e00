"""manifest.yml, its vars files, runtime.txt and .cfignore against Cloud Foundry's rules."""

from __future__ import annotations

import re
import shlex
import tomllib

import pytest

from tests.support.deploy_files import REPO_ROOT, load_manifest, load_yaml, manifest_app

# Application-level attributes of the Cloud Foundry app manifest (v3 manifest reference).
KNOWN_APP_KEYS = {
    "name", "buildpacks", "command", "disk_quota", "disk-quota", "docker", "env",
    "health-check-http-endpoint", "health-check-invocation-timeout", "health-check-interval",
    "health-check-type", "instances", "log-rate-limit-per-second", "memory", "metadata",
    "no-route", "default-route", "random-route", "path", "processes", "routes", "services",
    "sidecars", "stack", "timeout", "lifecycle", "features",
    "readiness-health-check-type", "readiness-health-check-http-endpoint",
    "readiness-health-check-invocation-timeout", "readiness-health-check-interval",
}  # fmt: skip
KNOWN_TOP_KEYS = {"applications", "version"}
SECRET_NAME = re.compile(
    r"(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|CREDENTIAL|DSN|API_KEY|_KEY$)", re.I
)
SECRET_VALUE = re.compile(
    r"(-----BEGIN|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_|AKIA[0-9A-Z]{16}|https?://[^/\s]+:[^@\s]+@)"
)
VAR_REF = re.compile(r"\(\(([A-Za-z0-9_.-]+)\)\)")
VARS_FILES = ["infra/cf/vars-staging.yml", "infra/cf/vars-production.yml"]


def test_manifest_parses_with_known_keys_only():
    manifest = load_manifest()
    assert isinstance(manifest, dict)
    assert set(manifest) <= KNOWN_TOP_KEYS, set(manifest) - KNOWN_TOP_KEYS
    apps = manifest["applications"]
    assert isinstance(apps, list) and apps, "applications must be a non-empty list"
    for app in apps:
        unknown = set(app) - KNOWN_APP_KEYS
        assert not unknown, f"{app.get('name')}: keys Cloud Foundry does not know: {unknown}"
        assert isinstance(app.get("name"), str) and app["name"]


def test_command_execs_gunicorn_with_the_config_and_no_hard_coded_port():
    command = manifest_app()["command"]
    assert command.startswith("exec "), "without exec, bash keeps SIGTERM from gunicorn"
    argv = shlex.split(command)
    assert argv[1] == "gunicorn"
    assert argv[argv.index("-c") + 1] == "gunicorn.conf.py"
    assert argv[-1] == "app.wsgi:server"
    assert not {"-b", "--bind"} & set(argv), "the port comes from $PORT via gunicorn.conf.py"
    assert not re.search(r":\d{2,5}\b", command), "no literal port in the command"
    assert (REPO_ROOT / "gunicorn.conf.py").exists()


def test_python_buildpack_and_sizing():
    app = manifest_app()
    assert app["buildpacks"] == ["python_buildpack"]
    assert "buildpack" not in app, "`buildpack` is deprecated; use `buildpacks`"
    size = re.compile(r"^(\d+(M|MB|G|GB)|\(\([a-z_]+\)\))$")
    assert size.match(str(app["memory"]))
    assert size.match(str(app["disk_quota"]))
    assert isinstance(app["timeout"], int) and 60 <= app["timeout"] <= 180


def test_http_health_check_on_healthz_with_a_realistic_timeout():
    app = manifest_app()
    assert app["health-check-type"] == "http"
    assert app["health-check-http-endpoint"] == "/healthz"
    timeout = app["health-check-invocation-timeout"]
    assert isinstance(timeout, int) and 2 <= timeout <= 10


def test_services_bind_the_history_bucket():
    app = manifest_app()
    services = app["services"]
    assert services, "the S3 history bucket binding is missing"
    resolved = []
    for vars_file in VARS_FILES:
        values = load_yaml(REPO_ROOT / vars_file)
        for service in services:
            name = service if isinstance(service, str) else service["name"]
            resolved.append(VAR_REF.sub(lambda m, v=values: str(v[m.group(1)]), name))
    assert "copilot-history-bucket" in resolved


def test_env_holds_no_secrets():
    env = manifest_app().get("env", {})
    assert env, "expected non-secret settings in env"
    for key, value in env.items():
        text = str(value)
        assert not SECRET_VALUE.search(text), f"{key} looks like a secret value"
        if SECRET_NAME.search(key):
            pytest.fail(f"{key} is a secret: set it with cf set-env or a service, not the manifest")
        assert isinstance(value, str | int | float | bool), key


def _variables_used(node) -> set[str]:
    """Every ((name)) in the manifest's values (comments are not values)."""
    if isinstance(node, dict):
        return set().union(*(_variables_used(v) for v in node.values()), set())
    if isinstance(node, list):
        return set().union(*(_variables_used(v) for v in node), set())
    return set(VAR_REF.findall(str(node)))


@pytest.mark.parametrize("vars_file", VARS_FILES)
def test_vars_files_define_every_variable_and_hold_no_secrets(vars_file):
    wanted = _variables_used(load_manifest())
    values = load_yaml(REPO_ROOT / vars_file)
    missing = wanted - set(values)
    assert not missing, f"{vars_file} lacks {missing}: cf push would stop"
    unused = set(values) - wanted
    assert not unused, f"{vars_file} has variables the manifest does not use: {unused}"
    for key, value in values.items():
        assert not SECRET_NAME.search(key), f"{vars_file}: {key} looks like a secret"
        assert not SECRET_VALUE.search(str(value)), f"{vars_file}: {key} looks like a secret"


def test_production_runs_at_least_two_instances():
    assert int(load_yaml(REPO_ROOT / "infra/cf/vars-production.yml")["instances"]) >= 2


def test_runtime_txt_matches_the_project_python():
    runtime = (REPO_ROOT / "runtime.txt").read_text(encoding="utf-8").strip()
    match = re.fullmatch(r"python-(3)\.(\d+)\.(x|\d+)", runtime)
    assert match, f"runtime.txt must look like python-3.11.x, got {runtime!r}"
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    floor = re.search(r">=\s*3\.(\d+)", pyproject["project"]["requires-python"])
    assert floor and int(match.group(2)) >= int(floor.group(1))


def test_cfignore_keeps_local_and_test_files_out_of_the_upload():
    lines = {
        line.strip().rstrip("/")
        for line in (REPO_ROOT / ".cfignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    for required in (".venv", "tests", "node_modules", ".env", "var"):
        assert required in lines, f".cfignore must exclude {required}"
    for needed in ("app", "pages", "assets", "sample_data", "requirements.txt", "gunicorn.conf.py"):
        assert needed not in lines, f".cfignore must not exclude {needed}"
