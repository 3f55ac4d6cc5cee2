#!/usr/bin/env bash
# The main job: brings up RabbitMQ and PostgreSQL, starts the IBKR simulator and the processor, and drives a realistic
# mix of orders through them end to end (`orders demo`), ending with a summary checked against PostgreSQL.
# Extra arguments go to `orders demo` (e.g. --orders 120). Logs are in artifacts/demo/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
processor_url="${ORDERPROCESSOR_URL:-http://127.0.0.1:5180}"
simulator_url="${ORDERPROCESSOR_SIMULATOR_URL:-http://127.0.0.1:5280}"
logs="artifacts/demo"
mkdir -p "$logs"

started_here=0
status="$(scripts/services.sh status)"
if [[ "$status" != *"rabbitmq: running"* || "$status" != *"postgres: running"* ]]; then
  started_here=1
fi
scripts/services.sh start
eval "$(scripts/services.sh env)"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$started_here" = 1 ]; then scripts/services.sh stop; fi
}
trap cleanup EXIT

echo "[demo] building"
dotnet build OrderProcessor.sln -c Release -nologo -clp:ErrorsOnly
bin() { echo "$1/bin/Release/net10.0"; }

wait_for() { # name url
  local deadline=$((SECONDS + 60))
  until curl -fsS -m 2 "$2" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { echo "[demo] $1 did not answer at $2; its log:" >&2; tail -n 40 "$logs/$1.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "[demo] $1 is up at $2"
}

# A partner apiKey made up for this run, shared by the simulator (PiTrade) and the processor; never written to disk.
partner_client_id="orderprocessor-demo"
partner_api_key="$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)"

echo "[demo] starting the IBKR simulator"
(cd "$(bin src/OrderProcessor.Simulator)" && Simulator__PartnerClientId="$partner_client_id" Simulator__PartnerApiKey="$partner_api_key" \
  exec dotnet OrderProcessor.Simulator.dll --urls "$simulator_url") > "$logs/simulator.log" 2>&1 &
pids+=($!)
echo "[demo] starting the processor (migrating the database at start)"
(cd "$(bin src/OrderProcessor.Host)" && Brokerage__PiTrade__BaseUrl="$simulator_url/" Brokerage__PiTrade__ClientId="$partner_client_id" \
  Brokerage__PiTrade__ApiKey="$partner_api_key" Brokerage__Ibkr__BaseUrl="$simulator_url/v1/api/" \
  exec dotnet OrderProcessor.Host.dll --urls "$processor_url" --Database:MigrateOnStart=true) > "$logs/processor.log" 2>&1 &
pids+=($!)
wait_for simulator "$simulator_url/__sim/stats"
wait_for processor "$processor_url/health/live"

dotnet "$(bin src/OrderProcessor.Cli)/orders.dll" demo --simulator "$simulator_url/" "$@"
