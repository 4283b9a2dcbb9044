#!/usr/bin/env python3
"""praetor's per-actor metrics in GET /metrics scrapes, for bench/rest (standard library only).

Two scrapes of one daemon bound a window; from the differences of their counters this gives,
for one actor (by default the HA decider, `ha_decider`): the messages it handled, their mean
handling time (`_sum` / `_count`) and their p99 (from the differences of the cumulative
buckets, as Prometheus' `histogram_quantile(0.99, increase(..._bucket[w]))` computes it), for
all message types summed by `le` and for each type; and the actor's mailbox depth at each
scrape (`praetor_actor_mailbox_depth`, the messages waiting when it answered the scrape).

  actor_metrics.py summary SCRAPE [ACTOR]        one line: messages so far, mailbox depth
  actor_metrics.py window BEFORE AFTER [ACTOR]   one line: the window's figures

report.py imports window() and pool().
"""

import math
import re
import sys

DECIDER = "ha_decider"
HANDLING = "praetor_actor_message_handling_seconds"
DEPTH = "praetor_actor_mailbox_depth"

# name, optional {labels}, value; Patroni writes one name with a space before its labels.
SAMPLE = re.compile(r'^([A-Za-z_:][A-Za-z0-9_:]*)\s*(?:\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"')


def samples(text):
    """(name, labels, value) for every sample line of a Prometheus text scrape."""
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            continue
        labels = {k: re.sub(r'\\(.)', lambda e: "\n" if e.group(1) == "n" else e.group(1), v)
                  for k, v in LABEL.findall(m.group(2) or "")}
        try:
            yield m.group(1), labels, float(m.group(3))
        except ValueError:
            continue


def actor_view(text, actor=DECIDER):
    """One actor's part of a scrape: {"types": {type: {"count", "sum", "buckets":
    [(le, cumulative), ...] by le}}, "mailbox_depth": gauge or None}; every actor's handled
    counts under "all_actors" ({actor: messages})."""
    types, depth, all_actors = {}, None, {}
    for name, labels, value in samples(text):
        if name == DEPTH and labels.get("actor") == actor:
            depth = int(value)
        if not name.startswith(HANDLING + "_"):
            continue
        if name == HANDLING + "_count":
            all_actors[labels.get("actor")] = all_actors.get(labels.get("actor"), 0) + int(value)
        if labels.get("actor") != actor:
            continue
        t = types.setdefault(labels.get("type", ""), {"count": 0, "sum": 0.0, "buckets": []})
        if name == HANDLING + "_bucket":
            t["buckets"].append((float(labels["le"]), value))
        elif name == HANDLING + "_sum":
            t["sum"] = value
        elif name == HANDLING + "_count":
            t["count"] = int(value)
    for t in types.values():
        t["buckets"].sort()
    return {"types": types, "mailbox_depth": depth, "all_actors": all_actors}


def histogram_quantile(q, buckets):
    """Prometheus' histogram_quantile over cumulative buckets [(le, count), ...] sorted by le,
    the last one +Inf: the bucket where the rank q * total falls, interpolated linearly within
    it (from 0 for the first bucket); the largest finite bound when the rank falls in +Inf.
    None without observations."""
    if len(buckets) < 2 or not math.isinf(buckets[-1][0]):
        return None
    # Prometheus forces the counts to be monotonic (a scrape's buckets are read one by one).
    mono, top = [], 0.0
    for le, c in buckets:
        top = max(top, c)
        mono.append((le, top))
    total = mono[-1][1]
    if total <= 0:
        return None
    rank = q * total
    b = next((i for i in range(len(mono) - 1) if mono[i][1] >= rank), len(mono) - 1)
    if b == len(mono) - 1:
        return mono[-2][0]
    if b == 0 and mono[0][0] <= 0:
        return mono[0][0]
    start, end, count = 0.0, mono[b][0], mono[b][1]
    if b > 0:
        start = mono[b - 1][0]
        count -= mono[b - 1][1]
        rank -= mono[b - 1][1]
    return start + (end - start) * (rank / count)


def _type_delta(before, after):
    """after - before for one type's count, sum and buckets; None when a counter went down
    (the daemon restarted between the scrapes)."""
    b = before or {"count": 0, "sum": 0.0, "buckets": []}
    bb = dict(b["buckets"])
    buckets = [(le, c - bb.get(le, 0.0)) for le, c in after["buckets"]]
    count, total = after["count"] - b["count"], after["sum"] - b["sum"]
    if count < 0 or any(c < 0 for _, c in buckets):
        return None
    return {"count": count, "sum": max(total, 0.0), "buckets": buckets}


def _figures(delta):
    """messages, mean and p99 (microseconds) of a delta."""
    n = delta["count"]
    p99 = histogram_quantile(0.99, delta["buckets"]) if n else None
    return {"messages": n,
            "mean_us": round(delta["sum"] / n * 1e6, 1) if n else None,
            "p99_us": round(p99 * 1e6, 1) if p99 is not None else None,
            "seconds_sum": delta["sum"], "buckets": delta["buckets"]}


def _sum_deltas(deltas):
    """Deltas added together: counts, sums and buckets by le (Prometheus' sum by (le))."""
    by_le, count, total = {}, 0, 0.0
    for d in deltas:
        count += d["count"]
        total += d["sum"]
        for le, c in d["buckets"]:
            by_le[le] = by_le.get(le, 0.0) + c
    return {"count": count, "sum": total, "buckets": sorted(by_le.items())}


def window(before_text, after_text, actor=DECIDER):
    """The figures of one window between two scrapes of one daemon: all types together
    ("messages", "mean_us", "p99_us", "seconds_sum", "buckets") and "by_type" (the same per
    type), "mailbox_depth_start" and "_end", "other_actors" (messages each other actor
    handled), "reset" (a counter went down: no figures). None when the actor is in neither
    scrape."""
    a, b = actor_view(before_text, actor), actor_view(after_text, actor)
    if not b["types"]:
        return None
    deltas, reset = {}, False
    for name, t in b["types"].items():
        d = _type_delta(a["types"].get(name), t)
        if d is None:
            reset = True
            continue
        deltas[name] = d
    out = _figures(_sum_deltas(deltas.values()))
    out.update({
        "by_type": {name: _figures(d) for name, d in deltas.items()},
        "mailbox_depth_start": a["mailbox_depth"], "mailbox_depth_end": b["mailbox_depth"],
        "other_actors": {k: v - a["all_actors"].get(k, 0) for k, v in sorted(b["all_actors"].items())
                         if k != actor},
        "reset": reset,
    })
    return out


def pool(windows):
    """Several windows' figures as one window: their bucket deltas added by le, as summing
    increase() over the windows would. Mailbox depths: the largest seen at any scrape."""
    windows = [w for w in windows if w and not w["reset"]]
    if not windows:
        return None
    delta = lambda f: {"count": f["messages"], "sum": f["seconds_sum"], "buckets": f["buckets"]}
    out = _figures(_sum_deltas(delta(w) for w in windows))
    names = sorted({n for w in windows for n in w["by_type"]})
    out["by_type"] = {n: _figures(_sum_deltas(delta(w["by_type"][n]) for w in windows
                                              if n in w["by_type"]))
                      for n in names}
    depths = [d for w in windows for d in (w["mailbox_depth_start"], w["mailbox_depth_end"])
              if d is not None]
    out["mailbox_depth_max"] = max(depths) if depths else None
    out["windows"] = len(windows)
    out["reset"] = False
    return out


def busiest_types(windows, n=2):
    """The n message types with the most messages over all the windows, busiest first."""
    counts = {}
    for w in windows:
        for name, f in (w or {}).get("by_type", {}).items():
            counts[name] = counts.get(name, 0) + f["messages"]
    return [name for name, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            if c > 0][:n]


def _read(path):
    with open(path, errors="replace") as f:
        return f.read()


def main(argv):
    if len(argv) >= 2 and argv[0] == "summary":
        actor = argv[2] if len(argv) > 2 else DECIDER
        v = actor_view(_read(argv[1]), actor)
        if not v["types"]:
            print(f"{actor}: no handling-time metrics in this scrape")
            return 0
        print(f"{actor}: {sum(t['count'] for t in v['types'].values())} messages handled so far, "
              f"mailbox depth {v['mailbox_depth']}")
        return 0
    if len(argv) >= 3 and argv[0] == "window":
        actor = argv[3] if len(argv) > 3 else DECIDER
        w = window(_read(argv[1]), _read(argv[2]), actor)
        if w is None:
            print(f"{actor}: no handling-time metrics in these scrapes")
        elif w["reset"]:
            print(f"{actor}: a counter went down between the scrapes (daemon restarted?)")
        else:
            top = ", ".join(f"{n} {w['by_type'][n]['messages']}"
                            for n in busiest_types([w], 3))
            print(f"{actor}: {w['messages']} messages ({top}), mean {w['mean_us']} us, "
                  f"p99 {w['p99_us']} us, mailbox depth {w['mailbox_depth_start']} -> "
                  f"{w['mailbox_depth_end']}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
