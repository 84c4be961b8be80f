#include "dialects/postgres/postgres_catalog_types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/postgres/postgres_expression.hpp"
#include "dialects/postgres/postgres_objects.hpp"

namespace strata::postgres {

namespace {

// Objects owned by an extension are the extension's (noted as such), not the schema's.
constexpr const char* kNotExtension = R"(NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x
  WHERE x.classid = '%s'::regclass AND x.objid = %s AND x.deptype = 'e'))";

std::string not_extension(const char* catalog, const char* oid) {
    std::string out = kNotExtension;
    out.replace(out.find("%s"), 2, catalog);
    out.replace(out.find("%s"), 2, oid);
    return out;
}

// Enum types of the schema, and any other a column of a reflected table uses (the
// tables as in postgres_introspect.cpp: ordinary and partitioned, not partitions).
std::string enum_query() {
    return R"(SELECT ty.oid, ty.typname, n.nspname = current_schema() AND )" +
           not_extension("pg_catalog.pg_type", "ty.oid") + R"(, e.enumlabel
FROM pg_catalog.pg_type ty
JOIN pg_catalog.pg_namespace n ON n.oid = ty.typnamespace
LEFT JOIN pg_catalog.pg_enum e ON e.enumtypid = ty.oid
WHERE ty.typtype = 'e' AND (n.nspname = current_schema() OR ty.oid IN (
  SELECT a.atttypid FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace
  WHERE cn.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped))
ORDER BY ty.typname, ty.oid, e.enumsortorder)";
}

// One row per domain check (one row for a domain without checks).
std::string domain_query() {
    return R"(SELECT ty.oid, ty.typname, pg_catalog.format_type(ty.typbasetype, ty.typtypmod), ty.typbasetype,
       bt.typtype::text, ty.typnotnull, pg_catalog.pg_get_expr(ty.typdefaultbin, 0), con.conname,
       pg_catalog.pg_get_constraintdef(con.oid, true)
FROM pg_catalog.pg_type ty
JOIN pg_catalog.pg_namespace n ON n.oid = ty.typnamespace
JOIN pg_catalog.pg_type bt ON bt.oid = ty.typbasetype
LEFT JOIN pg_catalog.pg_constraint con ON con.contypid = ty.oid AND con.contype = 'c'
WHERE ty.typtype = 'd' AND n.nspname = current_schema() AND )" +
           not_extension("pg_catalog.pg_type", "ty.oid") + R"(
ORDER BY ty.typname, con.conname)";
}

// Sequences of the schema with the column that owns them (OWNED BY); not those of
// identity columns.
std::string sequence_query() {
    return R"(SELECT c.relname, s.seqtypid::regtype::text, s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache,
       s.seqcycle, oc.relname, a.attname, current_schema()
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
LEFT JOIN pg_catalog.pg_depend d
  ON d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_catalog.pg_class'::regclass
 AND d.deptype = 'a'
LEFT JOIN pg_catalog.pg_class oc ON oc.oid = d.refobjid AND oc.relnamespace = c.relnamespace
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
WHERE c.relkind = 'S' AND n.nspname = current_schema() AND )" +
           not_extension("pg_catalog.pg_class", "c.oid") + R"(
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_catalog.pg_class'::regclass
                  AND i.objid = c.oid AND i.deptype = 'i')
ORDER BY c.relname)";
}

bool internal(const ReflectOptions& options, const std::string& name) {
    return !options.internal_prefix.empty() && name.starts_with(options.internal_prefix);
}

TypeKind sequence_type(const std::string& regtype) {
    if (regtype == "smallint") return TypeKind::small_integer;
    if (regtype == "integer") return TypeKind::integer;
    return TypeKind::big_integer;
}

void read_domains(const PostgresDialect& d, Connection& conn, CatalogTypes& out, const ReflectOptions& options) {
    struct Base {
        std::int64_t oid;
        std::string typtype, native;
    };
    std::map<std::int64_t, Base> bases;
    for (const auto& row : conn.query(domain_query()).rows) {
        const std::int64_t oid = as_int(row[0]);
        if (internal(options, as_text(row[1]))) continue;
        auto [it, fresh] = out.domains.try_emplace(oid);
        Domain& domain = it->second;
        if (fresh) {
            domain.name = as_text(row[1]);
            domain.nullable = !as_bool(row[5]);
            bases[oid] = Base{as_int(row[3]), as_text(row[4]), as_text(row[2])};
            if (!is_null(row[6])) domain.server_default = ServerDefault::expression(as_text(row[6]));
        }
        if (!is_null(row[7])) domain.checks.push_back(CheckConstraint{as_text(row[7]), canonical_check(as_text(row[8]))});
    }
    // Base types last: a domain may be based on another one.
    for (auto& [oid, domain] : out.domains) {
        const Base& base = bases[oid];
        domain.type = out.column_type(d, base.oid, base.typtype, base.native);
        if (domain.server_default)
            domain.server_default = parse_default(domain.server_default->text, domain.type).server_default;
        out.domain_order.push_back(domain);
    }
    std::sort(out.domain_order.begin(), out.domain_order.end(),
              [](const Domain& a, const Domain& b) { return a.name < b.name; });
}

}  // namespace

std::int64_t as_int(const Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    throw Error(ErrorKind::internal, fmt::format("PostgreSQL catalog returned {} where a number was expected", to_display(v)));
}

std::string as_text(const Value& v) {
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    return {};
}

bool as_bool(const Value& v) {
    const auto* b = std::get_if<bool>(&v);
    return b && *b;
}

ColumnType CatalogTypes::column_type(const PostgresDialect& d, std::int64_t oid, const std::string& typtype,
                                     const std::string& native) const {
    if (typtype == "e") {
        ColumnType t;
        t.kind = TypeKind::enum_;
        t.native = native;
        if (auto it = enums.find(oid); it != enums.end()) {
            t.enum_values = it->second.values;
            if (schema_enums.count(oid)) t.type_name = it->second.name;
        }
        return t;
    }
    if (typtype == "d") {
        if (auto it = domains.find(oid); it != domains.end()) {
            ColumnType t = types::native(native);
            t.type_name = it->second.name;
            return t;
        }
    }
    return d.parse_type(native);
}

CatalogTypes read_catalog_types(const PostgresDialect& d, Connection& conn, const ReflectOptions& options) {
    CatalogTypes out;
    for (const auto& row : conn.query(enum_query()).rows) {
        const std::int64_t oid = as_int(row[0]);
        EnumType& e = out.enums[oid];
        e.name = as_text(row[1]);
        if (as_bool(row[2]) && !internal(options, e.name)) out.schema_enums.insert(oid);
        if (!is_null(row[3])) e.values.push_back(as_text(row[3]));
    }
    read_domains(d, conn, out, options);
    for (const auto& row : conn.query(sequence_query()).rows) {
        out.schema = as_text(row[10]);
        Sequence s;
        s.name = as_text(row[0]);
        if (internal(options, s.name) || internal(options, as_text(row[8]))) continue;
        s.type = sequence_type(as_text(row[1]));
        s.start = as_int(row[2]);
        s.increment = as_int(row[3]);
        s.min_value = as_int(row[4]);
        s.max_value = as_int(row[5]);
        s.cache = as_int(row[6]);
        s.cycle = as_bool(row[7]);
        if (!is_null(row[8]) && !is_null(row[9])) {
            s.owned_by_table = as_text(row[8]);
            s.owned_by_column = as_text(row[9]);
        }
        out.sequences.push_back(std::move(s));
    }
    return out;
}

std::string serial_sequence_name(const std::string& table, const std::string& column) {
    // makeObjectName(table, column, "seq"): 63 bytes minus "_" and "_seq" for the two
    // names, the longer one shortened first, never inside a UTF-8 character.
    std::size_t a = table.size(), b = column.size();
    const std::size_t room = 63 - 5;
    while (a + b > room) {
        if (a > b) --a;
        else --b;
    }
    auto clip = [](const std::string& s, std::size_t n) {
        while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
        return s.substr(0, n);
    };
    return clip(table, a) + "_" + clip(column, b) + "_seq";
}

namespace {

// The sequence a nextval() argument names in the schema ("x", "\"Mixed\"", "schema.x"),
// or "" when it is in another schema.
std::string sequence_named(const std::string& regclass, const std::string& schema) {
    std::vector<std::string> parts(1);
    bool quoted = false;
    for (std::size_t i = 0; i < regclass.size(); ++i) {
        char c = regclass[i];
        if (c == '"') {
            if (quoted && i + 1 < regclass.size() && regclass[i + 1] == '"') {
                parts.back() += '"';
                ++i;
            } else {
                quoted = !quoted;
            }
        } else if (c == '.' && !quoted) {
            parts.emplace_back();
        } else {
            parts.back() += quoted ? c : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    if (parts.size() == 1) return parts[0];
    return parts.size() == 2 && parts[0] == schema ? parts[1] : std::string();
}

// A serial's own sequence: the defaults of the column's type, owned by it, named for it.
bool serial_of(const Sequence& s, const Table& table, const Column& column) {
    const bool same_type = (s.type == TypeKind::small_integer && column.type.kind == TypeKind::small_integer) ||
                           (s.type == TypeKind::integer && column.type.kind == TypeKind::integer) ||
                           (s.type == TypeKind::big_integer && column.type.kind == TypeKind::big_integer);
    return same_type && !column.type.is_unsigned && s.owned_by_table == table.name &&
           s.owned_by_column == column.name && s.name == serial_sequence_name(table.name, column.name) &&
           s.increment == 1 && s.cache == 1 && !s.cycle && s.min_value == default_min(s) &&
           s.max_value == default_max(s) && s.start == default_start(s);
}

void fold_serials(CatalogTypes& types, Metadata& out) {
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> users;  // sequence -> (table, column)
    for (const Table& t : out.tables())
        for (const Column& c : t.columns) {
            if (!c.server_default || c.server_default->kind != ServerDefault::Kind::expression) continue;
            std::string seq = sequence_named(parse_default(c.server_default->text, c.type).sequence, types.schema);
            if (!seq.empty()) users[seq].emplace_back(t.name, c.name);
        }
    std::erase_if(types.sequences, [&](const Sequence& s) {
        auto it = users.find(s.name);
        if (it == users.end() || it->second.size() != 1) return false;
        Table* t = out.find(it->second[0].first);
        Column* c = t ? t->find_column(it->second[0].second) : nullptr;
        if (!c || !serial_of(s, *t, *c)) return false;
        c->autoincrement = true;
        c->server_default.reset();
        return true;
    });
}

// An enum type strata created for one column, which only that column uses.
void fold_column_enums(CatalogTypes& types, Metadata& out) {
    std::map<std::string, std::vector<Column*>> users;
    std::map<std::string, std::string> owner_table;
    for (const Table& t : out.tables())
        for (Column& c : out.find(t.name)->columns)
            if (c.type.kind == TypeKind::enum_ && !c.type.type_name.empty()) {
                users[c.type.type_name].push_back(&c);
                owner_table[c.type.type_name] = t.name;
            }
    for (const Domain& d : types.domain_order)
        if (!d.type.type_name.empty()) users[d.type.type_name].push_back(nullptr);
    for (auto& [name, columns] : users) {
        if (columns.size() != 1 || !columns[0]) continue;
        Column derived = *columns[0];
        derived.type.type_name.clear();
        derived.type.native.clear();
        if (PostgresDialect::enum_type_name(owner_table[name], derived) != name) continue;
        columns[0]->type.type_name.clear();
        columns[0]->type.native.clear();
        std::erase_if(types.schema_enums, [&](std::int64_t oid) { return types.enums[oid].name == name; });
    }
}

}  // namespace

void add_schema_objects(CatalogTypes types, Metadata& out) {
    fold_serials(types, out);
    fold_column_enums(types, out);
    std::vector<const EnumType*> enums;
    for (std::int64_t oid : types.schema_enums) enums.push_back(&types.enums[oid]);
    std::sort(enums.begin(), enums.end(), [](const EnumType* a, const EnumType* b) { return a->name < b->name; });
    for (const EnumType* e : enums) out.add(*e);
    for (Domain& domain : types.domain_order) out.add(std::move(domain));
    for (Sequence& s : types.sequences) {
        if (s.owned() && !(out.find(s.owned_by_table) && out.find(s.owned_by_table)->find_column(s.owned_by_column))) {
            s.owned_by_table.clear();  // owned by a column strata does not reflect (a partition's)
            s.owned_by_column.clear();
        }
        out.add(std::move(s));
    }
}

}  // namespace strata::postgres
