#!/usr/bin/env bash
# The main job: builds strata (scripts/build.sh, which installs missing packages) and runs the
# `strata` binary against an embedded SQLite database in a temporary directory, removed on exit.
# For now this is a smoke run of the command line; it exits non-zero if the binary fails.
#
# Environment: STRATA_BUILD_DIR, STRATA_CMAKE_ARGS, ... as in scripts/build.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/build.sh
strata=$(cd "${STRATA_BUILD_DIR:-build}" && pwd)/cmd/strata

work=$(mktemp -d "${TMPDIR:-/tmp}/strata-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
export STRATA_DATABASE_URL="sqlite:///$work/demo.db"

echo "+ strata --help    (database: $STRATA_DATABASE_URL)"
"$strata" --help
echo "+ strata --version"
"$strata" --version
echo "demo: strata ran"
