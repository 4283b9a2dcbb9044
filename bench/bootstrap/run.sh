#!/usr/bin/env bash
# Bootstrap time and idle footprint of praetor against Patroni 3.0.2, side by
# side in one run, on 127.0.0.1 (bench/README.md explains what and how).
#
#   BUILD_DIR=/tmp/build-bench bench/bootstrap/run.sh
#
# 1. One ZooKeeper (scripts/zk.sh), shared; every cluster has its own scope.
# 2. Bootstrap: REPS alternating repetitions, praetor then Patroni, each from
#    empty data directories and a fresh scope: three daemons with identical
#    YAML (scripts/lib/cluster.sh, Patroni's default timings), timed from their
#    launch until the primary's pg_stat_replication shows two rows `streaming`
#    (measure.py wait-streaming, psql every 0.1 s; pg_basebackup streams not
#    counted); then everything is stopped.
# 3. Footprint: one praetor and one Patroni cluster at once; once both stream
#    and SETTLE_SECONDS have passed, each daemon process (not its PostgreSQL
#    children) is sampled over IDLE_SECONDS (measure.py sample).
# 4. The table against the targets on stdout, raw numbers as JSON in RESULTS.
# Everything started is recorded by pid and stopped on exit, Ctrl-C or failure.
#
# Environment:
#   BUILD_DIR       build holding bin/praetor (default <repo>/build); build it
#                   with `BUILD_DIR=... scripts/build.sh --target praetor praetorctl`
#   PRAETOR_BIN     the praetor binary (default $BUILD_DIR/bin/praetor)
#   PATRONI_BIN     the Patroni daemon (default /usr/bin/patroni, Debian's 3.0.2)
#   REPS            bootstrap repetitions per product (default 3)
#   IDLE_SECONDS    footprint window (default 600; CPU counters tick in 10 ms)
#   SETTLE_SECONDS  wait between "both streaming" and the window (default 30)
#   BOOT_TIMEOUT    seconds one bootstrap may take before it counts as failed
#                   (default 300)
#   BENCH_DIR       working folder (default /tmp/praetor-bench); its work/
#                   subfolder is wiped at start
#   RESULTS         results file (default $BENCH_DIR/bootstrap-<UTC time>.json)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here=$repo/bench/bootstrap
# shellcheck source=scripts/lib/cluster.sh
source "$repo/scripts/lib/cluster.sh"

build_dir=${BUILD_DIR:-build}
[[ $build_dir == /* ]] || build_dir=$repo/$build_dir
praetor_src=${PRAETOR_BIN:-$build_dir/bin/praetor}
patroni_bin=${PATRONI_BIN:-/usr/bin/patroni}
reps=${REPS:-3}
idle_seconds=${IDLE_SECONDS:-600}
settle_seconds=${SETTLE_SECONDS:-30}
boot_timeout=${BOOT_TIMEOUT:-300}
bench_dir=$(realpath -m -- "${BENCH_DIR:-/tmp/praetor-bench}")
work=$bench_dir/work
run_id=$(date -u +%Y%m%dT%H%M%SZ)
results=${RESULTS:-$bench_dir/bootstrap-$run_id.json}
marker=.praetor-bench
stop_timeout=60
nodes=(node1 node2 node3)

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

[[ -x $praetor_src ]] || die "$praetor_src is missing: run BUILD_DIR=$build_dir scripts/build.sh --target praetor praetorctl"
[[ -x $patroni_bin ]] || die "$patroni_bin is missing: install Debian's patroni (scripts/install-deps.sh)"
[[ $reps =~ ^[1-9][0-9]*$ ]] || die "REPS must be a positive integer"
[[ $idle_seconds =~ ^[1-9][0-9]*$ ]] || die "IDLE_SECONDS must be a positive integer"

# What was measured: the binary (time, sha256), its build type and source
# tree, and that tree's git HEAD and modified files as they are NOW: a build
# older than the HEAD commit may not match it (warned below).
build_type=unknown
source_dir=unknown
source_head=unknown
source_changes=
bin_mtime=$(stat -c %Y "$praetor_src")
bin_sha256=$(sha256sum "$praetor_src" | cut -d' ' -f1)
if [[ -z ${PRAETOR_BIN:-} && -r $build_dir/CMakeCache.txt ]]; then
  build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build_dir/CMakeCache.txt")
  source_dir=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build_dir/CMakeCache.txt")
  if source_head=$(git -C "$source_dir" rev-parse HEAD 2>/dev/null); then
    source_changes=$(git -C "$source_dir" status --porcelain --untracked-files=no 2>/dev/null |
                       awk '{print $NF}' | paste -sd, -)
    if (($(git -C "$source_dir" log -1 --format=%ct) > bin_mtime)); then
      log "warning: $source_dir's HEAD is newer than $praetor_src; rebuild to measure HEAD"
    fi
  else
    source_head=unknown
  fi
  [[ $build_type == Debug ]] && log "warning: $build_dir is a Debug build; measure a RelWithDebInfo one"
fi

set_pg_prefix "$work"

# ---------------------------------------------------------------- clusters
#
# A cluster lives in $work/<name>/ (bench/lib/clusters.sh), with pg_ports (its
# PostgreSQL ports, comma separated) besides.

# shellcheck source=bench/lib/clusters.sh
source "$repo/bench/lib/clusters.sh"

# start_cluster NAME PRODUCT SCOPE: writes the configuration and launches the
# three daemons; sets `launched_at` ($EPOCHREALTIME just before the first
# launch) and `cluster_pids`.
start_cluster() {
  local name=$1 product=$2 scope=$3 dir=$work/$1
  write_cluster "$dir" "$product" "$scope"
  echo "$cluster_pg_ports" >"$dir/pg_ports"
  start_daemons "$dir"
  log "$name: started $product (scope $scope, pids ${cluster_pids[*]}, PostgreSQL ports $cluster_pg_ports)"
}

# wait_streaming NAME SINCE TIMEOUT: prints measure.py's JSON; fails when the
# cluster did not reach one primary with two streaming replicas.
wait_streaming() {
  local dir=$work/$1 since=$2 timeout=$3 pids=() n pid
  for n in "${nodes[@]}"; do
    pid=$(cat "$dir/$n/daemon.pid") && pids+=("$pid")
  done
  BENCH_PGPASSWORD=$(cat "$dir/password") python3 "$here/measure.py" wait-streaming \
    --since "$since" --timeout "$timeout" --ports "$(cat "$dir/pg_ports")" \
    --pids "$(IFS=,; echo "${pids[*]}")"
}

# ---------------------------------------------------------------- run

reset_work "$marker"
cp "$praetor_src" "$work/bin/praetor"
chmod 0755 "$work/bin/praetor"

trap cleanup EXIT
trap 'log "interrupted: stopping what was started"; exit 130' INT TERM

start_zookeeper

boot_jsonl=$work/bootstrap.jsonl
: >"$boot_jsonl"
meta=$work/meta.json
python3 - "$meta" <<EOF
import json, os, platform, subprocess, sys
def out(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
    except OSError:
        return None
json.dump({
    "run_id": "$run_id", "reps": $reps, "idle_seconds": $idle_seconds,
    "settle_seconds": $settle_seconds, "praetor_bin": "$praetor_src",
    "praetor_bin_mtime": $bin_mtime, "praetor_bin_sha256": "$bin_sha256",
    "praetor_build_type": "$build_type", "praetor_source_dir": "$source_dir",
    "praetor_source_head_at_run": "$source_head",
    "praetor_source_modified_at_run": "$source_changes", "patroni_bin": "$patroni_bin",
    "patroni_version": out("$patroni_bin", "--version"),
    "postgres_version": out("$pg_bin/postgres", "--version"),
    "kernel": platform.release(), "nproc": os.cpu_count(),
    "mem_total_kb": int(open("/proc/meminfo").readline().split()[1]),
    "cpu_model": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                       if l.startswith("model name")), None),
    "bench_git_head": out("git", "-C", "$repo", "rev-parse", "HEAD"),
    "loadavg_at_start": os.getloadavg(),
}, open(sys.argv[1], "w"), indent=1)
EOF

for ((rep = 1; rep <= reps; rep++)); do
  for product in praetor patroni; do
    name=boot-$product-$rep
    start_cluster "$name" "$product" "bench-$name-$run_id"
    if out=$(wait_streaming "$name" "$launched_at" "$boot_timeout") && [[ -n $out ]]; then
      log "$name: one primary, two streaming replicas after $(python3 -c "import json,sys; print(json.loads(sys.argv[1])['seconds'])" "$out") s"
    else
      [[ -n $out ]] || out='{"ok": false, "error": "measure.py wait-streaming failed"}'
      log "$name: failed: $out"
      show_daemon_logs "$work/$name" 15
    fi
    python3 -c 'import json, sys; r = json.loads(sys.argv[1]); r.update(product=sys.argv[2], rep=int(sys.argv[3]), load1=__import__("os").getloadavg()[0]); print(json.dumps(r))' \
      "$out" "$product" "$rep" >>"$boot_jsonl"
    stop_cluster "$work/$name"
    drop_data "$work/$name"
  done
done

footprint=$work/footprint.json
start_cluster fp-praetor praetor "bench-fp-praetor-$run_id"
fp_praetor_at=$launched_at
start_cluster fp-patroni patroni "bench-fp-patroni-$run_id"
fp_patroni_at=$launched_at
for pair in "fp-praetor $fp_praetor_at" "fp-patroni $fp_patroni_at"; do
  read -r name since <<<"$pair"
  if ! out=$(wait_streaming "$name" "$since" "$boot_timeout"); then
    show_daemon_logs "$work/$name" 15
    die "$name did not reach two streaming replicas: $out"
  fi
  log "$name: streaming ($out)"
done
log "both clusters stream; settling ${settle_seconds}s, then sampling the daemons for ${idle_seconds}s"
sleep "$settle_seconds"
groups=()
for name in fp-praetor fp-patroni; do
  members=()
  for n in "${nodes[@]}"; do
    pid=$(daemon_pid "$work/$name" "$n") || die "$name/$n's daemon is gone before the window"
    members+=("$pid:$work/$name/$n.yml")
  done
  groups+=("${name#fp-}=$(IFS=,; echo "${members[*]}")")
done
python3 "$here/measure.py" sample --seconds "$idle_seconds" --interval 5 --out "$footprint" "${groups[@]}"

mkdir -p "$(dirname "$results")"
echo
python3 "$here/measure.py" report --boot "$boot_jsonl" --footprint "$footprint" --meta "$meta" \
  --out "$results"
echo
echo "results: $results"
log "stopping the footprint clusters"
