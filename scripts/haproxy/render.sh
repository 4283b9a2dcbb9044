#!/usr/bin/env bash
# Renders haproxy.cfg.template (beside this script) for three nodes, to stdout.
#
#   scripts/haproxy/render.sh PRIMARY_PORT REPLICAS_PORT STATS_PORT NODE NODE NODE > haproxy.cfg
#
# NODE is either NAME:PG_PORT:REST_PORT, or a node's praetor/Patroni YAML configuration file,
# from which the name and the ports of postgresql.connect_address and restapi.connect_address
# are taken. The template addresses every node on 127.0.0.1 (edit the result for real hosts).
# Example, for the cluster scripts/demo.sh runs:
#
#   scripts/haproxy/render.sh 5000 5001 7000 /tmp/praetor-demo/node{1,2,3}.yml > /tmp/haproxy.cfg
#   haproxy -c -f /tmp/haproxy.cfg && haproxy -db -f /tmp/haproxy.cfg
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() { printf 'render.sh: %s\n' "$*" >&2; exit 1; }

[[ $# -eq 6 ]] || die "usage: render.sh PRIMARY_PORT REPLICAS_PORT STATS_PORT NODE NODE NODE"

is_port() { [[ $1 =~ ^[0-9]+$ ]] && ((1 <= $1 && $1 <= 65535)); }

# node_fields NODE: prints "NAME PG_PORT REST_PORT".
node_fields() {
  local node=$1
  if [[ -f $node ]]; then
    python3 - "$node" <<'PY'
import sys, yaml
with open(sys.argv[1]) as f:
    c = yaml.safe_load(f)
def port(section):
    s = c.get(section) or {}
    address = s.get("connect_address") or s.get("listen") or ""
    return address.rsplit(":", 1)[-1]
print(c.get("name", ""), port("postgresql"), port("restapi"))
PY
  else
    IFS=: read -r name pg rest <<<"$node"
    printf '%s %s %s\n' "$name" "$pg" "$rest"
  fi
}

for p in "$1" "$2" "$3"; do is_port "$p" || die "not a port: $p"; done
script=(-e "s/@PRIMARY_PORT@/$1/g" -e "s/@REPLICAS_PORT@/$2/g" -e "s/@STATS_PORT@/$3/g")
shift 3
i=1
for node in "$@"; do
  read -r name pg rest < <(node_fields "$node")
  [[ ${name:-} =~ ^[A-Za-z0-9._-]+$ ]] || die "$node: no usable node name"
  is_port "${pg:-}" || die "$node: no PostgreSQL port"
  is_port "${rest:-}" || die "$node: no REST API port"
  script+=(-e "s/@NODE${i}_NAME@/$name/g" -e "s/@NODE${i}_PG_PORT@/$pg/g"
           -e "s/@NODE${i}_REST_PORT@/$rest/g")
  i=$((i + 1))
done
sed "${script[@]}" "$here/haproxy.cfg.template"
