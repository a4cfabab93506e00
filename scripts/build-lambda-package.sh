#!/usr/bin/env bash
# Build the collector's AWS Lambda package (handler app.collect.lambda_handler) from the same
# code and the same locked requirements as the dashboard.
#
#   scripts/build-lambda-package.sh [OUTPUT_ZIP]     # default: build/collector-lambda.zip
#
# Lambda caps an unzipped package at 250 MB, and the collector never serves pages, so the web
# stack (Dash, Plotly, Flask, gunicorn and what only they need) is left out; a smoke import of
# app.collect with ONLY the package on sys.path proves nothing the collector needs was dropped.
# Wheels are chosen for Lambda's platform (manylinux x86_64, CPython 3.11) whatever this machine
# is. Needs PyPI (or a pip mirror).
set -euo pipefail

cd "$(dirname "$0")/.."
root="$(pwd)"
out="${1:-build/collector-lambda.zip}"
python_arg="${PYTHON:-.venv/bin/python}"
command -v "$python_arg" >/dev/null 2>&1 || { echo "no python at $python_arg" >&2; exit 1; }
[[ "$python_arg" == */* ]] && python_arg="$(cd "$(dirname "$python_arg")" && pwd)/$(basename "$python_arg")"
PYTHON="$python_arg"
# Web-only distributions (requirements.txt names) that the collector never imports.
WEB_ONLY="${WEB_ONLY:-dash dash-ag-grid dash-bootstrap-components plotly narwhals gunicorn flask flask-compress werkzeug jinja2 itsdangerous click blinker markupsafe brotli backports-zstd comm janus nest-asyncio retrying requests charset-normalizer importlib-metadata zipp lazy-importer pydantic pydantic-core annotated-types typing-inspection setuptools}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pkg="$work/package"
mkdir -p "$pkg" "$(dirname "$out")"

# requirements.txt minus the web-only names (comments and annotations dropped).
grep -E '^[A-Za-z0-9]' requirements.txt | while IFS= read -r line; do
    name="${line%%==*}"
    name="$(echo "$name" | tr 'A-Z_' 'a-z-')"
    if [[ " $WEB_ONLY " != *" $name "* ]]; then
        echo "$line"
    fi
done >"$work/requirements-collector.txt"

"$PYTHON" -m pip install --quiet --disable-pip-version-check --no-cache-dir --no-compile \
    --no-deps --only-binary=:all: \
    --platform manylinux2014_x86_64 --platform manylinux_2_28_x86_64 \
    --implementation cp --python-version 3.11 \
    --target "$pkg" -r "$work/requirements-collector.txt"

# Same trimming as the container image (tests, source maps, unused botocore models).
find "$pkg" -type d -name tests -prune -exec rm -rf {} +
find "$pkg" -type f -name '*.map' -delete
keep="${BOTOCORE_KEEP_SERVICES:-s3 secretsmanager sts sso sso-oidc}"
while IFS= read -r -d '' service_dir; do
    [[ " $keep " == *" $(basename "$service_dir") "* ]] || rm -rf "$service_dir"
done < <(find "$pkg/botocore/data" -mindepth 1 -maxdepth 1 -type d -print0)

# The application code (no tests, no pages: the collector needs app/ only).
tar -C . --exclude='__pycache__' --exclude='*.pyc' -cf - app | tar -C "$pkg" -xf -

# Smoke check: import the handler with nothing but the package on the path (-S: no site-packages).
if "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)'; then
    (cd "$work" && "$PYTHON" -S -c "import sys; sys.path.insert(0, '$pkg'); import boto3; from app.collect import lambda_handler; print('lambda package imports: ok')")
else
    echo "warning: not Python 3.11 here, skipped the smoke import" >&2
fi

rm -f "$out"
(cd "$pkg" && "$PYTHON" -c "
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as zf:
    for root, dirs, files in os.walk('.'):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            info = zipfile.ZipInfo(os.path.normpath(path), date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, 'rb') as fh:
                zf.writestr(info, fh.read())
" "$root/$out")
echo "collector_package: $out"
echo "collector_package_unzipped: $(du -sm "$pkg" | cut -f1) MB"
echo "collector_package_zipped: $(du -sm "$out" | cut -f1) MB"
