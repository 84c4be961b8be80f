#include "dialects/sqlite/sqlite_create_table.hpp"

#include <cstddef>

namespace strata {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
// SQLite treats every byte >= 0x80 as an identifier character (UTF-8 names).
bool is_word_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool is_word_char(char c) { return is_word_start(c) || is_digit(c) || c == '$'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Index just past a quoted run starting at `pos` (which holds the opening quote);
// a doubled closing quote is an escaped quote. Unterminated: the end of the text.
std::size_t skip_quoted(std::string_view s, std::size_t pos, char close) {
    std::size_t i = pos + 1;
    while (i < s.size()) {
        if (s[i] == close) {
            if (close != ']' && i + 1 < s.size() && s[i + 1] == close) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        ++i;
    }
    return s.size();
}

std::string trim(std::string_view text) {
    std::size_t b = 0, e = text.size();
    while (b < e && is_space(text[b])) ++b;
    while (e > b && is_space(text[e - 1])) --e;
    return std::string(text.substr(b, e - b));
}

using Tokens = std::vector<SqliteToken>;

// A view of the source between two tokens: from the start of token `first` to the end
// of token `last` (inclusive).
std::string_view slice(std::string_view sql, const Tokens& t, std::size_t first, std::size_t last) {
    std::size_t b = t[first].offset;
    std::size_t e = t[last].offset + t[last].text.size();
    return sql.substr(b, e - b);
}

// The text strictly inside the parentheses at `open` .. `close`.
std::string inside(std::string_view sql, const Tokens& t, std::size_t open, std::size_t close) {
    std::size_t b = t[open].offset + 1;
    std::size_t e = t[close].offset;
    return e > b ? trim(sql.substr(b, e - b)) : std::string();
}

// Reads "( a [COLLATE x] [ASC|DESC], b, ... )" at `open`: the first name of each item.
std::vector<std::string> name_list(const Tokens& t, std::size_t open, std::size_t end, std::size_t& after) {
    std::vector<std::string> names;
    std::size_t close = sqlite_matching_paren(t, open, end);
    after = close < end ? close + 1 : end;
    bool item_start = true;
    int depth = 0;
    for (std::size_t i = open + 1; i < close; ++i) {
        if (t[i].is_punct('(')) ++depth;
        else if (t[i].is_punct(')')) --depth;
        else if (depth == 0 && t[i].is_punct(',')) {
            item_start = true;
            continue;
        }
        if (item_start && depth == 0 && t[i].is_name()) names.push_back(t[i].value());
        item_start = false;
    }
    return names;
}

bool is_column_constraint_start(const SqliteToken& tok) {
    static constexpr std::string_view kWords[] = {"CONSTRAINT", "PRIMARY", "NOT",        "NULL",      "UNIQUE", "CHECK",
                                                  "DEFAULT",    "COLLATE", "REFERENCES", "GENERATED", "AS"};
    for (std::string_view w : kWords)
        if (tok.is(w)) return true;
    return false;
}

// Skips "ON CONFLICT <resolution>" at `i`.
std::size_t skip_conflict(const Tokens& t, std::size_t i, std::size_t end) {
    if (i + 2 < end && t[i].is("ON") && t[i + 1].is("CONFLICT")) return i + 3;
    return i;
}

// Reads a foreign-key action at `i` ("SET NULL", "NO ACTION", "CASCADE", ...).
std::string fk_action(const Tokens& t, std::size_t& i, std::size_t end) {
    if (i >= end) return {};
    if ((t[i].is("SET") || t[i].is("NO")) && i + 1 < end) {
        std::string out = t[i].is("SET") ? "SET " : "NO ";
        std::string second = t[i + 1].value();
        for (char& c : second) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
        i += 2;
        return out + second;
    }
    std::string out = t[i].value();
    for (char& c : out) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    ++i;
    return out;
}

// Reads "REFERENCES table [(cols)] [ON DELETE a] [ON UPDATE a] [MATCH x] [[NOT] DEFERRABLE ...]"
// starting at the REFERENCES token `i`; returns the index after the clause.
std::size_t references_clause(const Tokens& t, std::size_t i, std::size_t end, SqliteCreateTable::ForeignKey& fk) {
    ++i;  // REFERENCES
    if (i < end && t[i].is_name()) fk.ref_table = t[i++].value();
    if (i < end && t[i].is_punct('(')) fk.ref_columns = name_list(t, i, end, i);
    while (i < end) {
        if (t[i].is("ON") && i + 1 < end && (t[i + 1].is("DELETE") || t[i + 1].is("UPDATE"))) {
            bool del = t[i + 1].is("DELETE");
            i += 2;
            std::string action = fk_action(t, i, end);
            (del ? fk.on_delete : fk.on_update) = action;
        } else if (t[i].is("MATCH") && i + 1 < end) {
            i += 2;
        } else if (t[i].is("NOT") && i + 1 < end && t[i + 1].is("DEFERRABLE")) {
            i += 2;
        } else if (t[i].is("DEFERRABLE")) {
            ++i;
        } else if (t[i].is("INITIALLY") && i + 1 < end) {
            i += 2;
        } else {
            break;
        }
    }
    return i;
}

void parse_table_constraint(std::string_view sql, const Tokens& t, std::size_t i, std::size_t end,
                            SqliteCreateTable& out) {
    std::string name;
    while (i < end) {
        if (t[i].is("CONSTRAINT") && i + 1 < end) {
            name = t[i + 1].value();
            i += 2;
        } else if (t[i].is("PRIMARY") && i + 2 < end && t[i + 2].is_punct('(')) {
            out.primary_key_name = name;
            out.primary_key = name_list(t, i + 2, end, i);
            i = skip_conflict(t, i, end);
            name.clear();
        } else if (t[i].is("UNIQUE") && i + 1 < end && t[i + 1].is_punct('(')) {
            SqliteCreateTable::Unique u{name, name_list(t, i + 1, end, i)};
            out.uniques.push_back(std::move(u));
            i = skip_conflict(t, i, end);
            name.clear();
        } else if (t[i].is("CHECK") && i + 1 < end && t[i + 1].is_punct('(')) {
            std::size_t close = sqlite_matching_paren(t, i + 1, end);
            out.checks.push_back({name, inside(sql, t, i + 1, std::min(close, end - 1)), ""});
            i = close + 1;
            name.clear();
        } else if (t[i].is("FOREIGN") && i + 2 < end && t[i + 2].is_punct('(')) {
            SqliteCreateTable::ForeignKey fk;
            fk.name = name;
            fk.columns = name_list(t, i + 2, end, i);
            if (i < end && t[i].is("REFERENCES")) i = references_clause(t, i, end, fk);
            out.foreign_keys.push_back(std::move(fk));
            name.clear();
        } else {
            ++i;  // something this parser does not know: skip it
        }
    }
}

void parse_column(std::string_view sql, const Tokens& t, std::size_t i, std::size_t end, SqliteCreateTable& out) {
    SqliteCreateTable::Column col;
    col.name = t[i++].value();
    // The type name: every token up to the first column constraint keyword.
    std::size_t type_first = i, type_last = i;
    while (i < end && !is_column_constraint_start(t[i])) {
        if (t[i].is_punct('(')) i = sqlite_matching_paren(t, i, end);
        type_last = i;
        ++i;
    }
    if (i > type_first) col.declared_type = std::string(slice(sql, t, type_first, std::min(type_last, end - 1)));

    std::string name;
    while (i < end) {
        const SqliteToken& k = t[i];
        if (k.is("CONSTRAINT") && i + 1 < end) {
            name = t[i + 1].value();
            i += 2;
            continue;
        }
        if (k.is("PRIMARY") && i + 1 < end && t[i + 1].is("KEY")) {
            i += 2;
            col.primary_key = true;
            out.primary_key = {col.name};
            out.primary_key_name = name;
            if (i < end && (t[i].is("ASC") || t[i].is("DESC"))) ++i;
            i = skip_conflict(t, i, end);
            if (i < end && t[i].is("AUTOINCREMENT")) {
                col.autoincrement = true;
                ++i;
            }
        } else if (k.is("NOT") && i + 1 < end && t[i + 1].is("NULL")) {
            i = skip_conflict(t, i + 2, end);
        } else if (k.is("NULL")) {
            i = skip_conflict(t, i + 1, end);
        } else if (k.is("UNIQUE")) {
            out.uniques.push_back({name, {col.name}});
            i = skip_conflict(t, i + 1, end);
        } else if (k.is("CHECK") && i + 1 < end && t[i + 1].is_punct('(')) {
            std::size_t close = sqlite_matching_paren(t, i + 1, end);
            out.checks.push_back({name, inside(sql, t, i + 1, std::min(close, end - 1)), col.name});
            i = close + 1;
        } else if (k.is("DEFAULT") && i + 1 < end) {
            std::size_t first = i + 1, last = i + 1;
            if (t[first].is_punct('(')) {
                last = std::min(sqlite_matching_paren(t, first, end), end - 1);
            } else if ((t[first].is_punct('-') || t[first].is_punct('+')) && first + 1 < end) {
                last = first + 1;
            }
            col.default_text = std::string(slice(sql, t, first, last));
            i = last + 1;
        } else if (k.is("COLLATE") && i + 1 < end) {
            i += 2;
        } else if (k.is("REFERENCES")) {
            SqliteCreateTable::ForeignKey fk;
            fk.name = name;
            fk.columns = {col.name};
            i = references_clause(t, i, end, fk);
            out.foreign_keys.push_back(std::move(fk));
        } else if ((k.is("GENERATED") || k.is("AS"))) {
            while (i < end && !t[i].is_punct('(')) ++i;
            if (i < end) {
                std::size_t close = std::min(sqlite_matching_paren(t, i, end), end - 1);
                col.generated = inside(sql, t, i, close);
                i = close + 1;
            }
            if (i < end && (t[i].is("STORED") || t[i].is("VIRTUAL"))) {
                col.generated_stored = t[i].is("STORED");
                ++i;
            }
        } else {
            ++i;
            continue;  // unknown token: keep a pending CONSTRAINT name for what follows
        }
        name.clear();
    }
    out.columns.push_back(std::move(col));
}

}  // namespace

std::size_t sqlite_matching_paren(const std::vector<SqliteToken>& t, std::size_t open, std::size_t end) {
    int depth = 0;
    for (std::size_t i = open; i < end; ++i) {
        if (t[i].is_punct('(')) ++depth;
        else if (t[i].is_punct(')') && --depth == 0) return i;
    }
    return end;
}

std::string SqliteToken::value() const {
    if (kind == Kind::string || kind == Kind::quoted) {
        if (text.empty()) return {};
        char open = text.front();
        char close = open == '[' ? ']' : open;
        std::string_view body = text.substr(1);
        if (!body.empty() && body.back() == close) body.remove_suffix(1);
        std::string out;
        out.reserve(body.size());
        for (std::size_t i = 0; i < body.size(); ++i) {
            out += body[i];
            if (close != ']' && body[i] == close && i + 1 < body.size() && body[i + 1] == close) ++i;
        }
        return out;
    }
    return std::string(text);
}

bool SqliteToken::is(std::string_view keyword) const noexcept {
    return kind == Kind::word && sqlite_same_name(text, keyword);
}

bool sqlite_same_name(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

std::vector<SqliteToken> tokenize_sqlite(std::string_view s) {
    std::vector<SqliteToken> out;
    std::size_t i = 0;
    auto push = [&](SqliteToken::Kind kind, std::size_t begin, std::size_t end) {
        out.push_back({kind, s.substr(begin, end - begin), begin});
    };
    while (i < s.size()) {
        char c = s[i];
        if (is_space(c)) {
            ++i;
        } else if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
            while (i < s.size() && s[i] != '\n') ++i;
        } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
            std::size_t close = s.find("*/", i + 2);
            i = close == std::string_view::npos ? s.size() : close + 2;
        } else if (c == '\'') {
            std::size_t e = skip_quoted(s, i, '\'');
            push(SqliteToken::Kind::string, i, e);
            i = e;
        } else if (c == '"' || c == '`' || c == '[') {
            std::size_t e = skip_quoted(s, i, c == '[' ? ']' : c);
            push(SqliteToken::Kind::quoted, i, e);
            i = e;
        } else if ((c == 'x' || c == 'X') && i + 1 < s.size() && s[i + 1] == '\'') {
            std::size_t e = skip_quoted(s, i + 1, '\'');
            push(SqliteToken::Kind::blob, i, e);
            i = e;
        } else if (is_digit(c) || (c == '.' && i + 1 < s.size() && is_digit(s[i + 1]))) {
            std::size_t b = i;
            if (c == '0' && i + 1 < s.size() && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
                i += 2;
                while (i < s.size() && is_hex(s[i])) ++i;
            } else {
                while (i < s.size() && (is_digit(s[i]) || s[i] == '.' || s[i] == '_')) ++i;
                if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
                    std::size_t j = i + 1;
                    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
                    if (j < s.size() && is_digit(s[j])) {
                        i = j;
                        while (i < s.size() && is_digit(s[i])) ++i;
                    }
                }
            }
            push(SqliteToken::Kind::number, b, i);
        } else if (is_word_start(c)) {
            std::size_t b = i;
            while (i < s.size() && is_word_char(s[i])) ++i;
            push(SqliteToken::Kind::word, b, i);
        } else if (c == '?' || ((c == ':' || c == '@' || c == '$') && i + 1 < s.size() && is_word_char(s[i + 1]))) {
            std::size_t b = i++;
            while (i < s.size() && is_word_char(s[i])) ++i;
            push(SqliteToken::Kind::parameter, b, i);
        } else {
            static constexpr std::string_view kTwo[] = {"||", "<=", ">=", "==", "!=", "<>", "<<", ">>", "->"};
            std::size_t len = 1;
            if (s.substr(i, 3) == "->>") {
                len = 3;
            } else {
                for (std::string_view op : kTwo)
                    if (s.substr(i, 2) == op) len = 2;
            }
            push(SqliteToken::Kind::punct, i, i + len);
            i += len;
        }
    }
    return out;
}

const SqliteCreateTable::Column* SqliteCreateTable::find_column(std::string_view column) const noexcept {
    for (const Column& c : columns)
        if (sqlite_same_name(c.name, column)) return &c;
    return nullptr;
}

std::optional<SqliteCreateTable> parse_sqlite_create_table(std::string_view sql) {
    Tokens t = tokenize_sqlite(sql);
    std::size_t n = t.size();
    std::size_t i = 0;
    if (i >= n || !t[i].is("CREATE")) return std::nullopt;
    ++i;
    if (i < n && (t[i].is("TEMP") || t[i].is("TEMPORARY"))) ++i;
    if (i >= n || !t[i].is("TABLE")) return std::nullopt;  // also CREATE VIRTUAL TABLE
    ++i;
    if (i + 2 < n && t[i].is("IF") && t[i + 1].is("NOT") && t[i + 2].is("EXISTS")) i += 3;
    if (i >= n || !t[i].is_name()) return std::nullopt;

    SqliteCreateTable out;
    out.name = t[i++].value();
    if (i + 1 < n && t[i].is_punct('.') && t[i + 1].is_name()) {  // schema.table
        out.name = t[i + 1].value();
        i += 2;
    }
    if (i >= n || !t[i].is_punct('(')) return std::nullopt;  // CREATE TABLE ... AS SELECT
    std::size_t open = i;
    std::size_t close = sqlite_matching_paren(t, open, n);

    // Each top-level comma-separated element is a column definition or a table constraint.
    std::size_t element = open + 1;
    int depth = 0;
    for (std::size_t j = open + 1; j <= close && j <= n; ++j) {
        bool at_end = j == close || j == n;
        if (!at_end) {
            if (t[j].is_punct('(')) ++depth;
            else if (t[j].is_punct(')')) --depth;
            if (depth > 0 || !t[j].is_punct(',')) continue;
        }
        if (element < j) {
            const SqliteToken& first = t[element];
            bool constraint = first.is("CONSTRAINT") || first.is("PRIMARY") || first.is("UNIQUE") ||
                              first.is("CHECK") || first.is("FOREIGN");
            if (constraint) parse_table_constraint(sql, t, element, j, out);
            else if (first.is_name()) parse_column(sql, t, element, j, out);
        }
        element = j + 1;
        if (at_end) break;
    }

    for (std::size_t j = close + 1; j < n; ++j) {
        if (t[j].is("ROWID") && j > 0 && t[j - 1].is("WITHOUT")) out.without_rowid = true;
        if (t[j].is("STRICT")) out.strict = true;
    }
    return out;
}

std::optional<std::vector<std::string>> parse_sqlite_enum_check(std::string_view expression,
                                                                 std::string_view column) {
    Tokens t = tokenize_sqlite(expression);
    // Outer parentheses around the whole expression are allowed: ("c" IN ('a')).
    std::size_t b = 0, e = t.size();
    while (e - b >= 2 && t[b].is_punct('(') && sqlite_matching_paren(t, b, e) == e - 1) {
        ++b;
        --e;
    }
    if (e - b < 5) return std::nullopt;
    if (!(t[b].kind == SqliteToken::Kind::word || t[b].kind == SqliteToken::Kind::quoted) ||
        !sqlite_same_name(t[b].value(), column))
        return std::nullopt;
    if (!t[b + 1].is("IN") || !t[b + 2].is_punct('(') || !t[e - 1].is_punct(')')) return std::nullopt;
    std::vector<std::string> values;
    for (std::size_t i = b + 3; i < e - 1; ++i) {
        if (t[i].kind != SqliteToken::Kind::string) return std::nullopt;
        values.push_back(t[i].value());
        ++i;
        if (i == e - 1) break;
        if (!t[i].is_punct(',')) return std::nullopt;
    }
    if (values.empty()) return std::nullopt;
    return values;
}

std::string strip_sqlite_parens(std::string_view text) {
    std::string out = trim(text);
    while (out.size() >= 2 && out.front() == '(') {
        Tokens t = tokenize_sqlite(out);
        if (t.empty() || !t.front().is_punct('(') || sqlite_matching_paren(t, 0, t.size()) != t.size() - 1 ||
            t.back().offset + 1 != out.size())
            break;
        out = trim(std::string_view(out).substr(1, out.size() - 2));
    }
    return out;
}

}  // namespace strata
