#!/usr/bin/env bash
# Starts (or finds running) a PostgreSQL server for the tests of the PostgreSQL store
# (tests/integration/pg_store.rs) and prints the URL to export as MIZAN_TEST_PG:
#
#   export MIZAN_TEST_PG="$(bash scripts/pg-test-server.sh)"
#
# Idempotent and quick when the server runs already. As root it installs Debian's postgresql when
# missing and runs the server as the postgres user; otherwise it runs it as you. The cluster lives
# in $MIZAN_PG_DIR (default /tmp/mizan-test-pg), listens on 127.0.0.1:$MIZAN_PG_PORT (default
# 54330) with fsync off (test data only) and TLS (its CA: $MIZAN_PG_DIR/tls/root.crt, for
# MIZAN_TEST_PG_ROOTCERT), and trusts local connections. Stop it with
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
# TLS for the TLS tests: a CA of the tests' own ($dir/tls/root.crt, for MIZAN_TEST_PG_ROOTCERT) and
# a server certificate it signed for 127.0.0.1 only (so that `localhost` is a name the
# certificate was not issued for). Without openssl, the server runs without TLS.
tls="$dir/tls"
if [ ! -f "$tls/server.key" ] && [ "$(id -u)" = 0 ] && ! command -v openssl >/dev/null; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl; } >/dev/null 2>&1 || true
fi
if [ ! -f "$tls/server.key" ] && command -v openssl >/dev/null; then
    mkdir -p "$tls"
    (
        cd "$tls"
        openssl req -x509 -new -nodes -newkey rsa:2048 -keyout ca.key -out root.crt -days 3650 \
            -subj "/CN=mizan test CA" >/dev/null 2>&1
        openssl req -new -nodes -newkey rsa:2048 -keyout server.key.new -out server.csr \
            -subj "/CN=mizan test server" >/dev/null 2>&1
        printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ext.cnf
        openssl x509 -req -in server.csr -CA root.crt -CAkey ca.key -CAcreateserial -out server.crt \
            -days 3650 -extfile ext.cnf >/dev/null 2>&1
        chmod 600 server.key.new
        mv server.key.new server.key
    )
    if [ "$(id -u)" = 0 ]; then chown -R postgres: "$tls"; fi
fi
ssl_opts=""
if [ -f "$tls/server.key" ]; then
    ssl_opts="-c ssl=on -c ssl_cert_file=$tls/server.crt -c ssl_key_file=$tls/server.key"
fi
start() {
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 $ssl_opts" "$@" >/dev/null \
        || { tail -20 "$dir/server.log" >&2; exit 1; }
}
psql=("$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1)
if ! "${as[@]}" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    start start
elif [ -n "$ssl_opts" ] && [ "$("${psql[@]}" -tAc "SHOW ssl")" != on ]; then
    # Started before it had TLS: once again with it.
    start restart
fi
if [ -z "$("${psql[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'mizan_test'")" ]; then
    "${psql[@]}" -c "CREATE ROLE mizan_test LOGIN CREATEDB PASSWORD 'mizan_test'" >/dev/null
fi
echo "postgres://mizan_test:mizan_test@127.0.0.1:$port/postgres"
