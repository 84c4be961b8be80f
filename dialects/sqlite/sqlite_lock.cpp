// SQLite migration lock: SQLite's own write lock. Each migration transaction opens with
// BEGIN IMMEDIATE (SqliteConnection::begin), which takes the write lock or waits for
// it up to the busy timeout; acquiring this lock sets that timeout to the migration's
// lock timeout, and release puts the connection's own value back. A transaction that
// still finds the database busy fails with SQLITE_BUSY, which is_lock_timeout reports.
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <limits>

#include <fmt/format.h>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/migration_lock.hpp"
#include "dialects/sqlite/sqlite_dialect.hpp"

namespace strata {

namespace {

class SqliteMigrationLock final : public MigrationLock {
public:
    SqliteMigrationLock(Connection& conn, std::int64_t previous_ms, std::chrono::milliseconds timeout)
        : MigrationLock(true, timeout), conn_(conn), previous_ms_(previous_ms) {}
    ~SqliteMigrationLock() override { release(); }

    bool is_lock_timeout(const Error& error) const noexcept override {
        return (error.server_code() & 0xff) == SQLITE_BUSY;
    }

    void release() noexcept override {
        if (released_) return;
        released_ = true;
        try {
            conn_.execute_unprepared(fmt::format("PRAGMA busy_timeout = {}", previous_ms_));
        } catch (...) {
            // Only the wait setting of a connection that is going away is lost.
        }
    }

private:
    Connection& conn_;
    std::int64_t previous_ms_;
    bool released_ = false;
};

}  // namespace

std::unique_ptr<MigrationLock> SqliteDialect::acquire_migration_lock(Connection& conn,
                                                                     std::chrono::milliseconds timeout) const {
    std::int64_t previous = 0;
    ResultSet r = conn.query("PRAGMA busy_timeout");
    if (!r.rows.empty())
        if (const auto* v = std::get_if<std::int64_t>(&r.rows[0][0])) previous = *v;
    const std::int64_t ms = std::clamp<std::int64_t>(timeout.count(), 0, std::numeric_limits<int>::max());
    conn.execute_unprepared(fmt::format("PRAGMA busy_timeout = {}", ms));
    return std::make_unique<SqliteMigrationLock>(conn, previous, timeout);
}

std::string SqliteDialect::clock_ms_sql() const { return "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"; }

}  // namespace strata
