// The raw-SQL parameter translator (dialects/sql_text.hpp). One pass over the text:
// quoted sections and comments are copied whole, `?` and `:name` outside them become the
// dialect's placeholders, everything else is copied as it is.
#include "dialects/sql_text.hpp"

#include <fmt/format.h>

#include <unordered_map>

#include "core/error.hpp"

namespace strata {

namespace {

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }
// A character that continues an identifier or a number (UTF-8 bytes included), so that
// a ':' or '$' right after it is not the start of a parameter or a dollar quote.
bool is_word_char(char c) { return is_name_char(c) || c == '$' || static_cast<unsigned char>(c) >= 0x80; }

// Just past the quoted section opening at `i` (doubled quotes inside stay in it), or the
// end of the text when it is not closed (the database reports that).
std::size_t skip_quoted(std::string_view sql, std::size_t i, char quote, bool backslash) {
    for (std::size_t j = i + 1; j < sql.size(); ++j) {
        if (backslash && sql[j] == '\\') {
            ++j;
        } else if (sql[j] == quote) {
            if (j + 1 < sql.size() && sql[j + 1] == quote)
                ++j;
            else
                return j + 1;
        }
    }
    return sql.size();
}

// The end of the line comment starting at `i` (its newline is copied as ordinary text).
std::size_t skip_line(std::string_view sql, std::size_t i) {
    std::size_t end = sql.find('\n', i);
    return end == std::string_view::npos ? sql.size() : end;
}

std::size_t skip_block_comment(std::string_view sql, std::size_t i, bool nested) {
    int depth = 0;
    std::size_t j = i;
    while (j + 1 < sql.size()) {
        if (sql[j] == '/' && sql[j + 1] == '*' && (nested || depth == 0)) {
            ++depth;
            j += 2;
        } else if (sql[j] == '*' && sql[j + 1] == '/') {
            j += 2;
            if (--depth == 0) return j;
        } else {
            ++j;
        }
    }
    return sql.size();
}

// The dollar-quote delimiter opening at `i` ("$$" or "$tag$"), or empty.
std::string_view dollar_tag(std::string_view sql, std::size_t i) {
    std::size_t j = i + 1;
    if (j < sql.size() && is_name_start(sql[j]))
        while (j < sql.size() && is_name_char(sql[j])) ++j;
    if (j < sql.size() && sql[j] == '$') return sql.substr(i, j - i + 1);
    return {};
}

class Translator {
public:
    Translator(std::string_view sql, const SqlParams& params, const SqlSyntax& syntax)
        : sql_(sql), params_(params), syntax_(syntax) {
        const auto& named = params.named();
        for (std::size_t k = 0; k < named.size(); ++k)
            if (!index_.try_emplace(named[k].first, k).second)
                fail(fmt::format("the value :{} is given twice", named[k].first));
        slot_.assign(named.size(), 0);
    }

    BoundSql run() {
        out_.sql.reserve(sql_.size() + 16);
        std::size_t i = 0;
        while (i < sql_.size()) {
            std::size_t end = skip_section(i);
            if (end != i) {
                out_.sql.append(sql_.substr(i, end - i));
                i = end;
            } else {
                i = token(i);
            }
        }
        check_counts();
        return std::move(out_);
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        ErrorDetails details;
        details.sql = std::string(sql_);
        throw Error(ErrorKind::usage, "raw SQL: " + what, std::move(details));
    }

    char at(std::size_t i) const { return i < sql_.size() ? sql_[i] : '\0'; }
    bool after_word(std::size_t i) const { return i > 0 && is_word_char(sql_[i - 1]); }

    // Just past a string, quoted name, comment or dollar-quoted string starting at `i`;
    // `i` when none starts there.
    std::size_t skip_section(std::size_t i) const {
        const char c = sql_[i];
        if (c == '\'') {
            bool escape_string =
                syntax_.escape_strings && i > 0 && (sql_[i - 1] == 'E' || sql_[i - 1] == 'e') && !after_word(i - 1);
            return skip_quoted(sql_, i, '\'', syntax_.backslash_escapes || escape_string);
        }
        if (c == '"') return skip_quoted(sql_, i, '"', syntax_.backslash_escapes);
        if (c == '`') return skip_quoted(sql_, i, '`', false);
        if (c == '-' && at(i + 1) == '-') return skip_line(sql_, i);
        if (c == '#' && syntax_.hash_comments) return skip_line(sql_, i);
        if (c == '/' && at(i + 1) == '*') return skip_block_comment(sql_, i, syntax_.nested_comments);
        if (c == '$' && syntax_.dollar_quotes && !after_word(i)) {
            std::string_view tag = dollar_tag(sql_, i);
            if (!tag.empty()) {
                std::size_t close = sql_.find(tag, i + tag.size());
                return close == std::string_view::npos ? sql_.size() : close + tag.size();
            }
        }
        return i;
    }

    // One character (or a parameter, `::`, `:=`, `\:`) of ordinary text at `i`; returns
    // the position after it.
    std::size_t token(std::size_t i) {
        const char c = sql_[i];
        if (c == '?') {
            if (is_digit(at(i + 1))) fail("numbered ?N placeholders are not portable; write ? (in order) or :name");
            question();
            return i + 1;
        }
        if (c == ':') return colon(i);
        if (c == '\\' && at(i + 1) == ':') {
            out_.sql += ':';
            return i + 2;
        }
        if (c == '$' && syntax_.placeholders == PlaceholderStyle::dollar_number && is_digit(at(i + 1)) &&
            !after_word(i))
            fail("native $N placeholders are not accepted in portable SQL; write ? (in order) or :name");
        out_.sql += c;
        return i + 1;
    }

    std::size_t colon(std::size_t i) {
        const char next = at(i + 1);
        if (next == ':' || next == '=') {  // a ::type cast, MySQL's :=
            out_.sql.append(sql_.substr(i, 2));
            return i + 2;
        }
        if (after_word(i) || !is_name_start(next)) {
            out_.sql += ':';
            return i + 1;
        }
        std::size_t end = i + 1;
        while (end < sql_.size() && is_name_char(sql_[end])) ++end;
        name(sql_.substr(i + 1, end - i - 1));
        return end;
    }

    void question() {
        if (names_used_ > 0) fail("the statement mixes ? and :name parameters; use one style");
        if (params_.is_named() && params_.size() > 0)
            fail(
                "the statement uses ? placeholders but named values were given; write :name in the statement or "
                "pass the values in order");
        ++questions_;
        out_.sql += placeholder(syntax_.placeholders, questions_);
    }

    void name(std::string_view n) {
        if (questions_ > 0) fail("the statement mixes ? and :name parameters; use one style");
        if (!params_.is_named() && params_.size() > 0)
            fail(
                fmt::format("the statement uses named parameters (:{}) but the values were given in order; pass "
                            "{{\"name\", value}} pairs",
                            n));
        auto found = index_.find(n);
        if (found == index_.end()) fail(fmt::format("no value given for :{}{}", n, given_names()));
        ++names_used_;
        const std::size_t k = found->second;
        const Value& value = params_.named()[k].second;
        if (syntax_.placeholders == PlaceholderStyle::dollar_number) {
            if (slot_[k] == 0) {  // first use: a new $n; later uses refer to it again
                out_.params.push_back(value);
                slot_[k] = out_.params.size();
            }
            out_.sql += placeholder(syntax_.placeholders, slot_[k]);
        } else {
            out_.params.push_back(value);
            slot_[k] = out_.params.size();
            out_.sql += placeholder(syntax_.placeholders, out_.params.size());
        }
    }

    std::string given_names() const {
        if (params_.named().empty()) return " (no named values were given)";
        std::string out = " (given:";
        for (const auto& [n, v] : params_.named()) out += " :" + n;
        return out + ")";
    }

    void check_counts() {
        if (names_used_ > 0) {
            for (std::size_t k = 0; k < slot_.size(); ++k)
                if (slot_[k] == 0)
                    fail(fmt::format("the value :{} was given but the statement does not use it",
                                     params_.named()[k].first));
            return;
        }
        if (params_.is_named() && params_.size() > 0)
            fail(fmt::format("named values were given (:{}) but the statement has no :name parameter",
                             params_.named().front().first));
        if (params_.positional().size() != questions_)
            fail(fmt::format("the statement has {} ? placeholder(s) but {} value(s) were given", questions_,
                             params_.positional().size()));
        out_.params = params_.positional();
    }

    std::string_view sql_;
    const SqlParams& params_;
    const SqlSyntax& syntax_;
    std::unordered_map<std::string_view, std::size_t> index_;  // name -> its pair in params_
    std::vector<std::size_t> slot_;  // per named value: its 1-based parameter once used, 0 before
    std::size_t questions_ = 0;
    std::size_t names_used_ = 0;
    BoundSql out_;
};

}  // namespace

BoundSql bind_sql(std::string_view sql, const SqlParams& params, const SqlSyntax& syntax) {
    return Translator(sql, params, syntax).run();
}

}  // namespace strata
