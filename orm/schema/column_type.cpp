#include "orm/schema/column_type.hpp"

#include <array>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace strata {

namespace {

constexpr std::array<std::pair<TypeKind, const char*>, 17> kKindNames{{
    {TypeKind::integer, "integer"},
    {TypeKind::small_integer, "small_integer"},
    {TypeKind::big_integer, "big_integer"},
    {TypeKind::boolean, "boolean"},
    {TypeKind::string, "string"},
    {TypeKind::text, "text"},
    {TypeKind::float_, "float"},
    {TypeKind::double_, "double"},
    {TypeKind::numeric, "numeric"},
    {TypeKind::date, "date"},
    {TypeKind::time, "time"},
    {TypeKind::datetime, "datetime"},
    {TypeKind::blob, "blob"},
    {TypeKind::json, "json"},
    {TypeKind::uuid, "uuid"},
    {TypeKind::enum_, "enum"},
    {TypeKind::other, "other"},
}};

// SQL-style single quoting, so enum values with quotes stay unambiguous in descriptions.
std::string quoted(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '\'';
    for (char c : text) {
        if (c == '\'') out += '\'';
        out += c;
    }
    out += '\'';
    return out;
}

}  // namespace

const char* to_string(TypeKind kind) noexcept {
    for (const auto& [k, name] : kKindNames) {
        if (k == kind) return name;
    }
    return "other";
}

std::optional<TypeKind> type_kind_from_string(const std::string& name) noexcept {
    for (const auto& [k, n] : kKindNames) {
        if (name == n) return k;
    }
    return std::nullopt;
}

// Only the fields that carry meaning for the kind are compared: a reflected
// "integer" that happens to carry a display width, or a declared text with a stray
// length, is still the same portable type. `native` matters only for `other`,
// where it is the whole identity of the type.
bool operator==(const ColumnType& a, const ColumnType& b) {
    if (a.kind != b.kind) return false;
    switch (a.kind) {
        case TypeKind::string:
            return a.length == b.length;
        case TypeKind::numeric:
            return a.precision == b.precision && a.scale == b.scale;
        case TypeKind::datetime:
            return a.timezone == b.timezone;
        case TypeKind::enum_:
            return a.enum_values == b.enum_values;
        case TypeKind::other:
            return a.native == b.native;
        default:
            return true;
    }
}

std::string ColumnType::describe() const {
    switch (kind) {
        case TypeKind::string:
            return length ? fmt::format("string({})", *length) : std::string("string");
        case TypeKind::numeric:
            if (precision && scale) return fmt::format("numeric({},{})", *precision, *scale);
            if (precision) return fmt::format("numeric({})", *precision);
            return "numeric";
        case TypeKind::datetime:
            return timezone ? "datetime(tz)" : "datetime";
        case TypeKind::enum_: {
            std::string out = "enum(";
            for (std::size_t i = 0; i < enum_values.size(); ++i) {
                if (i) out += ',';
                out += quoted(enum_values[i]);
            }
            out += ')';
            return out;
        }
        case TypeKind::other:
            return fmt::format("other({})", native);
        default:
            return to_string(kind);
    }
}

namespace types {

namespace {
ColumnType of(TypeKind kind) {
    ColumnType t;
    t.kind = kind;
    return t;
}
}  // namespace

ColumnType integer() { return of(TypeKind::integer); }
ColumnType small_integer() { return of(TypeKind::small_integer); }
ColumnType big_integer() { return of(TypeKind::big_integer); }
ColumnType boolean() { return of(TypeKind::boolean); }
ColumnType string(int length) {
    ColumnType t = of(TypeKind::string);
    t.length = length;
    return t;
}
ColumnType text() { return of(TypeKind::text); }
ColumnType float_() { return of(TypeKind::float_); }
ColumnType double_() { return of(TypeKind::double_); }
ColumnType numeric(int precision, int scale) {
    ColumnType t = of(TypeKind::numeric);
    t.precision = precision;
    t.scale = scale;
    return t;
}
ColumnType date() { return of(TypeKind::date); }
ColumnType time() { return of(TypeKind::time); }
ColumnType datetime(bool timezone) {
    ColumnType t = of(TypeKind::datetime);
    t.timezone = timezone;
    return t;
}
ColumnType blob() { return of(TypeKind::blob); }
ColumnType json() { return of(TypeKind::json); }
ColumnType uuid() { return of(TypeKind::uuid); }
ColumnType enum_(std::vector<std::string> values) {
    ColumnType t = of(TypeKind::enum_);
    t.enum_values = std::move(values);
    return t;
}

}  // namespace types

}  // namespace strata
