#include "dialects/mysql/mysql_dialect.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "core/error.hpp"
#include "dialects/detail/index_sql.hpp"
#include "dialects/mysql/mysql_expression.hpp"
#include "dialects/mysql/mysql_options.hpp"
#include "dialects/statement.hpp"

namespace strata {

namespace {

using mysql_detail::CanonicalExpression;
using mysql_detail::canonicalize_options;
using mysql_detail::column_charset_clause;
using mysql_detail::on_update_clause;
using mysql_detail::table_options_clause;

std::string trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return std::string(s.substr(b, e - b));
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// A type spelling with case folded outside quotes, whitespace collapsed and no blank
// before '(' or around ',': "INT(10)  UNSIGNED" -> "int(10) unsigned". Used as the
// native text of `other` types so that declared and reflected spellings compare equal.
std::string fold_spelling(std::string_view s) {
    std::string out;
    char quote = 0;
    bool space = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (quote) {
            out += c;
            if (c == '\\' && i + 1 < s.size()) {
                out += s[++i];
            } else if (c == quote) {
                if (i + 1 < s.size() && s[i + 1] == quote) {
                    out += s[++i];
                } else {
                    quote = 0;
                }
            }
            continue;
        }
        if (std::isspace(static_cast<unsigned char>(c))) {
            space = true;
            continue;
        }
        if (space && !out.empty() && c != '(' && c != ')' && c != ',' && out.back() != '(' && out.back() != ',')
            out += ' ';
        space = false;
        if (c == '\'' || c == '"') quote = c;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string join_quoted(const Dialect& d, const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i) out += ", ";
        out += d.quote(names[i]);
    }
    return out;
}

// String literal for DDL: ' doubled, \ doubled, NUL as \0 (backslash escapes are on).
std::string sql_string(std::string_view s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += "''";
        else if (c == '\\') out += "\\\\";
        else if (c == '\0') out += "\\0";
        else out += c;
    }
    return out + "'";
}

bool is_integer_text(std::string_view s) {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i == s.size()) return false;
    for (; i < s.size(); ++i)
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
}

// [+-]digits[.digits] or [+-].digits (no exponent).
bool is_decimal_text(std::string_view s) {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
    }
    return digits > 0 && i == s.size();
}

std::optional<double> parse_double(std::string_view s) {
    std::string t = trim(s);
    std::string_view v = t;
    if (!v.empty() && v[0] == '+') v.remove_prefix(1);
    if (v.empty()) return std::nullopt;
    double d = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
    if (ec != std::errc{} || ptr != v.data() + v.size() || !std::isfinite(d)) return std::nullopt;
    return d;
}

bool is_number_text(std::string_view s) { return parse_double(s).has_value(); }

// Plain decimal integer text without sign noise or leading zeros ("+007" -> "7").
std::string canonical_integer(std::string_view s) {
    bool negative = s[0] == '-';
    std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    while (i + 1 < s.size() && s[i] == '0') ++i;
    std::string digits(s.substr(i));
    if (digits == "0") return "0";
    return negative ? "-" + digits : digits;
}

// Decimal text rounded (half away from zero, as the server does) to exactly `scale`
// fractional digits: "1.5" -> "1.50", "-1.2346" (scale 3) -> "-1.235".
std::string decimal_with_scale(std::string_view s, int scale) {
    bool negative = s[0] == '-';
    std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    std::string_view body = s.substr(i);
    auto dot = body.find('.');
    std::string int_part(body.substr(0, dot));
    std::string frac(dot == std::string_view::npos ? std::string_view{} : body.substr(dot + 1));
    if (int_part.empty()) int_part = "0";
    bool round_up = static_cast<int>(frac.size()) > scale && frac[static_cast<std::size_t>(scale)] >= '5';
    frac.resize(static_cast<std::size_t>(scale), '0');
    std::string digits = int_part + frac;
    if (round_up) {
        int k = static_cast<int>(digits.size()) - 1;
        while (k >= 0 && digits[static_cast<std::size_t>(k)] == '9') digits[static_cast<std::size_t>(k--)] = '0';
        if (k < 0) digits.insert(digits.begin(), '1');
        else ++digits[static_cast<std::size_t>(k)];
    }
    std::size_t int_len = digits.size() - static_cast<std::size_t>(scale);
    std::string ip = digits.substr(0, int_len);
    std::size_t nz = 0;
    while (nz + 1 < ip.size() && ip[nz] == '0') ++nz;
    ip = ip.substr(nz);
    std::string out = ip;
    if (scale > 0) out += "." + digits.substr(int_len);
    bool zero = out.find_first_not_of("0.") == std::string::npos;
    return (negative && !zero) ? "-" + out : out;
}

struct ParsedSpelling {
    std::string name;                 // "int", "double", "varchar", "enum", ...
    std::vector<std::string> args;    // raw argument texts inside the parentheses
    bool has_args = false;
    bool is_unsigned = false;
    std::string rest;                 // words after the arguments (lower case)
};

// Reads "name[(args)] [modifiers]" from a folded spelling. Enum/set arguments are
// quoted strings and are split respecting quotes.
ParsedSpelling read_spelling(const std::string& folded) {
    ParsedSpelling p;
    std::size_t i = 0;
    while (i < folded.size() && (std::isalnum(static_cast<unsigned char>(folded[i])) || folded[i] == '_')) ++i;
    p.name = folded.substr(0, i);
    // Two-word names.
    for (const char* two : {"double precision", "character varying", "long varchar", "long varbinary"}) {
        std::string_view tv(two);
        if (folded.compare(0, tv.size(), tv) == 0 &&
            (folded.size() == tv.size() || !std::isalnum(static_cast<unsigned char>(folded[tv.size()])))) {
            p.name = std::string(tv);
            i = tv.size();
        }
    }
    if (i < folded.size() && folded[i] == '(') {
        p.has_args = true;
        ++i;
        std::string cur;
        char quote = 0;
        for (; i < folded.size(); ++i) {
            char c = folded[i];
            if (quote) {
                cur += c;
                if (c == '\\' && i + 1 < folded.size()) {
                    cur += folded[++i];
                } else if (c == quote) {
                    if (i + 1 < folded.size() && folded[i + 1] == quote) {
                        cur += folded[++i];
                    } else {
                        quote = 0;
                    }
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                cur += c;
            } else if (c == ',') {
                p.args.push_back(trim(cur));
                cur.clear();
            } else if (c == ')') {
                p.args.push_back(trim(cur));
                ++i;
                break;
            } else {
                cur += c;
            }
        }
    }
    p.rest = trim(folded.substr(std::min(i, folded.size())));
    p.is_unsigned = p.rest.find("unsigned") != std::string::npos;
    return p;
}

std::optional<int> int_arg(const ParsedSpelling& p, std::size_t i) {
    if (i >= p.args.size()) return std::nullopt;
    int v = 0;
    const std::string& a = p.args[i];
    auto [ptr, ec] = std::from_chars(a.data(), a.data() + a.size(), v);
    if (ec != std::errc{} || ptr != a.data() + a.size()) return std::nullopt;
    return v;
}

const char* column_kind_label(const ColumnType& t) {
    switch (t.kind) {
        case TypeKind::text: return "text (LONGTEXT)";
        case TypeKind::blob: return "blob (LONGBLOB)";
        case TypeKind::json: return "json (LONGTEXT)";
        default: return "unbounded";
    }
}

// Throws when a key covers a column MySQL can only index by prefix.
void check_indexable(const Table& table, const std::vector<std::string>& columns, std::string_view what,
                     std::string_view key_name) {
    for (const std::string& name : columns) {
        const Column* c = table.find_column(name);
        if (!c && name.find('(') != std::string::npos)
            throw Error(ErrorKind::unsupported,
                        fmt::format("{} {} of table {} has the expression key '{}', which strata cannot index on "
                                    "MySQL/MariaDB; index a generated column instead, or write the index with "
                                    "op = \"sql\"",
                                    what, key_name.empty() ? std::string_view("(unnamed)") : key_name, table.name,
                                    name));
        if (c && MysqlDialect::needs_prefix_to_index(c->type)) {
            throw Error(ErrorKind::unsupported,
                        fmt::format("{} {} of table {} covers column {} of type {}, which MySQL/MariaDB can index "
                                    "only with a prefix length; declare the column as string(n) (VARCHAR) or leave "
                                    "it out of the key",
                                    what, key_name.empty() ? std::string_view("(unnamed)") : key_name, table.name,
                                    name, column_kind_label(c->type)));
        }
    }
}

// "INT", "TINYINT UNSIGNED", ...
std::string integer_spelling(const ColumnType& type) {
    const char* name = "BIGINT";
    switch (type.kind) {
        case TypeKind::tiny_integer: name = "TINYINT"; break;
        case TypeKind::small_integer: name = "SMALLINT"; break;
        case TypeKind::medium_integer: name = "MEDIUMINT"; break;
        case TypeKind::integer: name = "INT"; break;
        default: break;
    }
    return type.is_unsigned ? fmt::format("{} UNSIGNED", name) : std::string(name);
}

std::optional<TypeKind> integer_kind_named(const std::string& name) {
    if (name == "tinyint") return TypeKind::tiny_integer;
    if (name == "smallint") return TypeKind::small_integer;
    if (name == "mediumint") return TypeKind::medium_integer;
    if (name == "int" || name == "integer") return TypeKind::integer;
    if (name == "bigint") return TypeKind::big_integer;
    return std::nullopt;
}

// MySQL's TEXT and BLOB size classes by their largest size in bytes; LONG is unbounded
// here (4 GiB), the portable default.
constexpr std::pair<const char*, int> kSizeClasses[] = {{"TINY", 255}, {"", 65535}, {"MEDIUM", 16777215}};

std::string sized_spelling(const char* base, const std::optional<int>& max_bytes) {
    if (max_bytes)
        for (const auto& [prefix, limit] : kSizeClasses)
            if (*max_bytes <= limit) return std::string(prefix) + base;
    return std::string("LONG") + base;
}

// For "tinytext".."longtext" (family "text") or the blob family: whether `name` is of the
// family, and the class's size (std::nullopt for LONG). A struct rather than a nested
// optional, which g++ 12 misreads as maybe-uninitialized at -O2.
struct SizeClass {
    bool of_family = false;
    std::optional<int> max_bytes;
};

SizeClass size_class(const std::string& name, std::string_view family) {
    if (name.size() < family.size() || name.compare(name.size() - family.size(), family.size(), family) != 0)
        return {};
    std::string prefix = name.substr(0, name.size() - family.size());
    if (prefix == "long") return {true, std::nullopt};
    for (const auto& [p, limit] : kSizeClasses)
        if (prefix == lower(p)) return {true, limit};
    return {};
}

// "DATETIME(6)" for the default precision (unset = 6), "DATETIME" for 0.
std::string fractional_spelling(const char* base, const std::optional<int>& precision) {
    int p = precision.value_or(6);
    return p == 0 ? std::string(base) : fmt::format("{}({})", base, p);
}

// TIMESTAMP has no portable kind (its values follow the session time zone, unlike
// DATETIME): it is carried as kind other. Its defaults are read like a datetime's.
bool is_timestamp(const ColumnType& type) {
    return type.kind == TypeKind::other && fold_spelling(type.native).rfind("timestamp", 0) == 0;
}

const ColumnType& temporal_view(const ColumnType& type) {
    static const ColumnType datetime = types::datetime();
    return is_timestamp(type) ? datetime : type;
}

// The index InnoDB adds for a foreign key without a usable index is named after the
// constraint (or its first column when unnamed) and covers exactly the FK columns.
bool is_implicit_fk_index(const Index& index, const std::vector<ForeignKey>& fks) {
    if (index.unique) return false;
    for (const ForeignKey& fk : fks) {
        if (fk.columns == index.columns && !fk.columns.empty() &&
            (index.name == fk.name || index.name == fk.columns.front()))
            return true;
    }
    return false;
}

}  // namespace

// ---- capabilities, quoting, literals ----------------------------------------------------

const Capabilities& MysqlDialect::capabilities() const noexcept {
    static const Capabilities caps = [] {
        Capabilities c;
        c.transactional_ddl = false;  // every DDL statement commits implicitly
        c.alter_column = true;        // MODIFY COLUMN
        c.add_column = true;
        c.drop_column = true;
        c.rename_column = true;       // RENAME COLUMN (MariaDB 10.5, MySQL 8.0)
        c.alter_constraints = true;
        c.check_constraints = true;   // enforced by MariaDB 10.2 and MySQL 8.0.16
        c.returning = false;          // last_insert_id() gives generated keys
        c.native_boolean = false;     // TINYINT(1)
        c.native_uuid = true;         // MariaDB 10.7
        c.native_json = false;        // LONGTEXT + CHECK (json_valid()) on MariaDB
        c.native_enum = true;
        c.column_comments = true;
        c.named_primary_key = false;  // always PRIMARY
        c.fk_needs_index = true;
        c.max_bind_parameters = 65535;
        c.max_identifier_length = 64;
        return c;
    }();
    return caps;
}

std::string MysqlDialect::quote(std::string_view identifier) const {
    std::string out;
    out.reserve(identifier.size() + 2);
    out += '`';
    for (char c : identifier) {
        if (c == '`') out += '`';
        out += c;
    }
    out += '`';
    return out;
}

std::string MysqlDialect::literal(const Value& value) const {
    if (const auto* b = std::get_if<bool>(&value)) return *b ? "1" : "0";
    if (const auto* s = std::get_if<std::string>(&value)) return sql_string(*s);
    return Dialect::literal(value);
}

// ---- types ------------------------------------------------------------------------------

std::string MysqlDialect::render_type(const ColumnType& type) const {
    if (is_integer_kind(type.kind)) return integer_spelling(type);
    switch (type.kind) {
        case TypeKind::boolean: return "TINYINT(1)";
        case TypeKind::string:
            if (!type.length || *type.length < 0)
                throw Error(ErrorKind::input,
                            "a string column needs a length on MySQL/MariaDB (VARCHAR(n)): declare string(n), or "
                            "text for unbounded text");
            return fmt::format("{}({})", type.fixed_length ? "CHAR" : "VARCHAR", *type.length);
        case TypeKind::text: return sized_spelling("TEXT", type.length);
        case TypeKind::float_: return "FLOAT";
        case TypeKind::double_: return "DOUBLE";
        case TypeKind::numeric: {
            int p = type.precision.value_or(10);
            int s = type.scale.value_or(0);
            if (p <= 0 || s < 0 || s > p)
                throw Error(ErrorKind::input,
                            fmt::format("numeric({},{}) is not a valid DECIMAL: precision must be positive and scale "
                                        "between 0 and the precision",
                                        p, s));
            return fmt::format("DECIMAL({},{})", p, s);
        }
        case TypeKind::date: return "DATE";
        case TypeKind::time: return fractional_spelling("TIME", type.precision);
        case TypeKind::datetime: return fractional_spelling("DATETIME", type.precision);
        case TypeKind::blob: return sized_spelling("BLOB", type.length);
        case TypeKind::json: return "JSON";
        case TypeKind::uuid: return "UUID";
        case TypeKind::enum_: {
            if (type.enum_values.empty())
                throw Error(ErrorKind::input, "an enum column needs at least one value (ENUM('a', ...))");
            std::string out = "ENUM(";
            for (std::size_t i = 0; i < type.enum_values.size(); ++i) {
                if (i) out += ',';
                out += sql_string(type.enum_values[i]);
            }
            return out + ")";
        }
        case TypeKind::other:
            if (trim(type.native).empty())
                throw Error(ErrorKind::input, "a column of type 'other' needs its native MySQL type spelling");
            return type.native;
        default:
            break;
    }
    return type.native;
}

ColumnType MysqlDialect::parse_type(std::string_view native) const {
    std::string original = trim(native);
    std::string folded = fold_spelling(original);
    ParsedSpelling p = read_spelling(folded);
    ColumnType t;
    t.native = original;
    const std::string& n = p.name;
    auto set = [&](TypeKind kind) {
        t.kind = kind;
        return t;
    };

    // ZEROFILL, and UNSIGNED on a non-integer type, have no portable form: kept verbatim.
    if (p.rest.find("zerofill") != std::string::npos) {
        t.native = folded;
        return set(TypeKind::other);
    }
    if (n == "tinyint" && int_arg(p, 0) == 1 && !p.is_unsigned) return set(TypeKind::boolean);
    if (n == "bool" || n == "boolean") return set(TypeKind::boolean);
    if (auto kind = integer_kind_named(n)) {
        t.is_unsigned = p.is_unsigned;
        return set(*kind);
    }
    if (p.is_unsigned) {
        t.native = folded;
        return set(TypeKind::other);
    }
    if ((n == "varchar" || n == "character varying") && int_arg(p, 0)) {
        t.length = int_arg(p, 0);
        return set(TypeKind::string);
    }
    if ((n == "char" || n == "character") && (!p.has_args || int_arg(p, 0))) {
        t.length = p.has_args ? int_arg(p, 0) : 1;
        t.fixed_length = true;
        return set(TypeKind::string);
    }
    if (SizeClass size = size_class(n, "text"); size.of_family) {
        t.length = size.max_bytes;
        return set(TypeKind::text);
    }
    if (n == "long varchar") return set(TypeKind::text);
    if (n == "float") {
        // FLOAT(p) with p > 24 is a DOUBLE for the server.
        if (p.args.size() == 1 && int_arg(p, 0).value_or(0) > 24) return set(TypeKind::double_);
        return set(TypeKind::float_);
    }
    if (n == "double" || n == "double precision" || n == "real") return set(TypeKind::double_);
    if (n == "decimal" || n == "numeric" || n == "dec" || n == "fixed") {
        t.precision = p.has_args ? int_arg(p, 0).value_or(10) : 10;
        t.scale = int_arg(p, 1).value_or(0);
        return set(TypeKind::numeric);
    }
    if (n == "date" && !p.has_args) return set(TypeKind::date);
    if (n == "time" || n == "datetime") {
        t.precision = int_arg(p, 0).value_or(0);
        return set(n == "time" ? TypeKind::time : TypeKind::datetime);
    }
    if (SizeClass size = size_class(n, "blob"); size.of_family) {
        t.length = size.max_bytes;
        return set(TypeKind::blob);
    }
    if (n == "long varbinary") return set(TypeKind::blob);
    if (n == "json") return set(TypeKind::json);
    if (n == "uuid") return set(TypeKind::uuid);
    if (n == "enum" && !p.args.empty()) {
        for (const std::string& a : p.args) {
            // Values keep their case: decode from the original spelling's quoted text.
            auto v = mysql_detail::decode_string(a);
            if (!v) {
                t.enum_values.clear();
                t.native = folded;
                return set(TypeKind::other);
            }
            t.enum_values.push_back(*v);
        }
        // fold_spelling lower-cased nothing inside quotes, so the values are as written.
        return set(TypeKind::enum_);
    }
    t.native = folded;
    return set(TypeKind::other);
}

bool MysqlDialect::needs_prefix_to_index(const ColumnType& type) {
    switch (type.kind) {
        case TypeKind::text:
        case TypeKind::blob:
        case TypeKind::json:
            return true;
        case TypeKind::other: {
            std::string n = fold_spelling(type.native);
            return n.find("text") != std::string::npos || n.find("blob") != std::string::npos;
        }
        default:
            return false;
    }
}

// ---- defaults -----------------------------------------------------------------------------

std::string MysqlDialect::canonical_literal(std::string_view text, const ColumnType& declared) {
    const ColumnType& type = temporal_view(declared);
    std::string t = trim(text);
    switch (is_integer_kind(type.kind) ? TypeKind::integer : type.kind) {
        case TypeKind::boolean: {
            std::string l = lower(t);
            if (l == "1" || l == "true") return "true";
            if (l == "0" || l == "false") return "false";
            return std::string(text);
        }
        case TypeKind::integer:
            if (is_integer_text(t)) return canonical_integer(t);
            // 1.0 is stored as 1 by an integer column.
            if (is_decimal_text(t) && t.find('.') != std::string::npos &&
                t.find_first_not_of('0', t.find('.') + 1) == std::string::npos) {
                std::string ip = t.substr(0, t.find('.'));
                if (ip.empty() || ip == "-" || ip == "+") ip += "0";
                return canonical_integer(ip);
            }
            return std::string(text);
        case TypeKind::numeric:
            if (is_decimal_text(t)) return decimal_with_scale(t, type.scale.value_or(0));
            return std::string(text);
        case TypeKind::float_: {
            // FLOAT keeps about 6 significant digits and the server prints no more.
            auto d = parse_double(t);
            if (!d) return std::string(text);
            auto rounded = parse_double(fmt::format("{:.5e}", static_cast<double>(static_cast<float>(*d))));
            if (!rounded) return std::string(text);  // beyond FLOAT's range
            return fmt::format("{}", *rounded == 0 ? 0.0 : *rounded);  // no "-0"
        }
        case TypeKind::double_: {
            auto d = parse_double(t);
            if (!d) return std::string(text);
            double v = *d == 0 ? 0.0 : *d;
            return fmt::format("{}", v);
        }
        case TypeKind::date:
            try {
                return to_iso(parse_date(t));
            } catch (const Error&) {
                return std::string(text);
            }
        case TypeKind::time:
            try {
                return to_iso(parse_time(t));
            } catch (const Error&) {
                return std::string(text);
            }
        case TypeKind::datetime:
            try {
                return to_iso(parse_datetime(t));
            } catch (const Error&) {
                return std::string(text);
            }
        case TypeKind::uuid:
            return lower(t);
        default:
            return std::string(text);
    }
}

std::string MysqlDialect::canonical_expression(std::string_view sql) {
    return mysql_detail::canonicalize(sql).text;
}

std::optional<ServerDefault> MysqlDialect::canonical_default(const ServerDefault& def, const ColumnType& type) {
    if (def.kind == ServerDefault::Kind::literal) return ServerDefault::literal(canonical_literal(def.text, type));
    CanonicalExpression c = mysql_detail::canonicalize(def.text);
    // MariaDB stores DEFAULT CURRENT_TIMESTAMP of a DATETIME(6) as current_timestamp(6):
    // the precision that matches the column's is implied.
    if ((type.kind == TypeKind::datetime || is_timestamp(type)) && c.text.rfind("CURRENT_TIMESTAMP(", 0) == 0 &&
        c.text == fmt::format("CURRENT_TIMESTAMP({})", mysql_detail::fractional_digits(type)))
        c.text = "CURRENT_TIMESTAMP";
    switch (c.shape) {
        case CanonicalExpression::Shape::null:
            return std::nullopt;
        case CanonicalExpression::Shape::number:
        case CanonicalExpression::Shape::string:
            return ServerDefault::literal(canonical_literal(c.literal, type));
        case CanonicalExpression::Shape::expression:
            break;
    }
    return ServerDefault::expression(c.text);
}

std::optional<ServerDefault> MysqlDialect::parse_column_default(std::string_view text, const ColumnType& type) {
    std::string t = trim(text);
    if (t.empty()) return std::nullopt;
    return canonical_default(ServerDefault::expression(t), type);
}

std::string MysqlDialect::render_default(const ServerDefault& def, const ColumnType& type) const {
    if (def.kind == ServerDefault::Kind::expression) {
        CanonicalExpression c = mysql_detail::canonicalize(def.text);
        if (c.shape == CanonicalExpression::Shape::null) return "NULL";
        if (c.shape != CanonicalExpression::Shape::expression) return c.text;
        // CURRENT_TIMESTAMP[(n)] is accepted bare; any other expression needs DEFAULT (expr).
        // MySQL 8 refuses a bare CURRENT_TIMESTAMP on a DATETIME(6) ("Invalid default
        // value"): the column's own precision is written, as MariaDB stores it anyway.
        if (c.text == "CURRENT_TIMESTAMP" && (type.kind == TypeKind::datetime || is_timestamp(type))) {
            const int digits = mysql_detail::fractional_digits(type);
            return digits > 0 ? fmt::format("CURRENT_TIMESTAMP({})", digits) : c.text;
        }
        if (c.text == "CURRENT_TIMESTAMP" || c.text.rfind("CURRENT_TIMESTAMP(", 0) == 0) return c.text;
        return "(" + trim(def.text) + ")";
    }
    std::string t = trim(def.text);
    if (is_timestamp(type)) return sql_string(canonical_literal(def.text, type));
    switch (is_integer_kind(type.kind) ? TypeKind::integer : type.kind) {
        case TypeKind::date:
        case TypeKind::time:
        case TypeKind::datetime:
        case TypeKind::uuid:
            // ISO text without a UTC offset, which DATETIME would reject.
            return sql_string(canonical_literal(def.text, type));
        case TypeKind::boolean: {
            std::string l = lower(t);
            if (l == "true" || l == "1") return "1";
            if (l == "false" || l == "0") return "0";
            return is_number_text(t) ? t : sql_string(def.text);
        }
        case TypeKind::integer:
        case TypeKind::float_:
        case TypeKind::double_:
        case TypeKind::numeric:
            return is_number_text(t) ? (t[0] == '+' ? t.substr(1) : t) : sql_string(def.text);
        default:
            return sql_string(def.text);
    }
}

// ---- schema rendering ---------------------------------------------------------------------

std::string MysqlDialect::render_column(const Table& table, const Column& column) const {
    std::string out = quote(column.name) + " " + render_type(column.type) + column_charset_clause(table, column);
    // The reflected options that change what the column is (not only how it is stored):
    // a generation expression, and ON UPDATE.
    const auto& options = column.options.values;
    if (auto generated = options.find("mysql.generated"); generated != options.end()) {
        auto stored = options.find("mysql.generated_stored");
        out += " AS (" + generated->second + ")";
        out += stored != options.end() && stored->second == "true" ? " STORED" : " VIRTUAL";
        // MariaDB refuses NOT NULL and DEFAULT on a generated column.
        if (!column.comment.empty()) out += " COMMENT " + sql_string(column.comment);
        return out;
    }
    if (!column.nullable || table.is_primary_key(column.name)) out += " NOT NULL";
    if (column.server_default) out += " DEFAULT " + render_default(*column.server_default, column.type);
    out += on_update_clause(column);
    if (column.autoincrement) out += " AUTO_INCREMENT";
    if (!column.comment.empty()) out += " COMMENT " + sql_string(column.comment);
    return out;
}

std::vector<std::string> MysqlDialect::render_create_table(const Table& table, bool include_foreign_keys) const {
    std::vector<std::string> lines;
    lines.reserve(table.columns.size() + table.indexes.size() + table.uniques.size() + table.checks.size() +
                  table.foreign_keys.size() + 1);
    for (const Column& c : table.columns) lines.push_back(render_column(table, c));
    if (!table.primary_key.columns.empty()) {
        check_indexable(table, table.primary_key.columns, "primary key", table.primary_key.name);
        lines.push_back("PRIMARY KEY (" + join_quoted(*this, table.primary_key.columns) + ")");
    }
    for (const UniqueConstraint& u : table.uniques) {
        check_indexable(table, u.columns, "unique constraint", u.name);
        std::string head = u.name.empty() ? std::string() : "CONSTRAINT " + quote(u.name) + " ";
        lines.push_back(head + "UNIQUE (" + join_quoted(*this, u.columns) + ")");
    }
    for (const Index& ix : table.indexes) {
        check_indexable(table, ix.columns, "index", ix.name);
        detail::require_index_support(*this, table, ix);
        std::string head = ix.unique ? "UNIQUE INDEX " : "INDEX ";
        if (!ix.name.empty()) head += quote(ix.name) + " ";
        lines.push_back(head + "(" + detail::index_key_list(*this, table, ix) + ")");
    }
    for (const CheckConstraint& ck : table.checks) {
        std::string head = ck.name.empty() ? std::string() : "CONSTRAINT " + quote(ck.name) + " ";
        lines.push_back(head + "CHECK (" + ck.expression + ")");
    }
    if (include_foreign_keys)
        for (const ForeignKey& fk : table.foreign_keys) lines.push_back(render_foreign_key_clause(fk));

    std::string sql = "CREATE TABLE " + quote(table.name) + " (\n";
    for (std::size_t i = 0; i < lines.size(); ++i) sql += "    " + lines[i] + (i + 1 < lines.size() ? ",\n" : "\n");
    sql += ") " + table_options_clause(table.name, table.options);
    if (!table.comment.empty()) sql += " COMMENT=" + sql_string(table.comment);
    return {sql};
}

std::vector<std::string> MysqlDialect::render_drop_table(const Table& table) const {
    return {"DROP TABLE " + quote(table.name)};
}

std::string MysqlDialect::render_create_index(const Table& table, const Index& index) const {
    check_indexable(table, index.columns, "index", index.name);
    return Dialect::render_create_index(table, index);
}

std::string MysqlDialect::render_drop_index(const Table& table, const Index& index) const {
    return "DROP INDEX " + quote(index.name) + " ON " + quote(table.name);
}

std::string MysqlDialect::render_drop_foreign_key(const Table& table, const ForeignKey& fk) const {
    return "ALTER TABLE " + quote(table.name) + " DROP FOREIGN KEY " + quote(fk.name);
}

// ---- normalization ------------------------------------------------------------------------

Table MysqlDialect::normalize(const Table& table) const {
    Table out = table;
    for (Column& c : out.columns) {
        c.type = parse_type(render_type(c.type));
        if (out.is_primary_key(c.name)) c.nullable = false;
        if (c.server_default) c.server_default = canonical_default(*c.server_default, c.type);
    }
    if (!out.primary_key.columns.empty()) out.primary_key.name = naming::primary_key(out.name);
    else out.primary_key.name.clear();

    for (ForeignKey& fk : out.foreign_keys) {
        // InnoDB enforces RESTRICT for NO ACTION and for SET DEFAULT (which MariaDB
        // accepts and ignores), and reports all three as RESTRICT.
        for (FkAction* a : {&fk.on_delete, &fk.on_update})
            if (*a == FkAction::restrict || *a == FkAction::set_default) *a = FkAction::no_action;
    }

    std::vector<Index> indexes;
    for (Index& ix : out.indexes) {
        detail::normalize_index_options(ix, capabilities());
        // A unique index with more than keys (a DESC key; a WHERE or a method, which
        // rendering refuses) stays an index rather than losing them as a constraint.
        if (ix.unique && ix.is_plain()) {
            out.uniques.push_back(UniqueConstraint{ix.name, ix.columns});
        } else if (!is_implicit_fk_index(ix, out.foreign_keys)) {
            indexes.push_back(std::move(ix));
        }
    }
    out.indexes = std::move(indexes);

    for (CheckConstraint& ck : out.checks) ck.expression = canonical_expression(ck.expression);
    canonicalize_options(out);
    return out;
}

bool MysqlDialect::column_options_differ(const Table& a_table, const Column& a, const Table& b_table,
                                         const Column& b) const {
    return mysql_detail::column_options_differ(a_table, a, b_table, b);
}

bool MysqlDialect::table_options_differ(const Table& a, const Table& b) const {
    return mysql_detail::table_options_differ(a.options, b.options);
}

Column MysqlDialect::pin_column_options(const Table& table, const Column& column, const Table& other) const {
    return mysql_detail::pinned_column(table, column, other);
}

// ---- ORM statements -----------------------------------------------------------------------

std::string MysqlDialect::render(const sql::InsertStatement& statement) const {
    if (!statement.columns.empty()) return Dialect::render(statement);
    std::string out = "INSERT INTO " + quote(statement.table) + " () VALUES ";
    for (std::size_t r = 0; r < std::max<std::size_t>(statement.rows, 1); ++r) out += r ? ", ()" : "()";
    if (!statement.returning.empty()) {
        out += " RETURNING ";
        for (std::size_t i = 0; i < statement.returning.size(); ++i) out += (i ? ", " : "") + quote(statement.returning[i]);
    }
    return out;
}

const Dialect& mysql_dialect() {
    static const MysqlDialect dialect;
    return dialect;
}

}  // namespace strata
