#!/usr/bin/env bash
# Runs the whole test suite (unit, simulator, guard and integration tests) against a real RabbitMQ and PostgreSQL.
# Starts them with scripts/services.sh when they are not running, and stops them afterwards only if it started them.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Skeleton").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

started_here=0
status="$(scripts/services.sh status)"
if [[ "$status" != *"rabbitmq: running"* || "$status" != *"postgres: running"* ]]; then
  started_here=1
fi
scripts/services.sh start
if [ "$started_here" = 1 ]; then
  trap 'scripts/services.sh stop' EXIT
fi
eval "$(scripts/services.sh env)"

# Tools some tests run when they are there, installed once when apt can (without them those checks only say so):
# Debian's docker-compose (v1) checks docker-compose.yml (`docker-compose config -q`, no engine needed); jq runs the
# auditors' by-hand verification lines of docs/audit.md.
wanted=()
command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || wanted+=(docker-compose)
command -v jq >/dev/null 2>&1 || wanted+=(jq)
if [ ${#wanted[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[test] installing ${wanted[*]} with apt (one-time)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "${wanted[@]}" >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "${wanted[@]}" >/dev/null 2>&1; } \
    || echo "[test] ${wanted[*]} could not be installed; the checks that use them are left out"
fi

results="artifacts/test-results"
rm -rf "$results"
echo "[test] building (warnings are errors)"
dotnet build OrderProcessor.sln -c Release -nologo -clp:ErrorsOnly
echo "[test] packing the contracts for integrators"
dotnet pack src/OrderProcessor.Contracts -c Release --no-build -nologo -o artifacts/packages >/dev/null
ls artifacts/packages/OrderProcessor.Contracts.*.nupkg >/dev/null
echo "[test] running the test suite"
status=0
# One test project at a time (-m:1): the guard's pacing tests measure rates in wall-clock time and must not share the
# two cores with the integration tests' bursts and server restarts (they then saw requests bunched on arrival).
dotnet test OrderProcessor.sln -c Release --no-build --nologo -m:1 \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@" || status=$?

# The lifecycle simulation: 2,000 seeded schedules with every invariant checked (about 20 s here; no server needed).
echo "[test] simulating the order lifecycle"
sim_status=0
SIMULATE_NO_BUILD=1 scripts/simulate.sh --seeds "${SIMULATE_SEEDS:-2000}" | tee "$results/simulation.txt" | tail -n 12 || sim_status=$?

# One closing line over every test project: "N passed, N failed, N skipped".
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed)))
  total=$(get total); executed=$(get executed)
  skipped=$((skipped + total - executed))
done
if [ "$sim_status" -ne 0 ]; then
  echo "the lifecycle simulation found invariant violations (see $results/simulation.txt; replay a seed with scripts/simulate.sh --seed S)"
fi
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ] || [ "$sim_status" -ne 0 ]; then
  exit 1
fi
