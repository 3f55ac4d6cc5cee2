# Shared by demo.sh and bench.sh (sourced, not run): brings up RabbitMQ and PostgreSQL, builds the solution, and starts
# the IBKR simulator and the processor in the background; stack_down (on exit) stops what was started.
# Set PROCESSOR_ENV (an array of NAME=value) before stack_up to give the processor extra settings, and STACK_DATABASE
# to run on a new, empty database of that name instead of the shared one.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
processor_url="${ORDERPROCESSOR_URL:-http://127.0.0.1:5180}"
simulator_url="${ORDERPROCESSOR_SIMULATOR_URL:-http://127.0.0.1:5280}"
stack_logs="${STACK_LOGS:-artifacts/stack}"
stack_pids=()
stack_started_services=0
processor_pid=""

stack_bin() { echo "$1/bin/Release/net10.0"; }

stack_down() {
  for pid in "${stack_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${stack_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$stack_started_services" = 1 ]; then scripts/services.sh stop; fi
}

stack_wait_for() { # name url
  local deadline=$((SECONDS + 60))
  until curl -fsS -m 2 "$2" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { echo "[stack] $1 did not answer at $2; its log:" >&2; tail -n 40 "$stack_logs/$1.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "[stack] $1 is up at $2"
}

stack_up() {
  mkdir -p "$stack_logs"
  local status
  status="$(scripts/services.sh status)"
  if [[ "$status" != *"rabbitmq: running"* || "$status" != *"postgres: running"* ]]; then
    stack_started_services=1
  fi
  trap stack_down EXIT
  scripts/services.sh start
  eval "$(scripts/services.sh env)"
  if [ -n "${STACK_DATABASE:-}" ]; then
    # A database of the run's own: what earlier runs left (orders never followed to their end) must not load this one.
    scripts/services.sh recreate-db "$STACK_DATABASE"
    export ConnectionStrings__OrderProcessor="${ConnectionStrings__OrderProcessor/Database=orderprocessor/Database=$STACK_DATABASE}"
  fi

  echo "[stack] building"
  dotnet build OrderProcessor.sln -c Release -nologo -clp:ErrorsOnly

  # A partner apiKey made up for this run, shared by the simulator (PiTrade) and the processor; never written to disk.
  local client_id="orderprocessor-local" api_key
  api_key="$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)"

  # The processor runs as in production (upstream authorization enforced): the CLI publishes as the RabbitMQ user it
  # connects with, so that user is granted every user and account here. `orders upstreams` shows and edits the mapping.
  orders_cli db migrate >/dev/null
  orders_cli upstreams grant "${RabbitMq__Username:-guest}" --user '*' --account '*'

  echo "[stack] starting the IBKR simulator (logs in $stack_logs)"
  # SIMULATOR_ENV (an array of NAME=value, optional) gives the simulator extra settings.
  (cd "$(stack_bin src/OrderProcessor.Simulator)" && exec env Simulator__PartnerClientId="$client_id" Simulator__PartnerApiKey="$api_key" \
    ${SIMULATOR_ENV[@]+"${SIMULATOR_ENV[@]}"} dotnet OrderProcessor.Simulator.dll --urls "$simulator_url") > "$stack_logs/simulator.log" 2>&1 &
  stack_pids+=($!)
  echo "[stack] starting the processor (migrating the database at start)"
  # The simulator keeps no nightly IBKR schedule (it goes into maintenance when told): the wall-clock windows are off here.
  (cd "$(stack_bin src/OrderProcessor.Host)" && env Brokerage__PiTrade__BaseUrl="$simulator_url/" Brokerage__PiTrade__ClientId="$client_id" \
    Brokerage__PiTrade__ApiKey="$api_key" Brokerage__Ibkr__BaseUrl="$simulator_url/v1/api/" Brokerage__AllowInsecureHttp=true \
    Brokerage__Maintenance__Enabled=false "${PROCESSOR_ENV[@]}" \
    dotnet OrderProcessor.Host.dll --urls "$processor_url" --Database:MigrateOnStart=true) > "$stack_logs/processor.log" 2>&1 &
  processor_pid=$!
  stack_pids+=("$processor_pid")
  stack_wait_for simulator "$simulator_url/__sim/stats"
  stack_wait_for processor "$processor_url/health/live"
}

orders_cli() { dotnet "$(stack_bin src/OrderProcessor.Cli)/orders.dll" "$@"; }
