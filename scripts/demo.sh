#!/usr/bin/env bash
# The main job: brings up RabbitMQ and PostgreSQL, starts the IBKR simulator and the processor, and drives a realistic
# mix of orders through them end to end (`orders demo`), ending with a summary checked against PostgreSQL and the
# simulator's ledger. Extra arguments go to `orders demo` (e.g. --orders 120). Logs are in artifacts/demo/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
STACK_LOGS=artifacts/demo
PROCESSOR_ENV=()
# shellcheck source=scripts/lib/stack.sh
source scripts/lib/stack.sh
stack_up
orders_cli demo --simulator "$simulator_url/" "$@"
