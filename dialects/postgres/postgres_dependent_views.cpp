// PostgreSQL: the views over a column that a step changes (postgres_dependent_views.hpp).
#include "dialects/postgres/postgres_dependent_views.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/detail/operation_sql.hpp"
#include "dialects/detail/reflected_view.hpp"
#include "dialects/postgres/postgres_dialect.hpp"
#include "migrations/schema_edit.hpp"
#include "orm/schema/view.hpp"

namespace strata {

namespace {

// edge: what each view's rewrite rule reads (a table or view column; column 0 for the
// relation as a whole). reach: the views that read a table of current_schema(), directly
// or through other views.
constexpr const char* kReach = R"(WITH RECURSIVE edge AS (
  SELECT DISTINCT r.ev_class AS view, d.refobjid AS ref, d.refobjsubid AS col
  FROM pg_catalog.pg_depend d
  JOIN pg_catalog.pg_rewrite r ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid
  WHERE d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid <> r.ev_class AND d.deptype = 'n'
), reach AS (
  SELECT e.view FROM edge e JOIN pg_catalog.pg_class t ON t.oid = e.ref
  JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
  WHERE n.nspname = current_schema() AND t.relkind IN ('r', 'p')
  UNION
  SELECT e.view FROM edge e JOIN reach ON e.ref = reach.view
))";

// Names: unqualified in the current schema, "schema.name" elsewhere; SQL names as
// regclass prints them (quoted where needed, qualified where not on the search path).
const std::string kViewQuery = std::string(kReach) + R"(
SELECT c.oid, CASE WHEN n.nspname = current_schema() THEN c.relname::text ELSE n.nspname || '.' || c.relname END,
       c.oid::regclass::text, c.relkind = 'm', pg_catalog.pg_get_viewdef(c.oid),
       pg_catalog.array_to_string(c.reloptions, ', '), c.relispopulated
FROM reach JOIN pg_catalog.pg_class c ON c.oid = reach.view
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
ORDER BY c.oid)";

const std::string kEdgeQuery = std::string(kReach) + R"(
SELECT DISTINCT e.view, rc.relkind IN ('v', 'm'),
       CASE WHEN rn.nspname = current_schema() THEN rc.relname::text ELSE rn.nspname || '.' || rc.relname END,
       a.attname::text
FROM edge e JOIN reach ON reach.view = e.view
JOIN pg_catalog.pg_class rc ON rc.oid = e.ref
JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = e.ref AND a.attnum = e.col AND e.col > 0
ORDER BY 1, 3, 4)";

// What dropping a view removes with it, as statements that put it back, in this order:
// its comment and its columns' comments, grants (but the owner's own), a materialized
// view's indexes, triggers and rules on it.
const std::string kExtraQuery = std::string(kReach) + R"(
SELECT x.view, x.sql FROM (
  SELECT c.oid AS view, 0 AS k, d.objsubid AS n,
         CASE WHEN d.objsubid = 0
              THEN pg_catalog.format('COMMENT ON %s %s IS %L',
                                     CASE WHEN c.relkind = 'm' THEN 'MATERIALIZED VIEW' ELSE 'VIEW' END,
                                     c.oid::regclass, d.description)
              ELSE pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L', c.oid::regclass, a.attname, d.description)
         END AS sql
  FROM reach JOIN pg_catalog.pg_class c ON c.oid = reach.view
  JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::regclass
  LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid
  UNION ALL
  SELECT c.oid, 1, 0,
         pg_catalog.format('GRANT %s ON %s TO %s%s', g.privilege_type, c.oid::regclass,
                           CASE WHEN g.grantee = 0 THEN 'PUBLIC'
                                ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) END,
                           CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
  FROM reach JOIN pg_catalog.pg_class c ON c.oid = reach.view
  CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) g
  WHERE g.grantee <> c.relowner
  UNION ALL
  SELECT i.indrelid, 2, 0, pg_catalog.pg_get_indexdef(i.indexrelid)
  FROM reach JOIN pg_catalog.pg_index i ON i.indrelid = reach.view
  UNION ALL
  SELECT t.tgrelid, 3, 0, pg_catalog.pg_get_triggerdef(t.oid)
  FROM reach JOIN pg_catalog.pg_trigger t ON t.tgrelid = reach.view
  WHERE NOT t.tgisinternal
  UNION ALL
  SELECT r.ev_class, 4, 0, pg_catalog.pg_get_ruledef(r.oid)
  FROM reach JOIN pg_catalog.pg_rewrite r ON r.ev_class = reach.view
  WHERE r.rulename <> '_RETURN'
) x
ORDER BY x.view, x.k, x.n, x.sql)";

std::int64_t oid_of(const Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    throw Error(ErrorKind::internal,
                fmt::format("PostgreSQL catalog returned {} where an oid was expected", to_display(v)));
}

bool bool_of(const Value& v) {
    const auto* b = std::get_if<bool>(&v);
    return b && *b;
}

// `views` (by oid) in dependency order: each after the views it reads; ties by name.
std::vector<NativeObjects::View> in_dependency_order(std::map<std::int64_t, NativeObjects::View> views) {
    std::vector<NativeObjects::View> all;
    for (auto& [oid, v] : views) all.push_back(std::move(v));
    std::map<std::string, std::size_t> position;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < all.size(); ++i) {
        position[all[i].name] = i;
        names.push_back(all[i].name);
    }
    std::vector<std::vector<std::size_t>> reads(all.size());
    for (std::size_t i = 0; i < all.size(); ++i)
        for (const std::string& read : all[i].views)
            if (auto it = position.find(read); it != position.end()) reads[i].push_back(it->second);
    std::vector<NativeObjects::View> out;
    for (std::size_t i : dependency_order(names, reads)) out.push_back(std::move(all[i]));
    return out;
}

// A view that a step may have to take out of the way: from the catalog (what it reads
// is known) or from the schema model (what it reads is guessed from its text).
struct DependentView {
    std::string name;
    const NativeObjects::View* native = nullptr;
    const View* planned = nullptr;

    bool reads_column(const std::string& table, const std::string& column) const {
        if (planned) return mentions_identifier(planned->definition, table);
        auto read = native->columns.find(table);
        return read != native->columns.end() &&
               std::find(read->second.begin(), read->second.end(), column) != read->second.end();
    }
    bool reads_view(const std::string& view) const {
        if (planned) return mentions_identifier(planned->definition, view);
        return std::find(native->views.begin(), native->views.end(), view) != native->views.end();
    }
};

}  // namespace

namespace postgres {

std::vector<NativeObjects::View> read_dependent_views(Connection& conn) {
    std::map<std::int64_t, NativeObjects::View> views;
    for (const auto& row : conn.query(kViewQuery).rows) {
        NativeObjects::View v;
        v.name = detail::catalog_text(row[1]);
        v.materialized = bool_of(row[3]);
        const std::string sql_name = detail::catalog_text(row[2]);
        const std::string kind = v.materialized ? "MATERIALIZED VIEW" : "VIEW";
        const std::string options = detail::catalog_text(row[5]);
        v.drop_sql = fmt::format("DROP {} {}", kind, sql_name);
        std::string create =
            fmt::format("CREATE {} {}{} AS\n{}", kind, sql_name, options.empty() ? "" : " WITH (" + options + ")",
                        trimmed_definition(detail::catalog_text(row[4])));
        if (v.materialized) create += bool_of(row[6]) ? "\nWITH DATA" : "\nWITH NO DATA";
        v.create_sql.push_back(std::move(create));
        views.emplace(oid_of(row[0]), std::move(v));
    }
    if (views.empty()) return {};
    for (const auto& row : conn.query(kEdgeQuery).rows) {
        auto it = views.find(oid_of(row[0]));
        if (it == views.end()) continue;
        const std::string relation = detail::catalog_text(row[2]);
        if (bool_of(row[1])) {
            std::vector<std::string>& read = it->second.views;
            if (std::find(read.begin(), read.end(), relation) == read.end()) read.push_back(relation);
        } else if (!detail::catalog_text(row[3]).empty()) {
            it->second.columns[relation].push_back(detail::catalog_text(row[3]));
        }
    }
    for (const auto& row : conn.query(kExtraQuery).rows) {
        auto it = views.find(oid_of(row[0]));
        if (it != views.end()) it->second.create_sql.push_back(trimmed_definition(detail::catalog_text(row[1])));
    }
    return in_dependency_order(std::move(views));
}

std::vector<SqlStatement> around_dependent_views(const Dialect& dialect, const RenderContext& context,
                                                 const std::string& table, const std::string& column,
                                                 std::vector<SqlStatement> statements) {
    // The catalog's views, then the views the catalog did not list: created earlier in
    // this plan (or, offline, by the revisions before it), whose reads are known from
    // their text only.
    std::vector<DependentView> all;
    std::set<std::string> known;
    if (context.native)
        for (const NativeObjects::View& v : context.native->views) {
            all.push_back({v.name, &v, nullptr});
            known.insert(v.name);
        }
    for (const View* v : sorted_views(context.schema.views()))
        if (!known.count(v->name)) all.push_back({v->name, nullptr, v});

    // What the statements change, and every view that reads it, directly or not.
    std::set<std::string> affected;
    if (column.empty()) affected.insert(table);
    std::vector<std::size_t> hit;
    for (bool more = true; more;) {
        more = false;
        for (std::size_t i = 0; i < all.size(); ++i) {
            if (affected.count(all[i].name)) continue;
            bool reads = !column.empty() && all[i].reads_column(table, column);
            for (const std::string& name : affected) reads = reads || all[i].reads_view(name);
            if (!reads) continue;
            affected.insert(all[i].name);
            hit.push_back(i);
            more = true;
        }
    }
    if (hit.empty()) return statements;

    std::vector<std::string> names;
    std::vector<std::vector<std::size_t>> reads(hit.size());
    for (std::size_t i : hit) names.push_back(all[i].name);
    for (std::size_t a = 0; a < hit.size(); ++a)
        for (std::size_t b = 0; b < hit.size(); ++b)
            if (a != b && all[hit[a]].reads_view(names[b])) reads[a].push_back(b);
    std::vector<const DependentView*> order;
    for (std::size_t i : dependency_order(names, reads)) {
        const DependentView& v = all[hit[i]];
        if (v.native && v.native->stale)
            throw Error(ErrorKind::unsupported,
                        fmt::format("view {} depends on {}{}{}, which PostgreSQL cannot change while the view "
                                    "exists, and a table or column it reads was renamed earlier in this migration, so "
                                    "its definition as read before the migration may no longer be right. Put the "
                                    "rename and the change in separate revisions",
                                    v.name, table, column.empty() ? "" : ".", column));
        order.push_back(&v);
    }
    std::vector<SqlStatement> out;
    for (auto it = order.rbegin(); it != order.rend(); ++it)
        out.push_back(
            detail::statement((*it)->native ? (*it)->native->drop_sql : dialect.render_drop_view(*(*it)->planned)));
    for (SqlStatement& s : statements) out.push_back(std::move(s));
    for (const DependentView* v : order)
        for (const std::string& sql : v->native ? v->native->create_sql : dialect.render_create_view(*v->planned))
            out.push_back(detail::statement(sql));
    return out;
}

}  // namespace postgres

NativeObjects PostgresDialect::reflect_native_objects(Connection& conn) const {
    NativeObjects out;
    out.views = postgres::read_dependent_views(conn);
    return out;
}

}  // namespace strata
