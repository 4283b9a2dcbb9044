#!/usr/bin/env bash
# Write outage of switchover, failover, postmaster crash, rejoin and a frozen
# daemon, praetor against Patroni 3.0.2, side by side in one run, on 127.0.0.1,
# with asynchronous or synchronous replication (bench/README.md, section
# "bench/failover", and bench/failover/README.md explain what and how).
#
#   BUILD_DIR=/tmp/build-bench bench/failover/run.sh
#
# For every profile and scenario, one three-node cluster per system is
# bootstrapped (fresh scope, fresh data directories; both systems' clusters run
# at the same time, idle while the other is measured), then REPS repetitions
# alternate between the systems. One repetition:
#   1. the cluster is healthy (one primary answering GET /primary, both
#      replicas streaming from it);
#   2. failover_writer commits a row every 20 ms through a multi-host
#      connection string (target_session_attrs=read-write), PRE_SECONDS of
#      steady writes;
#   3. the fault: switchover (POST /switchover {leader, candidate} to the
#      primary's REST API), failover (SIGKILL of the primary's daemon and its
#      postmaster together), crash (SIGKILL of the postmaster alone), rejoin
#      (as failover; then the old node's daemon is started again and timed
#      until the new primary's pg_stat_replication shows it streaming), freeze
#      (SIGSTOP of the primary's daemon alone, SIGCONT FREEZE_SECONDS later;
#      meanwhile every node is asked pg_is_in_recovery() every 0.1 s, to time
#      two writable primaries; then the cluster must converge: healthy again
#      within HEALTH_TIMEOUT);
#   4. until a writable primary exists again (another node, or for crash the
#      restarted postmaster) and the writer has committed for POST_SECONDS;
#   5. the writer stops; measure.py analyze: longest gap between two
#      acknowledged commits, fault -> first commit, acknowledged ids missing on
#      the primary; the leader znode's deletion as ZooKeeper reported it;
#   6. the cluster is brought back (failover: the old daemon is restarted) and
#      must be healthy again within HEALTH_TIMEOUT, else the repetition counts
#      as failed and the cluster is rebuilt for the next one.
# At the end, the table (medians, maxima, ratios praetor/Patroni, the issue's
# targets) is printed and saved with the raw JSON in RESULTS_DIR.
# Everything started is recorded by pid and stopped on exit, Ctrl-C or failure.
#
# Environment:
#   BUILD_DIR        build holding bin/praetor and bin/failover_writer (default
#                    <repo>/build); `BUILD_DIR=... scripts/build.sh --target
#                    praetor failover_writer`
#   PRAETOR_BIN      the praetor binary (default $BUILD_DIR/bin/praetor)
#   WRITER_BIN       the writer (default $BUILD_DIR/bin/failover_writer)
#   PATRONI_BIN      the Patroni daemon (default /usr/bin/patroni)
#   REPS             repetitions per system, profile and scenario (default 5)
#   PROFILES         "default fast" (default: both). default = ttl 30,
#                    loop_wait 10, retry_timeout 10; fast = ttl 10, loop_wait 2,
#                    retry_timeout 3
#   SYSTEMS          "praetor patroni" (default: both)
#   SCENARIOS        "switchover failover crash rejoin freeze" (default: the
#                    first four)
#   SYNC             "off" (default: asynchronous replication), "strict"
#                    (bootstrap.dcs synchronous_mode: true,
#                    synchronous_mode_strict: true), "quorum" (synchronous_mode:
#                    quorum; praetor only, Patroni 3.0.2 has no quorum mode), or
#                    a list of them ("strict quorum"), run one after the other.
#                    A synchronous cluster is healthy only once its primary's
#                    synchronous_standby_names is set, a standby streams as
#                    sync/quorum and the `sync` key in ZooKeeper names it
#   FREEZE_SECONDS   how long the freeze scenario keeps the daemon stopped
#                    (default 25, more than ttl at the fast profile)
#   WATCH_WRITABLE   1: poll pg_is_in_recovery() on every node every 0.1 s in
#                    every scenario (default: 1 with SYNC other than off, and in
#                    freeze always; 0 otherwise)
#   PRE_SECONDS      steady writes before the fault (default 2)
#   KILL_JITTER      1 (default): failover and rejoin kill after up to loop_wait more
#                    seconds, uniformly at random; 0: right after PRE_SECONDS
#   POST_SECONDS     writes after recovery before the writer stops (default 2)
#   HEALTH_TIMEOUT   seconds for the cluster to be healthy again (default 300)
#   BOOT_TIMEOUT     seconds for a new cluster to be healthy (default 300)
#   BENCH_DIR        working folder (default /tmp/praetor-bench-failover); its
#                    work/ subfolder is wiped at start and keeps every log
#   RESULTS_DIR      where results go (default bench/failover/results/<UTC time>)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here=$repo/bench/failover
# shellcheck source=scripts/lib/cluster.sh
source "$repo/scripts/lib/cluster.sh"

build_dir=${BUILD_DIR:-build}
[[ $build_dir == /* ]] || build_dir=$repo/$build_dir
praetor_src=${PRAETOR_BIN:-$build_dir/bin/praetor}
writer_src=${WRITER_BIN:-$build_dir/bin/failover_writer}
patroni_bin=${PATRONI_BIN:-/usr/bin/patroni}
reps=${REPS:-5}
read -r -a profiles <<<"${PROFILES:-default fast}"
read -r -a systems <<<"${SYSTEMS:-praetor patroni}"
read -r -a scenarios <<<"${SCENARIOS:-switchover failover crash rejoin}"
read -r -a syncs <<<"${SYNC:-off}"
freeze_seconds=${FREEZE_SECONDS:-25}
watch_writable=${WATCH_WRITABLE:-}
pre_seconds=${PRE_SECONDS:-2}
kill_jitter=${KILL_JITTER:-1}
post_seconds=${POST_SECONDS:-2}
health_timeout=${HEALTH_TIMEOUT:-300}
boot_timeout=${BOOT_TIMEOUT:-300}
bench_dir=$(realpath -m -- "${BENCH_DIR:-/tmp/praetor-bench-failover}")
work=$bench_dir/work
run_id=$(date -u +%Y%m%dT%H%M%SZ)
results_dir=$(realpath -m -- "${RESULTS_DIR:-$here/results/$run_id}")
marker=.praetor-bench-failover
stop_timeout=60
nodes=(node1 node2 node3)
measure=$here/measure.py

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

[[ -x $praetor_src ]] || [[ " ${systems[*]} " != *" praetor "* ]] ||
  die "$praetor_src is missing: run BUILD_DIR=$build_dir scripts/build.sh --target praetor failover_writer"
[[ -x $writer_src ]] || die "$writer_src is missing: run BUILD_DIR=$build_dir scripts/build.sh --target failover_writer"
[[ -x $patroni_bin ]] || [[ " ${systems[*]} " != *" patroni "* ]] ||
  die "$patroni_bin is missing: install Debian's patroni (scripts/install-deps.sh)"
[[ $reps =~ ^[1-9][0-9]*$ ]] || die "REPS must be a positive integer"
for p in "${profiles[@]}"; do [[ $p == default || $p == fast ]] || die "unknown profile $p"; done
for s in "${systems[@]}"; do [[ $s == praetor || $s == patroni ]] || die "unknown system $s"; done
for s in "${scenarios[@]}"; do
  [[ $s =~ ^(switchover|failover|crash|rejoin|freeze)$ ]] || die "unknown scenario $s"
done
((${#syncs[@]} > 0)) || die "SYNC is empty"
for s in "${syncs[@]}"; do [[ $s =~ ^(off|strict|quorum)$ ]] || die "unknown SYNC mode $s"; done
[[ $freeze_seconds =~ ^[1-9][0-9]*$ ]] || die "FREEZE_SECONDS must be a positive integer"
[[ -z $watch_writable || $watch_writable =~ ^[01]$ ]] || die "WATCH_WRITABLE must be 0 or 1"

# ttl loop_wait retry_timeout of a profile.
timings() {
  case $1 in
    default) echo "30 10 10" ;;
    fast) echo "10 2 3" ;;
  esac
}

set_pg_prefix "$work"

# ---------------------------------------------------------------- clusters
#
# A cluster lives in $work/<name>/ (bench/lib/clusters.sh), with profile and
# rep-<n>/ (one repetition's files) besides. The writer, the leader watcher and
# the switchover request are the helpers ($helpers_file) while they run.

# shellcheck source=bench/lib/clusters.sh
source "$repo/bench/lib/clusters.sh"

# sync_keys DIR SYNC: the synchronous mode's keys into bootstrap.dcs of the
# cluster's node configs (scripts/lib/cluster.sh writes them without), right
# after retry_timeout; praetor's configs are checked again.
sync_keys() {
  local dir=$1 sync=$2 n keys f
  case $sync in
    off) return 0 ;;
    strict) keys='    synchronous_mode: true\n    synchronous_mode_strict: true' ;;
    quorum) keys='    synchronous_mode: quorum' ;;
  esac
  for n in "${nodes[@]}"; do
    f=$dir/$n.yml
    grep -q '^    retry_timeout: ' "$f" || die "no bootstrap.dcs retry_timeout in $f"
    sed -i "/^    retry_timeout: /a\\
$keys" "$f"
    chmod 0600 "$f"
    if is_root; then chown postgres:postgres "$f"; fi
    if [[ $(cat "$dir/product") == praetor ]]; then
      as_pg "$(daemon_of praetor)" --validate-config "$f" >"$dir/$n/validate.log" 2>&1 ||
        { cat "$dir/$n/validate.log" >&2; die "praetor rejected $f"; }
    fi
  done
}

# start_cluster NAME PRODUCT PROFILE [SYNC]: a fresh cluster (new scope, empty
# data directories) in $work/NAME; the previous one of that name is stopped
# first. SYNC: off (default), strict or quorum.
generation=0
start_cluster() {
  local name=$1 product=$2 profile=$3 sync=${4:-off}
  local dir=$work/$name n scope
  local ttl loop_wait retry_timeout
  read -r ttl loop_wait retry_timeout <<<"$(timings "$profile")"
  if [[ -e $dir/product ]]; then
    stop_cluster "$dir"
    drop_data "$dir"
    rm -f "$dir/product"
  fi
  generation=$((generation + 1))
  scope=bench-fo-$name-$run_id-$generation
  write_cluster "$dir" "$product" "$scope" "$ttl" "$loop_wait" "$retry_timeout"
  sync_keys "$dir" "$sync"
  echo "$profile" >"$dir/profile"
  echo "$sync" >"$dir/sync"
  for n in "${nodes[@]}"; do
    printf '\n===== %s: cluster generation %s (scope %s)\n' "$(date -u +%FT%TZ)" "$generation" \
      "$scope" >>"$dir/$n/daemon.log"
  done
  start_daemons "$dir"
  log "$name: started $product, $profile profile, synchronous mode $sync (scope $scope, nodes $(cat "$dir/nodes"))"
}

m() {
  BENCH_PGPASSWORD=$(cat "$cur_dir/password") python3 "$measure" "$@"
}

# wait_healthy DIR TIMEOUT: bench/lib/clusters.sh's, and for a synchronous
# cluster also until its primary is synchronous (measure.py wait-healthy --sync).
wait_healthy() {
  local sync=off
  [[ -s $1/sync ]] && sync=$(cat "$1/sync")
  BENCH_PGPASSWORD=$(cat "$1/password") python3 "$measure" wait-healthy \
    --nodes "$(cat "$1/nodes")" --timeout "$2" --sync "$sync" --zk "127.0.0.1:$zk_port" \
    --sync-path "/service/$(cat "$1/scope")/sync"
}

# boot_cluster NAME PRODUCT PROFILE [SYNC]: start_cluster, then wait until healthy
# (one retry with a fresh cluster). Fails when neither came up.
boot_cluster() {
  local name=$1 attempt out
  for attempt in 1 2; do
    start_cluster "$@"
    if out=$(wait_healthy "$work/$name" "$boot_timeout"); then
      log "$name: healthy ($out)"
      return 0
    fi
    log "$name: not healthy after ${boot_timeout}s (attempt $attempt): $out"
    show_daemon_logs "$work/$name" 12
  done
  return 1
}

# wait_pg_gone DIR NODE: until no PostgreSQL process works in the node's data
# directory any more (a killed postmaster's backends exit on their own);
# SIGKILLs what is left after 20 s.
wait_pg_gone() {
  local dir=$1/$2 deadline=$((SECONDS + 20)) pids
  while :; do
    mapfile -t pids < <(stray_pg_pids "$dir")
    ((${#pids[@]} == 0)) && return 0
    if ((SECONDS >= deadline)); then
      terminate KILL "$2's leftover PostgreSQL processes" "${pids[@]}"
      return 0
    fi
    sleep 0.1
  done
}

# ---------------------------------------------------------------- one repetition

# run_rep NAME SCENARIO REP: appends one JSON line to $runs_jsonl. Returns 1
# when the cluster must be rebuilt before the next repetition.
# zk_quiet_ms PID: "<ms since PID last sent to ZooKeeper> <when asked>", from the kernel's
# socket statistics (ss -i lastsnd); nothing when PID has no ZooKeeper connection.
zk_quiet_ms() {
  local at=$EPOCHREALTIME
  ss -tinpH state established "( dport = :$zk_port )" 2>/dev/null | paste - - |
    awk -v pid="pid=$1," -v at="$at" 'index($0, pid) { if (match($0, /lastsnd:[0-9]+/)) { print substr($0, RSTART + 8, RLENGTH - 8), at; exit } }'
}

# The daemon the freeze scenario stopped (SIGSTOP), until it is continued: the
# EXIT trap continues it before stopping everything.
frozen_pid=
thaw_frozen() {
  [[ -n $frozen_pid ]] && kill -CONT "$frozen_pid" 2>/dev/null
  frozen_pid=
  return 0
}

run_rep() {
  local name=$1 scenario=$2 rep=$3
  local dir=$work/$name product profile sync ttl loop_wait retry_timeout
  product=$(cat "$dir/product")
  profile=$(cat "$dir/profile")
  sync=$(cat "$dir/sync")
  read -r ttl loop_wait retry_timeout <<<"$(timings "$profile")"
  cur_dir=$dir
  local repdir=$dir/rep-$rep
  rm -rf -- "$repdir"
  mkdir -p "$repdir"
  local nodes_spec pw rep_start=$EPOCHREALTIME
  nodes_spec=$(cat "$dir/nodes")
  pw=$(cat "$dir/password")
  local -A rec=([system]="\"$product\"" [profile]="\"$profile\"" [scenario]="\"$scenario\""
                [sync]="\"$sync\""
                [rep]=$rep [ttl]=$ttl [loop_wait]=$loop_wait [retry_timeout]=$retry_timeout
                [scope]="\"$(cat "$dir/scope")\"")
  local ok=true error="" rebuild=0 out

  finish_rep() {
    rec[ok]=$ok
    [[ -n $error ]] && rec[error]=$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$error")
    rec[rep_seconds]=$(python3 -c "print(round($EPOCHREALTIME - $rep_start, 3))")
    rec[load1]=$(cut -d' ' -f1 /proc/loadavg)
    local k parts=()
    for k in "${!rec[@]}"; do parts+=("\"$k\": ${rec[$k]}"); done
    local line
    line=$(python3 -c 'import json, sys; d = json.loads(sys.argv[1]); x = d.pop("analysis", {}); x.update(d); print(json.dumps(x, sort_keys=True))' \
      "{$(IFS=,; echo "${parts[*]}")}")
    echo "$line" >>"$runs_jsonl"
    echo "$line" >"$repdir/result.json"
    if [[ $ok == true ]]; then
      log "$name rep $rep: ok in ${rec[rep_seconds]} s: $(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print({k: d.get(k) for k in ("outage_s","first_commit_s","lost","rejoin_s","leader_key_gone_s","longest_commit_wait_s","two_writable_s","converged_s") if k in d})' "$line")"
    else
      log "$name rep $rep: FAILED: $error"
      show_daemon_logs "$dir" 12
    fi
  }

  # restart_old KEY: starts the old primary's daemon again once its killed
  # PostgreSQL is gone; KEY gets the seconds until it streams from the new one.
  restart_old() {
    local restart_at
    wait_pg_gone "$dir" "$old"
    restart_at=$EPOCHREALTIME
    start_daemon "$dir" "$old"
    if out=$(m wait-member-streaming --nodes "$nodes_spec" --primary "$new" --member "$old" \
               --since "$restart_at" --timeout "$health_timeout"); then
      rec[$1]=$(jget "$out" seconds)
    else
      ok=false error="$old did not stream from $new after its restart: $out" rebuild=1
    fi
  }

  # 1. healthy?
  if ! out=$(wait_healthy "$dir" "$health_timeout"); then
    ok=false error="not healthy before the repetition: $out" rebuild=1
    finish_rep
    return 1
  fi
  local old new="" candidate="" i primary_rest="" conn_ports=() n pg rest parts
  old=$(jget "$out" primary)
  rec[old_primary]="\"$old\""
  # In synchronous mode, Patroni switches over only to a standby the `sync` key names.
  if [[ $sync != off ]]; then
    candidate=$(python3 -c 'import json, sys; s = json.loads(sys.argv[1]).get("sync_standbys") or [""]; print(s[0])' "$out")
    rec[sync_before]=$(python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(json.dumps({k: d.get(k) for k in ("sync_key", "synchronous_standby_names", "sync_standbys")}))' "$out")
  fi
  IFS=, read -r -a parts <<<"$nodes_spec"
  for i in "${parts[@]}"; do
    IFS=: read -r n pg rest <<<"$i"
    conn_ports+=("$pg")
    if [[ $n == "$old" ]]; then
      primary_rest=$rest
    elif [[ -z $candidate ]]; then
      candidate=$n
    fi
  done

  # 2. leader watcher and writer
  : >"$repdir/leader_events"
  python3 "$measure" watch-leader --zk "127.0.0.1:$zk_port" --path "/service/$(cat "$dir/scope")/leader" \
    --out "$repdir/leader_events" 2>"$repdir/watch.err" &
  local watcher=$!
  echo "$watcher" >>"$helpers_file"
  # every node's pg_is_in_recovery() every 0.1 s, for two writable primaries
  local wwatcher="" writable_file=""
  if [[ $scenario == freeze || ${watch_writable:-$([[ $sync != off ]] && echo 1 || echo 0)} == 1 ]]; then
    writable_file=$repdir/writable
    : >"$writable_file"
    BENCH_PGPASSWORD=$pw python3 "$measure" watch-writable --nodes "$nodes_spec" --out "$writable_file" \
      2>"$repdir/watch-writable.err" &
    wwatcher=$!
    echo "$wwatcher" >>"$helpers_file"
  fi
  PGPASSWORD=$pw "$work/bin/failover_writer" --recreate --out "$repdir/acks" \
    --conninfo "host=127.0.0.1,127.0.0.1,127.0.0.1 port=$(IFS=,; echo "${conn_ports[*]}") user=postgres dbname=postgres" \
    2>"$repdir/writer.err" &
  local writer=$!
  echo "$writer" >>"$helpers_file"
  local deadline=$((SECONDS + 60))
  until [[ -s $repdir/acks ]] && (($(wc -l <"$repdir/acks") >= 50)); do
    if ((SECONDS >= deadline)) || ! alive "$writer"; then
      ok=false error="the writer did not commit 50 rows within 60 s: $(tail -n 3 "$repdir/writer.err" | tr '\n' ' ')"
      rebuild=1
      stop_helpers
      finish_rep
      return 1
    fi
    sleep 0.1
  done
  sleep "$pre_seconds"
  # A kill lands at a random place between two of the dead daemon's heartbeats, as a real
  # crash would: ZooKeeper expires the session a session timeout after the last one, so a
  # kill at a fixed delay after "healthy" would favour whichever system happened to ping
  # just before it. Up to loop_wait more seconds, uniformly (KILL_JITTER=0: none).
  if [[ $scenario == failover || $scenario == rejoin ]] && ((kill_jitter)); then
    local jitter
    jitter=$(python3 -c "import random; print(round(random.uniform(0, $loop_wait), 3))")
    rec[kill_jitter_s]=$jitter
    sleep "$jitter"
  fi

  # 3. the fault
  local event dpid ppid curl_pid="" kind=$scenario thaw_pid=""
  case $scenario in
    switchover)
      rec[candidate]="\"$candidate\""
      event=$EPOCHREALTIME
      curl -s -m 120 -o "$repdir/switchover.body" -w '%{http_code}' -X POST \
        -H 'Content-Type: application/json' \
        -d "{\"leader\": \"$old\", \"candidate\": \"$candidate\"}" \
        "http://127.0.0.1:$primary_rest/switchover" >"$repdir/switchover.code" 2>&1 &
      curl_pid=$!
      echo "$curl_pid" >>"$helpers_file"
      ;;
    failover | rejoin)
      kind=failover
      dpid=$(daemon_pid "$dir" "$old") || true
      ppid=$(leftover_postmaster_pid "$dir/$old/data") || true
      if [[ -z $dpid || -z $ppid ]]; then
        ok=false error="no daemon ($dpid) or postmaster ($ppid) pid for $old" rebuild=1
        stop_helpers
        finish_rep
        return 1
      fi
      # How long the daemon has been silent towards ZooKeeper when it dies: its session
      # expires a session timeout after its last packet, not after the kill.
      local quiet
      quiet=$(zk_quiet_ms "$dpid")
      event=$EPOCHREALTIME
      kill -KILL "$dpid" "$ppid"
      [[ -n $quiet ]] && rec[zk_quiet_before_kill_s]=$(python3 -c "print(round(${quiet%% *} / 1000 + $event - ${quiet#* }, 3))")
      ;;
    freeze)
      # The daemon alone (not the fence guard, not PostgreSQL): the primary keeps serving while
      # its manager neither renews its ZooKeeper session nor acts, for FREEZE_SECONDS.
      kind=failover
      dpid=$(daemon_pid "$dir" "$old") || true
      if [[ -z $dpid ]]; then
        ok=false error="no daemon pid for $old" rebuild=1
        stop_helpers
        finish_rep
        return 1
      fi
      local quiet
      quiet=$(zk_quiet_ms "$dpid")
      rec[frozen_pid]=$dpid
      event=$EPOCHREALTIME
      kill -STOP "$dpid"
      frozen_pid=$dpid
      [[ -n $quiet ]] && rec[zk_quiet_before_kill_s]=$(python3 -c "print(round(${quiet%% *} / 1000 + $event - ${quiet#* }, 3))")
      (sleep "$freeze_seconds" && kill -CONT "$dpid" && echo "$EPOCHREALTIME" >"$repdir/thawed_at") &
      thaw_pid=$!
      echo "$thaw_pid" >>"$helpers_file"
      ;;
    crash)
      ppid=$(leftover_postmaster_pid "$dir/$old/data") || true
      if [[ -z $ppid ]]; then
        ok=false error="no postmaster pid for $old" rebuild=1
        stop_helpers
        finish_rep
        return 1
      fi
      event=$EPOCHREALTIME
      kill -KILL "$ppid"
      ;;
  esac
  rec[event]=$event

  # 4. writable again
  local recover_timeout=$((3 * ttl + 120))
  [[ $scenario == freeze ]] && recover_timeout=$((recover_timeout + freeze_seconds))
  if ! out=$(m wait-recovered --nodes "$nodes_spec" --kind "$kind" --old "$old" --since "$event" \
               --acks "$repdir/acks" --settle "$post_seconds" --timeout "$recover_timeout"); then
    ok=false error="not writable again: $out" rebuild=1
  fi
  rec[recovered]=${out:-null}
  new=$(jget "$out" primary)
  [[ -n $new ]] && rec[new_primary]="\"$new\""

  # freeze: the daemon continues FREEZE_SECONDS after its stop, whatever happened; the writer
  # goes on through it, and the cluster must converge (one primary, both others streaming,
  # synchronous again in a synchronous mode) within HEALTH_TIMEOUT
  if [[ $scenario == freeze ]]; then
    wait "$thaw_pid" 2>/dev/null || true
    kill -CONT "$dpid" 2>/dev/null || true
    frozen_pid=
    local thawed=$EPOCHREALTIME
    [[ -s $repdir/thawed_at ]] && thawed=$(cat "$repdir/thawed_at")
    rec[thaw_s]=$(python3 -c "print(round($thawed - $event, 3))")
    if out=$(wait_healthy "$dir" "$health_timeout"); then
      rec[converged_s]=$(python3 -c "print(round($EPOCHREALTIME - $thawed, 3))")
      rec[converged]=true
      rec[healthy_after]=$out
      local final
      final=$(jget "$out" primary)
      [[ -n $final ]] && new=$final && rec[final_primary]="\"$final\""
      # the writer commits on the converged cluster for POST_SECONDS more
      sleep "$post_seconds"
    else
      rec[converged]=false
      ok=false error=${error:-"did not converge within ${health_timeout} s after SIGCONT: $out"} rebuild=1
    fi
  fi

  # rejoin: the old node's daemon again, timed until it streams from the new
  # primary; the writer goes on meanwhile (rewind and clone under load)
  if [[ $ok == true && $scenario == rejoin ]]; then
    restart_old rejoin_s
  fi

  # 5. writer off, figures. A writer whose COMMIT hangs (a synchronous primary without its
  # standby) finishes that statement before it exits: SIGKILL after 30 s, its acknowledged
  # rows are in the file already.
  local writer_stop=$EPOCHREALTIME wdeadline=$((SECONDS + 30))
  kill -TERM "$writer" 2>/dev/null || true
  while alive "$writer" && ((SECONDS < wdeadline)); do sleep 0.1; done
  if alive "$writer"; then
    rec[writer_killed]=true
    kill -KILL "$writer" 2>/dev/null || true
  fi
  wait "$writer" 2>/dev/null || true
  kill -TERM "$watcher" 2>/dev/null || true
  wait "$watcher" 2>/dev/null || true
  if [[ -n $wwatcher ]]; then
    kill -TERM "$wwatcher" 2>/dev/null || true
    wait "$wwatcher" 2>/dev/null || true
  fi
  if [[ -n $curl_pid ]]; then
    wait "$curl_pid" 2>/dev/null || true
    rec[http]=$(python3 -c 'import json,sys; print(json.dumps({"code": open(sys.argv[1]).read().strip(), "body": open(sys.argv[2]).read().strip()}))' \
      "$repdir/switchover.code" "$repdir/switchover.body" 2>/dev/null || echo null)
  fi
  stop_helpers
  if [[ -n $new ]]; then
    local extra=(--writer-stop "$writer_stop")
    [[ -n $writable_file ]] && extra+=(--writable "$writable_file")
    if out=$(m analyze --nodes "$nodes_spec" --primary "$new" --acks "$repdir/acks" --event "$event" \
               --leader-events "$repdir/leader_events" "${extra[@]}"); then
      rec[analysis]=$out
      if [[ $(jget "$out" ok) != True ]]; then
        ok=false error=${error:-$(jget "$out" error)}
      fi
    else
      ok=false error=${error:-"analysis failed: $out"}
    fi
    if [[ $scenario == switchover && $new != "$candidate" ]]; then
      ok=false error=${error:-"the new primary is $new, not the candidate $candidate"}
    fi
  fi

  # 6. healthy again (failover: the old node rejoins, timed as in rejoin)
  if [[ $ok == true && $scenario == failover ]]; then
    restart_old restore_rejoin_s
  fi
  if [[ $rebuild == 0 ]]; then
    if out=$(wait_healthy "$dir" "$health_timeout"); then
      rec[healthy_after]=${out:-null}
    else
      ok=false error=${error:-"not healthy again within ${health_timeout} s: $out"} rebuild=1
    fi
  fi
  finish_rep
  return "$rebuild"
}

# ---------------------------------------------------------------- run

reset_work "$marker"
[[ -x $praetor_src ]] && cp "$praetor_src" "$work/bin/praetor"
cp "$writer_src" "$work/bin/failover_writer"
chmod 0755 "$work/bin"/*

trap 'thaw_frozen; cleanup' EXIT
trap 'log "interrupted: stopping what was started"; exit 130' INT TERM

start_zookeeper

mkdir -p "$results_dir"
runs_jsonl=$results_dir/runs.jsonl
: >"$runs_jsonl"
meta=$results_dir/meta.json
bin_sha256=
bin_mtime=0
build_type=unknown
if [[ -x $praetor_src ]]; then
  bin_sha256=$(sha256sum "$praetor_src" | cut -d' ' -f1)
  bin_mtime=$(stat -c %Y "$praetor_src")
fi
if [[ -r $build_dir/CMakeCache.txt ]]; then
  build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build_dir/CMakeCache.txt")
fi
python3 - "$meta" <<EOF
import json, os, platform, subprocess, sys
def out(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
    except OSError:
        return None
json.dump({
    "run_id": "$run_id", "reps": $reps, "profiles": "${profiles[*]}", "systems": "${systems[*]}",
    "scenarios": "${scenarios[*]}", "pre_seconds": $pre_seconds, "post_seconds": $post_seconds,
    "sync": "${syncs[*]}", "freeze_seconds": $freeze_seconds, "watch_writable": "$watch_writable",
    "kill_jitter": $kill_jitter,
    "health_timeout": $health_timeout, "praetor_bin": "$praetor_src",
    "praetor_bin_mtime": $bin_mtime, "praetor_bin_sha256": "$bin_sha256",
    "praetor_build_type": "$build_type", "patroni_bin": "$patroni_bin",
    "patroni_version": out("$patroni_bin", "--version"),
    "postgres_version": out("$pg_bin/postgres", "--version"),
    "kernel": platform.release(), "nproc": os.cpu_count(),
    "mem_total_kb": int(open("/proc/meminfo").readline().split()[1]),
    "cpu_model": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                       if l.startswith("model name")), None),
    "git_head": out("git", "-C", "$repo", "rev-parse", "HEAD"),
    "git_modified": out("git", "-C", "$repo", "status", "--porcelain", "--untracked-files=no"),
    "loadavg_at_start": os.getloadavg(),
}, open(sys.argv[1], "w"), indent=1)
EOF

# cluster_name PROFILE SYNC SCENARIO SYSTEM: its folder under $work.
cluster_name() {
  if [[ $2 == off ]]; then echo "$1-$3-$4"; else echo "$1-$2-$3-$4"; fi
}

for profile in "${profiles[@]}"; do
  for sync in "${syncs[@]}"; do
    # Patroni 3.0.2 has no quorum mode: praetor's quorum runs are set against its strict ones.
    sync_systems=()
    for system in "${systems[@]}"; do
      if [[ $system == patroni && $sync == quorum ]]; then
        log "synchronous_mode quorum: Patroni 3.0.2 does not know it, praetor alone (compared with Patroni's strict mode if SYNC has strict)"
        continue
      fi
      sync_systems+=("$system")
    done
    ((${#sync_systems[@]} > 0)) || continue
    for scenario in "${scenarios[@]}"; do
      declare -A booted=()
      for system in "${sync_systems[@]}"; do
        name=$(cluster_name "$profile" "$sync" "$scenario" "$system")
        if boot_cluster "$name" "$system" "$profile" "$sync"; then booted[$system]=1; else booted[$system]=0; fi
      done
      for ((rep = 1; rep <= reps; rep++)); do
        for system in "${sync_systems[@]}"; do
          name=$(cluster_name "$profile" "$sync" "$scenario" "$system")
          if ((booted[$system] == 0)); then
            printf '{"system": "%s", "profile": "%s", "sync": "%s", "scenario": "%s", "rep": %d, "ok": false, "error": "the cluster did not come up"}\n' \
              "$system" "$profile" "$sync" "$scenario" "$rep" >>"$runs_jsonl"
            if boot_cluster "$name" "$system" "$profile" "$sync"; then booted[$system]=1; fi
            continue
          fi
          if ! run_rep "$name" "$scenario" "$rep" && ((rep < reps)); then
            log "$name: rebuilding the cluster for the next repetition"
            if boot_cluster "$name" "$system" "$profile" "$sync"; then booted[$system]=1; else booted[$system]=0; fi
          fi
        done
      done
      for system in "${sync_systems[@]}"; do
        dir=$work/$(cluster_name "$profile" "$sync" "$scenario" "$system")
        [[ -e $dir/product ]] || continue
        stop_cluster "$dir"
        drop_data "$dir"
      done
      unset booted
    done
  done
done

echo
python3 "$measure" report --results "$runs_jsonl" --meta "$meta" --out "$results_dir/results.json" \
  --table "$results_dir/table.txt"
echo
echo "results: $results_dir (table.txt, results.json, runs.jsonl); logs: $work"
