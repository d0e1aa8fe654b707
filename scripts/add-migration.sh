#!/usr/bin/env bash
# Adds a migration named $1 for every provider (each provider owns its migrations folder).
# Usage: scripts/add-migration.sh <Name>
set -euo pipefail
name="${1:?usage: scripts/add-migration.sh <MigrationName>}"
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
project=src/HeadlessLoyalty.Api
dotnet build "$project" --nologo -v q
for provider in Sqlite Postgres SqlServer; do
  echo "== $provider"
  dotnet ef migrations add "$name" --no-build --project "$project" \
    --context "${provider}LoyaltyDbContext" --output-dir "Data/$provider/Migrations"
done
