// Reading for the preflight (preflight.hpp): a read-only, time-limited transaction on a
// connection, and one RowCheck asked through it. Internal to migrations/lint/.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "dialects/connection.hpp"
#include "dialects/row_check.hpp"
#include "migrations/lint/preflight.hpp"

namespace strata::lint {

// One read-only transaction on `conn` (Dialect::read_only_begin), rolled back when it
// ends; a savepoint, rolled back, when a transaction is already open (the SQLite
// runner's grouped run). Each select() is limited to `timeout` (Dialect::time_limited,
// Connection::interrupt_after). `conn` and `version` must outlive it. The constructor
// throws the connection's errors (nothing is left open then); the destructor never throws.
class ReadOnly {
public:
    ReadOnly(Connection& conn, const ServerVersion& version, std::chrono::milliseconds timeout);
    ~ReadOnly();
    ReadOnly(const ReadOnly&) = delete;
    ReadOnly& operator=(const ReadOnly&) = delete;

    // Throws the connection's errors; a statement past the limit as the dialect reports
    // it (Dialect::is_statement_timeout).
    ResultSet select(const std::string& sql);

private:
    void end() noexcept;
    Connection& conn_;
    const ServerVersion& version_;
    std::chrono::milliseconds timeout_;
    bool nested_;
};

// An integer cell (int, double or digits); std::nullopt for NULL or anything else.
std::optional<long long> as_number(const Value& v);

// What a RowCheck found.
struct Answer {
    long long count = 0;
    std::vector<std::string> samples;  // "7", "(1, 'a')"; duplicates "'x' x3"
};

// Asks `question` in its own ReadOnly: the count, then (when not 0) up to
// options.samples sample rows. Throws as ReadOnly.
Answer ask(Connection& conn, const ServerVersion& version, const PreflightOptions& options, const RowCheck& question);

}  // namespace strata::lint
