#!/usr/bin/env bash
# The speech-to-speech path: brings up the full local stack (menu-service, order-service and the telephony
# gateway as their own processes on local Postgres, Redis and NATS) and places one simulated phone call
# through it — the Twilio simulator as the phone network (Media Streams), the OpenAI Realtime emulator as the
# model — then prints the conversation, the tool calls and the order that landed in Postgres. No cloud keys.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh
./scripts/infra.sh
exec pnpm -s --filter @orderline/e2e demo "$@"
