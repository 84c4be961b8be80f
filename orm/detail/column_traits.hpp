// How a C++ member type maps to a column: its default portable type, whether it is
// nullable, and the conversion to and from strata::Value.
//
// Built in: bool; signed and unsigned integers of their own size (8-bit ->
// tiny_integer, 16 -> small_integer, 32 -> integer, 64 -> big_integer; unsigned C++
// types give unsigned columns; unsigned 64-bit values above INT64_MAX are rejected); float, double; std::string (string(255): indexable on every
// database; override with type(types::text()) for long text); strata::Blob and
// std::vector<std::uint8_t> (blob); strata::Date, Time, DateTime; enums (their
// underlying integer, or strings when strata::EnumMapping<E> is specialized);
// std::optional<T> of any of these (nullable, std::nullopt <-> NULL).
//
// Customization point: specialize strata::ColumnTraits<T> for a type of your own with
//   static ColumnType type();                           // default portable type
//   static constexpr bool nullable = false;
//   static Value to_value(const T&);
//   static void from_value(const Value&, T&);           // throws strata::Error on a bad value
//   static bool equals(const T&, const Value&);         // same as to_value(x) == v, cheaper
//
// Conversions accept what the drivers return for the column's type: SQLite gives
// dates as text and booleans as integers, MySQL gives TINYINT(1) as an integer,
// PostgreSQL NUMERIC may come back as text. A value that cannot be converted throws
// Error(database) naming both types; the session adds the table and column.
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/value.hpp"
#include "orm/schema/column_type.hpp"

namespace strata {

// Primary template left undefined: a member type without a specialization is not
// mappable (TableBuilder::column reports it with a static_assert).
template <class T, class Enable = void>
struct ColumnTraits;

// Specialize to store an enum as text:
//   template <> struct strata::EnumMapping<Color> {
//       static constexpr std::pair<Color, std::string_view> values[] = {{Color::red, "red"}, ...};
//   };
// The default column type is then enum_(names in this order).
template <class E>
struct EnumMapping;

namespace detail {

// Conversion failures (the caller adds the table and column to the message).
[[noreturn]] void conversion_error(const Value& value, const char* cpp_type);
[[noreturn]] void out_of_range_error(const Value& value, const char* cpp_type);

std::int64_t value_to_int64(const Value& value, const char* cpp_type);
double value_to_double(const Value& value, const char* cpp_type);
bool value_to_bool(const Value& value);
std::string value_to_string(const Value& value);
void value_to_string(const Value& value, std::string& out);
Blob value_to_blob(const Value& value);
Date value_to_date(const Value& value);
Time value_to_time(const Value& value);
DateTime value_to_datetime(const Value& value);

template <class T>
concept HasEnumMapping = requires { EnumMapping<T>::values; };

}  // namespace detail

// True when T has a usable ColumnTraits specialization.
template <class T>
concept Mappable = requires(const T& t, T& out, const Value& v) {
    { ColumnTraits<T>::type() } -> std::same_as<ColumnType>;
    { ColumnTraits<T>::to_value(t) } -> std::same_as<Value>;
    ColumnTraits<T>::from_value(v, out);
};

template <>
struct ColumnTraits<bool> {
    static constexpr bool nullable = false;
    static ColumnType type() { return types::boolean(); }
    static Value to_value(bool b) { return b; }
    static void from_value(const Value& v, bool& out) { out = detail::value_to_bool(v); }
    static bool equals(bool b, const Value& v) {
        const bool* p = std::get_if<bool>(&v);
        return p && *p == b;
    }
};

template <class T>
struct ColumnTraits<T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>>> {
    static constexpr bool nullable = false;
    static ColumnType type() {
        ColumnType t = sizeof(T) == 1   ? types::tiny_integer()
                       : sizeof(T) == 2 ? types::small_integer()
                       : sizeof(T) == 4 ? types::integer()
                                        : types::big_integer();
        t.is_unsigned = std::is_unsigned_v<T>;
        return t;
    }
    static Value to_value(T x) {
        if constexpr (std::is_unsigned_v<T> && sizeof(T) >= 8) {
            if (x > static_cast<T>(std::numeric_limits<std::int64_t>::max()))
                detail::out_of_range_error(Value(std::to_string(x)), "std::int64_t");
        }
        return static_cast<std::int64_t>(x);
    }
    static void from_value(const Value& v, T& out) {
        std::int64_t i = detail::value_to_int64(v, "integer");
        if constexpr (!std::is_same_v<T, std::int64_t>) {
            if constexpr (std::is_unsigned_v<T>) {
                if (i < 0 || static_cast<std::uint64_t>(i) > std::numeric_limits<T>::max())
                    detail::out_of_range_error(v, "unsigned integer");
            } else {
                if (i < std::numeric_limits<T>::min() || i > std::numeric_limits<T>::max())
                    detail::out_of_range_error(v, "integer");
            }
        }
        out = static_cast<T>(i);
    }
    static bool equals(T x, const Value& v) {
        const std::int64_t* p = std::get_if<std::int64_t>(&v);
        if constexpr (std::is_unsigned_v<T> && sizeof(T) >= 8)
            return p && *p >= 0 && static_cast<std::uint64_t>(*p) == x;
        else
            return p && *p == static_cast<std::int64_t>(x);
    }
};

template <class T>
struct ColumnTraits<T, std::enable_if_t<std::is_floating_point_v<T>>> {
    static constexpr bool nullable = false;
    static ColumnType type() {
        if constexpr (std::is_same_v<T, float>) return types::float_();
        else return types::double_();
    }
    static Value to_value(T x) { return static_cast<double>(x); }
    static void from_value(const Value& v, T& out) { out = static_cast<T>(detail::value_to_double(v, "double")); }
    static bool equals(T x, const Value& v) {
        const double* p = std::get_if<double>(&v);
        return p && *p == static_cast<double>(x);
    }
};

template <>
struct ColumnTraits<std::string> {
    static constexpr bool nullable = false;
    static ColumnType type() { return types::string(255); }
    static Value to_value(const std::string& s) { return s; }
    static void from_value(const Value& v, std::string& out) { detail::value_to_string(v, out); }
    static bool equals(const std::string& s, const Value& v) {
        const std::string* p = std::get_if<std::string>(&v);
        return p && *p == s;
    }
};

template <>
struct ColumnTraits<Blob> {
    static constexpr bool nullable = false;
    static ColumnType type() { return types::blob(); }
    static Value to_value(const Blob& b) { return b; }
    static void from_value(const Value& v, Blob& out) { out = detail::value_to_blob(v); }
    static bool equals(const Blob& b, const Value& v) {
        const Blob* p = std::get_if<Blob>(&v);
        return p && p->bytes == b.bytes;
    }
};

template <>
struct ColumnTraits<std::vector<std::uint8_t>> {
    static constexpr bool nullable = false;
    static ColumnType type() { return types::blob(); }
    static Value to_value(const std::vector<std::uint8_t>& b) { return Blob(b); }
    static void from_value(const Value& v, std::vector<std::uint8_t>& out) { out = detail::value_to_blob(v).bytes; }
    static bool equals(const std::vector<std::uint8_t>& b, const Value& v) {
        const Blob* p = std::get_if<Blob>(&v);
        return p && p->bytes == b;
    }
};

template <>
struct ColumnTraits<Date> {
    static constexpr bool nullable = false;
    static ColumnType type() { return types::date(); }
    static Value to_value(const Date& d) { return d; }
    static void from_value(const Value& v, Date& out) { out = detail::value_to_date(v); }
    static bool equals(const Date& d, const Value& v) {
        const Date* p = std::get_if<Date>(&v);
        return p && *p == d;
    }
};

template <>
struct ColumnTraits<Time> {
    static constexpr bool nullable = false;
    static ColumnType type() { return types::time(); }
    static Value to_value(const Time& t) { return t; }
    static void from_value(const Value& v, Time& out) { out = detail::value_to_time(v); }
    static bool equals(const Time& t, const Value& v) {
        const Time* p = std::get_if<Time>(&v);
        return p && *p == t;
    }
};

template <>
struct ColumnTraits<DateTime> {
    static constexpr bool nullable = false;
    static ColumnType type() { return types::datetime(); }
    static Value to_value(const DateTime& t) { return t; }
    static void from_value(const Value& v, DateTime& out) { out = detail::value_to_datetime(v); }
    static bool equals(const DateTime& t, const Value& v) {
        const DateTime* p = std::get_if<DateTime>(&v);
        return p && *p == t;
    }
};

// Enums with an EnumMapping: stored as their names.
template <class E>
struct ColumnTraits<E, std::enable_if_t<std::is_enum_v<E> && detail::HasEnumMapping<E>>> {
    static constexpr bool nullable = false;
    static ColumnType type() {
        std::vector<std::string> names;
        for (const auto& [value, name] : EnumMapping<E>::values) names.emplace_back(name);
        return types::enum_(std::move(names));
    }
    static std::string_view name_of(E e) {
        for (const auto& [value, name] : EnumMapping<E>::values)
            if (value == e) return name;
        detail::out_of_range_error(Value(static_cast<std::int64_t>(e)), "enum with EnumMapping");
    }
    static Value to_value(E e) { return std::string(name_of(e)); }
    static void from_value(const Value& v, E& out) {
        const std::string* s = std::get_if<std::string>(&v);
        if (!s) detail::conversion_error(v, "enum (text)");
        for (const auto& [value, name] : EnumMapping<E>::values)
            if (name == *s) {
                out = value;
                return;
            }
        detail::out_of_range_error(v, "enum with EnumMapping");
    }
    static bool equals(E e, const Value& v) {
        const std::string* s = std::get_if<std::string>(&v);
        return s && *s == name_of(e);
    }
};

// Other enums: stored as their underlying integer.
template <class E>
struct ColumnTraits<E, std::enable_if_t<std::is_enum_v<E> && !detail::HasEnumMapping<E>>> {
    using Under = std::underlying_type_t<E>;
    static constexpr bool nullable = false;
    static ColumnType type() { return ColumnTraits<Under>::type(); }
    static Value to_value(E e) { return ColumnTraits<Under>::to_value(static_cast<Under>(e)); }
    static void from_value(const Value& v, E& out) {
        Under u{};
        ColumnTraits<Under>::from_value(v, u);
        out = static_cast<E>(u);
    }
    static bool equals(E e, const Value& v) { return ColumnTraits<Under>::equals(static_cast<Under>(e), v); }
};

template <class T>
    requires Mappable<T>
struct ColumnTraits<std::optional<T>> {
    static constexpr bool nullable = true;
    static ColumnType type() { return ColumnTraits<T>::type(); }
    static Value to_value(const std::optional<T>& o) { return o ? ColumnTraits<T>::to_value(*o) : Value(); }
    static void from_value(const Value& v, std::optional<T>& out) {
        if (is_null(v)) {
            out.reset();
            return;
        }
        if (!out) out.emplace();
        ColumnTraits<T>::from_value(v, *out);
    }
    static bool equals(const std::optional<T>& o, const Value& v) {
        if (!o) return is_null(v);
        if (is_null(v)) return false;
        if constexpr (requires { ColumnTraits<T>::equals(*o, v); }) return ColumnTraits<T>::equals(*o, v);
        else return ColumnTraits<T>::to_value(*o) == v;
    }
};

namespace detail {

template <class T>
constexpr bool is_nullable() {
    if constexpr (requires { ColumnTraits<T>::nullable; }) return ColumnTraits<T>::nullable;
    else return false;
}

template <class T>
bool traits_equal(const T& x, const Value& v) {
    if constexpr (requires { ColumnTraits<T>::equals(x, v); }) return ColumnTraits<T>::equals(x, v);
    else return ColumnTraits<T>::to_value(x) == v;
}

}  // namespace detail

}  // namespace strata
