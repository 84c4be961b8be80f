// Connection: the I/O half of a database backend. One open session with a server
// (or one SQLite database handle). Not thread-safe; use one per thread.
//
// Every value is sent as a bound parameter. Statements are prepared once per SQL
// text and reused from a per-connection cache. Errors are thrown as strata::Error
// with the kind classified (constraint, syntax, ...), the SQLSTATE or server code,
// and the failing SQL.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/value.hpp"
#include "dialects/cell.hpp"
#include "dialects/dialect.hpp"
#include "dialects/engine_profile.hpp"
#include "dialects/param_view.hpp"
#include "dialects/sql_text.hpp"

namespace strata {

// One row of a result, valid only during the callback that receives it.
class RowView {
public:
    virtual ~RowView() = default;
    virtual std::size_t size() const noexcept = 0;
    virtual std::string_view column_name(std::size_t i) const = 0;
    virtual bool is_null(std::size_t i) const = 0;
    // The column converted to the nearest Value alternative (integers as int64, text as
    // string, bytea/BLOB as Blob, dates/times as Date/Time/DateTime where the driver
    // reports the type; SQLite reports stored storage classes).
    virtual Value get(std::size_t i) const = 0;
    // The column without building a Value, for readers that copy it straight into their
    // own storage (the ORM's hydration). Whenever the kind is not `other`, get(i) holds
    // the same value: Null, the int64, the double or the string. Out of range throws like
    // get(i). The default reports `other` for every column.
    virtual Cell cell(std::size_t i) const;
    // cell() for columns first .. first + count - 1 into out[0 .. count - 1]: one call per
    // row for readers that take whole rows. The default calls cell() for each.
    virtual void cells(std::size_t first, std::size_t count, Cell* out) const;
};

// A fully materialized result.
struct ResultSet {
    std::vector<std::string> columns;
    std::vector<std::vector<Value>> rows;
    bool empty() const noexcept { return rows.empty(); }
};

// Counters for tests and benchmarks (e.g. "reflection uses a fixed number of queries").
struct ConnectionStats {
    std::uint64_t statements = 0;  // every statement sent to the database, DDL included
    std::uint64_t prepares = 0;    // statements actually prepared (cache misses)
};

// ConnectionStats summed over several connections (an engine's pool); thread-safe.
struct SharedStats {
    std::atomic<std::uint64_t> statements{0};
    std::atomic<std::uint64_t> prepares{0};
};

using RowCallback = std::function<void(const RowView&)>;

class Connection {
public:
    virtual ~Connection() = default;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    virtual const Dialect& dialect() const noexcept = 0;
    // What this server can do: the dialect's capabilities, adjusted where a server's
    // version matters (MariaDB 10.5 and later have INSERT ... RETURNING, MySQL has not),
    // then restricted by the engine's options (EngineOptions::insert_returning).
    // Once engine() has run, the engine profile's capabilities take the server's place
    // (CockroachDB: no transactional DDL, TiDB: CHECK not enforced, ...).
    const Capabilities& capabilities() const noexcept {
        if (restricted_) return *restricted_;
        return engine_ ? engine_->capabilities : server_capabilities();
    }
    // Never use INSERT ... RETURNING on this connection (for proxies and servers that
    // reject it). Error(input) where RETURNING is the only way to read generated keys
    // (PostgreSQL).
    virtual void disable_returning();

    // One statement with bound parameters (prepared and cached by SQL text).
    // Returns the number of rows affected (0 for DDL).
    virtual std::int64_t execute(std::string_view sql, ParamView params = {}) = 0;
    std::int64_t execute(std::string_view sql, std::initializer_list<Value> params) {
        return execute(sql, std::span<const Value>(params.begin(), params.size()));
    }
    // One statement with bound parameters; calls on_row for each result row.
    virtual void query(std::string_view sql, ParamView params, const RowCallback& on_row) = 0;
    // Convenience: the whole result in memory.
    ResultSet query(std::string_view sql, ParamView params = {});
    ResultSet query(std::string_view sql, std::initializer_list<Value> params) {
        return query(sql, std::span<const Value>(params.begin(), params.size()));
    }
    // Raw SQL written once for every database, with portable ? or :name parameters
    // (strata::sql_text(), dialects/sql_text.hpp), translated for this connection's dialect.
    // The translation's Error(usage) is thrown before anything is sent.
    std::int64_t execute(const SqlText& statement);
    void query(const SqlText& statement, const RowCallback& on_row);
    ResultSet query(const SqlText& statement);
    // One statement without parameters and without preparing it (DDL, SET, locks).
    virtual void execute_unprepared(std::string_view sql) = 0;

    // Key generated by the last INSERT on this connection (SQLite rowid, MySQL
    // AUTO_INCREMENT). PostgreSQL has none: use RETURNING (capabilities().returning).
    virtual std::int64_t last_insert_id() = 0;

    // ---- transactions -----------------------------------------------------------------
    // begin() throws Error(usage) when a transaction is already open; nested work uses
    // savepoints. commit()/rollback() without a transaction are Error(usage).
    virtual void begin();
    virtual void commit();
    virtual void rollback();
    bool in_transaction() const noexcept { return in_transaction_; }
    void savepoint(std::string_view name);
    void release_savepoint(std::string_view name);
    void rollback_to_savepoint(std::string_view name);

    // ---- diagnostics ------------------------------------------------------------------
    // When on, each statement and its parameters are written to stderr before it runs.
    void set_echo(bool on) noexcept { echo_ = on; }
    bool echo() const noexcept { return echo_; }
    const ConnectionStats& stats() const noexcept { return stats_; }
    // Also count this connection's statements in `totals` (shared by a pool's connections).
    void report_to(std::shared_ptr<SharedStats> totals) noexcept { totals_ = std::move(totals); }
    // True when the connection can no longer be used: the server closed it (restart,
    // idle timeout, pg_terminate_backend, KILL) or the link broke. A pool closes such a
    // connection instead of handing it out again. Cheap: no round trip.
    virtual bool broken() const noexcept { return false; }
    // A round trip that proves the connection works (a pool's pre-ping); throws the
    // driver's Error when it does not. Not counted in stats() and never echoed.
    virtual void ping();
    // Statements started from now on are stopped with Error(interrupted) once `limit`
    // has passed since this call; zero clears it. For databases whose time limit is not
    // SQL (SQLite: a progress handler); the others limit time in SQL
    // (Dialect::read_only_begin, Dialect::time_limited), and the base does nothing.
    virtual void interrupt_after(std::chrono::milliseconds limit) { (void)limit; }
    // Server version as reported ("3.40.1", "15.18", "10.11.19-MariaDB").
    virtual std::string server_version() = 0;
    // Which engine this is and what that means for migrating it (dialects/engine_profile.hpp):
    // asked once (engine_facts(), one or two round trips), classified, then cached for the
    // connection's life. From then on capabilities() is the profile's (still restricted by
    // disable_returning()). The probe is not counted in stats() and never echoed, like
    // ping(). Throws the driver's Error when the probe fails (a lost connection); optional
    // parts a server refuses are left out of the facts instead. The reference stays valid
    // for the connection's life.
    const EngineProfile& engine();

protected:
    Connection() = default;
    // What the server says about itself (dialects/engine_profile.hpp); I/O. `dialect` may
    // be left empty (engine() fills in dialect().name()).
    virtual EngineFacts engine_facts() = 0;
    // The server's own capabilities (see capabilities()).
    virtual const Capabilities& server_capabilities() const noexcept { return dialect().capabilities(); }
    // Implementations call this before sending each statement (counts, echoes).
    void note_statement(std::string_view sql, ParamView params = {});
    void note_prepare() noexcept {
        ++stats_.prepares;
        if (totals_) totals_->prepares.fetch_add(1, std::memory_order_relaxed);
    }
    bool in_transaction_ = false;

private:
    bool echo_ = false;
    ConnectionStats stats_;
    std::shared_ptr<SharedStats> totals_;
    bool quiet_ = false;  // inside ping()
    std::unique_ptr<Capabilities> restricted_;  // set by disable_returning()
    std::unique_ptr<EngineProfile> engine_;     // set by engine()
};

}  // namespace strata
