// MySQL/MariaDB migration lock: GET_LOCK, a named lock held by the session. Lock names
// are server-wide, so the name carries the database: two databases on one server
// migrate independently. GET_LOCK's result is checked: 1 is the lock, 0 a timeout,
// NULL an error; only 1 lets the migration proceed.
#include <optional>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/detail/lock_name.hpp"
#include "dialects/migration_lock.hpp"
#include "dialects/mysql/mysql_dialect.hpp"

namespace strata {

namespace {

// MySQL limits lock names to 64 characters.
constexpr std::size_t kMaxLockName = 64;

std::string lock_name(const std::string& database) {
    std::string name = fmt::format("{}:{}", detail::migration_lock_name, database);
    if (name.size() <= kMaxLockName) return name;
    return fmt::format("{}:{:016x}", detail::migration_lock_name, detail::fnv1a64(database));
}

std::optional<std::int64_t> as_int(const Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (const auto* b = std::get_if<bool>(&v)) return *b ? 1 : 0;
    if (const auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
    if (const auto* s = std::get_if<std::string>(&v)) {
        try {
            return std::stoll(*s);
        } catch (...) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

class MysqlMigrationLock final : public MigrationLock {
public:
    MysqlMigrationLock(Connection& conn, std::string name, std::chrono::milliseconds timeout)
        : MigrationLock(false, timeout), conn_(conn), name_(std::move(name)) {}
    ~MysqlMigrationLock() override { release(); }

    void release() noexcept override {
        if (!held_) return;
        held_ = false;
        try {
            conn_.query("SELECT RELEASE_LOCK(?)", {Value(name_)});
        } catch (...) {
            // The server frees named locks when the session ends.
        }
    }

private:
    Connection& conn_;
    std::string name_;
    bool held_ = true;
};

}  // namespace

std::unique_ptr<MigrationLock> MysqlDialect::acquire_migration_lock(Connection& conn,
                                                                    std::chrono::milliseconds timeout) const {
    ResultSet db = conn.query("SELECT DATABASE()");
    std::string database;
    if (!db.rows.empty())
        if (const auto* s = std::get_if<std::string>(&db.rows[0][0])) database = *s;
    std::string name = lock_name(database);
    // GET_LOCK takes seconds; fractions are honoured by the servers strata supports.
    const double seconds = static_cast<double>(timeout.count()) / 1000.0;
    ResultSet r = conn.query("SELECT GET_LOCK(?, ?)", {Value(name), Value(seconds)});
    std::optional<std::int64_t> got;
    if (!r.rows.empty()) got = as_int(r.rows[0][0]);
    if (got && *got == 1) return std::make_unique<MysqlMigrationLock>(conn, std::move(name), timeout);
    if (got && *got == 0)
        throw Error(ErrorKind::lock_timeout,
                    fmt::format("could not take the migration lock of database {} within {} ms: another strata "
                                "process is migrating it (it holds GET_LOCK('{}'); see "
                                "performance_schema.metadata_locks or IS_USED_LOCK). Wait for it to finish, or raise "
                                "--lock-timeout",
                                database, timeout.count(), name));
    throw Error(ErrorKind::database,
                fmt::format("GET_LOCK('{}') failed (returned NULL) on database {}; strata does not migrate without "
                            "its lock. Check the server log",
                            name, database));
}

std::string MysqlDialect::clock_ms_sql() const { return "CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)"; }

}  // namespace strata
