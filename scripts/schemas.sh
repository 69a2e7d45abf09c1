#!/usr/bin/env bash
# Keeps the schema catalog (Contracts/Schemas) in step with the contracts; see docs/schemas.md.
#   scripts/schemas.sh update    regenerate the current version's schema of each changed message (never a released one)
#   scripts/schemas.sh release   record every catalog file as released: from then on it must never change
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ne 1 ] || { [ "$1" != update ] && [ "$1" != release ]; }; then
  echo "usage: scripts/schemas.sh update|release" >&2
  exit 2
fi
root=$PWD
# Run from scripts/: next to SagaEngine.csproj, `dotnet run` would run the host instead of the file.
cd scripts
dotnet run Schemas.cs -- "$1" "$root"
