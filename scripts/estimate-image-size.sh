#!/usr/bin/env bash
# Estimate the container image's uncompressed size without a Docker engine.
#
# It rebuilds what the Dockerfile's runtime stage copies: a fresh venv holding ONLY the locked
# runtime dependencies (requirements.txt, --no-deps, wheels only, pip and setuptools removed afterwards,
# trimmed by scripts/slim-venv.sh exactly as in the image) plus the application source,
# measures both with du, and adds the python:3.11-slim base image.
#
# The base figure is not measured here (no Docker engine on the build machines): BASE_IMAGE_MB
# defaults to 130, the uncompressed size `docker images` reports for python:3.11-slim-bookworm
# (a Debian bookworm-slim root of ~75 MB plus CPython in /usr/local). Override it with the
# figure from your own `docker image ls` when you have one.
#
# Prints plain `name: value unit` lines. Needs PyPI (or a pip mirror) for the wheels.
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
BASE_IMAGE_MB="${BASE_IMAGE_MB:-130}"
TARGET_MB="${TARGET_MB:-400}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check --no-cache-dir \
    --no-compile --no-deps --only-binary=:all: -r requirements.txt >"$work/pip.log" 2>&1 || {
    cat "$work/pip.log" >&2
    exit 1
}
"$work/venv/bin/pip" uninstall --quiet --yes pip setuptools >/dev/null
scripts/slim-venv.sh "$work/venv"

venv_kb=$(du -sk "$work/venv" | cut -f1)
src_kb=0
for path in app pages assets sample_data gunicorn.conf.py pyproject.toml requirements.txt; do
    if [[ -e "$path" ]]; then
        kb=$(du -sk --exclude=__pycache__ "$path" | cut -f1)
        src_kb=$((src_kb + kb))
    fi
done

echo "largest packages in the runtime venv:" >&2
du -sk "$work"/venv/lib/python3*/site-packages/* 2>/dev/null | sort -rn | head -8 |
    awk '{printf "  %6.1f MB  %s\n", $1/1024, $2}' | sed "s#$work/venv/lib/python3[^/]*/site-packages/##" >&2 ||
    true # head closing the pipe early is not an error

total_mb=$(( (venv_kb + src_kb) / 1024 + BASE_IMAGE_MB ))
echo "runtime_venv: $((venv_kb / 1024)) MB"
echo "app_source: $((src_kb / 1024)) MB"
echo "base_image_assumed: ${BASE_IMAGE_MB} MB"
echo "image_estimate_uncompressed: ${total_mb} MB"
if (( total_mb > TARGET_MB )); then
    echo "image estimate ${total_mb} MB is over the ${TARGET_MB} MB target" >&2
    exit 2
fi
