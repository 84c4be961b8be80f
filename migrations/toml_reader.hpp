// A TOML 1.0 reader for revision files (migrations/revision_file.hpp): the whole
// syntax a person may write, every value carrying its 1-based line, every error naming
// the file and line. Internal to strata_migrations (operation_toml.hpp builds on it).
//
// Why not a general TOML library: revision files are read on every command, and the
// per-value source regions such libraries keep cost more than the migration itself
// (docs/performance.md, upgrade section). This reader keeps only the line.
//
// What it accepts is TOML 1.0.0 (https://toml.io/en/v1.0.0):
//  - comments; keys bare, "quoted" or 'literal', dotted with optional spaces around '.';
//  - strings: basic (all escapes, \uXXXX and \UXXXXXXXX), literal, and both multi-line
//    forms (the newline right after the opening quotes is dropped, a line-ending
//    backslash joins lines, up to two quotes may end the content); CRLF inside a
//    multi-line string is read as LF;
//  - integers: decimal with '_' between digits, 0x / 0o / 0b, the full 64-bit range;
//  - floats: fraction and/or exponent, inf and nan with optional sign;
//  - booleans; offset date-times, local date-times, local dates, local times ('T', 't'
//    or a space between date and time; fractions of a second beyond nanoseconds are
//    cut, as the standard allows);
//  - arrays (mixed types, trailing comma, comments and new lines inside); inline tables
//    (on one line, no trailing comma, complete as written);
//  - [table] and [[array of tables]] headers, with the standard's rules: no key or table
//    defined twice, a super-table may be defined after its sub-tables, dotted keys may
//    not add to a table a header defined (nor a header to a table dotted keys defined),
//    inline tables and static arrays cannot be extended.
// Arrays and inline tables may nest 256 deep. A UTF-8 BOM at the start is skipped. Text must be valid UTF-8; control characters
// other than tab are refused outside multi-line strings' new lines.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace strata::detail {

// Throws Error(input, message) with details.file / details.line set (Error puts
// "<file>:<line>: " in front of what()).
[[noreturn]] void fail_input(const std::string& file, int line, const std::string& message);

enum class TomlType : unsigned char {
    boolean,
    integer,
    floating,
    string,
    offset_datetime,
    local_datetime,
    local_date,
    local_time,
    array,
    table,
};

// "a string", "an integer", ... for messages.
const char* type_word(TomlType type) noexcept;

struct TomlDate {
    int year = 0;
    int month = 0;  // 1-12
    int day = 0;    // 1-31
};

struct TomlTime {
    int hour = 0;
    int minute = 0;
    int second = 0;  // 0-60 (a leap second)
    int nanosecond = 0;
};

// One parsed value. The accessors throw Error(internal) when the value is of another
// type: check with is_*() or type() first.
class TomlValue {
public:
    using Array = std::vector<TomlValue>;
    using Table = std::map<std::string, TomlValue, std::less<>>;

    TomlValue() = default;  // an empty table

    TomlType type() const noexcept { return type_; }
    // 1-based line where the value starts; for a table from a [header] or [[header]],
    // the header's line; for the document's root table, 1.
    int line() const noexcept { return line_; }

    bool is_boolean() const noexcept { return type_ == TomlType::boolean; }
    bool is_integer() const noexcept { return type_ == TomlType::integer; }
    bool is_floating() const noexcept { return type_ == TomlType::floating; }
    bool is_string() const noexcept { return type_ == TomlType::string; }
    bool is_array() const noexcept { return type_ == TomlType::array; }
    bool is_table() const noexcept { return type_ == TomlType::table; }

    bool as_boolean() const;
    std::int64_t as_integer() const;
    double as_floating() const;
    const std::string& as_string() const;
    const Array& as_array() const;
    const Table& as_table() const;
    // offset_datetime, local_datetime, local_date.
    const TomlDate& date() const;
    // offset_datetime, local_datetime, local_time.
    const TomlTime& time() const;
    // offset_datetime: the offset from UTC in minutes (0 for Z).
    int offset_minutes() const;

private:
    friend class TomlParser;

    // How a table or array came to be, for the standard's rules on defining tables.
    enum class Origin : unsigned char {
        value,            // written as a value (or the root)
        header,           // a [table] header, or an element of a [[array]]
        implicit,         // created as the parent in a header ([a.b] creates a)
        dotted,           // created by a dotted key (a.b = 1 creates a)
        inline_table,     // { ... }: complete as written
        array_of_tables,  // the array behind [[a]]
    };

    [[noreturn]] void wrong_type(const char* wanted) const;

    TomlType type_ = TomlType::table;
    Origin origin_ = Origin::value;
    int line_ = 0;
    bool boolean_ = false;
    std::int64_t integer_ = 0;
    double floating_ = 0;
    int offset_minutes_ = 0;
    TomlDate date_;
    TomlTime time_;
    std::string string_;
    Array array_;
    Table table_;
};

// Parses a whole TOML document; the result is its root table. Throws Error(input)
// whose message starts "malformed TOML: " and names `file` and the line (and the
// column where one position is to blame).
TomlValue parse_toml(std::string_view text, const std::string& file);

}  // namespace strata::detail
