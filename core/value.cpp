#include "core/value.hpp"

#include <fmt/format.h>

#include <charconv>
#include <chrono>

#include "core/error.hpp"

namespace strata {

std::string to_iso(const Date& d) { return fmt::format("{:04d}-{:02d}-{:02d}", d.year, d.month, d.day); }

std::string to_iso(const Time& t) {
    if (t.microsecond != 0)
        return fmt::format("{:02d}:{:02d}:{:02d}.{:06d}", t.hour, t.minute, t.second, t.microsecond);
    return fmt::format("{:02d}:{:02d}:{:02d}", t.hour, t.minute, t.second);
}

std::string to_iso(const DateTime& t) { return to_iso(t.date) + " " + to_iso(t.time); }

namespace {

[[noreturn]] void bad(std::string_view what, std::string_view text) {
    throw Error(ErrorKind::input, fmt::format("cannot parse {} from '{}': expected ISO 8601 text", what, text));
}

[[noreturn]] void bad_chrono(std::string_view what, std::string_view value) {
    throw Error(ErrorKind::usage, fmt::format("{}: {}", what, value));
}

// Reads exactly `width` digits at `pos`.
int digits(std::string_view text, std::size_t& pos, std::size_t width, std::string_view what) {
    if (pos + width > text.size()) bad(what, text);
    int value = 0;
    auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + pos + width, value);
    if (ec != std::errc{} || ptr != text.data() + pos + width) bad(what, text);
    pos += width;
    return value;
}

void expect(std::string_view text, std::size_t& pos, char c, std::string_view what) {
    if (pos >= text.size() || text[pos] != c) bad(what, text);
    ++pos;
}

Date read_date(std::string_view text, std::size_t& pos) {
    Date d;
    bool negative = pos < text.size() && text[pos] == '-';
    if (negative) ++pos;
    d.year = digits(text, pos, 4, "date");
    if (negative) d.year = -d.year;
    expect(text, pos, '-', "date");
    d.month = digits(text, pos, 2, "date");
    expect(text, pos, '-', "date");
    d.day = digits(text, pos, 2, "date");
    if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31) bad("date", text);
    return d;
}

Time read_time(std::string_view text, std::size_t& pos) {
    Time t;
    t.hour = digits(text, pos, 2, "time");
    expect(text, pos, ':', "time");
    t.minute = digits(text, pos, 2, "time");
    if (pos < text.size() && text[pos] == ':') {
        ++pos;
        t.second = digits(text, pos, 2, "time");
    }
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        int micro = 0, n = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (n < 6) { micro = micro * 10 + (text[pos] - '0'); ++n; }
            ++pos;
        }
        if (n == 0) bad("time", text);
        while (n++ < 6) micro *= 10;
        t.microsecond = micro;
    }
    if (t.hour > 24 || t.minute > 59 || t.second > 60) bad("time", text);
    return t;
}

// Accepts a trailing UTC designator only: strata timestamps are UTC by convention.
void read_utc_suffix(std::string_view text, std::size_t& pos, std::string_view what) {
    if (pos == text.size()) return;
    std::string_view rest = text.substr(pos);
    if (rest == "Z" || rest == "+00" || rest == "+00:00" || rest == "+0000") { pos = text.size(); return; }
    bad(what, text);
}

}  // namespace

Date parse_date(std::string_view text) {
    std::size_t pos = 0;
    Date d = read_date(text, pos);
    if (pos != text.size()) bad("date", text);
    return d;
}

Time parse_time(std::string_view text) {
    std::size_t pos = 0;
    Time t = read_time(text, pos);
    read_utc_suffix(text, pos, "time");
    return t;
}

DateTime parse_datetime(std::string_view text) {
    std::size_t pos = 0;
    DateTime dt;
    dt.date = read_date(text, pos);
    if (pos == text.size()) return dt;
    if (text[pos] != ' ' && text[pos] != 'T') bad("timestamp", text);
    ++pos;
    dt.time = read_time(text, pos);
    read_utc_suffix(text, pos, "timestamp");
    return dt;
}

namespace chr = std::chrono;

Date Date::today() { return from_sys_days(chr::floor<chr::days>(chr::system_clock::now())); }

Date Date::from_sys_days(chr::sys_days days) {
    constexpr chr::sys_days first = chr::year::min() / chr::January / 1;
    constexpr chr::sys_days last = chr::year::max() / chr::December / 31;
    if (days < first || days > last)
        bad_chrono("Date::from_sys_days(): day outside the years -32767..32767",
                   std::to_string(days.time_since_epoch().count()) + " days since 1970-01-01");
    const chr::year_month_day ymd{days};
    return Date{.year = static_cast<int>(ymd.year()),
                .month = static_cast<int>(static_cast<unsigned>(ymd.month())),
                .day = static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

chr::sys_days Date::to_sys_days() const {
    // Range first: chr::year, month and day hold unspecified values outside it.
    if (year >= static_cast<int>(chr::year::min()) && year <= static_cast<int>(chr::year::max()) && month >= 1 &&
        month <= 12 && day >= 1 && day <= 31) {
        const chr::year_month_day ymd{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                                      chr::day{static_cast<unsigned>(day)}};
        if (ymd.ok()) return chr::sys_days{ymd};
    }
    bad_chrono("Date::to_sys_days(): not a valid date", to_iso(*this));
}

Time Time::from_duration(chr::microseconds since_midnight) {
    if (since_midnight < chr::microseconds::zero() || since_midnight >= chr::hours{24})
        bad_chrono("Time::from_duration(): outside [0, 24h)", std::to_string(since_midnight.count()) + " us");
    const chr::hh_mm_ss<chr::microseconds> hms{since_midnight};
    return Time{.hour = static_cast<int>(hms.hours().count()),
                .minute = static_cast<int>(hms.minutes().count()),
                .second = static_cast<int>(hms.seconds().count()),
                .microsecond = static_cast<int>(hms.subseconds().count())};
}

chr::microseconds Time::to_duration() const {
    return chr::hours{hour} + chr::minutes{minute} + chr::seconds{second} + chr::microseconds{microsecond};
}

DateTime DateTime::now() { return from_sys_time(chr::system_clock::now()); }

DateTime DateTime::from_sys_time(chr::sys_time<chr::microseconds> t) {
    const chr::sys_days days = chr::floor<chr::days>(t);
    return DateTime{.date = Date::from_sys_days(days), .time = Time::from_duration(t - days)};
}

chr::sys_time<chr::microseconds> DateTime::to_sys_time() const { return date.to_sys_days() + time.to_duration(); }

std::string to_display(const Value& v) {
    struct Visitor {
        std::string operator()(Null) const { return "NULL"; }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const { return fmt::format("{}", d); }
        std::string operator()(const std::string& s) const {
            std::string out = "'";
            for (char c : s) {
                if (c == '\'') out += "''";
                else out += c;
            }
            return out + "'";
        }
        std::string operator()(const Blob& b) const {
            std::string out = "x'";
            std::size_t n = b.bytes.size() > 64 ? 64 : b.bytes.size();
            for (std::size_t i = 0; i < n; ++i) out += fmt::format("{:02x}", b.bytes[i]);
            out += "'";
            if (b.bytes.size() > n) out += fmt::format("...({} bytes)", b.bytes.size());
            return out;
        }
        std::string operator()(const Date& d) const { return "'" + to_iso(d) + "'"; }
        std::string operator()(const Time& t) const { return "'" + to_iso(t) + "'"; }
        std::string operator()(const DateTime& t) const { return "'" + to_iso(t) + "'"; }
    };
    return std::visit(Visitor{}, v);
}

const char* type_name(const Value& v) noexcept {
    static constexpr const char* names[] = {"null", "bool", "int", "double", "string", "blob", "date", "time", "datetime"};
    return names[v.index()];
}

}  // namespace strata
