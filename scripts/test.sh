#!/usr/bin/env bash
# Runs every check and test on this machine, doing all set-up first: Node 24 + pnpm + dependencies
# (scripts/bootstrap.sh), Postgres/Redis/NATS (scripts/infra.sh), then lint, typecheck and the test suites.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh
./scripts/infra.sh
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
echo "== lint" && pnpm -s lint
echo "== typecheck" && pnpm -s exec turbo run typecheck --output-logs=errors-only
echo "== test" && pnpm -s exec turbo run test --concurrency=1 --output-logs=full "$@"
