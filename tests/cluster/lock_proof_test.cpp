// The lock proofs (dialects/engine_checks.hpp) against a lock that does not lock: a
// PostgreSQL database whose search_path puts stub advisory-lock functions first, as an
// engine whose pg_try_advisory_lock always says yes would behave (CockroachDB's does), or
// as PgBouncer in transaction mode behaves (the lock stays on another server session).
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdint>

#include "cli/cli_support.hpp"
#include "dialects/detail/lock_name.hpp"
#include "dialects/engine.hpp"

using namespace strata;
using namespace strata::testing;

namespace {

// Stub lock functions in schema `stubs`, first on the database's search_path.
void install_stub_lock(TestDatabase& db) {
    auto conn = db.engine().open();
    conn->execute_unprepared("CREATE SCHEMA stubs");
    conn->execute_unprepared(
        "CREATE FUNCTION stubs.pg_try_advisory_lock(bigint) RETURNS boolean LANGUAGE sql AS 'SELECT true'");
    conn->execute_unprepared(
        "CREATE FUNCTION stubs.pg_advisory_unlock(bigint) RETURNS boolean LANGUAGE sql AS 'SELECT true'");
    conn->execute_unprepared(fmt::format("ALTER DATABASE {} SET search_path = stubs, pg_catalog, public",
                                         conn->dialect().quote(Url::parse(db.url()).database)));
}

// A pg_locks that shows strata's lock as held by whoever asks, so that only the second
// connection's attempt can tell the lock does nothing.
void install_lying_pg_locks(TestDatabase& db) {
    // The key strata derives for schema `stubs` (dialects/postgres/postgres_lock.cpp).
    const auto key = static_cast<std::uint64_t>(detail::fnv1a64("strata_migrate:stubs"));
    auto conn = db.engine().open();
    conn->execute_unprepared(fmt::format(
        "CREATE VIEW stubs.pg_locks AS SELECT 'advisory'::text AS locktype, true AS granted, pg_backend_pid() AS pid, "
        "1 AS objsubid, {}::bigint::oid AS classid, {}::bigint::oid AS objid",
        key >> 32, key & 0xffffffffULL));
}

void refused_then_unchecked(Project& p, const std::string& expected) {
    write_revision_file(p.migrations, "r1", {}, "downgrade = []\n" + create_table_step("t1"));
    auto r = p.strata({"upgrade"});
    INFO(r.transcript);
    CHECK(r.exit_code == 4);
    CHECK(contains(r.err, expected));
    CHECK(contains(r.err, "--engine-unchecked"));
    CHECK(applied_ids(p.db.url()).empty());
    CHECK(table_names(p.db.url()).count("t1") == 0);
    // The user who has checked the engine some other way can go on.
    auto unchecked = p.strata({"upgrade", "--engine-unchecked"});
    INFO(unchecked.transcript);
    CHECK(unchecked.exit_code == 0);
    CHECK(applied_ids(p.db.url()) == std::set<std::string>{"r1"});
}

}  // namespace

TEST_CASE("an advisory lock the session does not hold (a stub, a per-transaction pool) is refused, nothing applied") {
    Project p;
    install_stub_lock(p.db);
    refused_then_unchecked(p, "holds no advisory lock");
}

TEST_CASE("an advisory lock that a second connection takes too is caught by the lock proof, nothing applied") {
    Project p;
    install_stub_lock(p.db);
    install_lying_pg_locks(p.db);
    refused_then_unchecked(p, "a second connection took it");
}
