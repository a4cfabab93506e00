#!/usr/bin/env bash
# Log in to Cloud Foundry and roll out the dashboard with zero downtime.
#
#   CF_API=... CF_USERNAME=... CF_PASSWORD=... CF_ORG=... CF_SPACE=... \
#       scripts/cf-deploy.sh staging|production
#
# Credentials come from the environment only (GitHub environment secrets in CI) and are never
# echoed. The vars file is infra/cf/vars-<environment>.yml unless CF_VARS_FILE says otherwise.
# After the push it checks /healthz through the public route when APP_URL is set.
set -euo pipefail

cd "$(dirname "$0")/.."
environment="${1:?usage: cf-deploy.sh staging|production}"
app="${CF_APP_NAME:-copilot-dashboard}"
vars_file="${CF_VARS_FILE:-infra/cf/vars-${environment}.yml}"

for name in CF_API CF_USERNAME CF_PASSWORD CF_ORG CF_SPACE; do
    if [[ -z "${!name:-}" ]]; then
        echo "cf-deploy: $name is not set (add it to the '$environment' environment's secrets)" >&2
        exit 2
    fi
done
[[ -f "$vars_file" ]] || { echo "cf-deploy: no vars file at $vars_file" >&2; exit 2; }

export CF_COLOR=false CF_TRACE=false
cf api "$CF_API"
cf auth # reads CF_USERNAME / CF_PASSWORD from the environment: nothing on the command line
# shellcheck disable=SC2153 # CF_SPACE is checked by the loop above
cf target -o "$CF_ORG" -s "$CF_SPACE"

release="${RELEASE:-${GITHUB_SHA:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}}"
# RELEASE tags Sentry events and logs with the commit; set before the push so the new
# instances start with it (a rolling push restarts them anyway).
cf set-env "$app" RELEASE "$release" >/dev/null 2>&1 || true

cf push "$app" -f manifest.yml --vars-file "$vars_file" --strategy rolling

if [[ -n "${APP_URL:-}" ]]; then
    for attempt in 1 2 3 4 5; do
        if curl -fsS --max-time 10 -o /dev/null "${APP_URL%/}/healthz"; then
            echo "cf-deploy: ${APP_URL%/}/healthz answers 200"
            exit 0
        fi
        sleep $((attempt * 3))
    done
    echo "cf-deploy: ${APP_URL%/}/healthz did not answer 200 after the push" >&2
    exit 1
fi
