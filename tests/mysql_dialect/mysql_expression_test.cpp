// The expression canonicalizer: a declared CHECK / DEFAULT expression and the text
// MariaDB 10.11 stores for it (information_schema, recorded from a live server) must
// canonicalize to the same text.
#include <catch2/catch.hpp>

#include "dialects/mysql/mysql_dialect.hpp"
#include "dialects/mysql/mysql_expression.hpp"

using namespace strata;

namespace {

std::string canon(std::string_view sql) { return MysqlDialect::canonical_expression(sql); }

}  // namespace

TEST_CASE("mysql expression: declared checks and the server's stored text agree", "[mysql]") {
    struct Pair {
        const char* declared;
        const char* stored;  // CHECK_CONSTRAINTS.CHECK_CLAUSE on MariaDB 10.11
    };
    const Pair pairs[] = {
        {"ck > 0", "`ck` > 0"},
        {"n>0 AND d is not null or f in (1,2) and s like 'a%'",
         "`n` > 0 and `d` is not null or `f` in (1,2) and `s` like 'a%'"},
        {"a BETWEEN 1 AND 10", "`a` between 1 and 10"},
        {"NOT (a = 3)", "`a` <> 3"},
        {"a <> 2 AND a != 4", "`a` <> 2 and `a` <> 4"},
        {"CHAR_LENGTH(b) > 2", "char_length(`b`) > 2"},
        {"(a > 0) OR (c > 0)", "`a` > 0 or `c` > 0"},
        {"b IN ('x', 'it''s', 'y')", "`b` in ('x','it\\'s','y')"},
        {"a > -1 and d >= 1.50 and d < 1e3", "`a` > -1 and `d` >= 1.50 and `d` < 1e3"},
        {"b IS NOT NULL", "`b` is not null"},
        {"`order` > 0", "`order` > 0"},
        {"a + c * 2 > (c - 1) / 3", "`a` + `c` * 2 > (`c` - 1) / 3"},
        {"b <> ''", "`b` <> ''"},
        {"lower(b) = b", "lcase(`b`) = `b`"},
        {"a IS NULL OR a NOT IN (5,6)", "`a` is null or `a` not in (5,6)"},
        {"b NOT LIKE '%z%' ESCAPE '!'", "`b`  not like '%z%' escape '!'"},
        {"a > 0 AND (c > 0 OR d > 0)", "`a` > 0 and (`c` > 0 or `d` > 0)"},
        {"coalesce(a, 0) >= 0", "coalesce(`a`,0) >= 0"},
        {"b REGEXP '^[a-z]+$'", "`b` regexp '^[a-z]+$'"},
        {"TRUE", "1"},
        {"a = TRUE", "`a` = 1"},
        {"b = \"dq\"", "`b` = 'dq'"},
        {"length(b) > 0", "octet_length(`b`) > 0"},
        {"upper(b) = b", "ucase(`b`) = `b`"},
        {"CASE WHEN a > 0 THEN c > 0 ELSE TRUE END", "case when `a` > 0 then `c` > 0 else 1 end"},
        {"a IS TRUE", "`a` is true"},
        {"CAST(b AS SIGNED) > 0", "cast(`b` as signed) > 0"},
        {"a - (c - 1) > 0", "`a` - (`c` - 1) > 0"},
        {"(a + c) * 2 > 0", "(`a` + `c`) * 2 > 0"},
        {"(a > 0 AND c > 0) OR b = 'x'", "`a` > 0 and `c` > 0 or `b` = 'x'"},
        {"a NOT BETWEEN 1 AND 2", "`a` not between 1 and 2"},
        {"b <> 'a\\\\b\\nc'", "`b` <> 'a\\\\b\\nc'"},
        {"NOT (a > 0 AND c > 0)", "`a` <= 0 or `c` <= 0"},
        {"a % 2 = 0", "`a` MOD 2 = 0"},
        {"a DIV 2 = 0", "`a` DIV 2 = 0"},
        {"concat(b, 'x') <> 'yx'", "concat(`b`,'x') <> 'yx'"},
        {"-a < 0", "-`a` < 0"},
        {"a XOR c", "`a` xor `c`"},
        {"a >= 0 = TRUE", "`a` >= 0 = 1"},
        {"NOT a", "`a` = 0"},
        {"a > 0 && c > 0 || b is null", "`a` > 0 and `c` > 0 or `b` is null"},
        {"a in (1)", "`a` = 1"},
        {"a = 1.0", "`a` = 1.0"},
        {"b = _utf8mb4'x'", "`b` = _utf8mb4'x'"},
        {"not(b like 'x%')", "`b`  not like 'x%'"},
        {"substring(b,1,2) <> 'x'", "substr(`b`,1,2) <> 'x'"},
        {"mid(b,1,1) <> 'y'", "substr(`b`,1,1) <> 'y'"},
        {"character_length(b) < 9", "char_length(`b`) < 9"},
        {"if(a > 0, 1, 0) = 1", "if(`a` > 0,1,0) = 1"},
        {"a <> 007", "`a` <> 7"},
        {"d <> .5", "`d` <> 0.5"},
        {"a <> 0x1F", "`a` <> 0x1f"},
        {"b <> x'41'", "`b` <> 'A'"},
        {"+a > 0", "`a` > 0"},
        {"NOT (a IS TRUE)", "!(`a` is true)"},
        {"NOT (a BETWEEN 1 AND 2)", "`a` not between 1 and 2"},
        {"NOT (a IN (1))", "`a` <> 1"},
        {"NOT (a IN (1,2))", "`a` not in (1,2)"},
        {"b <> 'tab\\there'", "`b` <> 'tab\\there'"},
        {"b <> \"it's\"", "`b` <> 'it\\'s'"},
        {"NOT (b IS NULL)", "`b` is not null"},
        {"a NOT IN (1)", "`a` <> 1"},
        {"NOT (a REGEXP 'x')", "!(`a` regexp 'x')"},
        {"NOT (a > 0 XOR c > 0)", "`a` <= 0 xor `c` > 0"},
        {"NOT lcase(b) = 'a'", "lcase(`b`) <> 'a'"},
        {"a - -1 > 0", "`a` - -1 > 0"},
        {"NOT NOT a", "`a` <> 0"},
        {"NOT (a <=> c)", "!(`a` <=> `c`)"},
        {"a = 1 or a = 2 or a = 3", "`a` = 1 or `a` = 2 or `a` = 3"},
        {"a = 1 and (c = 1 and d = 1)", "`a` = 1 and `c` = 1 and `d` = 1"},
        {"a * (c * 2) > 0", "`a` * (`c` * 2) > 0"},
        {"a - c - 1 > 0", "`a` - `c` - 1 > 0"},
        {"mod(a, 2) = 0", "`a` MOD 2 = 0"},
        {"(a between 1 and 5) = 1", "`a` between 1 and 5 = 1"},
        {"a is unknown", "`a` is null"},
        {"a = 1 or (c = 2 or d = 3)", "`a` = 1 or `c` = 2 or `d` = 3"},
        {"a = - 1", "`a` = -1"},
        {"-(a + 1) < 0", "-(`a` + 1) < 0"},
        {"not a > 0", "`a` <= 0"},
        {"not (a = 1 or c = 2)", "`a` <> 1 and `c` <> 2"},
        {"power(a,2) >= 0", "pow(`a`,2) >= 0"},
        {"ceil(d) >= 0", "ceiling(`d`) >= 0"},
        {"position('x' in b) = 0", "locate('x',`b`) = 0"},
        {"a <> 00.50", "`a` <> 0.50"},
        {"a in (1,(2))", "`a` in (1,2)"},
        {"a between -1 and +5", "`a` between -1 and 5"},
        {"b <> 'a' 'b'", "`b` <> 'ab'"},
        {"a & 1 = 0", "`a` & 1 = 0"},
        {"~a <> 0", "~`a` <> 0"},
        {"a << 1 > 0", "`a` << 1 > 0"},
        {"json_valid(b)", "json_valid(`b`)"},
        {"not json_valid(b)", "!json_valid(`b`)"},
        {"b rlike 'x'", "`b` regexp 'x'"},
    };
    for (const Pair& p : pairs) {
        INFO("declared: " << p.declared << "\nstored:   " << p.stored);
        CHECK(canon(p.declared) == canon(p.stored));
        // The canonical form is a fixed point.
        CHECK(canon(canon(p.declared)) == canon(p.declared));
    }
}

TEST_CASE("mysql expression: default expressions as the server stores them", "[mysql]") {
    CHECK(canon("CURRENT_TIMESTAMP") == "CURRENT_TIMESTAMP");
    CHECK(canon("current_timestamp()") == "CURRENT_TIMESTAMP");
    CHECK(canon("now()") == "CURRENT_TIMESTAMP");
    CHECK(canon("LOCALTIMESTAMP") == "CURRENT_TIMESTAMP");
    CHECK(canon("current_timestamp(6)") == "CURRENT_TIMESTAMP(6)");
    CHECK(canon("NOW(3)") == "CURRENT_TIMESTAMP(3)");
    CHECK(canon("(current_date)") == canon("curdate()"));
    CHECK(canon("2*3+1") == canon("(2 * 3 + 1)"));
    CHECK(canon("concat('a','b')") == canon("(CONCAT('a', 'b'))"));
    CHECK(canon("UUID()") == "uuid()");
}

TEST_CASE("mysql expression: canonical text is readable and keeps needed parentheses", "[mysql]") {
    CHECK(canon("price>0") == "`price` > 0");
    CHECK(canon("qty >= 0 AND qty < 1000") == "`qty` >= 0 and `qty` < 1000");
    CHECK(canon("(a OR b) AND c") == "(`a` or `b`) and `c`");
    CHECK(canon("a - (b - c)") == "`a` - (`b` - `c`)");
    CHECK(canon("(a - b) - c") == "`a` - `b` - `c`");
    CHECK(canon("`we``ird` = 'it''s'") == "`we``ird` = 'it\\'s'");
    CHECK(canon("t.a = 1") == "`t`.`a` = 1");
}

TEST_CASE("mysql expression: text outside the grammar is kept with whitespace collapsed", "[mysql]") {
    CHECK(canon("trim(leading 'x'   from  b) <> ''") == "trim(leading 'x' from b) <> ''");
    CHECK(canon("  a   =   'two  spaces'  ") == "`a` = 'two  spaces'");
    CHECK(canon("a = (SELECT 1)") == "a = (SELECT 1)");
    CHECK(canon("") == "");
    CHECK(canon("'unterminated") == "'unterminated");
}

TEST_CASE("mysql expression: literal shapes are recognized", "[mysql]") {
    using mysql_detail::CanonicalExpression;
    auto c = mysql_detail::canonicalize("'it''s'");
    CHECK(c.shape == CanonicalExpression::Shape::string);
    CHECK(c.literal == "it's");
    c = mysql_detail::canonicalize("-5");
    CHECK(c.shape == CanonicalExpression::Shape::number);
    CHECK(c.literal == "-5");
    c = mysql_detail::canonicalize("NULL");
    CHECK(c.shape == CanonicalExpression::Shape::null);
    c = mysql_detail::canonicalize("-(5)");
    CHECK(c.shape == CanonicalExpression::Shape::number);
    c = mysql_detail::canonicalize("5 + 1");
    CHECK(c.shape == CanonicalExpression::Shape::expression);
    CHECK(mysql_detail::quote_string(std::string("a'b\\c\n\0", 7)) == "'a\\'b\\\\c\\n\\0'");
    CHECK(mysql_detail::decode_string("'a''b\\\\c'") == std::optional<std::string>("a'b\\c"));
    CHECK_FALSE(mysql_detail::decode_string("'a' 'b'").has_value());
    CHECK_FALSE(mysql_detail::decode_string("abc").has_value());
}
