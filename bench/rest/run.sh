#!/usr/bin/env bash
# REST health-check throughput of praetor against Patroni 3.0.2, side by side in
# one run, on 127.0.0.1, with wrk (bench/README.md, section "REST throughput
# (wrk)", explains what and how).
#
#   PRAETOR_BIN=/path/to/praetor bench/rest/run.sh
#
# 1. One ZooKeeper (scripts/zk.sh); one three-node cluster per system, both
#    running at once with Patroni's default timings (scripts/lib/cluster.sh),
#    each with its own scope; both must be healthy (one primary answering
#    GET /primary, both replicas streaming: bench/failover/measure.py
#    wait-healthy).
# 2. Keep-alive: two requests in one curl --http1.1 call to each system's
#    primary; kept when curl reports "Re-using existing connection".
# 3. For each connection count, endpoint and system (systems alternate between
#    runs, so the machine's other load falls on both alike): wrk --latency with
#    report.lua against one node's REST API: GET /primary and /health on the
#    primary, GET /replica on a replica. The target must answer 200 first. For
#    praetor, GET /metrics on the same node at the start of an idle window
#    (IDLE_SECONDS, no load, just before the run), just before and just after
#    the run (raw text kept): actor_metrics.py turns the two windows into the
#    HA decider's messages handled, mean and p99 handling time, and mailbox
#    depth, idle against load. Read around each run (and its idle window): the
#    daemon's CPU time (utime+stime, all threads), the machine's busy share, the
#    kernel's TCP counters (connections opened, SYNs dropped at a full listen
#    queue).
# 4. A cross-check with another client (curl --parallel, CURL_REQUESTS GETs of
#    /health on the primary per system and connection count): wrk 4.1 handles
#    an answer that ends at the server's close (Patroni's) badly, see report.py.
# 5. The table (req/s, p50, p99, max, errors, ratios praetor/Patroni, the
#    issue's target) is printed and saved with the raw JSON in RESULTS_DIR.
# Everything started is recorded by pid and stopped on exit, Ctrl-C or failure.
#
# Environment:
#   BUILD_DIR        build holding bin/praetor (default <repo>/build)
#   PRAETOR_BIN      the praetor binary (default $BUILD_DIR/bin/praetor); copied
#                    into the working folder at start
#   PATRONI_BIN      the Patroni daemon (default /usr/bin/patroni)
#   WRK_BIN          wrk (default /usr/bin/wrk, Debian's 4.1.0)
#   DURATION         length of one wrk run (default 10s)
#   THREADS          wrk threads (default 2)
#   CONNECTIONS      concurrent connections, one run each (default "32 256")
#   ENDPOINTS        "primary replica health" (default: all three)
#   SYSTEMS          "praetor patroni" (default: both)
#   WRK_TIMEOUT      wrk's --timeout: a request unanswered this long counts as a
#                    timeout error and leaves the latencies (default 10s; wrk's
#                    own default, 2s, would drop Patroni's slowest answers)
#   PAUSE_SECONDS    idle time between two runs (default 2)
#   IDLE_SECONDS     praetor only: the idle window scraped before each run
#                    (default: DURATION in seconds; 0: no idle window)
#   CURL_REQUESTS    requests of the curl cross-check per system and connection
#                    count (default 3000; 0: no cross-check)
#   BOOT_TIMEOUT     seconds for a cluster to be healthy (default 300)
#   BENCH_DIR        working folder (default /tmp/praetor-bench-rest); its work/
#                    subfolder is wiped at start and keeps every daemon's log
#   RESULTS_DIR      where results go (default bench/rest/results/<UTC time>)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here=$repo/bench/rest
# shellcheck source=scripts/lib/cluster.sh
source "$repo/scripts/lib/cluster.sh"

build_dir=${BUILD_DIR:-build}
[[ $build_dir == /* ]] || build_dir=$repo/$build_dir
praetor_src=${PRAETOR_BIN:-$build_dir/bin/praetor}
patroni_bin=${PATRONI_BIN:-/usr/bin/patroni}
wrk_bin=${WRK_BIN:-/usr/bin/wrk}
duration=${DURATION:-10s}
threads=${THREADS:-2}
read -r -a connections <<<"${CONNECTIONS:-32 256}"
read -r -a endpoints <<<"${ENDPOINTS:-primary replica health}"
read -r -a systems <<<"${SYSTEMS:-praetor patroni}"
wrk_timeout=${WRK_TIMEOUT:-10s}
pause_seconds=${PAUSE_SECONDS:-2}
idle_seconds=${IDLE_SECONDS:-}
curl_requests=${CURL_REQUESTS:-3000}
boot_timeout=${BOOT_TIMEOUT:-300}
bench_dir=$(realpath -m -- "${BENCH_DIR:-/tmp/praetor-bench-rest}")
work=$bench_dir/work
run_id=$(date -u +%Y%m%dT%H%M%SZ)
results_dir=$(realpath -m -- "${RESULTS_DIR:-$here/results/$run_id}")
marker=.praetor-bench-rest
stop_timeout=60
nodes=(node1 node2 node3)

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

has_system() { [[ " ${systems[*]} " == *" $1 "* ]]; }

[[ -x $praetor_src ]] || ! has_system praetor ||
  die "$praetor_src is missing: run BUILD_DIR=$build_dir scripts/build.sh --target praetor"
[[ -x $patroni_bin ]] || ! has_system patroni ||
  die "$patroni_bin is missing: install Debian's patroni (scripts/install-deps.sh)"
[[ -x $wrk_bin ]] || die "$wrk_bin is missing: apt-get install wrk"
[[ $duration =~ ^[1-9][0-9]*[smh]?$ ]] || die "DURATION must look like 10s"
if [[ -z $idle_seconds ]]; then
  # wrk's units: s (also without one), m, h.
  case ${duration: -1} in
    m) idle_seconds=$((${duration%m} * 60)) ;;
    h) idle_seconds=$((${duration%h} * 3600)) ;;
    *) idle_seconds=${duration%s} ;;
  esac
fi
[[ $idle_seconds =~ ^[0-9]+$ ]] || die "IDLE_SECONDS must be whole seconds"
[[ $threads =~ ^[1-9][0-9]*$ ]] || die "THREADS must be a positive integer"
[[ $curl_requests =~ ^[0-9]+$ ]] || die "CURL_REQUESTS must be a count"
for c in "${connections[@]}"; do
  if ! [[ $c =~ ^[1-9][0-9]*$ ]] || ((c < threads)); then
    die "CONNECTIONS: $c is not a count >= THREADS"
  fi
done
for e in "${endpoints[@]}"; do
  [[ $e =~ ^(primary|replica|health)$ ]] || die "unknown endpoint $e"
done
for s in "${systems[@]}"; do [[ $s == praetor || $s == patroni ]] || die "unknown system $s"; done

set_pg_prefix "$work"

# ---------------------------------------------------------------- clusters
#
# A cluster lives in $work/<system>/ (bench/lib/clusters.sh), with primary and
# replica (the nodes the runs load) besides. wrk and curl, while they run, are
# the helpers ($helpers_file).

# shellcheck source=bench/lib/clusters.sh
source "$repo/bench/lib/clusters.sh"

# start_cluster SYSTEM: a fresh three-node cluster in $work/SYSTEM, launched
# (not yet healthy).
start_cluster() {
  local product=$1 dir=$work/$1 scope=bench-rest-$1-$run_id
  write_cluster "$dir" "$product" "$scope"
  start_daemons "$dir"
  log "$product: started (scope $scope, nodes $(cat "$dir/nodes"))"
}

# rest_port SYSTEM NODE
rest_port() {
  local item n rest parts
  IFS=, read -r -a parts <<<"$(cat "$work/$1/nodes")"
  for item in "${parts[@]}"; do
    IFS=: read -r n _ rest <<<"$item"
    [[ $n == "$2" ]] && { echo "$rest"; return 0; }
  done
  return 1
}

# find_roles SYSTEM: writes $work/SYSTEM/primary and .../replica (a replica
# streaming from the primary) once the cluster is healthy.
find_roles() {
  local system=$1 out p r
  out=$(wait_healthy "$work/$system" "$boot_timeout") || {
    log "$system: not healthy after ${boot_timeout}s: $out"
    show_daemon_logs "$work/$system" 12
    return 1
  }
  p=$(jget "$out" primary)
  r=$(python3 -c 'import json, sys; print(sorted(json.loads(sys.argv[1])["replicas"])[0])' "$out")
  echo "$p" >"$work/$system/primary"
  echo "$r" >"$work/$system/replica"
  log "$system: healthy, primary $p, replica $r"
}

# target_node SYSTEM ENDPOINT: the node whose REST API a run loads.
target_node() {
  case $2 in
    primary | health) cat "$work/$1/primary" ;;
    replica) cat "$work/$1/replica" ;;
  esac
}

http_code() {
  curl -s -m 5 -o /dev/null -w '%{http_code}' "$1" 2>/dev/null || true
}

# cpu_seconds PID: utime+stime of the whole process (all threads, no children).
clk_tck=$(getconf CLK_TCK)
cpu_seconds() {
  awk -v hz="$clk_tck" '{ sub(/^.*\) /, ""); printf "%.2f\n", ($12 + $13) / hz }' "/proc/$1/stat" 2>/dev/null ||
    echo None
}

# tcp_counters: the kernel's TCP counters that tell how wrk's connections went
# (this network namespace, every process: wrk makes nearly all of it during a run),
# as "Name Value" lines: connections opened by clients (ActiveOpens) and accepted
# (PassiveOpens), failed attempts, and SYNs dropped at a full listen queue.
tcp_counters() {
  awk '$1 == "Tcp:" || $1 == "TcpExt:" {
         if (!($1 in names)) { names[$1] = $0; next }
         split(names[$1], n)
         for (i = 2; i <= NF; i++)
           if (n[i] ~ /^(ActiveOpens|PassiveOpens|AttemptFails|ListenOverflows|ListenDrops)$/)
             print n[i], $i
       }' /proc/net/snmp /proc/net/netstat
}

# keepalive_check SYSTEM: two GETs of /health in one curl call to the primary;
# prints a JSON object, keeps curl's trace.
keepalive_check() {
  local system=$1 node port url trace kept=false
  node=$(cat "$work/$system/primary")
  port=$(rest_port "$system" "$node")
  url=http://127.0.0.1:$port/health
  trace=$results_dir/keepalive-$system.txt
  curl --http1.1 -sv -m 10 -o /dev/null -o /dev/null "$url" "$url" >"$trace" 2>&1 || true
  grep -q 'Re-using existing connection' "$trace" && kept=true
  python3 - "$system" "$node" "$url" "$kept" "$trace" <<'EOF'
import json, sys
system, node, url, kept, trace = sys.argv[1:]
lines = open(trace, errors="replace").read().splitlines()
print(json.dumps({
    "system": system, "node": node, "url": url, "kept": kept == "true",
    "status_lines": [l[2:] for l in lines if l.startswith("< HTTP/")],
    "connection_headers": [l[2:] for l in lines if l.lower().startswith("< connection:")],
    "curl_says": [l[2:] for l in lines if l.startswith("* ") and
                  ("connection" in l.lower() or "re-using" in l.lower())],
}))
EOF
}

# scrape_metrics PORT FILE: GET /metrics, raw text kept; prints the time of
# the scrape (after the answer; $EPOCHREALTIME).
scrape_metrics() {
  curl -s -m 5 "http://127.0.0.1:$1/metrics" >"$2" 2>/dev/null || true
  echo "$EPOCHREALTIME"
}

# busy_share STAT_BEFORE STAT_AFTER: the whole machine's busy share between two
# first lines of /proc/stat (all cores, every process), in percent, or None.
busy_share() {
  python3 - "$1" "$2" <<'EOF'
import sys
# user..steal; idle = idle + iowait
a, b = ([int(x) for x in l.split()[1:9]] for l in sys.argv[1:3])
d = [y - x for x, y in zip(a, b)]
print(round(100.0 * (sum(d) - d[3] - d[4]) / sum(d), 1) if sum(d) else None)
EOF
}

# idle_window PORT PID TAG: the idle window before a praetor run: GET /metrics,
# IDLE_SECONDS of no load, then run_wrk's own scrape ends it. Sets idle_*.
idle_window() {
  local stat_before stat_after
  idle_metrics=$results_dir/metrics/$3-idle.txt
  idle_cpu_before=$( [[ -n $2 ]] && cpu_seconds "$2" || echo None)
  stat_before=$(head -n 1 /proc/stat)
  idle_metrics_at=$(scrape_metrics "$1" "$idle_metrics")
  log "$3: idle window, ${idle_seconds}s; $(python3 "$here/actor_metrics.py" summary "$idle_metrics")"
  sleep "$idle_seconds"
  idle_cpu_after=$( [[ -n $2 ]] && cpu_seconds "$2" || echo None)
  stat_after=$(head -n 1 /proc/stat)
  idle_busy=$(busy_share "$stat_before" "$stat_after")
}

# ---------------------------------------------------------------- one run

# run_wrk SYSTEM ENDPOINT CONNECTIONS: appends one JSON line to $runs_jsonl.
run_wrk() {
  local system=$1 endpoint=$2 conns=$3 node port url pid code tag out
  local cpu_before cpu_after stat_before stat_after tcp_before tcp_after started
  local metrics_before='' metrics_after='' metrics_before_at=None metrics_after_at=None
  local idle_metrics='' idle_metrics_at=None idle_cpu_before=None idle_cpu_after=None idle_busy=None
  node=$(target_node "$system" "$endpoint")
  port=$(rest_port "$system" "$node")
  url=http://127.0.0.1:$port/$endpoint
  tag=$system-$endpoint-c$conns
  # The roles may have moved (they should not): find them again if the target
  # does not answer 200.
  code=$(http_code "$url")
  if [[ $code != 200 ]]; then
    log "$url answered $code before the run: looking for the roles again"
    find_roles "$system" || true
    node=$(target_node "$system" "$endpoint")
    port=$(rest_port "$system" "$node")
    url=http://127.0.0.1:$port/$endpoint
    code=$(http_code "$url")
  fi
  pid=$(daemon_pid "$work/$system" "$node") || pid=
  if [[ $system == praetor ]]; then
    ((idle_seconds == 0)) || idle_window "$port" "$pid" "$tag"
    metrics_before=$results_dir/metrics/$tag-before.txt
    metrics_before_at=$(scrape_metrics "$port" "$metrics_before")
    if [[ -n $idle_metrics ]]; then
      log "$tag: idle, $(python3 "$here/actor_metrics.py" window "$idle_metrics" "$metrics_before")"
    fi
  fi
  cpu_before=$( [[ -n $pid ]] && cpu_seconds "$pid" || echo None)
  stat_before=$(head -n 1 /proc/stat)
  tcp_before=$(tcp_counters | tr '\n' ' ')
  started=$EPOCHREALTIME
  log "$tag: wrk -t$threads -c$conns -d$duration $url (answered $code)"
  "$wrk_bin" -t"$threads" -c"$conns" -d"$duration" --timeout "$wrk_timeout" --latency \
    -s "$here/report.lua" "$url" >"$results_dir/wrk/$tag.txt" 2>&1 &
  echo $! >>"$helpers_file"
  wait $! || log "$tag: wrk exited with $?"
  : >"$helpers_file"
  cpu_after=$( [[ -n $pid ]] && cpu_seconds "$pid" || echo None)
  stat_after=$(head -n 1 /proc/stat)
  tcp_after=$(tcp_counters | tr '\n' ' ')
  if [[ $system == praetor ]]; then
    metrics_after=$results_dir/metrics/$tag-after.txt
    metrics_after_at=$(scrape_metrics "$port" "$metrics_after")
    log "$tag: load, $(python3 "$here/actor_metrics.py" window "$metrics_before" "$metrics_after")"
  fi
  out=$(sed -n 's/^WRK_JSON //p' "$results_dir/wrk/$tag.txt")
  [[ -n $out ]] || { log "$tag: no WRK_JSON line: $(tail -n 3 "$results_dir/wrk/$tag.txt")"; out='{}'; }
  python3 - "$out" <<EOF >>"$runs_jsonl"
import json, sys
r = json.loads(sys.argv[1])
# The whole machine's busy share over the run (all cores, every process: wrk, the daemon,
# and whatever else runs), from /proc/stat's first line: user..steal, idle = idle + iowait.
a, b = ([int(x) for x in l.split()[1:9]] for l in ("$stat_before", "$stat_after"))
d = [y - x for x, y in zip(a, b)]
r["machine_busy_percent"] = round(100.0 * (sum(d) - d[3] - d[4]) / sum(d), 1) if sum(d) else None
def counters(text):
    w = text.split()
    return {w[i]: int(w[i + 1]) for i in range(0, len(w) - 1, 2)}
a, b = counters("$tcp_before"), counters("$tcp_after")
r["tcp"] = {k: b[k] - a[k] for k in sorted(a) if k in b}
r.update({"system": "$system", "endpoint": "$endpoint", "connections": $conns,
          "threads": $threads, "duration": "$duration", "node": "$node", "url": "$url",
          "status_before": "$code", "started": $started,
          "daemon_pid": "$pid" or None, "daemon_cpu_before_s": $cpu_before,
          "daemon_cpu_after_s": $cpu_after,
          "metrics_idle": "${idle_metrics#"$results_dir/"}" or None,
          "metrics_before": "${metrics_before#"$results_dir/"}" or None,
          "metrics_after": "${metrics_after#"$results_dir/"}" or None,
          "metrics_idle_at": $idle_metrics_at, "metrics_before_at": $metrics_before_at,
          "metrics_after_at": $metrics_after_at, "idle_seconds": $idle_seconds,
          "idle_daemon_cpu_before_s": $idle_cpu_before, "idle_daemon_cpu_after_s": $idle_cpu_after,
          "idle_machine_busy_percent": $idle_busy,
          "wrk_output": "wrk/$tag.txt", "load1_after": float(open("/proc/loadavg").read().split()[0])})
print(json.dumps(r, sort_keys=True))
EOF
  log "$tag: $(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print({k: d.get(k) for k in ("rps","lat_p50_us","lat_p99_us","lat_max_us","errors_connect","errors_read","errors_status","errors_timeout","machine_busy_percent")})' "$(tail -n 1 "$runs_jsonl")")"
}

# curl_check SYSTEM CONNECTIONS: a cross-check of wrk with another client, one
# that reads an answer ending at the server's close as it should (wrk 4.1 does
# not, see report.py): CURL_REQUESTS GETs of /health on the primary, at most
# CONNECTIONS at once (curl --parallel; it keeps a connection where the server
# does). Appends one JSON line to $curl_jsonl.
curl_check() {
  local system=$1 conns=$2 node port url cfg out started elapsed i
  node=$(cat "$work/$system/primary")
  port=$(rest_port "$system" "$node")
  url=http://127.0.0.1:$port/health
  cfg=$work/curl-$system.cfg
  out=$results_dir/curl/$system-health-c$conns.txt
  for ((i = 0; i < curl_requests; i++)); do
    printf 'url = "%s"\noutput = "/dev/null"\n' "$url"
  done >"$cfg"
  log "$system-health-c$conns: curl --parallel-max $conns, $curl_requests requests, $url"
  started=$EPOCHREALTIME
  curl -s --http1.1 -Z --parallel-immediate --parallel-max "$conns" -m 30 -K "$cfg" \
    -w '%{http_code} %{time_total} %{num_connects}\n' >"$out" 2>/dev/null &
  echo $! >>"$helpers_file"
  wait $! || log "$system-health-c$conns: curl exited with $?"
  : >"$helpers_file"
  elapsed=$(python3 -c "print($EPOCHREALTIME - $started)")
  python3 - "$out" "$elapsed" "$system" "$conns" >>"$curl_jsonl" <<'EOF'
import json, sys
path, elapsed, system, conns = sys.argv[1], float(sys.argv[2]), sys.argv[3], int(sys.argv[4])
rows = [l.split() for l in open(path) if l.strip()]
times = sorted(float(r[1]) * 1e6 for r in rows)
def pct(q):
    return round(times[min(len(times) - 1, int(q / 100 * len(times)))]) if times else None
print(json.dumps({"system": system, "endpoint": "health", "connections": conns,
                  "requests": len(rows), "seconds": round(elapsed, 3),
                  "rps": round(len(rows) / elapsed, 1),
                  "non_200": sum(r[0] != "200" for r in rows),
                  "connects": sum(int(r[2]) for r in rows),
                  "lat_p50_us": pct(50), "lat_p99_us": pct(99),
                  "lat_max_us": round(times[-1]) if times else None,
                  "output": f"curl/{system}-health-c{conns}.txt"}, sort_keys=True))
EOF
  log "$system-health-c$conns (curl): $(tail -n 1 "$curl_jsonl")"
}

# ---------------------------------------------------------------- run

reset_work "$marker"
# A copy: a rebuild during the run cannot change the binary under test.
if [[ -x $praetor_src ]]; then cp "$praetor_src" "$work/bin/praetor"; fi
chmod 0755 "$work/bin"/* 2>/dev/null || true

trap cleanup EXIT
trap 'log "interrupted: stopping what was started"; exit 130' INT TERM

start_zookeeper

mkdir -p "$results_dir/wrk" "$results_dir/metrics" "$results_dir/curl"
runs_jsonl=$results_dir/runs.jsonl
: >"$runs_jsonl"
bin_sha256=
bin_mtime=0
bin_flags=
if [[ -x $work/bin/praetor ]]; then
  bin_sha256=$(sha256sum "$work/bin/praetor" | cut -d' ' -f1)
  bin_mtime=$(stat -c %Y "$praetor_src")
  # The compiler flags of the first compile unit (-O2 -g: RelWithDebInfo).
  bin_flags=$(readelf --debug-dump=info "$work/bin/praetor" 2>/dev/null |
    grep -m1 DW_AT_producer | sed 's/.*): //' || true)
fi
python3 - "$results_dir/meta.json" <<EOF
import json, os, platform, subprocess, sys
def out(*cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True)
        return (r.stdout or r.stderr).strip()
    except OSError:
        return None
json.dump({
    "run_id": "$run_id", "duration": "$duration", "threads": $threads,
    "connections": "${connections[*]}", "endpoints": "${endpoints[*]}",
    "systems": "${systems[*]}", "wrk_timeout": "$wrk_timeout", "pause_seconds": $pause_seconds,
    "idle_seconds": $idle_seconds,
    "praetor_bin": "$praetor_src", "praetor_bin_mtime": $bin_mtime,
    "praetor_bin_sha256": "$bin_sha256", "praetor_compiler": "$bin_flags",
    "patroni_bin": "$patroni_bin", "patroni_version": out("$patroni_bin", "--version"),
    "wrk_version": out("$wrk_bin", "--version").splitlines()[0],
    "postgres_version": out("$pg_bin/postgres", "--version"),
    "kernel": platform.release(), "nproc": os.cpu_count(),
    "mem_total_kb": int(open("/proc/meminfo").readline().split()[1]),
    "cpu_model": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                       if l.startswith("model name")), None),
    "git_head": out("git", "-C", "$repo", "rev-parse", "HEAD"),
    "loadavg_at_start": os.getloadavg(),
}, open(sys.argv[1], "w"), indent=1)
EOF

for system in "${systems[@]}"; do start_cluster "$system"; done
for system in "${systems[@]}"; do find_roles "$system" || die "$system did not come up"; done

keepalive_json=$results_dir/keepalive.jsonl
: >"$keepalive_json"
for system in "${systems[@]}"; do
  keepalive_check "$system" >>"$keepalive_json"
  log "keep-alive, $system: $(tail -n 1 "$keepalive_json")"
done

for conns in "${connections[@]}"; do
  for endpoint in "${endpoints[@]}"; do
    for system in "${systems[@]}"; do
      run_wrk "$system" "$endpoint" "$conns"
      sleep "$pause_seconds"
    done
  done
done

curl_jsonl=$results_dir/curl.jsonl
: >"$curl_jsonl"
if ((curl_requests > 0)); then
  for conns in "${connections[@]}"; do
    for system in "${systems[@]}"; do
      curl_check "$system" "$conns"
      sleep "$pause_seconds"
    done
  done
fi

# The roles at the end: a run against a node that changed role would not count.
for system in "${systems[@]}"; do
  out=$(wait_healthy "$work/$system" 30) || out='{"ok": false}'
  echo "{\"system\": \"$system\", \"healthy_after\": $out}" >>"$results_dir/roles_after.jsonl"
done

echo
python3 "$here/report.py" --runs "$runs_jsonl" --keepalive "$keepalive_json" --curl "$curl_jsonl" \
  --meta "$results_dir/meta.json" --out "$results_dir/results.json" --table "$results_dir/table.txt"
echo
echo "results: $results_dir (table.txt, results.json, runs.jsonl, curl.jsonl, wrk/, curl/, metrics/); logs: $work"
