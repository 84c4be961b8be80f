// What SQLite's index pragmas do not tell: the text of an index's expression keys and
// of its WHERE predicate live only in the CREATE INDEX statement that sqlite_schema
// keeps. A parser for that text (on the tokenizer of sqlite_create_table.hpp), and the
// canonical form in which SqliteDialect compares index expressions and predicates.
//
// Pure functions, no I/O, no regex.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

struct SqliteCreateIndex {
    struct Key {
        std::string text;         // the key as written, without ASC/DESC and outer parentheses
        bool descending = false;  // DESC
    };
    std::string name;
    std::string table;
    bool unique = false;
    std::vector<Key> keys;
    std::string where;  // the predicate as written, trimmed; "" when the index is not partial
};

// Parses CREATE [UNIQUE] INDEX [IF NOT EXISTS] [schema.]name ON table (key, ...)
// [WHERE expr] as stored in sqlite_schema.sql. std::nullopt for any other text.
std::optional<SqliteCreateIndex> parse_sqlite_create_index(std::string_view sql);

// The parsed text of an index the schema model can hold, given what the pragmas report
// about it (its number of keys, whether it is partial, whether a key is the rowid):
// std::nullopt when a key is the rowid or the text does not agree with the pragmas.
// Reflection models exactly these; a table rebuild replays the others' own SQL.
std::optional<SqliteCreateIndex> sqlite_modelled_index(std::string_view sql, std::size_t keys, bool partial,
                                                       bool rowid);

// The text an index expression or predicate is compared in: outer parentheses removed,
// unquoted words (keywords, names, functions) lower case, one space between tokens
// except around ( ) , . and before a call's '(' ("LOWER( Email )" -> "lower(email)",
// "deleted_at  IS NULL" -> "deleted_at is null"). Quoted names and strings unchanged.
std::string sqlite_canonical_expression(std::string_view sql);

}  // namespace strata
