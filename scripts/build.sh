#!/usr/bin/env bash
# Installs missing Debian packages (scripts/deps.sh), then configures and builds strata with
# CMake and Ninja. Works from any directory.
#
# Environment:
#   STRATA_BUILD_DIR    build directory, relative to the repository root or absolute (default: build)
#   STRATA_BUILD_TYPE   CMAKE_BUILD_TYPE (default: RelWithDebInfo)
#   STRATA_CMAKE_ARGS   extra arguments for the configure step, split on spaces
#                       (e.g. "-DSTRATA_SANITIZE=ON -DSTRATA_BUILD_BENCH=OFF")
#   STRATA_BUILD_JOBS   parallel compile jobs (default: number of cores)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/deps.sh

build_dir=${STRATA_BUILD_DIR:-build}
read -r -a extra_args <<<"${STRATA_CMAKE_ARGS:-}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${STRATA_BUILD_TYPE:-RelWithDebInfo}" "${extra_args[@]}"
cmake --build "$build_dir" --parallel "${STRATA_BUILD_JOBS:-$(nproc)}"
