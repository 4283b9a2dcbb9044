#!/usr/bin/env python3
"""Measuring side of bench/bootstrap/run.sh (Python standard library only).

  measure.py wait-streaming --since EPOCH --ports P1,P2,P3 [--pids A,B,C] [--timeout S]
      Polls every 0.1 s, with psql as the superuser over TCP on 127.0.0.1 (password
      in $BENCH_PGPASSWORD), until one node is out of recovery and its
      pg_stat_replication shows two rows in state `streaming` (pg_basebackup's
      own WAL stream not counted). Prints one JSON
      object: seconds since EPOCH (a Unix time, e.g. bash's $EPOCHREALTIME taken
      just before the daemons were launched), the primary's port, polls made.
      Exit 0 when reached, 1 on timeout, 2 when one of --pids died first.

  measure.py sample --seconds S --interval I --out FILE NAME=PID[:CONFIG],... ...
      Samples each daemon process (the pid itself, never its children) over an
      idle window of S seconds: VmRSS and Threads (/proc/PID/status), Pss
      (/proc/PID/smaps_rollup) every I seconds; CPU as utime+stime of the
      process (/proc/PID/stat, clock ticks, all its threads, children excluded)
      at the start and the end; per-thread utime+stime and scheduler run time
      (/proc/PID/task/TID/stat, .../schedstat, nanoseconds) for the breakdown;
      and, at the end, /proc/PID/smaps summed per mapping to show where the
      memory is. Writes JSON to FILE.

  measure.py report --boot BOOT.jsonl --footprint FP.json --meta META.json --out RESULTS.json
      Combines the bootstrap runs and the footprint window into RESULTS.json and
      prints the comparison table against the targets.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

# bench/lib/bench_common.py, shared by the benchmarks: run as a script, Python puts only
# this script's own folder on sys.path.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from bench_common import fmt, read_json_if_there, read_jsonl  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")
PSQL = "/usr/lib/postgresql/15/bin/psql"
# pg_basebackup's WAL stream (-X stream) also shows as `streaming` in
# pg_stat_replication while a replica is being cloned; both daemons name a
# replica's connection after the member (application_name), pg_basebackup does not.
QUERY = ("select pg_is_in_recovery(), "
         "(select count(*) from pg_stat_replication "
         "where state = 'streaming' and application_name <> 'pg_basebackup')")

# The targets of the issue (praetor / Patroni) and Patroni's figures measured
# earlier on this kind of machine.
TARGETS = {"bootstrap_median_s": 0.6, "rss_median_mb": 0.25, "idle_cpu_s_per_120s": 0.1}
PATRONI_EARLIER = {"bootstrap_median_s": 13.8, "rss_median_mb": 38.0, "pss_median_mb": 25.0,
                   "idle_cpu_s_per_120s": 0.04}


# ------------------------------------------------------------------ /proc readers

def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def stat_fields(path):
    """Fields of a /proc stat file after the `(comm)`; index 0 is the state."""
    with open(path) as f:
        text = f.read()
    head, tail = text.rsplit(")", 1)
    return head.split("(", 1)[1], tail.split()


def process_cpu_ticks(pid):
    """utime + stime of the process (all its threads; not its children)."""
    _, f = stat_fields(f"/proc/{pid}/stat")
    return int(f[11]) + int(f[12])


def status_kb(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "VmSize", "RssAnon", "RssFile", "RssShmem"):
                out[key] = int(value.split()[0])
            elif key == "Threads":
                out[key] = int(value)
    return out


def smaps_rollup_kb(pid):
    out = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "kB":
                out[parts[0].rstrip(":")] = int(parts[1])
    return out


def threads(pid):
    """{tid: {comm, ticks, sched_ns}} for every thread of pid."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            comm, f = stat_fields(f"/proc/{pid}/task/{tid}/stat")
            with open(f"/proc/{pid}/task/{tid}/schedstat") as s:
                sched_ns = int(s.read().split()[0])
        except (OSError, IndexError, ValueError):
            continue
        out[tid] = {"comm": comm, "ticks": int(f[11]) + int(f[12]), "sched_ns": sched_ns}
    return out


def smaps_by_mapping(pid, top=40):
    """/proc/PID/smaps summed per mapped file (anonymous mappings as [anon])."""
    sums = {}
    current = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            first = line.split(None, 1)[0]
            if "-" in first and not first.endswith(":"):
                parts = line.split(None, 5)
                name = parts[5].strip() if len(parts) > 5 else "[anon]"
                current = sums.setdefault(name, {"Rss": 0, "Pss": 0, "Private_Dirty": 0,
                                                 "Private_Clean": 0, "Shared_Clean": 0})
            elif current is not None:
                key = first.rstrip(":")
                if key in current:
                    current[key] += int(line.split()[1])
    rows = [{"mapping": k, **{key + "_kb": v for key, v in d.items()}} for k, d in sums.items()]
    rows.sort(key=lambda r: r["Rss_kb"], reverse=True)
    return rows[:top]


def machine_busy_ticks():
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    return sum(v) - idle, sum(v)


# ------------------------------------------------------------------ wait-streaming

def psql(port, password, query):
    """psql's unaligned output, or None when it failed."""
    env = dict(os.environ, PGPASSWORD=password, PGCONNECT_TIMEOUT="2")
    try:
        r = subprocess.run([PSQL, "-X", "-q", "-A", "-t", "-h", "127.0.0.1", "-p", str(port),
                            "-U", "postgres", "-d", "postgres", "-c", query],
                           env=env, capture_output=True, text=True, timeout=4)
    except subprocess.TimeoutExpired:
        return None
    return r.stdout.strip() if r.returncode == 0 else None


def poll_node(port, password):
    """(in_recovery, streaming_count) of the node on port, or None."""
    out = psql(port, password, QUERY)
    if out is None:
        return None
    try:
        recovery, count = out.split("|")
        return recovery == "t", int(count)
    except ValueError:
        return None


def wait_streaming(args):
    password = os.environ.get("BENCH_PGPASSWORD", "")
    ports = [int(p) for p in args.ports.split(",")]
    pids = [int(p) for p in args.pids.split(",")] if args.pids else []
    deadline = time.time() + args.timeout
    polls = 0
    primary = None  # port last seen out of recovery: poll it alone while it stays so
    while True:
        round_start = time.monotonic()
        for port in ([primary] if primary else ports):
            polls += 1
            state = poll_node(port, password)
            seen = time.time()
            if state is None or state[0]:
                if port == primary:
                    primary = None
                continue
            primary = port
            if state[1] >= 2:
                rows = psql(port, password, "select string_agg(application_name || ' ' || "
                            "state, ', ') from pg_stat_replication")
                print(json.dumps({"ok": True, "seconds": round(seen - args.since, 3),
                                  "primary_port": port, "polls": polls,
                                  "pg_stat_replication": rows}))
                return 0
        dead = [p for p in pids if not alive(p)]
        if dead:
            print(json.dumps({"ok": False, "error": f"daemon pid(s) {dead} exited",
                              "seconds": round(time.time() - args.since, 3), "polls": polls}))
            return 2
        if time.time() >= deadline:
            print(json.dumps({"ok": False, "error": f"not streaming after {args.timeout} s",
                              "seconds": round(time.time() - args.since, 3), "polls": polls}))
            return 1
        time.sleep(max(0.0, round_start + args.interval - time.monotonic()))


# ------------------------------------------------------------------ sample

def parse_groups(specs):
    """["praetor=1,2,3", ...] -> [(product, pid, config)]"""
    out = []
    for spec in specs:
        product, _, members = spec.partition("=")
        for member in members.split(","):
            pid, _, config = member.partition(":")
            out.append((product, int(pid), config))
    return out


def identity(pid, config):
    exe = os.readlink(f"/proc/{pid}/exe")
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        cmdline = [a.decode() for a in f.read().split(b"\0") if a]
    if config and config not in cmdline:
        raise SystemExit(f"pid {pid} is not the daemon of {config}: {' '.join(cmdline)}")
    return exe, cmdline


def sample(args):
    daemons = []
    for product, pid, config in parse_groups(args.daemons):
        exe, cmdline = identity(pid, config)
        daemons.append({"product": product, "pid": pid, "config": config, "exe": exe,
                        "cmdline": cmdline, "samples": []})

    def take(d, t):
        st = status_kb(d["pid"])
        sr = smaps_rollup_kb(d["pid"])
        d["samples"].append({"t": round(t, 2), "rss_kb": st["VmRSS"], "pss_kb": sr["Pss"],
                             "rss_anon_kb": st["RssAnon"], "rss_file_kb": st["RssFile"],
                             "threads": st["Threads"]})

    busy0, total0 = machine_busy_ticks()
    load0 = os.getloadavg()
    start = time.monotonic()
    for d in daemons:
        d["cpu_ticks_start"] = process_cpu_ticks(d["pid"])
        d["threads_start"] = threads(d["pid"])
        take(d, 0.0)
    end = start + args.seconds
    next_t = start + args.interval
    while True:
        now = time.monotonic()
        if now >= end:
            break
        time.sleep(max(0.0, min(next_t, end) - now))
        now = time.monotonic()
        for d in daemons:
            if not alive(d["pid"]):
                raise SystemExit(f"{d['product']} daemon pid {d['pid']} exited during the window")
            if now < end:
                take(d, now - start)
        next_t += args.interval
    window = time.monotonic() - start
    busy1, total1 = machine_busy_ticks()
    for d in daemons:
        d["cpu_ticks_end"] = process_cpu_ticks(d["pid"])
        th1 = threads(d["pid"])
        take(d, window)
        d["status_end_kb"] = status_kb(d["pid"])
        d["smaps_rollup_end_kb"] = smaps_rollup_kb(d["pid"])
        d["smaps_top"] = smaps_by_mapping(d["pid"])
        th0 = d.pop("threads_start")
        per_thread = []
        for tid, t1 in th1.items():
            t0 = th0.get(tid, {"ticks": 0, "sched_ns": 0})
            per_thread.append({"tid": int(tid), "comm": t1["comm"], "new": tid not in th0,
                               "cpu_ticks": t1["ticks"] - t0["ticks"],
                               "sched_ms": round((t1["sched_ns"] - t0["sched_ns"]) / 1e6, 3)})
        per_thread.sort(key=lambda r: (r["sched_ms"], r["cpu_ticks"]), reverse=True)
        d["threads"] = per_thread
        d["threads_exited"] = len(set(th0) - set(th1))
        d["cpu_s"] = (d["cpu_ticks_end"] - d["cpu_ticks_start"]) / CLK_TCK
        d["cpu_s_per_120s"] = d["cpu_s"] * 120.0 / window
        d["sched_ms_threads_alive_at_end"] = round(sum(t["sched_ms"] for t in per_thread), 3)
        d["rss_median_mb"] = statistics.median(s["rss_kb"] for s in d["samples"]) / 1024
        d["pss_median_mb"] = statistics.median(s["pss_kb"] for s in d["samples"]) / 1024
        d["rss_anon_median_mb"] = statistics.median(s["rss_anon_kb"] for s in d["samples"]) / 1024
        d["rss_file_median_mb"] = statistics.median(s["rss_file_kb"] for s in d["samples"]) / 1024
    out = {"window_s": round(window, 3), "interval_s": args.interval, "clk_tck": CLK_TCK,
           "loadavg_start": load0, "loadavg_end": os.getloadavg(),
           "machine_busy_fraction": round((busy1 - busy0) / max(1, total1 - total0), 4),
           "daemons": daemons}
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
    return 0


# ------------------------------------------------------------------ report

def summarize(boot, footprint):
    products = {}
    for name in ("praetor", "patroni"):
        runs = [r for r in boot if r["product"] == name]
        ok = [r["seconds"] for r in runs if r.get("ok")]
        ds = [d for d in footprint.get("daemons", []) if d["product"] == name]
        products[name] = {
            "bootstrap_runs": len(runs),
            "bootstrap_ok": len(ok),
            "bootstrap_seconds": ok,
            "bootstrap_median_s": statistics.median(ok) if ok else None,
            "bootstrap_max_s": max(ok) if ok else None,
            "rss_median_mb": statistics.median(d["rss_median_mb"] for d in ds) if ds else None,
            "pss_median_mb": statistics.median(d["pss_median_mb"] for d in ds) if ds else None,
            "rss_anon_median_mb": (statistics.median(d["rss_anon_median_mb"] for d in ds)
                                   if ds else None),
            "rss_file_median_mb": (statistics.median(d["rss_file_median_mb"] for d in ds)
                                   if ds else None),
            "idle_cpu_s_per_120s": (statistics.median(d["cpu_s_per_120s"] for d in ds)
                                    if ds else None),
            "idle_cpu_s_per_120s_each": [round(d["cpu_s_per_120s"], 4) for d in ds],
            "idle_sched_ms_per_120s": (statistics.median(
                d["sched_ms_threads_alive_at_end"] * 120.0 / footprint["window_s"] for d in ds)
                if ds else None),
            "idle_sched_ms_per_120s_each": [
                round(d["sched_ms_threads_alive_at_end"] * 120.0 / footprint["window_s"], 2)
                for d in ds],
            "threads_each": [d["status_end_kb"]["Threads"] for d in ds],
        }
    ratios = {}
    for key in ("bootstrap_median_s", "bootstrap_max_s", "rss_median_mb", "pss_median_mb",
                "rss_anon_median_mb", "rss_file_median_mb", "idle_cpu_s_per_120s",
                "idle_sched_ms_per_120s"):
        a, b = products["praetor"][key], products["patroni"][key]
        ratios[key] = (a / b) if (a is not None and b) else None
    verdict = {}
    for key, limit in TARGETS.items():
        r = ratios[key]
        verdict[key] = {"target_ratio_max": limit, "ratio": r,
                        "met": (r is not None and r <= limit)}
    return products, ratios, verdict


def report(args):
    boot = read_jsonl(args.boot)
    footprint = read_json_if_there(args.footprint)
    meta = read_json_if_there(args.meta)
    products, ratios, verdict = summarize(boot, footprint)
    results = {"meta": meta, "targets": TARGETS, "patroni_earlier": PATRONI_EARLIER,
               "summary": products, "ratios": ratios, "verdict": verdict,
               "bootstrap_runs": boot, "footprint": footprint}
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)

    p, q = products["praetor"], products["patroni"]

    def row(label, key, digits, target_key=None):
        r = ratios.get(key)
        target = met = ""
        if target_key:
            target = f"<= {TARGETS[target_key]:.2f}"
            met = "yes" if verdict[target_key]["met"] else "NO"
        earlier = PATRONI_EARLIER.get(key)
        return (f"{label:<30} {fmt(p[key], digits):>9} {fmt(q[key], digits):>9} "
                f"{fmt(r, 3):>7} {target:>8} {met:>4} {fmt(earlier, digits) if earlier else '':>9}")

    print(f"{'':<30} {'praetor':>9} {'Patroni':>9} {'ratio':>7} {'target':>8} {'met':>4} "
          f"{'Patroni*':>9}")
    print(row("bootstrap median (s)", "bootstrap_median_s", 2, "bootstrap_median_s"))
    print(row("bootstrap max (s)", "bootstrap_max_s", 2))
    print(row("RSS median per daemon (MiB)", "rss_median_mb", 1, "rss_median_mb"))
    print(row("  of it anonymous (MiB)", "rss_anon_median_mb", 1))
    print(row("  of it file-backed (MiB)", "rss_file_median_mb", 1))
    print(row("PSS median per daemon (MiB)", "pss_median_mb", 1))
    print(row("idle CPU s per 120 s, daemon", "idle_cpu_s_per_120s", 4, "idle_cpu_s_per_120s"))
    print(row("  same, run time (ms) **", "idle_sched_ms_per_120s", 2))
    print(f"bootstrap runs ok: praetor {p['bootstrap_ok']}/{p['bootstrap_runs']} "
          f"{p['bootstrap_seconds']}, Patroni {q['bootstrap_ok']}/{q['bootstrap_runs']} "
          f"{q['bootstrap_seconds']}")
    if footprint:
        print(f"idle window {footprint['window_s']:.0f} s; CPU per daemon per 120 s "
              f"(utime+stime, {1000 // CLK_TCK} ms ticks): praetor "
              f"{p['idle_cpu_s_per_120s_each']}, Patroni {q['idle_cpu_s_per_120s_each']}; "
              f"scheduler run time (ms per 120 s): praetor {p['idle_sched_ms_per_120s_each']}, "
              f"Patroni {q['idle_sched_ms_per_120s_each']}; threads: praetor "
              f"{p['threads_each']}, Patroni {q['threads_each']}; machine busy "
              f"{100 * footprint['machine_busy_fraction']:.1f}% of both CPUs")
    print("* Patroni measured earlier on this kind of machine (the issue's reference)")
    print("** scheduler run time of the threads alive at the end (/proc/PID/task/*/schedstat,"
          " ns resolution), a cross-check of the 10 ms utime+stime ticks")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("wait-streaming")
    w.add_argument("--since", type=float, required=True)
    w.add_argument("--ports", required=True)
    w.add_argument("--pids", default="")
    w.add_argument("--timeout", type=float, default=300)
    w.add_argument("--interval", type=float, default=0.1)
    s = sub.add_parser("sample")
    s.add_argument("--seconds", type=float, required=True)
    s.add_argument("--interval", type=float, default=5)
    s.add_argument("--out", required=True)
    s.add_argument("daemons", nargs="+")
    r = sub.add_parser("report")
    r.add_argument("--boot", required=True)
    r.add_argument("--footprint")
    r.add_argument("--meta")
    r.add_argument("--out", required=True)
    args = ap.parse_args()
    return {"wait-streaming": wait_streaming, "sample": sample, "report": report}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
