// SQLite views: kept as written in sqlite_schema, so reflection takes the SELECT out of
// the CREATE VIEW text and a declared view needs no rewriting to compare (the default
// Dialect::canonical_view).
#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/detail/reflected_view.hpp"
#include "dialects/sqlite/sqlite_create_table.hpp"
#include "dialects/sqlite/sqlite_dialect.hpp"

namespace strata {

namespace {

constexpr const char* kViewQuery =
    "SELECT name, sql FROM sqlite_schema WHERE type = 'view' AND sql IS NOT NULL "
    "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";

// The column list and the SELECT of a CREATE VIEW text:
//   CREATE [TEMP|TEMPORARY] VIEW [IF NOT EXISTS] [schema.]name [(a, b)] AS select
// Text in another shape gives a view with the whole text after the first AS.
View parse_create_view(const std::string& name, const std::string& sql) {
    View view;
    view.name = name;
    const std::vector<SqliteToken> t = tokenize_sqlite(sql);
    std::size_t i = 0;
    while (i < t.size() && !t[i].is("AS") && !t[i].is_punct('(')) ++i;
    if (i < t.size() && t[i].is_punct('(')) {
        for (++i; i < t.size() && !t[i].is_punct(')'); ++i)
            if (t[i].is_name()) view.columns.push_back(t[i].value());
        while (i < t.size() && !t[i].is("AS")) ++i;
    }
    if (i + 1 < t.size()) view.definition = trimmed_definition(std::string_view(sql).substr(t[i + 1].offset));
    return view;
}

}  // namespace

void SqliteDialect::reflect_views(Connection& conn, const ReflectOptions& options, Metadata& out) const {
    for (const auto& row : conn.query(kViewQuery).rows) {
        const std::string name = detail::catalog_text(row[0]);
        detail::add_reflected_view(out, parse_create_view(name, detail::catalog_text(row[1])), options, "main",
                                   "SQLite");
    }
}

}  // namespace strata
