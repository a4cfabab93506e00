#!/usr/bin/env bash
# Install the Cloud Foundry CLI v8 from its signed Debian repository (CI runners: ubuntu-latest).
# Pin CF_CLI_VERSION (e.g. 8.8.3) to get exactly that release; default: the newest cf8-cli.
set -euo pipefail

if command -v cf >/dev/null 2>&1 && cf version | grep -q 'version 8\.'; then
    cf version
    exit 0
fi

sudo_cmd=""
[[ "$(id -u)" == 0 ]] || sudo_cmd="sudo"
keyring=/usr/share/keyrings/cli.cloudfoundry.org.gpg

curl -fsSL https://packages.cloudfoundry.org/debian/cli.cloudfoundry.org.key |
    $sudo_cmd gpg --batch --yes --dearmor -o "$keyring"
echo "deb [signed-by=$keyring] https://packages.cloudfoundry.org/debian stable main" |
    $sudo_cmd tee /etc/apt/sources.list.d/cloudfoundry-cli.list >/dev/null
$sudo_cmd apt-get update -qq
if [[ -n "${CF_CLI_VERSION:-}" ]]; then
    $sudo_cmd apt-get install -y -qq "cf8-cli=${CF_CLI_VERSION}*"
else
    $sudo_cmd apt-get install -y -qq cf8-cli
fi
cf version
