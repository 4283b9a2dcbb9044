#!/usr/bin/env bash
# A local three-node praetor cluster: one ZooKeeper, three praetor daemons,
# each running its own PostgreSQL 15, everything on 127.0.0.1.
#
#   scripts/demo.sh [start]   install packages, build, start, wait until one
#                             primary and two streaming replicas, show them
#   scripts/demo.sh status    what runs, and the cluster as the REST API sees it
#   scripts/demo.sh stop      stop the daemons, any PostgreSQL left, ZooKeeper
#
# Environment:
#   PRAETOR_DEMO_DIR      state folder (default /tmp/praetor-demo); `start`
#                         wipes a stopped earlier demo there
#   PRAETOR_DEMO_TIMEOUT  seconds to wait for the cluster (default 240)
#   PRAETOR_SKIP_DEPS=1   do not run scripts/install-deps.sh
#   PRAETOR_SKIP_BUILD=1  do not run scripts/build.sh (use what BUILD_DIR holds)
#   BUILD_DIR             build folder (default <repo>/build)
#   PRAETOR_DEMO_DAEMON   daemon to run instead of the built praetor, e.g.
#                         /usr/bin/patroni for a side-by-side look
#
# As root, PostgreSQL and the daemons run as the unprivileged `postgres` user
# (PostgreSQL refuses root) and the state folder belongs to that user; the
# binaries are copied into it because the clone may not be readable by
# `postgres`. Every process is recorded by pid and stopped by that pid.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=scripts/lib/cluster.sh
source "$repo/scripts/lib/cluster.sh"

command=${1:-start}
state=$(realpath -m -- "${PRAETOR_DEMO_DIR:-/tmp/praetor-demo}")
timeout_s=${PRAETOR_DEMO_TIMEOUT:-240}
build_dir=${BUILD_DIR:-build}
[[ $build_dir == /* ]] || build_dir=$repo/$build_dir
nodes=(node1 node2 node3)
marker=.praetor-demo
stop_timeout=30

log() { printf 'demo: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# As root, commands run as `postgres` with the state folder as HOME.
set_pg_prefix "$state"

# pid of node's daemon if it still runs (checked against its config path).
daemon_pid() {
  local node=$1 pid
  [[ -s $state/$node/praetor.pid ]] || return 1
  pid=$(cat "$state/$node/praetor.pid")
  alive "$pid" && cmdline_has "$pid" "$state/$node.yml" && echo "$pid"
}

any_daemon_running() {
  local n
  for n in "${nodes[@]}"; do
    daemon_pid "$n" >/dev/null && return 0
  done
  return 1
}

# ---------------------------------------------------------------- stop

stop_all() {
  local n pids=() pid
  for n in "${nodes[@]}"; do
    pid=$(daemon_pid "$n") && pids+=("$pid")
  done
  terminate TERM "praetor daemons" "${pids[@]}"
  for n in "${nodes[@]}"; do rm -f "$state/$n/praetor.pid"; done

  # A postmaster the daemons left behind: fast shutdown, by the pid it wrote.
  pids=()
  for n in "${nodes[@]}"; do
    pid=$(leftover_postmaster_pid "$state/$n/data") && pids+=("$pid")
  done
  terminate INT "leftover postmasters" "${pids[@]}"

  mapfile -t pids < <(stray_pg_pids "$state")
  terminate KILL "leftover PostgreSQL processes" "${pids[@]}"

  if [[ -d $state/zk ]]; then
    scripts/zk.sh stop "$state/zk" || true
  fi
}

# ---------------------------------------------------------------- start

# Empties the state folder, refusing anything that is not an earlier demo.
fresh_state_dir() {
  if [[ -e $state ]]; then
    if [[ -e $state/$marker ]]; then
      rm -rf -- "${state:?}"/* "${state:?}"/.[!.]* 2>/dev/null || true
    elif [[ -n $(ls -A "$state" 2>/dev/null) ]]; then
      die "$state exists and is not a praetor demo folder; remove it or set PRAETOR_DEMO_DIR"
    fi
  fi
  mkdir -p "$state"
  touch "$state/$marker"
  mkdir -p "$state/bin" "$state/zk"
  for n in "${nodes[@]}"; do
    mkdir -p "$state/$n"
    chmod 0700 "$state/$n"
  done
  if is_root; then
    chown -R postgres:postgres "$state"
    chmod 0755 "$state"
    as_pg test -w "$state/node1" ||
      die "the postgres user cannot reach $state; choose a PRAETOR_DEMO_DIR under a folder it may enter (e.g. /tmp)"
  fi
}

# Patroni 3.0.2 configuration of one node, scope `demo` (scripts/lib/cluster.sh).
write_demo_config() {
  local n=$1 rest_port=$2 pg_port=$3 zk_port=$4
  write_node_config "$state/$n.yml" demo "$n" "$state/$n" "$rest_port" "$pg_port" "$zk_port" \
    "$superuser_pw" "$replication_pw" "$rewind_pw"
}

rest_port_of() {
  sed -n 's/^  listen: 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$state/$1.yml" | head -n 1
}

# Prints one line about the cluster seen from node's REST API; exit 0 when it
# shows exactly one running leader and two replicas that stream (Patroni 3.0.2
# reports a replica as `running` with a numeric lag; praetor may say `streaming`).
cluster_summary() {
  local port
  port=$(rest_port_of "$1")
  curl -s --max-time 3 "http://127.0.0.1:$port/cluster" 2>/dev/null | python3 -c '
import json, sys
try:
    members = json.load(sys.stdin).get("members", [])
except Exception:
    print("REST API not answering yet")
    sys.exit(2)
leaders = [m for m in members if m.get("role") == "leader" and m.get("state") == "running"]
replicas = [m for m in members
            if m.get("role") in ("replica", "sync_standby")
            and m.get("state") in ("running", "streaming")
            and isinstance(m.get("lag"), int)]
print(", ".join("%s %s/%s" % (m.get("name"), m.get("role"), m.get("state")) for m in members)
      or "no members yet")
sys.exit(0 if len(leaders) == 1 and len(replicas) == 2 and len(members) == 3 else 1)
'
}

show_cluster() {
  if [[ -x $state/bin/praetorctl ]]; then
    as_pg "$state/bin/praetorctl" -c "$state/node1.yml" list || log "praetorctl list failed"
  elif command -v patronictl >/dev/null 2>&1; then
    as_pg patronictl -c "$state/node1.yml" list || log "patronictl list failed"
  fi
}

start() {
  if [[ -d $state ]] && any_daemon_running; then
    log "a demo already runs in $state (scripts/demo.sh stop first)"
    status || true
    return 0
  fi

  if [[ ${PRAETOR_SKIP_DEPS:-0} != 1 ]]; then
    log "installing packages (scripts/install-deps.sh)"
    scripts/install-deps.sh
  fi
  if [[ ${PRAETOR_SKIP_BUILD:-0} != 1 ]]; then
    log "building into $build_dir (scripts/build.sh)"
    BUILD_DIR=$build_dir scripts/build.sh --target praetor praetorctl ||
      BUILD_DIR=$build_dir scripts/build.sh
  fi

  local daemon=${PRAETOR_DEMO_DAEMON:-}
  if [[ -z $daemon ]]; then
    [[ -x $build_dir/bin/praetor ]] || die "$build_dir/bin/praetor is missing: did the build fail?"
  fi

  # A crashed earlier run may have left processes; stop them before wiping.
  if [[ -e $state/$marker ]]; then stop_all; fi
  fresh_state_dir

  if [[ -z $daemon ]]; then
    cp "$build_dir/bin/praetor" "$state/bin/"
    [[ -x $build_dir/bin/praetorctl ]] && cp "$build_dir/bin/praetorctl" "$state/bin/"
    chmod 0755 "$state"/bin/*
    daemon=$state/bin/praetor
  fi

  # From here on, an interrupted or failed start leaves nothing running.
  trap 'log "interrupted: stopping what was started"; stop_all; exit 130' INT TERM

  local ports zk_port
  read -r -a ports <<<"$(free_ports 7)"
  zk_port=${ports[0]}
  scripts/zk.sh start "$state/zk" "$zk_port" >/dev/null

  superuser_pw=$(secret)
  replication_pw=$(secret)
  rewind_pw=$(secret)
  local i n
  for i in 0 1 2; do
    write_demo_config "${nodes[$i]}" "${ports[$((1 + i))]}" "${ports[$((4 + i))]}" "$zk_port"
  done

  if [[ -z ${PRAETOR_DEMO_DAEMON:-} ]]; then
    for n in "${nodes[@]}"; do
      if ! as_pg "$daemon" --validate-config "$state/$n.yml" >"$state/$n/validate.log" 2>&1; then
        cat "$state/$n/validate.log" >&2
        stop_all
        die "praetor rejected $state/$n.yml (above); fix write_node_config in scripts/lib/cluster.sh or the config loader"
      fi
    done
  fi

  for n in "${nodes[@]}"; do
    local logf=$state/$n/praetor.log
    : >"$logf"
    if is_root; then chown postgres:postgres "$logf"; fi
    # setsid: the daemons outlive this script and its terminal; every program
    # in the chain execs the next, so $! is the daemon's pid.
    (cd "$state" && exec setsid "${pg_prefix[@]}" "$daemon" "$state/$n.yml") \
      >>"$logf" 2>&1 </dev/null &
    echo $! >"$state/$n/praetor.pid"
    log "started $n (pid $!, REST 127.0.0.1:$(rest_port_of "$n"), log $logf)"
  done

  log "waiting up to ${timeout_s}s for one primary and two streaming replicas"
  local deadline=$((SECONDS + timeout_s)) last="" line ok=1 next_print=0
  while :; do
    for n in "${nodes[@]}"; do
      if ! daemon_pid "$n" >/dev/null; then
        log "$n's daemon exited; the end of $state/$n/praetor.log:"
        tail -n 30 "$state/$n/praetor.log" >&2 || true
        stop_all
        die "the demo did not start; logs are in $state/node*/praetor.log"
      fi
    done
    line=""
    for n in "${nodes[@]}"; do
      if line=$(cluster_summary "$n"); then ok=0; break; fi
      [[ $line == "REST API not answering yet" ]] || break
    done
    ((ok == 0)) && break
    if [[ $line != "$last" ]] || ((SECONDS >= next_print)); then
      log "  $((timeout_s - (deadline - SECONDS)))s: $line"
      last=$line
      next_print=$((SECONDS + 15))
    fi
    if ((SECONDS >= deadline)); then
      stop_all
      die "no healthy cluster after ${timeout_s}s (last seen: $line); logs are in $state/node*/praetor.log"
    fi
    sleep 2
  done
  trap - INT TERM
  log "cluster ready: $line"
  echo
  show_cluster
  cat <<EOF

The demo cluster runs in $state (ZooKeeper on 127.0.0.1:$zk_port).
  cluster table:       $state/bin/praetorctl -c $state/node1.yml list
  with Patroni's tool: patronictl -c $state/node1.yml list
  REST API:            curl -s http://127.0.0.1:$(rest_port_of node1)/cluster
  daemon logs:         tail -f $state/node1/praetor.log   (node2, node3 alike)
  status:              scripts/demo.sh status
  stop:                scripts/demo.sh stop
EOF
}

status() {
  [[ -e $state/$marker ]] || { echo "no demo in $state"; return 1; }
  local n pid rc=0
  scripts/zk.sh status "$state/zk" | sed 's/^/zookeeper: /' || rc=1
  for n in "${nodes[@]}"; do
    if pid=$(daemon_pid "$n"); then
      echo "$n: daemon running, pid $pid, REST 127.0.0.1:$(rest_port_of "$n")"
    else
      echo "$n: daemon not running"
      rc=1
    fi
  done
  for n in "${nodes[@]}"; do
    if daemon_pid "$n" >/dev/null; then
      echo "cluster: $(cluster_summary "$n" || true)"
      show_cluster
      break
    fi
  done
  return $rc
}

stop() {
  [[ -e $state/$marker ]] || { log "no demo in $state"; return 0; }
  stop_all
  log "stopped; logs and data stay in $state"
}

case $command in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    sed -n '5,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
