#!/usr/bin/env bash
# The expiry and warning jobs over 1,000,000 lots on PostgreSQL (see bench/README.md, "Expiry bench").
# Needs HL_TEST_POSTGRES (a role that may CREATE DATABASE). BENCH_LOTS / BENCH_MEMBERS / BENCH_KEEP=1 optional.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${HL_TEST_POSTGRES:?set HL_TEST_POSTGRES, e.g. Host=127.0.0.1;Port=5432;Username=postgres;Password=x}"
dotnet build -c Release -v q "$here/HeadlessLoyalty.Bench.Expiry.csproj" >/dev/null
dotnet "$here/bin/Release/net10.0/HeadlessLoyalty.Bench.Expiry.dll" | tee "$here/../results/expiry-latest.txt"
