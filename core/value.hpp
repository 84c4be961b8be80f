// strata::Value: one SQL value as it crosses the driver boundary.
//
// Every value sent to a database travels as a bound parameter of this type; it is
// never spliced into SQL text (Dialect::render_literal exists only for offline
// `--sql` scripts of DDL defaults and data in revision files).
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace strata {

struct Null {
    friend bool operator==(Null, Null) = default;
};
inline constexpr Null null{};

// Raw bytes; may contain NUL.
struct Blob {
    std::vector<std::uint8_t> bytes;
    Blob() = default;
    explicit Blob(std::vector<std::uint8_t> b) : bytes(std::move(b)) {}
    explicit Blob(std::string_view s) : bytes(s.begin(), s.end()) {}
    friend bool operator==(const Blob&, const Blob&) = default;
};

// Date, Time and DateTime are aggregates (designated initializers:
// Date{.year = 2026, .month = 1, .day = 2}); the std::chrono conversions below are
// member functions only. Those that throw throw strata::Error(ErrorKind::usage).
struct Date {
    int year = 1970;
    int month = 1;  // 1..12
    int day = 1;    // 1..31

    // Today's date in UTC, from std::chrono::system_clock.
    static Date today();
    // The calendar date of `days` (proleptic Gregorian, negative before 1970-01-01).
    // Throws Error(usage) outside the years std::chrono::year holds (-32767..32767).
    static Date from_sys_days(std::chrono::sys_days days);
    // Days since 1970-01-01. Throws Error(usage) when this is not a valid date
    // (month 13, 2025-02-29, a year outside -32767..32767).
    std::chrono::sys_days to_sys_days() const;

    friend auto operator<=>(const Date&, const Date&) = default;
};

struct Time {
    int hour = 0;
    int minute = 0;
    int second = 0;
    int microsecond = 0;

    // The time of day `since_midnight` after 00:00:00. Throws Error(usage) outside
    // [0, 24h).
    static Time from_duration(std::chrono::microseconds since_midnight);
    // Time since midnight: the fields summed as they are, not validated (so the leap
    // second 23:59:60 and 24:00:00 both give 24h).
    std::chrono::microseconds to_duration() const;

    friend auto operator<=>(const Time&, const Time&) = default;
};

// A timestamp without time zone information (by convention UTC).
struct DateTime {
    Date date;
    Time time;

    // The current UTC time, from std::chrono::system_clock, floored to microseconds.
    static DateTime now();
    // The UTC date and time of `t`. Throws Error(usage) outside the years
    // std::chrono::year holds.
    static DateTime from_sys_time(std::chrono::sys_time<std::chrono::microseconds> t);
    // Any precision: floored to microseconds (towards the past, also before 1970), so
    // 1969-12-31 23:59:59.9999999 gives .999999, not 1970-01-01.
    template <class D>
    static DateTime from_sys_time(std::chrono::sys_time<D> t) {
        return from_sys_time(std::chrono::floor<std::chrono::microseconds>(t));
    }
    // date.to_sys_days() + time.to_duration(). Throws Error(usage) for an invalid date.
    std::chrono::sys_time<std::chrono::microseconds> to_sys_time() const;

    friend auto operator<=>(const DateTime&, const DateTime&) = default;
};

// The order of alternatives is part of the API (index() is used in switches).
using Value = std::variant<Null, bool, std::int64_t, double, std::string, Blob, Date, Time, DateTime>;

inline bool is_null(const Value& v) noexcept { return std::holds_alternative<Null>(v); }

// ISO 8601 text forms: "2026-11-26", "05:00:00" / "05:00:00.123456", "2026-11-26 05:00:00".
std::string to_iso(const Date& d);
std::string to_iso(const Time& t);
std::string to_iso(const DateTime& t);
// Parse the forms above (also accepts 'T' between date and time, and a trailing 'Z'
// or "+00"/"+00:00" offset on timestamps). Throws Error(input) on malformed text.
Date parse_date(std::string_view text);
Time parse_time(std::string_view text);
DateTime parse_datetime(std::string_view text);

// Human-readable rendering for logs (echo) and messages: strings quoted, blobs as
// x'..' hex (truncated past 64 bytes), NULL as NULL.
std::string to_display(const Value& v);

// Name of the held alternative: "null", "bool", "int", "double", "string", "blob",
// "date", "time", "datetime".
const char* type_name(const Value& v) noexcept;

}  // namespace strata
