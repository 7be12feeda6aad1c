#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite (CI and local runs).
#
#   url=$(bash scripts/postgres.sh | tail -n 1)
#   EEVP_TEST_DATABASE_URL=$url .venv/bin/python -m pytest -q
#
# Installs PostgreSQL from Debian when it is missing (needs root), starts a cluster under /tmp
# listening on 127.0.0.1 only (port 55432, trust auth for local connections only), creates the
# database eevp_test and prints its SQLAlchemy URL as the LAST line of stdout.
# Idempotent: a second run reuses the running server.  Stop it with:  bash scripts/postgres.sh stop
# Everything else goes to stderr, so that `tail -n 1` is always the URL.
set -euo pipefail

PORT=${EEVP_PG_PORT:-55432}
BASE=${EEVP_PG_DIR:-/tmp/eevp-pg}
DATA=$BASE/data
SOCK=$BASE/sock
LOG=$BASE/server.log
DB=eevp_test
URL="postgresql+psycopg2://postgres@127.0.0.1:$PORT/$DB"

log() { echo "postgres.sh: $*" >&2; }

find_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
}

BIN=$(find_bindir)
if [ -z "$BIN" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "PostgreSQL is not installed and I am not root: install the 'postgresql' package first."
    exit 1
  fi
  log "installing PostgreSQL from Debian (apt-get)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  BIN=$(find_bindir)
  [ -n "$BIN" ] || { log "PostgreSQL installed but initdb not found"; exit 1; }
fi

# Run a server-side command as the cluster owner: 'postgres' when we are root (PostgreSQL
# refuses to run as root), ourselves otherwise.
if [ "$(id -u)" -eq 0 ]; then
  OWNER=postgres
  id -u postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  OWNER=$(id -un)
  as_owner() { "$@"; }
fi

if [ "${1:-}" = "stop" ]; then
  if [ -f "$DATA/postmaster.pid" ]; then as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2; fi
  exit 0
fi

mkdir -p "$BASE"
chmod 755 "$BASE"
if [ ! -s "$DATA/PG_VERSION" ]; then
  log "creating a cluster in $DATA (owner $OWNER)"
  rm -rf "$DATA"
  mkdir -p "$DATA" "$SOCK"
  chown "$OWNER" "$DATA" "$SOCK"
  chmod 700 "$DATA"
  as_owner "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=reject \
    >"$BASE/initdb.log" 2>&1 || { cat "$BASE/initdb.log" >&2; exit 1; }
  # Trust only connections from this machine; everything else is refused.
  as_owner tee "$DATA/pg_hba.conf" >/dev/null <<'EOF'
local   all  all                 trust
host    all  all  127.0.0.1/32   trust
host    all  all  ::1/128        trust
host    all  all  0.0.0.0/0      reject
EOF
  # A throwaway server: durability settings off make the suite faster.
  as_owner tee -a "$DATA/postgresql.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCK'
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
fi
mkdir -p "$SOCK"
chown "$OWNER" "$SOCK"

if as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  log "reusing the server already running on 127.0.0.1:$PORT"
else
  touch "$LOG" && chown "$OWNER" "$LOG"
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >&2 || { tail -n 30 "$LOG" >&2; exit 1; }
fi

psql_q() { as_owner "$BIN/psql" -h "$SOCK" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtAc "$1"; }
for _ in $(seq 1 30); do psql_q "SELECT 1" >/dev/null 2>&1 && break; sleep 1; done
if [ "$(psql_q "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
  psql_q "CREATE DATABASE $DB" >&2
  log "created database $DB"
fi
echo "$URL"
