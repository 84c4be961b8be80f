// Test support: which database a conformance test runs on, and a throwaway database.
#pragma once

#include <string>

#include "dialects/connection.hpp"
#include "dialects/engine.hpp"
#include "orm/registry.hpp"

namespace strata::testing {

// "sqlite", "postgres" or "mysql" (from --dialect; "sqlite" by default).
const std::string& dialect();
// The server URL of the current dialect from STRATA_TEST_POSTGRES_URL /
// STRATA_TEST_MYSQL_URL ("" for sqlite).
std::string server_url();

// `text` with each ? turned into the dialect's placeholder ($1, $2 on PostgreSQL), for raw
// SQL written once for every database.
std::string with_placeholders(const Dialect& dialect, const std::string& text);

// A fresh, empty database for one test, dropped in the destructor:
// SQLite: a new empty file in the temp directory; PostgreSQL / MySQL: a new database named
// strata_t_<pid>_<n> on the test server, so tests can run in parallel.
class TestDatabase {
public:
    explicit TestDatabase(EngineOptions options = {});
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    const std::string& url() const noexcept { return url_; }
    Engine& engine() noexcept { return engine_; }
    Connection& connection() { return engine_.connection(); }
    const Dialect& dialect() const noexcept { return engine_.dialect(); }

private:
    std::string name_;  // database name (servers) or file path (SQLite); declared before url_,
                        // whose initializer fills it
    std::string url_;
    Engine engine_;
};

// A fresh database created with `registry`'s tables, and raw SQL helpers written with ?
// placeholders, for the ORM tests.
struct OrmFixture {
    TestDatabase db;
    explicit OrmFixture(Registry& registry);
    Connection& conn() { return db.connection(); }
    // Statements sent on every connection of the engine (sessions check out their own).
    std::uint64_t statements() { return db.engine().stats().statements; }
    // `text` with each ? turned into the dialect's placeholder ($1, $2 on PostgreSQL).
    std::string sql(const std::string& text) const { return with_placeholders(db.dialect(), text); }
    ResultSet query(const std::string& text, std::initializer_list<Value> params = {}) {
        return conn().query(sql(text), params);
    }
};

}  // namespace strata::testing
