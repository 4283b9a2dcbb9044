#!/usr/bin/env bash
# The floors under issue 2's footprint targets, measured with nothing of praetor's:
#   rss_floor   a program that only links Debian's libpq and CAF (the chosen libraries):
#               its resident memory at main() and once a CAF actor system runs;
#   ping_floor  one ZooKeeper session with Patroni's liveness question every 4 s over the
#               multi-threaded C client (the chosen client), nothing else: its CPU per 120 s.
# Usage: bench/bootstrap/floor/floor.sh   (SECONDS_IDLE=300 by default, BENCH_DIR)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
work=${BENCH_DIR:-/tmp/praetor-bench-floor}
idle=${SECONDS_IDLE:-300}
mkdir -p "$work"

gcc -O2 -Wall -DTHREADED "$here/ping_floor.c" -o "$work/ping_floor" -lzookeeper_mt
g++ -O2 -Wall -std=c++17 -I/usr/include/postgresql "$here/rss_floor.cpp" -o "$work/rss_floor" \
  -lpq -lcaf_core

echo "== rss_floor (libpq + CAF, nothing else)"
"$work/rss_floor"

zk_port=$("$repo/scripts/zk.sh" start "$work/zk" 0)
trap '"$repo/scripts/zk.sh" stop "$work/zk" "$zk_port" >/dev/null 2>&1 || true' EXIT
echo "== ping_floor (ZooKeeper 127.0.0.1:$zk_port, ${idle} s)"
"$work/ping_floor" "127.0.0.1:$zk_port" "$idle"
