#!/usr/bin/env bash
# Makes sure what the test suites drive is on this machine and running, before any test starts:
# Debian's Chromium (browser tests) and a PostgreSQL server on loopback (storage and end-to-end
# suites). A missing piece is installed (as root, with apt-get) or reported, never skipped.
set -euo pipefail

PG_PORT="${HELPERKIT_TEST_PG_PORT:-54329}"
PG_DIR="${HELPERKIT_TEST_PG_DIR:-/tmp/helperkit-test-postgres}"

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v openssl >/dev/null || missing+=(openssl)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "Tests need: ${missing[*]}. Install them (Debian: sudo apt-get install ${missing[*]}) and run again." >&2
    exit 1
  fi
  echo "Installing ${missing[*]} for the tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A throwaway PostgreSQL cluster of the tests' own, on loopback, trusting local connections.
# PostgreSQL refuses to run as root: as root it runs as the postgres system user.
PG_BIN="$(dirname "$(ls /usr/lib/postgresql/*/bin/postgres | sort -V | tail -n 1)")"
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; then
  if [ ! -f "$PG_DIR/PG_VERSION" ]; then
    mkdir -p "$PG_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DIR"
    as_pg "$PG_BIN/initdb" -D "$PG_DIR" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DIR -c max_connections=200 -c fsync=off" \
    start >/dev/null
fi
echo "PostgreSQL for tests: postgres://postgres@127.0.0.1:$PG_PORT/postgres"
