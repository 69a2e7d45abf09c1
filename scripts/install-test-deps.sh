#!/usr/bin/env bash
# Installs, from Debian's packages, what the test suite needs and a fresh machine lacks.
# Idempotent: does nothing when everything is there already.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)   # the Swagger UI browser test
# The persistence tests start a throwaway cluster of Debian's postgresql (Support/PostgresServer.cs);
# they fail, never skip, when it cannot start.
compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null || missing+=(postgresql)

[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing test dependencies: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
