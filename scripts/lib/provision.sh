# shellcheck shell=bash
# Provisioning helpers for scripts/test.sh: install (apt) and start the services the tests need,
# private to the test run and bound to 127.0.0.1 only. Sourced, not executed.

# Log lines go to stdout (ordered with the build and test output) except in --env mode, whose stdout is eval'd.
LOG_FD=1
log() { printf '[test] %s\n' "$*" >&"$LOG_FD"; }
die() { printf '[test] ERROR: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root to run '$*' (not root and sudo is not installed); install it yourself or rerun as root"
  fi
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 \
    || die "cannot install '$*': apt-get not found (this script provisions Debian/Ubuntu machines; install it yourself)"
  if [[ $APT_UPDATED -eq 0 ]]; then
    log "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" </dev/null
}

# Starts a command fully detached: new session, no inherited stdio, so a CI runner waiting on
# our output pipe is not kept open by a server we leave running.
detach() { setsid "$@" </dev/null >/dev/null 2>&1; }

# ---------- PostgreSQL ----------

pg_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  [[ -n $d && -x $d/initdb ]] && printf '%s\n' "$d"
}

# Runs a command as the cluster owner: user postgres when we are root (initdb refuses root),
# ourselves otherwise.
as_pg_owner() {
  if [[ $EUID -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_query() { # port sql
  PGPASSWORD="$HL_PG_PASSWORD" "$PG_BIN/psql" -h 127.0.0.1 -p "$1" -U postgres -d postgres -XAtqc "$2" </dev/null 2>/dev/null
}

ensure_postgres() {
  local port=$HL_PG_PORT dir="$STATE_DIR/pg-$HL_PG_PORT"
  PG_BIN=$(pg_bindir || true)
  if [[ -z $PG_BIN ]]; then
    apt_install postgresql
    PG_BIN=$(pg_bindir || true)
    [[ -n $PG_BIN ]] || die "postgresql installed but no /usr/lib/postgresql/*/bin/initdb found"
  fi

  if [[ $(pg_query "$port" 'select 1' || true) == 1 ]]; then
    log "PostgreSQL: reusing server on 127.0.0.1:$port"
    return
  fi

  mkdir -p "$dir"
  if [[ $EUID -eq 0 ]]; then chown postgres:postgres "$dir"; fi
  if [[ ! -f $dir/data/PG_VERSION ]]; then
    log "PostgreSQL: initdb $dir/data ($("$PG_BIN/postgres" --version))"
    rm -rf "$dir/data"
    # Trust on loopback only: the server listens on 127.0.0.1 and nowhere else.
    as_pg_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=trust \
      -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  fi

  log "PostgreSQL: starting on 127.0.0.1:$port (data $dir/data)"
  # Durability is irrelevant for throw-away test databases; speed and many parallel
  # connections (one pool per test fixture) are what matter.
  local opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=128MB"
  opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  if ! as_pg_owner "$PG_BIN/pg_ctl" -D "$dir/data" -o "$opts" -l "$dir/server.log" -w -t 60 start \
      </dev/null >/dev/null 2>&1; then
    tail -n 30 "$dir/server.log" >&2 || true
    die "PostgreSQL failed to start on 127.0.0.1:$port (is the port taken? set HL_PG_PORT)"
  fi
  [[ $(pg_query "$port" 'select 1' || true) == 1 ]] || die "PostgreSQL started but does not accept connections on 127.0.0.1:$port"
}

stop_postgres() {
  local dir="$STATE_DIR/pg-$HL_PG_PORT"
  PG_BIN=$(pg_bindir || true)
  if [[ -n $PG_BIN && -f $dir/data/postmaster.pid ]]; then
    log "PostgreSQL: stopping (data $dir/data)"
    as_pg_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop </dev/null >/dev/null 2>&1 || true
  else
    log "PostgreSQL: no cluster of ours running on port $HL_PG_PORT"
  fi
}

# ---------- Redis ----------

redis_ping() { # port -> 0 when a Redis answers PONG
  # Subshell: a refused connection must not leave fd 3 half-open in the caller.
  ( exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'PING\r\n' >&3
    IFS= read -r -t 2 reply <&3 || exit 1
    [[ $reply == +PONG* ]] ) 2>/dev/null
}

ensure_redis() {
  local port=$HL_REDIS_PORT dir="$STATE_DIR/redis-$HL_REDIS_PORT"
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  if redis_ping "$port"; then
    log "Redis: reusing server on 127.0.0.1:$port"
    return
  fi
  mkdir -p "$dir"
  log "Redis: starting on 127.0.0.1:$port"
  # No persistence: tests own their keys and a restart may lose them.
  detach redis-server --bind 127.0.0.1 --port "$port" --protected-mode yes \
    --save '' --appendonly no --dir "$dir" --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
    || { tail -n 20 "$dir/redis.log" >&2 || true; die "redis-server failed to start"; }
  local i
  for i in $(seq 1 50); do
    redis_ping "$port" && return
    sleep 0.1
  done
  tail -n 20 "$dir/redis.log" >&2 || true
  die "Redis did not answer on 127.0.0.1:$port (is the port taken? set HL_REDIS_PORT)"
}

stop_redis() {
  local dir="$STATE_DIR/redis-$HL_REDIS_PORT" pid
  if [[ -f $dir/redis.pid ]] && pid=$(cat "$dir/redis.pid") && kill -0 "$pid" 2>/dev/null; then
    log "Redis: stopping pid $pid"
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  else
    log "Redis: no server of ours running on port $HL_REDIS_PORT"
  fi
}

# ---------- Chromium, node ----------

ensure_chromium() {
  [[ -x /usr/bin/chromium ]] || apt_install chromium
  [[ -x /usr/bin/chromium ]] || die "chromium installed but /usr/bin/chromium is missing"
}

ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
  fi
}

# npm packages the tests run (e.g. the reference graphql-ws client): `npm ci` from the committed lock file in every
# test folder that has one, when its node_modules is missing.
ensure_test_npm_packages() { # repo
  local lock dir
  for lock in "$1"/tests/*/*/package-lock.json; do
    [[ -f $lock ]] || continue
    dir=$(dirname "$lock")
    [[ -d $dir/node_modules ]] && continue
    log "npm ci in ${dir#"$1"/}"
    (cd "$dir" && npm ci --no-audit --no-fund </dev/null >/dev/null) || die "npm ci failed in $dir"
  done
}
