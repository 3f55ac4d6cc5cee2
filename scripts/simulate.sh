#!/usr/bin/env bash
# Deterministic simulation of the order lifecycle (tests/OrderProcessor.LifecycleSimulation): the real decision code
# against an in-memory store and an adversarial IBKR model, through seeded random schedules, with the invariants
# checked after each. Needs no server.
#   scripts/simulate.sh --seeds 2000            # seeds 1..2000; ends with "simulated N schedules, V invariant violations"
#   scripts/simulate.sh --seeds 100000          # the soak (about 6 minutes on one core)
#   scripts/simulate.sh --seeds 500 --first 7001
#   scripts/simulate.sh --seed 42 [--verbose]   # one schedule; if it violates, shrink it and print its trace
# Exits 0 when no invariant was violated, 1 otherwise, 2 on bad arguments.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
project=tests/OrderProcessor.LifecycleSimulation
dll="$project/bin/Release/net10.0/lifecycle-simulation.dll"
if [ "${SIMULATE_NO_BUILD:-0}" != 1 ]; then
  dotnet build "$project" -c Release -nologo -clp:ErrorsOnly -v:q >/dev/null
fi
exec dotnet "$dll" "$@"
