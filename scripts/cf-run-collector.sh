#!/usr/bin/env bash
# Run the collector once as a Cloud Foundry task in the dashboard's droplet, and wait for it.
#
#   scripts/cf-run-collector.sh            # after cf api/auth/target (see cf-deploy.sh)
#   CF_TASK_NAME=post-deploy-check CF_TASK_COMMAND="python -m app.collect check" \
#       scripts/cf-run-collector.sh        # the deployment's smoke test, with its bindings
#
# Exit 0 when the task SUCCEEDED, 1 when it FAILED or did not finish within CF_TASK_WAIT seconds.
set -euo pipefail

app="${CF_APP_NAME:-copilot-dashboard}"
name="${CF_TASK_NAME:-collect-daily}"
memory="${CF_TASK_MEMORY:-512M}"
wait_seconds="${CF_TASK_WAIT:-1800}"
command="${CF_TASK_COMMAND:-python -m app.collect run}"

output="$(cf run-task "$app" --command "$command" --name "$name" -m "$memory")"
echo "$output"
task_id="$(echo "$output" | sed -n 's/.*task id:[[:space:]]*\([0-9][0-9]*\).*/\1/p' | head -1)"
[[ -n "$task_id" ]] || { echo "could not read the task id from cf run-task" >&2; exit 1; }
app_guid="$(cf app "$app" --guid)"

deadline=$((SECONDS + wait_seconds))
while ((SECONDS < deadline)); do
    state="$(cf curl "/v3/apps/${app_guid}/tasks?sequence_ids=${task_id}" |
        python3 -c 'import json,sys; r=json.load(sys.stdin)["resources"]; print(r[0]["state"] if r else "UNKNOWN")')"
    case "$state" in
        SUCCEEDED) echo "task $name #$task_id succeeded"; exit 0 ;;
        FAILED) echo "task $name #$task_id FAILED: see 'cf logs $app --recent'" >&2; exit 1 ;;
    esac
    sleep 15
done
echo "task $name #$task_id still running after ${wait_seconds}s" >&2
exit 1
