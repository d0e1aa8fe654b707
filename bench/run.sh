#!/usr/bin/env bash
# Load test: the GraphQL balance query against a raw minimal-API endpoint reading the same row, in one run.
# Usage: bench/run.sh [--postgres] [--no-build]      (see bench/README.md; settings below come from the environment)
set -euo pipefail

THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
DURATION=${BENCH_DURATION:-15s}
# Tiered JIT needs ~20 s of load before throughput settles (measured: 1.8k req/s in the first 10 s, 5k after).
WARMUP=${BENCH_WARMUP:-30s}
# Five rounds: the headline ratio is the median of five paired ratios (see below), one bad round cannot carry it.
ROUNDS=${BENCH_ROUNDS:-5}
# raw-resolver is a diagnostic: the resolvers' database work without GraphQL (see README). The ratio is graphql/raw.
TARGETS=${BENCH_TARGETS:-raw raw-resolver graphql}
# Request logging writes one line per request; Warning measures the API rather than the console (BENCH_LOG_LEVEL=Information keeps it).
LOG_LEVEL=${BENCH_LOG_LEVEL:-Warning}
# Members added to the demo program before the run (bench seed verb): per-request costs that grow with the program show.
MEMBERS=${BENCH_MEMBERS:-10000}
TARGET_RATIO=0.8

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
PROJECT=$BENCH_DIR/HeadlessLoyalty.Bench.Host/HeadlessLoyalty.Bench.Host.csproj
HOST_DLL=$BENCH_DIR/HeadlessLoyalty.Bench.Host/bin/Release/net10.0/HeadlessLoyalty.Bench.Host.dll

PROVIDER=sqlite
BUILD=1
for arg in "$@"; do
    case $arg in
        --postgres) PROVIDER=postgres ;;
        --no-build) BUILD=0 ;;
        -h|--help) sed -n '2,3p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done
RESULTS=${BENCH_RESULTS:-$BENCH_DIR/results/$([ "$PROVIDER" = sqlite ] && echo latest.md || echo latest-postgres.md)}

for tool in wrk curl jq dotnet; do
    command -v "$tool" >/dev/null || { echo "bench: '$tool' is required" >&2; exit 1; }
done

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

if [ "$BUILD" = 1 ]; then
    log "building $PROJECT (Release)"
    dotnet build "$PROJECT" -c Release -nologo -v q -clp:ErrorsOnly >&2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hl-bench.XXXXXX")
HOST_ARGS=(--Database:DataDirectory="$WORK/data" --Seed:Demo=true
           --Logging:LogLevel:Default="$LOG_LEVEL" --Logging:LogLevel:Microsoft.Hosting.Lifetime=Information)
if [ "$PROVIDER" = postgres ]; then
    : "${HL_TEST_POSTGRES:?--postgres needs HL_TEST_POSTGRES (an ADO.NET connection string of a role that may CREATE DATABASE)}"
    DATABASE=hl_bench_$(date -u +%Y%m%d%H%M%S)_$$
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

# Port 0: Kestrel picks a free port and logs it, so there is no window in which another process can take it.
log "starting the bench host ($PROVIDER) in $WORK"
# Server databases are not migrated on start-up by default; the fresh benchmark database is.
dotnet "$HOST_DLL" --urls http://127.0.0.1:0 "${HOST_ARGS[@]}" --Database:MigrateOnStartup=true >"$WORK/host.log" 2>&1 &
HOST_PID=$!

URL=
for _ in $(seq 1 120); do
    kill -0 "$HOST_PID" 2>/dev/null || { cat "$WORK/host.log" >&2; echo "bench: the host exited during start-up" >&2; exit 1; }
    URL=${URL:-$(grep -o 'Now listening on: http://127\.0\.0\.1:[0-9]*' "$WORK/host.log" | head -1 | sed 's/^Now listening on: //' || true)}
    if [ -n "$URL" ] && curl -sf "$URL/readyz" >/dev/null; then break; fi
    sleep 0.5
done
curl -sf "$URL/readyz" >/dev/null || { cat "$WORK/host.log" >&2; echo "bench: /readyz never answered 200" >&2; exit 1; }
log "ready at $URL"

if [ "$MEMBERS" -gt 0 ]; then
    log "adding $MEMBERS members to the demo program"
    cli bench seed --program demo --members "$MEMBERS" >/dev/null || { cat "$WORK/cli.log" >&2; exit 1; }
fi
TOKEN=$(cli token --program demo --role admin --subject bench --lifetime 2h) || { cat "$WORK/cli.log" >&2; exit 1; }
read -r MEMBER_ID MEMBER_GID < <(cli bench member --program demo --email grace@example.com) || { cat "$WORK/cli.log" >&2; exit 1; }
log "member $MEMBER_ID ($MEMBER_GID)"
export BENCH_TOKEN=$TOKEN BENCH_MEMBER_GID=$MEMBER_GID BENCH_LUA_DIR=$BENCH_DIR

RAW_URL=$URL/raw/members/$MEMBER_ID/balance
GRAPHQL_URL=$URL/graphql
QUERY='query($id: ID!) { member(by: { id: $id }) { balance { approved pending total } } }'

# Both endpoints must answer, with the same numbers, before anything is timed (wrk only counts status codes).
RAW_BODY=$(curl -sf -H "Authorization: Bearer $TOKEN" "$RAW_URL") || { echo "bench: $RAW_URL failed" >&2; exit 1; }
if [[ " $TARGETS " == *" graphql "* ]]; then
    GRAPHQL_BODY=$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        -d "$(jq -cn --arg q "$QUERY" --arg id "$MEMBER_GID" '{query: $q, variables: {id: $id}}')" "$GRAPHQL_URL")
    if ! jq -e --argjson raw "$RAW_BODY" '(.errors | not) and .data.member.balance == $raw' <<<"$GRAPHQL_BODY" >/dev/null 2>&1; then
        echo "bench: GraphQL did not answer the raw endpoint's balance $RAW_BODY; it answered: $GRAPHQL_BODY" >&2
        exit 1
    fi
fi
log "both endpoints answer $RAW_BODY"

url_of() {
    case $1 in
        raw) echo "$RAW_URL" ;;
        raw-resolver) echo "$URL/raw/members/$MEMBER_ID/balance-like-resolver" ;;
        graphql) echo "$GRAPHQL_URL" ;;
        *) echo "bench: unknown target '$1' (raw, raw-resolver, graphql)" >&2; exit 2 ;;
    esac
}
script_of() { if [ "$1" = graphql ]; then echo graphql.lua; else echo raw.lua; fi; }
field() { sed -n "/^BENCH /s/.* $2=\([^ ]*\).*/\1/p" "$1"; }
host_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$HOST_PID/stat"; }
median() { # format
    sort -g | awk -v f="$1" '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else printf f "\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
TICKS_PER_SECOND=$(getconf CLK_TCK)

run_wrk() { # target duration output
    wrk --latency -t"$THREADS" -c"$CONNECTIONS" -d"$2" -s "$BENCH_DIR/$(script_of "$1")" "$(url_of "$1")" >"$3"
}

for target in $TARGETS; do
    log "warm-up $target ($WARMUP)"
    run_wrk "$target" "$WARMUP" "$WORK/warmup-$target.txt"
done

ROWS=()
for round in $(seq 1 "$ROUNDS"); do
    # raw and graphql back to back (the pair the ratio is taken from, so both see the same background load), their
    # order alternating between rounds; other targets (diagnostics) after the pair.
    pair=$(tr ' ' '\n' <<<"$TARGETS" | { grep -xE 'raw|graphql' || true; } | tr '\n' ' ')
    others=$(tr ' ' '\n' <<<"$TARGETS" | { grep -vxE 'raw|graphql' || true; } | tr '\n' ' ')
    if [ $((round % 2)) = 0 ]; then pair=$(tr ' ' '\n' <<<"$pair" | tac | tr '\n' ' '); fi
    order="$pair $others"
    for target in $order; do
        out=$WORK/run-$round-$target.txt
        load=$(cut -d' ' -f1 /proc/loadavg)
        ticks=$(host_cpu_ticks)
        before=$(curl -sf "$URL/bench/stats")
        log "round $round/$ROUNDS: $target (-t$THREADS -c$CONNECTIONS -d$DURATION, load $load)"
        run_wrk "$target" "$DURATION" "$out"
        cpu_us=$(awk -v t="$(( $(host_cpu_ticks) - ticks ))" -v hz="$TICKS_PER_SECOND" -v n="$(field "$out" requests)" \
            'BEGIN { printf "%.0f", t / hz * 1e6 / n }')
        after=$(curl -sf "$URL/bench/stats")
        # Allocation per request (whole process) and, for GraphQL, documents served from the validated-document cache.
        alloc_kb=$(jq -rn --argjson a "$before" --argjson b "$after" --argjson n "$(field "$out" requests)" \
            '(($b.allocatedBytes - $a.allocatedBytes) / $n / 1024 * 10 | round) / 10')
        cache=$(jq -rn --argjson a "$before" --argjson b "$after" \
            '"\($b.documentCache.hits - $a.documentCache.hits)/\($b.documentCache.misses - $a.documentCache.misses)"')
        if [ "$target" != graphql ]; then cache=-; fi
        cat "$out" >&2
        errors=$(( $(field "$out" non2xx) + $(field "$out" socket_errors) ))
        if [ "$errors" != 0 ]; then echo "bench: $target had $errors failed requests (see above)" >&2; exit 1; fi
        ROWS+=("$round $target $(field "$out" rps) $(field "$out" p50_ms) $(field "$out" p99_ms) $(field "$out" max_ms) $cpu_us $alloc_kb $cache $load")
    done
done

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
stat_of() { printf '%s\n' "${ROWS[@]}" | awk -v t="$1" -v c="$2" '$2 == t { print $c }' | median "$3"; }
declare -A RPS P50 P99 CPU ALLOC
for target in $TARGETS; do
    RPS[$target]=$(stat_of "$target" 3 %.1f); P50[$target]=$(stat_of "$target" 4 %.3f)
    P99[$target]=$(stat_of "$target" 5 %.3f); CPU[$target]=$(stat_of "$target" 7 %.0f); ALLOC[$target]=$(stat_of "$target" 8 %.1f)
done
# The ratio: per round, graphql req/s over raw req/s (measured back to back), then the median over the rounds. A
# paired ratio cancels the slow drift of a shared machine's background load, which moves both endpoints of a round
# alike; the ratio of the two medians (which pairs a fast round of one with a slow round of the other) is shown too.
RATIO=n/a RATIO_OF_MEDIANS=n/a PAIRED="" VERDICT="not measured (both targets are needed)"
if [ -n "${RPS[raw]:-}" ] && [ -n "${RPS[graphql]:-}" ]; then
    PAIRED=$(printf '%s\n' "${ROWS[@]}" | awk '$2 == "raw" { r[$1] = $3 } $2 == "graphql" { g[$1] = $3 }
        END { for (k in r) if (k in g) printf "%d %.3f\n", k, g[k] / r[k] }' | sort -n)
    RATIO=$(awk '{ print $2 }' <<<"$PAIRED" | median %.2f)
    RATIO_OF_MEDIANS=$(awk -v g="${RPS[graphql]}" -v r="${RPS[raw]}" 'BEGIN { printf "%.2f", g / r }')
    VERDICT=$(awk -v x="$RATIO" -v t="$TARGET_RATIO" 'BEGIN { print (x >= t) ? "meets the target (>= " t "x)" : "BELOW the target (>= " t "x)" }')
fi

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null)" ]; then COMMIT="$COMMIT (uncommitted changes)"; fi
CPU_MODEL=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
MEMORY=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)

mkdir -p "$(dirname "$RESULTS")"
{
    echo "# GraphQL balance query vs raw endpoint ($PROVIDER)"
    echo
    echo "Written by \`bench/run.sh\`; see \`bench/README.md\` for what is measured and how to read it."
    echo
    echo "| | |"
    echo "| --- | --- |"
    echo "| date | $(date -u +'%Y-%m-%d %H:%M UTC') |"
    echo "| commit | $COMMIT |"
    echo "| machine | $(nproc) CPUs ($CPU_MODEL), $MEMORY, $(uname -sr) |"
    echo "| runtime | .NET SDK $(dotnet --version), Release, Production environment, log level $LOG_LEVEL |"
    echo "| database | $PROVIDER, demo program with $MEMBERS extra members, one member's balance row |"
    echo "| load | wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}') \`--latency -t$THREADS -c$CONNECTIONS -d$DURATION\` on the same machine, warm-up $WARMUP per endpoint, $ROUNDS rounds, raw and graphql back to back in alternating order |"
    echo "| load average (1/5/15 min) | before start $LOAD_BEFORE; after $LOAD_AFTER |"
    echo
    echo "Medians over the rounds:"
    echo
    echo "| endpoint | req/s | p50 ms | p99 ms | host CPU µs/req | allocated KB/req |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: |"
    for target in $TARGETS; do
        echo "| $target | ${RPS[$target]} | ${P50[$target]} | ${P99[$target]} | ${CPU[$target]} | ${ALLOC[$target]} |"
    done
    echo
    echo "**GraphQL / raw throughput: ${RATIO}x**, $VERDICT: the median of the rounds' paired ratios ($(awk '{ printf "%s%s", sep, $2; sep = ", " }' <<<"$PAIRED")). Ratio of the medians above: ${RATIO_OF_MEDIANS}x."
    echo
    echo "Every round:"
    echo
    echo "| round | endpoint | req/s | p50 ms | p99 ms | max ms | host CPU µs/req | allocated KB/req | document cache hits/misses | load (1 min) before |"
    echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for row in "${ROWS[@]}"; do
        awk '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }' <<<"$row"
    done
} >"$RESULTS"

echo
cat "$RESULTS"
log "written to ${RESULTS#"$ROOT"/}"
