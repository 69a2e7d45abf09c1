#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests need, runs every test, and
# ends with one line "N passed, N failed". Extra arguments go to `dotnet test` (e.g. --filter).
set -uo pipefail
cd "$(dirname "$0")"

# The persistence tests run against a real PostgreSQL: the suite starts a throwaway cluster of Debian's
# postgresql package (Support/PostgresServer.cs). Install it when no initdb is found.
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null; then
  echo "Installing PostgreSQL for the persistence tests..."
  as_root=()
  [ "$(id -u)" -ne 0 ] && as_root=(sudo -n)
  if ! { "${as_root[@]}" apt-get update -qq \
         && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null; }; then
    # No skipping: the PostgreSQL tests then fail, each saying that no server could be started.
    echo "PostgreSQL could not be installed." >&2
  fi
fi

results=$(mktemp -d)
dotnet test Tests/SagaEngine.Tests/SagaEngine.Tests.csproj \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" "$@"
status=$?

trx="$results/results.trx"
if [ -f "$trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  passed=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
  failed=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
else
  # No results means the build or the run itself failed before any test could report.
  passed=0 failed=1
fi
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
