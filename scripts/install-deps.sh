#!/usr/bin/env bash
# Installs the Debian 12 packages praetor needs to build, test and run its demo
# (the list below: build, run and test, the peers the tests and benchmarks compare with;
# README.md, "Repository layout", names them).
#
# Idempotent and quiet: when every package is already installed it does nothing
# and touches no network; `apt-get update` runs only when something is missing.
# Works as root or as a user who may sudo.
#
# It starts no service and stops none. Installing postgresql-15 on a fresh
# machine would normally create and start a default cluster on port 5432; we
# ask postgresql-common not to create it (only when postgresql-15 is not yet
# installed), and praetor never uses 5432 anyway.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build
  libcaf-dev libzookeeper-mt-dev libpq-dev
  libboost1.81-dev libboost-json1.81-dev
  libspdlog-dev libfmt-dev libyaml-cpp-dev catch2
  # run and test
  zookeeper postgresql-15 curl
  # peers for compatibility tests and benchmarks; Patroni's acceptance suite (behave)
  patroni python3-kazoo haproxy wrk
  python3-behave python3-coverage python3-psycopg2
  # systemd-analyze, to verify packaging/praetor.service
  systemd
)

log() { printf 'install-deps: %s\n' "$*" >&2; }

if [[ $(id -u) -eq 0 ]]; then
  as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1; then
  as_root() { sudo "$@"; }
else
  as_root() {
    log "need root to run: $*; run this script as root or install sudo"
    return 1
  }
fi

is_installed() {
  [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

missing=()
for p in "${packages[@]}"; do
  is_installed "$p" || missing+=("$p")
done

apt_install() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends -o Dpkg::Options::=--force-confold "$@" >/dev/null
}

if ((${#missing[@]} > 0)); then
  log "installing: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null

  # Keep a fresh postgresql-15 from creating (and starting) the default
  # cluster on 5432: install postgresql-common first and switch that off.
  if [[ " ${missing[*]} " == *" postgresql-15 "* ]]; then
    is_installed postgresql-common || apt_install postgresql-common
    conf=/etc/postgresql-common/createcluster.conf
    if [[ -f $conf ]] && ! grep -q '^[[:space:]]*create_main_cluster[[:space:]]*=[[:space:]]*false' "$conf"; then
      as_root sed -i -E 's/^[#[:space:]]*create_main_cluster[[:space:]]*=.*/create_main_cluster = false/' "$conf"
      grep -q '^create_main_cluster = false' "$conf" ||
        echo 'create_main_cluster = false' | as_root tee -a "$conf" >/dev/null
    fi
  fi

  apt_install "${missing[@]}"
  log "done"
fi

# PostgreSQL refuses to run as root: the tests and the demo run it as the
# unprivileged `postgres` user that postgresql-common creates.
if ! id -u postgres >/dev/null 2>&1; then
  log "the OS user 'postgres' is missing although postgresql-common is installed; creating it"
  as_root adduser --system --quiet --group --home /var/lib/postgresql \
    --shell /bin/bash postgres
fi
