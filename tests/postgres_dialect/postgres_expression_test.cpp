// Canonical expressions: a declared check or default and the text PostgreSQL 15 gives
// back for it (pg_get_constraintdef(oid, true) / pg_get_expr, recorded from the server)
// must canonicalize to the same string; different expressions must not.
#include <catch2/catch.hpp>

#include "dialects/postgres/postgres_expression.hpp"

using namespace strata;
using namespace strata::postgres;

namespace {

ColumnType plain_numeric() {
    ColumnType t;
    t.kind = TypeKind::numeric;
    return t;
}

}  // namespace

TEST_CASE("postgres: declared checks and the server's deparsed checks canonicalize alike", "[postgres][expression]") {
    struct Pair {
        const char* declared;
        const char* server;
    };
    const Pair pairs[] = {
        {"v > 0", "CHECK (v > 0)"},
        {"v > 0", "CHECK ((v > 0))"},
        {"w >= 0 and w < 100", "CHECK (w >= 0::numeric AND w < 100::numeric)"},
        {"w >= 0 and w < 100", "CHECK (((w >= (0)::numeric) AND (w < (100)::numeric)))"},
        {"x in ('a','b')", "CHECK (x::text = ANY (ARRAY['a'::character varying, 'b'::character varying]::text[]))"},
        {"x IN ('a', 'b')", "CHECK (((x)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])))"},
        {"c not in ('a','b')", "CHECK (c::text <> ALL (ARRAY['a'::character varying, 'b'::character varying]::text[]))"},
        {"y IN (1,2,3)", "CHECK (y = ANY (ARRAY[1, 2, 3]))"},
        {"a = any(array[1,2])", "CHECK (a = ANY (ARRAY[1, 2]))"},
        {"a in (1)", "CHECK (a = 1)"},
        {"(y > 0) AND (z > 0) OR y IS NULL", "CHECK (y > 0 AND z > 0 OR y IS NULL)"},
        {"(y > 0) AND (z > 0) OR y IS NULL", "CHECK ((((y > 0) AND (z > 0)) OR (y IS NULL)))"},
        {"y > -1", "CHECK (y > '-1'::integer)"},
        {"b > -1.5", "CHECK (b > '-1.5'::numeric)"},
        {"d > -1.5", "CHECK (d > '-1.5'::numeric::double precision)"},
        {"d > 1.5", "CHECK (d > 1.5::double precision)"},
        {"length(x) > 2", "CHECK (length(x::text) > 2)"},
        {"length(x) > 2", "CHECK ((length((x)::text) > 2))"},
        {"y between 1 and 10", "CHECK (y >= 1 AND y <= 10)"},
        {"char_length(c) between 2 and 5", "CHECK (char_length(c::text) >= 2 AND char_length(c::text) <= 5)"},
        {"e = 'x'", "CHECK (e::text = 'x'::text)"},
        {"e LIKE 'a%'", "CHECK (e::text ~~ 'a%'::text)"},
        {"c ilike 'x%' or c not like 'y%'", "CHECK (c::text ~~* 'x%'::text OR c::text !~~ 'y%'::text)"},
        {"y + z * 2 > 3", "CHECK ((y + z * 2) > 3)"},
        {"y + z * 2 > 3", "CHECK (((y + (z * 2)) > 3))"},
        {"NOT (y = 3)", "CHECK (NOT y = 3)"},
        {"NOT (y = 3)", "CHECK ((NOT (y = 3)))"},
        {"not (a > 0 and a < 5)", "CHECK (NOT (a > 0 AND a < 5))"},
        {"a <> 3 and a != 4", "CHECK (a <> 3 AND a <> 4)"},
        {"a is not null", "CHECK (a IS NOT NULL)"},
        {"lower(c) = 'x'", "CHECK (lower(c::text) = 'x'::text)"},
        {"case when a > 0 then b > 0 else true end",
         "CHECK (\nCASE\n    WHEN a > 0 THEN b > 0::numeric\n    ELSE true\nEND)"},
        {"coalesce(a, 0) >= 0", "CHECK (COALESCE(a, 0) >= 0)"},
        {"\"Mixed\" > 0", "CHECK (\"Mixed\" > 0)"},
        {"a - (1 - 2) > 0", "CHECK ((a - (1 - 2)) > 0)"},
        {"(a > 0) = true", "CHECK ((a > 0) = true)"},
        {"c || 'x' <> 'y'", "CHECK ((c::text || 'x'::text) <> 'y'::text)"},
        {"a * -1 < 0", "CHECK ((a * '-1'::integer) < 0)"},
        {"a*-1 < 0", "CHECK ((a * '-1'::integer) < 0)"},
        {"ts > now() - interval '1 day'", "CHECK (ts > (now() - '1 day'::interval))"},
        {"b is distinct from 1", "CHECK (b IS DISTINCT FROM 1::numeric)"},
        {"a > 0 and (b > 0 or d > 0)", "CHECK (a > 0 AND (b > 0::numeric OR d > 0::double precision))"},
        {"e ~ '^[a-z]+$'", "CHECK (e ~ '^[a-z]+$'::text)"},
        {"c is null or length(c) > 0", "CHECK (c IS NULL OR length(c::text) > 0)"},
        {"m <> 'sad'", "CHECK (m <> 'sad'::mood)"},
        {"sku <> ''", "CHECK (sku::text <> ''::text)"},
        {"price > 0", "CHECK (price > 0::numeric) NOT VALID"},
        {"E'a\\\\b' = e", "CHECK ('a\\b'::text = e)"},
    };
    for (const Pair& p : pairs) {
        INFO("declared: " << p.declared << "\nserver:   " << p.server);
        CHECK(canonical_check(p.declared) == canonical_check(p.server));
    }
}

TEST_CASE("postgres: canonical checks keep meaning and read naturally", "[postgres][expression]") {
    CHECK(canonical_check("CHECK ((x > 0))") == "x > 0");
    CHECK(canonical_check("price >= 0 AND price < 1000") == "price >= 0 AND price < 1000");
    CHECK(canonical_check("X IN ('a','b')") == "x IN ('a', 'b')");
    CHECK(canonical_check("(a OR b) AND c") == "(a OR b) AND c");
    CHECK(canonical_check("a OR (b AND c)") == "a OR b AND c");
    CHECK(canonical_check("a AND (b AND c)") == "a AND b AND c");
    CHECK(canonical_check("(a + b) * c > 0") == "(a + b) * c > 0");
    CHECK(canonical_check("a - (b - c) > 0") == "a - (b - c) > 0");
    CHECK(canonical_check("\"order\" > 0") == "\"order\" > 0");
    CHECK(canonical_check("\"user\" = 'x'") == "\"user\" = 'x'");
    CHECK(canonical_check("now() > ts") == "CURRENT_TIMESTAMP > ts");
    CHECK(canonical_check("f(*) > 0") == "f(*) > 0");
}

TEST_CASE("postgres: different expressions stay different", "[postgres][expression]") {
    const std::pair<const char*, const char*> pairs[] = {
        {"(a OR b) AND c", "a OR b AND c"},
        {"a - (b - c) > 0", "a - b - c > 0"},
        {"(a + b) * c > 0", "a + b * c > 0"},
        {"x > 0", "x >= 0"},
        {"x IN (1, 2)", "x NOT IN (1, 2)"},
        {"x LIKE 'a%'", "x ILIKE 'a%'"},
        {"x = 'A'", "x = 'a'"},
        {"\"X\" > 0", "x > 0"},
        {"ts > now() - interval '1 day'", "ts > now() - '1 day'"},
    };
    for (const auto& [a, b] : pairs) {
        INFO(a << "  vs  " << b);
        CHECK(canonical_check(a) != canonical_check(b));
    }
}

TEST_CASE("postgres: text outside the parsed subset still canonicalizes deterministically", "[postgres][expression]") {
    const char* odd = "x IN (SELECT  id FROM t)";
    CHECK(canonical_expression(odd) == "x in (select id from t)");
    CHECK(canonical_expression(odd) == canonical_expression("x   IN (select id from T)"));
    CHECK(canonical_expression("unterminated 'string") == "unterminated 'string");
    CHECK(canonical_expression("") == "");
    // Absurd nesting falls back instead of exhausting the stack.
    std::string deep = std::string(5000, '(') + "x" + std::string(5000, ')');
    CHECK(canonical_expression(deep) == deep);
    CHECK(canonical_expression("((((x > 0))))") == "x > 0");
}

TEST_CASE("postgres: defaults from pg_get_expr are classified", "[postgres][expression]") {
    struct Case {
        const char* expr;
        ColumnType type;
        std::optional<ServerDefault> expected;
        std::string sequence = {};
    };
    const Case cases[] = {
        {"nextval('t1_id_seq'::regclass)", types::integer(), ServerDefault::expression("nextval('t1_id_seq')"), "t1_id_seq"},
        {"nextval('\"Mixed\"'::regclass)", types::big_integer(), ServerDefault::expression("nextval('\"Mixed\"')"),
         "\"Mixed\""},
        {"nextval('other.ids'::regclass)", types::big_integer(), ServerDefault::expression("nextval('other.ids')"),
         "other.ids"},
        // 'now' read through text is evaluated at every insert: never the literal 'now',
        // which would freeze the date a copy was made.
        {"('now'::text)::date", types::date(), ServerDefault::expression("CURRENT_DATE")},
        {"('today'::text)::date", types::date(), ServerDefault::expression("CURRENT_DATE")},
        {"('now'::text)::timestamp without time zone", types::datetime(), ServerDefault::expression("CURRENT_TIMESTAMP")},
        {"('now'::text)::timestamp(0) with time zone", types::datetime(true),
         ServerDefault::expression("CURRENT_TIMESTAMP")},
        {"('tomorrow'::text)::date", types::date(), ServerDefault::expression("'tomorrow'::text::date")},
        {"('now'::text)::time without time zone", types::time(),
         ServerDefault::expression("'now'::text::time without time zone")},
        {"('2020-01-01'::text)::date", types::date(), ServerDefault::literal("2020-01-01")},
        {"'now'::text", types::text(), ServerDefault::literal("now")},
        {"'abc'::character varying", types::string(10), ServerDefault::literal("abc")},
        {"(0)::smallint", types::small_integer(), ServerDefault::literal("0")},
        {"'{}'::jsonb", types::json(), ServerDefault::literal("{}")},
        {"'x'::\"Mood Type\"", types::enum_({"x"}), ServerDefault::literal("x")},
        {"5", types::integer(), ServerDefault::literal("5")},
        {"'-5'::integer", types::integer(), ServerDefault::literal("-5")},
        {"'9223372036854775807'::bigint", types::big_integer(), ServerDefault::literal("9223372036854775807")},
        {"1.5", types::numeric(10, 2), ServerDefault::literal("1.50")},
        {"1.500", types::numeric(10, 2), ServerDefault::literal("1.50")},
        {"0.10", plain_numeric(), ServerDefault::literal("0.1")},
        {"'-15000000000'::numeric", types::float_(), ServerDefault::literal("-15000000000")},
        {"0.00001", types::float_(), ServerDefault::literal("1e-05")},
        {"'NaN'::double precision", types::double_(), ServerDefault::literal("NaN")},
        {"'-Infinity'::double precision", types::double_(), ServerDefault::literal("-Infinity")},
        {"'x'::character varying", types::string(20), ServerDefault::literal("x")},
        {"'it''s'::text", types::text(), ServerDefault::literal("it's")},
        {"'a\\b'::text", types::text(), ServerDefault::literal("a\\b")},
        {"''::text", types::text(), ServerDefault::literal("")},
        {"true", types::boolean(), ServerDefault::literal("true")},
        {"false", types::boolean(), ServerDefault::literal("false")},
        {"now()", types::datetime(), ServerDefault::expression("CURRENT_TIMESTAMP")},
        {"CURRENT_TIMESTAMP", types::datetime(true), ServerDefault::expression("CURRENT_TIMESTAMP")},
        {"CURRENT_TIMESTAMP(3)", types::datetime(), ServerDefault::expression("CURRENT_TIMESTAMP")},
        {"LOCALTIMESTAMP", types::datetime(), ServerDefault::expression("CURRENT_TIMESTAMP")},
        {"transaction_timestamp()", types::datetime(true), ServerDefault::expression("CURRENT_TIMESTAMP")},
        {"CURRENT_DATE", types::date(), ServerDefault::expression("CURRENT_DATE")},
        {"'2020-01-01'::date", types::date(), ServerDefault::literal("2020-01-01")},
        {"'12:00:00'::time without time zone", types::time(), ServerDefault::literal("12:00:00")},
        {"'2024-01-31 12:34:56+00'::timestamp with time zone", types::datetime(true),
         ServerDefault::literal("2024-01-31 12:34:56")},
        {"'{\"a\": 1}'::jsonb", types::json(), ServerDefault::literal("{\"a\": 1}")},
        {"'ok'::mood", types::enum_({"sad", "ok"}), ServerDefault::literal("ok")},
        {"gen_random_uuid()", types::uuid(), ServerDefault::expression("gen_random_uuid()")},
        {"lower('ABC'::text)", types::text(), ServerDefault::expression("lower('ABC')")},
        {"(1 + 2)", types::integer(), ServerDefault::expression("1 + 2")},
        {"NULL::character varying", types::string(5), std::nullopt},
    };
    for (const Case& c : cases) {
        INFO(c.expr);
        ParsedDefault d = parse_default(c.expr, c.type);
        CHECK(d.sequence == c.sequence);
        // Canonical: parsing the canonical text again gives the same default.
        if (d.server_default && d.server_default->kind == ServerDefault::Kind::expression)
            CHECK(parse_default(d.server_default->text, c.type).server_default == d.server_default);
        CHECK(d.server_default == c.expected);
    }
    ColumnType interval;
    interval.kind = TypeKind::other;
    interval.native = "interval";
    CHECK(parse_default("'1 day'::interval", interval).server_default == ServerDefault::literal("1 day"));
}

TEST_CASE("postgres: literal defaults canonicalize per column type", "[postgres][expression]") {
    CHECK(canonical_literal("yes", types::boolean()) == "true");
    CHECK(canonical_literal("0", types::boolean()) == "false");
    CHECK(canonical_literal("maybe", types::boolean()) == "maybe");
    CHECK(canonical_literal("+007", types::integer()) == "7");
    CHECK(canonical_literal("12x", types::integer()) == "12x");
    CHECK(canonical_literal("1.0", types::double_()) == "1");
    CHECK(canonical_literal("inf", types::double_()) == "Infinity");
    CHECK(canonical_literal("7", types::numeric(8, 3)) == "7.000");
    CHECK(canonical_literal("-0.50", types::numeric(8, 1)) == "-0.5");
    CHECK(canonical_literal("1.555", types::numeric(8, 2)) == "1.555");
    CHECK(canonical_literal("1e3", types::numeric(8, 0)) == "1000");
    CHECK(canonical_literal(".5", plain_numeric()) == "0.5");
    CHECK(canonical_literal("-0", plain_numeric()) == "0");
    CHECK(canonical_literal("2024-01-31T12:34:56Z", types::datetime(true)) == "2024-01-31 12:34:56");
    CHECK(canonical_literal("12:00", types::time()) == "12:00:00");
    CHECK(canonical_literal("not a date", types::date()) == "not a date");
    CHECK(canonical_literal(" Mixed Case ", types::text()) == " Mixed Case ");
}
