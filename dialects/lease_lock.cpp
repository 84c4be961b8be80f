// The lease lock (lease_lock.hpp). Every statement is autocommit on the lease's own
// connection, so a lease row is visible to other processes (and, on Galera, certified on
// every node) as soon as the statement returns.
#include "dialects/lease_lock.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/sql_text.hpp"

namespace strata {

namespace {

using Clock = std::chrono::steady_clock;

std::string local_host() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
    return buf;
}

std::string random_token() {
    std::random_device rd;
    std::uint64_t a = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
    std::uint64_t b = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
    return fmt::format("{:016x}{:016x}", a, b);
}

std::int64_t as_int(const Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (const auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
    if (const auto* s = std::get_if<std::string>(&v)) return std::stoll(*s);
    return 0;
}

// A write lost to a concurrent transaction (a Galera certification conflict, a
// serialization failure): nothing was applied, the statement may simply run again.
bool retry_after(const Error& e) { return is_transaction_conflict(e); }

// The statements of one lease, rendered for the connection's dialect.
class LeaseSql {
public:
    LeaseSql(Connection& conn, std::string name, std::string holder, std::chrono::milliseconds ttl)
        : conn_(conn), name_(std::move(name)), holder_(std::move(holder)), ttl_ms_(ttl.count()) {
        const Dialect& d = conn.dialect();
        table_ = d.quote(kLeaseTable);
        now_ = d.clock_ms_sql();
    }

    void ensure_table() {
        const std::string ddl = fmt::format(
            "CREATE TABLE IF NOT EXISTS {} (lock_name VARCHAR(100) NOT NULL PRIMARY KEY, holder VARCHAR(64) NOT NULL, "
            "host VARCHAR(255) NOT NULL, pid BIGINT NOT NULL, acquired_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL)",
            table_);
        try {
            conn_.execute_unprepared(ddl);
        } catch (const Error&) {
            // Two processes creating it at once: one may lose the race on the catalogue
            // (PostgreSQL) although the table now exists; the second try tells.
            conn_.execute_unprepared(ddl);
        }
    }
    bool table_exists() {
        try {
            conn_.query(fmt::format("SELECT COUNT(*) FROM {}", table_));
            return true;
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::connection) throw;
            return false;
        }
    }
    // True when the row was inserted (the lease is ours); false on a duplicate key.
    bool insert() {
        try {
            conn_.execute(sql_text(fmt::format("INSERT INTO {} (lock_name, holder, host, pid, acquired_ms, expires_ms) "
                                               "VALUES (:name, :holder, :host, :pid, {}, {} + :ttl)",
                                               table_, now_, now_),
                                   {{"name", name_}, {"holder", holder_}, {"host", local_host()},
                                    {"pid", static_cast<std::int64_t>(getpid())}, {"ttl", ttl_ms_}}));
            return true;
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::constraint) return false;
            throw;
        }
    }
    // The current holder, if any row is there.
    std::optional<std::pair<std::string, LeaseHolder>> holder() {
        ResultSet r = conn_.query(sql_text(
            fmt::format("SELECT holder, host, pid, expires_ms - {} FROM {} WHERE lock_name = :name", now_, table_),
            {{"name", name_}}));
        if (r.rows.empty()) return std::nullopt;
        const auto& row = r.rows[0];
        LeaseHolder h;
        if (const auto* s = std::get_if<std::string>(&row[1])) h.host = *s;
        h.pid = as_int(row[2]);
        h.expires_in_ms = as_int(row[3]);
        const auto* token = std::get_if<std::string>(&row[0]);
        return std::make_pair(token ? *token : std::string(), h);
    }
    // Takes over the row of `previous` if it is still that holder's and has expired.
    bool take_over(const std::string& previous) {
        return conn_.execute(sql_text(
                   fmt::format("UPDATE {} SET holder = :holder, host = :host, pid = :pid, acquired_ms = {}, "
                               "expires_ms = {} + :ttl WHERE lock_name = :name AND holder = :previous AND expires_ms < {}",
                               table_, now_, now_, now_),
                   {{"holder", holder_}, {"host", local_host()}, {"pid", static_cast<std::int64_t>(getpid())},
                    {"ttl", ttl_ms_}, {"name", name_}, {"previous", previous}})) == 1;
    }
    // Extends our lease; false when the row is no longer ours or had expired already.
    bool renew() {
        return conn_.execute(sql_text(fmt::format("UPDATE {} SET expires_ms = {} + :ttl WHERE lock_name = :name AND "
                                                  "holder = :holder AND expires_ms >= {}",
                                                  table_, now_, now_),
                                      {{"ttl", ttl_ms_}, {"name", name_}, {"holder", holder_}})) == 1;
    }
    void remove() {
        conn_.execute(sql_text(fmt::format("DELETE FROM {} WHERE lock_name = :name AND holder = :holder", table_),
                               {{"name", name_}, {"holder", holder_}}));
    }

private:
    Connection& conn_;
    std::string name_;
    std::string holder_;
    std::int64_t ttl_ms_;
    std::string table_;
    std::string now_;
};

class Lease final : public MigrationLock {
public:
    Lease(std::unique_ptr<Connection> conn, LeaseSql sql, std::chrono::milliseconds timeout,
          std::chrono::milliseconds ttl)
        : MigrationLock(false, timeout), conn_(std::move(conn)), sql_(std::move(sql)), ttl_(ttl) {
        renewer_ = std::thread([this] { renew_loop(); });
    }
    ~Lease() override { release(); }

    void check_held() const override {
        std::lock_guard<std::mutex> g(mutex_);
        if (!lost_.empty()) throw Error(ErrorKind::lock_timeout, lost_);
    }

    void release() noexcept override {
        {
            std::lock_guard<std::mutex> g(mutex_);
            if (stopping_) return;
            stopping_ = true;
        }
        wake_.notify_all();
        if (renewer_.joinable()) renewer_.join();
        try {
            sql_.remove();
        } catch (...) {
            // The lease then expires on its own within its ttl.
        }
    }

private:
    void renew_loop() {
        std::unique_lock<std::mutex> g(mutex_);
        auto last = Clock::now();
        while (!stopping_) {
            wake_.wait_for(g, ttl_ / 3, [&] { return stopping_; });
            if (stopping_) return;
            g.unlock();
            std::string failure;
            bool renewed = false;
            bool gone = false;  // the row is no longer ours: no retry can help
            try {
                renewed = sql_.renew();
                gone = !renewed;
                if (gone) failure = "it expired before it could be renewed, or another process took it over";
            } catch (const Error& e) {
                failure = e.what();
            }
            g.lock();
            if (renewed) {
                last = Clock::now();
                continue;
            }
            // A failed renewal is retried at the next tick while the lease may still be
            // valid; once it cannot be (or the row is gone), the lease is lost.
            if (gone || Clock::now() - last >= ttl_) {
                lost_ = fmt::format("the migration lease (table {}) was lost: {}; stopping before the next statement. "
                                    "Run `strata current` to see what was applied",
                                    kLeaseTable, failure);
                return;
            }
        }
    }

    std::unique_ptr<Connection> conn_;
    LeaseSql sql_;
    std::chrono::milliseconds ttl_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::string lost_;
    std::thread renewer_;
};

}  // namespace

std::string LeaseHolder::describe() const {
    const std::int64_t s = (expires_in_ms >= 0 ? expires_in_ms : -expires_in_ms) / 1000;
    return fmt::format("pid {} on host {} (lease {} {} s{})", pid, host, expires_in_ms >= 0 ? "expires in" : "expired",
                       s, expires_in_ms >= 0 ? "" : " ago");
}

std::unique_ptr<MigrationLock> acquire_lease(std::unique_ptr<Connection> conn, const std::string& name,
                                             std::chrono::milliseconds timeout, const LeaseOptions& options,
                                             const std::function<void(const LeaseHolder&)>& on_takeover) {
    LeaseSql sql(*conn, name, random_token(), options.ttl);
    // Created only when missing: on Galera even CREATE TABLE IF NOT EXISTS is a DDL
    // statement that pauses every node (TOI).
    if (!sql.table_exists()) sql.ensure_table();
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        std::optional<std::pair<std::string, LeaseHolder>> current;
        try {
            if (sql.insert()) break;
            current = sql.holder();
            if (current && current->second.expires_in_ms < 0 && sql.take_over(current->first)) {
                if (on_takeover) on_takeover(current->second);
                break;
            }
        } catch (const Error& e) {
            if (!retry_after(e)) throw;
            if (options.note)
                options.note(fmt::format("taking the migration lease met a concurrent writer (a certification "
                                         "conflict on Galera) and is tried again: {}",
                                         e.what()));
        }
        if (Clock::now() >= deadline) {
            throw Error(ErrorKind::lock_timeout,
                        fmt::format("could not take the migration lease within {} ms: another strata process holds it "
                                    "({}; table {}). Wait for it to finish, or raise --lock-timeout",
                                    timeout.count(), current ? current->second.describe() : "it was just released",
                                    kLeaseTable));
        }
        std::this_thread::sleep_for(std::min<Clock::duration>(options.poll, deadline - Clock::now()));
    }
    return std::make_unique<Lease>(std::move(conn), std::move(sql), timeout, options.ttl);
}

}  // namespace strata
