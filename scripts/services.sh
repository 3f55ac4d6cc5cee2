#!/usr/bin/env bash
# Starts, stops and describes the real RabbitMQ and PostgreSQL that OrderProcessor, its demo and its tests use.
#
#   scripts/services.sh start [rabbitmq|postgres]   start both, or one (idempotent: running servers are reused)
#   scripts/services.sh stop [rabbitmq|postgres]    stop what this script started (both, or one)
#   scripts/services.sh status   say what is running
#   scripts/services.sh env      print the connection settings as shell exports: eval "$(scripts/services.sh env)"
#   scripts/services.sh recreate-db NAME   drop the database NAME (if it exists) and create it empty
#
# With a Docker engine that answers, docker-compose.yml runs them. Without one (CI, this kind of machine), Debian's
# rabbitmq-server and postgresql are installed with apt when missing and run as their own users, bound to
# 127.0.0.1 on non-default ports, with their data under $ORDERPROCESSOR_SERVICES_DIR.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state_dir="${ORDERPROCESSOR_SERVICES_DIR:-/tmp/orderprocessor-services}"
amqp_port="${ORDERPROCESSOR_RABBITMQ_PORT:-5673}"
management_port="${ORDERPROCESSOR_RABBITMQ_MANAGEMENT_PORT:-15673}"
dist_port="${ORDERPROCESSOR_RABBITMQ_DIST_PORT:-25673}"
pg_port="${ORDERPROCESSOR_POSTGRES_PORT:-54329}"
pg_bin="/usr/lib/postgresql/15/bin"
pg_user="orderprocessor"
pg_password="orderprocessor"
rabbit_node="${ORDERPROCESSOR_RABBITMQ_NODE:-orderprocessor@localhost}"
only=""
if [ "${1:-}" = start ] || [ "${1:-}" = stop ]; then
  only="${2:-}"
  case "$only" in ""|rabbitmq|postgres) ;; *) printf '[services] error: unknown service %s (rabbitmq or postgres)\n' "$only" >&2; exit 2 ;; esac
fi

log() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] error: %s\n' "$*" >&2; exit 1; }

docker_answers() {
  [ "${ORDERPROCESSOR_NO_DOCKER:-}" = "1" ] && return 1
  command -v docker >/dev/null 2>&1 && timeout 5 docker info >/dev/null 2>&1
}

mode() { if docker_answers; then echo docker; else echo native; fi; }

rabbitmq_answers() {
  curl -fsS -m 3 -u guest:guest "http://127.0.0.1:${management_port}/api/overview" >/dev/null 2>&1
}

postgres_answers() {
  if [ -x "$pg_bin/pg_isready" ]; then
    "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" >/dev/null 2>&1
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$pg_port") >/dev/null 2>&1
  fi
}

print_env() {
  cat <<EOF
export RabbitMq__Host=127.0.0.1
export RabbitMq__Port=$amqp_port
export RabbitMq__ManagementPort=$management_port
export RabbitMq__Username=guest
export RabbitMq__Password=guest
export RabbitMq__VirtualHost=/
export ConnectionStrings__OrderProcessor="Host=127.0.0.1;Port=$pg_port;Username=$pg_user;Password=$pg_password;Database=orderprocessor"
EOF
}

# ---------------------------------------------------------------- native (Debian packages)

install_packages() {
  local missing=()
  command -v rabbitmq-server >/dev/null 2>&1 || [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
  [ -x "$pg_bin/initdb" ] || missing+=(postgresql)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = "0" ] || die "need root to install ${missing[*]} (or install them yourself)"
  log "installing ${missing[*]} with apt (one-time, about 30 s)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # The packages try to start their services; the sandbox refuses that, which is harmless: we start them below.
  apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || apt-get install -y -qq "${missing[@]}" >/dev/null
}

rabbit_env() {
  local base="$state_dir/rabbitmq"
  echo "HOME=$base RABBITMQ_NODENAME=$rabbit_node RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
RABBITMQ_NODE_PORT=$amqp_port RABBITMQ_DIST_PORT=$dist_port ERL_EPMD_ADDRESS=127.0.0.1 \
RABBITMQ_MNESIA_BASE=$base/mnesia RABBITMQ_LOG_BASE=$base/log RABBITMQ_CONFIG_FILE=$base/rabbitmq \
RABBITMQ_ENABLED_PLUGINS_FILE=$base/enabled_plugins RABBITMQ_PID_FILE=$base/rabbitmq.pid"
}

start_rabbitmq_native() {
  if rabbitmq_answers; then log "RabbitMQ already running on 127.0.0.1:$amqp_port (reused)"; return 0; fi
  local base="$state_dir/rabbitmq"
  mkdir -p "$base/mnesia" "$base/log"
  echo '[rabbitmq_management].' > "$base/enabled_plugins"
  cat > "$base/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:$amqp_port
management.tcp.port = $management_port
management.tcp.ip = 127.0.0.1
log.console = false
log.file.level = warning
EOF
  chown -R rabbitmq:rabbitmq "$base"
  log "starting RabbitMQ (node $rabbit_node) on 127.0.0.1:$amqp_port, management on :$management_port"
  # shellcheck disable=SC2046
  runuser -u rabbitmq -- env $(rabbit_env) nohup /usr/lib/rabbitmq/bin/rabbitmq-server \
    > "$base/log/stdout.log" 2>&1 &
  local deadline=$((SECONDS + 90))
  until rabbitmq_answers; do
    [ $SECONDS -lt $deadline ] || { tail -n 30 "$base/log/stdout.log" >&2; die "RabbitMQ did not answer within 90 s"; }
    sleep 1
  done
  touch "$base/started-by-script"
}

start_postgres_native() {
  if postgres_answers; then log "PostgreSQL already running on 127.0.0.1:$pg_port (reused)"; return 0; fi
  local data="$state_dir/postgres/data" sock="$state_dir/postgres/socket"
  mkdir -p "$state_dir/postgres" "$sock"
  chown -R postgres:postgres "$state_dir/postgres"
  if [ ! -f "$data/PG_VERSION" ]; then
    local pwfile="$state_dir/postgres/pwfile"
    echo "$pg_password" > "$pwfile"; chown postgres "$pwfile"
    runuser -u postgres -- "$pg_bin/initdb" -D "$data" -U "$pg_user" --pwfile="$pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
  fi
  log "starting PostgreSQL on 127.0.0.1:$pg_port"
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$data" -l "$state_dir/postgres/server.log" -w -t 60 \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $sock -c max_connections=400 -c shared_buffers=256MB" start >/dev/null \
    || { tail -n 30 "$state_dir/postgres/server.log" >&2; die "PostgreSQL did not start"; }
  touch "$state_dir/postgres/started-by-script"
  if ! "$pg_bin/psql" -h "$sock" -p "$pg_port" -U "$pg_user" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'orderprocessor'" | grep -q 1; then
    "$pg_bin/createdb" -h "$sock" -p "$pg_port" -U "$pg_user" orderprocessor
  fi
}

stop_native() {
  local base="$state_dir/rabbitmq"
  if [ "$only" != postgres ] && [ -f "$base/started-by-script" ]; then
    log "stopping RabbitMQ"
    # shellcheck disable=SC2046
    runuser -u rabbitmq -- env $(rabbit_env) /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "$rabbit_node" stop >/dev/null 2>&1 || true
    rm -f "$base/started-by-script"
  fi
  if [ "$only" != rabbitmq ] && [ -f "$state_dir/postgres/started-by-script" ]; then
    log "stopping PostgreSQL"
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$state_dir/postgres/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -f "$state_dir/postgres/started-by-script"
  fi
}

# ---------------------------------------------------------------- docker

# The compose file also describes the simulator and the processor, which need a partner apiKey; compose checks every
# variable of the file, so give it a throwaway one when only RabbitMQ and PostgreSQL are wanted.
compose() {
  (cd "$repo_root" && ORDERPROCESSOR_PARTNER_API_KEY="${ORDERPROCESSOR_PARTNER_API_KEY:-$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)}" \
    docker compose "$@")
}

start_docker() {
  log "Docker answers: starting rabbitmq and postgres from docker-compose.yml"
  ORDERPROCESSOR_RABBITMQ_PORT=$amqp_port ORDERPROCESSOR_RABBITMQ_MANAGEMENT_PORT=$management_port \
    ORDERPROCESSOR_POSTGRES_PORT=$pg_port compose up -d ${only:-rabbitmq postgres} >/dev/null
  local deadline=$((SECONDS + 120))
  until rabbitmq_answers && postgres_answers; do
    [ $SECONDS -lt $deadline ] || die "containers did not answer within 120 s (docker compose logs)"
    sleep 1
  done
  mkdir -p "$state_dir"; touch "$state_dir/started-by-compose"
}

stop_docker() {
  if [ -f "$state_dir/started-by-compose" ]; then
    log "stopping containers"; compose stop ${only:-rabbitmq postgres} >/dev/null || true
    [ -n "$only" ] || rm -f "$state_dir/started-by-compose"
  fi
}

# ---------------------------------------------------------------- commands

case "${1:-}" in
  start)
    mkdir -p "$state_dir"
    if [ "$(mode)" = docker ]; then
      start_docker
    else
      install_packages
      case "$only" in
        rabbitmq) start_rabbitmq_native ;;
        postgres) start_postgres_native ;;
        *) start_rabbitmq_native & rabbit_pid=$!; start_postgres_native; wait "$rabbit_pid" ;;
      esac
    fi
    log "RabbitMQ   amqp://guest:guest@127.0.0.1:$amqp_port/  (management http://127.0.0.1:$management_port/)"
    log "PostgreSQL postgresql://$pg_user:$pg_password@127.0.0.1:$pg_port/  (data in $state_dir)"
    log "connection settings: eval \"\$(scripts/services.sh env)\""
    ;;
  stop)
    stop_docker
    stop_native
    ;;
  status)
    if rabbitmq_answers; then echo "rabbitmq: running on 127.0.0.1:$amqp_port"; else echo "rabbitmq: not running"; fi
    if postgres_answers; then echo "postgres: running on 127.0.0.1:$pg_port"; else echo "postgres: not running"; fi
    ;;
  env)
    print_env
    ;;
  recreate-db)
    name="${2:-}"
    [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || die "recreate-db needs a database name of lower-case letters, digits and _"
    postgres_answers || die "PostgreSQL is not running on 127.0.0.1:$pg_port (scripts/services.sh start)"
    sql=(-c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name")
    if [ -f "$state_dir/started-by-compose" ]; then
      compose exec -T -e PGOPTIONS="--client-min-messages=warning" postgres psql -q -U "$pg_user" -d postgres "${sql[@]}" >/dev/null
    else
      PGOPTIONS="--client-min-messages=warning" PGPASSWORD="$pg_password" "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U "$pg_user" -d postgres "${sql[@]}" >/dev/null
    fi
    log "database $name is new and empty"
    ;;
  *)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
