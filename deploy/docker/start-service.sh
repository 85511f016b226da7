#!/bin/sh
# The image's entry point: starts $SERVICE the way `pnpm start` does — its package.json start script, with the
# V8 and compile-cache settings it carries (the gateway's: V8 heap sizing in NODE_OPTIONS, NODE_COMPILE_CACHE)
# — exec'd all the way down, so node is PID 1 and gets SIGTERM directly.
#   start-service.sh          start the service
#   start-service.sh --warm   build time: load the service's modules once so the compile cache holds them (the
#                             service exits at its configuration check, before it connects to anything)
set -eu
cd "$(dirname "$0")/../../services/${SERVICE}"
start="$(node -p 'require("./package.json").scripts.start')"
if [ "${1:-}" = "--warm" ]; then
  case "$start" in *NODE_COMPILE_CACHE*) ;; *) exit 0 ;; esac
  env -i PATH="$PATH" HOME=/tmp sh -c "$start" >/dev/null 2>&1 || true
  exit 0
fi
exec sh -c "exec $start"
