#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests need, runs every test, and
# ends with one line "N passed, N failed". Extra arguments go to `dotnet test` (e.g. --filter).
#   ./test.sh --fast   the inner loop: saga harness, unit and API specs (no Kafka broker, no PostgreSQL,
#                      no browser, no publish, no process kills)
set -uo pipefail
cd "$(dirname "$0")"

filter=()
if [ "${1:-}" = "--fast" ]; then
  shift
  fast=""
  for ns in Sagas Consumers Api Architecture Messaging Bench; do
    fast+="${fast:+|}FullyQualifiedName~SagaEngine.Tests.$ns."
  done
  # The persistence layer's boundary specs are architecture rules too: no database involved.
  fast+="|FullyQualifiedName~SagaEngine.Tests.Persistence.Boundaries_Specs"
  # The short benchmark starts a whole host with its broker: not inner-loop material.
  filter=(--filter "($fast)&FullyQualifiedName!~ShortBenchmark")
fi

scripts/install-test-deps.sh || { echo "Could not install the test dependencies"; echo "0 passed, 1 failed"; exit 1; }

results=$(mktemp -d)
dotnet test Tests/SagaEngine.Tests/SagaEngine.Tests.csproj \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=minimal" \
  --results-directory "$results" "${filter[@]}" "$@"
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
