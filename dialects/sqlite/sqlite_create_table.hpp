// What SQLite's catalog pragmas do not tell: constraint names, CHECK expressions
// and the AUTOINCREMENT keyword live only in the CREATE TABLE text that
// sqlite_schema keeps. This is a small tokenizer and a parser for that text.
//
// Pure functions, no I/O, no regex. The parser is forgiving: text it does not
// understand is skipped rather than rejected, because reflection must never fail on
// a schema SQLite itself accepted. Names are unquoted ("a""b" -> a"b, [x y] -> x y,
// `q` -> q). Identifier comparisons in SQLite are ASCII case-insensitive; use
// sqlite_same_name().
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

struct SqliteToken {
    enum class Kind {
        word,        // bare identifier or keyword: users, PRIMARY
        quoted,      // "x", `x` or [x]: always an identifier
        string,      // 'x': a literal (SQLite also accepts it as an identifier in names)
        number,      // 12, 1.5e3, 0x1F
        blob,        // X'00FF'
        punct,       // ( ) , ; . and operator characters, one token each (|| <= etc. as one)
        parameter,   // ? ?1 :a @a $a
    };
    Kind kind = Kind::punct;
    std::string_view text;  // the raw slice of the source
    std::size_t offset = 0; // byte offset of `text` in the source

    // The identifier or string content with quotes removed and doubled quotes undone;
    // the raw text for other kinds.
    std::string value() const;
    // True for a bare word equal to `keyword`, ignoring ASCII case.
    bool is(std::string_view keyword) const noexcept;
    bool is_punct(char c) const noexcept { return kind == Kind::punct && text.size() == 1 && text[0] == c; }
    // A word, quoted identifier or string: something usable as a name.
    bool is_name() const noexcept { return kind == Kind::word || kind == Kind::quoted || kind == Kind::string; }
};

// Splits `sql` into tokens; whitespace and comments (-- and /* */) are dropped.
// An unterminated quote or comment runs to the end of the text.
std::vector<SqliteToken> tokenize_sqlite(std::string_view sql);

// Index of the ')' matching the '(' at `open` in `tokens` (`end` when unbalanced).
std::size_t sqlite_matching_paren(const std::vector<SqliteToken>& tokens, std::size_t open, std::size_t end);

// ASCII case-insensitive equality, as SQLite compares identifiers.
bool sqlite_same_name(std::string_view a, std::string_view b) noexcept;

struct SqliteCreateTable {
    struct Check {
        std::string name;        // "" when unnamed
        std::string expression;  // the text between CHECK's parentheses, verbatim and trimmed
        std::string column;      // the column it was declared on; "" for a table constraint
    };
    struct Unique {
        std::string name;
        std::vector<std::string> columns;
    };
    struct ForeignKey {
        std::string name;
        std::vector<std::string> columns;
        std::string ref_table;
        std::vector<std::string> ref_columns;  // empty: the referenced table's primary key
        std::string on_delete;                 // "CASCADE", "SET NULL", ... ("" when absent)
        std::string on_update;
    };
    struct Column {
        std::string name;
        std::string declared_type;  // type text as written ("VARCHAR(30)"), "" when none
        bool primary_key = false;   // PRIMARY KEY declared on the column
        bool autoincrement = false; // ... with AUTOINCREMENT
        std::string default_text;   // DEFAULT's operand as written, "" when none
        std::string generated;      // GENERATED ALWAYS AS (expr): expr as written, "" when none
        bool generated_stored = false;  // ... STORED (else VIRTUAL)
    };

    std::string name;
    std::vector<Column> columns;
    std::string primary_key_name;             // CONSTRAINT name of the primary key, "" when unnamed
    std::vector<std::string> primary_key;     // primary key columns (table or column constraint)
    std::vector<Unique> uniques;              // table and column UNIQUE constraints
    std::vector<Check> checks;                // table and column CHECK constraints, in text order
    std::vector<ForeignKey> foreign_keys;     // table constraints and column REFERENCES
    bool without_rowid = false;
    bool strict = false;

    const Column* find_column(std::string_view column) const noexcept;
};

// Parses a CREATE TABLE statement as stored in sqlite_schema.sql. Returns
// std::nullopt when the text is not a CREATE TABLE with a column list (e.g. a
// virtual table).
std::optional<SqliteCreateTable> parse_sqlite_create_table(std::string_view sql);

// When `expression` is exactly `<column> IN ('v1', 'v2', ...)` (the shape strata
// renders for an enum column), the values in order; otherwise std::nullopt.
std::optional<std::vector<std::string>> parse_sqlite_enum_check(std::string_view expression, std::string_view column);

// `text` without whitespace at both ends and without parentheses that enclose all of
// it: " ((a > 0)) " -> "a > 0", "(a) + (b)" unchanged.
std::string strip_sqlite_parens(std::string_view text);

}  // namespace strata
