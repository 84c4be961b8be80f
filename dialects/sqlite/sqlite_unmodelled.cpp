// SqliteDialect::reflect_unmodelled: the triggers and virtual tables of the main
// schema, in ONE query of sqlite_schema. Indexes the model cannot describe (a key on
// the rowid) are listed by reflect() itself, from the query that reads indexes.
#include "dialects/detail/unmodelled_rows.hpp"
#include "dialects/sqlite/sqlite_dialect.hpp"

namespace strata {

namespace {

// A virtual table's shadow tables (fts5's *_data, ...) are not reflected either; they
// belong to it and are not listed.
constexpr const char* kUnmodelledQuery =
    "SELECT CASE WHEN type = 'table' THEN 'virtual table' ELSE type END, 'main', name, "
    "CASE WHEN type = 'trigger' THEN tbl_name END FROM sqlite_schema "
    "WHERE (type = 'trigger' OR (type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%')) "
    "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY 1, 3";

}  // namespace

void SqliteDialect::reflect_unmodelled(Connection& conn, const ReflectOptions& options, Metadata& out) const {
    detail::add_unmodelled_rows(conn, kUnmodelledQuery, "SQLite", options, out);
}

}  // namespace strata
