// PostgreSQL preflight queries (Dialect, "preflight"): the time limit per transaction,
// the row estimate from pg_class.
#include <fmt/format.h>

#include "core/error.hpp"
#include "dialects/postgres/postgres_dialect.hpp"

namespace strata {

std::vector<std::string> PostgresDialect::read_only_begin(std::chrono::milliseconds timeout) const {
    // SET LOCAL ends with the transaction: the session's own setting comes back.
    return {"BEGIN READ ONLY", fmt::format("SET LOCAL statement_timeout = {}", timeout.count())};
}

bool PostgresDialect::is_statement_timeout(const Error& error) const noexcept {
    return error.sqlstate() == "57014";  // query_canceled: statement_timeout
}

std::string PostgresDialect::row_estimate_sql(const std::string& table) const {
    // reltuples is -1 for a table never vacuumed or analysed (PostgreSQL 14+): unknown.
    return fmt::format("SELECT CASE WHEN c.reltuples < 0 THEN NULL ELSE CAST(c.reltuples AS BIGINT) END "
                       "FROM pg_class c WHERE c.oid = to_regclass({})",
                       literal(Value(quote(table))));
}

}  // namespace strata
