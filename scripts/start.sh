#!/usr/bin/env bash
# OrderLine on this machine for real calls (docs/OPERATIONS.md): reads .env (every missing or wrong variable
# listed, exit 78), starts local Postgres/Redis/NATS when they are missing (scripts/infra.sh), creates and
# migrates the database, loads the demo chain (--demo) or a chain file (--chain deploy/chain.example.yaml),
# starts every service as its own process (restarted on a crash), prints the Twilio console URLs, and stops
# everything in order on Ctrl-C / SIGTERM (the gateway first, so live calls drain). --env-file picks another .env.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh
# The dashboard's web page (Vite build into services/dashboard/web/dist, which the dashboard serves).
pnpm -s --filter @orderline/dashboard build
# exec: signals from systemd / Ctrl-C go straight to the launcher, which stops the services in order.
exec node packages/onebox/src/main.ts "$@"
