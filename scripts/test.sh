#!/usr/bin/env bash
# The whole test suite, as CI runs it: builds (scripts/build.sh, which installs missing
# packages), starts throwaway PostgreSQL 15 and MariaDB servers (scripts/servers.sh), runs
# CTest with STRATA_TEST_POSTGRES_URL and STRATA_TEST_MYSQL_URL pointing at them, and stops
# the servers however the run ends. Works from any directory.
#
# It also starts servers.sh's clusters (start_clusters: a 3-node MariaDB Galera cluster and a
# PostgreSQL primary with a streaming hot standby, about 10-15 seconds more on two cores), so
# the tests also see STRATA_TEST_GALERA_URLS, STRATA_TEST_GALERA_PIDS, STRATA_TEST_GALERA_DIR,
# STRATA_TEST_PG_PRIMARY_URL and STRATA_TEST_PG_STANDBY_URL; STRATA_SKIP_CLUSTERS=1 skips them.
#
# Arguments are passed to ctest, e.g. `bash scripts/test.sh -L sqlite` or `-R unit:`.
#
# Exit status: ctest's own when it fails; otherwise 1 when any selected test was skipped or
# not run (a dialect test skips with 77 when its server is missing: here that is an error) or
# when no test ran at all; 0 only when every selected test ran and passed. A server that does
# not start is also a failure.
#
# Then, when no ctest arguments were given, scripts/sanitize.sh (the ORM and pool tests under
# ThreadSanitizer and ASan/UBSan); STRATA_SKIP_SANITIZERS=1 skips it.
#
# Environment: STRATA_BUILD_DIR, STRATA_CMAKE_ARGS, ... as in scripts/build.sh;
# STRATA_TEST_JOBS (default 2) parallel tests; STRATA_TEST_TIMEOUT (default 300) seconds
# allowed to a test that sets no TIMEOUT of its own.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/build.sh
build_dir=$(cd "${STRATA_BUILD_DIR:-build}" && pwd)

# A developer's own database must never be the one tests write to.
unset STRATA_DATABASE_URL DATABASE_URL

source scripts/servers.sh
start_servers
# The replication setups (a Galera cluster, a PostgreSQL primary with a hot standby) for the
# tests that need them; STRATA_SKIP_CLUSTERS=1 leaves them out, and with them their variables.
if [ "${STRATA_SKIP_CLUSTERS:-0}" != 1 ]; then
    start_clusters
fi

junit="$build_dir/ctest-junit.xml"
rm -f "$junit"

# ctest runs in a session of its own, in the background, so that a signal to this script is
# handled at once (bash defers traps while a foreground child runs) and stops ctest together
# with the tests it started before the EXIT trap stops the servers.
ctest_pid=""
on_signal() {
    if [ -n "$ctest_pid" ]; then
        kill -TERM -- "-$ctest_pid" 2>/dev/null || true
        wait "$ctest_pid" 2>/dev/null || true
    fi
    exit "$1"
}
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

setsid ctest --test-dir "$build_dir" --output-on-failure --no-tests=error \
    -j "${STRATA_TEST_JOBS:-2}" --timeout "${STRATA_TEST_TIMEOUT:-300}" --output-junit "$junit" "$@" &
ctest_pid=$!
rc=0
wait "$ctest_pid" || rc=$?
ctest_pid=""

# Count from the JUnit report: status "run"/"fail" ran; "notrun" (skipped, or executable
# missing) and "disabled" did not.
count() { grep -cE "<testcase .*status=\"($1)\"" "$junit" 2>/dev/null || true; }
names() { grep -E "<testcase .*status=\"($1)\"" "$junit" 2>/dev/null | sed -E 's/.* name="([^"]*)".*/\1/' || true; }
passed=$(count run)
failed=$(count fail)
not_run=$(count 'notrun|disabled')
ran=$((passed + failed))

echo
echo "==== strata tests (PostgreSQL and MariaDB servers were up) ===="
if [ "$not_run" -gt 0 ]; then
    echo "Skipped or not run (every selected test must run here):"
    names 'notrun|disabled' | sed 's/^/    /'
fi
if [ "$failed" -gt 0 ]; then
    echo "Failed:"
    names fail | sed 's/^/    /'
fi
echo "summary: $passed passed, $failed failed, $not_run skipped"

verdict=0
if [ "$ran" -eq 0 ]; then
    echo "FAILED: no test ran (check the ctest arguments: $*)"
    verdict=1
fi
if [ "$not_run" -gt 0 ]; then
    echo "FAILED: $not_run test(s) skipped or not run"
    verdict=1
fi
if [ "$rc" -ne 0 ]; then
    echo "FAILED: ctest exited with $rc"
    exit "$rc"
fi
[ "$verdict" -eq 0 ] || exit 1
echo "OK: all $ran tests ran and passed"

# The ORM and pool tests again under ThreadSanitizer and ASan/UBSan, while the servers are
# up (skipped when ctest arguments select a subset, or with STRATA_SKIP_SANITIZERS=1).
if [ $# -eq 0 ] && [ "${STRATA_SKIP_SANITIZERS:-0}" != 1 ]; then
    echo
    echo "==== sanitizer runs (scripts/sanitize.sh) ===="
    bash scripts/sanitize.sh
    echo "OK: sanitizer runs passed"
fi
