#!/usr/bin/env bash
# Starts, stops and describes the real RabbitMQ and PostgreSQL that OrderProcessor, its demo and its tests use.
#
#   scripts/services.sh start [rabbitmq|postgres]   start both, or one (idempotent: running servers are reused)
#   scripts/services.sh stop [rabbitmq|postgres]    stop what this script started (both, or one)
#   scripts/services.sh status   say what is running
#   scripts/services.sh env      print the connection settings as shell exports: eval "$(scripts/services.sh env)"
#   scripts/services.sh recreate-db NAME   drop the database NAME (if it exists) and create it empty
#
# High availability (what the README's "Production deployment" describes, on loopback):
#   scripts/services.sh start|stop rabbitmq-cluster     three RabbitMQ nodes joined in one cluster (AMQP :5681-5683)
#   scripts/services.sh kill|start rabbitmq-node N      SIGKILL node N (1-3) / start it again (it rejoins the cluster)
#   scripts/services.sh start|stop postgres-replicated  a PostgreSQL primary (:54331) and its synchronous standby (:54332)
#   scripts/services.sh kill postgres-primary           SIGKILL the primary and its backends
#   scripts/services.sh promote postgres-standby        make the standby the primary
#   scripts/services.sh env --ha                        connection settings for the cluster and the replicated pair
#
# With a Docker engine that answers, docker-compose.yml runs them. Without one (CI, this kind of machine), Debian's
# rabbitmq-server and postgresql are installed with apt when missing and run as their own users, bound to
# 127.0.0.1 on non-default ports (RabbitMQ's Erlang distribution port and epmd included), with their data under
# $ORDERPROCESSOR_SERVICES_DIR. A port held by a process other than the server started from that directory is refused,
# never taken for ours. PostgreSQL's binaries are those of the version that made the data directory, else the highest
# installed (/usr/lib/postgresql/*/bin), or ORDERPROCESSOR_POSTGRES_BIN.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state_dir="${ORDERPROCESSOR_SERVICES_DIR:-/tmp/orderprocessor-services}"
amqp_port="${ORDERPROCESSOR_RABBITMQ_PORT:-5673}"
management_port="${ORDERPROCESSOR_RABBITMQ_MANAGEMENT_PORT:-15673}"
dist_port="${ORDERPROCESSOR_RABBITMQ_DIST_PORT:-25673}"
pg_port="${ORDERPROCESSOR_POSTGRES_PORT:-54329}"
pg_bin=""   # found by find_pg_bin below, once $state_dir is known
pg_user="orderprocessor"
pg_password="orderprocessor"
rabbit_node="${ORDERPROCESSOR_RABBITMQ_NODE:-orderprocessor@localhost}"
cluster_port="${ORDERPROCESSOR_RABBITMQ_CLUSTER_PORT:-5681}"     # node N listens on cluster_port+N-1 (management +10000, Erlang distribution +20000)
cluster_name="${ORDERPROCESSOR_RABBITMQ_CLUSTER_NAME:-orderprocessor-cluster}"
pg_primary_port="${ORDERPROCESSOR_POSTGRES_PRIMARY_PORT:-54331}"
pg_standby_port="${ORDERPROCESSOR_POSTGRES_STANDBY_PORT:-54332}"
only=""
if [ "${1:-}" = start ] || [ "${1:-}" = stop ]; then
  only="${2:-}"
  case "$only" in
    ""|rabbitmq|postgres|rabbitmq-cluster|postgres-replicated) ;;
    rabbitmq-node) [ "${1:-}" = start ] || { printf '[services] error: use kill rabbitmq-node N to stop one node of the cluster\n' >&2; exit 2; } ;;
    *) printf '[services] error: unknown service %s (rabbitmq, postgres, rabbitmq-cluster, postgres-replicated, rabbitmq-node N)\n' "$only" >&2; exit 2 ;;
  esac
fi

log() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] error: %s\n' "$*" >&2; exit 1; }

# PostgreSQL's binaries: ORDERPROCESSOR_POSTGRES_BIN, else those of the major version that made the data directory
# (a newer installed version cannot open it), else the highest installed version, else pg_config's.
find_pg_bin() {
  if [ -n "${ORDERPROCESSOR_POSTGRES_BIN:-}" ]; then echo "$ORDERPROCESSOR_POSTGRES_BIN"; return; fi
  local version bin
  version="$(cat "$state_dir/postgres/data/PG_VERSION" 2>/dev/null || true)"
  if [ -n "$version" ] && [ -x "/usr/lib/postgresql/$version/bin/initdb" ]; then echo "/usr/lib/postgresql/$version/bin"; return; fi
  bin="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$bin" ] && command -v pg_config >/dev/null 2>&1; then bin="$(pg_config --bindir 2>/dev/null || true)"; fi
  echo "$bin"
}
pg_bin="$(find_pg_bin)"

# ---------------------------------------------------------------- who holds a port

# The pid of the process listening on TCP port $1 (empty when none).
listener_pid() {
  { ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2; } || true
}

# The pid in pid file $1 when that process is alive and its command is $2 (beam.smp, postgres); empty otherwise.
live_pid() {
  local pid
  pid="$({ head -n 1 "$1" 2>/dev/null | tr -dc '0-9'; } || true)"
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] && echo "$pid"
  return 0
}

# Waits for pid $1 (empty: nothing to wait for) to end after it was asked to stop, SIGKILL after 30 s: a node still
# shutting down keeps its ports and its pid file, and would be taken for a running server by the next start.
wait_for_exit() {
  local pid=$1 deadline=$((SECONDS + 30)) killed=0
  [ -n "$pid" ] || return 0
  while kill -0 "$pid" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]; do
    if [ $SECONDS -ge $deadline ] && [ $killed = 0 ]; then
      log "pid $pid did not end within 30 s of its stop; killing it"; kill -KILL "$pid" 2>/dev/null || true; killed=1
    fi
    sleep 0.2
  done
}

# Refuses port $1 when a process other than $2 (the pid of the server started from $state_dir, empty when none runs)
# listens on it: a stale server of another directory, or anything else, is never taken for ours. $3 says which setting
# moves the port.
require_port_free_or_ours() {
  local port=$1 ours=$2 setting=$3 holder
  holder="$(listener_pid "$port")"
  if [ -z "$holder" ]; then
    # Nothing listens, or ss cannot tell who does: only the former may go on.
    if ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
      die "port $port is in use by a process this script cannot identify; stop it or set $setting to another port"
    fi
    return 0
  fi
  [ -n "$ours" ] && [ "$holder" = "$ours" ] && return 0
  die "port $port is held by pid $holder ($(ps -o user=,args= -p "$holder" 2>/dev/null | cut -c1-120)), not by a server started from $state_dir; stop that process, or set $setting (and ORDERPROCESSOR_SERVICES_DIR) to run beside it"
}

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

# The same settings for the three-node cluster and the replicated pair: every node and both hosts are listed, so the
# processor moves to the next node, and to whichever server is the primary, on its own.
print_ha_env() {
  cat <<EOF
export RabbitMq__Host=127.0.0.1
export RabbitMq__Port=$cluster_port
export RabbitMq__Nodes=127.0.0.1:$cluster_port,127.0.0.1:$((cluster_port + 1)),127.0.0.1:$((cluster_port + 2))
export RabbitMq__ManagementPort=$((cluster_port + 10000))
export RabbitMq__QueueType=quorum
export RabbitMq__Username=guest
export RabbitMq__Password=guest
export RabbitMq__VirtualHost=/
export ConnectionStrings__OrderProcessor="Host=127.0.0.1:$pg_primary_port,127.0.0.1:$pg_standby_port;Target Session Attributes=primary;Host Recheck Seconds=1;Username=$pg_user;Password=$pg_password;Database=orderprocessor"
EOF
}

# ---------------------------------------------------------------- native (Debian packages)

install_packages() {
  local missing=()
  command -v rabbitmq-server >/dev/null 2>&1 || [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
  [ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] || missing+=(postgresql)
  # What this script itself runs: curl (RabbitMQ's management API) and ss (who holds a port).
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v ss >/dev/null 2>&1 || missing+=(iproute2)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = "0" ] || die "need root to install ${missing[*]} (or install them yourself)"
  log "installing ${missing[*]} with apt (one-time, about 30 s)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # The packages try to start their services; the sandbox refuses that, which is harmless: we start them below.
  apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || apt-get install -y -qq "${missing[@]}" >/dev/null
  pg_bin="$(find_pg_bin)"
}

# RabbitMQ's environment file: the Erlang distribution listens on loopback only, for the server and for rabbitmqctl
# (epmd is bound there by ERL_EPMD_ADDRESS). $1 is the node's directory.
write_rabbit_env_file() {
  cat > "$1/rabbitmq-env.conf" <<'CONF'
SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
CONF
}

rabbit_env() {
  local base="$state_dir/rabbitmq"
  echo "HOME=$base RABBITMQ_NODENAME=$rabbit_node RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
RABBITMQ_NODE_PORT=$amqp_port RABBITMQ_DIST_PORT=$dist_port ERL_EPMD_ADDRESS=127.0.0.1 \
RABBITMQ_MNESIA_BASE=$base/mnesia RABBITMQ_LOG_BASE=$base/log RABBITMQ_CONFIG_FILE=$base/rabbitmq \
RABBITMQ_ENABLED_PLUGINS_FILE=$base/enabled_plugins RABBITMQ_PID_FILE=$base/rabbitmq.pid \
RABBITMQ_CONF_ENV_FILE=$base/rabbitmq-env.conf"
}

wait_for_rabbitmq() {
  local deadline=$((SECONDS + 90))
  until rabbitmq_answers; do
    [ $SECONDS -lt $deadline ] || { tail -n 30 "$state_dir/rabbitmq/log/stdout.log" >&2; die "RabbitMQ did not answer within 90 s"; }
    sleep 1
  done
}

start_rabbitmq_native() {
  local base="$state_dir/rabbitmq" pid
  pid="$(live_pid "$base/rabbitmq.pid" beam.smp)"
  require_port_free_or_ours "$amqp_port" "$pid" ORDERPROCESSOR_RABBITMQ_PORT
  require_port_free_or_ours "$management_port" "$pid" ORDERPROCESSOR_RABBITMQ_MANAGEMENT_PORT
  require_port_free_or_ours "$dist_port" "$pid" ORDERPROCESSOR_RABBITMQ_DIST_PORT
  if [ -n "$pid" ]; then
    wait_for_rabbitmq
    log "RabbitMQ already running on 127.0.0.1:$amqp_port (pid $pid, started from $state_dir; reused)"
    return 0
  fi
  mkdir -p "$base/mnesia" "$base/log"
  echo '[rabbitmq_management].' > "$base/enabled_plugins"
  write_rabbit_env_file "$base"
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
  wait_for_rabbitmq
  touch "$base/started-by-script"
}

start_postgres_native() {
  local data="$state_dir/postgres/data" sock="$state_dir/postgres/socket" pid
  pid="$(live_pid "$data/postmaster.pid" postgres)"
  if [ -n "$pid" ] && [ "$(sed -n 4p "$data/postmaster.pid")" != "$pg_port" ]; then
    die "the PostgreSQL of $state_dir runs on port $(sed -n 4p "$data/postmaster.pid"), not $pg_port; stop it first or set ORDERPROCESSOR_POSTGRES_PORT to its port"
  fi
  require_port_free_or_ours "$pg_port" "$pid" ORDERPROCESSOR_POSTGRES_PORT
  if [ -n "$pid" ]; then
    local deadline=$((SECONDS + 60))
    until postgres_answers; do
      [ $SECONDS -lt $deadline ] || die "the PostgreSQL of $state_dir (pid $pid) did not answer on 127.0.0.1:$pg_port within 60 s"
      sleep 1
    done
    log "PostgreSQL already running on 127.0.0.1:$pg_port (pid $pid, started from $state_dir; reused)"; return 0
  fi
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
    local rabbit_pid
    rabbit_pid="$(live_pid "$base/rabbitmq.pid" beam.smp)"
    # shellcheck disable=SC2046
    runuser -u rabbitmq -- env $(rabbit_env) /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "$rabbit_node" stop >/dev/null 2>&1 || true
    wait_for_exit "$rabbit_pid"
    rm -f "$base/started-by-script"
  fi
  if [ "$only" != rabbitmq ] && [ -f "$state_dir/postgres/started-by-script" ]; then
    log "stopping PostgreSQL"
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$state_dir/postgres/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -f "$state_dir/postgres/started-by-script"
  fi
}

# ---------------------------------------------------------------- native RabbitMQ cluster (three nodes on loopback)

node_port() { echo $((cluster_port + $1 - 1)); }
node_name() { echo "${cluster_name}-$1@localhost"; }
node_dir() { echo "$state_dir/rabbitmq-cluster/node-$1"; }

node_env() {
  local base port
  base="$(node_dir "$1")"; port="$(node_port "$1")"
  echo "HOME=$base RABBITMQ_NODENAME=$(node_name "$1") RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
RABBITMQ_NODE_PORT=$port RABBITMQ_DIST_PORT=$((port + 20000)) ERL_EPMD_ADDRESS=127.0.0.1 \
RABBITMQ_MNESIA_BASE=$base/mnesia RABBITMQ_LOG_BASE=$base/log RABBITMQ_CONFIG_FILE=$base/rabbitmq \
RABBITMQ_ENABLED_PLUGINS_FILE=$base/enabled_plugins RABBITMQ_PID_FILE=$base/rabbitmq.pid \
RABBITMQ_CONF_ENV_FILE=$base/rabbitmq-env.conf"
}

node_ctl() {
  local n=$1; shift
  # shellcheck disable=SC2046
  runuser -u rabbitmq -- env $(node_env "$n") /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "$(node_name "$n")" "$@"
}

node_answers() {
  curl -fsS -m 3 -u guest:guest "http://127.0.0.1:$(($(node_port "$1") + 10000))/api/overview" >/dev/null 2>&1
}

check_node_number() {
  [[ "${1:-}" =~ ^[123]$ ]] || die "name the node: 1, 2 or 3"
}

# Launches node N (not waiting for it). Every node shares one Erlang cookie, which is what lets them form a cluster.
launch_cluster_node() {
  local n=$1 base port
  base="$(node_dir "$n")"; port="$(node_port "$n")"
  local pid
  pid="$(live_pid "$base/rabbitmq.pid" beam.smp)"
  require_port_free_or_ours "$port" "$pid" ORDERPROCESSOR_RABBITMQ_CLUSTER_PORT
  require_port_free_or_ours "$((port + 10000))" "$pid" ORDERPROCESSOR_RABBITMQ_CLUSTER_PORT
  require_port_free_or_ours "$((port + 20000))" "$pid" ORDERPROCESSOR_RABBITMQ_CLUSTER_PORT
  if [ -n "$pid" ]; then log "RabbitMQ node $n already running on 127.0.0.1:$port (pid $pid; reused)"; return 0; fi
  mkdir -p "$base/mnesia" "$base/log"
  echo '[rabbitmq_management].' > "$base/enabled_plugins"
  write_rabbit_env_file "$base"
  cat > "$base/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$port
management.tcp.port = $((port + 10000))
management.tcp.ip = 127.0.0.1
log.console = false
log.file.level = warning
CONF
  local cookie="$state_dir/rabbitmq-cluster/cookie"
  [ -s "$cookie" ] || head -c 64 /dev/urandom | base64 | tr -dc 'A-Z' | head -c 24 > "$cookie"
  rm -f "$base/.erlang.cookie"; cp "$cookie" "$base/.erlang.cookie"; chmod 400 "$base/.erlang.cookie"
  chown -R rabbitmq:rabbitmq "$base"
  log "starting RabbitMQ node $n ($(node_name "$n")) on 127.0.0.1:$port, management on :$((port + 10000))"
  # shellcheck disable=SC2046
  runuser -u rabbitmq -- env $(node_env "$n") nohup /usr/lib/rabbitmq/bin/rabbitmq-server \
    >> "$base/log/stdout.log" 2>&1 &
}

wait_for_cluster_node() {
  local n=$1 deadline=$((SECONDS + 120))
  until node_answers "$n"; do
    [ $SECONDS -lt $deadline ] || { tail -n 30 "$(node_dir "$n")/log/stdout.log" >&2; die "RabbitMQ node $n did not answer within 120 s"; }
    sleep 1
  done
}

# All three start together: a node that was a cluster member waits at boot for the member that stopped last.
start_rabbitmq_cluster_native() {
  mkdir -p "$state_dir/rabbitmq-cluster"
  local n
  for n in 1 2 3; do launch_cluster_node "$n"; done
  for n in 1 2 3; do wait_for_cluster_node "$n"; done
  for n in 2 3; do
    if ! node_ctl 1 cluster_status --formatter json | grep -q "\"$(node_name "$n")\""; then
      log "joining node $n to node 1's cluster"
      node_ctl "$n" stop_app >/dev/null
      node_ctl "$n" join_cluster "$(node_name 1)" >/dev/null
      node_ctl "$n" start_app >/dev/null
      wait_for_cluster_node "$n"
    fi
  done
  touch "$state_dir/rabbitmq-cluster/started-by-script"
}

start_rabbitmq_node_native() {
  check_node_number "$1"
  [ -f "$state_dir/rabbitmq-cluster/started-by-script" ] || die "no cluster here: scripts/services.sh start rabbitmq-cluster"
  launch_cluster_node "$1"
  wait_for_cluster_node "$1"
}

kill_rabbitmq_node_native() {
  check_node_number "$1"
  local pidfile pid
  pidfile="$(node_dir "$1")/rabbitmq.pid"
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then log "RabbitMQ node $1 is not running"; return 0; fi
  log "killing RabbitMQ node $1 (pid $pid) with SIGKILL"
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$pidfile"
}

stop_rabbitmq_cluster_native() {
  [ -f "$state_dir/rabbitmq-cluster/started-by-script" ] || return 0
  log "stopping the RabbitMQ cluster"
  local n
  local pid
  for n in 3 2 1; do
    pid="$(live_pid "$(node_dir "$n")/rabbitmq.pid" beam.smp)"
    if node_answers "$n"; then node_ctl "$n" stop >/dev/null 2>&1 || kill_rabbitmq_node_native "$n"; fi
    wait_for_exit "$pid"
  done
  rm -f "$state_dir/rabbitmq-cluster/started-by-script"
}

# ---------------------------------------------------------------- native PostgreSQL primary + synchronous standby

pg_pair_dir="$state_dir/postgres-replicated"

pg_answers_on() { "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$1" >/dev/null 2>&1; }

# Starts the server in $1 (named $2) on port $3 with further `-c` settings.
pg_start_server() {
  local data=$1 name=$2 port=$3; shift 3
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$data" -l "$pg_pair_dir/$name.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $pg_pair_dir/socket -c max_connections=400 -c shared_buffers=128MB -c cluster_name=$name $*" \
    start >/dev/null || { tail -n 30 "$pg_pair_dir/$name.log" >&2; die "PostgreSQL $name did not start"; }
}

# The primary waits, at every commit, until the standby has the commit on disk (synchronous_commit = on, the standby
# named in synchronous_standby_names): a commit the processor saw survives the primary's death.
start_postgres_replicated_native() {
  local primary="$pg_pair_dir/primary" standby="$pg_pair_dir/standby"
  # After a failover the standby is a primary of its own: starting the old primary again would make two.
  if [ -f "$standby/PG_VERSION" ] && [ ! -f "$standby/standby.signal" ]; then
    die "the pair in $pg_pair_dir was failed over (the standby was promoted); stop it and remove that directory to start a new pair"
  fi
  mkdir -p "$pg_pair_dir/socket"
  chown -R postgres:postgres "$pg_pair_dir"
  if [ ! -f "$primary/PG_VERSION" ]; then
    local pwfile="$pg_pair_dir/pwfile"
    echo "$pg_password" > "$pwfile"; chown postgres "$pwfile"
    runuser -u postgres -- "$pg_bin/initdb" -D "$primary" -U "$pg_user" --pwfile="$pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
  fi
  require_port_free_or_ours "$pg_primary_port" "$(live_pid "$primary/postmaster.pid" postgres)" ORDERPROCESSOR_POSTGRES_PRIMARY_PORT
  require_port_free_or_ours "$pg_standby_port" "$(live_pid "$standby/postmaster.pid" postgres)" ORDERPROCESSOR_POSTGRES_STANDBY_PORT
  if pg_answers_on "$pg_primary_port"; then
    log "PostgreSQL primary already running on 127.0.0.1:$pg_primary_port (reused)"
  else
    log "starting the PostgreSQL primary on 127.0.0.1:$pg_primary_port"
    pg_start_server "$primary" primary "$pg_primary_port" -c wal_level=replica -c max_wal_senders=5 -c synchronous_commit=on
  fi
  if ! "$pg_bin/psql" -h "$pg_pair_dir/socket" -p "$pg_primary_port" -U "$pg_user" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'orderprocessor'" | grep -q 1; then
    "$pg_bin/createdb" -h "$pg_pair_dir/socket" -p "$pg_primary_port" -U "$pg_user" orderprocessor
  fi
  if [ ! -f "$standby/PG_VERSION" ]; then
    log "copying the primary to the standby (pg_basebackup)"
    runuser -u postgres -- env PGPASSWORD="$pg_password" "$pg_bin/pg_basebackup" -h 127.0.0.1 -p "$pg_primary_port" \
      -U "$pg_user" -D "$standby" -R -X stream -c fast >/dev/null
    # Copied from a primary that already waits for a standby: the standby, once promoted, must not wait for one.
    runuser -u postgres -- sed -i '/^synchronous_standby_names/d' "$standby/postgresql.auto.conf"
  fi
  if pg_answers_on "$pg_standby_port"; then
    log "PostgreSQL standby already running on 127.0.0.1:$pg_standby_port (reused)"
  else
    log "starting the PostgreSQL standby on 127.0.0.1:$pg_standby_port (streaming from :$pg_primary_port, synchronous)"
    pg_start_server "$standby" standby "$pg_standby_port" -c hot_standby=on
  fi
  # Synchronous only once the standby exists (a commit before that would wait for it forever); set with ALTER SYSTEM so
  # the standby, copied before, does not inherit it and, once promoted, does not wait for a standby of its own.
  "$pg_bin/psql" -h "$pg_pair_dir/socket" -p "$pg_primary_port" -U "$pg_user" -d postgres -qtAc \
    "ALTER SYSTEM SET synchronous_standby_names = 'standby'" -c "SELECT pg_reload_conf()" >/dev/null
  local deadline=$((SECONDS + 60)) state=""
  until [ "$state" = sync ]; do
    [ $SECONDS -lt $deadline ] || die "the standby did not become synchronous within 60 s (see $pg_pair_dir/standby.log)"
    sleep 0.5
    state="$("$pg_bin/psql" -h "$pg_pair_dir/socket" -p "$pg_primary_port" -U "$pg_user" -d postgres -tAc \
      "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby'" 2>/dev/null || true)"
  done
  touch "$pg_pair_dir/started-by-script"
}

# Like a machine that dies: the postmaster is frozen first so it cannot restart its backends, then everything goes.
kill_postgres_primary_native() {
  local pid
  pid="$(head -n 1 "$pg_pair_dir/primary/postmaster.pid" 2>/dev/null || true)"
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then log "the PostgreSQL primary is not running"; return 0; fi
  log "killing the PostgreSQL primary (postmaster $pid and its backends) with SIGKILL"
  kill -STOP "$pid"
  pkill -KILL -P "$pid" || true
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}

promote_postgres_standby_native() {
  pg_answers_on "$pg_standby_port" || die "the PostgreSQL standby is not running on 127.0.0.1:$pg_standby_port"
  log "promoting the PostgreSQL standby on 127.0.0.1:$pg_standby_port to primary"
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_pair_dir/standby" -w -t 60 promote >/dev/null
}

stop_postgres_replicated_native() {
  [ -f "$pg_pair_dir/started-by-script" ] || return 0
  log "stopping the PostgreSQL primary and standby"
  local data
  for data in "$pg_pair_dir/primary" "$pg_pair_dir/standby"; do
    if [ -f "$data/postmaster.pid" ]; then
      runuser -u postgres -- "$pg_bin/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 \
        || runuser -u postgres -- "$pg_bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
  done
  rm -f "$pg_pair_dir/started-by-script"
}

# ---------------------------------------------------------------- docker

# The compose file also describes the simulator and the processor, which need a partner apiKey; compose checks every
# variable of the file, so give it a throwaway one when only RabbitMQ and PostgreSQL are wanted.
compose() {
  (cd "$repo_root" && ORDERPROCESSOR_PARTNER_API_KEY="${ORDERPROCESSOR_PARTNER_API_KEY:-$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)}" \
    compose_command "$@")
}

# Docker's compose plugin, else Debian's docker-compose (v1); both read docker-compose.yml and .env the same way.
compose_command() {
  if docker compose version >/dev/null 2>&1; then docker compose "$@"; else docker-compose "$@"; fi
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


# The cluster of the compose profile `ha`: fixed host ports 5681-5683 (management 15681-15683), as natively.
start_rabbitmq_cluster_docker() {
  [ "$cluster_port" = 5681 ] || die "with Docker the cluster's ports are fixed (5681-5683); unset ORDERPROCESSOR_RABBITMQ_CLUSTER_PORT"
  log "Docker answers: starting rabbitmq-1, rabbitmq-2 and rabbitmq-3 (profile ha) from docker-compose.yml"
  compose --profile ha up -d rabbitmq-1 rabbitmq-2 rabbitmq-3 >/dev/null
  local n
  for n in 1 2 3; do wait_for_cluster_node "$n"; done
  mkdir -p "$state_dir"; touch "$state_dir/rabbitmq-cluster-by-compose"
}

# ---------------------------------------------------------------- commands

case "${1:-}" in
  start)
    mkdir -p "$state_dir"
    case "$only" in
      rabbitmq-cluster)
        if [ "$(mode)" = docker ]; then start_rabbitmq_cluster_docker; else install_packages; start_rabbitmq_cluster_native; fi
        log "RabbitMQ cluster: amqp 127.0.0.1:$(node_port 1), :$(node_port 2), :$(node_port 3) (management http://127.0.0.1:$(($(node_port 1) + 10000))/)"
        log "connection settings: eval \"\$(scripts/services.sh env --ha)\""
        exit 0 ;;
      rabbitmq-node)
        check_node_number "${3:-}"
        if [ -f "$state_dir/rabbitmq-cluster-by-compose" ]; then compose --profile ha start "rabbitmq-$3" >/dev/null; wait_for_cluster_node "$3"
        else start_rabbitmq_node_native "$3"; fi
        exit 0 ;;
      postgres-replicated)
        # Always Debian's servers: the standby is a copy of the primary's data directory, made here.
        install_packages; start_postgres_replicated_native
        log "PostgreSQL primary 127.0.0.1:$pg_primary_port, synchronous standby 127.0.0.1:$pg_standby_port (data in $pg_pair_dir)"
        log "connection settings: eval \"\$(scripts/services.sh env --ha)\""
        exit 0 ;;
    esac
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
    case "$only" in
      rabbitmq-cluster)
        if [ -f "$state_dir/rabbitmq-cluster-by-compose" ]; then
          log "stopping the cluster's containers"; compose --profile ha stop rabbitmq-1 rabbitmq-2 rabbitmq-3 >/dev/null || true
          rm -f "$state_dir/rabbitmq-cluster-by-compose"
        fi
        stop_rabbitmq_cluster_native; exit 0 ;;
      postgres-replicated) stop_postgres_replicated_native; exit 0 ;;
    esac
    stop_docker
    stop_native
    if [ -z "$only" ]; then
      if [ -f "$state_dir/rabbitmq-cluster-by-compose" ]; then
        compose --profile ha stop rabbitmq-1 rabbitmq-2 rabbitmq-3 >/dev/null || true
        rm -f "$state_dir/rabbitmq-cluster-by-compose"
      fi
      stop_rabbitmq_cluster_native
      stop_postgres_replicated_native
    fi
    ;;
  kill)
    case "${2:-}" in
      rabbitmq-node)
        check_node_number "${3:-}"
        if [ -f "$state_dir/rabbitmq-cluster-by-compose" ]; then log "killing rabbitmq-$3 (SIGKILL)"; compose --profile ha kill -s SIGKILL "rabbitmq-$3" >/dev/null
        else kill_rabbitmq_node_native "$3"; fi ;;
      postgres-primary) kill_postgres_primary_native ;;
      *) die "kill what? rabbitmq-node N or postgres-primary" ;;
    esac
    ;;
  promote)
    [ "${2:-}" = postgres-standby ] || die "promote what? postgres-standby"
    promote_postgres_standby_native
    ;;
  status)
    if rabbitmq_answers; then echo "rabbitmq: running on 127.0.0.1:$amqp_port"; else echo "rabbitmq: not running"; fi
    if postgres_answers; then echo "postgres: running on 127.0.0.1:$pg_port"; else echo "postgres: not running"; fi
    for n in 1 2 3; do
      if node_answers "$n"; then echo "rabbitmq-cluster node $n: running on 127.0.0.1:$(node_port "$n")"; fi
    done
    if [ -x "$pg_bin/pg_isready" ]; then
      if pg_answers_on "$pg_primary_port"; then echo "postgres-replicated primary: running on 127.0.0.1:$pg_primary_port"; fi
      if pg_answers_on "$pg_standby_port"; then echo "postgres-replicated standby: running on 127.0.0.1:$pg_standby_port"; fi
    fi
    ;;
  env)
    if [ "${2:-}" = --ha ]; then print_ha_env; else print_env; fi
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
