#!/usr/bin/env bash
# The sanitizer runs CI makes after the main suite (scripts/test.sh calls this while the
# servers are up): the ORM and pool tests built with ThreadSanitizer (pool, threads and the
# lease lock's renewal thread only) and with AddressSanitizer + UndefinedBehaviorSanitizer
# (ORM, unit of work, pool, lease lock), each on SQLite, PostgreSQL and MySQL/MariaDB. Any sanitizer report fails the run.
#
# Needs STRATA_TEST_POSTGRES_URL and STRATA_TEST_MYSQL_URL (scripts/servers.sh).
# Environment: STRATA_SANITIZE_DIR (default: build-sanitize), STRATA_BUILD_JOBS.
# Exit status: 0 when every run passed; the failing test's status otherwise.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

: "${STRATA_TEST_POSTGRES_URL:?start the servers first (source scripts/servers.sh; start_servers)}"
: "${STRATA_TEST_MYSQL_URL:?start the servers first (source scripts/servers.sh; start_servers)}"
root=${STRATA_SANITIZE_DIR:-build-sanitize}
jobs=${STRATA_BUILD_JOBS:-$(nproc)}

# configure DIR FLAG: the tests only, at -O1 with line tables (enough for sanitizer
# reports, and cheaper to compile than RelWithDebInfo).
configure() {
    cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
        -DSTRATA_BUILD_BENCH=OFF -DSTRATA_BUILD_EXAMPLES=OFF "$2" >/dev/null
}

# run_all BINARY DIALECTS...: the binary once per dialect.
run_all() {
    local bin=$1
    shift
    for d in "$@"; do
        echo "---- $(basename "$bin") --dialect $d"
        "$bin" --dialect "$d" --reporter compact
    done
}

started=$(date +%s)
tsan="$root/thread"
configure "$tsan" -DSTRATA_SANITIZE_THREAD=ON
cmake --build "$tsan" --parallel "$jobs" --target pool_conformance pool_server_live strata_lease_lock_test
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
run_all "$tsan/tests/pool/pool_conformance" sqlite postgres mysql
run_all "$tsan/tests/cluster/strata_lease_lock_test" sqlite postgres mysql
run_all "$tsan/tests/pool/pool_server_live" postgres mysql
unset TSAN_OPTIONS

asan="$root/address"
configure "$asan" -DSTRATA_SANITIZE=ON
cmake --build "$asan" --parallel "$jobs" --target orm_conformance orm_unit_of_work pool_conformance pool_server_live \
    strata_lease_lock_test
export ASAN_OPTIONS="detect_leaks=1 halt_on_error=1"
export UBSAN_OPTIONS="halt_on_error=1 print_stacktrace=1"
for t in orm/orm_conformance orm/orm_unit_of_work pool/pool_conformance cluster/strata_lease_lock_test; do
    run_all "$asan/tests/$t" sqlite postgres mysql
done
run_all "$asan/tests/pool/pool_server_live" postgres mysql
echo "sanitizer runs passed in $(($(date +%s) - started)) s"
