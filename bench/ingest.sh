#!/usr/bin/env bash
# Load test: signed WooCommerce order webhooks into the store ingest (persisted before the 200), 10% duplicates; then
# the processor's rate draining that inbox after a restart. Usage: bench/ingest.sh [--sqlite] [--no-build]
# (PostgreSQL by default: HL_TEST_POSTGRES). Phase 1 runs the host with the processor off (Stores:Ingest:ProcessorEnabled
# =false) so the accept rate is the endpoint's own; phase 2 restarts it with the processor on, which drains the inbox
# the first phase left (what a restart after a crash does), and measures processed deliveries per second.
set -euo pipefail

THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-20s}
# Pre-signed deliveries for the measured run: enough that no thread runs out at the target rate (2,000/s x 20 s).
ORDERS=${BENCH_ORDERS_COUNT:-120000}
WARMUP_ORDERS=${BENCH_WARMUP_ORDERS:-30000}
DUPLICATES=${BENCH_DUPLICATES:-0.1}
CUSTOMERS=${BENCH_CUSTOMERS:-5000}
LOG_LEVEL=${BENCH_LOG_LEVEL:-Warning}
# Phase 2 measures the processor over this window (or until the inbox is empty).
DRAIN_WINDOW=${BENCH_DRAIN_WINDOW:-120}
TARGET_RPS=2000
SECRET=benchWebhookSecret0123456789abcdefABCDEF

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
PROJECT=$BENCH_DIR/HeadlessLoyalty.Bench.Host/HeadlessLoyalty.Bench.Host.csproj
HOST_DLL=$BENCH_DIR/HeadlessLoyalty.Bench.Host/bin/Release/net10.0/HeadlessLoyalty.Bench.Host.dll

PROVIDER=postgres
BUILD=1
for arg in "$@"; do
    case $arg in
        --sqlite) PROVIDER=sqlite ;;
        --no-build) BUILD=0 ;;
        -h|--help) sed -n '2,3p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done
RESULTS=${BENCH_RESULTS:-$BENCH_DIR/results/ingest-$PROVIDER.md}
for tool in wrk curl python3 dotnet; do
    command -v "$tool" >/dev/null || { echo "bench: '$tool' is required" >&2; exit 1; }
done
log() { printf '[ingest %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

if [ "$BUILD" = 1 ]; then
    log "building $PROJECT (Release)"
    dotnet build "$PROJECT" -c Release -nologo -v q -clp:ErrorsOnly >&2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hl-ingest.XXXXXX")
HOST_ARGS=(--Database:DataDirectory="$WORK/data" --Seed:Demo=true --Jobs:Enabled=false
           --Logging:LogLevel:Default="$LOG_LEVEL" --Logging:LogLevel:Microsoft.Hosting.Lifetime=Information)
if [ "$PROVIDER" = postgres ]; then
    : "${HL_TEST_POSTGRES:?needs HL_TEST_POSTGRES (an ADO.NET connection string of a role that may CREATE DATABASE), or --sqlite}"
    DATABASE=hl_bench_ingest_$(date -u +%Y%m%d%H%M%S)_$$
    HOST_ARGS+=(--Database:Provider=Postgres --Database:ConnectionString="${HL_TEST_POSTGRES%;};Database=$DATABASE")
fi
cli() { dotnet "$HOST_DLL" "$@" "${HOST_ARGS[@]}" 2>>"$WORK/cli.log"; }

HOST_PID=
cleanup() {
    if [ -n "$HOST_PID" ] && kill -0 "$HOST_PID" 2>/dev/null; then
        kill "$HOST_PID" 2>/dev/null || true
        wait "$HOST_PID" 2>/dev/null || true
    fi
    if [ "$PROVIDER" = postgres ]; then
        cli bench drop-database || log "could not drop database $DATABASE (see $WORK/cli.log)"
    fi
    if [ "${BENCH_KEEP_WORK:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "load average before start: $LOAD_BEFORE"
start_host() { # processor-enabled log-name
    log "starting the bench host ($PROVIDER, processor $1) in $WORK"
    dotnet "$HOST_DLL" --urls http://127.0.0.1:0 "${HOST_ARGS[@]}" --Database:MigrateOnStartup=true --Stores:Ingest:ProcessorEnabled="$1" >"$WORK/$2" 2>&1 &
    HOST_PID=$!
    URL=
    for _ in $(seq 1 120); do
        kill -0 "$HOST_PID" 2>/dev/null || { cat "$WORK/$2" >&2; echo "bench: the host exited during start-up" >&2; exit 1; }
        URL=${URL:-$(grep -o 'Now listening on: http://127\.0\.0\.1:[0-9]*' "$WORK/$2" | head -1 | sed 's/^Now listening on: //' || true)}
        if [ -n "$URL" ] && curl -sf "$URL/readyz" >/dev/null; then break; fi
        sleep 0.5
    done
    curl -sf "$URL/readyz" >/dev/null || { cat "$WORK/$2" >&2; echo "bench: /readyz never answered 200" >&2; exit 1; }
    log "ready at $URL"
}
stop_host() {
    kill "$HOST_PID" 2>/dev/null || true
    wait "$HOST_PID" 2>/dev/null || true
    HOST_PID=
}
start_host false host.log

CONNECTION=$(cli bench store --program demo --secret "$SECRET") || { cat "$WORK/cli.log" >&2; exit 1; }
WARM_CONNECTION=$(cli bench store --program demo --secret "$SECRET") || { cat "$WORK/cli.log" >&2; exit 1; }
log "store connections: measured $CONNECTION, warm-up $WARM_CONNECTION"
log "signing $ORDERS + $WARMUP_ORDERS deliveries ($DUPLICATES duplicates, $CUSTOMERS customers)"
python3 "$BENCH_DIR/ingest_orders.py" --secret "$SECRET" --count "$ORDERS" --first-id 1000000 --customers "$CUSTOMERS" --duplicates "$DUPLICATES" --seed 1 >"$WORK/orders.tsv"
python3 "$BENCH_DIR/ingest_orders.py" --secret "$SECRET" --count "$WARMUP_ORDERS" --first-id 1 --customers "$CUSTOMERS" --duplicates "$DUPLICATES" --seed 2 >"$WORK/warmup.tsv"

# A signed delivery must be accepted, and a wrong signature refused, before anything is timed.
first_sig=$(head -1 "$WORK/orders.tsv" | cut -f1); first_body=$(head -1 "$WORK/orders.tsv" | cut -f2-)
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H 'X-WC-Webhook-Topic: order.updated' \
    -H "X-WC-Webhook-Signature: AAAA$first_sig" --data-binary "$first_body" "$URL/webhooks/woocommerce/$CONNECTION")
[ "$code" = 401 ] || { echo "bench: a bad signature answered $code, not 401" >&2; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H 'X-WC-Webhook-Topic: order.updated' \
    -H "X-WC-Webhook-Signature: $first_sig" --data-binary "$first_body" "$URL/webhooks/woocommerce/$WARM_CONNECTION")
[ "$code" = 200 ] || { echo "bench: a signed delivery answered $code, not 200" >&2; exit 1; }
log "signature check: bad 401, good 200"

export BENCH_LUA_DIR=$BENCH_DIR BENCH_THREADS=$THREADS
run_wrk() { # connection file duration output
    BENCH_ORDERS=$2 wrk --latency -t"$THREADS" -c"$CONNECTIONS" -d"$3" -s "$BENCH_DIR/ingest.lua" "$URL/webhooks/woocommerce/$1" >"$4"
}
field() { sed -n "/^BENCH /s/.* $2=\([^ ]*\).*/\1/p" "$1"; }
stats() { cli bench store-stats --connection "$1"; }
sfield() { sed -n "s/.*\b$2=\([^ ]*\).*/\1/p" <<<"$1"; }
host_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$HOST_PID/stat"; }

log "warm-up ($WARMUP) on the warm-up connection"
run_wrk "$WARM_CONNECTION" "$WORK/warmup.tsv" "$WARMUP" "$WORK/warmup.txt"

LOAD_RUN=$(cut -d' ' -f1-3 /proc/loadavg)
ticks=$(host_cpu_ticks)
log "measured run: wrk -t$THREADS -c$CONNECTIONS -d$DURATION (load $LOAD_RUN)"
run_wrk "$CONNECTION" "$WORK/orders.tsv" "$DURATION" "$WORK/run.txt"
cat "$WORK/run.txt" >&2
CPU_S=$(awk -v t="$(( $(host_cpu_ticks) - ticks ))" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }')
REQUESTS=$(field "$WORK/run.txt" requests); SECONDS_RUN=$(field "$WORK/run.txt" seconds)
ERRORS=$(( $(field "$WORK/run.txt" non2xx) + $(field "$WORK/run.txt" socket_errors) ))
# Requests beyond the file's lines restart a thread's slice: they are duplicates too.
WRAPPED=$(( REQUESTS > ORDERS ? REQUESTS - ORDERS : 0 ))

AT_END=$(stats "$CONNECTION")
WARM_LEFT=$(sfield "$(stats "$WARM_CONNECTION")" pending)

# Phase 2: restart with the processor on; it drains both connections' inboxes (warm-up first: received first).
stop_host
log "phase 2: restart with the processor on; measuring for ${DRAIN_WINDOW}s"
RESTART_MS=$(date +%s%3N)
start_host true host2.log
for _ in $(seq 1 $((DRAIN_WINDOW / 5))); do
    sleep 5
    [ "$(sfield "$(stats "$CONNECTION")" pending)" = 0 ] && break
done
S=$(stats "$CONNECTION")
W=$(stats "$WARM_CONNECTION")
END_MS=$(date +%s%3N)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
TOTAL=$(sfield "$S" total); PENDING=$(sfield "$S" pending); IGNORED=$(sfield "$S" ignored)
PROCESSED=$(sfield "$S" processed); SKIPPED=$(sfield "$S" skipped); FAILED=$(sfield "$S" failed); PURCHASES=$(sfield "$S" purchases)
PENDING_AT_END=$(sfield "$AT_END" pending)
ACCEPTED_RPS=$(field "$WORK/run.txt" rps)
DUP_IGNORED=$(sfield "$S" duplicates)
# Processed per second since the restart: every delivery finished by then (both connections), over the wall time
# from the restart (host start-up included) to the measurement.
FINISHED=$(( $(sfield "$AT_END" pending) - PENDING + WARM_LEFT - $(sfield "$W" pending) ))
E2E_RPS=$(awk -v n="$FINISHED" -v a="$RESTART_MS" -v b="$END_MS" 'BEGIN { printf "%.1f", n / ((b - a) / 1000) }')
VERDICT=$(awk -v x="$ACCEPTED_RPS" -v t="$TARGET_RPS" 'BEGIN { print (x >= t) ? "meets the target (>= " t "/s)" : "BELOW the target (>= " t "/s)" }')
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null)" ]; then COMMIT="$COMMIT (uncommitted changes)"; fi

mkdir -p "$(dirname "$RESULTS")"
{
    echo "# Store webhook ingest ($PROVIDER)"
    echo
    echo "Written by \`bench/ingest.sh\`; see \`bench/README.md\` (store webhook ingest)."
    echo
    echo "| | |"
    echo "| --- | --- |"
    echo "| date | $(date -u +'%Y-%m-%d %H:%M UTC') |"
    echo "| commit | $COMMIT |"
    echo "| machine | $(nproc) CPUs ($(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), shared with other work |"
    echo "| load | wrk \`--latency -t$THREADS -c$CONNECTIONS -d$DURATION\` on the same machine, after a $WARMUP warm-up on another connection; phase 1 with the processor off, phase 2 restarted with it on |"
    echo "| deliveries | WooCommerce \`order.updated\`, PHP-escaped bodies (~0.9 KB), base64 HMAC-SHA256 signed, $CUSTOMERS customers, 90% processing / 10% on-hold, $DUPLICATES of them byte-identical replays |"
    echo "| load average (1/5/15 min) | before start $LOAD_BEFORE; at the measured run $LOAD_RUN; after processing $LOAD_AFTER |"
    echo
    echo "| measure | value |"
    echo "| --- | ---: |"
    echo "| **accepted and persisted (2xx) per second** | **$ACCEPTED_RPS** ($VERDICT) |"
    echo "| requests / failed (non-2xx or socket) | $REQUESTS / $ERRORS |"
    echo "| p50 / p99 / max ms | $(field "$WORK/run.txt" p50_ms) / $(field "$WORK/run.txt" p99_ms) / $(field "$WORK/run.txt" max_ms) |"
    echo "| host CPU during the run | ${CPU_S} s over ${SECONDS_RUN} s |"
    echo "| inbox rows (one per request) | $TOTAL |"
    echo "| duplicates answered 200 and recorded IGNORED | $DUP_IGNORED (requests past the file's end: $WRAPPED) |"
    echo "| pending when the load stopped (processor off) | $PENDING_AT_END, and $WARM_LEFT from the warm-up |"
    echo "| phase 2: deliveries finished in $(( (END_MS - RESTART_MS) / 1000 )) s after the restart (both connections) | $FINISHED |"
    echo "| **processed per second after the restart** (start-up included) | **$E2E_RPS** |"
    echo "| measured connection at the end | processed $PROCESSED, ignored (on-hold) $IGNORED, skipped $SKIPPED, failed $FAILED, still pending $PENDING; purchases $PURCHASES |"
} >"$RESULTS"
echo
cat "$RESULTS"
log "written to ${RESULTS#"$ROOT"/}"
