// MySQL/MariaDB preflight queries (Dialect, "preflight"): a read-only transaction,
// the time limit per statement, the row estimate from information_schema.
#include <fmt/format.h>

#include "core/error.hpp"
#include "dialects/mysql/mysql_dialect.hpp"

namespace strata {

std::vector<std::string> MysqlDialect::read_only_begin(std::chrono::milliseconds) const {
    return {"START TRANSACTION READ ONLY"};
}

std::string MysqlDialect::time_limited(const std::string& select, std::chrono::milliseconds timeout,
                                       const ServerVersion& version) const {
    // Per statement, so the session's own settings never change: MariaDB's
    // max_statement_time is in seconds, MySQL's hint in milliseconds (SELECT only).
    if (version.mariadb)
        return fmt::format("SET STATEMENT max_statement_time = {:.3f} FOR {}",
                           static_cast<double>(timeout.count()) / 1000.0, select);
    if (select.rfind("SELECT ", 0) != 0) return select;
    return fmt::format("SELECT /*+ MAX_EXECUTION_TIME({}) */ {}", timeout.count(), select.substr(7));
}

bool MysqlDialect::is_statement_timeout(const Error& error) const noexcept {
    // 1969 ER_STATEMENT_TIMEOUT (MariaDB), 3024 ER_QUERY_TIMEOUT (MySQL).
    return error.server_code() == 1969 || error.server_code() == 3024;
}

std::string MysqlDialect::row_estimate_sql(const std::string& table) const {
    return fmt::format("SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                       "AND TABLE_NAME = {}",
                       literal(Value(table)));
}

}  // namespace strata
