"""The deployment shell scripts parse, are executable, fail fast, and pass shellcheck if present."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.support.deploy_files import REPO_ROOT

SCRIPTS = sorted((REPO_ROOT / "scripts").glob("*.sh"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_script_parses_is_executable_and_strict(script):
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert os.access(script, os.X_OK), f"{script.name} is not executable"
    text = script.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in text


def test_shellcheck_passes():
    shellcheck = shutil.which("shellcheck")
    assert shellcheck, "shellcheck is not installed (`make test` installs Debian's shellcheck)"
    result = subprocess.run(
        [shellcheck, *map(str, SCRIPTS)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout


def test_scripts_never_echo_cloud_foundry_credentials():
    for script in SCRIPTS:
        for line in script.read_text(encoding="utf-8").splitlines():
            if line.lstrip().startswith("#"):
                continue
            assert not ("echo" in line and "CF_PASSWORD" in line), f"{script.name}: {line}"
            assert "cf auth " not in line or "$CF_PASSWORD" not in line, (
                "password on a command line"
            )
