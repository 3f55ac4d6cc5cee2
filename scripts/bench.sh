#!/usr/bin/env bash
# The benchmark: brings up the same stack as the demo and runs `orders bench`: PlaceOrder through the whole system to
# OrderSubmitted and OrderFilled, and in the same run, on the same broker, the bare MassTransit round trip as the
# reference; both warmed up first. Then steady-state live-order reads per user with the websocket healthy, and fills
# while every socket is dropped every 20 s (compared with the simulator's ledger; exit code 1 on any miss). Writes artifacts/bench/bench-*.json and .md. Extra arguments go to `orders bench`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
STACK_LOGS=artifacts/bench
STACK_DATABASE=orderprocessor_bench
# IBKR paces each user at 10 requests/s (the simulator too); the bench spreads orders over many users, and lifts the
# guard's per-egress-IP budget, which protects a real IP from IBKR's penalty box but is not what is measured here.
# The simulator's per-IP limit and penalty box are lifted with it.
# The pre-trade rate limits (10 orders/s per account by default) are lifted too: the burst sends 20 orders per account at
# once. The controls still run on every order (their cost is measured), they just refuse nothing.
PROCESSOR_ENV=(Brokerage__Pacing__PerEgressIpPerSecond=5000 Logging__LogLevel__Default=Warning
  Risk__MaxOrdersPerSecondPerAccount=100000 Risk__MaxOrdersPerMinutePerAccount=1000000
  Risk__MaxOrdersPerSecondPerUser=100000 Risk__MaxOrdersPerMinutePerUser=1000000)
# The simulator fills market orders the moment it accepts them (the latency target is the processor's path, not the
# simulator's engine tick); fills above its single-slice quantity still come in later slices (partial fills).
SIMULATOR_ENV=(Simulator__PerIpRequestsPerSecond=0 Simulator__PenaltyBoxAfter429s=0 Simulator__FillMarketOrdersOnAccept=true)
# shellcheck source=scripts/lib/stack.sh
source scripts/lib/stack.sh
stack_up
orders_cli bench --simulator "$simulator_url/" --processor-pid "$processor_pid" "$@"
