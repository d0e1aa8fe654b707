#!/usr/bin/env bash
# Live-event delivery latency to many graphql-transport-ws subscribers of loyaltyEvents (bench/README.md).
# Usage: bench/subscribers.sh [--two-instances] [--no-build]
#   one instance:   embedded SQLite, all subscribers on it
#   two instances:  PostgreSQL (HL_TEST_POSTGRES) and Redis (HL_TEST_REDIS) shared by two hosts; subscribers split
#                   over both, events written on the first, so half the deliveries cross instances through Redis
# Settings from the environment: BENCH_SUBSCRIBERS (5000), BENCH_EVENTS (30), BENCH_INTERVAL_MS (1000: every event goes to
# every subscriber, so 5,000 deliveries a second).
set -euo pipefail

SUBSCRIBERS=${BENCH_SUBSCRIBERS:-5000}
EVENTS=${BENCH_EVENTS:-30}
INTERVAL_MS=${BENCH_INTERVAL_MS:-1000}
LOG_LEVEL=${BENCH_LOG_LEVEL:-Warning}

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HOST_PROJECT=$BENCH_DIR/HeadlessLoyalty.Bench.Host/HeadlessLoyalty.Bench.Host.csproj
HOST_DLL=$BENCH_DIR/HeadlessLoyalty.Bench.Host/bin/Release/net10.0/HeadlessLoyalty.Bench.Host.dll
CLIENT_PROJECT=$BENCH_DIR/subscribers/HeadlessLoyalty.Bench.Subscribers.csproj
CLIENT_DLL=$BENCH_DIR/subscribers/bin/Release/net10.0/HeadlessLoyalty.Bench.Subscribers.dll

TWO=0
BUILD=1
for arg in "$@"; do
    case $arg in
        --two-instances) TWO=1 ;;
        --no-build) BUILD=0 ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done
RESULTS=${BENCH_RESULTS:-$BENCH_DIR/results/$([ "$TWO" = 1 ] && echo subscribers-two-instances.txt || echo subscribers-one-instance.txt)}
log() { printf '[subscribers %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# Every subscriber is a socket in the client and one in the server.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

if [ "$BUILD" = 1 ]; then
    log "building (Release)"
    dotnet build "$HOST_PROJECT" -c Release -nologo -v q -clp:ErrorsOnly >&2
    dotnet build "$CLIENT_PROJECT" -c Release -nologo -v q -clp:ErrorsOnly >&2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hl-subscribers.XXXXXX")
HOST_ARGS=(--Database:DataDirectory="$WORK/data" --Seed:Demo=true --Jobs:Enabled=false
           --Logging:LogLevel:Default="$LOG_LEVEL" --Logging:LogLevel:Microsoft.Hosting.Lifetime=Information)
if [ "$TWO" = 1 ]; then
    : "${HL_TEST_POSTGRES:?--two-instances needs HL_TEST_POSTGRES (eval \"\$(bash scripts/test.sh --env)\" provides it)}"
    : "${HL_TEST_REDIS:?--two-instances needs HL_TEST_REDIS (eval \"\$(bash scripts/test.sh --env)\" provides it)}"
    DATABASE=hl_subs_$(date -u +%Y%m%d%H%M%S)_$$
    HOST_ARGS+=(--Database:Provider=Postgres --Database:ConnectionString="${HL_TEST_POSTGRES%;};Database=$DATABASE"
                --Redis:ConnectionString="$HL_TEST_REDIS" --Redis:EventsChannel="hl-bench:$DATABASE")
fi
cli() { dotnet "$HOST_DLL" "$@" "${HOST_ARGS[@]}" 2>>"$WORK/cli.log"; }

PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    if [ "$TWO" = 1 ]; then
        # The stopped hosts' connections may take a moment to go away: a few tries before giving up.
        local dropped=0
        for _ in 1 2 3 4 5; do if cli bench drop-database; then dropped=1; break; fi; sleep 1; done
        [ "$dropped" = 1 ] || log "could not drop database $DATABASE (see $WORK/cli.log)"
    fi
    if [ "${BENCH_KEEP_WORK:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

start_host() { # name; sets HOST_URL (not a subshell: PIDS must keep the pid for CPU accounting and clean-up)
    dotnet "$HOST_DLL" --urls http://127.0.0.1:0 "${HOST_ARGS[@]}" --Database:MigrateOnStartup=true >"$WORK/$1.log" 2>&1 &
    local pid=$! url=
    PIDS+=("$pid")
    for _ in $(seq 1 120); do
        kill -0 "$pid" 2>/dev/null || { cat "$WORK/$1.log" >&2; echo "bench: $1 exited during start-up" >&2; exit 1; }
        url=${url:-$(grep -o 'Now listening on: http://127\.0\.0\.1:[0-9]*' "$WORK/$1.log" | head -1 | sed 's/^Now listening on: //' || true)}
        if [ -n "$url" ] && curl -sf "$url/readyz" >/dev/null; then HOST_URL=$url; return; fi
        sleep 0.5
    done
    cat "$WORK/$1.log" >&2; echo "bench: $1 never became ready" >&2; exit 1
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "load average before start: $LOAD_BEFORE"
start_host host1
URL1=$HOST_URL
WS="${URL1/http:/ws:}/graphql"
if [ "$TWO" = 1 ]; then
    start_host host2
    WS="$WS,${HOST_URL/http:/ws:}/graphql"
fi
log "instances: $WS"

TOKEN=$(cli token --program demo --role admin --subject bench --lifetime 2h) || { cat "$WORK/cli.log" >&2; exit 1; }
read -r _ MEMBER_GID < <(cli bench member --program demo --email grace@example.com) || { cat "$WORK/cli.log" >&2; exit 1; }

log "$SUBSCRIBERS subscribers, $EVENTS events every $INTERVAL_MS ms"
# CPU time of the server process(es) over the whole client run (connects, probe and events): utime + stime.
cpu_ticks() { local t=0; for pid in "${PIDS[@]}"; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$pid/stat"))); done; echo "$t"; }
TICKS_BEFORE=$(cpu_ticks)
set +e
dotnet "$CLIENT_DLL" --ws "$WS" --http "$URL1/graphql" --token "$TOKEN" --member "$MEMBER_GID" \
    --subscribers "$SUBSCRIBERS" --events "$EVENTS" --interval-ms "$INTERVAL_MS" | tee "$WORK/result.txt"
STATUS=${PIPESTATUS[0]}
set -e
SERVER_CPU_S=$(awk -v t=$(( $(cpu_ticks) - TICKS_BEFORE )) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }')
echo "server CPU during the run: ${SERVER_CPU_S} s" | tee -a "$WORK/result.txt"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
{
    echo "# bench/subscribers.sh $* on $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$BENCH_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "# $(nproc) cores; load average before: $LOAD_BEFORE, after: $LOAD_AFTER"
    cat "$WORK/result.txt"
} >"$RESULTS"
log "written to $RESULTS"
exit "$STATUS"
