#include "dialects/sqlite/sqlite_create_index.hpp"

#include "dialects/sqlite/sqlite_create_table.hpp"

namespace strata {

namespace {

using Tokens = std::vector<SqliteToken>;

// The source text from the start of token `first` to the end of token `last - 1`.
std::string_view between(std::string_view sql, const Tokens& t, std::size_t first, std::size_t last) {
    std::size_t b = t[first].offset;
    std::size_t e = t[last - 1].offset + t[last - 1].text.size();
    return sql.substr(b, e - b);
}

// One key: tokens [b, e) of the parenthesized list.
std::optional<SqliteCreateIndex::Key> read_key(std::string_view sql, const Tokens& t, std::size_t b, std::size_t e) {
    if (b >= e) return std::nullopt;
    SqliteCreateIndex::Key key;
    if (t[e - 1].is("DESC") || t[e - 1].is("ASC")) {
        key.descending = t[e - 1].is("DESC");
        --e;
    }
    if (b >= e) return std::nullopt;
    key.text = strip_sqlite_parens(between(sql, t, b, e));
    return key;
}

bool spaced_before(const SqliteToken& prev, const SqliteToken& tok) {
    if (prev.is_punct('(') || prev.is_punct('.')) return false;
    if (tok.is_punct(')') || tok.is_punct(',') || tok.is_punct('.')) return false;
    // A call: name( ... ).
    if (tok.is_punct('(') && (prev.kind == SqliteToken::Kind::word || prev.kind == SqliteToken::Kind::quoted))
        return false;
    return true;
}

}  // namespace

std::optional<SqliteCreateIndex> parse_sqlite_create_index(std::string_view sql) {
    Tokens t = tokenize_sqlite(sql);
    const std::size_t n = t.size();
    std::size_t i = 0;
    SqliteCreateIndex out;
    if (i >= n || !t[i++].is("CREATE")) return std::nullopt;
    if (i < n && t[i].is("UNIQUE")) {
        out.unique = true;
        ++i;
    }
    if (i >= n || !t[i++].is("INDEX")) return std::nullopt;
    if (i + 2 < n && t[i].is("IF") && t[i + 1].is("NOT") && t[i + 2].is("EXISTS")) i += 3;
    if (i >= n || !t[i].is_name()) return std::nullopt;
    out.name = t[i++].value();
    if (i + 1 < n && t[i].is_punct('.') && t[i + 1].is_name()) {  // schema.index
        out.name = t[i + 1].value();
        i += 2;
    }
    if (i + 1 >= n || !t[i].is("ON") || !t[i + 1].is_name()) return std::nullopt;
    out.table = t[i + 1].value();
    i += 2;
    if (i >= n || !t[i].is_punct('(')) return std::nullopt;
    const std::size_t close = sqlite_matching_paren(t, i, n);
    if (close == n) return std::nullopt;
    std::size_t start = i + 1;
    int depth = 0;
    for (std::size_t j = i + 1; j <= close; ++j) {
        if (j < close) {
            if (t[j].is_punct('(')) ++depth;
            else if (t[j].is_punct(')')) --depth;
            if (depth > 0 || !t[j].is_punct(',')) continue;
        }
        auto key = read_key(sql, t, start, j);
        if (!key) return std::nullopt;
        out.keys.push_back(std::move(*key));
        start = j + 1;
    }
    std::size_t end = n;
    while (end > close + 1 && t[end - 1].is_punct(';')) --end;
    if (close + 1 < end) {
        if (!t[close + 1].is("WHERE") || close + 2 >= end) return std::nullopt;
        out.where = strip_sqlite_parens(between(sql, t, close + 2, end));
    }
    return out;
}

std::optional<SqliteCreateIndex> sqlite_modelled_index(std::string_view sql, std::size_t keys, bool partial,
                                                       bool rowid) {
    if (rowid) return std::nullopt;
    auto parsed = parse_sqlite_create_index(sql);
    if (!parsed || parsed->keys.size() != keys || parsed->where.empty() == partial) return std::nullopt;
    return parsed;
}

std::string sqlite_canonical_expression(std::string_view sql) {
    const std::string stripped = strip_sqlite_parens(sql);
    const Tokens t = tokenize_sqlite(stripped);
    std::string out;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (i && spaced_before(t[i - 1], t[i])) out += ' ';
        if (t[i].kind == SqliteToken::Kind::word) {
            for (char c : t[i].text) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        } else {
            out += t[i].text;
        }
    }
    return out;
}

}  // namespace strata
