#include "migrations/operation_toml.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cmath>
#include <optional>
#include <sstream>
#include <type_traits>

#include "core/error.hpp"
#include "migrations/revision_file.hpp"
#include "orm/schema/column_type.hpp"
#include "orm/schema/table.hpp"

namespace strata::detail {

int line_of(const TomlValue& value) noexcept { return value.line(); }

const char* toml_type_name(const TomlValue& value) noexcept { return type_word(value.type()); }

// ---------------------------------------------------------------------------
// TomlTable

TomlTable::TomlTable(const TomlValue& value, const std::string& file, std::string what)
    : value_(value), file_(file), what_(std::move(what)) {
    if (!value_.is_table()) {
        fail_input(file_, line_of(value_), fmt::format("{} must be a table, not {}", what_, toml_type_name(value_)));
    }
}

bool TomlTable::has(std::string_view key) const { return value_.as_table().find(key) != value_.as_table().end(); }

const TomlValue* TomlTable::find(std::string_view key) const {
    const auto& table = value_.as_table();
    auto it = table.find(key);
    return it == table.end() ? nullptr : &it->second;
}

const TomlValue& TomlTable::required(std::string_view key) const {
    const TomlValue* value = find(key);
    if (!value) fail(fmt::format("missing key '{}' in {}", key, what_));
    return *value;
}

std::string TomlTable::string(std::string_view key) const {
    const TomlValue& value = required(key);
    if (!value.is_string()) wrong_type(key, value, "a string");
    return value.as_string();
}

std::optional<std::string> TomlTable::optional_string(std::string_view key) const {
    const TomlValue* value = find(key);
    if (!value) return std::nullopt;
    if (!value->is_string()) wrong_type(key, *value, "a string");
    return value->as_string();
}

bool TomlTable::boolean(std::string_view key, bool fallback) const {
    const TomlValue* value = find(key);
    if (!value) return fallback;
    if (!value->is_boolean()) wrong_type(key, *value, "a boolean (true or false)");
    return value->as_boolean();
}

std::optional<int> TomlTable::optional_int(std::string_view key, int minimum) const {
    const TomlValue* value = find(key);
    if (!value) return std::nullopt;
    if (!value->is_integer()) wrong_type(key, *value, "an integer");
    auto number = value->as_integer();
    if (number < minimum || number > INT_MAX) {
        fail_at(*value, fmt::format("'{}' in {} must be an integer from {} to {}, not {}", key, what_, minimum, INT_MAX,
                                    number));
    }
    return static_cast<int>(number);
}

std::vector<std::string> TomlTable::string_list(std::string_view key, bool required) const {
    const TomlValue* value = required ? &this->required(key) : find(key);
    std::vector<std::string> out;
    if (!value) return out;
    if (!value->is_array()) wrong_type(key, *value, "an array of strings");
    for (const auto& element : value->as_array()) {
        if (!element.is_string()) {
            fail_at(element, fmt::format("'{}' in {} must be an array of strings; found {}", key, what_,
                                         toml_type_name(element)));
        }
        out.push_back(element.as_string());
    }
    if (required && out.empty()) fail_at(*value, fmt::format("'{}' in {} must not be empty", key, what_));
    return out;
}

std::map<std::string, std::string> TomlTable::string_map(std::string_view key) const {
    std::map<std::string, std::string> out;
    const TomlValue* value = find(key);
    if (!value) return out;
    if (!value->is_table()) wrong_type(key, *value, "a table of strings");
    for (const auto& [name, element] : value->as_table()) {
        if (!element.is_string()) {
            fail_at(element, fmt::format("'{}.{}' in {} must be a string, not {}", key, name, what_,
                                         toml_type_name(element)));
        }
        out.emplace(name, element.as_string());
    }
    return out;
}

void TomlTable::fail(const std::string& message) const { fail_input(file_, line_of(value_), message); }

void TomlTable::fail_at(const TomlValue& at, const std::string& message) const {
    int line = line_of(at);
    fail_input(file_, line > 0 ? line : line_of(value_), message);
}

void TomlTable::wrong_type(std::string_view key, const TomlValue& at, const char* expected) const {
    fail_at(at, fmt::format("'{}' in {} must be {}, not {}", key, what_, expected, toml_type_name(at)));
}

void TomlTable::allow_only(std::string_view valid_keys) const {
    auto listed = [&](std::string_view key) {
        std::size_t at = 0;
        while (at <= valid_keys.size()) {
            std::size_t end = valid_keys.find(", ", at);
            if (end == std::string_view::npos) end = valid_keys.size();
            if (valid_keys.substr(at, end - at) == key) return true;
            at = end + 2;
        }
        return false;
    };
    for (const auto& [key, value] : value_.as_table()) {
        if (!listed(key)) {
            fail_at(value, fmt::format("unknown key '{}' in {} (valid keys: {})", key, what_, valid_keys));
        }
    }
}

// ---------------------------------------------------------------------------
// Values

std::string literal_text(const TomlTable& table, std::string_view key, const TomlValue& value) {
    switch (value.type()) {
    case TomlType::string: return value.as_string();
    case TomlType::integer: return std::to_string(value.as_integer());
    case TomlType::boolean: return value.as_boolean() ? "true" : "false";
    case TomlType::floating: {
        double number = value.as_floating();
        if (!std::isfinite(number)) {
            table.fail_at(value, fmt::format("'{}' in {} must be a finite number", key, table.what()));
        }
        return fmt::format("{}", number);
    }
    default: table.wrong_type(key, value, "a string, integer, float or boolean");
    }
}

namespace {

std::string date_text(const TomlDate& date) { return fmt::format("{:04}-{:02}-{:02}", date.year, date.month, date.day); }

// Fractions in groups of three digits, as few as the value needs.
std::string time_text(const TomlTime& time) {
    std::string out = fmt::format("{:02}:{:02}:{:02}", time.hour, time.minute, time.second);
    const int ns = time.nanosecond;
    if (ns % 1000 != 0) {
        out += fmt::format(".{:09}", ns);
    } else if (ns % 1000000 != 0) {
        out += fmt::format(".{:06}", ns / 1000);
    } else if (ns != 0) {
        out += fmt::format(".{:03}", ns / 1000000);
    }
    return out;
}

}  // namespace

std::optional<std::string> datetime_text(const TomlValue& value) {
    switch (value.type()) {
    case TomlType::local_date: return date_text(value.date());
    case TomlType::local_datetime: return date_text(value.date()) + "T" + time_text(value.time());
    case TomlType::offset_datetime: {
        int minutes = value.offset_minutes();
        std::string offset = "Z";
        if (minutes != 0) {
            int magnitude = std::abs(minutes);
            offset = fmt::format("{}{:02}:{:02}", minutes < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
        }
        return date_text(value.date()) + "T" + time_text(value.time()) + offset;
    }
    default: return std::nullopt;
    }
}

// ---------------------------------------------------------------------------
// Reading

std::string non_empty_string(TomlTable& t, std::string_view key) {
    std::string value = t.string(key);
    if (value.empty()) t.fail_at(*t.find(key), fmt::format("'{}' in {} must not be empty", key, t.what()));
    return value;
}

std::optional<std::string> optional_non_empty(TomlTable& t, std::string_view key) {
    auto value = t.optional_string(key);
    if (value && value->empty()) t.fail_at(*t.find(key), fmt::format("'{}' in {} must not be empty", key, t.what()));
    return value;
}

namespace {

constexpr std::string_view valid_types =
    "integer, small_integer, big_integer, boolean, string, text, float, double, numeric, date, time, datetime, "
    "blob, json, uuid, enum, tiny_integer, medium_integer, other";
constexpr std::string_view column_keys =
    "name, type, length, precision, scale, timezone, unsigned, fixed_length, values, native, type_name, nullable, "
    "default, default_sql, autoincrement, comment, options, primary_key";
constexpr std::string_view valid_ops =
    "create_table, drop_table, rename_table, add_column, drop_column, alter_column, rename_column, create_index, "
    "drop_index, add_unique, drop_unique, add_foreign_key, drop_foreign_key, add_check, drop_check, "
    "validate_constraint, alter_primary_key, alter_table_comment, alter_table_options, create_view, drop_view, replace_view, sql, call, "
    "create_sequence, drop_sequence, alter_sequence, create_domain, drop_domain, alter_domain, create_enum_type, "
    "drop_enum_type, alter_enum_type";
constexpr std::string_view table_keys =
    "op, name, columns, primary_key, primary_key_name, indexes, uniques, foreign_keys, checks, comment, options, "
    "destructive_ok";

// Levenshtein distance, for "did you mean" hints.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// Common spellings from SQL and other tools, to suggest the portable name.
const char* type_suggestion(const std::string& name) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    static const std::pair<const char*, const char*> aliases[] = {
        {"int", "integer"},         {"int4", "integer"},       {"int32", "integer"},
        {"smallint", "small_integer"}, {"int2", "small_integer"}, {"int16", "small_integer"},
        {"bigint", "big_integer"},  {"int8", "big_integer"},   {"int64", "big_integer"},
        {"tinyint", "tiny_integer"}, {"mediumint", "medium_integer"},
        {"long", "big_integer"},    {"bool", "boolean"},       {"varchar", "string"},
        {"char", "string"},         {"character varying", "string"}, {"str", "string"},
        {"decimal", "numeric"},     {"real", "float"},         {"float4", "float"},
        {"float8", "double"},       {"double precision", "double"}, {"timestamp", "datetime"},
        {"timestamptz", "datetime"}, {"bytea", "blob"},        {"binary", "blob"},
        {"bytes", "blob"},          {"jsonb", "json"},         {"uuid4", "uuid"},
    };
    for (const auto& [alias, portable] : aliases) {
        if (lower == alias) return portable;
    }
    if (auto kind = type_kind_from_string(lower)) return to_string(*kind);
    // A typo: the portable name within two edits, if any.
    const char* best = nullptr;
    std::size_t best_distance = 3;
    for (int k = 0; k <= static_cast<int>(TypeKind::other); ++k) {
        const char* portable = to_string(static_cast<TypeKind>(k));
        std::size_t distance = edit_distance(lower, portable);
        if (distance < best_distance) {
            best = portable;
            best_distance = distance;
        }
    }
    return best;
}

}  // namespace

Column read_column(const TomlValue& value, const std::string& file, const ColumnRules& rules, bool* primary_key) {
    TomlTable t(value, file, rules.what);
    if (const TomlValue* name = t.find("name"); name && name->is_string() && !name->as_string().empty()) {
        t.set_what(fmt::format("{} '{}'", rules.what, name->as_string()));
    }
    t.allow_only(rules.keys.empty() ? column_keys : rules.keys);
    Column column;
    if (rules.default_name && !t.has("name")) {
        column.name = *rules.default_name;
    } else {
        column.name = t.string("name");
        if (column.name.empty()) t.fail_at(*t.find("name"), fmt::format("'name' in {} must not be empty", rules.what));
    }
    t.set_what(fmt::format("{} '{}'", rules.what, column.name));

    const TomlValue& type_value = t.required("type");
    if (!type_value.is_string()) t.wrong_type("type", type_value, "a string");
    const std::string type_name = type_value.as_string();
    auto kind = type_kind_from_string(type_name);
    if (!kind) {
        const char* suggestion = type_suggestion(type_name);
        t.fail_at(type_value, fmt::format("unknown type '{}' in {}{}; valid types: {}", type_name, t.what(),
                                          suggestion ? fmt::format(" (did you mean '{}'?)", suggestion) : "",
                                          valid_types));
    }
    column.type.kind = *kind;

    auto only_for = [&](const char* key, std::initializer_list<TypeKind> allowed, const char* which) {
        if (const TomlValue* found = t.find(key);
            found && std::find(allowed.begin(), allowed.end(), column.type.kind) == allowed.end()) {
            t.fail_at(*found, fmt::format("'{}' in {} applies to type {} only, not {}", key, t.what(), which,
                                          to_string(column.type.kind)));
        }
    };
    const TypeKind type_kind = column.type.kind;
    only_for("length", {TypeKind::string, TypeKind::text, TypeKind::blob}, "string, text, blob");
    column.type.length = t.optional_int("length", 1);
    only_for("fixed_length", {TypeKind::string}, "string");
    column.type.fixed_length = t.boolean("fixed_length", false);
    only_for("precision", {TypeKind::numeric, TypeKind::time, TypeKind::datetime}, "numeric, time, datetime");
    column.type.precision = t.optional_int("precision", type_kind == TypeKind::numeric ? 1 : 0);
    if (type_kind != TypeKind::numeric && column.type.precision && *column.type.precision > 6)
        t.fail_at(*t.find("precision"), fmt::format("'precision' of {} {} is fractional-second digits, 0 to 6",
                                                     to_string(type_kind), t.what()));
    only_for("scale", {TypeKind::numeric}, "numeric");
    column.type.scale = t.optional_int("scale", 0);
    only_for("timezone", {TypeKind::datetime}, "datetime");
    column.type.timezone = t.boolean("timezone", false);
    only_for("unsigned", {TypeKind::tiny_integer, TypeKind::small_integer, TypeKind::medium_integer,
                          TypeKind::integer, TypeKind::big_integer},
             "tiny_integer, small_integer, medium_integer, integer, big_integer");
    column.type.is_unsigned = t.boolean("unsigned", false);
    only_for("values", {TypeKind::enum_}, "enum");
    column.type.enum_values = t.string_list("values", column.type.kind == TypeKind::enum_);
    only_for("native", {TypeKind::other}, "other");
    if (column.type.kind == TypeKind::other) {
        column.type.native = t.string("native");
        if (column.type.native.empty()) t.fail_at(*t.find("native"), fmt::format("'native' in {} must not be empty", t.what()));
    }
    only_for("type_name", {TypeKind::enum_, TypeKind::other}, "enum (an enum type), other (a domain)");
    column.type.type_name = optional_non_empty(t, "type_name").value_or("");

    column.nullable = t.boolean("nullable", true);
    const TomlValue* literal = t.find("default");
    const TomlValue* expression = t.find("default_sql");
    if (literal && expression) {
        t.fail_at(*expression, fmt::format("{} has both 'default' and 'default_sql'; keep one", t.what()));
    }
    if (literal) column.server_default = ServerDefault::literal(literal_text(t, "default", *literal));
    if (expression) {
        if (!expression->is_string()) t.wrong_type("default_sql", *expression, "a string");
        if (expression->as_string().empty()) {
            t.fail_at(*expression, fmt::format("'default_sql' in {} must not be empty", t.what()));
        }
        column.server_default = ServerDefault::expression(expression->as_string());
    }
    column.autoincrement = t.boolean("autoincrement", false);
    column.comment = t.optional_string("comment").value_or("");
    column.options.values = t.string_map("options");

    if (rules.allow_primary_key) {
        *primary_key = t.boolean("primary_key", false);
    } else if (const TomlValue* pk = t.find("primary_key")) {
        t.fail_at(*pk, fmt::format("'primary_key' in {} is allowed only in create_table columns; use the table's "
                                   "primary_key list",
                                   t.what()));
    }
    return column;
}

namespace {

// A column known by name only (a hand-written drop_column): see column_definition_known.
Column column_by_name(std::string name) {
    Column column;
    column.name = std::move(name);
    column.type.kind = TypeKind::other;
    return column;
}

std::string name_or_convention(TomlTable& t, const std::string& convention) {
    if (auto name = t.optional_string("name")) return *name;
    return convention;
}

// One entry of an index's `order`: "asc" or "desc", optionally followed by "nulls first"
// or "nulls last" (any case; "" is "asc").
std::optional<IndexKeyOptions> key_order(const std::string& text) {
    std::vector<std::string> words;
    std::string word;
    for (char c : text + " ") {
        if (c == ' ' || c == '\t') {
            if (!word.empty()) words.push_back(std::move(word));
            word.clear();
        } else {
            word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    IndexKeyOptions k;
    std::size_t i = 0;
    if (i < words.size() && (words[i] == "asc" || words[i] == "desc")) k.descending = words[i++] == "desc";
    if (i + 1 < words.size() && words[i] == "nulls" && (words[i + 1] == "first" || words[i + 1] == "last")) {
        k.nulls = words[i + 1] == "first" ? NullsOrder::first : NullsOrder::last;
        i += 2;
    }
    if (i != words.size()) return std::nullopt;
    return k;
}

// The spelling key_order() reads; "" for a default key.
std::string key_order_text(const IndexKeyOptions& k) {
    std::string out = k.descending ? "desc" : (k.nulls != NullsOrder::database_default ? "asc" : "");
    if (k.nulls == NullsOrder::first) out += " nulls first";
    if (k.nulls == NullsOrder::last) out += " nulls last";
    return out;
}

// `opclasses` and `order`: one entry per key, or absent.
void read_key_options(TomlTable& t, Index& index) {
    auto per_key = [&](std::string_view key) {
        std::vector<std::string> list = t.string_list(key, false);
        if (!list.empty() && list.size() != index.columns.size())
            t.fail_at(*t.find(key), fmt::format("'{}' in {} must have one entry per key ({}), not {}", key, t.what(),
                                                index.columns.size(), list.size()));
        return list;
    };
    std::vector<std::string> opclasses = per_key("opclasses");
    std::vector<std::string> order = per_key("order");
    for (std::size_t i = 0; i < opclasses.size(); ++i)
        if (!opclasses[i].empty()) index.key(i).opclass = opclasses[i];
    for (std::size_t i = 0; i < order.size(); ++i) {
        std::optional<IndexKeyOptions> k = key_order(order[i]);
        if (!k)
            t.fail_at(*t.find("order"), fmt::format("'order' in {} has '{}'; use \"asc\" or \"desc\", optionally "
                                                    "followed by \"nulls first\" or \"nulls last\"",
                                                    t.what(), order[i]));
        if (k->is_default()) continue;
        index.key(i).descending = k->descending;
        index.key(i).nulls = k->nulls;
    }
}

Index read_index(const TomlValue& value, const std::string& file, const std::string& table) {
    TomlTable t(value, file, "index");
    t.allow_only("name, columns, unique, method, where, opclasses, order");
    Index index;
    index.columns = t.string_list("columns", true);
    index.name = name_or_convention(t, naming::index(table, index.columns));
    index.unique = t.boolean("unique", false);
    index.method = t.optional_string("method").value_or("");
    index.where = t.optional_string("where").value_or("");
    read_key_options(t, index);
    return index;
}

UniqueConstraint read_unique(const TomlValue& value, const std::string& file, const std::string& table) {
    TomlTable t(value, file, "unique constraint");
    t.allow_only("name, columns");
    UniqueConstraint unique;
    unique.columns = t.string_list("columns", true);
    unique.name = name_or_convention(t, naming::unique(table, unique.columns));
    return unique;
}

FkAction read_action(TomlTable& t, std::string_view key) {
    const TomlValue* value = t.find(key);
    if (!value) return FkAction::no_action;
    if (!value->is_string()) t.wrong_type(key, *value, "a string");
    auto action = fk_action_from_string(value->as_string());
    if (!action) {
        t.fail_at(*value, fmt::format("unknown foreign-key action '{}' for '{}' in {}; valid actions: no_action, "
                                      "restrict, cascade, set_null, set_default",
                                      value->as_string(), key, t.what()));
    }
    return *action;
}

ForeignKey read_foreign_key(const TomlValue& value, const std::string& file, const std::string& table) {
    TomlTable t(value, file, "foreign key");
    t.allow_only("name, columns, ref_table, ref_columns, on_delete, on_update");
    ForeignKey fk;
    fk.columns = t.string_list("columns", true);
    fk.ref_table = t.string("ref_table");
    if (fk.ref_table.empty()) t.fail_at(*t.find("ref_table"), "'ref_table' in foreign key must not be empty");
    fk.ref_columns = t.string_list("ref_columns", true);
    if (fk.ref_columns.size() != fk.columns.size()) {
        t.fail_at(*t.find("ref_columns"),
                  fmt::format("foreign key has {} columns but {} ref_columns; they must pair up", fk.columns.size(),
                              fk.ref_columns.size()));
    }
    fk.name = name_or_convention(t, naming::foreign_key(table, fk.columns, fk.ref_table));
    fk.on_delete = read_action(t, "on_delete");
    fk.on_update = read_action(t, "on_update");
    return fk;
}

}  // namespace

CheckConstraint read_check(const TomlValue& value, const std::string& file) {
    TomlTable t(value, file, "check constraint");
    t.allow_only("name, expression");
    CheckConstraint check;
    check.name = t.string("name");
    check.expression = t.string("expression");
    if (check.expression.empty()) t.fail_at(*t.find("expression"), "'expression' in check constraint must not be empty");
    return check;
}

namespace {

// alter_primary_key's from / to: { name, columns }; no columns means no primary key.
PrimaryKey read_primary_key(const TomlValue& value, const std::string& file, const std::string& table,
                            const std::string& side) {
    TomlTable t(value, file, fmt::format("primary key '{}'", side));
    t.allow_only("name, columns");
    PrimaryKey key;
    key.columns = t.string_list("columns", false);
    const TomlValue* name = t.find("name");
    if (name) {
        if (!name->is_string()) t.wrong_type("name", *name, "a string");
        if (key.columns.empty() && !name->as_string().empty()) {
            t.fail_at(*name, fmt::format("{} has a name but no columns", t.what()));
        }
        key.name = name->as_string();
    } else if (!key.columns.empty()) {
        key.name = naming::primary_key(table);
    }
    return key;
}

// The elements of an optional array of tables.
const std::vector<TomlValue>* table_array(TomlTable& t, std::string_view key) {
    const TomlValue* value = t.find(key);
    if (!value) return nullptr;
    if (!value->is_array()) t.wrong_type(key, *value, "an array of tables");
    return &value->as_array();
}

// The table of create_table / drop_table, whose keys sit in the step itself.
Table read_table(TomlTable& t, bool require_columns) {
    Table table;
    table.name = t.string("name");
    if (table.name.empty()) t.fail_at(*t.find("name"), fmt::format("'name' in {} must not be empty", t.what()));
    t.set_what(fmt::format("{} '{}'", t.what(), table.name));

    std::vector<std::string> flagged_keys;
    const TomlValue* columns_value = require_columns ? &t.required("columns") : t.find("columns");
    if (columns_value) {
        if (!columns_value->is_array()) t.wrong_type("columns", *columns_value, "an array of column tables");
        for (const auto& element : columns_value->as_array()) {
            bool primary_key = false;
            Column column = read_column(element, t.file(), {.allow_primary_key = true}, &primary_key);
            if (table.find_column(column.name)) {
                t.fail_at(element, fmt::format("column '{}' appears twice in {}", column.name, t.what()));
            }
            if (primary_key) flagged_keys.push_back(column.name);
            table.columns.push_back(std::move(column));
        }
        if (require_columns && table.columns.empty()) {
            t.fail_at(*columns_value, fmt::format("{} needs at least one column", t.what()));
        }
    }

    const TomlValue* primary_key_value = t.find("primary_key");
    table.primary_key.columns = t.string_list("primary_key", false);
    if (primary_key_value && !flagged_keys.empty()) {
        t.fail_at(*primary_key_value, fmt::format("{} gives the primary key both on columns (primary_key = true) and "
                                                  "as a table-level list; keep one",
                                                  t.what()));
    }
    if (!flagged_keys.empty()) table.primary_key.columns = flagged_keys;
    if (!table.columns.empty()) {
        for (const auto& name : table.primary_key.columns) {
            if (!table.find_column(name)) {
                t.fail_at(primary_key_value ? *primary_key_value : *columns_value,
                          fmt::format("primary key column '{}' is not a column of {}", name, t.what()));
            }
        }
    }
    const TomlValue* primary_key_name = t.find("primary_key_name");
    if (primary_key_name) {
        if (!primary_key_name->is_string()) t.wrong_type("primary_key_name", *primary_key_name, "a string");
        if (table.primary_key.columns.empty()) {
            t.fail_at(*primary_key_name, fmt::format("{} has primary_key_name but no primary key columns", t.what()));
        }
        table.primary_key.name = primary_key_name->as_string();
    } else if (!table.primary_key.columns.empty()) {
        table.primary_key.name = naming::primary_key(table.name);
    }

    // Caught here rather than by the database, so nothing of the revision runs.
    auto require_columns_exist = [&](const TomlValue& at, const std::vector<std::string>& names, const char* what) {
        if (table.columns.empty()) return;
        for (const auto& name : names) {
            // An index key may be an expression ("lower(email)", as reflected from an
            // expression index): the database checks those.
            const bool expression = std::string_view(what) == "index" && name.find('(') != std::string::npos;
            if (!expression && !table.find_column(name)) {
                t.fail_at(at, fmt::format("{} column '{}' is not a column of {}", what, name, t.what()));
            }
        }
    };
    if (auto* indexes = table_array(t, "indexes")) {
        for (const auto& element : *indexes) {
            table.indexes.push_back(read_index(element, t.file(), table.name));
            require_columns_exist(element, table.indexes.back().columns, "index");
        }
    }
    if (auto* uniques = table_array(t, "uniques")) {
        for (const auto& element : *uniques) {
            table.uniques.push_back(read_unique(element, t.file(), table.name));
            require_columns_exist(element, table.uniques.back().columns, "unique constraint");
        }
    }
    if (auto* foreign_keys = table_array(t, "foreign_keys")) {
        for (const auto& element : *foreign_keys) {
            table.foreign_keys.push_back(read_foreign_key(element, t.file(), table.name));
            require_columns_exist(element, table.foreign_keys.back().columns, "foreign key");
        }
    }
    if (auto* checks = table_array(t, "checks")) {
        for (const auto& element : *checks) table.checks.push_back(read_check(element, t.file()));
    }
    table.comment = t.optional_string("comment").value_or("");
    table.options.values = t.string_map("options");
    return table;
}


// For drop ops: a table definition, or only the name as a string.
template <typename T, typename Read>
T definition_or_name(TomlTable& t, std::string_view key, Read read) {
    const TomlValue& value = t.required(key);
    if (value.is_string()) {
        if (value.as_string().empty()) t.fail_at(value, fmt::format("'{}' in {} must not be empty", key, t.what()));
        T out{};
        out.name = value.as_string();
        return out;
    }
    if (!value.is_table()) t.wrong_type(key, value, "a table or a name");
    return read(value);
}

const char* const dialect_keys[] = {"sqlite", "postgresql", "mysql"};

// The keys each op accepts; empty for an unknown op.
std::string_view op_keys(const std::string& op) {
    static const std::map<std::string, std::string_view, std::less<>> keys = {
        {"create_table", table_keys},
        {"drop_table", table_keys},
        {"rename_table", "op, from, to, destructive_ok"},
        {"add_column", "op, table, column, backfill, destructive_ok"},
        {"drop_column", "op, table, column, destructive_ok"},
        {"alter_column", "op, table, column, from, to, destructive_ok"},
        {"rename_column", "op, table, from, to, destructive_ok"},
        {"create_index", "op, table, index, concurrently, destructive_ok"},
        {"drop_index", "op, table, index, concurrently, destructive_ok"},
        {"add_unique", "op, table, unique, destructive_ok"},
        {"drop_unique", "op, table, unique, destructive_ok"},
        {"add_foreign_key", "op, table, foreign_key, not_valid, destructive_ok"},
        {"drop_foreign_key", "op, table, foreign_key, destructive_ok"},
        {"add_check", "op, table, check, not_valid, destructive_ok"},
        {"validate_constraint", "op, table, name, destructive_ok"},
        {"drop_check", "op, table, check, destructive_ok"},
        {"alter_primary_key", "op, table, from, to, destructive_ok"},
        {"alter_table_comment", "op, table, from, to, destructive_ok"},
        {"alter_table_options", "op, table, from, to, destructive_ok"},
        {"create_view", "op, name, definition, columns, materialized, destructive_ok"},
        {"drop_view", "op, name, definition, columns, materialized, destructive_ok"},
        {"replace_view", "op, name, definition, columns, materialized, from_definition, from_columns, "
                         "from_materialized, destructive_ok"},
        {"sql", "op, sql, sqlite, postgresql, mysql, reverse_sql, reverse_sqlite, reverse_postgresql, reverse_mysql, "
                "destructive_ok"},
        {"call", "op, function, reverse_function, destructive_ok"},
    };
    auto it = keys.find(op);
    return it == keys.end() ? object_op_keys(op) : it->second;
}

// create/add (the definition, a table) or drop (the definition or its name) of a
// table-level object: index, unique constraint, foreign key, check.
template <class Add, class Drop, class Def, class Read>
Operation constraint_step(TomlTable& t, std::string_view key, std::string table, bool adding, Read read) {
    if (!adding) return Drop{table, definition_or_name<Def>(t, key, read)};
    const TomlValue& v = t.required(key);
    if (!v.is_table()) t.wrong_type(key, v, "a table");
    return Add{table, read(v)};
}

op::DropColumn drop_column_step(TomlTable& t, const std::string& file, std::string table) {
    op::DropColumn o;
    o.table = std::move(table);
    const TomlValue& column = t.required("column");
    if (column.is_string()) {
        if (column.as_string().empty()) t.fail_at(column, fmt::format("'column' in {} must not be empty", t.what()));
        o.column = column_by_name(column.as_string());
    } else {
        if (!column.is_table()) t.wrong_type("column", column, "a column table or a column name");
        o.column = read_column(column, file, {});
    }
    return o;
}

// A view from `name` and the keys `<prefix>definition`, `<prefix>columns` and
// `<prefix>materialized`; the definition is required unless `definition_required` is false
// (a drop written with the name alone).
View read_view(TomlTable& t, std::string_view prefix, bool definition_required) {
    View view;
    view.name = non_empty_string(t, "name");
    const std::string definition = fmt::format("{}definition", prefix);
    view.definition = definition_required ? non_empty_string(t, definition)
                                          : optional_non_empty(t, definition).value_or("");
    view.columns = t.string_list(fmt::format("{}columns", prefix), false);
    view.materialized = t.boolean(fmt::format("{}materialized", prefix), false);
    return view;
}

op::ExecuteSql sql_step(TomlTable& t) {
    op::ExecuteSql o;
    o.sql = optional_non_empty(t, "sql").value_or("");
    o.reverse_sql = optional_non_empty(t, "reverse_sql").value_or("");
    for (const char* dialect : dialect_keys) {
        if (auto text = optional_non_empty(t, dialect)) o.per_dialect.emplace(dialect, *text);
        if (auto text = optional_non_empty(t, fmt::format("reverse_{}", dialect)))
            o.reverse_per_dialect.emplace(dialect, *text);
    }
    if (o.sql.empty() && o.per_dialect.empty())
        t.fail("missing key 'sql' in sql step (give `sql`, or per-dialect `sqlite`, `postgresql`, `mysql`)");
    return o;
}

// lint_ok = { rule-id = "reason", ... }: every reason a non-empty string.
std::map<std::string, std::string> lint_ok_map(TomlTable& t) {
    const TomlValue* value = t.find("lint_ok");
    if (!value) return {};
    if (!value->is_table()) t.wrong_type("lint_ok", *value, "a table of rule = \"reason\"");
    std::map<std::string, std::string> out;
    for (const auto& [rule, reason] : value->as_table()) {
        if (!reason.is_string() || reason.as_string().empty())
            t.fail_at(reason, fmt::format("lint_ok.{} in {} needs a reason: a non-empty string", rule, t.what()));
        out.emplace(rule, reason.as_string());
    }
    return out;
}

// The steps that add, drop or validate an index or a constraint of a table; std::nullopt
// for any other op. `with_table` reads the step's table (and names it in messages).
template <class WithTable>
std::optional<Operation> constraint_family_step(TomlTable& t, const std::string& op, const std::string& file,
                                                WithTable&& with_table) {
    const bool adding = op.rfind("drop_", 0) != 0;  // create_index / add_* rather than drop_*
    Operation out;
    if (op == "create_index" || op == "drop_index") {
        std::string table = with_table();
        auto read = [&](const TomlValue& v) { return read_index(v, file, table); };
        out = constraint_step<op::CreateIndex, op::DropIndex, Index>(t, "index", table, adding, read);
        const bool concurrently = t.boolean("concurrently", false);
        if (auto* create = std::get_if<op::CreateIndex>(&out)) create->concurrently = concurrently;
        else std::get<op::DropIndex>(out).concurrently = concurrently;
    } else if (op == "add_unique" || op == "drop_unique") {
        std::string table = with_table();
        auto read = [&](const TomlValue& v) { return read_unique(v, file, table); };
        out = constraint_step<op::AddUnique, op::DropUnique, UniqueConstraint>(t, "unique", table, adding, read);
    } else if (op == "add_foreign_key" || op == "drop_foreign_key") {
        std::string table = with_table();
        auto read = [&](const TomlValue& v) { return read_foreign_key(v, file, table); };
        out = constraint_step<op::AddForeignKey, op::DropForeignKey, ForeignKey>(t, "foreign_key", table, adding, read);
        if (auto* add = std::get_if<op::AddForeignKey>(&out)) add->not_valid = t.boolean("not_valid", false);
    } else if (op == "add_check" || op == "drop_check") {
        auto read = [&](const TomlValue& v) { return read_check(v, file); };
        out = constraint_step<op::AddCheck, op::DropCheck, CheckConstraint>(t, "check", with_table(), adding, read);
        if (auto* add = std::get_if<op::AddCheck>(&out)) add->not_valid = t.boolean("not_valid", false);
    } else if (op == "validate_constraint") {
        op::ValidateConstraint o;
        o.table = with_table();
        o.name = non_empty_string(t, "name");
        out = std::move(o);
    } else {
        return std::nullopt;
    }
    return out;
}

}  // namespace

Step step_from_toml(const TomlValue& value, const std::string& file) {
    TomlTable t(value, file, "step");
    const TomlValue* op_value = t.find("op");
    if (!op_value) t.fail(fmt::format("missing key 'op' in step (one of: {})", valid_ops));
    if (!op_value->is_string()) t.wrong_type("op", *op_value, "a string");
    const std::string op = op_value->as_string();
    t.set_what(op);
    const std::string_view keys = op_keys(op);
    if (keys.empty()) t.fail_at(*op_value, fmt::format("unknown op '{}' (valid ops: {})", op, valid_ops));
    // lint_ok is accepted on every op, like destructive_ok.
    t.allow_only(fmt::format("{}, lint_ok", keys));

    Step step;
    step.line = t.line();
    step.destructive_ok = t.boolean("destructive_ok", false);
    step.lint_ok = lint_ok_map(t);
    auto with_table = [&]() {
        std::string table = non_empty_string(t, "table");
        t.set_what(fmt::format("{} on '{}'", op, table));
        return table;
    };

    if (!object_op_keys(op).empty()) {
        step.operation = object_step(t, op);
    } else if (op == "create_table") {
        step.operation = op::CreateTable{read_table(t, true)};
    } else if (op == "drop_table") {
        step.operation = op::DropTable{read_table(t, false)};
    } else if (op == "rename_table") {
        op::RenameTable o;
        o.from = non_empty_string(t, "from");
        o.to = non_empty_string(t, "to");
        step.operation = std::move(o);
    } else if (op == "add_column") {
        op::AddColumn o;
        o.table = with_table();
        o.column = read_column(t.required("column"), file, {});
        if (const TomlValue* backfill = t.find("backfill")) o.backfill = literal_text(t, "backfill", *backfill);
        step.operation = std::move(o);
    } else if (op == "drop_column") {
        step.operation = drop_column_step(t, file, with_table());
    } else if (op == "alter_column") {
        op::AlterColumn o;
        o.table = with_table();
        const std::string name = non_empty_string(t, "column");
        o.from = read_column(t.required("from"), file, {.default_name = &name});
        o.to = read_column(t.required("to"), file, {.default_name = &name});
        step.operation = std::move(o);
    } else if (op == "rename_column") {
        op::RenameColumn o;
        o.table = with_table();
        o.from = non_empty_string(t, "from");
        o.to = non_empty_string(t, "to");
        step.operation = std::move(o);
    } else if (auto constraint = constraint_family_step(t, op, file, with_table)) {
        step.operation = std::move(*constraint);
    } else if (op == "alter_primary_key") {
        op::AlterPrimaryKey o;
        o.table = with_table();
        o.from = read_primary_key(t.required("from"), file, o.table, "from");
        o.to = read_primary_key(t.required("to"), file, o.table, "to");
        step.operation = std::move(o);
    } else if (op == "alter_table_comment") {
        op::AlterTableComment o;
        o.table = with_table();
        o.from = t.string("from");
        o.to = t.string("to");
        step.operation = std::move(o);
    } else if (op == "alter_table_options") {
        op::AlterTableOptions o;
        o.table = with_table();
        t.required("from");
        t.required("to");
        o.from.values = t.string_map("from");
        o.to.values = t.string_map("to");
        step.operation = std::move(o);
    } else if (op == "create_view") {
        step.operation = op::CreateView{read_view(t, "", true)};
    } else if (op == "drop_view") {
        step.operation = op::DropView{read_view(t, "", false)};
    } else if (op == "replace_view") {
        step.operation = op::ReplaceView{read_view(t, "from_", true), read_view(t, "", true)};
    } else if (op == "sql") {
        step.operation = sql_step(t);
    } else if (op == "call") {
        op::Call o;
        o.function = non_empty_string(t, "function");
        o.reverse_function = optional_non_empty(t, "reverse_function").value_or("");
        step.operation = std::move(o);
    }
    return step;
}

// ---------------------------------------------------------------------------
// Writing

namespace {

void append_escaped(std::string& out, char c, bool keep_newlines) {
    switch (c) {
    case '\\': out += "\\\\"; return;
    case '"': out += "\\\""; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    case '\n':
        out += keep_newlines ? "\n" : "\\n";
        return;
    default: break;
    }
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
        out += fmt::format("\\u{:04X}", static_cast<unsigned>(byte));
    } else {
        out.push_back(c);
    }
}

// A top-level value: multi-line strings (SQL) stay readable as """...""".
std::string block_string(std::string_view text) {
    if (text.find('\n') == std::string_view::npos) return toml_quote(text);
    // The newline right after the opening delimiter is not part of the string.
    std::string out = "\"\"\"\n";
    for (char c : text) append_escaped(out, c, true);
    out += "\"\"\"";
    return out;
}

}  // namespace

std::string string_array(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ", ";
        out += toml_quote(items[i]);
    }
    return out + "]";
}

namespace {

std::string string_table(const std::map<std::string, std::string>& values) {
    std::string out = "{ ";
    bool first = true;
    for (const auto& [key, value] : values) {
        if (!first) out += ", ";
        first = false;
        out += toml_key(key) + " = " + toml_quote(value);
    }
    return out + " }";
}

// One inline table, built key by key in the order given.
class Inline {
public:
    Inline& add(std::string_view key, std::string value) {
        items_.push_back(fmt::format("{} = {}", key, value));
        return *this;
    }
    std::string str() const { return "{ " + fields() + " }"; }
    std::string fields() const { return fmt::format("{}", fmt::join(items_, ", ")); }

private:
    std::vector<std::string> items_;
};

bool is_canonical_integer(const std::string& text) {
    long long value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && std::to_string(value) == text;
}

// Integer and boolean defaults are written as TOML numbers / booleans when that
// reads back to the same text; everything else as a string, which always does.
std::string default_value(const Column& column) {
    const std::string& text = column.server_default->text;
    if (is_integer_kind(column.type.kind) && is_canonical_integer(text)) return text;
    if (column.type.kind == TypeKind::boolean && (text == "true" || text == "false")) return text;
    return toml_quote(text);
}

}  // namespace

std::string column_fields(const Column& column, bool with_name) {
    Inline out;
    if (with_name) out.add("name", toml_quote(column.name));
    const ColumnType& type = column.type;
    out.add("type", toml_quote(to_string(type.kind)));
    const bool sized = type.kind == TypeKind::string || type.kind == TypeKind::text || type.kind == TypeKind::blob;
    if (sized && type.length) out.add("length", std::to_string(*type.length));
    if (type.kind == TypeKind::string && type.fixed_length) out.add("fixed_length", "true");
    if (is_integer_kind(type.kind) && type.is_unsigned) out.add("unsigned", "true");
    const bool temporal = type.kind == TypeKind::time || type.kind == TypeKind::datetime;
    if ((type.kind == TypeKind::numeric || temporal) && type.precision)
        out.add("precision", std::to_string(*type.precision));
    if (type.kind == TypeKind::numeric && type.scale) out.add("scale", std::to_string(*type.scale));
    if (type.kind == TypeKind::datetime && type.timezone) out.add("timezone", "true");
    if (type.kind == TypeKind::enum_) out.add("values", string_array(type.enum_values));
    if (type.kind == TypeKind::other) out.add("native", toml_quote(type.native));
    if (!type.type_name.empty()) out.add("type_name", toml_quote(type.type_name));
    out.add("nullable", column.nullable ? "true" : "false");
    if (column.server_default) {
        if (column.server_default->kind == ServerDefault::Kind::literal) {
            out.add("default", default_value(column));
        } else {
            out.add("default_sql", toml_quote(column.server_default->text));
        }
    }
    if (column.autoincrement) out.add("autoincrement", "true");
    if (!column.comment.empty()) out.add("comment", toml_quote(column.comment));
    if (!column.options.values.empty()) out.add("options", string_table(column.options.values));
    return out.fields();
}

std::string column_inline(const Column& column, bool with_name) { return "{ " + column_fields(column, with_name) + " }"; }

namespace {

std::string index_inline(const Index& index) {
    Inline out;
    out.add("name", toml_quote(index.name)).add("columns", string_array(index.columns));
    if (index.unique) out.add("unique", "true");
    if (!index.method.empty()) out.add("method", toml_quote(index.method));
    std::vector<std::string> opclasses, order;
    bool any_opclass = false, any_order = false;
    for (std::size_t i = 0; i < index.columns.size(); ++i) {
        opclasses.push_back(index.key(i).opclass);
        order.push_back(key_order_text(index.key(i)));
        any_opclass = any_opclass || !opclasses.back().empty();
        any_order = any_order || !order.back().empty();
    }
    if (any_opclass) out.add("opclasses", string_array(opclasses));
    if (any_order) out.add("order", string_array(order));
    if (!index.where.empty()) out.add("where", toml_quote(index.where));
    return out.str();
}

std::string unique_inline(const UniqueConstraint& unique) {
    return Inline().add("name", toml_quote(unique.name)).add("columns", string_array(unique.columns)).str();
}

const char* action_name(FkAction action) {
    switch (action) {
    case FkAction::no_action: return "no_action";
    case FkAction::restrict: return "restrict";
    case FkAction::cascade: return "cascade";
    case FkAction::set_null: return "set_null";
    case FkAction::set_default: return "set_default";
    }
    return "no_action";
}

std::string foreign_key_inline(const ForeignKey& fk) {
    Inline out;
    out.add("name", toml_quote(fk.name))
        .add("columns", string_array(fk.columns))
        .add("ref_table", toml_quote(fk.ref_table))
        .add("ref_columns", string_array(fk.ref_columns));
    if (fk.on_delete != FkAction::no_action) out.add("on_delete", toml_quote(action_name(fk.on_delete)));
    if (fk.on_update != FkAction::no_action) out.add("on_update", toml_quote(action_name(fk.on_update)));
    return out.str();
}

}  // namespace

std::string check_inline(const CheckConstraint& check) {
    return Inline().add("name", toml_quote(check.name)).add("expression", toml_quote(check.expression)).str();
}

namespace {

template <typename T, typename Render>
void append_list(std::string& out, std::string_view key, const std::vector<T>& items, Render render) {
    if (items.empty()) return;
    out += fmt::format("{} = [\n", key);
    for (const auto& item : items) out += "    " + render(item) + ",\n";
    out += "]\n";
}

}  // namespace

void append_line(std::string& out, std::string_view key, const std::string& value) {
    out += fmt::format("{} = {}\n", key, value);
}

namespace {

void append_table(std::string& out, const Table& table) {
    append_line(out, "name", toml_quote(table.name));
    append_list(out, "columns", table.columns, [](const Column& c) { return column_inline(c, true); });
    if (!table.primary_key.columns.empty()) {
        append_line(out, "primary_key", string_array(table.primary_key.columns));
        append_line(out, "primary_key_name", toml_quote(table.primary_key.name));
    }
    append_list(out, "indexes", table.indexes, index_inline);
    append_list(out, "uniques", table.uniques, unique_inline);
    append_list(out, "foreign_keys", table.foreign_keys, foreign_key_inline);
    append_list(out, "checks", table.checks, check_inline);
    if (!table.comment.empty()) append_line(out, "comment", toml_quote(table.comment));
    if (!table.options.values.empty()) append_line(out, "options", string_table(table.options.values));
}

struct StepWriter {
    std::string& out;

    void operator()(const op::CreateTable& o) const { append_table(out, o.table); }
    void operator()(const op::DropTable& o) const { append_table(out, o.table); }
    void operator()(const op::RenameTable& o) const {
        append_line(out, "from", toml_quote(o.from));
        append_line(out, "to", toml_quote(o.to));
    }
    void operator()(const op::AddColumn& o) const {
        append_line(out, "table", toml_quote(o.table));
        append_line(out, "column", column_inline(o.column, true));
        if (o.backfill) append_line(out, "backfill", toml_quote(*o.backfill));
    }
    void operator()(const op::DropColumn& o) const {
        append_line(out, "table", toml_quote(o.table));
        append_line(out, "column",
                    column_definition_known(o.column) ? column_inline(o.column, true) : toml_quote(o.column.name));
    }
    void operator()(const op::AlterColumn& o) const {
        append_line(out, "table", toml_quote(o.table));
        append_line(out, "column", toml_quote(o.from.name));
        append_line(out, "from", column_inline(o.from, false));
        append_line(out, "to", column_inline(o.to, o.to.name != o.from.name));
    }
    void operator()(const op::RenameColumn& o) const {
        append_line(out, "table", toml_quote(o.table));
        append_line(out, "from", toml_quote(o.from));
        append_line(out, "to", toml_quote(o.to));
    }
    void operator()(const op::CreateIndex& o) const {
        append_line(out, "table", toml_quote(o.table));
        append_line(out, "index", index_inline(o.index));
        if (o.concurrently) append_line(out, "concurrently", "true");
    }
    void operator()(const op::DropIndex& o) const {
        append_line(out, "table", toml_quote(o.table));
        append_line(out, "index", o.index.columns.empty() ? toml_quote(o.index.name) : index_inline(o.index));
        if (o.concurrently) append_line(out, "concurrently", "true");
    }
    void operator()(const op::AddUnique& o) const {
        append_line(out, "table", toml_quote(o.table));
        append_line(out, "unique", unique_inline(o.unique));
    }
    void operator()(const op::DropUnique& o) const {
        append_line(out, "table", toml_quote(o.table));
        append_line(out, "unique", o.unique.columns.empty() ? toml_quote(o.unique.name) : unique_inline(o.unique));
    }
    void operator()(const op::AddForeignKey& o) const {
        append_line(out, "table", toml_quote(o.table));
        append_line(out, "foreign_key", foreign_key_inline(o.foreign_key));
        if (o.not_valid) append_line(out, "not_valid", "true");
    }
    void operator()(const op::DropForeignKey& o) const {
        append_line(out, "table", toml_quote(o.table));
        append_line(out, "foreign_key",
                    o.foreign_key.columns.empty() ? toml_quote(o.foreign_key.name) : foreign_key_inline(o.foreign_key));
    }
    void operator()(const op::AddCheck& o) const {
        append_line(out, "table", toml_quote(o.table));
        append_line(out, "check", check_inline(o.check));
        if (o.not_valid) append_line(out, "not_valid", "true");
    }
    void operator()(const op::ValidateConstraint& o) const {
        append_line(out, "table", toml_quote(o.table));
        append_line(out, "name", toml_quote(o.name));
    }
    void operator()(const op::DropCheck& o) const {
        append_line(out, "table", toml_quote(o.table));
        append_line(out, "check", o.check.expression.empty() ? toml_quote(o.check.name) : check_inline(o.check));
    }
    void operator()(const op::AlterPrimaryKey& o) const {
        auto key = [](const PrimaryKey& pk) {
            return Inline().add("name", toml_quote(pk.name)).add("columns", string_array(pk.columns)).str();
        };
        append_line(out, "table", toml_quote(o.table));
        append_line(out, "from", key(o.from));
        append_line(out, "to", key(o.to));
    }
    void operator()(const op::AlterTableComment& o) const {
        append_line(out, "table", toml_quote(o.table));
        append_line(out, "from", block_string(o.from));
        append_line(out, "to", block_string(o.to));
    }
    void operator()(const op::AlterTableOptions& o) const {
        append_line(out, "table", toml_quote(o.table));
        append_line(out, "from", string_table(o.from.values));
        append_line(out, "to", string_table(o.to.values));
    }
    void operator()(const op::CreateView& o) const { append_view(o.view, ""); }
    void operator()(const op::DropView& o) const { append_view(o.view, ""); }
    void operator()(const op::ReplaceView& o) const {
        append_view(o.to, "");
        append_view(o.from, "from_");
    }
    void operator()(const op::ExecuteSql& o) const {
        if (!o.sql.empty()) append_line(out, "sql", block_string(o.sql));
        append_dialects(o.per_dialect, "");
        if (!o.reverse_sql.empty()) append_line(out, "reverse_sql", block_string(o.reverse_sql));
        append_dialects(o.reverse_per_dialect, "reverse_");
    }
    void operator()(const op::Call& o) const {
        append_line(out, "function", toml_quote(o.function));
        if (!o.reverse_function.empty()) append_line(out, "reverse_function", toml_quote(o.reverse_function));
    }
    // Sequences, domains, enum types (migrations/object_toml.cpp).
    template <class ObjectOp>
    void operator()(const ObjectOp& o) const {
        append_object_step(out, o);
    }

    // `name` once (the unprefixed side writes it), then the definition and what is set.
    void append_view(const View& view, std::string_view prefix) const {
        if (prefix.empty()) append_line(out, "name", toml_quote(view.name));
        if (!view.definition.empty())
            append_line(out, fmt::format("{}definition", prefix), block_string(view.definition));
        if (!view.columns.empty()) append_line(out, fmt::format("{}columns", prefix), string_array(view.columns));
        if (view.materialized) append_line(out, fmt::format("{}materialized", prefix), "true");
    }

    void append_dialects(const std::map<std::string, std::string>& texts, std::string_view prefix) const {
        for (const char* dialect : dialect_keys) {
            if (auto it = texts.find(dialect); it != texts.end()) {
                append_line(out, fmt::format("{}{}", prefix, dialect), block_string(it->second));
            }
        }
        for (const auto& [dialect, text] : texts) {
            if (std::find_if(std::begin(dialect_keys), std::end(dialect_keys),
                             [&](const char* known) { return dialect == known; }) == std::end(dialect_keys)) {
                throw Error(ErrorKind::usage,
                            fmt::format("sql step has text for unknown dialect '{}'; use sqlite, postgresql or mysql",
                                        dialect));
            }
        }
    }
};

}  // namespace

void append_step(std::string& out, const Step& step, std::string_view section) {
    out += fmt::format("[[{}]]\n", section);
    append_line(out, "op", toml_quote(op_name(step.operation)));
    if (step.destructive_ok) append_line(out, "destructive_ok", "true");
    if (!step.lint_ok.empty()) {
        std::vector<std::string> entries;
        for (const auto& [rule, reason] : step.lint_ok) entries.push_back(toml_key(rule) + " = " + toml_quote(reason));
        append_line(out, "lint_ok", fmt::format("{{ {} }}", fmt::join(entries, ", ")));
    }
    std::visit(StepWriter{out}, step.operation);
}

std::string toml_quote(std::string_view text) {
    std::string out = "\"";
    for (char c : text) append_escaped(out, c, false);
    out += "\"";
    return out;
}

std::string toml_key(std::string_view key) {
    bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '-';
    });
    return bare ? std::string(key) : toml_quote(key);
}

}  // namespace strata::detail
