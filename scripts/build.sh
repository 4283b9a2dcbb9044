#!/usr/bin/env bash
# Configures and builds praetor with CMake + Ninja; executables land in
# $BUILD_DIR/bin (default: build/ at the repository root).
#
# Environment:
#   BUILD_DIR    build folder (default <repo>/build); relative paths are taken
#                from the repository root
#   BUILD_TYPE   CMake build type (default RelWithDebInfo)
#   JOBS         parallel compile jobs (default 2: the machines have 2 cores)
# Extra arguments are passed to `cmake --build` (e.g. `--target praetor`).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

build_dir=${BUILD_DIR:-build}
build_type=${BUILD_TYPE:-RelWithDebInfo}
jobs=${JOBS:-2}

cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type"
cmake --build "$build_dir" -j "$jobs" "$@"
