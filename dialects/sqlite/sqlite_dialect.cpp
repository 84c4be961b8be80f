#include "dialects/sqlite/sqlite_dialect.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "dialects/detail/index_sql.hpp"
#include "dialects/sqlite/sqlite_create_index.hpp"
#include "dialects/sqlite/sqlite_create_table.hpp"

namespace strata {

namespace {

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool is_number_kind(TypeKind k) {
    return is_integer_kind(k) || k == TypeKind::float_ || k == TypeKind::double_ || k == TypeKind::numeric;
}

// A decimal number literal as SQLite reads one: [+-] digits [. digits] [e [+-] digits].
bool is_number_literal(std::string_view s) {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
    }
    if (digits == 0) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        std::size_t exp = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp;
        if (exp == 0) return false;
    }
    return i == s.size();
}

bool is_current_keyword(std::string_view s) {
    return sqlite_same_name(s, "CURRENT_TIMESTAMP") || sqlite_same_name(s, "CURRENT_DATE") ||
           sqlite_same_name(s, "CURRENT_TIME");
}

// Number of UTF-8 code points: VARCHAR lengths count characters.
int utf8_length(std::string_view s) {
    int n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

Capabilities make_capabilities() {
    int v = sqlite3_libversion_number();
    Capabilities c;
    c.transactional_ddl = true;
    c.alter_column = false;  // every other change is a table rebuild
    c.add_column = true;
    c.drop_column = v >= 3035000;
    c.rename_column = v >= 3025000;
    c.alter_constraints = false;
    c.check_constraints = true;
    c.returning = v >= 3035000;
    c.native_boolean = false;
    c.native_uuid = false;
    c.native_json = false;
    c.native_enum = false;
    c.column_comments = false;
    c.named_primary_key = true;  // kept in the CREATE TABLE text
    c.fk_needs_index = false;
    c.partial_indexes = true;  // CREATE INDEX ... WHERE since 3.8.0
    c.max_bind_parameters = 32766;  // SQLITE_MAX_VARIABLE_NUMBER since 3.32
    c.max_identifier_length = 0;    // names of any length are kept whole
    return c;
}

}  // namespace

const Capabilities& SqliteDialect::capabilities() const noexcept {
    static const Capabilities caps = make_capabilities();
    return caps;
}

namespace {

// The integer kind of a declared type's words; TINYINT and MEDIUMINT keep their size
// (SQLite stores every integer in up to 8 bytes whatever the name).
std::optional<TypeKind> integer_kind_named(const std::string& base) {
    if (base == "INTEGER" || base == "INT" || base == "INT4" || base == "SIGNED" || base == "INT32")
        return TypeKind::integer;
    if (base == "TINYINT") return TypeKind::tiny_integer;
    if (base == "MEDIUMINT") return TypeKind::medium_integer;
    if (base == "SMALLINT" || base == "INT2" || base == "INT16") return TypeKind::small_integer;
    if (base == "BIGINT" || base == "INT8" || base == "INT64" || base == "UNSIGNED BIG INT")
        return TypeKind::big_integer;
    return std::nullopt;
}

}  // namespace

std::string SqliteDialect::render_type(const ColumnType& t) const {
    if (is_integer_kind(t.kind)) {
        static constexpr const char* names[] = {"", "TINYINT", "SMALLINT", "MEDIUMINT", "INTEGER", "BIGINT"};
        std::string name = names[integer_rank(t.kind)];
        return t.is_unsigned ? name + " UNSIGNED" : name;
    }
    switch (t.kind) {
        case TypeKind::boolean: return "BOOLEAN";
        case TypeKind::string: {
            const char* name = t.fixed_length ? "CHAR" : "VARCHAR";
            return t.length ? fmt::format("{}({})", name, *t.length) : std::string(name);
        }
        case TypeKind::text: return "TEXT";
        case TypeKind::float_: return "FLOAT";
        case TypeKind::double_: return "DOUBLE";
        case TypeKind::numeric:
            if (t.precision && t.scale) return fmt::format("NUMERIC({}, {})", *t.precision, *t.scale);
            if (t.precision) return fmt::format("NUMERIC({})", *t.precision);
            return "NUMERIC";
        case TypeKind::date: return "DATE";
        case TypeKind::time: return "TIME";
        case TypeKind::datetime: return t.timezone ? "TIMESTAMP WITH TIME ZONE" : "DATETIME";
        case TypeKind::blob: return "BLOB";
        case TypeKind::json: return "JSON";
        case TypeKind::uuid: return "UUID";
        case TypeKind::enum_: {
            if (t.enum_values.empty()) return "TEXT";
            int longest = 1;
            for (const std::string& v : t.enum_values) longest = std::max(longest, utf8_length(v));
            return fmt::format("VARCHAR({})", longest);
        }
        case TypeKind::other: return t.native;
        default: break;
    }
    return t.native;
}

ColumnType SqliteDialect::parse_type(std::string_view native) const {
    ColumnType t;
    t.native = std::string(native);

    // Base name (words, blanks collapsed, upper case) and up to two numeric arguments.
    std::vector<SqliteToken> tokens = tokenize_sqlite(native);
    std::string base;
    std::vector<int> args;
    bool in_args = false, bad_args = false;
    for (const SqliteToken& tok : tokens) {
        if (tok.is_punct('(')) {
            in_args = true;
        } else if (tok.is_punct(')') || tok.is_punct(',') || tok.is_punct('+')) {
        } else if (in_args && tok.kind == SqliteToken::Kind::number) {
            int v = 0;
            auto [p, ec] = std::from_chars(tok.text.data(), tok.text.data() + tok.text.size(), v);
            if (ec != std::errc{} || p != tok.text.data() + tok.text.size()) bad_args = true;
            args.push_back(v);
        } else if (!in_args && tok.kind == SqliteToken::Kind::word && tok.is("UNSIGNED") && !base.empty()) {
            t.is_unsigned = true;  // "INTEGER UNSIGNED"; a leading one is SQLite's "UNSIGNED BIG INT"
        } else if (!in_args && tok.kind == SqliteToken::Kind::word) {
            if (!base.empty()) base += ' ';
            base += upper(tok.text);
        } else {
            bad_args = true;
        }
    }
    auto kind = [&](TypeKind k) {
        t.kind = k;
        return t;
    };
    if (bad_args) return kind(TypeKind::other);
    // No declared type at all ("CREATE TABLE t (a)"): BLOB affinity, which is what a
    // declared BLOB has too.
    if (base.empty() && args.empty()) return kind(TypeKind::blob);

    if (auto integer = integer_kind_named(base)) return kind(*integer);  // INT(11): display width
    if (t.is_unsigned) return kind(TypeKind::other);  // UNSIGNED on anything but an integer
    if (base == "BOOLEAN" || base == "BOOL") return kind(TypeKind::boolean);
    const bool fixed = base == "CHAR" || base == "CHARACTER" || base == "NCHAR" || base == "NATIVE CHARACTER";
    if (fixed || base == "VARCHAR" || base == "CHARACTER VARYING" || base == "VARYING CHARACTER" ||
        base == "NVARCHAR" || base == "NATIONAL VARYING CHARACTER" || base == "NATIONAL CHARACTER VARYING" ||
        base == "VARCHAR2") {
        if (args.size() > 1) return kind(TypeKind::other);
        if (!args.empty()) t.length = args[0];
        t.fixed_length = fixed;
        return kind(TypeKind::string);
    }
    if (base == "TEXT" || base == "CLOB" || base == "TINYTEXT" || base == "MEDIUMTEXT" || base == "LONGTEXT" ||
        base == "STRING")
        return kind(TypeKind::text);
    if (base == "FLOAT" || base == "FLOAT4") {
        if (!args.empty() && args[0] > 24) return kind(TypeKind::double_);
        return kind(TypeKind::float_);
    }
    if (base == "REAL" || base == "DOUBLE" || base == "DOUBLE PRECISION" || base == "FLOAT8")
        return kind(TypeKind::double_);
    if (base == "NUMERIC" || base == "DECIMAL" || base == "DEC") {
        if (args.size() > 2) return kind(TypeKind::other);
        if (!args.empty()) t.precision = args[0];
        if (args.size() == 2) t.scale = args[1];
        else if (args.size() == 1) t.scale = 0;
        return kind(TypeKind::numeric);
    }
    if (!args.empty() && base != "TIME" && base != "DATETIME" && base != "TIMESTAMP") return kind(TypeKind::other);
    if (base == "DATE") return kind(TypeKind::date);
    if (base == "TIME" || base == "TIME WITHOUT TIME ZONE") return kind(TypeKind::time);
    if (base == "DATETIME" || base == "TIMESTAMP" || base == "TIMESTAMP WITHOUT TIME ZONE")
        return kind(TypeKind::datetime);
    if (base == "TIMESTAMP WITH TIME ZONE" || base == "TIMESTAMPTZ" || base == "DATETIMEOFFSET") {
        t.timezone = true;
        return kind(TypeKind::datetime);
    }
    if (base == "BLOB" || base == "BYTEA" || base == "BINARY" || base == "VARBINARY" || base == "LONGBLOB")
        return kind(TypeKind::blob);
    if (base == "JSON" || base == "JSONB") return kind(TypeKind::json);
    if (base == "UUID" || base == "GUID") return kind(TypeKind::uuid);
    return kind(TypeKind::other);
}

std::string SqliteDialect::canonical_literal(std::string_view text, const ColumnType& type) {
    if (type.kind == TypeKind::boolean) {
        std::string l = lower(text);
        if (l == "1" || l == "true" || l == "t" || l == "yes" || l == "y" || l == "on") return "true";
        if (l == "0" || l == "false" || l == "f" || l == "no" || l == "n" || l == "off") return "false";
        return std::string(text);
    }
    if (is_integer_kind(type.kind)) {
        std::string_view s = text;
        if (!s.empty() && s.front() == '+') s.remove_prefix(1);
        std::int64_t v = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec == std::errc{} && p == s.data() + s.size()) return std::to_string(v);
        return std::string(text);
    }
    if (is_number_kind(type.kind) && !text.empty() && text.front() == '+' && is_number_literal(text))
        return std::string(text.substr(1));
    return std::string(text);
}

std::string SqliteDialect::render_default(const ServerDefault& def, const ColumnType& type) const {
    if (def.kind == ServerDefault::Kind::expression) {
        std::string expr = strip_sqlite_parens(def.text);
        if (is_current_keyword(expr)) return upper(expr);
        return "(" + expr + ")";
    }
    if (type.kind == TypeKind::boolean) {
        std::string c = canonical_literal(def.text, type);
        if (c == "true") return "1";
        if (c == "false") return "0";
        return literal(def.text);
    }
    if (is_number_kind(type.kind) && is_number_literal(def.text)) return def.text;
    return literal(def.text);
}

std::optional<ServerDefault> SqliteDialect::parse_default(std::string_view stored, const ColumnType& type) const {
    std::string text = strip_sqlite_parens(stored);
    if (text.empty()) return std::nullopt;
    std::vector<SqliteToken> t = tokenize_sqlite(text);
    if (t.size() == 1) {
        const SqliteToken& tok = t[0];
        if (tok.kind == SqliteToken::Kind::string) return ServerDefault::literal(canonical_literal(tok.value(), type));
        if (tok.kind == SqliteToken::Kind::number) return ServerDefault::literal(canonical_literal(tok.text, type));
        if (tok.is("NULL")) return std::nullopt;
        if (tok.is("TRUE") || tok.is("FALSE"))
            return ServerDefault::literal(canonical_literal(tok.is("TRUE") ? "1" : "0", type));
        if (is_current_keyword(tok.text)) return ServerDefault::expression(upper(tok.text));
    }
    if (t.size() == 2 && (t[0].is_punct('-') || t[0].is_punct('+')) && t[1].kind == SqliteToken::Kind::number &&
        t[1].offset == 1)
        return ServerDefault::literal(canonical_literal(text, type));
    return ServerDefault::expression(text);
}

bool SqliteDialect::is_autoincrement_key(const Table& table, const Column& column) {
    return column.autoincrement && is_integer_kind(column.type.kind) && table.primary_key.columns.size() == 1 &&
           table.primary_key.columns[0] == column.name;
}

namespace {

bool option_is_true(const DialectOptions& options, std::string_view key) {
    auto it = options.values.find(std::string(key));
    return it != options.values.end() && it->second == "true";
}

}  // namespace

namespace {

// A STRICT table accepts only INT, INTEGER, REAL, TEXT, BLOB and ANY: the spelling with
// the same storage for each portable type (NUMERIC keeps exact decimal text as ANY).
std::string strict_type(const SqliteDialect& d, const ColumnType& t) {
    switch (t.kind) {
        case TypeKind::integer:
        case TypeKind::tiny_integer:
        case TypeKind::medium_integer:
        case TypeKind::small_integer:
        case TypeKind::big_integer:
        case TypeKind::boolean: return "INTEGER";
        case TypeKind::float_:
        case TypeKind::double_: return "REAL";
        case TypeKind::blob: return "BLOB";
        case TypeKind::numeric: return "ANY";
        case TypeKind::other: return d.render_type(t);
        default: return "TEXT";
    }
}

}  // namespace

std::string SqliteDialect::render_column(const Table& table, const Column& column) const {
    bool autoinc = is_autoincrement_key(table, column);
    std::string type = autoinc                                     ? std::string("INTEGER")
                       : option_is_true(table.options, kStrictOption) ? strict_type(*this, column.type)
                                                                   : render_type(column.type);
    std::string out = quote(column.name) + " " + type;
    if (!column.nullable || table.is_primary_key(column.name)) out += " NOT NULL";
    if (auto generated = column.options.values.find(std::string(kGeneratedOption));
        generated != column.options.values.end()) {
        return out + " GENERATED ALWAYS AS (" + generated->second + ")" +
               (option_is_true(column.options, kGeneratedStoredOption) ? " STORED" : " VIRTUAL");
    }
    if (autoinc) {
        if (!table.primary_key.name.empty()) out += " CONSTRAINT " + quote(table.primary_key.name);
        out += " PRIMARY KEY AUTOINCREMENT";
    }
    if (column.server_default) out += " DEFAULT " + render_default(*column.server_default, column.type);
    // SQLite keeps UNSIGNED in the declared type but does not enforce it: the check does.
    if (column.type.is_unsigned && is_integer_kind(column.type.kind) && !autoinc)
        out += " CHECK (" + quote(column.name) + " >= 0)";
    if (column.type.kind == TypeKind::enum_ && !column.type.enum_values.empty()) {
        out += " CHECK (" + quote(column.name) + " IN (";
        for (std::size_t i = 0; i < column.type.enum_values.size(); ++i) {
            if (i) out += ", ";
            out += literal(column.type.enum_values[i]);
        }
        out += "))";
    }
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

std::string constraint_prefix(const Dialect& d, const std::string& name) {
    return name.empty() ? std::string() : "CONSTRAINT " + d.quote(name) + " ";
}

}  // namespace

std::vector<std::string> SqliteDialect::render_create_table(const Table& table, bool include_foreign_keys) const {
    std::vector<std::string> lines;
    bool key_on_column = false;
    for (const Column& c : table.columns) {
        lines.push_back(render_column(table, c));
        key_on_column = key_on_column || is_autoincrement_key(table, c);
    }
    if (!table.primary_key.columns.empty() && !key_on_column)
        lines.push_back(constraint_prefix(*this, table.primary_key.name) + "PRIMARY KEY (" +
                        join_quoted(*this, table.primary_key.columns) + ")");
    for (const UniqueConstraint& u : table.uniques)
        lines.push_back(constraint_prefix(*this, u.name) + "UNIQUE (" + join_quoted(*this, u.columns) + ")");
    for (const CheckConstraint& ck : table.checks)
        lines.push_back(constraint_prefix(*this, ck.name) + "CHECK (" + ck.expression + ")");
    if (include_foreign_keys)
        for (const ForeignKey& fk : table.foreign_keys) lines.push_back(render_foreign_key_clause(fk));

    std::string create = "CREATE TABLE " + quote(table.name) + " (\n";
    for (std::size_t i = 0; i < lines.size(); ++i) create += "    " + lines[i] + (i + 1 < lines.size() ? ",\n" : "\n");
    create += ")";
    if (option_is_true(table.options, kStrictOption)) create += " STRICT";
    if (option_is_true(table.options, kWithoutRowidOption))
        create += option_is_true(table.options, kStrictOption) ? ", WITHOUT ROWID" : " WITHOUT ROWID";
    std::vector<std::string> out{create};
    for (const Index& ix : table.indexes) out.push_back(render_create_index(table, ix));
    return out;
}

Table SqliteDialect::normalize(const Table& table) const {
    Table out = table;
    out.comment.clear();
    for (Column& c : out.columns) {
        bool autoinc = is_autoincrement_key(out, c);
        if (autoinc) {
            c.type = parse_type("INTEGER");
        } else if (c.type.kind == TypeKind::enum_ && !c.type.enum_values.empty()) {
            c.type.native = render_type(c.type);  // reflection recovers the enum from its CHECK
        } else {
            c.type = parse_type(render_type(c.type));
        }
        c.autoincrement = autoinc;
        if (out.is_primary_key(c.name)) c.nullable = false;
        if (c.server_default) c.server_default = parse_default(render_default(*c.server_default, c.type), c.type);
        c.comment.clear();
    }
    for (CheckConstraint& ck : out.checks) ck.expression = strip_sqlite_parens(ck.expression);
    for (Index& ix : out.indexes) {
        // SQLite keeps the CREATE INDEX text as written: expression keys and predicates
        // compare in sqlite_canonical_expression()'s spelling.
        for (std::string& key : ix.columns)
            if (!out.find_column(key)) key = sqlite_canonical_expression(key);
        if (!ix.where.empty()) ix.where = sqlite_canonical_expression(ix.where);
        detail::normalize_index_options(ix, capabilities());
    }
    apply_naming_convention(out);
    return out;
}

// Defined here so that every translation unit shares one instance (engine.cpp uses it).
const Dialect& sqlite_dialect() {
    static const SqliteDialect instance;
    return instance;
}

}  // namespace strata
