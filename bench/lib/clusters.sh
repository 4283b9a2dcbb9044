# Cluster start-up and housekeeping shared by the benchmarks (bench/*/run.sh):
# the working folder, ZooKeeper, three-node praetor and Patroni clusters (node
# configs, daemons, the health check), and stopping all of it by pid.
#
# Source it after scripts/lib/cluster.sh (alive, cmdline_has, terminate, secret,
# write_node_config, leftover_postmaster_pid, stray_pg_pids, free_ports, as_pg,
# is_root, pg_prefix) and after setting, in the sourcing script: $repo (the
# repository root), $bench_dir and $work (its work/ subfolder, one sub-folder
# per cluster), the array nodes (node1 node2 node3), $patroni_bin, and the
# functions log and die. $zk_port is set by start_zookeeper. It defines
# functions and a few variables, and runs nothing.
#
# A cluster lives in a folder DIR: node1.yml..node3.yml, node<i>/ (data,
# daemon.log, daemon.pid), product (praetor or patroni), scope, nodes
# (name:pg_port:rest_port,...), password (the superuser's).
# shellcheck shell=bash
# shellcheck disable=SC2154  # the variables above are set by the sourcing script

# ---------------------------------------------------------------- working folder

# reset_work MARKER: wipes $work (when it holds the file MARKER, after stopping
# what a crashed earlier run left) and creates it again, with bin/ and zk/,
# reachable by the postgres user when we are root.
reset_work() {
  local marker=$1
  if [[ -e $work ]]; then
    [[ -e $work/$marker ]] || die "$work exists and is not a bench folder; remove it or set BENCH_DIR"
    cleanup # a crashed earlier run may have left processes
    cleanup_done=0
    rm -rf -- "$work"
  fi
  mkdir -p "$work/bin" "$work/zk"
  touch "$work/$marker"
  chmod 0755 "$bench_dir" "$work"
  if is_root; then
    chown postgres:postgres "$work"
    as_pg test -w "$work" || die "the postgres user cannot reach $work; choose a BENCH_DIR under /tmp"
  fi
}

# start_zookeeper: one ZooKeeper for all clusters of the run, in $work/zk;
# sets zk_port.
start_zookeeper() {
  pick_ports 1
  zk_port=$("$repo/scripts/zk.sh" start "$work/zk" "${picked[0]}")
  log "ZooKeeper on 127.0.0.1:$zk_port; working folder $work"
}

# pick_ports N: sets `picked` to N free ports on 127.0.0.1 that no cluster of
# this run was given before (a cluster that has not bound its ports yet would
# not keep free_ports from handing them out again, and a stopped one's ports are
# not reused either).
used_ports=" "
pick_ports() {
  local p ok
  while :; do
    read -r -a picked <<<"$(free_ports "$1")"
    ok=1
    for p in "${picked[@]}"; do
      [[ $used_ports == *" $p "* ]] && ok=0
    done
    ((ok)) && break
  done
  used_ports+="${picked[*]} "
}

# ---------------------------------------------------------------- starting

# write_cluster DIR PRODUCT SCOPE [TTL LOOP_WAIT RETRY_TIMEOUT]: a three-node
# cluster's files in DIR (see above), on six fresh ports, with fresh passwords
# and Patroni's default timings unless given; praetor's configs are checked
# with --validate-config. Each daemon.log is kept if there is one (appended
# to). Sets cluster_pg_ports (the PostgreSQL ports, comma separated). Starts
# nothing.
write_cluster() {
  local dir=$1 product=$2 scope=$3 ports pw repl_pw rewind_pw i n spec=()
  shift 3
  mkdir -p "$dir"
  pick_ports 6
  ports=("${picked[@]}")
  pw=$(secret)
  repl_pw=$(secret)
  rewind_pw=$(secret)
  for i in 0 1 2; do
    n=${nodes[$i]}
    mkdir -p "$dir/$n"
    chmod 0700 "$dir/$n"
    if is_root; then chown postgres:postgres "$dir/$n"; fi
    write_node_config "$dir/$n.yml" "$scope" "$n" "$dir/$n" "${ports[$i]}" "${ports[$((3 + i))]}" \
      "$zk_port" "$pw" "$repl_pw" "$rewind_pw" "$@"
    : >>"$dir/$n/daemon.log"
    if is_root; then chown postgres:postgres "$dir/$n/daemon.log"; fi
    spec+=("$n:${ports[$((3 + i))]}:${ports[$i]}")
  done
  if is_root; then chown postgres:postgres "$dir"; fi
  # shellcheck disable=SC2034  # for the sourcing script
  cluster_pg_ports="${ports[3]},${ports[4]},${ports[5]}"
  echo "$product" >"$dir/product"
  echo "$scope" >"$dir/scope"
  (IFS=,; echo "${spec[*]}") >"$dir/nodes"
  (umask 077 && echo "$pw" >"$dir/password")
  case $product in
    praetor)
      for n in "${nodes[@]}"; do
        as_pg "$(daemon_of praetor)" --validate-config "$dir/$n.yml" >"$dir/$n/validate.log" 2>&1 ||
          { cat "$dir/$n/validate.log" >&2; die "praetor rejected $dir/$n.yml"; }
      done
      ;;
    patroni) ;;
    *) die "unknown product $product" ;;
  esac
}

# daemon_of PRODUCT: the daemon binary (praetor: the run's copy in $work/bin).
daemon_of() {
  case $1 in
    praetor) echo "$work/bin/praetor" ;;
    patroni) echo "$patroni_bin" ;;
  esac
}

# launch_daemon DIR NODE DAEMON: runs DAEMON on DIR/NODE.yml in the background,
# as postgres, its output appended to the node's daemon.log and its pid in
# daemon.pid.
launch_daemon() {
  local dir=$1 n=$2 daemon=$3
  # setsid: Ctrl-C reaches this script only, whose trap stops the daemons in
  # order; every program in the chain execs the next, so $! is the daemon.
  (cd "$dir" && exec setsid "${pg_prefix[@]}" "$daemon" "$dir/$n.yml") \
    >>"$dir/$n/daemon.log" 2>&1 </dev/null &
  echo $! >"$dir/$n/daemon.pid"
  disown $! # no "Killed" job report when a fault kills it; it is tracked by pid
}

# start_daemon DIR NODE: launches one node's daemon (again).
start_daemon() {
  launch_daemon "$1" "$2" "$(daemon_of "$(cat "$1/product")")"
}

# start_daemons DIR: launches the cluster's three daemons; sets `launched_at`
# ($EPOCHREALTIME just before the first launch) and `cluster_pids`.
start_daemons() {
  local dir=$1 daemon n
  daemon=$(daemon_of "$(cat "$dir/product")")
  cluster_pids=()
  # shellcheck disable=SC2034  # for the sourcing script
  launched_at=$EPOCHREALTIME
  for n in "${nodes[@]}"; do
    launch_daemon "$dir" "$n" "$daemon"
    cluster_pids+=("$!")
  done
}

# ---------------------------------------------------------------- watching

# wait_healthy DIR TIMEOUT: until one primary answers GET /primary and both
# replicas stream from it (bench/failover/measure.py wait-healthy); prints its
# JSON (primary, replicas), fails when not healthy in time.
wait_healthy() {
  BENCH_PGPASSWORD=$(cat "$1/password") python3 "$repo/bench/failover/measure.py" wait-healthy \
    --nodes "$(cat "$1/nodes")" --timeout "$2"
}

# show_daemon_logs DIR LINES: the last LINES of each node's daemon.log, on stderr.
show_daemon_logs() {
  local dir=$1 lines=$2 n
  for n in "${nodes[@]}"; do
    log "the end of $dir/$n/daemon.log:"
    tail -n "$lines" "$dir/$n/daemon.log" >&2 || true
  done
}

# jget JSON KEY: one top-level value of a JSON object, empty when null or absent.
jget() {
  python3 -c 'import json, sys; v = json.loads(sys.argv[1]).get(sys.argv[2]); print("" if v is None else v)' "$1" "$2"
}

# ---------------------------------------------------------------- stopping

# The clusters started under $work (a folder holding a `product` file).
cluster_dirs() {
  local d
  for d in "$work"/*/; do
    [[ -e $d/product ]] && echo "${d%/}"
  done
  return 0
}

# pid of a node's daemon if it still runs (checked against its config path).
daemon_pid() {
  local dir=$1 node=$2 pid
  [[ -s $dir/$node/daemon.pid ]] || return 1
  pid=$(cat "$dir/$node/daemon.pid")
  alive "$pid" && cmdline_has "$pid" "$dir/$node.yml" && echo "$pid"
}

# Stops one cluster: daemons (SIGTERM, they stop their PostgreSQL), then any
# postmaster they left (fast shutdown), then any PostgreSQL process still
# working under the cluster's folder (SIGKILL); all by pid.
stop_cluster() {
  local dir=$1 n pid pids=()
  for n in "${nodes[@]}"; do
    pid=$(daemon_pid "$dir" "$n") && pids+=("$pid")
  done
  terminate TERM "$(basename "$dir") daemons" "${pids[@]}"
  pids=()
  for n in "${nodes[@]}"; do
    rm -f "$dir/$n/daemon.pid"
    pid=$(leftover_postmaster_pid "$dir/$n/data") && pids+=("$pid")
  done
  terminate INT "$(basename "$dir") leftover postmasters" "${pids[@]}"
  mapfile -t pids < <(stray_pg_pids "$dir")
  terminate KILL "$(basename "$dir") leftover PostgreSQL processes" "${pids[@]}"
  return 0
}

# drop_data DIR: keeps the logs of a finished cluster, drops its data directories.
drop_data() {
  local dir=$1 n
  for n in "${nodes[@]}"; do rm -rf -- "${dir:?}/$n/data"; done
}

# Helpers a benchmark runs in the background (a writer, wrk, curl...): one pid
# a line in $helpers_file, stopped by pid.
helpers_file=$work/helpers.pids
stop_helpers() {
  local pid pids=()
  [[ -s $helpers_file ]] || return 0
  while read -r pid; do alive "$pid" && pids+=("$pid"); done <"$helpers_file"
  stop_timeout=10 terminate TERM "helpers" "${pids[@]}"
  : >"$helpers_file"
}

# cleanup: stops, by pid, every helper, cluster and the ZooKeeper of the run
# (once: the EXIT trap), keeping their logs.
cleanup_done=0
cleanup() {
  ((cleanup_done == 0)) || return 0
  cleanup_done=1
  local dir
  stop_helpers
  while read -r dir; do
    [[ -n $dir ]] || continue
    stop_cluster "$dir"
    drop_data "$dir"
  done < <(cluster_dirs)
  if [[ -d $work/zk ]]; then
    "$repo/scripts/zk.sh" stop "$work/zk" || true
    rm -rf -- "${work:?}/zk/data" # 64 MB preallocated transaction logs; its log stays
  fi
  return 0
}
