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
"""

import argparse
import json
import os

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
    text = "\n".join(lines)
    print(text)
    with open(args.table, "w") as f:
        f.write(text + "\n")
    with open(args.out, "w") as f:
        json.dump({"meta": meta, "runs": runs, "keepalive": keepalive, "curl": curl,
                   "comparisons": comparisons}, f, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
