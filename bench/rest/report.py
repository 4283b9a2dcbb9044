#!/usr/bin/env python3
"""The table of bench/rest/run.sh (Python standard library only).

  report.py --runs RUNS.jsonl --keepalive KEEPALIVE.jsonl --meta META.json
            [--curl CURL.jsonl] --out RESULTS.json --table TABLE.txt

RUNS.jsonl has one line per wrk run: report.lua's figures (latencies in microseconds) plus
system, endpoint, connections and the daemon's CPU seconds before and after. The table has one
row per run; a praetor row carries the ratios praetor/Patroni of the same endpoint and
connection count, and whether the issue's target holds for it: at least TARGET_RATIO times
Patroni's requests/s with p99 under TARGET_P99_MS. CURL.jsonl, when given, holds the
cross-check with curl --parallel (GET /health), shown as a second table.

A praetor run carries three scrapes of GET /metrics on the loaded node (paths relative to
RUNS.jsonl's folder): at the start of an idle window, just before and just after the run. A
third table sets the HA decider's figures over the idle window against those under the load
(actor_metrics.py), run by run and pooled.
"""

import argparse
import json
import os

import actor_metrics

TARGET_RATIO = 20.0
TARGET_P99_MS = 5.0


def read_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def ms(us):
    if us is None:
        return "-"
    v = us / 1000.0
    if v < 10:
        return f"{v:.2f}"
    if v < 100:
        return f"{v:.1f}"
    return f"{v:.0f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt_ratio(r):
    if r is None:
        return "-"
    return f"{r:.1f}" if r >= 10 else f"{r:.2f}" if r >= 0.1 else f"{r:.2g}"


def errors(run):
    keys = ("errors_connect", "errors_read", "errors_write", "errors_status", "errors_timeout")
    if not all(k in run for k in keys):
        return "-"
    return "/".join(str(run[k]) for k in keys)


def cpu_percent(run):
    a, b, d = run.get("daemon_cpu_before_s"), run.get("daemon_cpu_after_s"), run.get("duration_s")
    if a is None or b is None or not d:
        return None
    return 100.0 * (b - a) / d


def us(v):
    if v is None:
        return "-"
    return f"{v:.1f}" if v < 100 else f"{v:.0f}"


def scrape(folder, rel):
    if not rel:
        return None
    path = os.path.join(folder, rel)
    if not os.path.exists(path):
        return None
    with open(path, errors="replace") as f:
        return f.read()


def decider_windows(runs, folder):
    """For each praetor run with scrapes: {"run": the run, "idle": window or None, "load":
    window or None, "idle_seconds", "load_seconds" (between the scrapes)}."""
    out = []
    for r in runs:
        if r["system"] != "praetor" or not r.get("metrics_after"):
            continue
        idle_t, before_t, after_t = (scrape(folder, r.get(k)) for k in
                                     ("metrics_idle", "metrics_before", "metrics_after"))
        span = lambda a, b: (r[b] - r[a]) if r.get(a) is not None and r.get(b) is not None \
            else None
        out.append({
            "run": r,
            "idle": actor_metrics.window(idle_t, before_t) if idle_t and before_t else None,
            "load": actor_metrics.window(before_t, after_t) if before_t and after_t else None,
            "idle_seconds": span("metrics_idle_at", "metrics_before_at"),
            "load_seconds": span("metrics_before_at", "metrics_after_at"),
        })
    return out


def decider_table(windows):
    """Lines of the decider's table (idle against load, run by run, then pooled) and the
    pooled figures for results.json."""
    if not any(w["idle"] or w["load"] for w in windows):
        return ["", "ha_decider: no handling-time metrics in the scrapes (a praetor without "
                "per-actor metrics?)"], {}
    every = [w[k] for w in windows for k in ("idle", "load") if w[k]]
    busiest = actor_metrics.busiest_types(every)
    header = ["endpoint", "conns", "window", "seconds", "req/s", "daemon CPU %",
              "machine busy %", "messages",
              "mean us", "p99 us", "mailbox depth"] + \
        [f"{t}: n / mean / p99 us" for t in busiest]

    def cells(f):
        if f is None:
            return ["-", "-", "-", "-"] + ["-" for _ in busiest]
        if f.get("reset"):
            return ["reset", "-", "-", "-"] + ["-" for _ in busiest]
        depth = (f"{f['mailbox_depth_start']}, {f['mailbox_depth_end']}"
                 if "mailbox_depth_start" in f else f"at most {f.get('mailbox_depth_max')}")
        per_type = []
        for t in busiest:
            g = f["by_type"].get(t)
            per_type.append(f"{g['messages']} / {us(g['mean_us'])} / {us(g['p99_us'])}"
                            if g else "-")
        return [str(f["messages"]), us(f["mean_us"]), us(f["p99_us"]), depth] + per_type

    rows = []
    for w in windows:
        r = w["run"]
        idle_cpu = None
        a, b = r.get("idle_daemon_cpu_before_s"), r.get("idle_daemon_cpu_after_s")
        if a is not None and b is not None and w["idle_seconds"]:
            idle_cpu = 100.0 * (b - a) / w["idle_seconds"]
        load_cpu = cpu_percent(r)
        for kind, f, secs, rps, cpu, busy in (
                ("idle", w["idle"], w["idle_seconds"], None, idle_cpu,
                 r.get("idle_machine_busy_percent")),
                ("load", w["load"], w["load_seconds"], r.get("rps"), load_cpu,
                 r.get("machine_busy_percent"))):
            if f is None and kind == "idle" and not r.get("metrics_idle"):
                continue
            rows.append(["/" + r["endpoint"], str(r["connections"]), kind,
                         "-" if secs is None else f"{secs:.1f}",
                         "-" if rps is None else f"{rps:.0f}",
                         "-" if cpu is None else f"{cpu:.0f}",
                         "-" if busy is None else f"{busy:.0f}"] + cells(f))
    pooled = {}
    conn_counts = sorted({w["run"]["connections"] for w in windows})
    for conns in conn_counts + ["all"]:
        chosen = [w for w in windows if conns == "all" or w["run"]["connections"] == conns]
        if conns != "all" and len(conn_counts) == 1:
            continue
        for kind in ("idle", "load"):
            f = actor_metrics.pool(w[kind] for w in chosen)
            if f is None:
                continue
            secs = [w[kind + "_seconds"] for w in chosen if w[kind] and w[kind + "_seconds"]]
            f["seconds"] = sum(secs) if secs else None
            pooled[f"{kind}_{conns}"] = f
            if len(chosen) == 1:
                continue  # the run's own rows say it
            rows.append(["all", str(conns), f"{kind}, {f['windows']} pooled",
                         f"{sum(secs):.1f}" if secs else "-", "-", "-", "-"] + cells(f))
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    lines = ["", "ha_decider on the loaded praetor node, from GET /metrics: idle = a window of "
             "no load just before the run, load = the wrk run;",
             "messages handled (all types), mean = handling seconds _sum / _count, p99 = "
             "histogram_quantile(0.99) over the buckets' increases, all types summed by le "
             "(buckets 50, 100, 250, 500 us, ...);",
             "mailbox depth: praetor_actor_mailbox_depth at the window's first and last scrape; "
             "handling time is the handler's own, the mailbox depth shows any waiting",
             "| " + " | ".join(h.ljust(wd) for h, wd in zip(header, widths)) + " |",
             "|" + "|".join("-" * (wd + 2) for wd in widths) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(c.ljust(wd) for c, wd in zip(row, widths)) + " |")
    idle, load = pooled.get("idle_all"), pooled.get("load_all")
    if idle and load:
        rate = lambda f: f["messages"] / f["seconds"] if f["seconds"] else None
        lines.append(
            f"decider under load / idle (all windows pooled): messages per second "
            f"{fmt_ratio(ratio(rate(load), rate(idle)))}, mean "
            f"{fmt_ratio(ratio(load['mean_us'], idle['mean_us']))}, p99 "
            f"{fmt_ratio(ratio(load['p99_us'], idle['p99_us']))}; mailbox depth at most "
            f"{max(idle['mailbox_depth_max'] or 0, load['mailbox_depth_max'] or 0)} at any scrape")
    others = {}
    for w in windows:
        for kind in ("idle", "load"):
            for actor, n in ((w[kind] or {}).get("other_actors") or {}).items():
                others.setdefault(actor, {"idle": 0, "load": 0})[kind] += n
    if others:
        lines.append("messages handled by the other actors, all idle windows / all load windows: "
                     + ", ".join(f"{a} {n['idle']} / {n['load']}" for a, n in sorted(others.items())))
        pooled["other_actors"] = others
    return lines, pooled


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", required=True)
    ap.add_argument("--keepalive", required=True)
    ap.add_argument("--meta", required=True)
    ap.add_argument("--curl")
    ap.add_argument("--out", required=True)
    ap.add_argument("--table", required=True)
    args = ap.parse_args()

    runs = read_jsonl(args.runs)
    folder = os.path.dirname(os.path.abspath(args.runs))
    curl = read_jsonl(args.curl) if args.curl else []
    keepalive = read_jsonl(args.keepalive)
    with open(args.meta) as f:
        meta = json.load(f)

    by_key = {(r["system"], r["endpoint"], r["connections"]): r for r in runs}
    comparisons = []
    header = ["system", "endpoint", "conns", "req/s", "p50 ms", "p99 ms", "max ms",
              "errors c/r/w/s/t", "conns opened", "listen drops", "daemon CPU %",
              "machine busy %", "req/s ratio", "p99 ratio", "target met"]
    rows = []
    for r in runs:
        cpu = cpu_percent(r)
        row = [r["system"], "/" + r["endpoint"], str(r["connections"]),
               f"{r['rps']:.0f}" if "rps" in r else "-", ms(r.get("lat_p50_us")),
               ms(r.get("lat_p99_us")), ms(r.get("lat_max_us")), errors(r),
               str(r.get("tcp", {}).get("ActiveOpens", "-")),
               str(r.get("tcp", {}).get("ListenDrops", "-")),
               "-" if cpu is None else f"{cpu:.0f}",
               "-" if r.get("machine_busy_percent") is None else f"{r['machine_busy_percent']:.0f}",
               "", "", ""]
        other = by_key.get(("patroni", r["endpoint"], r["connections"]))
        if r["system"] == "praetor" and other is not None:
            rps_ratio = ratio(r.get("rps"), other.get("rps"))
            p99_ratio = ratio(r.get("lat_p99_us"), other.get("lat_p99_us"))
            p99_ms = r["lat_p99_us"] / 1000.0 if "lat_p99_us" in r else None
            met = (rps_ratio is not None and rps_ratio >= TARGET_RATIO and p99_ms is not None
                   and p99_ms < TARGET_P99_MS)
            row[12], row[13], row[14] = fmt_ratio(rps_ratio), fmt_ratio(p99_ratio), \
                "yes" if met else "no"
            comparisons.append({"endpoint": r["endpoint"], "connections": r["connections"],
                                "rps_ratio": rps_ratio, "p99_ratio": p99_ratio,
                                "praetor_p99_ms": p99_ms, "target_met": met})
        rows.append(row)

    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h)
              for i, h in enumerate(header)]
    lines = [f"REST throughput (wrk {meta.get('duration')} per run, {meta.get('threads')} threads), "
             f"run {meta.get('run_id')}; ratios praetor/Patroni; target: req/s ratio >= "
             f"{TARGET_RATIO:g} and praetor p99 < {TARGET_P99_MS:g} ms",
             "errors: connect/read/write/status (>= 400)/timeout; daemon CPU %: the loaded "
             "node's daemon, all threads, of one core; machine busy %: all cores, every process;",
             "conns opened: TCP connections opened on the machine during the run (ActiveOpens), "
             "listen drops: SYNs dropped at a full listen queue (ListenDrops)",
             "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
    lines.append("")
    # An answer without Content-Length (HTTP/1.0, ended by the server's close) trips wrk 4.1:
    # at the end of the stream it counts the answer and reconnects, then finds its parser not
    # at a message end and counts a read error and reconnects again, dropping the connection
    # it just opened. One read error per request is that, not a failed request; the server
    # gets about two connections per answer, one of them closed unused.
    closers = sorted({r["system"] for r in runs
                      if r.get("requests") and r.get("errors_read") == r["requests"]})
    if closers:
        lines.append(f"read errors equal to requests ({', '.join(closers)}): every answer "
                     "ends with the server's close (HTTP/1.0, no Content-Length); wrk counts the "
                     "answer, then a read error, and reconnects twice (two connections per answer)")
    for k in keepalive:
        lines.append(f"keep-alive {k['system']}: {'kept' if k['kept'] else 'NOT kept'} "
                     f"({'; '.join(k.get('status_lines', []))}; "
                     f"{'; '.join(k.get('connection_headers', [])) or 'no Connection header'})")
    if comparisons:
        all_met = all(c["target_met"] for c in comparisons)
        ka = {k["system"]: k["kept"] for k in keepalive}
        lines.append(f"target (>= {TARGET_RATIO:g}x req/s, p99 < {TARGET_P99_MS:g} ms, keep-alive): "
                     f"{'met' if all_met and ka.get('praetor') else 'not met'} "
                     f"({sum(c['target_met'] for c in comparisons)} of {len(comparisons)} rows, "
                     f"praetor keep-alive {'kept' if ka.get('praetor') else 'not kept'})")
    if curl:
        lines += ["", "cross-check with curl --parallel (GET /health on the primary; one client "
                  "thread, so praetor's figure is the client's limit; failed: no answer "
                  "within curl's 30 s)",
                  "| system | conns | requests | req/s | p50 ms | p99 ms | max ms | failed or non-200 | "
                  "connects | req/s ratio | p99 ratio |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        curl_by = {(c["system"], c["connections"]): c for c in curl}
        for c in curl:
            other = curl_by.get(("patroni", c["connections"]))
            rr = pr = None
            if c["system"] == "praetor" and other:
                rr = ratio(c.get("rps"), other.get("rps"))
                pr = ratio(c.get("lat_p99_us"), other.get("lat_p99_us"))
            lines.append(f"| {c['system']} | {c['connections']} | {c['requests']} | {c['rps']:.0f} | "
                         f"{ms(c.get('lat_p50_us'))} | {ms(c.get('lat_p99_us'))} | "
                         f"{ms(c.get('lat_max_us'))} | {c['non_200']} | {c['connects']} | "
                         f"{fmt_ratio(rr) if rr else ''} | {fmt_ratio(pr) if pr else ''} |")
    windows = decider_windows(runs, folder)
    pooled = {}
    if windows:
        more, pooled = decider_table(windows)
        lines += more
    text = "\n".join(lines)
    print(text)
    with open(args.table, "w") as f:
        f.write(text + "\n")
    with open(args.out, "w") as f:
        decider = [{"system": w["run"]["system"], "endpoint": w["run"]["endpoint"],
                    "connections": w["run"]["connections"], "idle": w["idle"], "load": w["load"],
                    "idle_seconds": w["idle_seconds"], "load_seconds": w["load_seconds"]}
                   for w in windows]
        json.dump({"meta": meta, "runs": runs, "keepalive": keepalive, "curl": curl,
                   "comparisons": comparisons,
                   "decider": {"actor": actor_metrics.DECIDER, "windows": decider,
                               "pooled": pooled}},
                  f, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
