#!/usr/bin/env bash
# An order-confirmation call from a Google Sheet: brings up the full local stack (every service its own process on
# local Postgres, Redis and NATS) with the Google Sheets API emulator as the New York location's sheet, adds a demo
# row ("2x large pepperoni pizza, 1x 6 piece garlic knots"), triggers its call with POST /orders/call {"row_id"} and lets the
# Twilio simulator play a customer who changes the order ("make it 3 pepperoni pizzas instead") and confirms; prints
# the row before and after and the order in Postgres. Piped, standard input's lines are what the customer says.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh
./scripts/infra.sh
exec pnpm -s --filter @orderline/e2e demo-confirm "$@"
