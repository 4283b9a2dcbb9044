# Cluster housekeeping shared by the benchmarks (bench/*/run.sh). Expects, from the
# sourcing script: $work (the working folder, one sub-folder per cluster), the array
# nodes (node1 node2 node3), and scripts/lib/cluster.sh (alive, cmdline_has, terminate,
# leftover_postmaster_pid, stray_pg_pids, free_ports).
# shellcheck shell=bash
# shellcheck disable=SC2154  # work and nodes are set by the sourcing script

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
