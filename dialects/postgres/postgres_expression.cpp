#include "dialects/postgres/postgres_expression.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "core/value.hpp"

namespace strata::postgres {

namespace {

// Thrown inside this file only, when text is outside the subset the parser knows;
// callers fall back to the token-level spelling.
struct Unparsable {};

// ---- lexer ---------------------------------------------------------------------------

enum class Tok { ident, quoted, string, number, op, lparen, rparen, lbracket, rbracket, comma, dot, cast, end };

struct Token {
    Tok kind = Tok::end;
    std::string text;  // ident: lower case; quoted/string: content unescaped
};

bool is_op_char(char c) {
    return std::string_view("+-*/<>=~!@#%^&|`?").find(c) != std::string_view::npos;
}

char lower_char(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = lower_char(c);
    return out;
}

std::vector<Token> lex(std::string_view s) {
    std::vector<Token> out;
    std::size_t i = 0, n = s.size();
    auto ident_start = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); };
    auto ident_char = [&](char c) { return ident_start(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$'; };
    while (i < n) {
        char c = s[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
            continue;
        }
        if (c == '-' && i + 1 < n && s[i + 1] == '-') {
            while (i < n && s[i] != '\n') ++i;
            continue;
        }
        if (c == '/' && i + 1 < n && s[i + 1] == '*') {
            auto end = s.find("*/", i + 2);
            if (end == std::string_view::npos) throw Unparsable{};
            i = end + 2;
            continue;
        }
        // E'...' strings with backslash escapes.
        if ((c == 'e' || c == 'E') && i + 1 < n && s[i + 1] == '\'') {
            std::string text;
            i += 2;
            while (true) {
                if (i >= n) throw Unparsable{};
                char ch = s[i];
                if (ch == '\\') {
                    if (i + 1 >= n) throw Unparsable{};
                    char e = s[i + 1];
                    i += 2;
                    switch (e) {
                        case 'n': text += '\n'; break;
                        case 't': text += '\t'; break;
                        case 'r': text += '\r'; break;
                        case 'b': text += '\b'; break;
                        case 'f': text += '\f'; break;
                        case 'x': case 'u': case 'U': case '0': case '1': case '2': case '3':
                        case '4': case '5': case '6': case '7':
                            throw Unparsable{};
                        default: text += e;
                    }
                    continue;
                }
                if (ch == '\'') {
                    if (i + 1 < n && s[i + 1] == '\'') {
                        text += '\'';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                text += ch;
                ++i;
            }
            out.push_back({Tok::string, std::move(text)});
            continue;
        }
        if (ident_start(c)) {
            std::size_t start = i;
            while (i < n && ident_char(s[i])) ++i;
            std::string word = lower(s.substr(start, i - start));
            // U&'...' and B'...' / X'...' strings are outside the subset.
            if (i < n && (s[i] == '\'' || s[i] == '&')) throw Unparsable{};
            out.push_back({Tok::ident, std::move(word)});
            continue;
        }
        if (c == '"' || c == '\'') {
            char quote = c;
            std::string text;
            ++i;
            while (true) {
                if (i >= n) throw Unparsable{};
                if (s[i] == quote) {
                    if (i + 1 < n && s[i + 1] == quote) {
                        text += quote;
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                text += s[i++];
            }
            out.push_back({quote == '"' ? Tok::quoted : Tok::string, std::move(text)});
            continue;
        }
        if (std::isdigit(static_cast<unsigned char>(c)) ||
            (c == '.' && i + 1 < n && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
            std::size_t start = i;
            while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
            if (i < n && s[i] == '.' && !(i + 1 < n && s[i + 1] == '.')) {
                ++i;
                while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
            }
            if (i < n && (s[i] == 'e' || s[i] == 'E')) {
                std::size_t save = i;
                ++i;
                if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
                if (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) {
                    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
                } else {
                    i = save;
                }
            }
            out.push_back({Tok::number, lower(s.substr(start, i - start))});
            continue;
        }
        if (c == ':' && i + 1 < n && s[i + 1] == ':') {
            out.push_back({Tok::cast, "::"});
            i += 2;
            continue;
        }
        switch (c) {
            case '(': out.push_back({Tok::lparen, "("}); ++i; continue;
            case ')': out.push_back({Tok::rparen, ")"}); ++i; continue;
            case '[': out.push_back({Tok::lbracket, "["}); ++i; continue;
            case ']': out.push_back({Tok::rbracket, "]"}); ++i; continue;
            case ',': out.push_back({Tok::comma, ","}); ++i; continue;
            case '.': out.push_back({Tok::dot, "."}); ++i; continue;
            default: break;
        }
        if (is_op_char(c)) {
            std::size_t start = i;
            while (i < n && is_op_char(s[i])) {
                if ((s[i] == '-' && i + 1 < n && s[i + 1] == '-') || (s[i] == '/' && i + 1 < n && s[i + 1] == '*')) break;
                ++i;
            }
            std::string op(s.substr(start, i - start));
            // PostgreSQL's lexer rule: a multi-character operator cannot end in + or -
            // unless it also contains one of ~ ! @ # % ^ & | ` ?  ("*-1" is "*" then "-1").
            while (op.size() > 1 && (op.back() == '+' || op.back() == '-') &&
                   op.find_first_of("~!@#%^&|`?") == std::string::npos) {
                op.pop_back();
                --i;
            }
            out.push_back({Tok::op, std::move(op)});
            continue;
        }
        throw Unparsable{};
    }
    out.push_back({Tok::end, ""});
    return out;
}

// ---- syntax tree ---------------------------------------------------------------------

enum class K {
    string,    // text: content
    number,    // text: as written (lower case), a leading '-' when folded
    keyword,   // true / false / null
    ident,     // parts
    sqlvalue,  // text: CURRENT_TIMESTAMP ...; precision in `extra`
    call,      // text: function name; kids: arguments; extra "*" for f(*)
    unary,     // text: operator; kids[0]
    binary,    // text: operator; kids[0], kids[1]
    and_,      // kids
    or_,       // kids
    not_,      // kids[0]
    is,        // text: "NULL", "NOT NULL", "TRUE", ...; kids[0]
    distinct,  // text: "IS DISTINCT FROM" / "IS NOT DISTINCT FROM"; kids[0], kids[1]
    like,      // text: "LIKE", "NOT LIKE", "ILIKE", "NOT ILIKE"; kids[0], kids[1]
    in,        // text: "IN" / "NOT IN"; kids[0] then the list
    quant,     // text: "ANY" / "ALL"; kids[0]
    array,     // kids: elements; extra "inner" for nested bracket lists
    cast,      // text: type; kids[0] (only casts that change meaning are kept)
    case_,     // kids: [arg or null-node], then when/then pairs, then optional else; extra "else" when present
    subscript, // kids[0], kids[1]
    row,       // kids
};

struct Node;
using P = std::shared_ptr<const Node>;

struct Node {
    K kind;
    std::string text;
    std::vector<P> kids;
    std::vector<std::string> parts;  // ident
    std::string extra;
};

P make(K kind, std::string text = {}, std::vector<P> kids = {}) {
    auto n = std::make_shared<Node>();
    n->kind = kind;
    n->text = std::move(text);
    n->kids = std::move(kids);
    return n;
}

// Precedence levels, loosest first (PostgreSQL 15 operator table).
enum Prec {
    p_or = 1,
    p_and,
    p_not,
    p_is,
    p_cmp,
    p_like,  // BETWEEN IN LIKE ILIKE SIMILAR
    p_other,
    p_add,
    p_mul,
    p_pow,
    p_unary,
    p_postfix,
    p_primary,
};

bool is_comparison(std::string_view op) {
    return op == "=" || op == "<" || op == ">" || op == "<=" || op == ">=" || op == "<>" || op == "!=";
}

int binary_prec(std::string_view op) {
    if (is_comparison(op)) return p_cmp;
    if (op == "+" || op == "-") return p_add;
    if (op == "*" || op == "/" || op == "%") return p_mul;
    if (op == "^") return p_pow;
    return p_other;
}

int prec_of(const Node& n) {
    switch (n.kind) {
        case K::or_: return p_or;
        case K::and_: return p_and;
        case K::not_: return p_not;
        case K::is:
        case K::distinct: return p_is;
        case K::like:
        case K::in: return p_like;
        case K::binary: return binary_prec(n.text);
        case K::unary: return p_unary;
        case K::cast:
        case K::subscript: return p_postfix;
        case K::number: return n.text.starts_with("-") ? p_unary : p_primary;
        default: return p_primary;
    }
}

bool numeric_type(std::string_view t) {
    static constexpr std::array<std::string_view, 14> names{"integer", "int", "int2", "int4", "int8", "smallint", "bigint",
                                                            "numeric", "decimal", "real", "float4", "float8",
                                                            "double precision", "float"};
    return std::find(names.begin(), names.end(), t) != names.end();
}

bool valid_number(std::string_view s) {
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    if (s.empty()) return false;
    bool digit = false, dot = false, exp = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (std::isdigit(static_cast<unsigned char>(c))) digit = true;
        else if (c == '.' && !dot && !exp) dot = true;
        else if ((c == 'e' || c == 'E') && digit && !exp) {
            exp = true;
            digit = false;
            if (i + 1 < s.size() && (s[i + 1] == '+' || s[i + 1] == '-')) ++i;
        } else return false;
    }
    return digit;
}

bool datetime_type(std::string_view t) {
    static constexpr std::array<std::string_view, 9> names{"date", "timestamp", "timestamptz", "timestamp without time zone",
                                                           "timestamp with time zone", "time", "timetz",
                                                           "time without time zone", "time with time zone"};
    return std::find(names.begin(), names.end(), t) != names.end();
}

// A text value the date/time input functions read relative to the current moment,
// cast to `type` at run time: 'now' and 'today' as a date are CURRENT_DATE, 'now' as a
// timestamp is CURRENT_TIMESTAMP (what now() reads as too); the rest keep both casts
// ('tomorrow'::text::date). nullptr for any other text, which is a constant.
P moving_value(const P& text, const std::string& type) {
    std::string v = lower(text->text);
    while (!v.empty() && v.back() == ' ') v.pop_back();
    while (!v.empty() && v.front() == ' ') v.erase(0, 1);
    if (v != "now" && v != "today" && v != "tomorrow" && v != "yesterday") return nullptr;
    auto value = [](const char* name) {
        auto n = std::make_shared<Node>();
        n->kind = K::sqlvalue;
        n->text = name;
        return P(n);
    };
    if (type == "date" && (v == "now" || v == "today")) return value("current_date");
    if (type.starts_with("timestamp") && v == "now") return value("current_timestamp");
    return make(K::cast, type, {make(K::cast, "text", {make(K::string, text->text)})});
}

bool is_sqlvalue(std::string_view w) {
    return w == "current_timestamp" || w == "current_date" || w == "current_time" || w == "localtimestamp" ||
           w == "localtime" || w == "current_user" || w == "session_user" || w == "user" || w == "current_role" ||
           w == "current_catalog" || w == "current_schema";
}

// Words that end an operand: never read as identifiers.
bool is_reserved(std::string_view w) {
    static constexpr std::array<std::string_view, 40> words{
        "all",   "and",     "any",  "array", "as",    "asc",    "between", "case",  "cast",   "check",
        "collate","column", "constraint", "default", "desc", "distinct", "do", "else", "end", "false",
        "for",   "from",    "in",   "is",    "isnull","like",   "ilike",   "not",   "notnull","null",
        "or",    "order",   "select","similar","some", "table", "then",    "true",  "when",   "where"};
    return std::find(words.begin(), words.end(), w) != words.end();
}

class Parser {
public:
    explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

    P parse_all() {
        P e = expr(0);
        if (peek().kind != Tok::end) throw Unparsable{};
        return e;
    }

private:
    const Token& peek(std::size_t ahead = 0) const {
        std::size_t i = std::min(pos_ + ahead, t_.size() - 1);
        return t_[i];
    }
    Token next() { return t_[std::min(pos_++, t_.size() - 1)]; }
    bool word(std::string_view w, std::size_t ahead = 0) const {
        const Token& t = peek(ahead);
        return t.kind == Tok::ident && t.text == w;
    }
    void expect(Tok kind) {
        if (peek().kind != kind) throw Unparsable{};
        ++pos_;
    }
    void expect_word(std::string_view w) {
        if (!word(w)) throw Unparsable{};
        ++pos_;
    }

    static P combine(K kind, P left, P right) {
        auto n = std::make_shared<Node>();
        n->kind = kind;
        for (const P& side : {left, right}) {
            if (side->kind == kind) n->kids.insert(n->kids.end(), side->kids.begin(), side->kids.end());
            else n->kids.push_back(side);
        }
        return n;
    }

    // x = ANY (ARRAY[...]) and x <> ALL (ARRAY[...]) are how the server stores IN lists.
    static P comparison(std::string op, P left, P right) {
        if (op == "!=") op = "<>";
        if (right->kind == K::quant && right->kids[0]->kind == K::array && right->kids[0]->extra.empty()) {
            const auto& elems = right->kids[0]->kids;
            bool in = op == "=" && right->text == "ANY";
            bool not_in = op == "<>" && right->text == "ALL";
            if ((in || not_in) && !elems.empty()) {
                if (elems.size() == 1) return make(K::binary, op, {left, elems[0]});
                std::vector<P> kids{left};
                kids.insert(kids.end(), elems.begin(), elems.end());
                return make(K::in, in ? "IN" : "NOT IN", std::move(kids));
            }
        }
        return make(K::binary, std::move(op), {std::move(left), std::move(right)});
    }

    std::string type_name() {
        std::string name;
        Token t = next();
        if (t.kind != Tok::ident && t.kind != Tok::quoted) throw Unparsable{};
        name = t.text;
        while (peek().kind == Tok::dot) {
            ++pos_;
            Token part = next();
            if (part.kind != Tok::ident && part.kind != Tok::quoted) throw Unparsable{};
            name += "." + part.text;
        }
        if (name == "double" && word("precision")) {
            ++pos_;
            name = "double precision";
        } else if ((name == "character" || name == "char" || name == "bit" || name == "national") && word("varying")) {
            ++pos_;
            name += " varying";
        }
        auto modifiers = [&] {
            if (peek().kind != Tok::lparen) return;
            int depth = 0;
            do {
                Token m = next();
                if (m.kind == Tok::end) throw Unparsable{};
                if (m.kind == Tok::lparen) ++depth;
                if (m.kind == Tok::rparen) --depth;
            } while (depth > 0);
        };
        modifiers();
        if ((name == "time" || name == "timestamp") && (word("with") || word("without"))) {
            bool with = word("with");
            pos_ += 1;
            expect_word("time");
            expect_word("zone");
            name += with ? " with time zone" : " without time zone";
        }
        if (name == "interval") {
            static constexpr std::array<std::string_view, 7> fields{"year", "month", "day", "hour", "minute", "second", "to"};
            while (peek().kind == Tok::ident && std::find(fields.begin(), fields.end(), peek().text) != fields.end()) ++pos_;
            modifiers();
        }
        while (peek().kind == Tok::lbracket) {
            ++pos_;
            if (peek().kind == Tok::number) ++pos_;
            expect(Tok::rbracket);
            name += "[]";
        }
        return name;
    }

    // Casts the server adds on its own are dropped; a string holding a number cast to a
    // numeric type is the server's spelling of a negative or large constant. A string
    // cast to text is no longer a literal of unknown type: cast on to a date or time
    // type it is converted when the expression runs, so 'now'::text::date is today's
    // date at every insert, unlike 'now'::date, which the server freezes into a constant
    // when it stores the default (moving_value()).
    static P apply_cast(P operand, const std::string& type) {
        if (type == "interval") return make(K::cast, type, {operand});
        if (operand->kind != K::string) return operand;
        if (numeric_type(type) && valid_number(operand->text)) return make(K::number, lower(operand->text));
        if (type == "text" || type == "character varying" || type == "varchar") {
            auto typed = std::make_shared<Node>(*operand);
            typed->extra = "text";
            return typed;
        }
        if (operand->extra == "text" && datetime_type(type)) {
            if (P moving = moving_value(operand, type)) return moving;
        }
        return operand;
    }

    std::vector<P> list(Tok close) {
        std::vector<P> items;
        if (peek().kind == close) {
            ++pos_;
            return items;
        }
        while (true) {
            items.push_back(expr(0));
            if (peek().kind == Tok::comma) {
                ++pos_;
                continue;
            }
            expect(close);
            return items;
        }
    }

    P array_body() {  // after '['
        auto n = std::make_shared<Node>();
        n->kind = K::array;
        if (peek().kind == Tok::rbracket) {
            ++pos_;
            return n;
        }
        while (true) {
            if (peek().kind == Tok::lbracket) {
                ++pos_;
                auto inner = std::const_pointer_cast<Node>(array_body());
                inner->extra = "inner";
                n->kids.push_back(inner);
            } else {
                n->kids.push_back(expr(0));
            }
            if (peek().kind == Tok::comma) {
                ++pos_;
                continue;
            }
            expect(Tok::rbracket);
            return n;
        }
    }

    P prefix() {
        Token t = next();
        switch (t.kind) {
            case Tok::number: return make(K::number, t.text);
            case Tok::string: return make(K::string, t.text);
            case Tok::op: {
                P operand = expr(p_unary);
                if (t.text == "+") return operand;
                if (t.text == "-" && operand->kind == K::number) {
                    if (operand->text.starts_with("-")) return make(K::number, operand->text.substr(1));
                    return make(K::number, "-" + operand->text);
                }
                return make(K::unary, t.text, {operand});
            }
            case Tok::lparen: {
                P first = expr(0);
                if (peek().kind == Tok::comma) {
                    ++pos_;
                    std::vector<P> kids{first};
                    auto rest = list(Tok::rparen);
                    kids.insert(kids.end(), rest.begin(), rest.end());
                    return make(K::row, {}, std::move(kids));
                }
                expect(Tok::rparen);
                return first;
            }
            case Tok::quoted: return name_or_call(t);
            case Tok::ident: break;
            default: throw Unparsable{};
        }
        const std::string& w = t.text;
        if (w == "not") return make(K::not_, {}, {expr(p_not)});
        if (w == "true" || w == "false" || w == "null") return make(K::keyword, w);
        if (w == "case") return case_expr();
        if (w == "array" && peek().kind == Tok::lbracket) {
            ++pos_;
            return array_body();
        }
        if ((w == "any" || w == "all" || w == "some") && peek().kind == Tok::lparen) {
            ++pos_;
            P inner = expr(0);
            expect(Tok::rparen);
            return make(K::quant, w == "all" ? "ALL" : "ANY", {inner});
        }
        if (w == "cast" && peek().kind == Tok::lparen) {
            ++pos_;
            P inner = expr(0);
            expect_word("as");
            std::string type = type_name();
            expect(Tok::rparen);
            return apply_cast(inner, type);
        }
        if (is_sqlvalue(w)) {
            auto n = std::make_shared<Node>();
            n->kind = K::sqlvalue;
            n->text = w;
            if (peek().kind == Tok::lparen && peek(1).kind == Tok::number && peek(2).kind == Tok::rparen) {
                n->extra = peek(1).text;
                pos_ += 3;
            } else if (peek().kind == Tok::lparen && peek(1).kind == Tok::rparen) {
                pos_ += 2;
            }
            return n;
        }
        // Typed literals: DATE '2020-01-01', INTERVAL '1 day', TIMESTAMP '...'.
        if ((w == "interval" || w == "date" || w == "time" || w == "timestamp" || w == "timestamptz") &&
            peek().kind == Tok::string) {
            P lit = make(K::string, next().text);
            return apply_cast(lit, w);
        }
        if (is_reserved(w) || w == "exists") throw Unparsable{};
        return name_or_call(t);
    }

    P name_or_call(const Token& first) {
        std::vector<std::string> parts{first.text};
        while (peek().kind == Tok::dot) {
            ++pos_;
            Token part = next();
            if (part.kind != Tok::ident && part.kind != Tok::quoted) throw Unparsable{};
            parts.push_back(part.text);
        }
        if (peek().kind == Tok::lparen) {
            ++pos_;
            auto n = std::make_shared<Node>();
            n->kind = K::call;
            for (std::size_t i = 0; i < parts.size(); ++i) n->text += (i ? "." : "") + parts[i];
            if (peek().kind == Tok::op && peek().text == "*" && peek(1).kind == Tok::rparen) {
                pos_ += 2;
                n->extra = "*";
            } else {
                if (word("distinct")) throw Unparsable{};
                n->kids = list(Tok::rparen);
            }
            // now() is CURRENT_TIMESTAMP: the same function under two spellings.
            if (n->text == "now" && n->kids.empty() && n->extra.empty()) {
                auto v = std::make_shared<Node>();
                v->kind = K::sqlvalue;
                v->text = "current_timestamp";
                return v;
            }
            return n;
        }
        auto n = std::make_shared<Node>();
        n->kind = K::ident;
        n->parts = std::move(parts);
        return n;
    }

    P case_expr() {
        auto n = std::make_shared<Node>();
        n->kind = K::case_;
        if (word("when")) n->kids.push_back(nullptr);
        else n->kids.push_back(expr(0));
        while (word("when")) {
            ++pos_;
            n->kids.push_back(expr(0));
            expect_word("then");
            n->kids.push_back(expr(0));
        }
        if (n->kids.size() < 3) throw Unparsable{};
        if (word("else")) {
            ++pos_;
            n->kids.push_back(expr(0));
            n->extra = "else";
        }
        expect_word("end");
        return n;
    }

    P expr(int min_prec) {
        // Nesting deeper than any real default or check is refused rather than
        // allowed to exhaust the stack.
        struct Depth {
            int& d;
            explicit Depth(int& depth) : d(depth) {
                if (++d > 256) throw Unparsable{};
            }
            ~Depth() { --d; }
        } guard(depth_);
        P left = prefix();
        while (true) {
            const Token& t = peek();
            if (t.kind == Tok::cast) {
                if (p_postfix < min_prec) break;
                ++pos_;
                left = apply_cast(left, type_name());
                continue;
            }
            if (t.kind == Tok::lbracket) {
                if (p_postfix < min_prec) break;
                ++pos_;
                P index = expr(0);
                expect(Tok::rbracket);
                left = make(K::subscript, {}, {left, index});
                continue;
            }
            if (t.kind == Tok::op) {
                int prec = binary_prec(t.text);
                if (prec < min_prec) break;
                std::string op = next().text;
                P right = expr(prec + 1);
                if (op == "~~" || op == "~~*" || op == "!~~" || op == "!~~*") {
                    std::string like = op == "~~" ? "LIKE" : op == "~~*" ? "ILIKE" : op == "!~~" ? "NOT LIKE" : "NOT ILIKE";
                    left = make(K::like, like, {left, right});
                } else if (is_comparison(op)) {
                    left = comparison(op, left, right);
                } else {
                    left = make(K::binary, op, {left, right});
                }
                continue;
            }
            if (t.kind != Tok::ident) break;
            const std::string& w = t.text;
            if (w == "or" || w == "and") {
                int prec = w == "or" ? p_or : p_and;
                if (prec < min_prec) break;
                ++pos_;
                P right = expr(prec + 1);
                left = combine(w == "or" ? K::or_ : K::and_, left, right);
                continue;
            }
            if (w == "is" || w == "isnull" || w == "notnull") {
                if (p_is < min_prec) break;
                ++pos_;
                if (w == "isnull") {
                    left = make(K::is, "NULL", {left});
                    continue;
                }
                if (w == "notnull") {
                    left = make(K::is, "NOT NULL", {left});
                    continue;
                }
                bool negated = word("not");
                if (negated) ++pos_;
                if (word("distinct")) {
                    ++pos_;
                    expect_word("from");
                    P right = expr(p_is + 1);
                    left = make(K::distinct, negated ? "IS NOT DISTINCT FROM" : "IS DISTINCT FROM", {left, right});
                    continue;
                }
                Token what = next();
                if (what.kind != Tok::ident ||
                    (what.text != "null" && what.text != "true" && what.text != "false" && what.text != "unknown"))
                    throw Unparsable{};
                std::string label = lower(what.text);
                for (char& c : label) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                left = make(K::is, negated ? "NOT " + label : label, {left});
                continue;
            }
            bool negated = w == "not";
            std::string_view op_word = negated ? peek(1).text : std::string_view(w);
            if (negated && peek(1).kind != Tok::ident) break;
            if (op_word == "like" || op_word == "ilike" || op_word == "in" || op_word == "between") {
                if (p_like < min_prec) break;
                pos_ += negated ? 2 : 1;
                if (op_word == "in") {
                    expect(Tok::lparen);
                    if (word("select")) throw Unparsable{};
                    auto items = list(Tok::rparen);
                    if (items.empty()) throw Unparsable{};
                    if (items.size() == 1) {
                        left = make(K::binary, negated ? "<>" : "=", {left, items[0]});
                    } else {
                        std::vector<P> kids{left};
                        kids.insert(kids.end(), items.begin(), items.end());
                        left = make(K::in, negated ? "NOT IN" : "IN", std::move(kids));
                    }
                    continue;
                }
                if (op_word == "between") {
                    if (word("symmetric") || word("asymmetric")) throw Unparsable{};
                    P low = expr(p_like + 1);
                    expect_word("and");
                    P high = expr(p_like + 1);
                    // The server stores BETWEEN as two comparisons.
                    if (negated)
                        left = combine(K::or_, make(K::binary, "<", {left, low}), make(K::binary, ">", {left, high}));
                    else
                        left = combine(K::and_, make(K::binary, ">=", {left, low}), make(K::binary, "<=", {left, high}));
                    continue;
                }
                P pattern = expr(p_like + 1);
                if (word("escape")) throw Unparsable{};
                std::string like = op_word == "like" ? "LIKE" : "ILIKE";
                left = make(K::like, negated ? "NOT " + like : like, {left, pattern});
                continue;
            }
            break;
        }
        return left;
    }

    std::vector<Token> t_;
    std::size_t pos_ = 0;
    int depth_ = 0;
};

// ---- printer -------------------------------------------------------------------------

std::string quote_ident(const std::string& name) {
    bool plain = !name.empty() && (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
                 !is_reserved(name) && !is_sqlvalue(name);
    for (char c : name)
        if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_' || c == '$'))
            plain = false;
    if (plain) return name;
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string quote_string(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += '\'';
        out += c;
    }
    return out + "'";
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string print(const P& n);

// Parenthesizes `kid` when it binds looser than its parent requires. Comparisons and
// LIKE/IN are non-associative, so an equal level also needs parentheses there.
std::string operand(const P& kid, int parent, bool right_side) {
    int p = prec_of(*kid);
    bool nonassoc = parent == p_cmp || parent == p_like || parent == p_is;
    bool parens = p < parent || (p == parent && (right_side || nonassoc));
    std::string s = print(kid);
    return parens ? "(" + s + ")" : s;
}

std::string join(const std::vector<P>& kids, std::size_t from, std::string_view sep) {
    std::string out;
    for (std::size_t i = from; i < kids.size(); ++i) {
        if (i > from) out += sep;
        out += print(kids[i]);
    }
    return out;
}

std::string print(const P& n) {
    switch (n->kind) {
        case K::string: return quote_string(n->text);
        case K::number: return n->text;
        case K::keyword: return n->text == "null" ? "NULL" : n->text;
        case K::ident: {
            std::string out;
            for (std::size_t i = 0; i < n->parts.size(); ++i) out += (i ? "." : "") + quote_ident(n->parts[i]);
            return out;
        }
        case K::sqlvalue: return upper(n->text) + (n->extra.empty() ? "" : "(" + n->extra + ")");
        case K::call: {
            std::string name;
            std::size_t start = 0;
            while (start <= n->text.size()) {
                auto dot = n->text.find('.', start);
                std::string part = n->text.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
                name += (name.empty() ? "" : ".") + quote_ident(part);
                if (dot == std::string::npos) break;
                start = dot + 1;
            }
            return name + "(" + (n->extra == "*" ? std::string("*") : join(n->kids, 0, ", ")) + ")";
        }
        case K::unary: {
            std::string inner = operand(n->kids[0], p_unary, true);
            bool word_op = std::isalpha(static_cast<unsigned char>(n->text[0]));
            bool clash = !inner.empty() && is_op_char(inner[0]);
            return n->text + (word_op || clash ? " " : "") + inner;
        }
        case K::binary: {
            int p = binary_prec(n->text);
            return operand(n->kids[0], p, false) + " " + n->text + " " + operand(n->kids[1], p, true);
        }
        case K::and_:
        case K::or_: {
            int p = n->kind == K::and_ ? p_and : p_or;
            std::string out;
            for (std::size_t i = 0; i < n->kids.size(); ++i) {
                if (i) out += n->kind == K::and_ ? " AND " : " OR ";
                out += operand(n->kids[i], p, false);
            }
            return out;
        }
        case K::not_: return "NOT " + operand(n->kids[0], p_not, false);
        case K::is: return operand(n->kids[0], p_is, false) + " IS " + n->text;
        case K::distinct:
            return operand(n->kids[0], p_is, false) + " " + n->text + " " + operand(n->kids[1], p_is, true);
        case K::like:
            return operand(n->kids[0], p_like, false) + " " + n->text + " " + operand(n->kids[1], p_like, true);
        case K::in: return operand(n->kids[0], p_like, false) + " " + n->text + " (" + join(n->kids, 1, ", ") + ")";
        case K::quant: return n->text + " (" + print(n->kids[0]) + ")";
        case K::array: {
            std::string body;
            for (std::size_t i = 0; i < n->kids.size(); ++i) {
                if (i) body += ", ";
                const P& k = n->kids[i];
                body += k->kind == K::array && k->extra == "inner" ? "[" + join(k->kids, 0, ", ") + "]" : print(k);
            }
            return "ARRAY[" + body + "]";
        }
        case K::cast: return operand(n->kids[0], p_postfix, false) + "::" + n->text;
        case K::case_: {
            std::string out = "CASE";
            if (n->kids[0]) out += " " + print(n->kids[0]);
            std::size_t pairs_end = n->extra == "else" ? n->kids.size() - 1 : n->kids.size();
            for (std::size_t i = 1; i + 1 < pairs_end; i += 2) {
                out += " WHEN " + print(n->kids[i]) + " THEN " + print(n->kids[i + 1]);
            }
            if (n->extra == "else") out += " ELSE " + print(n->kids.back());
            return out + " END";
        }
        case K::subscript: return operand(n->kids[0], p_postfix, false) + "[" + print(n->kids[1]) + "]";
        case K::row: return "(" + join(n->kids, 0, ", ") + ")";
    }
    return {};
}

// Fallback for text outside the parser's subset: whitespace collapsed, unquoted text
// lower-cased, quoted text untouched.
std::string fallback(std::string_view sql) {
    std::string out;
    bool space = false;
    char quote = 0;
    for (char c : sql) {
        if (quote) {
            out += c;
            if (c == quote) quote = 0;
            continue;
        }
        if (std::isspace(static_cast<unsigned char>(c))) {
            space = true;
            continue;
        }
        if (space && !out.empty()) out += ' ';
        space = false;
        if (c == '\'' || c == '"') quote = c;
        out += lower_char(c);
    }
    return out;
}

P parse(std::string_view sql) { return Parser(lex(sql)).parse_all(); }

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

bool iequals_prefix(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (lower_char(s[i]) != prefix[i]) return false;
    return true;
}

bool iends_with(std::string_view s, std::string_view suffix) {
    if (s.size() < suffix.size()) return false;
    return lower(s.substr(s.size() - suffix.size())) == suffix;
}

// ---- literal canonicalization ----------------------------------------------------------

// Exact decimal text: sign, no leading zeros, `scale` decimals when given, else none
// trailing. Returns nullopt when `text` is not a number.
std::optional<std::string> canonical_decimal(std::string_view text, std::optional<int> scale) {
    text = trim(text);
    if (!valid_number(text)) return std::nullopt;
    bool negative = false;
    if (text[0] == '-' || text[0] == '+') {
        negative = text[0] == '-';
        text.remove_prefix(1);
    }
    std::string digits;
    long long point = 0;  // digits before the decimal point
    bool seen_point = false;
    std::size_t i = 0;
    for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
        if (text[i] == '.') {
            seen_point = true;
            continue;
        }
        digits += text[i];
        if (!seen_point) ++point;
    }
    if (i < text.size()) {
        long long exp = 0;
        std::string_view e = text.substr(i + 1);
        if (!e.empty() && e[0] == '+') e.remove_prefix(1);
        auto [p, ec] = std::from_chars(e.data(), e.data() + e.size(), exp);
        if (ec != std::errc{} || std::llabs(exp) > 1000) return std::nullopt;
        point += exp;
    }
    // Place the point: pad with zeros on either side as needed.
    if (point < 0) {
        digits.insert(0, static_cast<std::size_t>(-point), '0');
        point = 0;
    }
    if (point > static_cast<long long>(digits.size())) digits.append(static_cast<std::size_t>(point) - digits.size(), '0');
    std::string whole = digits.substr(0, static_cast<std::size_t>(point));
    std::string frac = digits.substr(static_cast<std::size_t>(point));
    whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size()));
    if (whole.empty()) whole = "0";
    if (scale) {
        // Only zeros are trimmed: a value with more significant decimals than the scale
        // is stored rounded, which the server does at insert time, not in the default text.
        while (static_cast<int>(frac.size()) > *scale && frac.back() == '0') frac.pop_back();
        if (static_cast<int>(frac.size()) < *scale) frac.append(static_cast<std::size_t>(*scale) - frac.size(), '0');
    } else {
        while (!frac.empty() && frac.back() == '0') frac.pop_back();
    }
    bool zero = whole == "0" && frac.find_first_not_of('0') == std::string::npos;
    std::string out = (negative && !zero) ? "-" : "";
    out += whole;
    if (!frac.empty()) out += "." + frac;
    return out;
}

bool is_current_timestamp(const Node& n) {
    if (n.kind == K::sqlvalue) return n.text == "current_timestamp" || n.text == "localtimestamp";
    if (n.kind == K::call) return (n.text == "transaction_timestamp" || n.text == "now") && n.kids.empty();
    return false;
}

}  // namespace

std::string canonical_expression(std::string_view sql) {
    try {
        return print(parse(sql));
    } catch (const Unparsable&) {
        return fallback(trim(sql));
    }
}

std::string canonical_check(std::string_view sql) {
    std::string_view s = trim(sql);
    if (iequals_prefix(s, "check") && s.size() > 5 && (s[5] == '(' || std::isspace(static_cast<unsigned char>(s[5])))) {
        s.remove_prefix(5);
        s = trim(s);
        for (bool again = true; again;) {
            again = false;
            for (std::string_view suffix : {std::string_view("not valid"), std::string_view("no inherit")}) {
                if (iends_with(s, suffix)) {
                    s = trim(s.substr(0, s.size() - suffix.size()));
                    again = true;
                }
            }
        }
    }
    return canonical_expression(s);
}

ParsedDefault parse_default(std::string_view expression, const ColumnType& type) {
    ParsedDefault out;
    P tree;
    try {
        tree = parse(expression);
    } catch (const Unparsable&) {
        out.server_default = ServerDefault::expression(fallback(trim(expression)));
        return out;
    }
    // A cast at the top of a default is to the column's own type ('1 day'::interval).
    if (tree->kind == K::cast && tree->kids[0]->kind == K::string) tree = tree->kids[0];
    switch (tree->kind) {
        case K::keyword:
            if (tree->text == "null") return out;
            out.server_default = ServerDefault::literal(canonical_literal(tree->text, type));
            return out;
        case K::string:
        case K::number:
            out.server_default = ServerDefault::literal(canonical_literal(tree->text, type));
            return out;
        case K::call:
            if ((tree->text == "nextval" || tree->text == "pg_catalog.nextval") && tree->kids.size() == 1 &&
                tree->kids[0]->kind == K::string) {
                out.sequence = tree->kids[0]->text;
                out.server_default = ServerDefault::expression("nextval(" + quote_string(tree->kids[0]->text) + ")");
                return out;
            }
            break;
        default:
            break;
    }
    if (is_current_timestamp(*tree)) {
        out.server_default = ServerDefault::expression("CURRENT_TIMESTAMP");
        return out;
    }
    out.server_default = ServerDefault::expression(print(tree));
    return out;
}

std::string canonical_literal(std::string_view raw, const ColumnType& type) {
    std::string text(raw);
    std::string low = lower(trim(raw));
    switch (type.kind) {
        case TypeKind::boolean:
            if (low == "t" || low == "true" || low == "y" || low == "yes" || low == "on" || low == "1") return "true";
            if (low == "f" || low == "false" || low == "n" || low == "no" || low == "off" || low == "0") return "false";
            return text;
        case TypeKind::integer:
        case TypeKind::tiny_integer:
        case TypeKind::small_integer:
        case TypeKind::medium_integer:
        case TypeKind::big_integer: {
            std::string_view t = trim(raw);
            if (!t.empty() && t[0] == '+') t.remove_prefix(1);
            std::int64_t v = 0;
            auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
            if (ec == std::errc{} && p == t.data() + t.size()) return std::to_string(v);
            return text;
        }
        case TypeKind::float_:
        case TypeKind::double_: {
            if (low == "nan") return "NaN";
            if (low == "infinity" || low == "inf" || low == "+infinity" || low == "+inf") return "Infinity";
            if (low == "-infinity" || low == "-inf") return "-Infinity";
            std::string_view t = trim(raw);
            if (!t.empty() && t[0] == '+') t.remove_prefix(1);
            double v = 0;
            auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
            if (ec == std::errc{} && p == t.data() + t.size() && std::isfinite(v)) return fmt::format("{}", v);
            return text;
        }
        case TypeKind::numeric: {
            if (low == "nan") return "NaN";
            if (low == "infinity" || low == "+infinity") return "Infinity";
            if (low == "-infinity") return "-Infinity";
            auto d = canonical_decimal(raw, type.scale);
            return d ? *d : text;
        }
        case TypeKind::date:
        case TypeKind::time:
        case TypeKind::datetime:
            try {
                std::string_view t = trim(raw);
                if (type.kind == TypeKind::date) return to_iso(parse_date(t));
                if (type.kind == TypeKind::time) return to_iso(parse_time(t));
                return to_iso(parse_datetime(t));
            } catch (const Error&) {
                return text;
            }
        case TypeKind::uuid:
            return low;
        default:
            return text;
    }
}

}  // namespace strata::postgres
