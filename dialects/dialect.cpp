// The standard-SQL base of every dialect. A dialect overrides only what differs.
#include "dialects/dialect.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "dialects/detail/index_sql.hpp"

namespace strata {

std::string Dialect::quote(std::string_view identifier) const {
    std::string out = "\"";
    for (char c : identifier) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

std::string placeholder(PlaceholderStyle style, std::size_t index) {
    return style == PlaceholderStyle::dollar_number ? "$" + std::to_string(index) : "?";
}

std::string Dialect::placeholder(std::size_t index) const { return strata::placeholder(placeholder_style(), index); }

std::string Dialect::literal(const Value& value) const {
    struct Visitor {
        std::string operator()(Null) const { return "NULL"; }
        std::string operator()(bool b) const { return b ? "TRUE" : "FALSE"; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const { return fmt::format("{}", d); }
        std::string operator()(const std::string& s) const {
            std::string out = "'";
            for (char c : s) {
                if (c == '\'') out += '\'';
                out += c;
            }
            return out + "'";
        }
        std::string operator()(const Blob& b) const {
            std::string out = "X'";
            for (auto byte : b.bytes) out += fmt::format("{:02X}", byte);
            return out + "'";
        }
        std::string operator()(const Date& d) const { return "'" + to_iso(d) + "'"; }
        std::string operator()(const Time& t) const { return "'" + to_iso(t) + "'"; }
        std::string operator()(const DateTime& t) const { return "'" + to_iso(t) + "'"; }
    };
    return std::visit(Visitor{}, value);
}

std::string Dialect::render_default(const ServerDefault& def, const ColumnType& type) const {
    if (def.kind == ServerDefault::Kind::expression) return def.text;
    switch (type.kind) {
        case TypeKind::integer:
        case TypeKind::tiny_integer:
        case TypeKind::small_integer:
        case TypeKind::medium_integer:
        case TypeKind::big_integer:
        case TypeKind::float_:
        case TypeKind::double_:
        case TypeKind::numeric:
            return def.text;
        case TypeKind::boolean:
            return literal(def.text == "true" || def.text == "1");
        default:
            return literal(def.text);
    }
}

std::string Dialect::render_column(const Table&, const Column& column) const {
    std::string out = quote(column.name) + " " + render_type(column.type);
    if (!column.nullable) out += " NOT NULL";
    if (column.server_default) out += " DEFAULT " + render_default(*column.server_default, column.type);
    return out;
}

namespace {

std::string join_quoted(const Dialect& d, const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i) out += ", ";
        out += d.quote(names[i]);
    }
    return out;
}

}  // namespace

std::string Dialect::render_foreign_key_clause(const ForeignKey& fk) const {
    std::string out;
    if (!fk.name.empty()) out += "CONSTRAINT " + quote(fk.name) + " ";
    out += fmt::format("FOREIGN KEY ({}) REFERENCES {} ({})", join_quoted(*this, fk.columns), quote(fk.ref_table),
                       join_quoted(*this, fk.ref_columns));
    if (fk.on_delete != FkAction::no_action) out += std::string(" ON DELETE ") + to_sql(fk.on_delete);
    if (fk.on_update != FkAction::no_action) out += std::string(" ON UPDATE ") + to_sql(fk.on_update);
    return out;
}

std::vector<std::string> Dialect::render_create_table(const Table& table, bool include_foreign_keys) const {
    std::vector<std::string> lines;
    for (const Column& c : table.columns) lines.push_back(render_column(table, c));
    if (!table.primary_key.columns.empty()) {
        std::string pk;
        if (!table.primary_key.name.empty()) pk += "CONSTRAINT " + quote(table.primary_key.name) + " ";
        lines.push_back(pk + "PRIMARY KEY (" + join_quoted(*this, table.primary_key.columns) + ")");
    }
    for (const UniqueConstraint& u : table.uniques)
        lines.push_back("CONSTRAINT " + quote(u.name) + " UNIQUE (" + join_quoted(*this, u.columns) + ")");
    for (const CheckConstraint& ck : table.checks)
        lines.push_back("CONSTRAINT " + quote(ck.name) + " CHECK (" + ck.expression + ")");
    if (include_foreign_keys)
        for (const ForeignKey& fk : table.foreign_keys) lines.push_back(render_foreign_key_clause(fk));

    std::string create = "CREATE TABLE " + quote(table.name) + " (\n";
    for (std::size_t i = 0; i < lines.size(); ++i) create += "    " + lines[i] + (i + 1 < lines.size() ? ",\n" : "\n");
    create += ")";
    std::vector<std::string> out{create};
    for (const Index& ix : table.indexes) out.push_back(render_create_index(table, ix));
    return out;
}

std::vector<std::string> Dialect::render_drop_table(const Table& table) const {
    return {"DROP TABLE " + quote(table.name)};
}

std::string Dialect::render_create_index(const Table& table, const Index& index) const {
    detail::require_index_support(*this, table, index);
    std::string out = fmt::format("CREATE {}INDEX {} ON {}", index.unique ? "UNIQUE " : "", quote(index.name),
                                  quote(table.name));
    if (!is_default_index_method(index.method)) out += " USING " + index.method;
    out += " (" + detail::index_key_list(*this, table, index) + ")";
    if (!index.where.empty()) out += " WHERE " + index.where;
    return out;
}

std::string Dialect::render_drop_index(const Table&, const Index& index) const {
    return "DROP INDEX " + quote(index.name);
}

std::string Dialect::render_add_foreign_key(const Table& table, const ForeignKey& fk) const {
    if (!capabilities().alter_constraints)
        throw Error(ErrorKind::unsupported,
                    fmt::format("{} cannot add foreign key {} to an existing table {} with ALTER TABLE", name(),
                                fk.name, table.name));
    return "ALTER TABLE " + quote(table.name) + " ADD " + render_foreign_key_clause(fk);
}

std::string Dialect::render_drop_foreign_key(const Table& table, const ForeignKey& fk) const {
    if (!capabilities().alter_constraints)
        throw Error(ErrorKind::unsupported,
                    fmt::format("{} cannot drop foreign key {} of table {} with ALTER TABLE", name(), fk.name,
                                table.name));
    return "ALTER TABLE " + quote(table.name) + " DROP CONSTRAINT " + quote(fk.name);
}

Table Dialect::normalize(const Table& table) const {
    Table out = table;
    for (Column& c : out.columns) c.type = parse_type(render_type(c.type));
    return out;
}

bool Dialect::column_options_differ(const Table&, const Column&, const Table&, const Column&) const { return false; }

bool Dialect::table_options_differ(const Table&, const Table&) const { return false; }

Column Dialect::pin_column_options(const Table&, const Column& column, const Table&) const { return column; }

Metadata Dialect::normalize(const Metadata& metadata) const {
    Metadata out;
    for (const Table& t : metadata.tables()) out.add(normalize(t));
    for (const EnumType& e : metadata.enum_types()) out.add(e);
    for (const Domain& d : metadata.domains()) out.add(d);
    for (const Sequence& s : metadata.sequences()) out.add(s);
    normalize_objects(out);
    for (const View& v : metadata.views()) out.add_view(normalize(v));
    for (const UnmodelledObject& u : metadata.unmodelled()) out.add_unmodelled(u);
    return out;
}

void Dialect::normalize_objects(Metadata& metadata) const {
    if (capabilities().named_enum_types || metadata.enum_types().empty()) return;
    for (const Table& t : metadata.tables()) {
        Table* edit = metadata.find(t.name);
        for (Column& c : edit->columns) {
            if (c.type.kind != TypeKind::enum_ || c.type.type_name.empty()) continue;
            const EnumType* e = metadata.enum_types().find(c.type.type_name);
            if (c.type.enum_values.empty() && e) c.type.enum_values = e->values;
            c.type.type_name.clear();
        }
    }
    std::vector<std::string> names;
    for (const EnumType& e : metadata.enum_types()) names.push_back(e.name);
    for (const std::string& name : names) metadata.enum_types().remove(name);
}

const Dialect& dialect_named(std::string_view name) {
    auto plus = name.find('+');
    if (plus != std::string_view::npos) name = name.substr(0, plus);
    if (name == "sqlite" || name == "sqlite3") return sqlite_dialect();
    if (name == "postgresql" || name == "postgres" || name == "pgsql") return postgresql_dialect();
    if (name == "mysql" || name == "mariadb") return mysql_dialect();
    throw Error(ErrorKind::input,
                fmt::format("unknown database dialect '{}': use sqlite, postgresql or mysql", name));
}

}  // namespace strata
