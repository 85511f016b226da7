#!/usr/bin/env bash
# Makes Postgres (5432), Redis (6379, maxmemory-policy noeviction) and NATS with JetStream (4222) reachable
# on loopback. Uses servers that already run; otherwise starts them with `docker compose` when a Docker
# engine answers, else installs Debian's packages and starts them natively. Idempotent; prints what it did.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGPORT="${INFRA_PG_PORT:-5432}"; REDIS_PORT="${INFRA_REDIS_PORT:-6379}"; NATS_PORT="${INFRA_NATS_PORT:-4222}"
log() { echo "infra: $*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pg_up() { port_open "$PGPORT" && { ! command -v pg_isready >/dev/null || pg_isready -q -h 127.0.0.1 -p "$PGPORT"; }; }
redis_up() { port_open "$REDIS_PORT" && [ "$(redis_cmd PING 2>/dev/null)" = "+PONG" ]; }
# Speaks RESP over bash's /dev/tcp so the check needs no client installed.
redis_cmd() {
  exec 4<>"/dev/tcp/127.0.0.1/$REDIS_PORT" || return 1
  local args=("$@") out="*${#args[@]}\r\n"
  for a in "${args[@]}"; do out+="\$${#a}\r\n$a\r\n"; done
  printf "$out" >&4; local line; IFS= read -r -t 2 line <&4 || true; exec 4>&-; printf '%s' "${line%$'\r'}"
}
nats_js_up() {
  port_open "$NATS_PORT" || return 1
  exec 5<>"/dev/tcp/127.0.0.1/$NATS_PORT" || return 1
  local info; IFS= read -r -t 2 info <&5 || true; exec 5>&-
  [[ "$info" == *'"jetstream":true'* ]]
}
wait_for() { local what=$1 check=$2; for _ in $(seq 1 60); do $check && return 0; sleep 0.5; done; log "$what did not come up"; return 1; }

docker_ok() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }
apt_ready=0
apt_install() {
  if [ $apt_ready = 0 ]; then apt-get update -qq >/dev/null; apt_ready=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

start_postgres() {
  if docker_ok; then docker compose -f "$ROOT/docker-compose.yml" up -d postgres; return; fi
  command -v pg_ctlcluster >/dev/null 2>&1 || apt_install postgresql postgresql-contrib
  local ver; ver="$(ls /etc/postgresql | sort -V | tail -n1)"
  [ -d "/etc/postgresql/$ver/main" ] || pg_createcluster "$ver" main >/dev/null
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  wait_for postgres pg_up
  # Debian's default host auth is scram: give the postgres role the password the default URLs use.
  su postgres -c "psql -q -c \"ALTER ROLE postgres PASSWORD 'postgres'\"" >/dev/null
}
start_redis() {
  if docker_ok; then docker compose -f "$ROOT/docker-compose.yml" up -d redis; return; fi
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --maxmemory-policy noeviction --logfile "/tmp/orderline-redis-$REDIS_PORT.log"
}
start_nats() {
  if docker_ok; then docker compose -f "$ROOT/docker-compose.yml" up -d nats; return; fi
  command -v nats-server >/dev/null 2>&1 || apt_install nats-server
  local store="/var/lib/nats-server"; [ "$NATS_PORT" = 4222 ] || store="/tmp/orderline-nats-$NATS_PORT"
  mkdir -p "$store"
  start-stop-daemon --start --background --pidfile "/tmp/orderline-nats-$NATS_PORT.pid" --make-pidfile \
    --exec "$(command -v nats-server)" -- -a 127.0.0.1 -p "$NATS_PORT" -js -sd "$store" -l "/tmp/orderline-nats-$NATS_PORT.log"
}

if pg_up; then log "postgres: already running on :$PGPORT"; else log "postgres: starting"; start_postgres; wait_for postgres pg_up; fi
if redis_up; then log "redis: already running on :$REDIS_PORT"; else log "redis: starting"; start_redis; wait_for redis redis_up; fi
policy="$(redis_cmd CONFIG SET maxmemory-policy noeviction || true)"
[ "$policy" = "+OK" ] && log "redis: maxmemory-policy noeviction" || log "redis: could not set noeviction ($policy)"
if nats_js_up; then log "nats: already running with JetStream on :$NATS_PORT"
elif port_open "$NATS_PORT"; then log "nats: something listens on :$NATS_PORT without JetStream; restart it with -js"; exit 1
else log "nats: starting"; start_nats; wait_for nats nats_js_up; fi
log "ready: postgres 127.0.0.1:$PGPORT, redis 127.0.0.1:$REDIS_PORT, nats 127.0.0.1:$NATS_PORT (JetStream)"
