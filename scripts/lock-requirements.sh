#!/usr/bin/env bash
# Regenerate requirements.txt: the LOCKED runtime dependency list (every transitive package
# pinned) that Cloud Foundry's python_buildpack and the Dockerfile install.
#
# Why a lock file at all: the buildpack reads requirements.txt, never pyproject.toml, and an
# unpinned transitive dependency makes two pushes of the same commit run different code.
#
# Source of truth: [project].dependencies in pyproject.toml (runtime only: no test extras).
# Run after any change to those dependencies; tests/unit/test_deploy_requirements.py fails
# when the two drift. `scripts/lock-requirements.sh --check` re-resolves into a temporary file
# and fails if requirements.txt differs (keeps existing pins, so it is stable). Needs the
# package index (PyPI), not the rest of the internet.
set -euo pipefail

cd "$(dirname "$0")/.."
PIP_COMPILE="${PIP_COMPILE:-.venv/bin/pip-compile}"
output=requirements.txt
check=false
if [[ "${1:-}" == "--check" ]]; then
    # Re-lock into a temporary file and compare: exit 1 when requirements.txt is stale.
    check=true
    shift
    output="$(mktemp)"
    cp requirements.txt "$output"
    trap 'rm -f "$output"' EXIT
fi

if [[ ! -x "$PIP_COMPILE" ]]; then
    echo "pip-compile not found at $PIP_COMPILE: install the test extras (pip install -e '.[test]')" >&2
    exit 1
fi

# --allow-unsafe: pin setuptools too (dash declares it), so the lock is complete.
# --no-emit-index-url / --no-emit-find-links: keep machine-specific index settings out of the
# committed file. --strip-extras: sentry-sdk[flask] is written as sentry-sdk plus the extra's
# packages, which is what pip needs with --no-deps. --upgrade=no by default: re-locking keeps
# existing transitive pins unless pyproject asks otherwise (pass --upgrade to refresh them).
CUSTOM_COMPILE_COMMAND="scripts/lock-requirements.sh" "$PIP_COMPILE" \
    --quiet \
    --resolver=backtracking \
    --strip-extras \
    --allow-unsafe \
    --no-emit-index-url \
    --no-emit-find-links \
    --no-emit-trusted-host \
    --output-file "$output" \
    "$@" \
    pyproject.toml

if $check; then
    if diff -u requirements.txt "$output"; then
        echo "requirements.txt is up to date"
    else
        echo "requirements.txt is stale: run scripts/lock-requirements.sh" >&2
        exit 1
    fi
else
    echo "requirements.txt: $(grep -cE '^[A-Za-z0-9]' requirements.txt) pinned packages"
fi
