// SqlText: raw SQL written once for every database (SQLAlchemy's text()).
//
//   conn.execute(strata::sql_text("UPDATE users SET name = :name WHERE id = :id",
//                             {{"name", "Alice"}, {"id", 7}}));
//   conn.query(strata::sql_text("SELECT * FROM users WHERE id = ?", {7}));
//   session.execute("UPDATE users SET name = ? WHERE id = ?", {"Alice", 7});   // the same rules
//
// Parameters are written in one portable style, whatever the database:
//   - positional `?`, bound in order from a list of values;
//   - named `:name` (letters, digits, underscore; not starting with a digit), bound from a
//     list of name -> value pairs; a name used several times binds the same value.
// One statement uses one style. bind_sql() rewrites them into the database's own
// placeholders (Dialect::placeholder: `?` on SQLite and MySQL, `$1, $2` on PostgreSQL;
// a repeated name reuses its `$n` there and repeats its value for `?`). Every value stays
// a bound parameter: nothing is ever spliced into the SQL text.
//
// Left alone (never parameters): anything inside '...' strings ('' escapes; backslash
// escapes too on MySQL and in PostgreSQL's E'...'), "..." and `...` quoted names, -- and
// /* */ comments (# comments on MySQL, nested /* */ on PostgreSQL), PostgreSQL
// $$...$$ / $tag$...$tag$ strings, `::type` casts (`x::text`, `:v::int` is :v then a
// cast), `:=` (MySQL assignment), and a `:` right after a letter, digit or underscore
// (`arr[1:n]` needs `\:` as `arr[1\:n]`; `\:` always stands for a literal `:`). The
// PostgreSQL jsonb operators `?`, `?|`, `?&` cannot be written: use jsonb_exists() and
// its siblings.
//
// Errors, all Error(usage) with a one-line message, thrown by bind_sql() before anything
// runs: a :name with no value, a value whose name the statement does not use, a name
// given twice, a number of values different from the number of `?`, `?` and :name
// mixed in one statement, named values for a statement with `?` (or the reverse), and
// native placeholders (`?1`, or `$1` on PostgreSQL) in portable text.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/value.hpp"
#include "dialects/dialect.hpp"

namespace strata {

// The values of a raw statement: positional (for `?`) or named (for `:name`), never both.
//   {}                                  no values
//   {Value(1), "x"} / std::vector<Value>     positional
//   {{"id", 1}, {"name", "x"}} / std::vector<SqlParams::Named>   named
class SqlParams {
public:
    using Named = std::pair<std::string, Value>;

    SqlParams() = default;
    SqlParams(std::initializer_list<Value> positional) : positional_(positional) {}
    SqlParams(std::initializer_list<Named> named) : named_(named), is_named_(true) {}
    SqlParams(std::vector<Value> positional) : positional_(std::move(positional)) {}
    SqlParams(std::vector<Named> named) : named_(std::move(named)), is_named_(true) {}

    // True when built from name -> value pairs (even an empty list of them).
    bool is_named() const noexcept { return is_named_; }
    const std::vector<Value>& positional() const noexcept { return positional_; }
    const std::vector<Named>& named() const noexcept { return named_; }
    std::size_t size() const noexcept { return is_named_ ? named_.size() : positional_.size(); }

private:
    std::vector<Value> positional_;
    std::vector<Named> named_;
    bool is_named_ = false;
};

// SQL in one database's placeholders with its values in placeholder order, ready for
// Connection::execute / query.
struct BoundSql {
    std::string sql;
    std::vector<Value> params;
};

// The translator: `sql` (portable ? or :name parameters) rewritten for `syntax`, with
// `params` in the order the placeholders need. Pure. Throws Error(usage) as described at
// the top of this file.
BoundSql bind_sql(std::string_view sql, const SqlParams& params, const SqlSyntax& syntax);

// A raw statement and its values, bound for a dialect when it runs.
class SqlText {
public:
    explicit SqlText(std::string sql, SqlParams params = {}) : sql_(std::move(sql)), params_(std::move(params)) {}

    const std::string& sql() const noexcept { return sql_; }
    const SqlParams& params() const noexcept { return params_; }
    // bind_sql() for `dialect`'s syntax.
    BoundSql bind(const Dialect& dialect) const { return bind_sql(sql_, params_, dialect.sql_syntax()); }

private:
    std::string sql_;
    SqlParams params_;
};

// strata::sql_text("... :name ...", {{"name", value}}): a SqlText. (Not named text(), as
// SQLAlchemy's is: code with `using namespace strata` often has a text() of its own.)
inline SqlText sql_text(std::string sql, SqlParams params = {}) { return SqlText(std::move(sql), std::move(params)); }

}  // namespace strata
