#!/usr/bin/env bash
# Measures projection rebuilds in events per second (see docs/benchmarks.md, "Projection rebuilds").
#   scripts/rebuild-bench.sh [--orders N] [--runs R] [--providers sqlite,postgres] [--sources store,memory,kafka] [--projections a,b]
# Runs the host in-process (Release), fills its event store, an in-memory history or the projections' own
# topics with N synthetic orders (4 events each), and rebuilds each projection R times on each database,
# from each source (default: store and kafka).
set -euo pipefail
cd "$(dirname "$0")"
# Run from scripts/: next to SagaEngine.csproj, `dotnet run` would run the host instead of the file.
dotnet run -c Release RebuildBench.cs -- "$@"
