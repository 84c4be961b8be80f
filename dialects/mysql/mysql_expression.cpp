// Canonical spelling of MySQL expressions. MariaDB stores CHECK clauses and DEFAULT
// expressions as it re-prints the parsed expression, not as written; to compare a
// declared expression with a reflected one without false differences, both are parsed
// here and printed again after the same rewrites the server makes. The grammar follows
// the server's (sql_yacc): expr > boolean_primary > predicate > bit_expr > simple_expr.
#include "dialects/mysql/mysql_expression.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <vector>

namespace strata::mysql_detail {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// ---- tokens ---------------------------------------------------------------------------

enum class Tok { word, quoted_ident, number, string, hex_string, symbol, end };

struct Token {
    Tok kind = Tok::end;
    std::string text;        // word as written, identifier/string decoded, number as written, symbol
    std::string introducer;  // "_utf8mb4" before a string literal
};

struct ParseError {};

bool is_word_start(unsigned char c) { return std::isalpha(c) || c == '_' || c == '$' || c >= 0x80; }
bool is_word_char(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

// Reads a quoted string starting at s[i] (the quote); returns the decoded value.
std::string read_string(std::string_view s, std::size_t& i) {
    char q = s[i++];
    std::string out;
    while (true) {
        if (i >= s.size()) throw ParseError{};
        char c = s[i++];
        if (c == q) {
            if (i < s.size() && s[i] == q) {  // doubled quote
                out += q;
                ++i;
                continue;
            }
            return out;
        }
        if (c == '\\') {
            if (i >= s.size()) throw ParseError{};
            char e = s[i++];
            switch (e) {
                case '0': out += '\0'; break;
                case 'b': out += '\b'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'Z': out += '\x1a'; break;
                // \% and \_ keep their backslash (they matter to LIKE patterns).
                case '%': out += "\\%"; break;
                case '_': out += "\\_"; break;
                default: out += e; break;
            }
            continue;
        }
        out += c;
    }
}

std::vector<Token> tokenize(std::string_view s) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (std::isspace(c)) {
            ++i;
            continue;
        }
        Token t;
        if (c == '\'' || c == '"') {
            t.kind = Tok::string;
            t.text = read_string(s, i);
            // Adjacent literals concatenate: 'a' 'b' is 'ab'.
            if (!out.empty() && out.back().kind == Tok::string && out.back().introducer.empty()) {
                out.back().text += t.text;
                continue;
            }
        } else if (c == '`') {
            t.kind = Tok::quoted_ident;
            ++i;
            while (true) {
                if (i >= s.size()) throw ParseError{};
                if (s[i] == '`') {
                    if (i + 1 < s.size() && s[i + 1] == '`') {
                        t.text += '`';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                t.text += s[i++];
            }
        } else if ((c == 'x' || c == 'X') && i + 1 < s.size() && s[i + 1] == '\'') {
            // x'41' is the string 'A' for the server.
            i += 1;
            std::string hex = read_string(s, i);
            if (hex.size() % 2) throw ParseError{};
            std::string bytes;
            for (std::size_t k = 0; k < hex.size(); k += 2) {
                auto nib = [](char h) -> int {
                    if (h >= '0' && h <= '9') return h - '0';
                    h = static_cast<char>(std::tolower(static_cast<unsigned char>(h)));
                    if (h >= 'a' && h <= 'f') return h - 'a' + 10;
                    throw ParseError{};
                };
                bytes += static_cast<char>(nib(hex[k]) * 16 + nib(hex[k + 1]));
            }
            t.kind = Tok::string;
            t.text = bytes;
        } else if (c == '0' && i + 1 < s.size() && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
            std::size_t start = i;
            i += 2;
            while (i < s.size() && std::isxdigit(static_cast<unsigned char>(s[i]))) ++i;
            t.kind = Tok::hex_string;
            t.text = lower(s.substr(start, i - start));
        } else if (std::isdigit(c) || (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
            std::size_t start = i;
            while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
            if (i < s.size() && s[i] == '.') {
                ++i;
                while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
            }
            if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
                std::size_t save = i;
                ++i;
                if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
                if (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
                    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
                } else {
                    i = save;
                }
            }
            // "1abc" is an identifier in MySQL; not worth supporting.
            if (i < s.size() && is_word_start(static_cast<unsigned char>(s[i]))) throw ParseError{};
            t.kind = Tok::number;
            t.text = std::string(s.substr(start, i - start));
        } else if (is_word_start(c)) {
            std::size_t start = i;
            while (i < s.size() && is_word_char(static_cast<unsigned char>(s[i]))) ++i;
            std::string word(s.substr(start, i - start));
            if (word[0] == '_' && i < s.size() && s[i] == '\'') {  // charset introducer
                t.kind = Tok::string;
                t.introducer = lower(word);
                t.text = read_string(s, i);
            } else {
                t.kind = Tok::word;
                t.text = std::move(word);
            }
        } else {
            static const char* const multi[] = {"<=>", "<=", ">=", "<>", "!=", "||", "&&", "<<", ">>", ":="};
            bool matched = false;
            for (const char* m : multi) {
                std::string_view mv(m);
                if (s.substr(i, mv.size()) == mv) {
                    t.kind = Tok::symbol;
                    t.text = std::string(mv);
                    i += mv.size();
                    matched = true;
                    break;
                }
            }
            if (!matched) {
                if (std::string_view("=<>+-*/%^|&~!(),.").find(static_cast<char>(c)) == std::string_view::npos)
                    throw ParseError{};
                t.kind = Tok::symbol;
                t.text = std::string(1, static_cast<char>(c));
                ++i;
            }
        }
        out.push_back(std::move(t));
    }
    out.push_back(Token{});
    return out;
}

// ---- tree -----------------------------------------------------------------------------

// Precedence levels, lowest first (the server's grammar, not the manual's table:
// BETWEEN, IN, LIKE and REGEXP bind tighter than comparisons).
enum Level : int {
    l_or = 1,
    l_xor,
    l_and,
    l_not,
    l_is_bool,    // x IS [NOT] TRUE/FALSE
    l_compare,    // = <> < <= > >= <=> IS [NOT] NULL
    l_predicate,  // IN BETWEEN LIKE REGEXP
    l_bitor,
    l_bitand,
    l_shift,
    l_add,
    l_mul,
    l_bitxor,
    l_unary,  // - ~
    l_bang,   // !
    l_atom = 100,
};

struct Node {
    enum Kind {
        number,
        string,
        hex,
        null,
        column,     // text = name (qualified names as parts in args' text)
        function,   // text = lower-case name, args
        unary,      // text = "-" or "~", args[0]
        binary,     // text = operator as printed, args[0], args[1]
        nary,       // text = "and" / "or", args (flattened)
        not_bool,   // "!" applied to something that cannot be negated by rewriting
        is,         // text = "null" / "true" / "false", negated
        in,         // args[0] in (args[1..]), negated
        between,    // args[0] between args[1] and args[2], negated
        like,       // args[0] like args[1] [escape args[2]], negated
        regexp,     // args[0] regexp args[1]
        case_,      // has_operand: args[0] is the operand; then when/then pairs; has_else: last
        cast,       // args[0], text = target type
    };
    Kind kind = null;
    std::string text;
    std::string introducer;
    std::vector<std::string> path;  // column: qualifiers then name
    std::vector<Node> args;
    bool negated = false;
    bool has_operand = false;
    bool has_else = false;
};

Node make(Node::Kind kind, std::string text = {}) {
    Node n;
    n.kind = kind;
    n.text = std::move(text);
    return n;
}

Node make_binary(std::string op, Node l, Node r) {
    Node n = make(Node::binary, std::move(op));
    n.args.push_back(std::move(l));
    n.args.push_back(std::move(r));
    return n;
}

int binary_level(const std::string& op) {
    if (op == "=" || op == "<>" || op == "<" || op == "<=" || op == ">" || op == ">=" || op == "<=>") return l_compare;
    if (op == "xor") return l_xor;
    if (op == "|") return l_bitor;
    if (op == "&") return l_bitand;
    if (op == "<<" || op == ">>") return l_shift;
    if (op == "+" || op == "-") return l_add;
    if (op == "*" || op == "/" || op == "DIV" || op == "MOD") return l_mul;
    if (op == "^") return l_bitxor;
    return l_compare;
}

int level_of(const Node& n) {
    switch (n.kind) {
        case Node::unary: return l_unary;
        case Node::binary: return binary_level(n.text);
        case Node::nary: return n.text == "and" ? l_and : l_or;
        case Node::not_bool: return l_bang;
        case Node::is: return n.text == "null" ? l_compare : l_is_bool;
        case Node::in:
        case Node::between:
        case Node::like:
        case Node::regexp: return l_predicate;
        default: return l_atom;
    }
}

// ---- parser ---------------------------------------------------------------------------

class Parser {
public:
    explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

    Node parse_all() {
        Node n = expr(0);
        if (peek().kind != Tok::end) throw ParseError{};
        return n;
    }

private:
    const Token& peek(std::size_t ahead = 0) const {
        std::size_t k = std::min(pos_ + ahead, t_.size() - 1);
        return t_[k];
    }
    Token next() { return t_[pos_ < t_.size() - 1 ? pos_++ : pos_]; }
    bool is_word(const Token& t, std::string_view w) const {
        return t.kind == Tok::word && lower(t.text) == w;
    }
    bool is_sym(const Token& t, std::string_view s) const { return t.kind == Tok::symbol && t.text == s; }
    bool accept_word(std::string_view w) {
        if (!is_word(peek(), w)) return false;
        ++pos_;
        return true;
    }
    bool accept_sym(std::string_view s) {
        if (!is_sym(peek(), s)) return false;
        ++pos_;
        return true;
    }
    void expect_sym(std::string_view s) {
        if (!accept_sym(s)) throw ParseError{};
    }
    void expect_word(std::string_view w) {
        if (!accept_word(w)) throw ParseError{};
    }

    // Parses an expression whose operators all bind at least as tightly as `min`.
    Node expr(int min) {
        Node left = prefix();
        while (true) {
            const Token& t = peek();
            std::string w = t.kind == Tok::word ? lower(t.text) : std::string();
            std::string op;
            int lvl = 0;
            if (w == "or" || is_sym(t, "||")) {
                op = "or", lvl = l_or;
            } else if (w == "xor") {
                op = "xor", lvl = l_xor;
            } else if (w == "and" || is_sym(t, "&&")) {
                op = "and", lvl = l_and;
            } else if (w == "is") {
                // IS NULL sits at the comparison level, IS TRUE/FALSE just above NOT.
                const Token& a = peek(1);
                bool neg = is_word(a, "not");
                const Token& what = neg ? peek(2) : a;
                std::string kw = what.kind == Tok::word ? lower(what.text) : std::string();
                int need = (kw == "null" || kw == "unknown") ? l_compare : l_is_bool;
                if (need < min) break;
                pos_ += neg ? 3 : 2;
                Node n = make(Node::is, kw == "unknown" ? "null" : kw);
                if (kw != "null" && kw != "true" && kw != "false" && kw != "unknown") throw ParseError{};
                n.negated = neg;
                n.args.push_back(std::move(left));
                left = std::move(n);
                continue;
            } else if (t.kind == Tok::symbol &&
                       (t.text == "=" || t.text == "<>" || t.text == "!=" || t.text == "<" || t.text == "<=" ||
                        t.text == ">" || t.text == ">=" || t.text == "<=>")) {
                op = t.text == "!=" ? "<>" : t.text, lvl = l_compare;
            } else if (w == "not" || w == "in" || w == "between" || w == "like" || w == "regexp" || w == "rlike") {
                if (l_predicate < min) break;
                bool neg = false;
                if (w == "not") {
                    std::string after = peek(1).kind == Tok::word ? lower(peek(1).text) : std::string();
                    if (after != "in" && after != "between" && after != "like" && after != "regexp" && after != "rlike")
                        break;
                    neg = true;
                    ++pos_;
                    w = after;
                }
                ++pos_;
                left = predicate(w, neg, std::move(left));
                continue;
            } else if (t.kind == Tok::symbol && (t.text == "|" || t.text == "&" || t.text == "<<" || t.text == ">>" ||
                                                 t.text == "+" || t.text == "-" || t.text == "*" || t.text == "/" ||
                                                 t.text == "%" || t.text == "^")) {
                op = t.text == "%" ? "MOD" : t.text;
                lvl = binary_level(op);
            } else if (w == "div" || w == "mod") {
                op = w == "div" ? "DIV" : "MOD", lvl = l_mul;
            } else {
                break;
            }
            if (lvl < min) break;
            ++pos_;
            // Comparisons take a predicate on the right; everything is left-associative.
            Node right = expr(lvl + 1);
            if (op == "and" || op == "or") {
                left = make_binary(op, std::move(left), std::move(right));
                left.kind = Node::nary;
                continue;
            }
            left = make_binary(op, std::move(left), std::move(right));
        }
        return left;
    }

    Node predicate(const std::string& w, bool neg, Node left) {
        if (w == "in") {
            expect_sym("(");
            Node n = make(Node::in);
            n.negated = neg;
            n.args.push_back(std::move(left));
            do {
                n.args.push_back(expr(0));
            } while (accept_sym(","));
            expect_sym(")");
            return n;
        }
        if (w == "between") {
            Node n = make(Node::between);
            n.negated = neg;
            n.args.push_back(std::move(left));
            n.args.push_back(expr(l_bitor));
            expect_word("and");
            n.args.push_back(expr(l_predicate));
            return n;
        }
        if (w == "like") {
            Node n = make(Node::like);
            n.negated = neg;
            n.args.push_back(std::move(left));
            n.args.push_back(expr(l_bitor));
            if (accept_word("escape")) n.args.push_back(expr(l_bitor));
            return n;
        }
        Node n = make(Node::regexp);  // regexp / rlike
        n.args.push_back(std::move(left));
        n.args.push_back(expr(l_bitor));
        if (neg) return negate(std::move(n));
        return n;
    }

    Node prefix() {
        Token t = next();
        std::string w = t.kind == Tok::word ? lower(t.text) : std::string();
        if (w == "not") return negate(expr(l_not));  // NOT a = 1 is NOT (a = 1)
        if (is_sym(t, "!")) return negate(expr(l_bang));
        if (is_sym(t, "-")) {
            Node operand = expr(l_unary);
            if (operand.kind == Node::number && operand.text[0] != '-') {
                operand.text = "-" + operand.text;
                return operand;
            }
            Node n = make(Node::unary, "-");
            n.args.push_back(std::move(operand));
            return n;
        }
        if (is_sym(t, "+")) return expr(l_unary);
        if (is_sym(t, "~")) {
            Node n = make(Node::unary, "~");
            n.args.push_back(expr(l_unary));
            return n;
        }
        if (is_sym(t, "(")) {
            Node inner = expr(0);
            expect_sym(")");
            return inner;
        }
        if (t.kind == Tok::number) return make(Node::number, canonical_number(t.text));
        if (t.kind == Tok::hex_string) return make(Node::hex, t.text);
        if (t.kind == Tok::string) {
            Node n = make(Node::string, t.text);
            n.introducer = t.introducer;
            return n;
        }
        if (t.kind == Tok::quoted_ident) return column_path(t.text);
        if (t.kind != Tok::word) throw ParseError{};
        if (w == "null") return make(Node::null);
        if (w == "true") return make(Node::number, "1");
        if (w == "false") return make(Node::number, "0");
        if (w == "case") return case_expr();
        if (w == "cast" && is_sym(peek(), "(")) return cast_expr();
        if (is_sym(peek(), "(")) return function(w);
        static const char* const niladic[] = {"current_timestamp", "current_date", "current_time", "localtime",
                                              "localtimestamp", "current_user", "utc_timestamp", "utc_date",
                                              "utc_time"};
        for (const char* f : niladic) {
            if (w == f) {
                Node n = make(Node::function, alias(w));
                return n;
            }
        }
        static const char* const reserved[] = {"and", "or", "xor", "is", "in", "between", "like", "regexp", "rlike",
                                               "when", "then", "else", "end", "as", "escape", "div", "mod", "select"};
        for (const char* r : reserved) {
            if (w == r) throw ParseError{};
        }
        return column_path(t.text);
    }

    Node column_path(std::string first) {
        Node n = make(Node::column);
        n.path.push_back(std::move(first));
        while (is_sym(peek(), ".")) {
            ++pos_;
            Token part = next();
            if (part.kind != Tok::word && part.kind != Tok::quoted_ident) throw ParseError{};
            n.path.push_back(part.text);
        }
        return n;
    }

    Node function(const std::string& name) {
        expect_sym("(");
        if (name == "position") {  // POSITION(a IN b) is locate(a, b)
            Node n = make(Node::function, "locate");
            n.args.push_back(expr(l_bitor));
            expect_word("in");
            n.args.push_back(expr(0));
            expect_sym(")");
            return n;
        }
        Node n = make(Node::function, alias(name));
        if (!accept_sym(")")) {
            do {
                n.args.push_back(expr(0));
            } while (accept_sym(","));
            expect_sym(")");
        }
        if (n.text == "mod" && n.args.size() == 2) {  // mod(a, b) is a MOD b
            return make_binary("MOD", std::move(n.args[0]), std::move(n.args[1]));
        }
        return n;
    }

    Node case_expr() {
        Node n = make(Node::case_);
        if (!is_word(peek(), "when")) {
            n.has_operand = true;
            n.args.push_back(expr(0));
        }
        while (accept_word("when")) {
            n.args.push_back(expr(0));
            expect_word("then");
            n.args.push_back(expr(0));
        }
        if (accept_word("else")) {
            n.has_else = true;
            n.args.push_back(expr(0));
        }
        expect_word("end");
        if (n.args.size() < (n.has_operand ? 3u : 2u)) throw ParseError{};
        return n;
    }

    Node cast_expr() {
        expect_sym("(");
        Node n = make(Node::cast);
        n.args.push_back(expr(0));
        expect_word("as");
        std::string type;
        int depth = 0;
        while (true) {
            const Token& t = peek();
            if (t.kind == Tok::end) throw ParseError{};
            if (depth == 0 && is_sym(t, ")")) break;
            if (is_sym(t, "(")) ++depth;
            if (is_sym(t, ")")) --depth;
            std::string piece = t.kind == Tok::word ? lower(t.text) : t.text;
            bool glue = type.empty() || is_sym(t, "(") || is_sym(t, ")") || is_sym(t, ",") ||
                        (!type.empty() && (type.back() == '(' || type.back() == ','));
            if (!glue) type += ' ';
            type += piece;
            ++pos_;
        }
        expect_sym(")");
        if (type.empty()) throw ParseError{};
        n.text = type;
        return n;
    }

    static std::string alias(const std::string& name) {
        static const std::pair<const char*, const char*> aliases[] = {
            {"lower", "lcase"},
            {"upper", "ucase"},
            {"length", "octet_length"},
            {"character_length", "char_length"},
            {"substring", "substr"},
            {"mid", "substr"},
            {"power", "pow"},
            {"ceil", "ceiling"},
            {"rlike", "regexp"},
            {"now", "current_timestamp"},
            {"localtime", "current_timestamp"},
            {"localtimestamp", "current_timestamp"},
            {"current_date", "curdate"},
            {"current_time", "curtime"},
        };
        for (const auto& [from, to] : aliases) {
            if (name == from) return to;
        }
        return name;
    }

    // The server prints integer literals without leading zeros and ".5" as "0.5";
    // exponent forms are kept as written.
    static std::string canonical_number(const std::string& text) {
        if (text.find_first_of("eE") != std::string::npos) return text;
        std::string s = text;
        if (s[0] == '.') s = "0" + s;
        std::size_t nz = 0;
        while (nz + 1 < s.size() && s[nz] == '0' && s[nz + 1] != '.') ++nz;
        return s.substr(nz);
    }

public:
    // NOT applied to `n`, rewritten as the server does (its negation transformers).
    static Node negate(Node n) {
        switch (n.kind) {
            case Node::binary: {
                static const std::pair<const char*, const char*> inverse[] = {
                    {"=", "<>"}, {"<>", "="}, {"<", ">="}, {">=", "<"}, {">", "<="}, {"<=", ">"}};
                for (const auto& [op, inv] : inverse) {
                    if (n.text == op) {
                        n.text = inv;
                        return n;
                    }
                }
                if (n.text == "xor") {
                    n.args[0] = negate(std::move(n.args[0]));
                    return n;
                }
                if (n.text == "<=>") return bang(std::move(n));
                break;  // arithmetic: compared with 0 below
            }
            case Node::nary: {
                n.text = n.text == "and" ? "or" : "and";
                for (Node& a : n.args) a = negate(std::move(a));
                return n;
            }
            case Node::is:
                if (n.text == "null") {
                    n.negated = !n.negated;
                    return n;
                }
                return bang(std::move(n));
            case Node::in:
            case Node::between:
            case Node::like:
                n.negated = !n.negated;
                return n;
            case Node::regexp:
            case Node::not_bool:
                return bang(std::move(n));
            case Node::function:
                if (is_boolean_function(n.text)) return bang(std::move(n));
                break;
            default:
                break;
        }
        return make_binary("=", std::move(n), make(Node::number, "0"));
    }

private:
    static Node bang(Node n) {
        Node b = make(Node::not_bool);
        b.args.push_back(std::move(n));
        return b;
    }

    // Functions the server knows return a boolean: NOT f() stays !f() instead of f() = 0.
    static bool is_boolean_function(const std::string& name) {
        static const char* const names[] = {"json_valid", "json_exists", "json_contains", "json_contains_path",
                                            "isnull", "st_contains", "st_within", "st_intersects",
                                            "st_equals", "st_disjoint", "st_overlaps", "st_touches", "st_crosses"};
        return std::any_of(std::begin(names), std::end(names), [&](const char* f) { return name == f; });
    }

    std::vector<Token> t_;
    std::size_t pos_ = 0;
};

// ---- rewrites that need the whole tree ------------------------------------------------

void rewrite(Node& n) {
    for (Node& a : n.args) rewrite(a);
    if (n.kind == Node::nary) {
        // Flatten a and (b and c) into a and b and c, as the server's n-ary AND/OR does.
        std::vector<Node> flat;
        for (Node& a : n.args) {
            if (a.kind == Node::nary && a.text == n.text) {
                for (Node& b : a.args) flat.push_back(std::move(b));
            } else {
                flat.push_back(std::move(a));
            }
        }
        n.args = std::move(flat);
    }
    if (n.kind == Node::in && n.args.size() == 2) {  // x IN (v) is x = v
        Node eq = make_binary(n.negated ? "<>" : "=", std::move(n.args[0]), std::move(n.args[1]));
        n = std::move(eq);
    }
}

// ---- printer --------------------------------------------------------------------------

std::string quote_ident(const std::string& name) {
    std::string out = "`";
    for (char c : name) {
        if (c == '`') out += '`';
        out += c;
    }
    return out + "`";
}

std::string print(const Node& n, int need);

std::string print_list(const std::vector<Node>& args, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to; ++i) {
        if (i > from) out += ',';
        out += print(args[i], 0);
    }
    return out;
}

std::string print_bare(const Node& n) {
    switch (n.kind) {
        case Node::number:
        case Node::hex:
            return n.text;
        case Node::string:
            return n.introducer + quote_string(n.text);
        case Node::null:
            return "NULL";
        case Node::column: {
            std::string out;
            for (std::size_t i = 0; i < n.path.size(); ++i) {
                if (i) out += '.';
                out += quote_ident(n.path[i]);
            }
            return out;
        }
        case Node::function:
            // The spelling the brief fixes for reflection: CURRENT_TIMESTAMP[(n)].
            if (n.text == "current_timestamp") {
                if (n.args.empty()) return "CURRENT_TIMESTAMP";
                if (n.args.size() == 1 && n.args[0].kind == Node::number) {
                    if (n.args[0].text == "0") return "CURRENT_TIMESTAMP";
                    return "CURRENT_TIMESTAMP(" + n.args[0].text + ")";
                }
            }
            return n.text + "(" + print_list(n.args, 0, n.args.size()) + ")";
        case Node::unary:
            return n.text + print(n.args[0], l_unary);
        case Node::binary: {
            int lvl = binary_level(n.text);
            return print(n.args[0], lvl) + " " + n.text + " " + print(n.args[1], lvl + 1);
        }
        case Node::nary: {
            int lvl = n.text == "and" ? l_and : l_or;
            std::string out;
            for (std::size_t i = 0; i < n.args.size(); ++i) {
                if (i) out += " " + n.text + " ";
                out += print(n.args[i], lvl + 1);
            }
            return out;
        }
        case Node::not_bool: {
            const Node& a = n.args[0];
            std::string inner = print(a, 0);
            return level_of(a) == l_atom ? "!" + inner : "!(" + inner + ")";
        }
        case Node::is:
            return print(n.args[0], l_compare) + (n.negated ? " is not " : " is ") + n.text;
        case Node::in:
            return print(n.args[0], l_bitor) + (n.negated ? " not in (" : " in (") +
                   print_list(n.args, 1, n.args.size()) + ")";
        case Node::between:
            return print(n.args[0], l_bitor) + (n.negated ? " not between " : " between ") +
                   print(n.args[1], l_bitor) + " and " + print(n.args[2], l_predicate);
        case Node::like: {
            std::string out = print(n.args[0], l_bitor) + (n.negated ? " not like " : " like ") +
                              print(n.args[1], l_bitor);
            if (n.args.size() > 2) out += " escape " + print(n.args[2], l_bitor);
            return out;
        }
        case Node::regexp:
            return print(n.args[0], l_bitor) + " regexp " + print(n.args[1], l_bitor);
        case Node::case_: {
            std::string out = "case";
            std::size_t i = 0;
            if (n.has_operand) out += " " + print(n.args[i++], 0);
            std::size_t pairs_end = n.args.size() - (n.has_else ? 1 : 0);
            for (; i + 1 < pairs_end; i += 2)
                out += " when " + print(n.args[i], 0) + " then " + print(n.args[i + 1], 0);
            if (n.has_else) out += " else " + print(n.args.back(), 0);
            return out + " end";
        }
        case Node::cast:
            return "cast(" + print(n.args[0], 0) + " as " + n.text + ")";
    }
    return {};
}

std::string print(const Node& n, int need) {
    std::string s = print_bare(n);
    if (level_of(n) < need) return "(" + s + ")";
    return s;
}

std::string collapse_whitespace(std::string_view sql) {
    std::string out;
    bool space = false;
    char quote = 0;
    for (char c : sql) {
        if (quote) {
            out += c;
            if (c == quote) quote = 0;
            continue;
        }
        if (c == '\'' || c == '"' || c == '`') {
            if (space && !out.empty()) out += ' ';
            space = false;
            quote = c;
            out += c;
            continue;
        }
        if (std::isspace(static_cast<unsigned char>(c))) {
            space = true;
            continue;
        }
        if (space && !out.empty()) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

}  // namespace

std::string quote_string(std::string_view value) {
    std::string out = "'";
    for (char c : value) {
        switch (c) {
            case '\'': out += "\\'"; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\0': out += "\\0"; break;
            case '\x1a': out += "\\Z"; break;
            default: out += c; break;
        }
    }
    return out + "'";
}

std::optional<std::string> decode_string(std::string_view literal) {
    if (literal.size() < 2 || (literal[0] != '\'' && literal[0] != '"')) return std::nullopt;
    try {
        std::size_t i = 0;
        std::string value = read_string(literal, i);
        if (i != literal.size()) return std::nullopt;
        return value;
    } catch (const ParseError&) {
        return std::nullopt;
    }
}

CanonicalExpression canonicalize(std::string_view sql) {
    CanonicalExpression out;
    try {
        Parser parser(tokenize(sql));
        Node n = parser.parse_all();
        rewrite(n);
        out.text = print(n, 0);
        if (n.kind == Node::number) {
            out.shape = CanonicalExpression::Shape::number;
            out.literal = n.text;
        } else if (n.kind == Node::string && n.introducer.empty()) {
            out.shape = CanonicalExpression::Shape::string;
            out.literal = n.text;
        } else if (n.kind == Node::null) {
            out.shape = CanonicalExpression::Shape::null;
        }
    } catch (const ParseError&) {
        out.text = collapse_whitespace(sql);
    }
    return out;
}

}  // namespace strata::mysql_detail
