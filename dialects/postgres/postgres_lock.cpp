// PostgreSQL migration lock: a session-level advisory lock. Advisory lock keys are
// per database, so only strata processes migrating the same database (and schema)
// contend. pg_try_advisory_lock is polled rather than pg_advisory_lock under a
// lock_timeout, because a lock_timeout error would abort an enclosing transaction and
// would have to be told apart from other lock waits.
#include <algorithm>
#include <cstdint>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/detail/lock_name.hpp"
#include "dialects/migration_lock.hpp"
#include "dialects/postgres/postgres_dialect.hpp"

namespace strata {

namespace {

bool truthy(const Value& v) {
    if (const auto* b = std::get_if<bool>(&v)) return *b;
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i != 0;
    if (const auto* s = std::get_if<std::string>(&v)) return *s == "t" || *s == "true" || *s == "1";
    return false;
}

// A session lock only protects a run if the next statements come from the session that
// took it. Behind a pool that hands out server connections per transaction (PgBouncer in
// transaction or statement mode) the lock stays with a server connection strata no longer
// talks to; a lock function that is a stub takes nothing at all. Either way pg_locks,
// asked in a statement of its own, shows no such lock for this backend.
void require_session_holds(Connection& conn, std::int64_t key) {
    ResultSet r = conn.query(
        "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid() AND "
        "objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = $1",
        {Value(key)});
    if (!r.rows.empty() && truthy(r.rows[0][0])) return;
    throw Error(ErrorKind::refused,
                fmt::format("the migration lock does not work on {}: pg_try_advisory_lock said yes, but the next "
                            "statement's session holds no advisory lock {} (pg_locks). The connection is pooled per "
                            "transaction (PgBouncer in transaction or statement mode?) or the lock function does "
                            "nothing. Connect strata to PostgreSQL directly or through a session-mode pool; see "
                            "docs/clusters.md (--engine-unchecked skips this check at your own risk)",
                            conn.engine().describe(), key));
}

class PostgresMigrationLock final : public MigrationLock {
public:
    PostgresMigrationLock(Connection& conn, std::int64_t key, std::chrono::milliseconds timeout)
        : MigrationLock(false, timeout), conn_(conn), key_(key) {}
    ~PostgresMigrationLock() override { release(); }

    void prove_held() const override { require_session_holds(conn_, key_); }

    void release() noexcept override {
        if (!held_) return;
        held_ = false;
        try {
            conn_.query("SELECT pg_advisory_unlock($1)", {Value(key_)});
        } catch (...) {
            // The lock dies with the session; a broken connection has already freed it.
        }
    }

private:
    Connection& conn_;
    std::int64_t key_;
    bool held_ = true;
};

}  // namespace

std::unique_ptr<MigrationLock> PostgresDialect::acquire_migration_lock(Connection& conn,
                                                                       std::chrono::milliseconds timeout) const {
    ResultSet where = conn.query("SELECT current_database(), current_schema()");
    std::string database = where.rows.empty() ? std::string() : std::get<std::string>(where.rows[0][0]);
    std::string schema;
    if (!where.rows.empty())
        if (const auto* s = std::get_if<std::string>(&where.rows[0][1])) schema = *s;
    const auto key = static_cast<std::int64_t>(detail::fnv1a64(fmt::format("{}:{}", detail::migration_lock_name, schema)));

    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        ResultSet r = conn.query("SELECT pg_try_advisory_lock($1)", {Value(key)});
        if (!r.rows.empty() && truthy(r.rows[0][0])) return std::make_unique<PostgresMigrationLock>(conn, key, timeout);
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) break;
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(std::chrono::milliseconds(50),
                                                                                  deadline - now));
    }
    throw Error(ErrorKind::lock_timeout,
                fmt::format("could not take the migration lock of database {} (schema {}) within {} ms: another "
                            "strata process is migrating it (it holds advisory lock {}; see pg_locks). Wait for it "
                            "to finish, or raise --lock-timeout",
                            database, schema, timeout.count(), key));
}

std::string PostgresDialect::clock_ms_sql() const { return "CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT)"; }

}  // namespace strata
