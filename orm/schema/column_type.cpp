#include "orm/schema/column_type.hpp"

#include <array>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "core/error.hpp"

namespace strata {

namespace {

constexpr std::array<std::pair<TypeKind, const char*>, 19> kKindNames{{
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
    {TypeKind::tiny_integer, "tiny_integer"},
    {TypeKind::medium_integer, "medium_integer"},
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

std::string with_length(const char* name, const std::optional<int>& length) {
    return length ? fmt::format("{}({})", name, *length) : std::string(name);
}

}  // namespace

bool is_integer_kind(TypeKind kind) noexcept { return integer_rank(kind) > 0; }

int integer_rank(TypeKind kind) noexcept {
    switch (kind) {
        case TypeKind::tiny_integer: return 1;
        case TypeKind::small_integer: return 2;
        case TypeKind::medium_integer: return 3;
        case TypeKind::integer: return 4;
        case TypeKind::big_integer: return 5;
        default: return 0;
    }
}

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
    if (a.kind != b.kind || a.type_name != b.type_name) return false;
    if (is_integer_kind(a.kind)) return a.is_unsigned == b.is_unsigned;
    switch (a.kind) {
        case TypeKind::string:
            return a.length == b.length && a.fixed_length == b.fixed_length;
        case TypeKind::text:
        case TypeKind::blob:
            return a.length == b.length;
        case TypeKind::numeric:
            return a.precision == b.precision && a.scale == b.scale;
        case TypeKind::time:
            return a.precision.value_or(6) == b.precision.value_or(6);
        case TypeKind::datetime:
            return a.timezone == b.timezone && a.precision.value_or(6) == b.precision.value_or(6);
        case TypeKind::enum_:
            // A named enum type's labels are the type's, compared on the EnumType.
            return !a.type_name.empty() || a.enum_values == b.enum_values;
        case TypeKind::other:
            return a.native == b.native;
        default:
            return true;
    }
}

std::string ColumnType::describe() const {
    if (is_integer_kind(kind)) return is_unsigned ? fmt::format("{} unsigned", to_string(kind)) : to_string(kind);
    switch (kind) {
        case TypeKind::string:
            return with_length(fixed_length ? "char" : "string", length);
        case TypeKind::text:
        case TypeKind::blob:
            return with_length(to_string(kind), length);
        case TypeKind::time:
            return precision && *precision != 6 ? fmt::format("time({})", *precision) : std::string("time");
        case TypeKind::numeric:
            if (precision && scale) return fmt::format("numeric({},{})", *precision, *scale);
            if (precision) return fmt::format("numeric({})", *precision);
            return "numeric";
        case TypeKind::datetime: {
            std::string args;
            if (precision && *precision != 6) args = std::to_string(*precision);
            if (timezone) args += args.empty() ? "tz" : ",tz";
            return args.empty() ? std::string("datetime") : fmt::format("datetime({})", args);
        }
        case TypeKind::enum_: {
            std::string out = type_name.empty() ? "enum(" : "enum " + type_name + "(";
            for (std::size_t i = 0; i < enum_values.size(); ++i) {
                if (i) out += ',';
                out += quoted(enum_values[i]);
            }
            out += ')';
            return out;
        }
        case TypeKind::other:
            if (!type_name.empty()) return "domain " + type_name;
            return fmt::format("other({})", native);
        default:
            return to_string(kind);
    }
}

ColumnType ColumnType::unsigned_() const {
    if (!is_integer_kind(kind))
        throw Error(ErrorKind::input, fmt::format("unsigned_() applies to integer types only, not {}", describe()));
    ColumnType t = *this;
    t.is_unsigned = true;
    return t;
}

ColumnType ColumnType::fractional(int digits) const {
    if (kind != TypeKind::time && kind != TypeKind::datetime)
        throw Error(ErrorKind::input, fmt::format("fractional() applies to time and datetime only, not {}", describe()));
    if (digits < 0 || digits > 6)
        throw Error(ErrorKind::input,
                    fmt::format("fractional({}): fractional seconds take 0 to 6 digits (6 = microseconds)", digits));
    ColumnType t = *this;
    t.precision = digits;
    return t;
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
ColumnType tiny_integer() { return of(TypeKind::tiny_integer); }
ColumnType small_integer() { return of(TypeKind::small_integer); }
ColumnType medium_integer() { return of(TypeKind::medium_integer); }
ColumnType big_integer() { return of(TypeKind::big_integer); }
ColumnType boolean() { return of(TypeKind::boolean); }
ColumnType string(int length) {
    ColumnType t = of(TypeKind::string);
    t.length = length;
    return t;
}
ColumnType char_(int length) {
    ColumnType t = string(length);
    t.fixed_length = true;
    return t;
}
ColumnType text() { return of(TypeKind::text); }
ColumnType text(int max_bytes) {
    ColumnType t = of(TypeKind::text);
    t.length = max_bytes;
    return t;
}
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
ColumnType blob(int max_bytes) {
    ColumnType t = of(TypeKind::blob);
    t.length = max_bytes;
    return t;
}
ColumnType json() { return of(TypeKind::json); }
ColumnType uuid() { return of(TypeKind::uuid); }
ColumnType enum_(std::vector<std::string> values) {
    ColumnType t = of(TypeKind::enum_);
    t.enum_values = std::move(values);
    return t;
}
ColumnType native(std::string spelling) {
    ColumnType t = of(TypeKind::other);
    t.native = std::move(spelling);
    return t;
}

}  // namespace types

}  // namespace strata
