#!/usr/bin/env bash
# The test entry point (CI runs it through .ci/run): installs the Debian
# packages, builds, and runs every ctest test. Exits with ctest's status.
#
# Works from any working directory and as root: tests that start PostgreSQL
# make their own temporary folders owned by the `postgres` user, so the clone
# itself need not be reachable by that user.
#
# Environment:
#   BUILD_DIR     build folder (default <repo>/build)
#   TEST_TIMEOUT  seconds one test may take before ctest kills it (default 300;
#                 a test's own TIMEOUT property, when set, wins)
#   TEST_JOBS     tests run in parallel (default 2)
#   CTEST_ARGS    extra ctest arguments, e.g. "-R unit" (word-split)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

build_dir=${BUILD_DIR:-build}
export BUILD_DIR=$build_dir

echo "== install dependencies"
scripts/install-deps.sh

echo "== build ($build_dir)"
scripts/build.sh

echo "== test"
# shellcheck disable=SC2086 # CTEST_ARGS is meant to be word-split
ctest --test-dir "$build_dir" --output-on-failure --no-tests=error \
  -j "${TEST_JOBS:-2}" --timeout "${TEST_TIMEOUT:-300}" ${CTEST_ARGS:-}
