#!/usr/bin/env bash
# Trim a runtime virtualenv for the container image, then byte-compile it.
#
#   scripts/slim-venv.sh /opt/venv
#
# Used by the Dockerfile's builder stage and by scripts/estimate-image-size.sh, so the estimate
# measures exactly what the image ships. Removes only what the running app never loads:
#   - test suites shipped inside wheels (pandas/tests alone is ~46 MB, numpy's ~15 MB);
#   - JavaScript source maps (*.map, ~31 MB): browsers fetch them only with devtools open;
#   - plotly's JupyterLab extension and FigureWidget bundle (Jupyter only, ~10 MB);
#   - botocore's API models for AWS services other than those the app and collector call
#     (S3, Secrets Manager, and STS/SSO for credential providers): ~27 MB. If the code starts
#     calling another AWS service, add it to BOTOCORE_KEEP_SERVICES; the smoke check at the end
#     fails the build when a kept client cannot be created.
# Then byte-compiles everything except plotly's generated graph_objs/validators trees: those are
# imported lazily, one class at a time, and their .pyc files would add ~22 MB for the few
# classes the figures use (compiled in memory at import, well under a second).
set -euo pipefail

venv="${1:?usage: slim-venv.sh VENV_DIR}"
keep="${BOTOCORE_KEEP_SERVICES:-s3 secretsmanager sts sso sso-oidc}"
python="$venv/bin/python"
site="$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"

find "$site" -type d -name tests -prune -exec rm -rf {} +
find "$site" -type f -name '*.map' -delete
rm -rf "$site/plotly/labextension" "$site/plotly/package_data/widgetbundle.js"

if [[ -d "$site/botocore/data" ]]; then
    while IFS= read -r -d '' service_dir; do
        name="$(basename "$service_dir")"
        if [[ " $keep " != *" $name "* ]]; then
            rm -rf "$service_dir"
        fi
    done < <(find "$site/botocore/data" -mindepth 1 -maxdepth 1 -type d -print0)
fi

find "$site" -type d -name __pycache__ -prune -exec rm -rf {} +
"$python" -m compileall -q -j 0 -x 'plotly/(graph_objs|validators)/' "$site" >/dev/null

# Smoke check: the trimmed tree still imports and still builds every kept AWS client.
KEEP="$keep" "$python" - <<'PY'
import os

import boto3
import dash  # noqa: F401
import pandas  # noqa: F401
import plotly.graph_objects as go

go.Figure(go.Bar(x=[1], y=[2])).to_dict()
session = boto3.session.Session(region_name="eu-west-2")
for service in os.environ["KEEP"].split():
    session.client(service)
PY
