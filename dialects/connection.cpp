#include "dialects/connection.hpp"

#include <fmt/format.h>

#include <iostream>

#include "core/error.hpp"

namespace strata {

Cell RowView::cell(std::size_t) const { return {}; }

void RowView::cells(std::size_t first, std::size_t count, Cell* out) const {
    for (std::size_t k = 0; k < count; ++k) out[k] = cell(first + k);
}

ResultSet Connection::query(std::string_view sql, ParamView params) {
    ResultSet result;
    bool first = true;
    query(sql, params, [&](const RowView& row) {
        std::size_t n = row.size();
        if (first) {
            result.columns.reserve(n);
            for (std::size_t i = 0; i < n; ++i) result.columns.emplace_back(row.column_name(i));
            first = false;
        }
        std::vector<Value> values;
        values.reserve(n);
        for (std::size_t i = 0; i < n; ++i) values.push_back(row.get(i));
        result.rows.push_back(std::move(values));
    });
    return result;
}

std::int64_t Connection::execute(const SqlText& statement) {
    BoundSql bound = statement.bind(dialect());
    return execute(bound.sql, bound.params);
}

void Connection::query(const SqlText& statement, const RowCallback& on_row) {
    BoundSql bound = statement.bind(dialect());
    query(bound.sql, bound.params, on_row);
}

ResultSet Connection::query(const SqlText& statement) {
    BoundSql bound = statement.bind(dialect());
    return query(bound.sql, bound.params);
}

void Connection::begin() {
    if (in_transaction_)
        throw Error(ErrorKind::usage, "a transaction is already open on this connection; use a savepoint for nested work");
    execute_unprepared("BEGIN");
    in_transaction_ = true;
}

void Connection::commit() {
    if (!in_transaction_) throw Error(ErrorKind::usage, "commit() without an open transaction; call begin() first");
    // The transaction is over whether COMMIT succeeds or not: a failed COMMIT rolls back.
    in_transaction_ = false;
    execute_unprepared("COMMIT");
}

void Connection::rollback() {
    if (!in_transaction_) throw Error(ErrorKind::usage, "rollback() without an open transaction; call begin() first");
    in_transaction_ = false;
    execute_unprepared("ROLLBACK");
}

void Connection::savepoint(std::string_view name) {
    if (!in_transaction_) throw Error(ErrorKind::usage, "a savepoint needs an open transaction; call begin() first");
    execute_unprepared("SAVEPOINT " + dialect().quote(name));
}

void Connection::release_savepoint(std::string_view name) {
    execute_unprepared("RELEASE SAVEPOINT " + dialect().quote(name));
}

void Connection::rollback_to_savepoint(std::string_view name) {
    execute_unprepared("ROLLBACK TO SAVEPOINT " + dialect().quote(name));
}

void Connection::disable_returning() {
    const Capabilities& current = engine_ ? engine_->capabilities : server_capabilities();
    if (!current.returning) return;
    restricted_ = std::make_unique<Capabilities>(current);
    restricted_->returning = false;
}

const EngineProfile& Connection::engine() {
    if (engine_) return *engine_;
    // Quiet like ping(): the probe is strata's own business, not the caller's statements.
    quiet_ = true;
    EngineFacts facts;
    try {
        facts = engine_facts();
    } catch (...) {
        quiet_ = false;
        throw;
    }
    quiet_ = false;
    if (facts.dialect.empty()) facts.dialect = std::string(dialect().name());
    engine_ = std::make_unique<EngineProfile>(classify(facts, server_capabilities()));
    // disable_returning() before the probe restricted the server's capabilities: restrict
    // the profile's instead, which never has more than the server's.
    if (restricted_) {
        *restricted_ = engine_->capabilities;
        restricted_->returning = false;
    }
    return *engine_;
}

void Connection::ping() {
    // A one-row SELECT works on every database; quiet_ keeps it out of stats and echo.
    quiet_ = true;
    try {
        execute_unprepared("SELECT 1");
    } catch (...) {
        quiet_ = false;
        throw;
    }
    quiet_ = false;
}

void Connection::note_statement(std::string_view sql, ParamView params) {
    if (quiet_) return;
    ++stats_.statements;
    if (totals_) totals_->statements.fetch_add(1, std::memory_order_relaxed);
    if (!echo_) return;
    std::string line = fmt::format("[strata {}] {}", dialect().name(), sql);
    if (!params.empty()) {
        line += "  -- params: (";
        for (std::size_t i = 0; i < params.size(); ++i) {
            if (i) line += ", ";
            line += to_display(params[i]);
        }
        line += ")";
    }
    std::cerr << line << '\n';
}

}  // namespace strata
