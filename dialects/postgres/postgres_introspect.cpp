// PostgresDialect::reflect: the tables of current_schema() read with four
// whole-schema catalog queries (tables, columns, constraints, indexes), grouped
// client-side by table oid, three for the enum types, domains and sequences
// (postgres_catalog_types.cpp), one for the views (postgres_views.cpp), plus one for
// what is not modelled (postgres_unmodelled.cpp). The number of queries never depends on the number
// of tables, and nothing recurses, so thousands of tables and long foreign-key chains
// cost the same round trips.
#include <fmt/format.h>

#include <map>
#include <unordered_map>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/postgres/postgres_catalog_types.hpp"
#include "dialects/postgres/postgres_dialect.hpp"
#include "dialects/postgres/postgres_expression.hpp"
#include "dialects/postgres/postgres_objects.hpp"

namespace strata {

namespace {

// User tables of the current schema: ordinary and partitioned tables, not partitions
// (they belong to their parent) and not tables owned by an extension (PostGIS's
// spatial_ref_sys and the like).
// MATERIALIZED: the list is computed once per query rather than re-checked per joined row.
constexpr const char* kTables = R"(WITH t AS MATERIALIZED (
  SELECT c.oid, c.relname
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep
                    WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objid = c.oid AND dep.deptype = 'e')
))";

const std::string kTableQuery = std::string(kTables) + R"(
SELECT t.oid, t.relname, d.description
FROM t
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = t.oid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0
ORDER BY t.relname)";

const std::string kColumnQuery = std::string(kTables) + R"(
SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), a.attidentity::text, a.attgenerated::text,
       d.description, ty.typtype::text, a.atttypid
FROM t
JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid
JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = a.attrelid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum)";

// One row per constraint column (one row for a check), in key order.
const std::string kConstraintQuery = std::string(kTables) + R"(
SELECT con.conrelid, con.conname, con.contype::text, con.confupdtype::text, con.confdeltype::text,
       CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_constraintdef(con.oid, true) END, rc.relname, rn.nspname = current_schema(), rn.nspname,
       a.attname, fa.attname
FROM t
JOIN pg_catalog.pg_constraint con ON con.conrelid = t.oid
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, fattnum, ord) ON con.contype <> 'c'
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
LEFT JOIN pg_catalog.pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.fattnum
WHERE con.contype IN ('p', 'u', 'f', 'c')
ORDER BY con.conrelid, con.conname, k.ord)";

// Indexes other than those backing a primary key, unique or exclusion constraint;
// key columns only (not INCLUDE columns), one row per key: the column, or the
// expression as the server prints it; the operator class when it is not the default
// for its type; DESC and NULLS FIRST from indoption (bits 1 and 2); the access method
// and the partial index predicate (the same on every row of an index).
const std::string kIndexQuery = std::string(kTables) + R"(
SELECT i.indrelid, ic.relname, i.indisunique,
       CASE WHEN k.attnum = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::int, true) ELSE a.attname::text END,
       am.amname::text, pg_catalog.pg_get_expr(i.indpred, i.indrelid, true),
       CASE WHEN NOT opc.opcdefault THEN opc.opcname::text END, (k.opt & 1) <> 0, (k.opt & 2) <> 0
FROM t
JOIN pg_catalog.pg_index i ON i.indrelid = t.oid
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
CROSS JOIN LATERAL unnest(i.indkey::int2[], i.indclass::oid[], i.indoption::int2[]) WITH ORDINALITY AS k(attnum, opclass, opt, ord)
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
LEFT JOIN pg_catalog.pg_opclass opc ON opc.oid = k.opclass
WHERE NOT i.indisprimary AND k.ord <= i.indnkeyatts
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con
                  WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))
ORDER BY i.indrelid, ic.relname, k.ord)";

using postgres::as_bool;
using postgres::as_int;
using postgres::as_text;

FkAction fk_action(const std::string& code) {
    if (code == "r") return FkAction::restrict;
    if (code == "c") return FkAction::cascade;
    if (code == "n") return FkAction::set_null;
    if (code == "d") return FkAction::set_default;
    return FkAction::no_action;  // 'a', the server's default
}

// The CHECK (col >= 0) that stands for UNSIGNED (postgres_dialect.hpp) becomes the
// column's is_unsigned again.
void fold_unsigned_checks(Table& t) {
    std::erase_if(t.checks, [&](const CheckConstraint& check) {
        for (Column& c : t.columns) {
            if (!PostgresDialect::is_unsigned_check(t.name, c, check)) continue;
            c.type.is_unsigned = true;
            return true;
        }
        return false;
    });
}

// The indexes of kIndexQuery with their table's oid. Rows arrive grouped by (table,
// index), keys in order. Expressions and predicates are kept as the server prints
// them (with the casts it added, "lower(code::text)"): normalize() compares them
// through the canonical form, and a copy is built from the server's own text.
std::vector<std::pair<std::int64_t, Index>> read_indexes(Connection& conn) {
    std::vector<std::pair<std::int64_t, Index>> out;
    const auto rows = conn.query(kIndexQuery).rows;
    for (std::size_t i = 0; i < rows.size();) {
        const auto& first = rows[i];
        Index index;
        index.name = as_text(first[1]);
        index.unique = as_bool(first[2]);
        if (std::string method = as_text(first[4]); method != "btree") index.method = std::move(method);
        index.where = as_text(first[5]);
        std::size_t end = i;
        for (; end < rows.size() && rows[end][0] == first[0] && rows[end][1] == first[1]; ++end) {
            const auto& row = rows[end];
            const std::size_t key = index.columns.size();
            index.columns.push_back(as_text(row[3]));
            IndexKeyOptions options;
            options.opclass = as_text(row[6]);
            options.descending = as_bool(row[7]);
            // The server's default: NULLS LAST ascending, NULLS FIRST descending.
            const bool nulls_first = as_bool(row[8]);
            if (nulls_first != options.descending) options.nulls = nulls_first ? NullsOrder::first : NullsOrder::last;
            if (!options.is_default()) index.key(key) = std::move(options);
        }
        i = end;
        out.emplace_back(as_int(first[0]), std::move(index));
    }
    return out;
}

}  // namespace

Metadata PostgresDialect::reflect(Connection& conn, const ReflectOptions& options) const {
    std::vector<Table> tables;
    std::unordered_map<std::int64_t, std::size_t> by_oid;
    for (const auto& row : conn.query(kTableQuery).rows) {
        std::string name = as_text(row[1]);
        if (!options.internal_prefix.empty() && name.starts_with(options.internal_prefix)) continue;
        Table t;
        t.name = std::move(name);
        t.comment = as_text(row[2]);
        by_oid.emplace(as_int(row[0]), tables.size());
        tables.push_back(std::move(t));
    }
    auto table_of = [&](const Value& oid) -> Table* {
        auto it = by_oid.find(as_int(oid));
        return it == by_oid.end() ? nullptr : &tables[it->second];
    };

    postgres::CatalogTypes catalog_types = postgres::read_catalog_types(*this, conn, options);

    for (const auto& row : conn.query(kColumnQuery).rows) {
        Table* t = table_of(row[0]);
        if (!t) continue;
        Column c;
        c.name = as_text(row[1]);
        c.type = catalog_types.column_type(*this, as_int(row[9]), as_text(row[8]), as_text(row[2]));
        c.nullable = !as_bool(row[3]);
        std::string identity = as_text(row[5]);
        bool generated = as_text(row[6]) == "s";
        c.autoincrement = identity == "a" || identity == "d";
        if (!is_null(row[4])) {
            std::string expr = as_text(row[4]);
            if (generated) {
                c.options.values["postgresql.generated"] = postgres::canonical_expression(expr);
            } else {
                // nextval() of a serial's own sequence: autoincrement (add_schema_objects).
                c.server_default = postgres::parse_default(expr, c.type).server_default;
            }
        }
        c.comment = as_text(row[7]);
        t->columns.push_back(std::move(c));
    }

    // Constraint rows arrive grouped by (table, name), columns in key order.
    {
        const auto rows = conn.query(kConstraintQuery).rows;
        for (std::size_t i = 0; i < rows.size();) {
            const auto& first = rows[i];
            std::size_t end = i;
            std::vector<std::string> columns, ref_columns;
            while (end < rows.size() && rows[end][0] == first[0] && rows[end][1] == first[1]) {
                if (!is_null(rows[end][9])) columns.push_back(as_text(rows[end][9]));
                if (!is_null(rows[end][10])) ref_columns.push_back(as_text(rows[end][10]));
                ++end;
            }
            i = end;
            Table* t = table_of(first[0]);
            if (!t) continue;
            std::string name = as_text(first[1]);
            std::string type = as_text(first[2]);
            if (type == "p") {
                t->primary_key.name = name;
                t->primary_key.columns = std::move(columns);
            } else if (type == "u") {
                t->uniques.push_back(UniqueConstraint{name, std::move(columns)});
            } else if (type == "f") {
                ForeignKey fk;
                fk.name = name;
                fk.columns = std::move(columns);
                fk.ref_table = as_bool(first[7]) ? as_text(first[6]) : as_text(first[8]) + "." + as_text(first[6]);
                fk.ref_columns = std::move(ref_columns);
                fk.on_update = fk_action(as_text(first[3]));
                fk.on_delete = fk_action(as_text(first[4]));
                t->foreign_keys.push_back(std::move(fk));
            } else if (type == "c") {
                t->checks.push_back(CheckConstraint{name, postgres::canonical_check(as_text(first[5]))});
            }
        }
    }

    for (auto& [oid, index] : read_indexes(conn)) {
        if (Table* t = table_of(Value(oid))) t->indexes.push_back(std::move(index));
    }

    Metadata out;
    for (Table& t : tables) {
        fold_unsigned_checks(t);
        out.add(std::move(t));
    }
    postgres::add_schema_objects(std::move(catalog_types), out);
    postgres::normalize_objects(*this, out);
    reflect_views(conn, options, out);
    if (options.unmodelled) reflect_unmodelled(conn, options, out);
    return out;
}

}  // namespace strata
