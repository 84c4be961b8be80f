// SqliteConnection: one sqlite3 database handle (the I/O half of the SQLite backend).
// Not thread-safe: one connection per thread (the handle is opened NOMUTEX).
//
// Opening (open_sqlite / the constructor):
//  - url.database is ":memory:" (also for "sqlite://") or a file path, created when
//    missing; its directory must exist (else Error(connection) naming the directory).
//    With EngineOptions::create_if_missing = false a missing file is not created:
//    Error(connection) says that it does not exist.
//  - URL query option `timeout=<milliseconds>`: how long a statement waits for another
//    connection's lock before failing with SQLITE_BUSY (default 5000). Any other option
//    is Error(input).
//  - `PRAGMA foreign_keys = ON` is set, and the file is checked to be an SQLite database
//    (Error(connection) if not). These setup statements are not counted in stats().
//
// Statements: prepared once per SQL text with SQLITE_PREPARE_PERSISTENT and kept in a
// per-connection cache (looked up by string_view, no allocation on a hit); reset and
// cleared after every use, so a cached statement never holds a lock. A failed prepare
// is not cached. A statement already running (a query issued from inside another
// query's row callback with the same text) gets a temporary statement of its own.
// execute()/query() take exactly one statement; execute_unprepared() runs scripts.
//
// Values: Null, bool (bound as 0/1), int64, double, string (UTF-8 text), Blob (bytes,
// NUL included), Date/Time/DateTime (bound as ISO 8601 text, to_iso). Results follow
// SQLite's storage classes: INTEGER -> int64, REAL -> double, TEXT -> string,
// BLOB -> Blob, NULL -> Null; dates and booleans therefore come back as text and
// integers, and the ORM converts them by column type.
//
// Errors: strata::Error with server_code = the extended result code, sqlstate empty,
// the failing SQL, and the kind: constraint (UNIQUE, PRIMARY KEY, FOREIGN KEY,
// NOT NULL, CHECK; `constraint` holds the name where it can be known: check names
// from the message, unique/primary key names looked up from the schema; SQLite does
// not say which foreign key failed), syntax, connection (cannot open), database
// (SQLITE_BUSY with a hint about locks, and everything else), interrupted.
//
// Transactions: begin() sends BEGIN IMMEDIATE, taking the write lock up front, so two
// connections that read then write cannot deadlock into SQLITE_BUSY: the second waits
// (up to `timeout`) for the first to finish. A failed COMMIT rolls back (SQLite would
// otherwise keep the transaction open); rollback() after SQLite already rolled back on
// its own (e.g. on SQLITE_FULL) only clears the flag.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "dialects/connection.hpp"
#include "dialects/engine.hpp"
#include "dialects/url.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace strata {

class SqliteConnection final : public Connection {
public:
    // Throws Error(input) for a bad URL option, Error(connection) when the database
    // cannot be opened; messages carry the redacted URL.
    SqliteConnection(const Url& url, const EngineOptions& options);
    ~SqliteConnection() override;

    const Dialect& dialect() const noexcept override;

    using Connection::execute;
    using Connection::query;
    std::int64_t execute(std::string_view sql, ParamView params = {}) override;
    void query(std::string_view sql, ParamView params, const RowCallback& on_row) override;
    void execute_unprepared(std::string_view sql) override;
    std::int64_t last_insert_id() override;
    std::string server_version() override;  // the linked library, e.g. "3.40.1"

    void begin() override;
    void commit() override;
    void rollback() override;
    // A progress handler that interrupts once the deadline passes (preflight checks).
    void interrupt_after(std::chrono::milliseconds limit) override;

protected:
    // The linked library's version; no I/O.
    EngineFacts engine_facts() override;

public:
    // ---- SQLite specifics ---------------------------------------------------------------
    // The database file path, or ":memory:".
    const std::string& path() const noexcept { return path_; }
    int busy_timeout_ms() const noexcept { return timeout_ms_; }
    // Number of prepared statements in the cache.
    std::size_t cached_statements() const noexcept { return cache_.size(); }
    // Finalizes every cached statement not currently running.
    void clear_statement_cache() noexcept;
    // The cache holds at most this many statements; when full it is emptied (not-running
    // statements finalized), which keeps memory bounded for programs that run many
    // distinct texts while hot statements are re-prepared only once.
    static constexpr std::size_t kMaxCachedStatements = 512;

private:
    struct CachedStatement {
        sqlite3_stmt* stmt = nullptr;
        bool running = false;
    };
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    class Lease;

    Lease acquire(std::string_view sql);
    // Binds `params`; true when a binding points into them (text and blobs are not copied).
    bool bind(sqlite3_stmt* stmt, ParamView params, std::string_view sql);
    [[noreturn]] void fail(int rc, std::string_view sql);
    // The name of the unique constraint, unique index or primary key over `columns`, from
    // the schema; "" when none matches.
    std::string unique_constraint_name(const std::string& table, const std::vector<std::string>& columns,
                                       bool primary_key);

    sqlite3* db_ = nullptr;
    std::chrono::steady_clock::time_point deadline_{};  // interrupt_after
    std::string path_;
    std::string redacted_url_;
    int timeout_ms_ = 5000;
    std::unordered_map<std::string, CachedStatement, TextHash, std::equal_to<>> cache_;
    // The entry used last: a statement run many times in a row (a flush's UPDATEs) is found
    // by comparing its text, without hashing it. Reset whenever entries are erased.
    std::pair<const std::string, CachedStatement>* last_ = nullptr;
};

}  // namespace strata
