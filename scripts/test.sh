#!/usr/bin/env bash
# Runs every check and test on this machine, doing all set-up first: Node 24 + pnpm + dependencies
# (scripts/bootstrap.sh), Postgres/Redis/NATS (scripts/infra.sh), then lint, typecheck and the test suites
# of every workspace package (through turbo). Extra arguments go to `turbo run test` (e.g. --filter).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh
./scripts/infra.sh
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
echo "== lint" && pnpm -s exec turbo run lint //#lint:root --output-logs=errors-only
echo "== typecheck" && pnpm -s exec turbo run typecheck --output-logs=errors-only
echo "== test"
log="$(mktemp)"; trap 'rm -f "$log"' EXIT
status=0
pnpm -s exec turbo run test --concurrency=1 --continue --output-logs=full "$@" 2>&1 | tee "$log" || status=$?
# One closing line for the whole run: the sum of every package's node:test summary.
passed=$(sed -n 's/.*ℹ pass \([0-9]*\)$/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
failed=$(sed -n 's/.*ℹ fail \([0-9]*\)$/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
skipped=$(sed -n 's/.*ℹ skipped \([0-9]*\)$/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
echo
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
