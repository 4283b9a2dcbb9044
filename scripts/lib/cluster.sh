# Shell functions shared by scripts/demo.sh and the benchmarks (bench/*/run.sh)
# that run local PostgreSQL HA clusters on 127.0.0.1: a node's Patroni 3.0.2
# configuration file, free ports, passwords, running commands as the `postgres`
# user, and stopping processes by pid. Source it; it defines functions and the
# variables `pg_bin` and `pg_prefix` only, and runs nothing.
#
# The caller defines `log MESSAGE...` (used for progress and warnings).
# shellcheck shell=bash

pg_bin=${pg_bin:-/usr/lib/postgresql/15/bin}

is_root() { [[ $(id -u) -eq 0 ]]; }

# Sets `pg_prefix`, the prefix that runs a command as the user who owns
# PostgreSQL: `postgres` with HOME=$1 when we are root, nothing otherwise.
# setpriv execs in place (runuser would fork), so `$!` of a background run is
# the command's own pid.
set_pg_prefix() {
  local home=$1
  pg_prefix=()
  if is_root; then
    pg_prefix=(setpriv --reuid=postgres --regid=postgres --init-groups --
               env HOME="$home" USER=postgres LOGNAME=postgres)
  fi
}
as_pg() { "${pg_prefix[@]}" "$@"; }

# A live (not zombie) process.
alive() {
  local pid=$1 st
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/stat ]] || return 1
  st=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ $st != Z ]]
}

cmdline_has() {
  tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"
}

# terminate SIGNAL WHAT PID...: signals the pids, waits up to $stop_timeout
# seconds (default 30) for all of them, then SIGKILLs the rest.
terminate() {
  local signal=$1 what=$2
  shift 2
  (($# > 0)) || return 0
  log "stopping $what (pids $*)"
  kill "-$signal" "$@" 2>/dev/null || true
  local limit=${stop_timeout:-30}
  local deadline=$((SECONDS + limit)) left p
  while :; do
    left=()
    for p in "$@"; do alive "$p" && left+=("$p"); done
    ((${#left[@]} == 0)) && return 0
    if ((SECONDS >= deadline)); then
      log "$what pids ${left[*]} still there after ${limit}s: SIGKILL"
      kill -KILL "${left[@]}" 2>/dev/null || true
      sleep 0.5
      return 0
    fi
    sleep 0.2
  done
}

# stray_pg_pids DIR: PostgreSQL processes (any binary of pg_bin) working under
# DIR: a postmaster or backend has its data directory as cwd; initdb,
# pg_basebackup or pg_rewind name a path under DIR on their command line.
stray_pg_pids() {
  local dir=$1 proc pid exe cwd
  for proc in /proc/[0-9]*; do
    pid=${proc#/proc/}
    exe=$(readlink "$proc/exe" 2>/dev/null) || continue
    [[ $exe == "$pg_bin"/* ]] || continue
    cwd=$(readlink "$proc/cwd" 2>/dev/null) || cwd=
    if [[ $cwd == "$dir"/* ]] || cmdline_has "$pid" "$dir/"; then
      alive "$pid" && echo "$pid"
    fi
  done
}

# leftover_postmaster_pid DATA_DIR: the pid in DATA_DIR/postmaster.pid if that
# process still runs with DATA_DIR as its working directory.
leftover_postmaster_pid() {
  local data=$1 pid
  [[ -s $data/postmaster.pid ]] || return 1
  pid=$(head -n 1 "$data/postmaster.pid")
  alive "$pid" && [[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == "$data" ]] && echo "$pid"
}

# free_ports N: N distinct free TCP ports on 127.0.0.1, space separated.
free_ports() {
  python3 - "$1" <<'EOF'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

secret() {
  python3 -c 'import secrets; print(secrets.token_hex(12))'
}

# write_node_config FILE SCOPE NAME NODE_DIR REST_PORT PG_PORT ZK_PORT
#                   SUPERUSER_PW REPLICATION_PW REWIND_PW [TTL LOOP_WAIT RETRY_TIMEOUT]
# Writes a Patroni 3.0.2 configuration file, read alike by praetor and
# Patroni, for one node whose data directory is NODE_DIR/data. Timings default
# to Patroni's (ttl 30, loop_wait 10, retry_timeout 10); bench/failover passes
# a faster profile.
write_node_config() {
  local file=$1 scope=$2 name=$3 node_dir=$4 rest_port=$5 pg_port=$6 zk_port=$7
  local superuser_pw=$8 replication_pw=$9 rewind_pw=${10}
  local ttl=${11:-30} loop_wait=${12:-10} retry_timeout=${13:-10}
  cat >"$file" <<EOF
# praetor node (Patroni 3.0.2 format), written by scripts/lib/cluster.sh
scope: $scope
namespace: /service/
name: $name

restapi:
  listen: 127.0.0.1:$rest_port
  connect_address: 127.0.0.1:$rest_port

zookeeper:
  hosts: ['127.0.0.1:$zk_port']

bootstrap:
  dcs:
    ttl: $ttl
    loop_wait: $loop_wait
    retry_timeout: $retry_timeout
    maximum_lag_on_failover: 1048576
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_level: replica
        hot_standby: 'on'
        max_wal_senders: 10
        max_replication_slots: 10
        wal_log_hints: 'on'
  initdb:
  - encoding: UTF8
  - data-checksums
  pg_hba:
  - host replication replicator 127.0.0.1/32 md5
  - host all all 127.0.0.1/32 md5
  - local all all trust

postgresql:
  listen: 127.0.0.1:$pg_port
  connect_address: 127.0.0.1:$pg_port
  data_dir: $node_dir/data
  bin_dir: $pg_bin
  pgpass: $node_dir/pgpass
  authentication:
    superuser:
      username: postgres
      password: $superuser_pw
    replication:
      username: replicator
      password: $replication_pw
    rewind:
      username: rewind_user
      password: $rewind_pw
  parameters:
    unix_socket_directories: $node_dir

tags:
  nofailover: false
  noloadbalance: false
  clonefrom: false
  nosync: false

watchdog:
  mode: 'off'

log:
  level: INFO
EOF
  chmod 0600 "$file"
  if is_root; then chown postgres:postgres "$file"; fi
}
