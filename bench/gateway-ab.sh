#!/usr/bin/env bash
# Before/after of the Media Streams figures: this checkout's bench/gateway-load.ts against two commits (A and B,
# each checked out into a scratch worktree under /tmp with the same bench files), alternating A B A B so that a
# noisy machine hurts both sides alike. Before each run it waits until the 1-minute load average is below
# BENCH_MAX_LOAD (1.5), polling every 30 s, at most BENCH_LOAD_WAIT_S (900) s, then measures anyway and says so.
#
#   bench/gateway-ab.sh main 8d13fa0 100 250      (refs A and B, then gateway-load sizes; default sizes 100 250)
#   BENCH_ROUNDS=2 BENCH_MAX_LOAD=1.5 BENCH_LOAD_WAIT_S=900 bench/gateway-ab.sh <ref A> <ref B>
set -euo pipefail
USAGE="usage: bench/gateway-ab.sh <ref A> <ref B> [sizes...]"
REF_A="${1:?$USAGE}"
REF_B="${2:?$USAGE}"
shift 2
SIZES="${*:-100 250}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MAX_LOAD="${BENCH_MAX_LOAD:-1.5}"
WAIT_S="${BENCH_LOAD_WAIT_S:-900}"

# A scratch worktree of a commit, installed, with this checkout's bench files; prints its path.
checkout() {
  local dir
  dir="/tmp/orderline-bench-$(git -C "$ROOT" rev-parse --short "$1")"
  if [ ! -d "$dir" ]; then
    git -C "$ROOT" worktree add --detach "$dir" "$1" >&2
    ln -s "$(readlink -f "$ROOT/.tools")" "$dir/.tools"
    (cd "$dir" && BOOTSTRAP_SKIP_INSTALL=1 . scripts/bootstrap.sh && flock /tmp/orderline-pnpm.lock pnpm install --frozen-lockfile --reporter=silent) >&2
  fi
  cp "$ROOT/bench/gateway-load.ts" "$ROOT/bench/gateway-start.ts" "$ROOT/bench/measure.ts" "$dir/bench/"
  echo "$dir"
}
A="$(checkout "$REF_A")"
B="$(checkout "$REF_B")"

wait_for_quiet() {
  local waited=0 load
  while :; do
    load="$(cut -d' ' -f1 /proc/loadavg)"
    if awk -v l="$load" -v m="$MAX_LOAD" 'BEGIN { exit !(l < m) }'; then
      echo "load average $load < $MAX_LOAD after ${waited} s of waiting"
      return
    fi
    if [ "$waited" -ge "$WAIT_S" ]; then
      echo "load average $load still >= $MAX_LOAD after ${waited} s: measuring anyway"
      return
    fi
    sleep 30
    waited=$((waited + 30))
  done
}

for round in $(seq 1 "${BENCH_ROUNDS:-2}"); do
  for side in A B; do
    dir="$A"
    [ "$side" = B ] && dir="$B"
    echo "== $side (commit $(git -C "$dir" rev-parse --short HEAD)) round $round, $(date -u +%H:%M:%S) UTC"
    wait_for_quiet
    (cd "$dir" && BOOTSTRAP_SKIP_INSTALL=1 . scripts/bootstrap.sh && cd bench && env -u BENCH_MAX_LOAD node gateway-load.ts $SIZES)
  done
done
