// Conversions between driver values and member types (orm/detail/column_traits.hpp).
// Each accepts the spellings drivers actually return for the column's type.
#include "orm/detail/column_traits.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>

#include "core/error.hpp"
#include "orm/detail/model_mapper.hpp"

namespace strata::detail {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

}  // namespace

void conversion_error(const Value& value, const char* cpp_type) {
    if (is_null(value))
        throw Error(ErrorKind::database, fmt::format("the database returned NULL for a member of type {} that cannot "
                                                     "hold it; make the member std::optional<...>",
                                                     cpp_type));
    throw Error(ErrorKind::database,
                fmt::format("cannot convert the {} value {} to {}; make the member's C++ type match the column's "
                            "type",
                            type_name(value), to_display(value), cpp_type));
}

void out_of_range_error(const Value& value, const char* cpp_type) {
    throw Error(ErrorKind::database, fmt::format("the value {} does not fit in {}; use a wider member type",
                                                 to_display(value), cpp_type));
}

std::int64_t value_to_int64(const Value& value, const char* cpp_type) {
    switch (value.index()) {
        case 1: return std::get<bool>(value) ? 1 : 0;
        case 2: return std::get<std::int64_t>(value);
        case 3: {
            double d = std::get<double>(value);
            if (std::trunc(d) != d || d < -9.2233720368547758e18 || d >= 9.2233720368547758e18)
                out_of_range_error(value, cpp_type);
            return static_cast<std::int64_t>(d);
        }
        case 4: {
            std::string_view s = trim(std::get<std::string>(value));
            std::int64_t out = 0;
            auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
            if (ec == std::errc{} && p == s.data() + s.size()) return out;
            // Exact numerics come back as text ("12.00"): accept a zero fraction.
            if (ec == std::errc{} && *p == '.') {
                bool zeros = true;
                for (const char* q = p + 1; q < s.data() + s.size(); ++q) zeros = zeros && *q == '0';
                if (zeros) return out;
            }
            conversion_error(value, cpp_type);
        }
        default: conversion_error(value, cpp_type);
    }
}

double value_to_double(const Value& value, const char* cpp_type) {
    switch (value.index()) {
        case 2: return static_cast<double>(std::get<std::int64_t>(value));
        case 3: return std::get<double>(value);
        case 4: {
            std::string_view s = trim(std::get<std::string>(value));
            double out = 0;
            auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
            if (ec == std::errc{} && p == s.data() + s.size()) return out;
            if (iequals(s, "nan")) return std::nan("");
            if (iequals(s, "infinity") || iequals(s, "inf")) return HUGE_VAL;
            if (iequals(s, "-infinity") || iequals(s, "-inf")) return -HUGE_VAL;
            conversion_error(value, cpp_type);
        }
        default: conversion_error(value, cpp_type);
    }
}

bool value_to_bool(const Value& value) {
    switch (value.index()) {
        case 1: return std::get<bool>(value);
        case 2: return std::get<std::int64_t>(value) != 0;
        case 3: return std::get<double>(value) != 0;
        case 4: {
            std::string_view s = trim(std::get<std::string>(value));
            if (s == "1" || iequals(s, "t") || iequals(s, "true") || iequals(s, "y") || iequals(s, "yes")) return true;
            if (s == "0" || iequals(s, "f") || iequals(s, "false") || iequals(s, "n") || iequals(s, "no"))
                return false;
            conversion_error(value, "bool");
        }
        default: conversion_error(value, "bool");
    }
}

void value_to_string(const Value& value, std::string& out) {
    switch (value.index()) {
        case 1: out = std::get<bool>(value) ? "true" : "false"; return;
        case 2: out = std::to_string(std::get<std::int64_t>(value)); return;
        case 3: out = fmt::format("{}", std::get<double>(value)); return;
        case 4: out = std::get<std::string>(value); return;
        case 5: {
            const auto& b = std::get<Blob>(value).bytes;
            out.assign(b.begin(), b.end());
            return;
        }
        case 6: out = to_iso(std::get<Date>(value)); return;
        case 7: out = to_iso(std::get<Time>(value)); return;
        case 8: out = to_iso(std::get<DateTime>(value)); return;
        default: conversion_error(value, "std::string");
    }
}

std::string value_to_string(const Value& value) {
    std::string out;
    value_to_string(value, out);
    return out;
}

Blob value_to_blob(const Value& value) {
    if (const Blob* b = std::get_if<Blob>(&value)) return *b;
    if (const std::string* s = std::get_if<std::string>(&value)) return Blob(std::string_view(*s));
    conversion_error(value, "blob");
}

Date value_to_date(const Value& value) {
    switch (value.index()) {
        case 6: return std::get<Date>(value);
        case 8: return std::get<DateTime>(value).date;
        case 4: {
            const std::string& s = std::get<std::string>(value);
            return s.size() > 10 ? parse_datetime(s).date : parse_date(s);
        }
        default: conversion_error(value, "strata::Date");
    }
}

Time value_to_time(const Value& value) {
    switch (value.index()) {
        case 7: return std::get<Time>(value);
        case 8: return std::get<DateTime>(value).time;
        case 4: return parse_time(std::get<std::string>(value));
        default: conversion_error(value, "strata::Time");
    }
}

DateTime value_to_datetime(const Value& value) {
    switch (value.index()) {
        case 8: return std::get<DateTime>(value);
        case 6: return DateTime{std::get<Date>(value), Time{}};
        case 4: return parse_datetime(std::get<std::string>(value));
        default: conversion_error(value, "strata::DateTime");
    }
}

// The member types of the built-in mappings (declared extern in orm/detail/model_mapper.hpp).
#define STRATA_DETAIL_INSTANTIATE_MEMBER_TYPE(M)       \
    template class MemberTypeImpl<M>;                  \
    template class MemberTypeImpl<std::optional<M>>;   \
    template const MemberType& member_type<M>();       \
    template const MemberType& member_type<std::optional<M>>();
STRATA_DETAIL_BUILTIN_MEMBER_TYPES(STRATA_DETAIL_INSTANTIATE_MEMBER_TYPE)
#undef STRATA_DETAIL_INSTANTIATE_MEMBER_TYPE

}  // namespace strata::detail
