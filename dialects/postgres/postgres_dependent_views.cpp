// PostgreSQL: the views over a column that a step changes (postgres_dependent_views.hpp).
#include "dialects/postgres/postgres_dependent_views.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/detail/operation_sql.hpp"
#include "dialects/postgres/postgres_dialect.hpp"
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
    throw Error(ErrorKind::internal, fmt::format("PostgreSQL catalog returned {} where an oid was expected", to_display(v)));
}

std::string text_of(const Value& v) {
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    return {};
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

}  // namespace

namespace postgres {

std::vector<NativeObjects::View> read_dependent_views(Connection& conn) {
    std::map<std::int64_t, NativeObjects::View> views;
    for (const auto& row : conn.query(kViewQuery).rows) {
        NativeObjects::View v;
        v.name = text_of(row[1]);
        v.materialized = bool_of(row[3]);
        const std::string sql_name = text_of(row[2]);
        const std::string kind = v.materialized ? "MATERIALIZED VIEW" : "VIEW";
        const std::string options = text_of(row[5]);
        v.drop_sql = fmt::format("DROP {} {}", kind, sql_name);
        std::string create = fmt::format("CREATE {} {}{} AS\n{}", kind, sql_name,
                                         options.empty() ? "" : " WITH (" + options + ")", trimmed_definition(text_of(row[4])));
        if (v.materialized) create += bool_of(row[6]) ? "\nWITH DATA" : "\nWITH NO DATA";
        v.create_sql.push_back(std::move(create));
        views.emplace(oid_of(row[0]), std::move(v));
    }
    if (views.empty()) return {};
    for (const auto& row : conn.query(kEdgeQuery).rows) {
        auto it = views.find(oid_of(row[0]));
        if (it == views.end()) continue;
        const std::string relation = text_of(row[2]);
        if (bool_of(row[1])) {
            std::vector<std::string>& read = it->second.views;
            if (std::find(read.begin(), read.end(), relation) == read.end()) read.push_back(relation);
        } else if (!text_of(row[3]).empty()) {
            it->second.columns[relation].push_back(text_of(row[3]));
        }
    }
    for (const auto& row : conn.query(kExtraQuery).rows) {
        auto it = views.find(oid_of(row[0]));
        if (it != views.end()) it->second.create_sql.push_back(trimmed_definition(text_of(row[1])));
    }
    return in_dependency_order(std::move(views));
}

std::vector<SqlStatement> around_dependent_views(const RenderContext& context, const std::string& table,
                                                 const std::string& column, std::vector<SqlStatement> statements) {
    if (!context.native || context.native->views.empty()) return statements;
    const std::vector<NativeObjects::View>& views = context.native->views;
    // One pass: a view comes after the views it reads.
    std::set<std::string> affected;
    if (column.empty()) affected.insert(table);
    std::vector<const NativeObjects::View*> order;
    for (const NativeObjects::View& v : views) {
        if (column.empty() && v.name == table) continue;
        auto read = v.columns.find(table);
        bool hit = read != v.columns.end() &&
                   std::find(read->second.begin(), read->second.end(), column) != read->second.end();
        for (const std::string& name : v.views) hit = hit || affected.count(name) > 0;
        if (!hit) continue;
        if (v.stale)
            throw Error(ErrorKind::unsupported,
                        fmt::format("view {} depends on {}.{}, which PostgreSQL cannot change while the view exists, and "
                                    "a table or column it reads was renamed earlier in this migration, so its "
                                    "definition as read before the migration may no longer be right. Put the rename "
                                    "and the change of {}.{} in separate revisions",
                                    v.name, table, column, table, column));
        affected.insert(v.name);
        order.push_back(&v);
    }
    if (order.empty()) return statements;
    std::vector<SqlStatement> out;
    for (auto it = order.rbegin(); it != order.rend(); ++it) out.push_back(detail::statement((*it)->drop_sql));
    for (SqlStatement& s : statements) out.push_back(std::move(s));
    for (const NativeObjects::View* v : order)
        for (const std::string& sql : v->create_sql) out.push_back(detail::statement(sql));
    return out;
}

}  // namespace postgres

NativeObjects PostgresDialect::reflect_native_objects(Connection& conn) const {
    NativeObjects out;
    out.views = postgres::read_dependent_views(conn);
    return out;
}

}  // namespace strata
