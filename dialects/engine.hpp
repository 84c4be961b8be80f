// Engine: where connections come from, as SQLAlchemy's create_engine.
//
//   auto engine = strata::create_engine("postgresql://app@db/app", {.pool = {.pool_size = 8}});
//   strata::PooledConnection conn = engine.connect();   // returned to the pool at scope end
//   strata::Session session(engine);                     // checks out its own connection
//
// An Engine is a cheap, copyable, thread-safe handle to a connection pool
// (dialects/connection_pool.hpp); copies share the pool. Every Session checks out a
// connection of its own, so sessions are independent transactions, and one Session per
// thread on a shared Engine is safe. connection() is the engine's own connection for
// single-threaded tools (the CLI, the migration runner, create_all()).
#pragma once

#include <memory>
#include <string_view>

#include "dialects/connection.hpp"
#include "dialects/connection_pool.hpp"
#include "dialects/url.hpp"

namespace strata {

struct EngineOptions {
    bool echo = false;                  // log every statement with its parameters to stderr
    int connect_timeout_seconds = 10;   // servers only
    // SQLite only (servers ignore it): create the database file when it does not exist.
    // false: opening a missing file is Error(connection) and leaves no file behind, for
    // commands that only read.
    bool create_if_missing = true;
    // false: never INSERT ... RETURNING (for a proxy or server that rejects it); the ORM then
    // reads generated keys with last_insert_id(), one row per statement, and server
    // defaults with one SELECT per batch. Not possible on PostgreSQL (Error(input) at connect).
    bool insert_returning = true;
    // Pool sizes, checkout timeout, pre-ping and recycling (sqlite://:memory: ignores the
    // sizes: it has one shared connection).
    PoolOptions pool;
};

class Engine {
public:
    Engine(Url url, EngineOptions options);

    const Url& url() const noexcept;
    const EngineOptions& options() const noexcept;
    const Dialect& dialect() const noexcept;

    // The engine's own connection: checked out of the pool on first use and kept until
    // the last copy of the engine is gone. For single-threaded tools; a thread that did
    // not open it must not use it. A Session made from this engine while this connection
    // is inside a transaction on the calling thread joins that transaction (a savepoint),
    // which is how data fixes and seeds run inside a migration's transaction. Throws
    // Error(connection / authentication / missing_database) with the redacted URL.
    Connection& connection();
    // A connection checked out of the pool for as long as the handle lives. Thread-safe.
    // Throws Error(pool_timeout) when none became free in time, or the opening Error.
    PooledConnection connect() const;
    // A new connection outside the pool (admin work, locks held across sessions).
    std::unique_ptr<Connection> open() const;
    // The engine's own connection when it is open and inside a transaction begun on the
    // calling thread, else nullptr (what a new Session joins).
    Connection* joinable_connection() const noexcept;

    PoolStatus pool_status() const;
    // Statements and prepares sent on every connection of this engine (thread-safe sums).
    ConnectionStats stats() const noexcept;
    // Closes the idle pooled connections (e.g. after a fork or a server failover).
    void dispose() noexcept;

private:
    struct State;
    std::shared_ptr<State> state_;
};

// Parses the URL (Error(input) on a bad one) without connecting yet.
Engine create_engine(std::string_view url, EngineOptions options = {});

// Opens a connection for a parsed URL (used by Engine). Defined per dialect in
// dialects/<x>/<x>_connection.cpp.
std::unique_ptr<Connection> open_sqlite(const Url& url, const EngineOptions& options);
std::unique_ptr<Connection> open_postgresql(const Url& url, const EngineOptions& options);
std::unique_ptr<Connection> open_mysql(const Url& url, const EngineOptions& options);

}  // namespace strata
