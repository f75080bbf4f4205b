#!/usr/bin/env bash
# A private PostgreSQL cluster for the live tier: Debian's postgresql, on 127.0.0.1 only, on a non-default port,
# with one role + database for AM and one for APIM. Every command is idempotent.
#
#   tests/live/postgres.sh start    install (apt) if needed, init once, start, create roles/databases
#   tests/live/postgres.sh stop     stop the cluster (no-op when it is not running)
#   tests/live/postgres.sh status   exit 0 when running
#   tests/live/postgres.sh env      print the connection facts as shell exports
#   tests/live/postgres.sh destroy  stop and delete the data directory
#
# Environment (all optional): GRAVITEE_LIVE_HOME (cache root, default ~/.cache/gravitee-live),
# GRAVITEE_LIVE_PG_PORT (55432), GRAVITEE_LIVE_PGDATA (data directory, see below),
# GRAVITEE_LIVE_{AM,APIM}_DB_PASSWORD.
set -euo pipefail

LIVE_HOME=${GRAVITEE_LIVE_HOME:-$HOME/.cache/gravitee-live}
PG_PORT=${GRAVITEE_LIVE_PG_PORT:-55432}
PG_SUPERUSER=postgres
AM_DB_PASSWORD=${GRAVITEE_LIVE_AM_DB_PASSWORD:-am-live-password}
APIM_DB_PASSWORD=${GRAVITEE_LIVE_APIM_DB_PASSWORD:-apim-live-password}

# initdb refuses to run as root. As root the cluster belongs to the 'postgres' system user, which cannot enter
# /root, so its data directory lives under that user's home instead of the cache root.
if [ "$(id -u)" = 0 ]; then
    RUN_AS=(runuser -u postgres --)
    PGDATA=${GRAVITEE_LIVE_PGDATA:-/var/lib/postgresql/gravitee-live-$PG_PORT}
else
    RUN_AS=()
    PGDATA=${GRAVITEE_LIVE_PGDATA:-$LIVE_HOME/postgres-$PG_PORT}
fi

log() { echo "postgres.sh: $*" >&2; }

pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

ensure_installed() {
    if pg_bindir >/dev/null; then return 0; fi
    if [ "$(id -u)" != 0 ]; then
        log "PostgreSQL server binaries not found and not root: apt-get install postgresql first"
        return 1
    fi
    log "installing PostgreSQL from Debian"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null || {
        apt-get update -q >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
    }
    # Debian's package creates and starts a default cluster on 5432; ours does not need it.
    pg_bindir >/dev/null
}

as_owner() { "${RUN_AS[@]}" "$@"; }

is_running() {
    local bin
    bin=$(pg_bindir) || return 1
    [ -f "$PGDATA/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1
}

# The socket sits in the data directory (mode 0700): only its owner reaches it, so local trust is safe.
psql_admin() {
    as_owner "$(pg_bindir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGDATA" -p "$PG_PORT" -U "$PG_SUPERUSER" -d postgres "$@"
}

init_cluster() {
    local bin=$1
    [ -f "$PGDATA/PG_VERSION" ] && return 0
    log "initialising $PGDATA"
    mkdir -p "$PGDATA"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDATA"
    chmod 0700 "$PGDATA"
    as_owner "$bin/initdb" -D "$PGDATA" -U "$PG_SUPERUSER" -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    # Small footprint: the live tier runs next to test suites on a 2-core machine.
    cat >>"$PGDATA/postgresql.conf" <<EOF
# gravitee live tier
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PGDATA'
max_connections = 200
shared_buffers = 64MB
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
}

ensure_role_and_db() {
    local name=$1 password=$2
    psql_admin -v name="$name" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'name', :'password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'name') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'name', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'name', :'name')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'name') \gexec
SQL
}

start() {
    ensure_installed
    local bin
    bin=$(pg_bindir)
    init_cluster "$bin"
    if ! is_running; then
        log "starting on 127.0.0.1:$PG_PORT"
        as_owner "$bin/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 start >/dev/null
    fi
    ensure_role_and_db am "$AM_DB_PASSWORD"
    ensure_role_and_db apim "$APIM_DB_PASSWORD"
    log "ready: postgresql://127.0.0.1:$PG_PORT (databases am, apim)"
}

stop() {
    if is_running; then
        as_owner "$(pg_bindir)/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop >/dev/null
        log "stopped"
    fi
}

print_env() {
    cat <<EOF
export GRAVITEE_LIVE_PG_HOST=127.0.0.1
export GRAVITEE_LIVE_PG_PORT=$PG_PORT
export GRAVITEE_LIVE_PGDATA='$PGDATA'
export GRAVITEE_LIVE_AM_DB=am GRAVITEE_LIVE_AM_DB_USER=am GRAVITEE_LIVE_AM_DB_PASSWORD='$AM_DB_PASSWORD'
export GRAVITEE_LIVE_APIM_DB=apim GRAVITEE_LIVE_APIM_DB_USER=apim GRAVITEE_LIVE_APIM_DB_PASSWORD='$APIM_DB_PASSWORD'
EOF
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) is_running ;;
    env) print_env ;;
    destroy) stop; rm -rf "$PGDATA"; log "removed $PGDATA" ;;
    *) echo "usage: $0 start|stop|status|env|destroy" >&2; exit 2 ;;
esac
