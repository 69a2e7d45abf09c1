#!/usr/bin/env bash
# Measures projection rebuilds in events per second (see docs/benchmarks.md, "Projection rebuilds").
#   scripts/rebuild-bench.sh [--orders N] [--runs R] [--providers sqlite,postgres] [--sources history,kafka] [--projections a,b]
# Runs the host in-process (Release), fills an event history (standing in for the event store's global
# feed) or the projections' own topics with N synthetic orders (4 events each), and rebuilds each
# projection R times on each database, from each source.
set -euo pipefail
cd "$(dirname "$0")"
# Run from scripts/: next to SagaEngine.csproj, `dotnet run` would run the host instead of the file.
dotnet run -c Release RebuildBench.cs -- "$@"
