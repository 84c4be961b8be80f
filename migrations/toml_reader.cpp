#include "migrations/toml_reader.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

#include "core/error.hpp"

namespace strata::detail {

void fail_input(const std::string& file, int line, const std::string& message) {
    // Error puts "<file>:<line>: " in front of the message.
    ErrorDetails details;
    details.file = file;
    details.line = line;
    throw Error(ErrorKind::input, message, std::move(details));
}

// ---------------------------------------------------------------------------
// TomlValue accessors

void TomlValue::wrong_type(const char* wanted) const {
    throw Error(ErrorKind::internal, fmt::format("TOML value on line {} read as {} but is not one", line_, wanted));
}

bool TomlValue::as_boolean() const {
    if (type_ != TomlType::boolean) wrong_type("a boolean");
    return boolean_;
}

std::int64_t TomlValue::as_integer() const {
    if (type_ != TomlType::integer) wrong_type("an integer");
    return integer_;
}

double TomlValue::as_floating() const {
    if (type_ != TomlType::floating) wrong_type("a float");
    return floating_;
}

const std::string& TomlValue::as_string() const {
    if (type_ != TomlType::string) wrong_type("a string");
    return string_;
}

const TomlValue::Array& TomlValue::as_array() const {
    if (type_ != TomlType::array) wrong_type("an array");
    return array_;
}

const TomlValue::Table& TomlValue::as_table() const {
    if (type_ != TomlType::table) wrong_type("a table");
    return table_;
}

const TomlDate& TomlValue::date() const {
    if (type_ != TomlType::offset_datetime && type_ != TomlType::local_datetime && type_ != TomlType::local_date)
        wrong_type("a date");
    return date_;
}

const TomlTime& TomlValue::time() const {
    if (type_ != TomlType::offset_datetime && type_ != TomlType::local_datetime && type_ != TomlType::local_time)
        wrong_type("a time");
    return time_;
}

int TomlValue::offset_minutes() const {
    if (type_ != TomlType::offset_datetime) wrong_type("an offset date-time");
    return offset_minutes_;
}

// ---------------------------------------------------------------------------
// The parser

namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

bool is_bare_key_char(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || c == '-';
}

// Characters of a number or date-time token (the space between date and time aside).
bool is_token_char(char c) noexcept {
    return is_bare_key_char(c) || c == '+' || c == '.' || c == ':';
}

// A plain character of a string: copied as it is, no checks needed.
bool is_plain(char c) noexcept {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7F && c != '"' && c != '\\' && c != '\'';
}

// Length of the valid UTF-8 sequence starting at s[p] (whose first byte is >= 0x80),
// or 0 when it is not one (overlong forms, surrogates and values above U+10FFFF are
// invalid).
std::size_t utf8_length(std::string_view s, std::size_t p) noexcept {
    auto at = [&](std::size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0u; };
    auto cont = [&](std::size_t i) { return (at(i) & 0xC0u) == 0x80u; };
    unsigned b0 = at(p);
    if (b0 >= 0xC2 && b0 <= 0xDF) return cont(p + 1) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        unsigned b1 = at(p + 1);
        if (!cont(p + 1) || !cont(p + 2)) return 0;
        if (b0 == 0xE0 && b1 < 0xA0) return 0;   // overlong
        if (b0 == 0xED && b1 >= 0xA0) return 0;  // surrogate
        return 3;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        unsigned b1 = at(p + 1);
        if (!cont(p + 1) || !cont(p + 2) || !cont(p + 3)) return 0;
        if (b0 == 0xF0 && b1 < 0x90) return 0;   // overlong
        if (b0 == 0xF4 && b1 >= 0x90) return 0;  // above U+10FFFF
        return 4;
    }
    return 0;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}


bool is_leap(int year) noexcept { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) noexcept {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

// Reads `count` digits at text[at]; -1 when they are not all digits.
int digits(std::string_view text, std::size_t at, std::size_t count) noexcept {
    if (at + count > text.size()) return -1;
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (!is_digit(text[i])) return -1;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

// "a.b.c" for messages, parts quoted when they are not bare keys.
std::string dotted_name(const std::vector<std::string>& parts, std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) {
        if (i) out += '.';
        const std::string& part = parts[i];
        bool bare = !part.empty();
        for (char c : part) bare = bare && is_bare_key_char(c);
        out += bare ? part : fmt::format("\"{}\"", part);
    }
    return out;
}

}  // namespace

const char* type_word(TomlType type) noexcept {
    switch (type) {
    case TomlType::boolean: return "a boolean";
    case TomlType::integer: return "an integer";
    case TomlType::floating: return "a float";
    case TomlType::string: return "a string";
    case TomlType::offset_datetime:
    case TomlType::local_datetime:
    case TomlType::local_date: return "a date-time";
    case TomlType::local_time: return "a time";
    case TomlType::array: return "an array";
    case TomlType::table: return "a table";
    }
    return "a value";
}

class TomlParser {
public:
    TomlParser(std::string_view text, const std::string& file) : s_(text), file_(file) {
        if (s_.size() >= 3 && static_cast<unsigned char>(s_[0]) == 0xEF && static_cast<unsigned char>(s_[1]) == 0xBB &&
            static_cast<unsigned char>(s_[2]) == 0xBF)
            p_ = 3;
    }

    TomlValue parse() {
        TomlValue root;
        root.line_ = 1;
        root.origin_ = TomlValue::Origin::header;
        TomlValue* current = &root;
        while (true) {
            skip_ws();
            if (at_end()) break;
            char c = s_[p_];
            if (c == '[') {
                current = header(root);
            } else if (c != '#' && c != '\n' && c != '\r') {
                key_value(*current);
            }
            end_of_line();
        }
        return root;
    }

private:
    // ---- positions and errors ----

    bool at_end() const noexcept { return p_ >= s_.size(); }
    char peek(std::size_t ahead = 0) const noexcept { return p_ + ahead < s_.size() ? s_[p_ + ahead] : '\0'; }

    int column() const noexcept {
        std::size_t start = p_;
        while (start > 0 && s_[start - 1] != '\n') --start;
        return static_cast<int>(p_ - start) + 1;
    }

    // At the current position.
    [[noreturn]] void fail(const std::string& what) const {
        fail_input(file_, line_, fmt::format("malformed TOML: {} (column {})", what, column()));
    }
    // At an earlier line, where the thing to blame started.
    [[noreturn]] void fail_line(int line, const std::string& what) const {
        fail_input(file_, line, "malformed TOML: " + what);
    }

    std::string found() const {
        if (at_end()) return "the end of the file";
        char c = s_[p_];
        if (c == '\n' || c == '\r') return "the end of the line";
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F) return fmt::format("control character U+{:04X}", u);
        if (u >= 0x80) return "a non-ASCII character";
        return fmt::format("'{}'", c);
    }

    // ---- white space, comments, new lines ----

    void skip_ws() noexcept {
        while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t')) ++p_;
    }

    // Takes a new line ("\n" or "\r\n") when one is next.
    bool take_newline() {
        if (p_ < s_.size() && s_[p_] == '\n') {
            ++p_;
            ++line_;
            return true;
        }
        if (p_ < s_.size() && s_[p_] == '\r') {
            if (peek(1) != '\n') fail("a carriage return must be followed by a line feed");
            p_ += 2;
            ++line_;
            return true;
        }
        return false;
    }

    // A comment from '#' to the end of the line (not included).
    void skip_comment() {
        if (peek() != '#') return;
        ++p_;
        while (p_ < s_.size()) {
            auto u = static_cast<unsigned char>(s_[p_]);
            if (u == '\n' || (u == '\r' && peek(1) == '\n')) return;
            if (u >= 0x80) {
                std::size_t n = utf8_length(s_, p_);
                if (n == 0) fail("invalid UTF-8 in a comment");
                p_ += n;
                continue;
            }
            if ((u < 0x20 && u != '\t') || u == 0x7F)
                fail(fmt::format("control character U+{:04X} in a comment", static_cast<unsigned>(u)));
            ++p_;
        }
    }

    // What may follow a key/value pair or a header: spaces, a comment, then a new line
    // or the end of the file.
    void end_of_line() {
        skip_ws();
        skip_comment();
        if (at_end() || take_newline()) return;
        fail(fmt::format("expected the end of the line, found {}", found()));
    }

    // Inside arrays: spaces, comments and new lines.
    void skip_blank() {
        while (true) {
            skip_ws();
            skip_comment();
            if (!take_newline()) return;
        }
    }

    // ---- keys ----

    void simple_key(std::string& out) {
        char c = peek();
        if (c == '"') {
            if (peek(1) == '"' && peek(2) == '"') fail("a key cannot be a multi-line string");
            basic_string(out);
        } else if (c == '\'') {
            if (peek(1) == '\'' && peek(2) == '\'') fail("a key cannot be a multi-line string");
            literal_string(out);
        } else {
            std::size_t start = p_;
            while (p_ < s_.size() && is_bare_key_char(s_[p_])) ++p_;
            if (p_ == start) fail(fmt::format("expected a key, found {}", found()));
            out.assign(s_.data() + start, p_ - start);
        }
    }

    void key(std::vector<std::string>& parts) {
        parts.clear();
        parts.emplace_back();
        simple_key(parts.back());
        while (true) {
            skip_ws();
            if (peek() != '.') return;
            ++p_;
            skip_ws();
            parts.emplace_back();
            simple_key(parts.back());
        }
    }

    // ---- tables ----

    static TomlValue make_table(TomlValue::Origin origin, int line) {
        TomlValue t;
        t.type_ = TomlType::table;
        t.origin_ = origin;
        t.line_ = line;
        return t;
    }

    // A key/value pair (also inside inline tables) into `table`.
    void key_value(TomlValue& table) {
        const int line = line_;
        std::vector<std::string> parts;
        key(parts);
        skip_ws();
        if (peek() != '=') fail(fmt::format("expected '=' after the key '{}', found {}", dotted_name(parts, parts.size()), found()));
        ++p_;
        skip_ws();
        TomlValue* target = &table;
        for (std::size_t i = 0; i + 1 < parts.size(); ++i) target = &dotted_table(*target, parts, i, line);
        auto [it, inserted] = target->table_.try_emplace(parts.back());
        if (!inserted)
            fail_line(line, fmt::format("key '{}' is defined twice (first on line {})", dotted_name(parts, parts.size()),
                                        it->second.line_));
        value(it->second);
    }

    // The table parts[i] of a dotted key inside `parent`, created when missing.
    TomlValue& dotted_table(TomlValue& parent, const std::vector<std::string>& parts, std::size_t i, int line) {
        auto it = parent.table_.find(parts[i]);
        if (it == parent.table_.end())
            return parent.table_.emplace(parts[i], make_table(TomlValue::Origin::dotted, line)).first->second;
        TomlValue& v = it->second;
        const std::string name = dotted_name(parts, i + 1);
        if (v.type_ != TomlType::table)
            fail_line(line, fmt::format("'{}' is {} (line {}), so the dotted key cannot add to it", name,
                                        type_word(v.type_), v.line_));
        switch (v.origin_) {
        case TomlValue::Origin::inline_table:
            fail_line(line, fmt::format("'{}' is an inline table (line {}), complete as written: keys cannot be "
                                        "added to it",
                                        name, v.line_));
        case TomlValue::Origin::header:
            fail_line(line, fmt::format("'{}' is a table defined by its header (line {}): dotted keys cannot add "
                                        "to it; put the key under that header",
                                        name, v.line_));
        case TomlValue::Origin::implicit:
            // Defined from here on by dotted keys: a later [header] for it is a redefinition.
            v.origin_ = TomlValue::Origin::dotted;
            return v;
        default: return v;
        }
    }

    // A [table] or [[array of tables]] header; returns the table that the key/value
    // pairs after it go into.
    TomlValue* header(TomlValue& root) {
        const int line = line_;
        ++p_;
        const bool array = peek() == '[';
        if (array) ++p_;
        skip_ws();
        std::vector<std::string> parts;
        key(parts);
        if (peek() != ']') fail(fmt::format("expected ']' to close the table header, found {}", found()));
        ++p_;
        if (array) {
            if (peek() != ']') fail(fmt::format("expected ']]' to close the array-of-tables header, found {}", found()));
            ++p_;
        }

        TomlValue* t = &root;
        for (std::size_t i = 0; i + 1 < parts.size(); ++i) t = &header_parent(*t, parts, i, line);
        const std::string name = dotted_name(parts, parts.size());
        auto it = t->table_.find(parts.back());
        if (array) {
            if (it == t->table_.end()) {
                TomlValue list;
                list.type_ = TomlType::array;
                list.origin_ = TomlValue::Origin::array_of_tables;
                list.line_ = line;
                it = t->table_.emplace(parts.back(), std::move(list)).first;
            } else if (it->second.type_ != TomlType::array ||
                       it->second.origin_ != TomlValue::Origin::array_of_tables) {
                fail_line(line, fmt::format("[[{}]] cannot add to '{}': it is {} (line {}), not an array of tables",
                                            name, name,
                                            it->second.type_ == TomlType::array ? "an array written as a value"
                                                                                 : type_word(it->second.type_),
                                            it->second.line_));
            }
            it->second.array_.push_back(make_table(TomlValue::Origin::header, line));
            return &it->second.array_.back();
        }
        if (it == t->table_.end())
            return &t->table_.emplace(parts.back(), make_table(TomlValue::Origin::header, line)).first->second;
        TomlValue& v = it->second;
        if (v.type_ == TomlType::table && v.origin_ == TomlValue::Origin::implicit) {
            v.origin_ = TomlValue::Origin::header;
            v.line_ = line;
            return &v;
        }
        if (v.type_ == TomlType::table) {
            const char* how = v.origin_ == TomlValue::Origin::dotted         ? "by dotted keys"
                              : v.origin_ == TomlValue::Origin::inline_table ? "as an inline table"
                                                                             : "by a header";
            fail_line(line, fmt::format("table [{}] is defined twice (first {}, line {})", name, how, v.line_));
        }
        if (v.origin_ == TomlValue::Origin::array_of_tables)
            fail_line(line, fmt::format("[{}] is an array of tables (line {}); add an element with [[{}]]", name,
                                        v.line_, name));
        fail_line(line, fmt::format("[{}] cannot be a table: the key is already {} (line {})", name, type_word(v.type_),
                                    v.line_));
    }

    // The parent table parts[i] on the way to a header's table, created when missing;
    // for an array of tables, its last element.
    TomlValue& header_parent(TomlValue& parent, const std::vector<std::string>& parts, std::size_t i, int line) {
        auto it = parent.table_.find(parts[i]);
        if (it == parent.table_.end())
            return parent.table_.emplace(parts[i], make_table(TomlValue::Origin::implicit, line)).first->second;
        TomlValue& v = it->second;
        const std::string name = dotted_name(parts, i + 1);
        if (v.type_ == TomlType::table) {
            if (v.origin_ == TomlValue::Origin::inline_table)
                fail_line(line, fmt::format("'{}' is an inline table (line {}), complete as written: a header cannot "
                                            "add to it",
                                            name, v.line_));
            return v;
        }
        if (v.type_ == TomlType::array && v.origin_ == TomlValue::Origin::array_of_tables) return v.array_.back();
        fail_line(line, fmt::format("'{}' is {} (line {}), so a header cannot add a table to it", name,
                                    v.type_ == TomlType::array ? "an array written as a value" : type_word(v.type_),
                                    v.line_));
    }

    // ---- values ----

    void value(TomlValue& v) {
        v.line_ = line_;
        v.origin_ = TomlValue::Origin::value;
        const char c = peek();
        if (c == '"') {
            v.type_ = TomlType::string;
            if (peek(1) == '"' && peek(2) == '"')
                multiline_string(v.string_, '"');
            else
                basic_string(v.string_);
        } else if (c == '\'') {
            v.type_ = TomlType::string;
            if (peek(1) == '\'' && peek(2) == '\'')
                multiline_string(v.string_, '\'');
            else
                literal_string(v.string_);
        } else if (c == '[' || c == '{') {
            // Arrays and inline tables recurse; a bound keeps a hostile file from
            // exhausting the stack.
            if (++depth_ > max_depth) fail(fmt::format("arrays and inline tables nested more than {} deep", max_depth));
            if (c == '[')
                array(v);
            else
                inline_table(v);
            --depth_;
        } else if (c == 't' || c == 'f') {
            boolean(v);
        } else if (is_digit(c) || c == '+' || c == '-' || c == 'i' || c == 'n') {
            number_or_datetime(v);
        } else {
            const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            fail(fmt::format("expected a value, found {}{}", found(), letter ? " (strings need quotes)" : ""));
        }
    }

    // After a scalar: what may follow a value anywhere.
    void require_value_end(const char* what) const {
        if (at_end()) return;
        char c = s_[p_];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '#' || c == ',' || c == ']' || c == '}') return;
        fail(fmt::format("unexpected {} after {}", found(), what));
    }

    void boolean(TomlValue& v) {
        v.type_ = TomlType::boolean;
        if (s_.compare(p_, 4, "true") == 0) {
            v.boolean_ = true;
            p_ += 4;
        } else if (s_.compare(p_, 5, "false") == 0) {
            v.boolean_ = false;
            p_ += 5;
        } else {
            fail("expected a value (booleans are true and false, in lower case; strings need quotes)");
        }
        require_value_end("a boolean");
    }

    void array(TomlValue& v) {
        const int open = line_;
        v.type_ = TomlType::array;
        ++p_;
        while (true) {
            skip_blank();
            if (peek() == ']') {
                ++p_;
                return;
            }
            if (at_end()) fail_line(open, "the array opened on this line is not closed with ']'");
            v.array_.emplace_back();
            value(v.array_.back());
            skip_blank();
            if (peek() == ',') {
                ++p_;
                continue;
            }
            if (peek() == ']') {
                ++p_;
                return;
            }
            if (at_end()) fail_line(open, "the array opened on this line is not closed with ']'");
            fail(fmt::format("expected ',' or ']' in the array (opened on line {}), found {}", open, found()));
        }
    }

    void inline_table(TomlValue& v) {
        v.type_ = TomlType::table;
        ++p_;
        skip_ws();
        if (peek() == '}') {
            ++p_;
            v.origin_ = TomlValue::Origin::inline_table;
            return;
        }
        while (true) {
            if (peek() == '\n' || peek() == '\r' || at_end())
                fail("an inline table must be closed with '}' on the line it starts on");
            key_value(v);
            skip_ws();
            if (peek() == ',') {
                ++p_;
                skip_ws();
                if (peek() == '}') fail("an inline table cannot end with a trailing comma");
                continue;
            }
            if (peek() == '}') {
                ++p_;
                // Complete as written: neither headers nor dotted keys may add to it.
                v.origin_ = TomlValue::Origin::inline_table;
                return;
            }
            if (peek() == '\n' || peek() == '\r' || at_end())
                fail("an inline table must be closed with '}' on the line it starts on");
            fail(fmt::format("expected ',' or '}}' in the inline table, found {}", found()));
        }
    }

    // ---- strings ----

    // Appends a run of plain characters, or one checked non-ASCII character; false
    // when the next character needs the caller.
    bool plain_run(std::string& out, const char* where) {
        std::size_t start = p_;
        while (p_ < s_.size() && is_plain(s_[p_])) ++p_;
        if (p_ > start) {
            out.append(s_.data() + start, p_ - start);
            return true;
        }
        if (at_end()) return false;
        auto u = static_cast<unsigned char>(s_[p_]);
        if (u >= 0x80) {
            std::size_t n = utf8_length(s_, p_);
            if (n == 0) fail(fmt::format("invalid UTF-8 in {}", where));
            out.append(s_.data() + p_, n);
            p_ += n;
            return true;
        }
        if (u == '\t') {
            out.push_back('\t');
            ++p_;
            return true;
        }
        return false;
    }

    [[noreturn]] void bad_control(const char* where) const {
        fail(fmt::format("control character U+{:04X} in {}; write it as an escape such as \\u{:04X} in a basic string",
                         static_cast<unsigned>(static_cast<unsigned char>(s_[p_])), where,
                         static_cast<unsigned>(static_cast<unsigned char>(s_[p_]))));
    }

    std::uint32_t hex_escape(std::size_t count) {
        std::uint32_t cp = 0;
        for (std::size_t i = 0; i < count; ++i) {
            char c = peek(i);
            int d = is_digit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
            if (d < 0) fail(fmt::format("\\{} needs {} hex digits", count == 4 ? 'u' : 'U', count));
            cp = cp * 16 + static_cast<std::uint32_t>(d);
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            fail(fmt::format("\\{} escape U+{:X} is not a Unicode scalar value", count == 4 ? 'u' : 'U', cp));
        p_ += count;
        return cp;
    }

    // At a backslash in a basic string.
    void escape(std::string& out) {
        ++p_;
        char c = peek();
        switch (c) {
        case 'b': out.push_back('\b'); break;
        case 't': out.push_back('\t'); break;
        case 'n': out.push_back('\n'); break;
        case 'f': out.push_back('\f'); break;
        case 'r': out.push_back('\r'); break;
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case 'u':
            ++p_;
            append_utf8(out, hex_escape(4));
            return;
        case 'U':
            ++p_;
            append_utf8(out, hex_escape(8));
            return;
        default:
            fail(fmt::format("unknown escape '\\{}' (valid: \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)",
                             at_end() ? std::string() : found()));
        }
        ++p_;
    }

    void basic_string(std::string& out) {
        ++p_;
        while (true) {
            if (plain_run(out, "a string")) continue;
            if (at_end()) fail("the string is not closed with '\"'");
            char c = s_[p_];
            if (c == '"') {
                ++p_;
                return;
            }
            if (c == '\'') {
                out.push_back('\'');
                ++p_;
                continue;
            }
            if (c == '\\') {
                escape(out);
                continue;
            }
            if (c == '\n' || c == '\r')
                fail("the string is not closed with '\"' on its line (use \"\"\" for a multi-line string)");
            bad_control("a string");
        }
    }

    void literal_string(std::string& out) {
        ++p_;
        while (true) {
            if (plain_run(out, "a string")) continue;
            if (at_end()) fail("the literal string is not closed with \"'\"");
            char c = s_[p_];
            if (c == '\'') {
                ++p_;
                return;
            }
            if (c == '"' || c == '\\') {
                out.push_back(c);
                ++p_;
                continue;
            }
            if (c == '\n' || c == '\r')
                fail("the literal string is not closed with \"'\" on its line (use ''' for a multi-line string)");
            bad_control("a literal string");
        }
    }

    // At a run of `quote` characters inside a multi-line string: true when it closes
    // the string (three to five quotes, the extra ones part of the content).
    bool closing_quotes(std::string& out, char quote) {
        std::size_t n = 0;
        while (peek(n) == quote) ++n;
        if (n < 3) {
            out.append(n, quote);
            p_ += n;
            return false;
        }
        if (n > 5) fail(fmt::format("{} quotes in a row inside a multi-line string; escape some of them", n));
        out.append(n - 3, quote);
        p_ += n;
        return true;
    }

    // """basic""" (escapes, line-ending backslash) or '''literal''' (as written), by `quote`.
    void multiline_string(std::string& out, char quote) {
        const bool basic = quote == '"';
        const int open = line_;
        p_ += 3;
        take_newline();
        while (true) {
            if (plain_run(out, "a string")) continue;
            if (at_end())
                fail_line(open, basic ? "the multi-line string opened on this line is not closed with \"\"\""
                                      : "the multi-line literal string opened on this line is not closed with '''");
            char c = s_[p_];
            if (c == quote) {
                if (closing_quotes(out, quote)) return;
                continue;
            }
            if (c == '\n' || c == '\r') {
                take_newline();
                out.push_back('\n');
                continue;
            }
            if (c == '\\' && basic) {
                // A backslash that ends a line (spaces may follow it) joins the lines:
                // it, the new line and the white space and new lines after it go.
                std::size_t q = p_ + 1;
                while (q < s_.size() && (s_[q] == ' ' || s_[q] == '\t')) ++q;
                if (q < s_.size() && (s_[q] == '\n' || s_[q] == '\r')) {
                    p_ = q;
                    while (take_newline() || peek() == ' ' || peek() == '\t') {
                        if (peek() == ' ' || peek() == '\t') ++p_;
                    }
                    continue;
                }
                escape(out);
                continue;
            }
            if (c == '"' || c == '\'' || c == '\\') {  // the other quote; a literal backslash
                out.push_back(c);
                ++p_;
                continue;
            }
            bad_control(basic ? "a string" : "a literal string");
        }
    }

    // ---- numbers and date-times ----

    void number_or_datetime(TomlValue& v) {
        const std::size_t start = p_;
        while (p_ < s_.size() && is_token_char(s_[p_])) ++p_;
        // A date and a time may be separated by one space.
        if (p_ - start == 10 && digits(s_, start, 4) >= 0 && s_[start + 4] == '-' && peek() == ' ' &&
            is_digit(peek(1)) && is_digit(peek(2)) && peek(3) == ':') {
            ++p_;
            while (p_ < s_.size() && is_token_char(s_[p_])) ++p_;
        }
        const std::string_view token = s_.substr(start, p_ - start);
        const std::size_t end = p_;
        p_ = start;  // errors point at the token's start
        if (token.size() >= 5 && digits(token, 0, 4) >= 0 && token[4] == '-')
            datetime(v, token);
        else if (token.size() >= 3 && digits(token, 0, 2) >= 0 && token[2] == ':')
            local_time(v, token);
        else
            number(v, token);
        p_ = end;
        require_value_end(v.type_ == TomlType::integer ? "an integer" : v.type_ == TomlType::floating ? "a float" : "a date-time");
    }

    // hh:mm:ss[.fraction] at token[at]; returns the position after it.
    std::size_t time_part(std::string_view token, std::size_t at, TomlTime& time) const {
        time.hour = digits(token, at, 2);
        time.minute = at + 2 < token.size() && token[at + 2] == ':' ? digits(token, at + 3, 2) : -1;
        time.second = at + 5 < token.size() && token[at + 5] == ':' ? digits(token, at + 6, 2) : -1;
        if (time.hour < 0 || time.minute < 0 || time.second < 0)
            fail(fmt::format("bad time in '{}': write hh:mm:ss (seconds are required)", token));
        if (time.hour > 23 || time.minute > 59 || time.second > 60)
            fail(fmt::format("time out of range in '{}'", token));
        std::size_t q = at + 8;
        time.nanosecond = 0;
        if (q < token.size() && token[q] == '.') {
            ++q;
            std::size_t first = q;
            int scale = 100000000;
            while (q < token.size() && is_digit(token[q])) {
                time.nanosecond += (token[q] - '0') * scale;
                scale /= 10;
                ++q;
            }
            if (q == first) fail(fmt::format("bad time in '{}': digits must follow the '.'", token));
        }
        return q;
    }

    void datetime(TomlValue& v, std::string_view token) {
        TomlDate& d = v.date_;
        d.year = digits(token, 0, 4);
        d.month = token[4] == '-' ? digits(token, 5, 2) : -1;
        d.day = token.size() >= 10 && token[7] == '-' ? digits(token, 8, 2) : -1;
        if (d.year < 0 || d.month < 0 || d.day < 0) fail(fmt::format("bad date '{}': write YYYY-MM-DD", token));
        if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month))
            fail(fmt::format("date out of range in '{}'", token));
        if (token.size() == 10) {
            v.type_ = TomlType::local_date;
            return;
        }
        if (token[10] != 'T' && token[10] != 't' && token[10] != ' ')
            fail(fmt::format("bad date-time '{}': separate the date and time with 'T'", token));
        std::size_t q = time_part(token, 11, v.time_);
        if (q == token.size()) {
            v.type_ = TomlType::local_datetime;
            return;
        }
        v.type_ = TomlType::offset_datetime;
        if ((token[q] == 'Z' || token[q] == 'z') && q + 1 == token.size()) {
            v.offset_minutes_ = 0;
            return;
        }
        if ((token[q] == '+' || token[q] == '-') && q + 6 == token.size() && token[q + 3] == ':') {
            int hours = digits(token, q + 1, 2);
            int minutes = digits(token, q + 4, 2);
            if (hours >= 0 && minutes >= 0) {
                if (hours > 23 || minutes > 59) fail(fmt::format("time offset out of range in '{}'", token));
                v.offset_minutes_ = (token[q] == '-' ? -1 : 1) * (hours * 60 + minutes);
                return;
            }
        }
        fail(fmt::format("bad date-time '{}': the offset must be Z or +hh:mm / -hh:mm", token));
    }

    void local_time(TomlValue& v, std::string_view token) {
        v.type_ = TomlType::local_time;
        if (time_part(token, 0, v.time_) != token.size())
            fail(fmt::format("bad time '{}': a time alone has no offset", token));
    }

    // Digits with single '_' between them, in `base`; appends the digits to `out`.
    // False when the run is empty or an '_' is misplaced.
    static bool digit_run(std::string_view text, std::size_t& at, int base, std::string& out) {
        auto ok = [&](char c) {
            if (base == 16) return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            return c >= '0' && c < static_cast<char>('0' + base);
        };
        if (at >= text.size() || !ok(text[at])) return false;
        while (at < text.size()) {
            if (ok(text[at])) {
                out.push_back(text[at++]);
            } else if (text[at] == '_') {
                if (at + 1 >= text.size() || !ok(text[at + 1])) return false;
                ++at;
            } else {
                break;
            }
        }
        return true;
    }

    void number(TomlValue& v, std::string_view token) {
        std::size_t at = 0;
        const bool negative = token[0] == '-';
        const bool sign = token[0] == '-' || token[0] == '+';
        if (sign) ++at;
        std::string_view rest = token.substr(at);
        if (rest == "inf" || rest == "nan") {
            v.type_ = TomlType::floating;
            v.floating_ = rest == "inf" ? std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
            if (negative) v.floating_ = -v.floating_;
            return;
        }
        std::string clean;
        if (rest.size() > 1 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'o' || rest[1] == 'b')) {
            if (sign) fail(fmt::format("'{}': hexadecimal, octal and binary integers take no sign", token));
            const int base = rest[1] == 'x' ? 16 : rest[1] == 'o' ? 8 : 2;
            at += 2;
            if (!digit_run(token, at, base, clean) || at != token.size())
                fail(fmt::format("bad integer '{}'", token));
            std::uint64_t value = 0;
            auto [ptr, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), value, base);
            if (ec != std::errc() || value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                fail(fmt::format("integer '{}' does not fit in 64 bits", token));
            v.type_ = TomlType::integer;
            v.integer_ = static_cast<std::int64_t>(value);
            return;
        }

        if (negative) clean.push_back('-');
        const std::size_t int_start = at;
        if (!digit_run(token, at, 10, clean)) fail(fmt::format("bad number '{}'", token));
        if (token[int_start] == '0' && at - int_start > 1)
            fail(fmt::format("bad number '{}': leading zeros are not allowed", token));
        bool is_float = false;
        int exponent_sign = 0;
        if (at < token.size() && token[at] == '.') {
            is_float = true;
            clean.push_back('.');
            ++at;
            if (!digit_run(token, at, 10, clean))
                fail(fmt::format("bad float '{}': digits must follow the '.'", token));
        }
        if (at < token.size() && (token[at] == 'e' || token[at] == 'E')) {
            is_float = true;
            clean.push_back('e');
            ++at;
            exponent_sign = 1;
            if (at < token.size() && (token[at] == '+' || token[at] == '-')) {
                if (token[at] == '-') exponent_sign = -1;
                clean.push_back(token[at++]);
            }
            if (!digit_run(token, at, 10, clean)) fail(fmt::format("bad float '{}': the exponent needs digits", token));
        }
        if (at != token.size()) fail(fmt::format("bad number '{}'", token));

        if (is_float) {
            double value = 0;
            auto [ptr, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), value);
            if (ec == std::errc::result_out_of_range) {
                // Too small to represent is zero; too large is an error.
                if (exponent_sign >= 0) fail(fmt::format("float '{}' is out of range", token));
                value = negative ? -0.0 : 0.0;
            } else if (ec != std::errc()) {
                fail(fmt::format("bad float '{}'", token));
            }
            v.type_ = TomlType::floating;
            v.floating_ = value;
            return;
        }
        std::int64_t value = 0;
        auto [ptr, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), value);
        if (ec != std::errc()) fail(fmt::format("integer '{}' does not fit in 64 bits", token));
        v.type_ = TomlType::integer;
        v.integer_ = value;
    }

    static constexpr int max_depth = 256;

    std::string_view s_;
    const std::string& file_;
    std::size_t p_ = 0;
    int line_ = 1;
    int depth_ = 0;
};

TomlValue parse_toml(std::string_view text, const std::string& file) { return TomlParser(text, file).parse(); }

}  // namespace strata::detail
