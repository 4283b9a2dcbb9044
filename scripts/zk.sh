#!/usr/bin/env bash
# A standalone ZooKeeper 3.8 (Debian's `zookeeper` package) for the demo,
# benchmarks and hand testing, listening on 127.0.0.1 only.
#
#   scripts/zk.sh start  <state_dir> [port]   start; prints the client port on stdout
#                                             (port 0 or none: pick a free one)
#   scripts/zk.sh stop   <state_dir> [port]   stop the server started in state_dir
#   scripts/zk.sh status <state_dir> [port]   exit 0 iff it runs and answers ruok
#
# state_dir holds zoo.cfg, data/, zookeeper.log, zookeeper.pid and port. The
# server runs in the foreground form of Debian's launcher, which execs java, so
# the recorded pid is java's own; stop signals that pid only, after checking it
# still belongs to this state_dir's server.
set -euo pipefail

zk_server=${ZK_SERVER_SH:-/usr/share/zookeeper/bin/zkServer.sh}
start_timeout=${ZK_START_TIMEOUT:-60}
stop_timeout=${ZK_STOP_TIMEOUT:-20}

log() { printf 'zk.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

usage() {
  sed -n '5,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

(($# >= 2)) || usage
command=$1
mkdir -p "$2"
state_dir=$(cd "$2" && pwd)
port_arg=${3:-0}
cfg=$state_dir/zoo.cfg
pid_file=$state_dir/zookeeper.pid
port_file=$state_dir/port

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# True while pid is a live (not zombie) process running this state_dir's server.
is_our_server() {
  local pid=$1 state
  [[ -r /proc/$pid/stat ]] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ $state != Z ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$cfg"
}

recorded_pid() {
  [[ -s $pid_file ]] && cat "$pid_file"
}

# Sends a four-letter word and prints the answer; fails when nothing answers.
four_letter() {
  local port=$1 word=$2
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" && printf %s "$1" >&3 && cat <&3' \
    "$port" "$word" 2>/dev/null
}

is_ok() {
  [[ $(four_letter "$1" ruok || true) == imok ]]
}

write_config() {
  local port=$1
  cat >"$cfg" <<EOF
# Written by scripts/zk.sh: a standalone ZooKeeper for praetor, loopback only.
tickTime=2000
initLimit=10
syncLimit=5
dataDir=$state_dir/data
clientPort=$port
clientPortAddress=127.0.0.1
# the AdminServer would take port 8080 in every instance
admin.enableServer=false
4lw.commands.whitelist=ruok,mntr,stat
# tests open many sessions from 127.0.0.1; the default limit is 60 per address
maxClientCnxns=0
EOF
}

start() {
  local pid port
  if pid=$(recorded_pid) && is_our_server "$pid"; then
    port=$(cat "$port_file")
    if is_ok "$port"; then
      log "already running (pid $pid, port $port)"
      echo "$port"
      return 0
    fi
    die "a server from $state_dir runs (pid $pid) but does not answer on port $port; run: $0 stop $state_dir"
  fi
  [[ -x $zk_server ]] || die "$zk_server not found; install the Debian package 'zookeeper' (scripts/install-deps.sh)"

  port=$port_arg
  [[ $port == 0 ]] && port=$(free_port)
  mkdir -p "$state_dir/data"
  write_config "$port"
  echo "$port" >"$port_file"

  # JVM flags after the launcher's own win: keep the log in state_dir rather
  # than /var/log/zookeeper, and send it to the console we redirect.
  # setsid: the server outlives this script and the terminal that started it.
  JMXDISABLE=true \
    SERVER_JVMFLAGS="-Xmx512m -Dzookeeper.log.dir=$state_dir -Dzookeeper.root.logger=INFO,CONSOLE ${ZK_JVMFLAGS:-}" \
    setsid "$zk_server" start-foreground "$cfg" >"$state_dir/zookeeper.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$pid_file"

  local deadline=$((SECONDS + start_timeout))
  until is_ok "$port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$state_dir/zookeeper.log" >&2 || true
      rm -f "$pid_file"
      die "ZooKeeper exited during start; its log is $state_dir/zookeeper.log"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 20 "$state_dir/zookeeper.log" >&2 || true
      stop
      die "ZooKeeper did not answer ruok on 127.0.0.1:$port within ${start_timeout}s; its log is $state_dir/zookeeper.log"
    fi
    sleep 0.2
  done
  is_our_server "$pid" || die "pid $pid answers for nothing we started; port $port may belong to another server"
  log "started (pid $pid, port $port, log $state_dir/zookeeper.log)"
  echo "$port"
}

stop() {
  local pid
  if ! pid=$(recorded_pid); then
    log "not running (no pid file in $state_dir)"
    return 0
  fi
  if ! is_our_server "$pid"; then
    log "not running (pid $pid is gone)"
    rm -f "$pid_file"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + stop_timeout))
  while is_our_server "$pid"; do
    if ((SECONDS >= deadline)); then
      log "pid $pid ignored SIGTERM for ${stop_timeout}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  is_our_server "$pid" && die "pid $pid survived SIGKILL"
  rm -f "$pid_file"
  log "stopped (pid $pid)"
}

status() {
  local pid port
  port=$port_arg
  [[ $port == 0 && -s $port_file ]] && port=$(cat "$port_file")
  if pid=$(recorded_pid) && is_our_server "$pid"; then
    if is_ok "$port"; then
      echo "running: pid $pid, 127.0.0.1:$port"
      return 0
    fi
    echo "not answering: pid $pid, 127.0.0.1:$port"
    return 1
  fi
  echo "stopped"
  return 1
}

case $command in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
