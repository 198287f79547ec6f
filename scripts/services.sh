#!/usr/bin/env bash
# PostgreSQL and Redis on 127.0.0.1 for the multi-process live server (docs/deploy.md) and its tests.
# Installs Debian's `postgresql` and `redis-server` when missing, starts them, creates the
# `livestall` role and database, and prints the two URLs `livestall live serve` reads:
#   LIVESTALL_DB_URL=postgresql+psycopg://livestall:livestall@127.0.0.1:5432/livestall
#   LIVESTALL_REDIS_URL=redis://127.0.0.1:6379/0
# Safe to run again: what is running stays running. Progress goes to stderr, the URLs to stdout.
#
# Usage: scripts/services.sh [start]          install if needed, start, print the URLs
#        scripts/services.sh stop postgres|redis   stop one (the scale tests restart them)
# Exit code 3: cannot install here (no apt-get, or not root and no sudo) — tests skip loudly.
set -euo pipefail
cd "$(dirname "$0")/.."

REDIS_PORT="${LIVESTALL_REDIS_PORT:-6379}"
DB_NAME=livestall
DB_USER=livestall
DB_PASSWORD=livestall
STATE_DIR="$PWD/.services"   # Redis's pid file and log (Redis keeps no data: Postgres is the truth)

say() { echo "services: $*" >&2; }

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; fi
fi

install_missing() {
  local missing=()
  command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1 || { [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; }; then
    say "CANNOT INSTALL ${missing[*]}: needs apt-get and root (or passwordless sudo)."
    say "Install PostgreSQL and Redis yourself and set LIVESTALL_DB_URL / LIVESTALL_REDIS_URL."
    exit 3
  fi
  say "installing ${missing[*]} from Debian's packages"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
}

pg_cluster() {  # prints "version name port" of the first cluster, creating one if none exists
  local line
  line="$(pg_lsclusters --no-header 2>/dev/null | head -n 1 || true)"
  if [ -z "$line" ]; then
    local version
    version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
    say "creating PostgreSQL $version cluster main"
    $sudo pg_createcluster "$version" main >&2
    line="$(pg_lsclusters --no-header | head -n 1)"
  fi
  echo "$line" | awk '{print $1, $2, $3}'
}

start_postgres() {
  local version name port conf
  read -r version name port <<<"$(pg_cluster)"
  conf="/etc/postgresql/$version/$name/conf.d/livestall.conf"
  if [ ! -f "$conf" ]; then
    # Loopback only; enough connections for a few server processes and the tests.
    printf "listen_addresses = '127.0.0.1'\nmax_connections = 200\n" | $sudo tee "$conf" >/dev/null
  fi
  if ! pg_lsclusters --no-header | awk -v v="$version" -v n="$name" '$1==v && $2==n' \
      | grep -q online; then
    say "starting PostgreSQL $version/$name on 127.0.0.1:$port"
    $sudo pg_ctlcluster "$version" "$name" start >&2
  fi
  local i
  for i in $(seq 1 50); do
    pg_isready -q -h 127.0.0.1 -p "$port" && break
    sleep 0.2
  done
  psql_admin "$port" -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'" | grep -q 1 \
    || psql_admin "$port" -qc "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD' CREATEDB"
  psql_admin "$port" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1 \
    || psql_admin "$port" -qc "CREATE DATABASE $DB_NAME OWNER $DB_USER"
  echo "LIVESTALL_DB_URL=postgresql+psycopg://$DB_USER:$DB_PASSWORD@127.0.0.1:$port/$DB_NAME"
}

psql_admin() {
  local port="$1"
  shift
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- psql -p "$port" -X "$@")
  else
    (cd / && sudo -n -u postgres psql -p "$port" -X "$@")
  fi
}

start_redis() {
  mkdir -p "$STATE_DIR"
  if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    say "starting redis-server on 127.0.0.1:$REDIS_PORT"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
      --save "" --appendonly no --dir "$STATE_DIR" \
      --pidfile "$STATE_DIR/redis-$REDIS_PORT.pid" --logfile "$STATE_DIR/redis-$REDIS_PORT.log" >&2
    local i
    for i in $(seq 1 50); do
      redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break
      sleep 0.1
    done
  fi
  echo "LIVESTALL_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
}

stop_one() {
  case "$1" in
    postgres)
      local version name port
      read -r version name port <<<"$(pg_cluster)"
      $sudo pg_ctlcluster "$version" "$name" stop -m immediate >&2 || true
      ;;
    redis)
      redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
      ;;
    *)
      say "stop what? postgres or redis"
      exit 2
      ;;
  esac
}

case "${1:-start}" in
  start)
    install_missing
    start_postgres
    start_redis
    ;;
  stop) stop_one "${2:-}" ;;
  *)
    say "usage: scripts/services.sh [start | stop postgres|redis]"
    exit 2
    ;;
esac
