#include "dialects/postgres/postgres_dialect.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

#include "core/error.hpp"
#include "dialects/detail/index_sql.hpp"
#include "dialects/postgres/postgres_expression.hpp"
#include "dialects/postgres/postgres_objects.hpp"

namespace strata {

namespace {

constexpr std::size_t kMaxIdentifier = 63;  // NAMEDATALEN - 1
constexpr const char* kGeneratedOption = "postgresql.generated";

bool is_number_kind(TypeKind k) {
    return is_integer_kind(k) || k == TypeKind::float_ || k == TypeKind::double_ || k == TypeKind::numeric;
}

// Lower case, single spaces, no space before '(' or around ','.
std::string simplify(std::string_view s) {
    std::string out;
    bool space = false;
    for (char c : s) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            space = true;
            continue;
        }
        if (space && !out.empty() && c != '(' && c != ')' && c != ',' && out.back() != '(' && out.back() != ',')
            out += ' ';
        space = false;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

std::optional<int> to_int(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

bool valid_number_text(std::string_view s) {
    if (s.empty()) return false;
    double d = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    return ec == std::errc{} && p == s.data() + s.size() && std::isfinite(d);
}

// No UNSIGNED on PostgreSQL: an unsigned integer is the next wider signed type (BIGINT
// for the 32- and 64-bit kinds), and render_column adds CHECK (col >= 0).
std::string integer_spelling(const ColumnType& type) {
    int rank = integer_rank(type.kind);
    if (type.is_unsigned && rank < 5) ++rank;
    if (rank <= 2) return "SMALLINT";
    if (rank <= 4) return "INTEGER";
    return "BIGINT";
}

// "TIMESTAMP" for the default 6 digits, "TIMESTAMP(3)" otherwise.
std::string with_fraction(const char* base, const std::optional<int>& precision) {
    if (!precision || *precision == 6) return base;
    return fmt::format("{}({})", base, *precision);
}

}  // namespace

std::string PostgresDialect::unsigned_check_name(const std::string& table, const std::string& column) {
    return naming::check(table, column + "_unsigned");
}

std::string PostgresDialect::unsigned_check_sql(const std::string& table, const Column& column) const {
    return fmt::format("CONSTRAINT {} CHECK ({} >= 0)", quote(unsigned_check_name(table, column.name)),
                       quote(column.name));
}

bool PostgresDialect::is_unsigned_check(const std::string& table, const Column& column,
                                        const CheckConstraint& check) {
    return is_integer_kind(column.type.kind) &&
           truncate_identifier(unsigned_check_name(table, column.name)) == check.name &&
           postgres::canonical_check(check.expression) ==
               postgres::canonical_check(postgresql_dialect().quote(column.name) + " >= 0");
}

const Capabilities& PostgresDialect::capabilities() const noexcept {
    static const Capabilities caps = [] {
        Capabilities c;
        c.transactional_ddl = true;
        c.alter_column = true;
        c.add_column = true;
        c.drop_column = true;
        c.rename_column = true;
        c.alter_constraints = true;
        c.check_constraints = true;
        c.returning = true;
        c.native_boolean = true;
        c.native_uuid = true;
        c.native_json = true;
        c.native_enum = true;  // CREATE TYPE ... AS ENUM, see the header
        c.column_comments = true;
        c.sequences = true;
        c.domains = true;
        c.named_enum_types = true;
        c.named_primary_key = true;
        c.fk_needs_index = false;
        c.index_methods = true;
        c.partial_indexes = true;
        c.index_nulls_order = true;
        c.nulls_sort_last = true;
        c.timezone_timestamps = true;
        c.max_bind_parameters = 65535;
        c.max_identifier_length = kMaxIdentifier;
        return c;
    }();
    return caps;
}

std::string PostgresDialect::literal(const Value& value) const {
    if (const auto* blob = std::get_if<Blob>(&value)) {
        std::string out = "'\\x";
        for (auto byte : blob->bytes) out += fmt::format("{:02x}", byte);
        return out + "'::bytea";
    }
    if (const auto* d = std::get_if<double>(&value)) {
        if (std::isnan(*d)) return "'NaN'::double precision";
        if (std::isinf(*d)) return *d > 0 ? "'Infinity'::double precision" : "'-Infinity'::double precision";
    }
    return Dialect::literal(value);
}

// ---- types --------------------------------------------------------------------------------

std::string PostgresDialect::render_type(const ColumnType& type) const {
    // An enum type or domain of the Metadata, by its name.
    if (!type.type_name.empty() && (type.kind == TypeKind::enum_ || type.kind == TypeKind::other))
        return quote(type.type_name);
    if (is_integer_kind(type.kind)) {
        // A reflected unsigned column renders as the type it is stored as (INTEGER plus
        // the check reads back as integer unsigned; widening it again would change it).
        if (type.is_unsigned && !type.native.empty()) {
            ColumnType stored = parse_type(type.native);
            if (is_integer_kind(stored.kind)) return integer_spelling(stored);
        }
        return integer_spelling(type);
    }
    switch (type.kind) {
        case TypeKind::boolean: return "BOOLEAN";
        case TypeKind::string:
            if (type.fixed_length) return type.length ? fmt::format("CHAR({})", *type.length) : "BPCHAR";
            return type.length ? fmt::format("VARCHAR({})", *type.length) : "VARCHAR";
        case TypeKind::text: return "TEXT";
        case TypeKind::float_: return "REAL";
        case TypeKind::double_: return "DOUBLE PRECISION";
        case TypeKind::numeric:
            if (!type.precision) return "NUMERIC";
            return type.scale ? fmt::format("NUMERIC({},{})", *type.precision, *type.scale)
                              : fmt::format("NUMERIC({})", *type.precision);
        case TypeKind::date: return "DATE";
        case TypeKind::time: return with_fraction("TIME", type.precision);
        case TypeKind::datetime:
            return with_fraction("TIMESTAMP", type.precision) + (type.timezone ? " WITH TIME ZONE" : "");
        case TypeKind::blob: return "BYTEA";
        case TypeKind::json: return "JSONB";
        case TypeKind::uuid: return "UUID";
        case TypeKind::enum_:
            if (!type.native.empty()) return type.native;
            throw Error(ErrorKind::usage,
                        fmt::format("{}: a PostgreSQL enum is a named type per column; render the column with "
                                    "render_column() (which names it <table>_<column>_enum) or set ColumnType::native",
                                    type.describe()));
        case TypeKind::other:
            if (!type.native.empty()) return type.native;
            throw Error(ErrorKind::usage, "a column type of kind 'other' needs its native spelling in ColumnType::native");
        default:
            break;
    }
    return type.native;
}

ColumnType PostgresDialect::parse_type(std::string_view native) const {
    std::string s = simplify(native);
    if (s.starts_with("pg_catalog.")) s.erase(0, 11);
    ColumnType other;
    other.kind = TypeKind::other;
    other.native = std::string(native);
    if (s.ends_with("[]")) return other;

    // "timestamp(3) without time zone" -> name "timestamp without time zone", args "3".
    std::string name = s, args;
    auto open = s.find('(');
    if (open != std::string::npos) {
        auto close = s.find(')', open);
        if (close == std::string::npos) return other;
        args = s.substr(open + 1, close - open - 1);
        std::string rest = s.substr(close + 1);
        while (!rest.empty() && rest.front() == ' ') rest.erase(0, 1);
        name = s.substr(0, open);
        while (!name.empty() && name.back() == ' ') name.pop_back();
        if (!rest.empty()) name += " " + rest;
    }
    std::vector<std::optional<int>> nums;
    if (!args.empty()) {
        std::size_t start = 0;
        while (true) {
            auto comma = args.find(',', start);
            nums.push_back(to_int(std::string_view(args).substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
        for (const auto& n : nums)
            if (!n) return other;
    }

    ColumnType t;
    auto is = [&](std::initializer_list<std::string_view> names) {
        return std::find(names.begin(), names.end(), name) != names.end();
    };
    if (is({"integer", "int", "int4", "serial", "serial4"}) && nums.empty()) t = types::integer();
    else if (is({"smallint", "int2", "smallserial", "serial2"}) && nums.empty()) t = types::small_integer();
    else if (is({"bigint", "int8", "bigserial", "serial8"}) && nums.empty()) t = types::big_integer();
    else if (is({"boolean", "bool"}) && nums.empty()) t = types::boolean();
    else if (is({"character varying", "varchar"}) && nums.size() <= 1) {
        t.kind = TypeKind::string;
        if (!nums.empty()) t.length = *nums[0];
    } else if (is({"character", "char"}) && nums.size() <= 1) {
        t = types::char_(nums.empty() ? 1 : *nums[0]);  // CHAR alone is CHAR(1)
    } else if (is({"bpchar"}) && nums.size() <= 1) {
        t.kind = TypeKind::string;
        t.fixed_length = true;
        if (!nums.empty()) t.length = *nums[0];
    } else if (is({"text"}) && nums.empty()) t = types::text();
    else if (is({"real", "float4"}) && nums.empty()) t = types::float_();
    else if (is({"double precision", "float8"}) && nums.empty()) t = types::double_();
    else if (is({"float"}) && nums.size() <= 1) t = (!nums.empty() && *nums[0] <= 24) ? types::float_() : types::double_();
    else if (is({"numeric", "decimal"}) && nums.size() <= 2) {
        t.kind = TypeKind::numeric;
        if (!nums.empty()) {
            t.precision = *nums[0];
            t.scale = nums.size() == 2 ? *nums[1] : 0;
        }
    } else if (is({"date"}) && nums.empty()) t = types::date();
    else if (is({"time", "time without time zone"}) && nums.size() <= 1) t = types::time();
    else if (is({"timestamp", "timestamp without time zone"}) && nums.size() <= 1) t = types::datetime(false);
    else if (is({"timestamptz", "timestamp with time zone"}) && nums.size() <= 1) t = types::datetime(true);
    else if (is({"bytea"}) && nums.empty()) t = types::blob();
    else if (is({"json", "jsonb"}) && nums.empty()) t = types::json();
    else if (is({"uuid"}) && nums.empty()) t = types::uuid();
    else return other;
    if ((t.kind == TypeKind::time || t.kind == TypeKind::datetime) && !nums.empty()) t.precision = *nums[0];
    t.native = std::string(native);
    return t;
}

// ---- rendering ----------------------------------------------------------------------------

std::string PostgresDialect::render_default(const ServerDefault& def, const ColumnType& type) const {
    if (def.kind == ServerDefault::Kind::expression) return def.text;
    if (type.kind == TypeKind::boolean) {
        std::string b = postgres::canonical_literal(def.text, type);
        if (b == "true") return "TRUE";
        if (b == "false") return "FALSE";
        return literal(Value(def.text));
    }
    // Numbers stay bare so the catalog keeps a number; anything else (NaN, Infinity,
    // text the server should reject with its own message) is quoted.
    if (is_number_kind(type.kind) && valid_number_text(def.text)) return def.text;
    return literal(Value(def.text));
}

std::string PostgresDialect::enum_type_name(const std::string& table, const Column& column) {
    if (!column.type.type_name.empty()) return column.type.type_name;
    if (!column.type.native.empty()) return column.type.native;
    return truncate_identifier(naming::shorten(table + "_" + column.name + "_enum", kMaxIdentifier));
}

namespace {

// SQL spelling of an enum column's type: a reflected native name is already SQL
// (format_type() quotes and qualifies where needed); a derived name needs quoting.
std::string enum_type_sql(const Dialect& d, const std::string& table, const Column& column) {
    if (!column.type.type_name.empty()) return d.quote(column.type.type_name);
    if (!column.type.native.empty()) return column.type.native;
    return d.quote(PostgresDialect::enum_type_name(table, column));
}

}  // namespace

std::string PostgresDialect::render_create_enum(const std::string& table, const Column& column) const {
    std::string labels;
    for (std::size_t i = 0; i < column.type.enum_values.size(); ++i) {
        if (i) labels += ", ";
        labels += Dialect::literal(Value(column.type.enum_values[i]));
    }
    std::string create = fmt::format("CREATE TYPE {} AS ENUM ({})", enum_type_sql(*this, table, column), labels);
    if (column.type.native.empty()) return create;
    // A reflected type may be shared with tables that already exist (the same database)
    // or not exist yet (another database): create it only where it is missing.
    return "DO $strata$ BEGIN " + create + "; EXCEPTION WHEN duplicate_object THEN NULL; END $strata$";
}

std::string PostgresDialect::render_column(const Table& table, const Column& column) const {
    std::string type = column.type.kind == TypeKind::enum_ ? enum_type_sql(*this, table.name, column) : render_type(column.type);
    std::string out = quote(column.name) + " " + type;
    bool identity = column.autoincrement && is_integer_kind(column.type.kind);
    auto generated = column.options.values.find(kGeneratedOption);
    bool is_generated = !identity && generated != column.options.values.end();
    if (identity) out += " GENERATED BY DEFAULT AS IDENTITY";
    else if (is_generated) out += " GENERATED ALWAYS AS (" + generated->second + ") STORED";
    if (!column.nullable) out += " NOT NULL";
    if (column.server_default && !identity && !is_generated)
        out += " DEFAULT " + render_default(*column.server_default, column.type);
    if (column.type.is_unsigned && is_integer_kind(column.type.kind)) out += " " + unsigned_check_sql(table.name, column);
    return out;
}

std::vector<std::string> PostgresDialect::render_create_table(const Table& declared, bool include_foreign_keys) const {
    Table table = declared;
    apply_naming_convention(table);
    std::vector<std::string> out;
    std::set<std::string> enums;
    for (const Column& c : table.columns) {
        // A named enum type is a schema object of its own, created before the table.
        if (c.type.kind != TypeKind::enum_ || !c.type.type_name.empty()) continue;
        if (enums.insert(enum_type_sql(*this, table.name, c)).second) out.push_back(render_create_enum(table.name, c));
    }
    for (std::string& sql : Dialect::render_create_table(table, include_foreign_keys)) out.push_back(std::move(sql));
    if (!table.comment.empty())
        out.push_back(fmt::format("COMMENT ON TABLE {} IS {}", quote(table.name), Dialect::literal(Value(table.comment))));
    for (const Column& c : table.columns) {
        if (c.comment.empty()) continue;
        out.push_back(fmt::format("COMMENT ON COLUMN {}.{} IS {}", quote(table.name), quote(c.name),
                                  Dialect::literal(Value(c.comment))));
    }
    return out;
}

std::vector<std::string> PostgresDialect::render_drop_table(const Table& table) const {
    std::vector<std::string> out{"DROP TABLE " + quote(table.name)};
    // Only the types strata named for this table's columns: a reflected enum type of
    // another name may be shared with other tables.
    std::set<std::string> done;
    for (const Column& c : table.columns) {
        if (c.type.kind != TypeKind::enum_ || !c.type.type_name.empty()) continue;
        Column derived = c;
        derived.type.native.clear();
        std::string name = enum_type_name(table.name, derived);
        if (!c.type.native.empty() && c.type.native != name && c.type.native != quote(name)) continue;
        if (done.insert(name).second) out.push_back("DROP TYPE IF EXISTS " + quote(name));
    }
    return out;
}

// ---- normalization ------------------------------------------------------------------------

std::string PostgresDialect::truncate_identifier(std::string name) {
    if (name.size() <= kMaxIdentifier) return name;
    std::size_t keep = kMaxIdentifier;
    while (keep > 0 && (static_cast<unsigned char>(name[keep]) & 0xC0) == 0x80) --keep;
    name.resize(keep);
    return name;
}

Table PostgresDialect::normalize(const Table& declared) const {
    Table t = declared;
    apply_naming_convention(t);
    auto cut = [](std::string& s) { s = truncate_identifier(std::move(s)); };
    auto cut_all = [&](std::vector<std::string>& v) {
        for (auto& s : v) cut(s);
    };
    cut(t.name);
    cut(t.primary_key.name);
    cut_all(t.primary_key.columns);
    for (Index& i : t.indexes) {
        cut(i.name);
        for (std::string& key : i.columns) {
            // An entry naming no column is an index expression: compared in canonical
            // form, like the predicate, so the server's added casts make no difference.
            if (t.find_column(key)) cut(key);
            else key = postgres::canonical_expression(key);
        }
        if (!i.where.empty()) i.where = postgres::canonical_expression(i.where);
        detail::normalize_index_options(i, capabilities());
        for (IndexKeyOptions& k : i.key_options)
            if (k.opclass.find('"') == std::string::npos)
                for (char& ch : k.opclass) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    for (UniqueConstraint& u : t.uniques) {
        cut(u.name);
        cut_all(u.columns);
    }
    for (ForeignKey& f : t.foreign_keys) {
        cut(f.name);
        cut(f.ref_table);
        cut_all(f.columns);
        cut_all(f.ref_columns);
    }
    for (CheckConstraint& c : t.checks) {
        cut(c.name);
        c.expression = postgres::canonical_check(c.expression);
    }

    for (Column& c : t.columns) {
        cut(c.name);
        if (!c.type.type_name.empty()) {
            // An enum type or domain by name: postgres::normalize_objects.
        } else if (c.type.kind == TypeKind::other) {
            if (!c.type.native.empty()) c.type = parse_type(c.type.native);
        } else if (c.type.kind != TypeKind::enum_) {
            const bool is_unsigned = c.type.is_unsigned && is_integer_kind(c.type.kind);
            c.type = parse_type(render_type(c.type));
            c.type.is_unsigned = is_unsigned;
        }
        if (c.server_default) {
            if (c.server_default->kind == ServerDefault::Kind::literal) {
                c.server_default = ServerDefault::literal(postgres::canonical_literal(c.server_default->text, c.type));
            } else {
                c.server_default = postgres::parse_default(c.server_default->text, c.type).server_default;
            }
        }
        if (c.autoincrement && !is_integer_kind(c.type.kind)) c.autoincrement = false;
        if (c.autoincrement) {
            c.nullable = false;
            c.server_default.reset();
        }
        if (t.is_primary_key(c.name)) c.nullable = false;
        auto generated = c.options.values.find(kGeneratedOption);
        if (generated != c.options.values.end()) {
            generated->second = postgres::canonical_expression(generated->second);
            c.server_default.reset();
        }
    }
    return t;
}

void PostgresDialect::normalize_objects(Metadata& metadata) const { postgres::normalize_objects(*this, metadata); }

const Dialect& postgresql_dialect() {
    static const PostgresDialect dialect;
    return dialect;
}

}  // namespace strata
