#!/usr/bin/env bash
# Runs every test of HeadlessLoyalty.sln on this machine, provisioning what the tests need first.
#
#   bash scripts/test.sh                      build, provision, run all tests
#   bash scripts/test.sh --filter Name~Ledger extra arguments go to every `dotnet test`
#   bash scripts/test.sh --env                provision only, print the exports (eval "$(bash scripts/test.sh --env)")
#   bash scripts/test.sh --stop               stop the PostgreSQL and Redis servers this script started
#
# Provisions (installing with apt-get when missing, all bound to 127.0.0.1 only):
#   PostgreSQL  private cluster on HL_PG_PORT (55432), trust auth on loopback, tuned for tests
#   Redis       on HL_REDIS_PORT (56379), no persistence
#   Chromium    /usr/bin/chromium for browser tests
#   node, npm   for the TypeScript client; `npm ci` in test folders with a package-lock.json (graphql-ws client)
# Servers stay up after the run so the next run starts fast. Set HL_TEST_POSTGRES / HL_TEST_REDIS
# yourself to point the tests at servers of your own instead.
#
# The last line of output is always `N passed, N failed, N skipped`. Exit code is non-zero when the
# build fails, any test fails, or no test ran.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/provision.sh
source "$REPO/scripts/lib/provision.sh"

: "${HL_PG_PORT:=55432}"
: "${HL_REDIS_PORT:=56379}"
: "${HL_PG_PASSWORD:=postgres}" # trust auth: any password works, Npgsql just wants one to send
: "${HL_TEST_CONFIGURATION:=Debug}"
: "${HL_TEST_HANG_TIMEOUT:=5m}" # a single test running longer than this is killed and reported
# Servers live outside the repo: the postgres user must be able to traverse the path (e.g. /root is 0700).
# Keyed by port, so clones using the same port share one server and different ports never collide.
: "${HL_TEST_STATE_DIR:=/var/tmp/headlessloyalty-test-$(id -un)}"
STATE_DIR=$HL_TEST_STATE_DIR
RESULTS_DIR="$REPO/TestResults"
SOLUTION="$REPO/HeadlessLoyalty.sln"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

mode=test
if [[ ${1-} == --stop ]]; then mode=stop; shift; fi
if [[ ${1-} == --env ]]; then mode=env; LOG_FD=2; shift; fi

if [[ $mode == stop ]]; then
  stop_postgres
  stop_redis
  exit 0
fi

provision() {
  mkdir -p "$STATE_DIR"
  chmod 755 "$STATE_DIR" 2>/dev/null || true

  if [[ -n ${HL_TEST_POSTGRES-} ]]; then
    log "PostgreSQL: using HL_TEST_POSTGRES from the environment"
  else
    ensure_postgres
    export HL_TEST_POSTGRES="Host=127.0.0.1;Port=$HL_PG_PORT;Username=postgres;Password=$HL_PG_PASSWORD;"
  fi
  export HL_REQUIRE_POSTGRES=1

  if [[ -n ${HL_TEST_REDIS-} ]]; then
    log "Redis: using HL_TEST_REDIS from the environment"
  else
    ensure_redis
    export HL_TEST_REDIS="127.0.0.1:$HL_REDIS_PORT"
  fi

  ensure_chromium
  export HL_TEST_CHROMIUM=/usr/bin/chromium

  ensure_node
  ensure_test_npm_packages "$REPO"
}

provision

if [[ $mode == env ]]; then
  for v in HL_TEST_POSTGRES HL_REQUIRE_POSTGRES HL_TEST_REDIS HL_TEST_CHROMIUM; do
    printf 'export %s=%q\n' "$v" "${!v}"
  done
  exit 0
fi

log "HL_TEST_POSTGRES=$HL_TEST_POSTGRES"
log "HL_TEST_REDIS=$HL_TEST_REDIS HL_TEST_CHROMIUM=$HL_TEST_CHROMIUM"

# ---------- build ----------

cd "$REPO"
log "dotnet build $(basename "$SOLUTION") -c $HL_TEST_CONFIGURATION"
if ! dotnet build "$SOLUTION" -c "$HL_TEST_CONFIGURATION" -nologo -v:minimal </dev/null; then
  log "build failed (errors above)"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

# ---------- test ----------

# Test projects of the solution: those referencing the test SDK (or named *.Tests).
test_projects=()
while IFS= read -r proj; do
  proj=${proj//\\//}
  [[ $proj == *.csproj && -f $proj ]] || continue
  if grep -qE 'Microsoft\.NET\.Test\.Sdk|<IsTestProject>[[:space:]]*true' "$proj" || [[ $proj == *.Tests.csproj ]]; then
    test_projects+=("$proj")
  fi
done < <(dotnet sln "$SOLUTION" list 2>/dev/null | tr -d '\r')

rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"

passed=0 failed=0 skipped=0

# Reads one attribute of the <Counters> element of a TRX file (0 when absent).
trx_counter() { # file attribute
  local v
  v=$(grep -o '<Counters [^>]*>' "$1" | head -n1 | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9]\+' || true)
  printf '%s\n' "${v:-0}"
}

for proj in "${test_projects[@]}"; do
  name=$(basename "$proj" .csproj)
  trx="$RESULTS_DIR/$name.trx"
  log "dotnet test $proj $*"
  set +e
  dotnet test "$proj" -c "$HL_TEST_CONFIGURATION" --no-build -nologo \
    --results-directory "$RESULTS_DIR" --logger "trx;LogFileName=$name.trx" \
    --blame-hang-timeout "$HL_TEST_HANG_TIMEOUT" --blame-hang-dump-type none \
    "$@" </dev/null
  rc=$?
  set -e

  p=0 f=0 s=0
  if [[ -f $trx ]]; then
    total=$(trx_counter "$trx" total)
    p=$(trx_counter "$trx" passed)
    f=$(( $(trx_counter "$trx" failed) + $(trx_counter "$trx" error) + $(trx_counter "$trx" timeout) + $(trx_counter "$trx" aborted) ))
    # Skipped tests appear only in total (outcome NotExecuted), not in any other counter.
    s=$(( total - p - f ))
    (( s >= 0 )) || s=0
  fi
  if (( rc != 0 && f == 0 )); then
    log "$name: dotnet test exited with $rc but reported no failed test: counting the run as 1 failure"
    f=1
  fi
  log "$name: $p passed, $f failed, $s skipped"
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done

if (( passed + failed + skipped == 0 )); then
  log "no test ran (${#test_projects[@]} test project(s) found): that is a failure"
  echo "0 passed, 0 failed, 0 skipped"
  exit 1
fi

echo "$passed passed, $failed failed, $skipped skipped"
(( failed == 0 ))
