#!/bin/bash
# verify_unit.sh UNIT PRAETOR_BIN: systemd-analyze verify on the unit (its ExecStart pointed at
# the binary just built, since verify checks that it exists), then the lines whose loss would
# change how praetor runs under systemd.
set -euo pipefail
unit=$1
bin=$2
command -v systemd-analyze >/dev/null || {
  echo "systemd-analyze is missing: install the systemd package (scripts/install-deps.sh does)"
  exit 1
}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed "s|^ExecStart=/usr/local/bin/praetor |ExecStart=$bin |" "$unit" >"$dir/praetor.service"
grep -q "^ExecStart=$bin " "$dir/praetor.service" || {
  echo "ExecStart does not start /usr/local/bin/praetor with a configuration file"
  exit 1
}
out=$(cd "$dir" && systemd-analyze verify "$dir/praetor.service" 2>&1) || {
  echo "systemd-analyze verify failed: $out"
  exit 1
}
[[ -z $out ]] || {
  echo "systemd-analyze verify complained: $out"
  exit 1
}
for line in 'Type=simple' 'User=postgres' 'Group=postgres' 'KillMode=process' \
  'ExecReload=/bin/kill -s HUP $MAINPID' 'Restart=on-failure' 'WantedBy=multi-user.target'; do
  grep -qxF "$line" "$unit" || {
    echo "missing: $line"
    exit 1
  }
done
echo "praetor.service verified"
