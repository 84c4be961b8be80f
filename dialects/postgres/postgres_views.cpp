// PostgreSQL views: materialized views rendered and dropped as such, the views of
// current_schema() reflected with the server's own text of them (pg_get_viewdef), and a
// declared view put into that text through a temporary view.
#include <fmt/format.h>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/detail/operation_sql.hpp"
#include "dialects/detail/reflected_view.hpp"
#include "dialects/postgres/postgres_dialect.hpp"

namespace strata {

namespace {

// Views and materialized views of the current schema, not those of an extension.
constexpr const char* kViewQuery =
    R"(SELECT c.relname::text, c.relkind = 'm', pg_catalog.pg_get_viewdef(c.oid), n.nspname::text
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('v', 'm')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep
                  WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objid = c.oid AND dep.deptype = 'e')
ORDER BY c.relname)";

constexpr const char* kProbe = "strata_view_probe";

}  // namespace

std::vector<std::string> PostgresDialect::render_create_view(const View& view) const {
    if (!view.materialized) return Dialect::render_create_view(view);
    std::string columns = view.columns.empty() ? "" : " (" + detail::quoted_list(*this, view.columns) + ")";
    return {fmt::format("CREATE MATERIALIZED VIEW {}{} AS\n{}", quote(view.name), columns,
                        trimmed_definition(view.definition))};
}

std::string PostgresDialect::render_drop_view(const View& view) const {
    return (view.materialized ? "DROP MATERIALIZED VIEW " : "DROP VIEW ") + quote(view.name);
}

void PostgresDialect::reflect_views(Connection& conn, const ReflectOptions& options, Metadata& out) const {
    for (const auto& row : conn.query(kViewQuery).rows) {
        const auto* materialized = std::get_if<bool>(&row[1]);
        View view{detail::catalog_text(row[0]), detail::catalog_text(row[2]), {}, materialized && *materialized};
        detail::add_reflected_view(out, std::move(view), options, detail::catalog_text(row[3]), "PostgreSQL");
    }
}

View PostgresDialect::canonical_view(Connection& conn, const View& view) const {
    View out = normalize(view);
    // Inside the caller's transaction a refused definition would abort it: a savepoint
    // keeps it usable.
    const bool nested = conn.in_transaction();
    View probe = out;
    probe.name = kProbe;
    probe.materialized = false;  // the server prints a materialized view's query the same way
    std::string create = Dialect::render_create_view(probe).front();
    create.replace(0, std::string("CREATE VIEW").size(), "CREATE TEMPORARY VIEW");
    try {
        if (nested) conn.savepoint(kProbe);
        conn.execute_unprepared(create);
        ResultSet rows = conn.query(fmt::format("SELECT pg_catalog.pg_get_viewdef('pg_temp.{}'::regclass)", kProbe));
        conn.execute_unprepared(fmt::format("DROP VIEW pg_temp.{}", kProbe));
        if (nested) conn.release_savepoint(kProbe);
        if (!rows.rows.empty()) {
            out.definition = trimmed_definition(detail::catalog_text(rows.rows[0][0]));
            out.columns.clear();  // the server folds them into the definition
        }
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::syntax && e.kind() != ErrorKind::database) throw;
        if (nested) conn.rollback_to_savepoint(kProbe);
    }
    return out;
}

}  // namespace strata
