// The raw-SQL parameter translator, no database: ? and :name into each dialect's
// placeholders, the lexical cases left alone, and every error.
#include "dialects/sql_text.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "core/error.hpp"
#include "dialects/dialect.hpp"

using namespace strata;

namespace {

const SqlSyntax& sqlite() {
    static const SqlSyntax s = sqlite_dialect().sql_syntax();
    return s;
}
const SqlSyntax& pg() {
    static const SqlSyntax s = postgresql_dialect().sql_syntax();
    return s;
}
const SqlSyntax& mysql() {
    static const SqlSyntax s = mysql_dialect().sql_syntax();
    return s;
}

std::string sql_for(const SqlSyntax& syntax, std::string_view sql, const SqlParams& params = {}) {
    return bind_sql(sql, params, syntax).sql;
}

// The message of the Error(usage) that binding throws.
std::string usage_error(const SqlSyntax& syntax, std::string_view sql, const SqlParams& params) {
    try {
        bind_sql(sql, params, syntax);
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(e.sql() == sql);
        std::string what = e.what();
        CHECK(what.find('\n') == std::string::npos);
        return what;
    }
    FAIL("no error for: " << sql);
    return {};
}

Value v(std::int64_t i) { return Value(i); }
Value v(const char* s) { return Value(std::string(s)); }

}  // namespace

TEST_CASE("sql_text: the dialects' syntax", "[sql_text]") {
    CHECK(sqlite().placeholders == PlaceholderStyle::question);
    CHECK_FALSE(sqlite().backslash_escapes);
    CHECK_FALSE(sqlite().dollar_quotes);
    CHECK(pg().placeholders == PlaceholderStyle::dollar_number);
    CHECK(pg().dollar_quotes);
    CHECK(pg().escape_strings);
    CHECK(pg().nested_comments);
    CHECK_FALSE(pg().backslash_escapes);
    CHECK(mysql().placeholders == PlaceholderStyle::question);
    CHECK(mysql().backslash_escapes);
    CHECK(mysql().hash_comments);
    CHECK_FALSE(mysql().dollar_quotes);
}

TEST_CASE("sql_text: positional ? in order", "[sql_text]") {
    const std::string sql = "UPDATE users SET name = ? WHERE id = ?";
    SqlParams params{v("Ann"), v(7)};
    BoundSql q = bind_sql(sql, params, sqlite());
    CHECK(q.sql == sql);
    CHECK(q.params == std::vector<Value>{v("Ann"), v(7)});
    CHECK(sql_for(mysql(), sql, params) == sql);
    BoundSql p = bind_sql(sql, params, pg());
    CHECK(p.sql == "UPDATE users SET name = $1 WHERE id = $2");
    CHECK(p.params == std::vector<Value>{v("Ann"), v(7)});
    CHECK(sql_for(pg(), "SELECT 1") == "SELECT 1");
    CHECK(sql_for(pg(), "INSERT INTO t VALUES (?,?,?)", {v(1), v(2), v(3)}) == "INSERT INTO t VALUES ($1,$2,$3)");
}

TEST_CASE("sql_text: named :name, a repeated name binds the same value", "[sql_text]") {
    const std::string sql = "SELECT * FROM t WHERE a = :x OR b = :y OR c = :x";
    SqlParams params{{"y", v(2)}, {"x", v(1)}};
    BoundSql q = bind_sql(sql, params, sqlite());
    CHECK(q.sql == "SELECT * FROM t WHERE a = ? OR b = ? OR c = ?");
    CHECK(q.params == std::vector<Value>{v(1), v(2), v(1)});
    BoundSql m = bind_sql(sql, params, mysql());
    CHECK(m.sql == q.sql);
    CHECK(m.params == q.params);
    BoundSql p = bind_sql(sql, params, pg());
    CHECK(p.sql == "SELECT * FROM t WHERE a = $1 OR b = $2 OR c = $1");
    CHECK(p.params == std::vector<Value>{v(1), v(2)});
    // Names: letters, digits, underscore; the name ends at the first other character.
    BoundSql n = bind_sql("VALUES (:a_1,:_b2)", {{"a_1", v(1)}, {"_b2", v(2)}}, pg());
    CHECK(n.sql == "VALUES ($1,$2)");
    // A vector of pairs works like the braced list.
    std::vector<SqlParams::Named> list{{"p", v("A%")}};
    CHECK(bind_sql("SELECT 1 WHERE 'x' LIKE :p", list, pg()).sql == "SELECT 1 WHERE 'x' LIKE $1");
}

TEST_CASE("sql_text: string literals are left alone", "[sql_text]") {
    for (const SqlSyntax* s : {&sqlite(), &pg(), &mysql()}) {
        CAPTURE(s->placeholders == PlaceholderStyle::dollar_number);
        const std::string ph = s->placeholders == PlaceholderStyle::dollar_number ? "$1" : "?";
        CHECK(sql_for(*s, "SELECT ':notaparam ?' WHERE a = ?", {v(1)}) == "SELECT ':notaparam ?' WHERE a = " + ph);
        CHECK(sql_for(*s, "SELECT 'it''s :x ?' WHERE a = :a", {{"a", v(1)}}) == "SELECT 'it''s :x ?' WHERE a = " + ph);
        CHECK(sql_for(*s, "SELECT '' WHERE a = ?", {v(1)}) == "SELECT '' WHERE a = " + ph);
        // Unterminated: copied to the end for the database to reject.
        CHECK(sql_for(*s, "SELECT 'open ? :x") == "SELECT 'open ? :x");
    }
}

TEST_CASE("sql_text: backslashes in strings follow the database", "[sql_text]") {
    // MySQL: \' does not close the string.
    CHECK(sql_for(mysql(), R"(SELECT 'a\' ? :x' WHERE b = ?)", {v(1)}) == R"(SELECT 'a\' ? :x' WHERE b = ?)");
    CHECK(sql_for(mysql(), R"(SELECT "a\" ?" WHERE b = ?)", {v(1)}) == R"(SELECT "a\" ?" WHERE b = ?)");
    // SQLite and PostgreSQL: a backslash is an ordinary character, 'C:\' ends there.
    CHECK(sql_for(sqlite(), R"(SELECT 'C:\' WHERE b = ?)", {v(1)}) == R"(SELECT 'C:\' WHERE b = ?)");
    CHECK(sql_for(pg(), R"(SELECT 'C:\' WHERE b = ?)", {v(1)}) == R"(SELECT 'C:\' WHERE b = $1)");
    // PostgreSQL E'...' strings take backslash escapes (e'...' too), a word ending in E does not.
    CHECK(sql_for(pg(), R"(SELECT E'a\' ?' WHERE b = ?)", {v(1)}) == R"(SELECT E'a\' ?' WHERE b = $1)");
    CHECK(sql_for(pg(), R"(SELECT e'a\' ?' WHERE b = ?)", {v(1)}) == R"(SELECT e'a\' ?' WHERE b = $1)");
    CHECK(sql_for(pg(), R"(SELECT name'a\' WHERE b = ?)", {v(1)}) == R"(SELECT name'a\' WHERE b = $1)");
}

TEST_CASE("sql_text: quoted identifiers are left alone", "[sql_text]") {
    for (const SqlSyntax* s : {&sqlite(), &pg(), &mysql()}) {
        const std::string ph = s->placeholders == PlaceholderStyle::dollar_number ? "$1" : "?";
        CHECK(sql_for(*s, R"(SELECT "a?:b""c?" FROM t WHERE x = ?)", {v(1)}) ==
              R"(SELECT "a?:b""c?" FROM t WHERE x = )" + ph);
        CHECK(sql_for(*s, "SELECT `a?:b``:c` FROM t WHERE x = :x", {{"x", v(1)}}) ==
              "SELECT `a?:b``:c` FROM t WHERE x = " + ph);
    }
}

TEST_CASE("sql_text: comments are left alone", "[sql_text]") {
    for (const SqlSyntax* s : {&sqlite(), &pg(), &mysql()}) {
        const std::string ph = s->placeholders == PlaceholderStyle::dollar_number ? "$1" : "?";
        CHECK(sql_for(*s, "SELECT 1 -- what? :x\nWHERE a = ?", {v(1)}) == "SELECT 1 -- what? :x\nWHERE a = " + ph);
        CHECK(sql_for(*s, "SELECT /* ? :x */ 1 WHERE a = ?", {v(1)}) == "SELECT /* ? :x */ 1 WHERE a = " + ph);
        CHECK(sql_for(*s, "SELECT 1 -- trailing ?") == "SELECT 1 -- trailing ?");
        CHECK(sql_for(*s, "SELECT 1 /* open ?") == "SELECT 1 /* open ?");
    }
    // # comments on MySQL only; elsewhere # is an operator.
    CHECK(sql_for(mysql(), "SELECT 1 # why? :x\nWHERE a = ?", {v(1)}) == "SELECT 1 # why? :x\nWHERE a = ?");
    CHECK(sql_for(pg(), "SELECT a # ? FROM t", {v(1)}) == "SELECT a # $1 FROM t");
    // Nested block comments on PostgreSQL; MySQL and SQLite close at the first */.
    CHECK(sql_for(pg(), "SELECT /* a /* ? */ :x */ ?", {v(1)}) == "SELECT /* a /* ? */ :x */ $1");
    CHECK(sql_for(sqlite(), "SELECT /* a /* */ ?", {v(1)}) == "SELECT /* a /* */ ?");
}

TEST_CASE("sql_text: casts, := and words before a colon are not parameters", "[sql_text]") {
    for (const SqlSyntax* s : {&sqlite(), &pg(), &mysql()}) {
        const bool dollar = s->placeholders == PlaceholderStyle::dollar_number;
        CHECK(sql_for(*s, "SELECT x::text, y::int FROM t") == "SELECT x::text, y::int FROM t");
        CHECK(sql_for(*s, "SELECT :v::int", {{"v", v(1)}}) == (dollar ? "SELECT $1::int" : "SELECT ?::int"));
        CHECK(sql_for(*s, "SELECT @n := :v", {{"v", v(1)}}) == (dollar ? "SELECT @n := $1" : "SELECT @n := ?"));
        CHECK(sql_for(*s, "SELECT arr[1:n], '10:30', a:b FROM t") == "SELECT arr[1:n], '10:30', a:b FROM t");
        CHECK(sql_for(*s, "SELECT arr[i \\:n] FROM t") == "SELECT arr[i :n] FROM t");
        CHECK(sql_for(*s, "SELECT :1, : x") == "SELECT :1, : x");
    }
}

TEST_CASE("sql_text: PostgreSQL dollar-quoted strings are left alone", "[sql_text]") {
    CHECK(sql_for(pg(), "SELECT $$ it's ? :x $$, ?", {v(1)}) == "SELECT $$ it's ? :x $$, $1");
    CHECK(sql_for(pg(), "DO $fn$ BEGIN PERFORM ':y ?'; $$ ? $$; END $fn$ WHERE ?", {v(1)}) ==
          "DO $fn$ BEGIN PERFORM ':y ?'; $$ ? $$; END $fn$ WHERE $1");
    CHECK(sql_for(pg(), "SELECT $q$ open ? :x") == "SELECT $q$ open ? :x");
    // $ inside a word is no quote: a$b$ is an identifier.
    CHECK(sql_for(pg(), "SELECT a$b$ FROM t WHERE x = ?", {v(1)}) == "SELECT a$b$ FROM t WHERE x = $1");
    // MySQL and SQLite have no dollar quoting: ? after $$ is a parameter.
    CHECK(sql_for(mysql(), "SELECT '$$', ?", {v(1)}) == "SELECT '$$', ?");
}

TEST_CASE("sql_text: errors", "[sql_text]") {
    for (const SqlSyntax* s : {&sqlite(), &pg(), &mysql()}) {
        CAPTURE(s->placeholders == PlaceholderStyle::dollar_number);
        CHECK_THAT(usage_error(*s, "SELECT :a, :b", {{"a", v(1)}}),
                   Catch::Contains("no value given for :b") && Catch::Contains("given: :a"));
        CHECK_THAT(usage_error(*s, "SELECT :a", {}), Catch::Contains("no value given for :a"));
        CHECK_THAT(usage_error(*s, "SELECT :a", {{"a", v(1)}, {"b", v(2)}}),
                   Catch::Contains(":b was given but the statement does not use it"));
        CHECK_THAT(usage_error(*s, "SELECT :a", {{"a", v(1)}, {"a", v(2)}}), Catch::Contains(":a is given twice"));
        CHECK_THAT(usage_error(*s, "SELECT ?, ?", {v(1)}), Catch::Contains("2 ? placeholder(s) but 1 value(s)"));
        CHECK_THAT(usage_error(*s, "SELECT ?", {v(1), v(2)}), Catch::Contains("1 ? placeholder(s) but 2 value(s)"));
        CHECK_THAT(usage_error(*s, "SELECT 1", {v(1)}), Catch::Contains("0 ? placeholder(s) but 1 value(s)"));
        CHECK_THAT(usage_error(*s, "SELECT ?, :a", {v(1)}), Catch::Contains("mixes ? and :name"));
        CHECK_THAT(usage_error(*s, "SELECT :a, ?", {{"a", v(1)}}), Catch::Contains("mixes ? and :name"));
        CHECK_THAT(usage_error(*s, "SELECT ?", {{"a", v(1)}}), Catch::Contains("uses ? placeholders but named values"));
        CHECK_THAT(usage_error(*s, "SELECT 1", {{"a", v(1)}}), Catch::Contains("no :name parameter"));
        CHECK_THAT(usage_error(*s, "SELECT :a", {v(1)}), Catch::Contains("values were given in order"));
        CHECK_THAT(usage_error(*s, "SELECT ?1", {v(1)}), Catch::Contains("numbered ?N"));
    }
    CHECK_THAT(usage_error(pg(), "SELECT $1", {v(1)}), Catch::Contains("native $N placeholders"));
}
