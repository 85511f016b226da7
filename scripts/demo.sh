#!/usr/bin/env bash
# The main job: brings up the full local stack (menu-service, order-service, the telephony gateway and the
# worker as their own processes on local Postgres, Redis and NATS) and places one simulated phone call through
# it — the Twilio simulator as the phone network, the OpenAI Realtime emulator as the model — then prints the
# tool calls, the order that landed in Postgres and the call's record (voice_calls row with the redacted
# transcript and cost, and its events). No cloud keys needed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh
./scripts/infra.sh
exec pnpm -s --filter @orderline/e2e demo "$@"
