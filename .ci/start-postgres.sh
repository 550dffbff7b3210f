#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on 127.0.0.1:$PGPORT (default: a free port) with its
# data under $1, installing Debian's postgresql when absent, and prints its URL.
# Runs the server as the `postgres` user when started as root (initdb refuses root).
set -euo pipefail
data_dir=$(realpath -m "${1:?usage: start-postgres.sh DATA_DIR}")
port=${PGPORT:-$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')}
password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ]; then
  echo "installing postgresql with apt-get" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

as_owner=()
if [ "$(id -u)" = 0 ]; then as_owner=(runuser -u postgres --); fi

rm -rf "$data_dir"
mkdir -p "$data_dir"
[ "$(id -u)" = 0 ] && chown postgres "$data_dir"
pwfile="$data_dir.pw"
printf '%s\n' "$password" > "$pwfile"
[ "$(id -u)" = 0 ] && chown postgres "$pwfile"
"${as_owner[@]}" "$bin/initdb" -D "$data_dir" -U gatehouse --pwfile="$pwfile" --auth=scram-sha-256 >&2
rm -f "$pwfile"
"${as_owner[@]}" "$bin/pg_ctl" -D "$data_dir" -l "$data_dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$data_dir -c fsync=off" start >&2
echo "postgres://gatehouse:$password@127.0.0.1:$port/postgres"
