# Throw-away PostgreSQL for the tests: `pg_up` installs PostgreSQL from Debian's packages
# when it is missing, starts a cluster in a temporary directory on 127.0.0.1, and exports
# CPOR_TEST_DATABASE_URL (plus CPOR_TEST_PGDATA and CPOR_TEST_PGCTL, so tests can stop and
# restart it); `pg_down` stops it and removes the directory. With CPOR_PG_DURABLE=1 the
# cluster keeps PostgreSQL's durable defaults (fsync, synchronous commit), for benchmarks.

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# Runs a PostgreSQL tool as the unprivileged `postgres` user when we are root (initdb
# refuses root), as ourselves otherwise.
pg_as() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_up() {
  local bin
  bin=$(pg_bin)
  if [ -z "$bin" ]; then
    echo "installing PostgreSQL from Debian's packages" >&2
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
      sudo apt-get update -qq >/dev/null
      sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    bin=$(pg_bin)
  fi
  [ -n "$bin" ] || { echo "PostgreSQL is not installed and could not be installed" >&2; return 1; }
  CPOR_PG_DIR=$(mktemp -d /tmp/cpor-pg.XXXXXX)
  chmod 755 "$CPOR_PG_DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$CPOR_PG_DIR"
  local port=${CPOR_TEST_PG_PORT:-55432}
  pg_as "$bin/initdb" -D "$CPOR_PG_DIR/data" -U cpor -A trust --no-sync -E UTF8 >/dev/null
  # In the configuration file, so that a plain `pg_ctl start` (the outage test) brings it
  # back the same. Durability is not what these tests measure.
  pg_as tee -a "$CPOR_PG_DIR/data/postgresql.conf" >/dev/null <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$CPOR_PG_DIR'
max_connections = 300
shared_buffers = 256MB
CONF
  if [ -z "${CPOR_PG_DURABLE:-}" ]; then
    pg_as tee -a "$CPOR_PG_DIR/data/postgresql.conf" >/dev/null <<CONF
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  fi
  pg_as "$bin/pg_ctl" -D "$CPOR_PG_DIR/data" -l "$CPOR_PG_DIR/log" -w start >/dev/null
  export CPOR_PG_DIR
  export CPOR_TEST_DATABASE_URL="postgres://cpor@127.0.0.1:$port/postgres"
  export CPOR_TEST_PGDATA="$CPOR_PG_DIR/data"
  export CPOR_TEST_PGCTL="$bin/pg_ctl"
  export CPOR_TEST_PGLOG="$CPOR_PG_DIR/log"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') is up at 127.0.0.1:$port" >&2
}

pg_down() {
  [ -n "${CPOR_PG_DIR:-}" ] || return 0
  pg_as "$(pg_bin)/pg_ctl" -D "$CPOR_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$CPOR_PG_DIR"
}
