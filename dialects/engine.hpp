// Engine: where connections come from, as SQLAlchemy's create_engine.
//
//   auto engine = strata::create_engine("sqlite:///app.db", {.echo = true});
//   strata::Connection& conn = engine.connection();
//
// An Engine is a cheap, copyable handle; copies share one lazily opened connection,
// which is what a single-threaded CLI or a Session uses. connect() opens an
// additional, independent connection (for concurrency or locks).
#pragma once

#include <memory>
#include <string_view>

#include "dialects/connection.hpp"
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
};

class Engine {
public:
    Engine(Url url, EngineOptions options);

    const Url& url() const noexcept;
    const EngineOptions& options() const noexcept;
    const Dialect& dialect() const noexcept;

    // The shared connection, opened on first use. Throws Error(connection /
    // authentication / missing_database) with the redacted URL in the message.
    Connection& connection();
    // A new connection of its own.
    std::unique_ptr<Connection> connect() const;

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
