// Internal to the MySQL dialect: canonical spelling of SQL expressions (check
// constraints, default expressions) the way MariaDB re-prints them in
// information_schema, and MySQL string-literal encoding. Pure functions; no driver.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace strata::mysql_detail {

struct CanonicalExpression {
    enum class Shape {
        expression,  // anything that is not a plain literal
        number,      // a numeric literal, possibly negative: literal holds its text
        string,      // a string literal: literal holds the decoded value
        null,        // NULL
    };
    Shape shape = Shape::expression;
    std::string text;     // canonical SQL text
    std::string literal;  // see Shape
};

// Parses `sql` with the common MySQL expression grammar, applies the rewrites the
// server makes when it stores an expression (NOT pushed into comparisons and through
// AND/OR, != -> <>, % -> MOD, && -> and, || -> or, TRUE/FALSE -> 1/0, IN of one value
// -> =, function aliases such as lower -> lcase and now -> current_timestamp) and
// prints it with keywords in lower case, identifiers in backticks, strings in single
// quotes with backslash escapes and only the parentheses precedence needs.
// current_timestamp() prints as CURRENT_TIMESTAMP (CURRENT_TIMESTAMP(n) with a
// precision). Text outside the grammar comes back trimmed with whitespace runs
// collapsed. Never throws.
CanonicalExpression canonicalize(std::string_view sql);

// 'value' with MySQL escapes (\\, \', \n, \r, \t, \0, \Z): the canonical form.
std::string quote_string(std::string_view value);

// Decodes one complete MySQL string literal ('..' or "..", doubled quotes and
// backslash escapes); std::nullopt when `literal` is not exactly one string literal.
std::optional<std::string> decode_string(std::string_view literal);

}  // namespace strata::mysql_detail
