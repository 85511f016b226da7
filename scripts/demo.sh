#!/usr/bin/env bash
# The main job: brings up the full local stack (menu-service, order-service, the telephony gateway, the worker and the
# dashboard as their own processes on local Postgres, Redis and NATS) with no OpenAI key — every call is <Gather> speech
# turns answered by the local agent — and opens a phone in this terminal on the New York location
# (@orderline/phone): type what you would say. Piped or in CI it plays a scripted call (standard input's
# lines, else the standard order) and ends with the submitted order printed; exit code 1 if none was.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh
./scripts/infra.sh
# The dashboard's web page (Vite build into services/dashboard/web/dist, which the dashboard serves).
pnpm -s --filter @orderline/dashboard build
exec pnpm -s --filter @orderline/phone demo "$@"
