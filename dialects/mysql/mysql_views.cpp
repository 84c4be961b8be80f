// MySQL/MariaDB views: reflected from information_schema.VIEWS, whose text the server
// rewrites (every column qualified and aliased, every table qualified with its
// database), and a declared view put into that text by creating it under a throwaway
// name and reading it back. The database qualifier is left out on both sides, so views
// of two databases compare equal and a reproduced view reads the tables of the
// database it is created in.
#include <fmt/format.h>

#include <random>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/detail/operation_sql.hpp"
#include "dialects/detail/reflected_view.hpp"
#include "dialects/mysql/mysql_dialect.hpp"

namespace strata {

namespace {

constexpr const char* kViewQuery =
    "SELECT TABLE_NAME, VIEW_DEFINITION, DATABASE() FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() "
    "ORDER BY TABLE_NAME";

// `definition` without the `database`. qualifiers the server writes before table and
// column names (string literals, with their \ escapes, are copied as they are).
std::string without_database(const std::string& definition, const std::string& database) {
    std::string prefix = "`";
    for (char c : database) prefix += c == '`' ? std::string("``") : std::string(1, c);
    prefix += "`.";
    std::string out;
    for (std::size_t i = 0; i < definition.size();) {
        const char c = definition[i];
        if (c == '\'' || c == '"') {
            std::size_t j = i + 1;
            while (j < definition.size() && definition[j] != c) j += definition[j] == '\\' ? 2 : 1;
            j = std::min(j + 1, definition.size());
            out.append(definition, i, j - i);
            i = j;
        } else if (definition.compare(i, prefix.size(), prefix) == 0) {
            i += prefix.size();
        } else if (c == '`') {
            std::size_t j = definition.find('`', i + 1);
            j = j == std::string::npos ? definition.size() : j + 1;
            out.append(definition, i, j - i);
            i = j;
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

}  // namespace

void MysqlDialect::reflect_views(Connection& conn, const ReflectOptions& options, Metadata& out) const {
    ResultSet rows = conn.query(kViewQuery);
    if (rows.rows.empty()) return;
    const std::string database = server_name(conn);
    for (const auto& row : rows.rows) {
        const std::string schema = detail::catalog_text(row[2]);
        View view{detail::catalog_text(row[0]), without_database(detail::catalog_text(row[1]), schema), {}, false};
        detail::add_reflected_view(out, std::move(view), options, schema, database);
    }
}

View MysqlDialect::canonical_view(Connection& conn, const View& view) const {
    View out = normalize(view);
    // CREATE VIEW would commit the caller's transaction: no probe inside one.
    if (conn.in_transaction() || out.materialized) return out;
    View probe = out;
    probe.name = fmt::format("strata_view_probe_{}", std::random_device{}() % 1000000000u);
    try {
        conn.execute_unprepared(render_create_view(probe).front());
        ResultSet rows = conn.query(
            "SELECT VIEW_DEFINITION, DATABASE() FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() AND "
            "TABLE_NAME = ?",
            {Value(probe.name)});
        conn.execute_unprepared(render_drop_view(probe));
        if (!rows.rows.empty()) {
            const auto& row = rows.rows[0];
            out.definition =
                trimmed_definition(without_database(detail::catalog_text(row[0]), detail::catalog_text(row[1])));
            out.columns.clear();  // the server folds them into the definition
        }
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::syntax && e.kind() != ErrorKind::database) throw;
        conn.execute_unprepared("DROP VIEW IF EXISTS " + quote(probe.name));
    }
    return out;
}

}  // namespace strata
