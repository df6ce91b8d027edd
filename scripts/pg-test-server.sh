#!/usr/bin/env bash
# Starts (or finds running) a PostgreSQL server for the tests of the PostgreSQL store
# (tests/integration/pg_store.rs) and prints the URL to export as MIZAN_TEST_PG:
#
#   export MIZAN_TEST_PG="$(bash scripts/pg-test-server.sh)"
#
# Idempotent and quick when the server runs already. As root it installs Debian's postgresql when
# missing and runs the server as the postgres user; otherwise it runs it as you. The cluster lives
# in $MIZAN_PG_DIR (default /tmp/mizan-test-pg), listens on 127.0.0.1:$MIZAN_PG_PORT (default
# 54330) with fsync off (test data only), and trusts local connections. Stop it with
#   pg_ctl -D /tmp/mizan-test-pg/data stop    (as the same user)
set -euo pipefail
dir="${MIZAN_PG_DIR:-/tmp/mizan-test-pg}"
port="${MIZAN_PG_PORT:-54330}"

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1; }
bin="$(find_bin)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "PostgreSQL is not installed (as root: apt-get install postgresql)" >&2
        exit 1
    fi
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin="$(find_bin)"
fi

as=()
if [ "$(id -u)" = 0 ]; then
    # The server refuses to run as root.
    as=(runuser -u postgres --)
    mkdir -p "$dir"
    chown postgres: "$dir"
else
    mkdir -p "$dir"
fi
if [ ! -f "$dir/data/PG_VERSION" ]; then
    "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
fi
if ! "${as[@]}" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null \
        || { tail -20 "$dir/server.log" >&2; exit 1; }
fi
psql=("$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1)
if [ -z "$("${psql[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'mizan_test'")" ]; then
    "${psql[@]}" -c "CREATE ROLE mizan_test LOGIN CREATEDB PASSWORD 'mizan_test'" >/dev/null
fi
echo "postgres://mizan_test:mizan_test@127.0.0.1:$port/postgres"
