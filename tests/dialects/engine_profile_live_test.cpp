// Connection::engine() on a real connection of every database (strata_add_dialect_test):
// the test servers are plain, writable, stand-alone servers, so the profile must say so
// and leave capabilities() as the server's own.
#include <catch2/catch.hpp>

#include "dialects/engine.hpp"
#include "support/test_database.hpp"

using namespace strata;
using strata::testing::TestDatabase;

TEST_CASE("engine_profile: engine() of a real connection names the engine and its role", "[engine]") {
    TestDatabase db;
    Connection& conn = db.connection();
    const std::string server = conn.server_version();
    Capabilities before = conn.capabilities();
    std::uint64_t statements = conn.stats().statements;

    const EngineProfile& profile = conn.engine();
    INFO(profile.describe());
    CHECK(profile.supported);
    CHECK(profile.refusal.empty());
    CHECK_FALSE(profile.standby);
    CHECK(profile.cluster_size == 0);
    CHECK(profile.notes.empty());
    CHECK(profile.version.major > 0);
    CHECK(server.find(profile.version.text) != std::string::npos);
    const std::string& dialect = strata::testing::dialect();
    if (dialect == "sqlite") {
        CHECK(profile.engine == "SQLite");
        CHECK(profile.lock == LockKind::write_lock);
        CHECK(profile.role.empty());
    } else {
        bool mariadb = server.find("MariaDB") != std::string::npos;
        CHECK(profile.engine == (dialect == "postgres" ? "PostgreSQL" : mariadb ? "MariaDB" : "MySQL"));
        CHECK(profile.lock == LockKind::session_lock);
        CHECK(profile.role == "primary");
    }
    // Plain servers: the profile keeps the server's capabilities, and the probe is quiet.
    CHECK(conn.capabilities() == before);
    CHECK(profile.capabilities == before);
    CHECK(conn.stats().statements == statements);
    // Asked once: the same profile again.
    CHECK(&conn.engine() == &profile);
}

TEST_CASE("engine_profile: disable_returning() still holds after engine()", "[engine]") {
    TestDatabase db;
    Connection& conn = db.connection();
    if (!conn.capabilities().returning || strata::testing::dialect() == "postgres") {
        SUCCEED("no RETURNING to disable here (PostgreSQL refuses to disable it)");
        return;
    }
    conn.disable_returning();
    CHECK_FALSE(conn.capabilities().returning);
    conn.engine();
    CHECK_FALSE(conn.capabilities().returning);
    CHECK(conn.engine().capabilities.returning);
}

TEST_CASE("engine_profile: a PostgreSQL session with default_transaction_read_only = on is read-only", "[engine]") {
    if (strata::testing::dialect() != "postgres") {
        SUCCEED("PostgreSQL only: the setting is per session there");
        return;
    }
    TestDatabase db;
    std::unique_ptr<Connection> conn = db.engine().open();  // outside the pool: the setting stays with it
    conn->execute_unprepared("SET default_transaction_read_only = on");
    const EngineProfile& profile = conn->engine();
    CHECK(profile.engine == "PostgreSQL");
    CHECK(profile.standby);
    CHECK(profile.role.find("default_transaction_read_only") != std::string::npos);
    CHECK(profile.supported);
}
