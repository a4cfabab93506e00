#!/usr/bin/env bash
# Rotate the service key that gives outside access to an aws-s3-bucket service instance, and the
# GitHub environment secrets that hold it, without a moment where no working key exists.
#
#   scripts/rotate-service-key.sh SERVICE KEY_NAME ENVIRONMENT
#   e.g. scripts/rotate-service-key.sh copilot-history-staging copilot-outside staging
#
# Run it after `cf api`/`cf auth`/`cf target` (see cf-deploy.sh) and `gh auth login`; gh finds the
# repository from the current checkout, or from GH_REPO=owner/name.
#
#   1. lists SERVICE's keys (cf service-keys). The old keys are KEY_NAME itself and the keys this
#      script made before, KEY_NAME-YYYYMMDDTHHMMSSZ; other keys are left alone.
#   2. creates KEY_NAME-<UTC timestamp> with -c '{"allow_external_access": true}'.
#   3. reads its credentials (cf service-key): bucket_name, aws_region, aws_access_key_id,
#      aws_secret_access_key.
#   4. checks the new key: `copilot-collect check --component history-store` with
#      HISTORY_STORE=s3://BUCKET/PREFIX and the new key's AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
#      and AWS_DEFAULT_REGION (no VCAP_SERVICES), retried because new S3 keys take a few seconds
#      to become valid. This runs before step 5 so that a key that does not work never reaches
#      GitHub.
#   5. sets the GitHub environment ENVIRONMENT's secrets (gh secret set NAME --env ENVIRONMENT,
#      the value on standard input: never on a command line, never printed):
#        S3_BUCKET  S3_REGION  AWS_ACCESS_KEY_ID  AWS_SECRET_ACCESS_KEY
#      (the workflows hold no S3 secrets yet; these are the names a workflow step should read).
#   6. only then deletes the old keys (cf delete-service-key -f).
#
# If any step fails it stops, says which step and what was and was not done, and deletes
# nothing: the old keys keep working. A new key that was created but not verified is left in
# place for inspection (the message names it). Fix the cause and run the script again: it makes
# another key and, once that one is verified and stored, deletes every older KEY_NAME key,
# including the one a failed run left behind.
#
# Settings (environment):
#   COPILOT_COLLECT        the check command, may be several words (default: copilot-collect)
#   ROTATE_HISTORY_PREFIX  prefix of the history store in the bucket (default: copilot-history,
#                          what the dashboard uses with a binding)
#   ROTATE_CHECK_ATTEMPTS  how many times to run the check (default: 6)
#   ROTATE_CHECK_DELAY     seconds between attempts (default: 10)
#
# Exit codes: 0 rotated, 1 a step failed (see the message), 2 wrong arguments or missing tools.
set -euo pipefail

prog="rotate-service-key"
usage() {
    cat <<'EOF'
usage: scripts/rotate-service-key.sh SERVICE KEY_NAME ENVIRONMENT

  SERVICE      the aws-s3-bucket service instance (cf services)
  KEY_NAME     the stable prefix of its outside-access key; new keys are KEY_NAME-<UTC timestamp>
  ENVIRONMENT  the GitHub environment whose secrets hold the key
               (S3_BUCKET, S3_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)
EOF
}

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    usage
    exit 0
fi
if (($# != 3)); then
    usage >&2
    exit 2
fi
service="$1"
key_name="$2"
environment="$3"
if [[ -z "$service" || -z "$environment" ]]; then
    usage >&2
    exit 2
fi
if [[ ! "$key_name" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]]; then
    echo "$prog: KEY_NAME must be letters, digits, '.', '_' or '-', not '$key_name'" >&2
    exit 2
fi

read -r -a collect <<<"${COPILOT_COLLECT:-copilot-collect}"
prefix="${ROTATE_HISTORY_PREFIX:-copilot-history}"
attempts="${ROTATE_CHECK_ATTEMPTS:-6}"
delay="${ROTATE_CHECK_DELAY:-10}"
if [[ ! "$attempts" =~ ^[1-9][0-9]*$ || ! "$delay" =~ ^[0-9]+$ ]]; then
    echo "$prog: ROTATE_CHECK_ATTEMPTS must be >= 1 and ROTATE_CHECK_DELAY >= 0 (whole numbers)" >&2
    exit 2
fi
if ((${#collect[@]} == 0)); then
    echo "$prog: COPILOT_COLLECT is empty" >&2
    exit 2
fi
for tool in cf gh python3 "${collect[0]}"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$prog: '$tool' is not on PATH; nothing was changed" >&2
        exit 2
    fi
done

export CF_COLOR=false CF_TRACE=false # plain output to parse; never trace (it would show keys)
secret_names=(S3_BUCKET S3_REGION AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY)

# What has happened so far, for the failure report.
old_keys=()
new_key=""
new_key_verified=false
secrets_set=()

fail() { # fail STEP [DETAIL]: report what was and was not done, exit 1
    local step="$1" detail="${2:-}" name done_list="" todo_list=""
    {
        echo "$prog: FAILED at step: $step${detail:+ ($detail)}"
        if ((${#old_keys[@]})); then
            echo "  not done: no service key was deleted; the old key(s) ${old_keys[*]} still exist and still work"
        else
            echo "  not done: no service key was deleted"
        fi
        if [[ -n "$new_key" ]]; then
            if [[ "$new_key_verified" == true ]]; then
                echo "  the new key $new_key passed the check and was kept"
            else
                echo "  the new key $new_key was NOT verified and was left in place for inspection"
                echo "    (cf service-key $service $new_key; delete it with: cf delete-service-key -f $service $new_key)"
            fi
        fi
        for name in "${secret_names[@]}"; do
            if [[ " ${secrets_set[*]} " == *" $name "* ]]; then
                done_list+=" $name"
            else
                todo_list+=" $name"
            fi
        done
        if ((${#secrets_set[@]})); then
            echo "  GitHub environment '$environment': updated to the new key:$done_list; NOT updated:${todo_list:- none}"
            echo "    (until they all match, workflows reading them get a mix of old and new credentials)"
        else
            echo "  GitHub environment '$environment': no secret was changed"
        fi
        echo "  fix the cause and run the script again: it creates another key and deletes the older"
        echo "  $key_name keys (a key left by this run included) only once the new one is verified and stored"
    } >&2
    exit 1
}

# 1. The existing keys. cf v8 prints a "Getting keys ..." line, a blank line, then a table whose
#    header starts with "name" (or "No service keys for service instance ...").
echo "$prog: listing the keys of $service"
listing="$(cf service-keys "$service")" || fail "list keys (cf service-keys $service)"
all_keys=()
while IFS= read -r name; do
    if [[ -n "$name" ]]; then
        all_keys+=("$name")
    fi
done < <(printf '%s\n' "$listing" | awk 'seen && NF { print $1 } $1 == "name" { seen = 1 }')
for name in "${all_keys[@]}"; do
    if [[ "$name" == "$key_name" || "$name" =~ ^${key_name//./\\.}-[0-9]{8}T[0-9]{6}Z$ ]]; then
        old_keys+=("$name")
    fi
done
if ((${#old_keys[@]})); then
    echo "$prog: old key(s), deleted at the end: ${old_keys[*]}"
else
    echo "$prog: no existing $key_name key: this run only creates one"
fi
for name in "${all_keys[@]}"; do
    if [[ " ${old_keys[*]} " != *" $name "* ]]; then
        echo "$prog: leaving the unrelated key $name alone"
    fi
done

# 2. Create the new key.
candidate="${key_name}-$(date -u +%Y%m%dT%H%M%SZ)"
for name in "${all_keys[@]}"; do
    if [[ "$name" == "$candidate" ]]; then
        fail "create key" "$candidate already exists; wait a second and run again"
    fi
done
echo "$prog: creating $candidate"
cf create-service-key "$service" "$candidate" -c '{"allow_external_access": true}' --wait ||
    fail "create key (cf create-service-key $service $candidate)"
new_key="$candidate"

# 3. Read its credentials: the JSON after the header line, either the credentials themselves
#    or {"credentials": {...}} (cf v8). The output holds the secret: it is never printed.
key_output="$(cf service-key "$service" "$new_key")" ||
    fail "read key (cf service-key $service $new_key)"
parse='
import json, sys
lines = sys.stdin.read().splitlines(keepends=True)
start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("{")), None)
if start is None:
    sys.exit("no JSON object in the output of cf service-key")
try:
    data = json.loads("".join(lines[start:]))
except ValueError as exc:
    sys.exit(f"the output of cf service-key is not JSON: {exc.msg} at line {exc.lineno}")
if isinstance(data, dict) and isinstance(data.get("credentials"), dict):
    data = data["credentials"]
fields = ("bucket_name", "aws_region", "aws_access_key_id", "aws_secret_access_key")
values = [data.get(f) if isinstance(data, dict) else None for f in fields]
bad = [f for f, v in zip(fields, values) if not isinstance(v, str) or not v.strip() or "\n" in v or "\r" in v]
if bad:
    sys.exit("the key has no usable " + ", ".join(bad))
print("\n".join(values))
'
parsed="$(printf '%s' "$key_output" | python3 -c "$parse")" ||
    fail "read key (cf service-key $service $new_key)" "see the reason above"
unset key_output
{
    IFS= read -r bucket
    IFS= read -r region
    IFS= read -r access_key_id
    IFS= read -r secret_access_key
} < <(printf '%s\n' "$parsed")
unset parsed
echo "$prog: the new key is for bucket $bucket in $region"

# 4. Check the new key from here, in a clean environment (no binding, no other AWS profile).
check_once() {
    (
        unset VCAP_SERVICES VCAP_SERVICES_FILE_PATH AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN
        export HISTORY_STORE="s3://${bucket}/${prefix}"
        export AWS_ACCESS_KEY_ID="$access_key_id" AWS_SECRET_ACCESS_KEY="$secret_access_key"
        export AWS_DEFAULT_REGION="$region" AWS_REGION="$region"
        exec "${collect[@]}" check --component history-store
    )
}
attempt=1
until check_once; do
    if ((attempt >= attempts)); then
        fail "check the new key (${collect[*]} check --component history-store)" \
            "failed $attempts time(s)"
    fi
    echo "$prog: check $attempt/$attempts failed (new keys take a few seconds); again in ${delay}s" >&2
    sleep "$delay"
    attempt=$((attempt + 1))
done
new_key_verified=true
echo "$prog: the new key $new_key passed the check on s3://${bucket}/${prefix}"

# 5. Store it in the GitHub environment: values on standard input (printf is a shell builtin, so
#    no value appears in any process's arguments).
declare -A values=(
    [S3_BUCKET]="$bucket"
    [S3_REGION]="$region"
    [AWS_ACCESS_KEY_ID]="$access_key_id"
    [AWS_SECRET_ACCESS_KEY]="$secret_access_key"
)
for name in "${secret_names[@]}"; do
    printf '%s' "${values[$name]}" | gh secret set "$name" --env "$environment" ||
        fail "set GitHub secret $name (gh secret set $name --env $environment)"
    secrets_set+=("$name")
    echo "$prog: set $name in the GitHub environment '$environment'"
done

# 6. Only now delete the old keys.
remaining=()
for name in "${old_keys[@]}"; do
    if cf delete-service-key -f "$service" "$name" --wait; then
        echo "$prog: deleted the old key $name"
    else
        remaining+=("$name")
    fi
done
if ((${#remaining[@]})); then
    echo "$prog: FAILED at step: delete old keys: ${remaining[*]} could not be deleted and still work" >&2
    echo "  done: the new key $new_key is verified and stored in '$environment'; delete the rest with" >&2
    echo "  cf delete-service-key -f $service NAME (or run the script again)" >&2
    exit 1
fi
echo "$prog: rotated: $service's key is now $new_key (GitHub environment '$environment')"
