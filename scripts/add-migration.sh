#!/usr/bin/env bash
# Adds a migration named $1 to both providers' migration sets (Host/Persistence/Migrations/{Sqlite,Postgres})
# after the model changed: one script, so the two sets never drift apart. The host applies them at start-up.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ne 1 ]; then
  echo "usage: scripts/add-migration.sh <MigrationName>" >&2
  exit 2
fi
root=$PWD
# Run from scripts/: next to SagaEngine.csproj, `dotnet run` would run the host instead of the file.
cd scripts
dotnet run AddMigration.cs -- "$1" "$root"
