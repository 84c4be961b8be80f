// The lock proof (dialects/engine_checks.hpp) against a lock that does not lock: a
// PostgreSQL database whose search_path puts stub advisory-lock functions first, as an
// engine whose pg_try_advisory_lock always says yes would behave (CockroachDB's does).
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "cli/cli_support.hpp"
#include "dialects/engine.hpp"

using namespace strata;
using namespace strata::testing;

TEST_CASE("an advisory lock that does not exclude is caught by the lock proof: upgrade refused, nothing applied") {
    Project p;
    {
        auto conn = p.db.engine().open();
        conn->execute_unprepared("CREATE SCHEMA stubs");
        conn->execute_unprepared(
            "CREATE FUNCTION stubs.pg_try_advisory_lock(bigint) RETURNS boolean LANGUAGE sql AS 'SELECT true'");
        conn->execute_unprepared(
            "CREATE FUNCTION stubs.pg_advisory_unlock(bigint) RETURNS boolean LANGUAGE sql AS 'SELECT true'");
        conn->execute_unprepared(fmt::format("ALTER DATABASE {} SET search_path = stubs, pg_catalog, public",
                                             conn->dialect().quote(Url::parse(p.db.url()).database)));
    }
    write_revision_file(p.migrations, "r1", {}, "downgrade = []\n" + create_table_step("t1"));
    auto r = p.strata({"upgrade"});
    INFO(r.transcript);
    CHECK(r.exit_code == 4);
    CHECK(contains(r.err, "the migration lock does not work on PostgreSQL"));
    CHECK(contains(r.err, "--engine-unchecked"));
    CHECK(applied_ids(p.db.url()).empty());
    CHECK(table_names(p.db.url()).count("t1") == 0);
    // The user who has checked the engine some other way can go on.
    auto unchecked = p.strata({"upgrade", "--engine-unchecked"});
    INFO(unchecked.transcript);
    CHECK(unchecked.exit_code == 0);
    CHECK(applied_ids(p.db.url()) == std::set<std::string>{"r1"});
}
