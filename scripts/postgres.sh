#!/usr/bin/env bash
# A throwaway PostgreSQL for tests: install it if missing, init a cluster in .pgdata/
# (git-ignored), start it on a free loopback port and print its URL on stdout:
#
#   export GONGKAI_TEST_PG_URL=$(bash scripts/postgres.sh)
#   bash scripts/postgres.sh --stop        # stop it again (the data dir stays; rm -rf .pgdata)
#
# Everything but the URL goes to stderr. Re-running while the server is up prints the
# same URL. Postgres refuses to run as root, so as root the server runs as the user
# "postgres" (created when missing). The cluster trusts local connections and has fsync
# off: it is for tests only, never for data you want to keep.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${GONGKAI_PGDATA:-$ROOT/.pgdata}"
DB=gongkai
log() { echo "postgres.sh: $*" >&2; }

# A directory holding all the server and client programs we use (Debian keeps them in
# /usr/lib/postgresql/N/bin and puts only some on PATH).
find_bin() {
  local d p ok
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) "$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/x)")"; do
    ok=1
    for p in pg_ctl initdb postgres psql createdb; do [ -x "$d/$p" ] || ok=0; done
    [ $ok -eq 1 ] && { echo "$d"; return 0; }
  done
  return 1
}

BIN="$(find_bin || true)"
if [ -z "$BIN" ]; then
  log "未找到 PostgreSQL，正在安装（apt-get install postgresql）…"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  # Update the package lists only when the install cannot find the package.
  if ! $SUDO apt-get install -y -q postgresql >&2; then
    $SUDO apt-get update -q >&2
    $SUDO apt-get install -y -q postgresql >&2
  fi
  BIN="$(find_bin)" || { log "安装后仍找不到 pg_ctl"; exit 1; }
fi

RUNAS=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
  if command -v runuser >/dev/null 2>&1; then RUNAS=(runuser -u postgres --); else RUNAS=(su postgres -s /bin/sh -c); fi
fi
as_pg() {
  if [ ${#RUNAS[@]} -eq 0 ]; then "$@"
  elif [ "${RUNAS[0]}" = runuser ]; then "${RUNAS[@]}" "$@"
  else "${RUNAS[@]}" "$(printf '%q ' "$@")"; fi
}

# The server user must reach the data dir: a checkout under /root is closed to it, so
# fall back to a fixed directory under /tmp named after the checkout (re-runs find it).
if [ -z "${GONGKAI_PGDATA:-}" ] && ! as_pg test -x "$ROOT"; then
  DATA="/tmp/gongkai-pgdata-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
  log "postgres 用户无法进入 $ROOT，数据目录改用 $DATA"
fi

if [ "${1:-}" = "--stop" ]; then
  [ -f "$DATA/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DATA" -m fast stop >&2 || log "没有在运行的服务器"
  exit 0
fi

url() { echo "postgresql+psycopg://postgres@127.0.0.1:$1/$DB"; }

# Already running from this data dir: print its URL again.
if [ -f "$DATA/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  url "$(sed -n 4p "$DATA/postmaster.pid")"
  exit 0
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"
  [ "$(id -u)" -eq 0 ] && chown postgres "$DATA"
  chmod 700 "$DATA"
  as_pg "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C >&2
fi
[ "$(id -u)" -eq 0 ] && chown -R postgres "$DATA"

PORT="${GONGKAI_PGPORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 start \
  -o "-p $PORT -c unix_socket_directories= -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >&2 \
  || { log "启动失败，日志如下："; tail -20 "$DATA/server.log" >&2; exit 1; }

if ! as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" postgres | grep -q 1; then
  as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB" >&2
fi
url "$PORT"
