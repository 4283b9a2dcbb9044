#!/usr/bin/env python3
"""Measuring side of bench/failover/run.sh (Python standard library only; PostgreSQL is
asked through psql, ZooKeeper through a minimal client of its wire protocol).

Nodes are given as NAME:PG_PORT:REST_PORT,... (--nodes); the superuser's password is in
$BENCH_PGPASSWORD. Every time is a Unix time in seconds (bash's $EPOCHREALTIME); the writer's
file has one line `ID WALL_MS` per acknowledged commit.

  measure.py wait-healthy --nodes N --timeout S
      Until exactly one node is out of recovery, answers 200 on its REST `GET /primary`, and
      its pg_stat_replication shows the two other members (application_name) `streaming`;
      seen twice in a row 0.5 s apart. Prints JSON (primary, replicas); exit 1 on timeout.

  measure.py wait-recovered --nodes N --kind switchover|failover|crash --old NAME
                            --since T --acks FILE --timeout S [--settle S]
      After the fault at T: until a writable primary exists that is a different node than
      NAME (switchover, failover) or, for crash, any node whose postmaster started after T;
      then until the writer has acknowledged commits for --settle seconds after that. Prints
      JSON (primary, seconds); exit 1 on timeout.

  measure.py wait-member-streaming --nodes N --primary NAME --member NAME --since T --timeout S
      Until the primary's pg_stat_replication shows MEMBER `streaming`. Prints JSON with the
      seconds since T; exit 1 on timeout.

  measure.py watch-leader --zk HOST:PORT --path P --out FILE
      Watches the leader znode until SIGTERM; appends `WALL_TIME created|deleted` lines to
      FILE as ZooKeeper reports them (the deletion of an ephemeral leader znode is the moment
      the old leader's session expired or it let go).

  measure.py analyze --nodes N --primary NAME --acks FILE --event T [--leader-events FILE]
      The figures of one repetition: write outage, first commit after the fault, rows lost on
      the primary NAME (table writer_rows, column id). Prints JSON.

  measure.py report --results RESULTS.jsonl --meta META.json --out RESULTS.json
      Medians and maxima per system, profile and scenario, ratios praetor/Patroni and the
      issue's targets: prints the table.
"""

import argparse
import json
import os
import select
import signal
import socket
import statistics
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request

# bench/lib/bench_common.py, shared by the benchmarks: run as a script, Python puts only
# this script's own folder on sys.path.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from bench_common import fmt as fmt_decimal, read_json_if_there, read_jsonl  # noqa: E402

PSQL = "/usr/lib/postgresql/15/bin/psql"
POLL = 0.1

# The targets, and Patroni 3.0.2 as the issue measured it at default timings.
PATRONI_EARLIER = {
    ("default", "switchover", "outage_s"): "1.14 median, 11.7 max",
    ("default", "failover", "outage_s"): "29.1 median (28.1-29.7)",
    ("default", "crash", "first_commit_s"): "4.7",
    ("default", "rejoin", "rejoin_s"): "12.2",
}


# ------------------------------------------------------------------ nodes and psql

def parse_nodes(spec):
    nodes = []
    for item in spec.split(","):
        name, pg_port, rest_port = item.split(":")
        nodes.append({"name": name, "pg_port": int(pg_port), "rest_port": int(rest_port)})
    return nodes


def node_by_name(nodes, name):
    for n in nodes:
        if n["name"] == name:
            return n
    raise SystemExit(f"no node {name}")


def psql(port, query, timeout=4):
    """psql's unaligned output, or None when it failed."""
    env = dict(os.environ, PGPASSWORD=os.environ.get("BENCH_PGPASSWORD", ""),
               PGCONNECT_TIMEOUT="2")
    try:
        r = subprocess.run([PSQL, "-X", "-q", "-A", "-t", "-F", "|", "-h", "127.0.0.1", "-p",
                            str(port), "-U", "postgres", "-d", "postgres", "-c", query],
                           env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    return r.stdout.strip() if r.returncode == 0 else None


STATE_QUERY = ("select pg_is_in_recovery(), extract(epoch from pg_postmaster_start_time()), "
               "(select coalesce(string_agg(application_name, ','), '') from pg_stat_replication "
               "where state = 'streaming' and application_name <> 'pg_basebackup')")


def node_state(node):
    """{recovery, started, streaming: [names]} or None when the node does not answer."""
    out = psql(node["pg_port"], STATE_QUERY)
    if not out:
        return None
    try:
        recovery, started, streaming = out.split("|")
        return {"recovery": recovery == "t", "started": float(started),
                "streaming": [s for s in streaming.split(",") if s]}
    except ValueError:
        return None


def rest_status(node, path, timeout=2):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{node['rest_port']}{path}",
                                    timeout=timeout) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except (OSError, ValueError):
        return None


def sleep_until(t):
    time.sleep(max(0.0, t - time.monotonic()))


# ------------------------------------------------------------------ wait-healthy

def healthy(nodes):
    """(primary name, states) when exactly one writable primary streams to both others."""
    states = {n["name"]: node_state(n) for n in nodes}
    primaries = [name for name, s in states.items() if s and not s["recovery"]]
    if len(primaries) != 1:
        return None, states
    p = primaries[0]
    others = {n["name"] for n in nodes} - {p}
    if not others <= set(states[p]["streaming"]):
        return None, states
    if any(states[o] is None or not states[o]["recovery"] for o in others):
        return None, states
    if rest_status(node_by_name(nodes, p), "/primary") != 200:
        return None, states
    return p, states


def wait_healthy(args):
    nodes = parse_nodes(args.nodes)
    start = time.time()
    deadline = time.monotonic() + args.timeout
    last = None
    streak = 0
    states = {}
    while time.monotonic() < deadline:
        t0 = time.monotonic()
        p, states = healthy(nodes)
        if p and p == last:
            streak += 1
        else:
            streak = 1 if p else 0
        last = p
        if streak >= 2:
            print(json.dumps({"ok": True, "primary": p, "seconds": round(time.time() - start, 3),
                              "replicas": states[p]["streaming"]}))
            return 0
        sleep_until(t0 + 0.5)
    print(json.dumps({"ok": False, "error": f"not healthy after {args.timeout} s",
                      "states": states}))
    return 1


# ------------------------------------------------------------------ wait-recovered

def read_acks(path):
    acks = []
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2:
                    acks.append((int(parts[0]), float(parts[1]) / 1000.0))
    except OSError:
        pass
    return acks


def wait_recovered(args):
    nodes = parse_nodes(args.nodes)
    deadline = time.monotonic() + args.timeout
    found = None
    found_at = None
    while time.monotonic() < deadline:
        t0 = time.monotonic()
        if found is None:
            for n in nodes:
                if args.kind != "crash" and n["name"] == args.old:
                    continue
                s = node_state(n)
                if s is None or s["recovery"]:
                    continue
                if args.kind == "crash" and n["name"] == args.old and s["started"] < args.since:
                    continue  # the crashed postmaster's backends may still answer for a moment
                found, found_at = n["name"], time.time()
                break
        else:
            acks = read_acks(args.acks)
            after = [t for _, t in acks if t >= found_at]
            if after and after[-1] - after[0] >= args.settle:
                print(json.dumps({"ok": True, "primary": found,
                                  "primary_seen_s": round(found_at - args.since, 3),
                                  "seconds": round(time.time() - args.since, 3)}))
                return 0
        sleep_until(t0 + POLL)
    print(json.dumps({"ok": False, "primary": found,
                      "error": (f"no writable primary after {args.timeout} s" if found is None
                                else f"{found} is primary but the writer did not commit "
                                     f"for {args.settle} s within {args.timeout} s")}))
    return 1


# ------------------------------------------------------------------ wait-member-streaming

def wait_member_streaming(args):
    nodes = parse_nodes(args.nodes)
    primary = node_by_name(nodes, args.primary)
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        t0 = time.monotonic()
        s = node_state(primary)
        seen = time.time()
        if s and not s["recovery"] and args.member in s["streaming"]:
            print(json.dumps({"ok": True, "seconds": round(seen - args.since, 3)}))
            return 0
        sleep_until(t0 + POLL)
    print(json.dumps({"ok": False, "error": f"{args.member} not streaming from {args.primary} "
                      f"after {args.timeout} s", "seconds": round(time.time() - args.since, 3)}))
    return 1


# ------------------------------------------------------------------ watch-leader

class Zk:
    """Just enough of ZooKeeper's client protocol for exists-with-watch and pings."""

    def __init__(self, host, port, timeout_ms=30000):
        self.sock = socket.create_connection((host, port), timeout=5)
        self.xid = 0
        req = struct.pack(">iqiqi16sB", 0, 0, timeout_ms, 0, 16, b"\0" * 16, 0)
        self._send(req)
        body = self._recv()
        _, self.timeout_ms, self.session = struct.unpack(">iiq", body[:16])
        if self.timeout_ms <= 0:
            raise OSError("ZooKeeper refused the session")

    def _send(self, payload):
        self.sock.sendall(struct.pack(">i", len(payload)) + payload)

    def _recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise OSError("ZooKeeper closed the connection")
            buf += chunk
        return buf

    def _recv(self):
        (n,) = struct.unpack(">i", self._recv_exact(4))
        return self._recv_exact(n)

    def exists_watch(self, path):
        self.xid += 1
        p = path.encode()
        self._send(struct.pack(">iii", self.xid, 3, len(p)) + p + b"\1")

    def ping(self):
        self._send(struct.pack(">ii", -2, 11))

    def read(self):
        """(xid, err, payload) of the next frame."""
        body = self._recv()
        xid, _zxid, err = struct.unpack(">iqi", body[:16])
        return xid, err, body[16:]


def watch_leader(args):
    host, port = args.zk.rsplit(":", 1)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    out = open(args.out, "a", buffering=1)
    zk = Zk(host, int(port))
    zk.exists_watch(args.path)
    last_ping = time.monotonic()
    names = {1: "created", 2: "deleted", 3: "changed"}
    while not stop:
        try:
            ready, _, _ = select.select([zk.sock], [], [], 0.5)
        except InterruptedError:
            continue
        if time.monotonic() - last_ping > zk.timeout_ms / 3000.0:
            zk.ping()
            last_ping = time.monotonic()
        if not ready:
            continue
        xid, _err, payload = zk.read()
        if xid == -1:  # a watch fired: one-shot, so set it again
            seen = time.time()
            etype = struct.unpack(">i", payload[:4])[0]
            out.write(f"{seen:.3f} {names.get(etype, etype)}\n")
            zk.exists_watch(args.path)
    return 0


# ------------------------------------------------------------------ analyze

def analyze(args):
    nodes = parse_nodes(args.nodes)
    acks = read_acks(args.acks)
    event = args.event
    res = {"acked": len(acks), "acked_before_event": sum(1 for _, t in acks if t < event)}
    if len(acks) < 2 or acks[-1][1] < event:
        res.update(ok=False, error="no commit acknowledged after the event")
        return print(json.dumps(res)) or 1
    gaps = [(acks[i][1] - acks[i - 1][1], acks[i - 1][1], acks[i][1]) for i in range(1, len(acks))]
    # The outage is the longest gap that ends after the fault: its end is the first commit on
    # the new (or restarted) primary. A commit whose answer was already on its way when the
    # fault struck can end a tiny gap after the event; it is not the first commit after.
    after = [g for g in gaps if g[2] > event]
    before = [g[0] for g in gaps if g[2] <= event]
    outage, gap_start, gap_end = max(after)
    res.update(
        ok=True,
        outage_s=round(outage, 3),
        first_commit_s=round(gap_end - event, 3),
        last_commit_before_s=round(gap_start - event, 3),
        longest_gap_before_event_s=round(max(before), 3) if before else None,
        gaps_over_100ms_after=sum(1 for g in after if g[0] > 0.1),
        writer_span_s=round(acks[-1][1] - acks[0][1], 3),
    )
    # Rows lost: every acknowledged id must be on the primary now.
    primary = node_by_name(nodes, args.primary)
    out = psql(primary["pg_port"], "select id from writer_rows order by id", timeout=30)
    if out is None:
        res.update(ok=False, error=f"could not read writer_rows on {args.primary}")
    else:
        present = {int(x) for x in out.split()}
        lost = sorted(i for i, _ in acks if i not in present)
        res.update(lost=len(lost), lost_ids=lost[:50], rows_on_primary=len(present))
    if args.leader_events and os.path.exists(args.leader_events):
        events = []
        with open(args.leader_events) as f:
            for line in f:
                t, what = line.split()
                events.append((float(t), what))
        res["leader_events_s"] = [[round(t - event, 3), w] for t, w in events]
        deleted = [t for t, w in events if w == "deleted" and t >= event]
        if deleted:
            res["leader_key_gone_s"] = round(deleted[0] - event, 3)
            res["first_commit_after_leader_key_gone_s"] = round(gap_end - deleted[0], 3)
    print(json.dumps(res))
    return 0


# ------------------------------------------------------------------ report

FIGURES = {
    # scenario: [(key, label)]
    "switchover": [("outage_s", "write outage (s)"),
                   ("first_commit_s", "request -> first commit (s)"),
                   ("lost", "acked rows lost")],
    "failover": [("outage_s", "write outage (s)"),
                 ("first_commit_s", "kill -> first commit (s)"),
                 ("first_commit_after_leader_key_gone_s", "leader key gone -> commit (s)"),
                 ("zk_quiet_before_kill_s", "ZK silence before kill (s)"),
                 ("leader_key_gone_after_zk_contact_s", "last ZK contact -> key gone"),
                 ("first_commit_after_zk_contact_s", "last ZK contact -> commit (s)"),
                 ("lost", "acked rows lost")],
    "crash": [("outage_s", "write outage (s)"),
              ("first_commit_s", "kill -> first commit (s)"),
              ("lost", "acked rows lost")],
    "rejoin": [("rejoin_s", "restart -> streaming (s)")],
}


def target(profile, scenario, key, stats, other):
    """(text, met) for the issue's target on this figure, or None."""
    med, mx = stats.get("median"), stats.get("max")
    if med is None:  # nothing measured for praetor: the target alone
        text = {("switchover", "outage_s"): "median < 0.5, max < 1", ("switchover", "lost"): "0",
                ("failover", "first_commit_s"): "<= Patroni",
                ("failover", "first_commit_after_leader_key_gone_s"): "<= 0.5",
                ("crash", "first_commit_s"): "< 1.5", ("rejoin", "rejoin_s"): "< 5"}
        t = text.get((scenario, key))
        return (t, None) if t else None
    if scenario == "switchover" and key == "outage_s":
        return "median < 0.5, max < 1", med < 0.5 and mx < 1.0
    if scenario == "switchover" and key == "lost":
        return "0", mx == 0
    if scenario == "failover" and key == "first_commit_s":
        om = other.get("median") if other else None
        if om is None:
            return "<= Patroni", None
        return "<= Patroni", med <= om
    if scenario == "failover" and key == "first_commit_after_leader_key_gone_s":
        return "<= 0.5", med <= 0.5
    if scenario == "crash" and key == "first_commit_s":
        return "< 1.5", med < 1.5
    if scenario == "rejoin" and key == "rejoin_s":
        return "< 5", med < 5
    return None


def summarize(runs):
    out = {}
    for r in runs:
        k = (r["system"], r["profile"], r["scenario"])
        out.setdefault(k, {"runs": 0, "ok": 0, "failed": [], "values": {}})
        s = out[k]
        s["runs"] += 1
        if not r.get("ok"):
            s["failed"].append({"rep": r.get("rep"), "error": r.get("error")})
            continue
        s["ok"] += 1
        # The session expires a session timeout after the dead daemon's last packet: counted from
        # there, the figures lose the kill's random place between two heartbeats.
        quiet = r.get("zk_quiet_before_kill_s")
        if quiet is not None:
            for since_kill, since_contact in (("leader_key_gone_s",
                                               "leader_key_gone_after_zk_contact_s"),
                                              ("first_commit_s", "first_commit_after_zk_contact_s")):
                if r.get(since_kill) is not None:
                    r[since_contact] = round(r[since_kill] + quiet, 3)
        for key, _ in FIGURES[r["scenario"]]:
            if r.get(key) is not None:
                s["values"].setdefault(key, []).append(r[key])
    for s in out.values():
        s["stats"] = {key: {"median": statistics.median(v), "max": max(v), "min": min(v),
                            "each": v} for key, v in s["values"].items()}
    return out


def fmt(v):
    """Counts (rows lost) as they are, seconds with two decimals."""
    return str(v) if isinstance(v, int) else fmt_decimal(v)


def report(args):
    runs = read_jsonl(args.results)
    meta = read_json_if_there(args.meta)
    summary = summarize(runs)
    systems = sorted({r["system"] for r in runs}, key=lambda s: (s != "praetor", s))
    profiles = sorted({r["profile"] for r in runs}, key=lambda p: (p != "default", p))
    scenarios = [s for s in FIGURES if any(r["scenario"] == s for r in runs)]

    lines = []
    head = (f"{'profile':<8} {'scenario':<10} {'figure':<30} "
            f"{'praetor med':>11} {'max':>7} {'Patroni med':>11} {'max':>7} "
            f"{'ratio med':>9} {'ratio max':>9}  {'target':<22} {'met':<4}")
    lines.append(head)
    lines.append("-" * len(head))
    table = []
    for profile in profiles:
        for scenario in scenarios:
            for key, label in FIGURES[scenario]:
                p = summary.get(("praetor", profile, scenario), {}).get("stats", {}).get(key, {})
                q = summary.get(("patroni", profile, scenario), {}).get("stats", {}).get(key, {})
                if not p and not q and ("praetor", profile, scenario) not in summary and \
                        ("patroni", profile, scenario) not in summary:
                    continue
                rmed = (p["median"] / q["median"]) if p and q and q["median"] else None
                rmax = (p["max"] / q["max"]) if p and q and q["max"] else None
                t = target(profile, scenario, key, p, q)
                met = "" if t is None or t[1] is None else ("yes" if t[1] else "NO")
                row = {"profile": profile, "scenario": scenario, "figure": key,
                       "praetor": p or None, "patroni": q or None,
                       "ratio_median": rmed, "ratio_max": rmax,
                       "target": t[0] if t else None, "met": t[1] if t else None}
                table.append(row)
                lines.append(f"{profile:<8} {scenario:<10} {label:<30} "
                             f"{fmt(p.get('median')):>11} {fmt(p.get('max')):>7} "
                             f"{fmt(q.get('median')):>11} {fmt(q.get('max')):>7} "
                             f"{fmt(rmed):>9} {fmt(rmax):>9}  {(t[0] if t else ''):<22} {met:<4}")
    lines.append("")
    for (system, profile, scenario), s in sorted(summary.items()):
        each = "; ".join(f"{k} {[fmt(x) for x in v['each']]}" for k, v in s["stats"].items())
        lines.append(f"{system} {profile} {scenario}: {s['ok']}/{s['runs']} ok  {each}")
        for f_ in s["failed"]:
            lines.append(f"  FAILED rep {f_['rep']}: {f_['error']}")
    if any(k[1] == "default" for k in summary):
        lines.append("")
        lines.append("Patroni 3.0.2 as the issue measured it at default timings: " + "; ".join(
            f"{sc} {fig} {v}" for (_, sc, fig), v in PATRONI_EARLIER.items()))
    text = "\n".join(lines)
    print(text)
    results = {"meta": meta, "summary": [
        {"system": k[0], "profile": k[1], "scenario": k[2], **v} for k, v in summary.items()],
        "table": table, "runs": runs}
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)
    if args.table:
        with open(args.table, "w") as f:
            f.write(text + "\n")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("wait-healthy")
    w.add_argument("--nodes", required=True)
    w.add_argument("--timeout", type=float, default=300)
    r = sub.add_parser("wait-recovered")
    r.add_argument("--nodes", required=True)
    r.add_argument("--kind", choices=["switchover", "failover", "crash"], required=True)
    r.add_argument("--old", required=True)
    r.add_argument("--since", type=float, required=True)
    r.add_argument("--acks", required=True)
    r.add_argument("--timeout", type=float, default=300)
    r.add_argument("--settle", type=float, default=2)
    m = sub.add_parser("wait-member-streaming")
    m.add_argument("--nodes", required=True)
    m.add_argument("--primary", required=True)
    m.add_argument("--member", required=True)
    m.add_argument("--since", type=float, required=True)
    m.add_argument("--timeout", type=float, default=300)
    z = sub.add_parser("watch-leader")
    z.add_argument("--zk", required=True)
    z.add_argument("--path", required=True)
    z.add_argument("--out", required=True)
    a = sub.add_parser("analyze")
    a.add_argument("--nodes", required=True)
    a.add_argument("--primary", required=True)
    a.add_argument("--acks", required=True)
    a.add_argument("--event", type=float, required=True)
    a.add_argument("--leader-events")
    p = sub.add_parser("report")
    p.add_argument("--results", required=True)
    p.add_argument("--meta")
    p.add_argument("--out", required=True)
    p.add_argument("--table")
    args = ap.parse_args()
    return {"wait-healthy": wait_healthy, "wait-recovered": wait_recovered,
            "wait-member-streaming": wait_member_streaming, "watch-leader": watch_leader,
            "analyze": analyze, "report": report}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
