#include "dialects/mysql/mysql_options.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

#include "core/error.hpp"
#include "dialects/mysql/mysql_expression.hpp"

namespace strata::mysql_detail {

namespace {

constexpr std::string_view kDefaultEngine = "InnoDB";
constexpr std::string_view kDefaultCharset = "utf8mb4";
// InnoDB's default ROW_FORMAT since MySQL 5.7.9 and MariaDB 10.2.2
// (innodb_default_row_format); an unset ROW_FORMAT of an InnoDB table is taken as it.
constexpr std::string_view kInnodbDefaultRowFormat = "DYNAMIC";

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string trimmed(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return std::string(s.substr(b, e - b));
}

std::string value_of(const DialectOptions& options, const char* key) {
    auto it = options.values.find(key);
    return it == options.values.end() ? std::string() : trimmed(it->second);
}

void set_or_erase(DialectOptions& options, const char* key, const std::string& value) {
    if (value.empty())
        options.values.erase(key);
    else
        options.values[key] = value;
}

// Option values are written into DDL as they are: only plain names are accepted.
const std::string& checked_name(const std::string& value, const std::string& owner, const char* key) {
    bool plain = !value.empty() &&
                 std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
    if (!plain)
        throw Error(ErrorKind::input, fmt::format("{}: option {} = '{}' is not a name (letters, digits and _ only); "
                                                  "write the name MySQL knows, e.g. utf8mb4_bin or InnoDB",
                                                  owner, key, value));
    return value;
}

struct TableCharset {
    std::string charset;
    std::string collation;  // "" when unset: the charset's default, which depends on the server
};

TableCharset table_charset(const DialectOptions& options) {
    TableCharset out;
    out.collation = canonical_collation(value_of(options, kCollationOption));
    out.charset = canonical_charset(value_of(options, kCharsetOption));
    if (out.charset.empty())
        out.charset = out.collation.empty() ? std::string(kDefaultCharset) : charset_of_collation(out.collation);
    return out;
}

std::string engine_of(const DialectOptions& options) {
    std::string engine = value_of(options, kEngineOption);
    return engine.empty() ? std::string(kDefaultEngine) : engine;
}

// Upper case; "" when unset or DEFAULT.
std::string explicit_row_format(const DialectOptions& options) {
    std::string format = upper(value_of(options, kRowFormatOption));
    return format == "DEFAULT" ? std::string() : format;
}

// Two unset formats are each engine's default; an unset one matches an explicit
// DYNAMIC on InnoDB.
bool row_formats_differ(const DialectOptions& a, const DialectOptions& b) {
    std::string x = explicit_row_format(a), y = explicit_row_format(b);
    if (x.empty() == y.empty()) return x != y;
    const DialectOptions& unset = x.empty() ? a : b;
    return lower(engine_of(unset)) != "innodb" || (x.empty() ? y : x) != kInnodbDefaultRowFormat;
}

// The charset and collation a column has in effect in `table`; collation "" when it
// is a charset default that depends on the server. `other` supplies the collation of
// a table that leaves it unset, when both tables have one charset.
TableCharset column_charset(const Table& table, const Column& column, const Table& other) {
    TableCharset t = table_charset(table.options);
    if (t.collation.empty()) {
        TableCharset o = table_charset(other.options);
        if (o.charset == t.charset) t.collation = o.collation;
    }
    TableCharset c;
    c.collation = canonical_collation(value_of(column.options, kCollationOption));
    c.charset = canonical_charset(value_of(column.options, kCharsetOption));
    if (c.charset.empty()) c.charset = c.collation.empty() ? t.charset : charset_of_collation(c.collation);
    if (c.collation.empty() && c.charset == t.charset) c.collation = t.collation;
    return c;
}


}  // namespace

std::string canonical_charset(std::string_view name) {
    std::string out = lower(trimmed(name));
    return out == "utf8" ? "utf8mb3" : out;
}

std::string canonical_collation(std::string_view name) {
    std::string out = lower(trimmed(name));
    return out.rfind("utf8_", 0) == 0 ? "utf8mb3" + out.substr(4) : out;
}

std::string charset_of_collation(std::string_view collation) {
    std::string c = canonical_collation(collation);
    return c.substr(0, c.find('_'));
}

bool has_charset(const ColumnType& type) {
    switch (type.kind) {
        case TypeKind::string:
        case TypeKind::text:
        case TypeKind::enum_:
            return true;
        case TypeKind::other: {
            // SET, and spellings strata has no portable name for (NCHAR, NATIONAL VARCHAR).
            std::string spelling = lower(trimmed(type.native));
            std::string name = spelling.substr(0, spelling.find_first_of("( "));
            return name == "set" || name == "enum" || spelling.find("char") != std::string::npos ||
                   spelling.find("text") != std::string::npos;
        }
        default:
            return false;
    }
}

int fractional_digits(const ColumnType& type) {
    if (type.kind == TypeKind::datetime || type.kind == TypeKind::time) return type.precision.value_or(6);
    auto open = type.native.find('(');
    if (open == std::string::npos) return 0;
    int digits = 0;
    std::from_chars(type.native.data() + open + 1, type.native.data() + type.native.size(), digits);
    return digits;
}

std::string canonical_on_update(std::string_view text) {
    std::string canonical = canonicalize(text).text;
    return canonical.rfind("CURRENT_TIMESTAMP(", 0) == 0 ? "CURRENT_TIMESTAMP" : canonical;
}

void canonicalize_options(Table& table) {
    DialectOptions& t = table.options;
    for (const char* key : {kEngineOption, kCharsetOption, kCollationOption, kRowFormatOption})
        set_or_erase(t, key, value_of(t, key));
    if (t.values.count(kCharsetOption)) t.values[kCharsetOption] = canonical_charset(t.values[kCharsetOption]);
    if (t.values.count(kCollationOption)) t.values[kCollationOption] = canonical_collation(t.values[kCollationOption]);
    set_or_erase(t, kRowFormatOption, explicit_row_format(t));

    const TableCharset table_cs = table_charset(t);
    for (Column& column : table.columns) {
        DialectOptions& c = column.options;
        std::string collation = canonical_collation(value_of(c, kCollationOption));
        std::string charset = canonical_charset(value_of(c, kCharsetOption));
        if (charset.empty() && !collation.empty()) charset = charset_of_collation(collation);
        if (!collation.empty() && collation == table_cs.collation) collation.clear();
        if (charset == table_cs.charset) charset.clear();
        set_or_erase(c, kCollationOption, collation);
        set_or_erase(c, kCharsetOption, charset);
        if (c.values.count(kOnUpdateOption)) c.values[kOnUpdateOption] = canonical_on_update(c.values[kOnUpdateOption]);
    }
}

bool table_options_differ(const DialectOptions& a, const DialectOptions& b) {
    if (lower(engine_of(a)) != lower(engine_of(b))) return true;
    TableCharset x = table_charset(a), y = table_charset(b);
    if (x.charset != y.charset) return true;
    if (!x.collation.empty() && !y.collation.empty() && x.collation != y.collation) return true;
    return row_formats_differ(a, b);
}

bool column_options_differ(const Table& a_table, const Column& a, const Table& b_table, const Column& b) {
    if (value_of(a.options, kOnUpdateOption) != value_of(b.options, kOnUpdateOption)) return true;
    if (!has_charset(a.type) || !has_charset(b.type)) return false;
    TableCharset x = column_charset(a_table, a, b_table), y = column_charset(b_table, b, a_table);
    if (x.charset != y.charset) return true;
    return !x.collation.empty() && !y.collation.empty() && x.collation != y.collation;
}

Column pinned_column(const Table& table, const Column& column, const Table& other) {
    TableCharset mine = table_charset(table.options), theirs = table_charset(other.options);
    const bool same_defaults = mine.charset == theirs.charset && (mine.collation.empty() || theirs.collation.empty() ||
                                                                  mine.collation == theirs.collation);
    if (same_defaults || !has_charset(column.type)) return column;
    Column out = column;
    TableCharset in_effect = column_charset(table, column, other);
    set_or_erase(out.options, kCharsetOption, in_effect.charset);
    set_or_erase(out.options, kCollationOption, in_effect.collation);
    return out;
}

std::string column_charset_clause(const Table& table, const Column& column) {
    std::string collation = canonical_collation(value_of(column.options, kCollationOption));
    std::string charset = canonical_charset(value_of(column.options, kCharsetOption));
    if (collation.empty() && charset.empty()) return {};
    const std::string owner = fmt::format("column {}.{}", table.name, column.name);
    if (!has_charset(column.type))
        throw Error(ErrorKind::input,
                    fmt::format("{}: {} and {} apply to string, text and enum columns only; "
                                "remove them from this {} column",
                                owner, kCharsetOption, kCollationOption, to_string(column.type.kind)));
    if (!collation.empty()) {
        checked_name(collation, owner, kCollationOption);
        if (!charset.empty() && charset != charset_of_collation(collation))
            throw Error(ErrorKind::input,
                        fmt::format("{}: collation {} does not belong to character set {}; name a {} collation or "
                                    "leave {} out",
                                    owner, collation, charset, charset, kCharsetOption));
        return fmt::format(" CHARACTER SET {} COLLATE {}", charset_of_collation(collation), collation);
    }
    checked_name(charset, owner, kCharsetOption);
    // Its table's charset without a collation: the column follows the table (a bare
    // CHARACTER SET would give it the charset's default collation instead).
    if (charset == table_charset(table.options).charset) return {};
    return " CHARACTER SET " + charset;
}

std::string on_update_clause(const Column& column) {
    std::string value = value_of(column.options, kOnUpdateOption);
    if (value.empty()) return {};
    std::string canonical = canonicalize(value).text;
    if (canonical == "CURRENT_TIMESTAMP" || canonical.rfind("CURRENT_TIMESTAMP(", 0) == 0) {
        // The column's own precision, which MySQL requires and MariaDB applies anyway.
        int digits = fractional_digits(column.type);
        return digits > 0 ? fmt::format(" ON UPDATE CURRENT_TIMESTAMP({})", digits) : " ON UPDATE CURRENT_TIMESTAMP";
    }
    return " ON UPDATE " + canonical;
}

std::string table_options_clause(const std::string& table, const DialectOptions& options) {
    const std::string owner = "table " + table;
    TableCharset cs = table_charset(options);
    std::string out =
        fmt::format("ENGINE={} DEFAULT CHARSET={}", checked_name(engine_of(options), owner, kEngineOption),
                    checked_name(cs.charset, owner, kCharsetOption));
    if (!cs.collation.empty()) {
        checked_name(cs.collation, owner, kCollationOption);
        if (charset_of_collation(cs.collation) != cs.charset)
            throw Error(ErrorKind::input, fmt::format("{}: collation {} does not belong to character set {}", owner,
                                                      cs.collation, cs.charset));
        out += " COLLATE=" + cs.collation;
    }
    std::string format = explicit_row_format(options);
    if (!format.empty()) out += " ROW_FORMAT=" + checked_name(format, owner, kRowFormatOption);
    return out;
}

std::string alter_table_options_clause(const std::string& table, const DialectOptions& from, const DialectOptions& to) {
    const std::string owner = "table " + table;
    std::vector<std::string> clauses;
    if (lower(engine_of(from)) != lower(engine_of(to)))
        clauses.push_back("ENGINE=" + checked_name(engine_of(to), owner, kEngineOption));
    TableCharset x = table_charset(from), y = table_charset(to);
    if (x.charset != y.charset || (!y.collation.empty() && x.collation != y.collation)) {
        std::string clause = "DEFAULT CHARSET=" + checked_name(y.charset, owner, kCharsetOption);
        if (!y.collation.empty()) clause += " COLLATE=" + checked_name(y.collation, owner, kCollationOption);
        clauses.push_back(std::move(clause));
    }
    if (row_formats_differ(from, to)) {
        std::string format = explicit_row_format(to);
        clauses.push_back("ROW_FORMAT=" +
                          (format.empty() ? std::string("DEFAULT") : checked_name(format, owner, kRowFormatOption)));
    }
    std::string out;
    for (const std::string& c : clauses) out += (out.empty() ? "" : ", ") + c;
    return out;
}

}  // namespace strata::mysql_detail
