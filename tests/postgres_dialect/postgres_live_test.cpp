// PostgreSQL-only behaviour against a live server (STRATA_TEST_POSTGRES_URL): value
// typing and binding details, statement cache invalidation after DDL, error
// classification details, and reflection of hand-written schemas in spellings the
// conformance suites do not cover (enum types, identity, serial, generated columns,
// checks in many forms, other schemas, partitions).
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <optional>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/postgres/postgres_connection.hpp"
#include "dialects/postgres/postgres_dialect.hpp"
#include "migrations/operation.hpp"
#include "orm/create_all.hpp"
#include "support/test_database.hpp"

using namespace strata;
using strata::testing::TestDatabase;

namespace {

template <class F>
Error expect_error(F&& f) {
    std::optional<Error> caught;
    try {
        f();
    } catch (const Error& e) {
        caught = e;
    }
    REQUIRE(caught.has_value());
    return *caught;
}

Column col(std::string name, ColumnType type, bool nullable = true, std::optional<ServerDefault> def = std::nullopt) {
    Column c;
    c.name = std::move(name);
    c.type = std::move(type);
    c.nullable = nullable;
    c.server_default = std::move(def);
    return c;
}

Value one(Connection& c, const std::string& sql, std::initializer_list<Value> params = {}) {
    ResultSet r = c.query(sql, params);
    REQUIRE(r.rows.size() == 1);
    REQUIRE(r.rows[0].size() >= 1);
    return r.rows[0][0];
}

void run(Connection& c, std::initializer_list<const char*> statements) {
    for (const char* sql : statements) c.execute_unprepared(sql);
}

const Table& require_table(const Metadata& md, const std::string& name) {
    const Table* t = md.find(name);
    INFO(md.describe());
    REQUIRE(t != nullptr);
    return *t;
}

const Column& require_column(const Table& t, const std::string& name) {
    const Column* c = t.find_column(name);
    INFO(t.describe());
    REQUIRE(c != nullptr);
    return *c;
}

}  // namespace

// ---- values -----------------------------------------------------------------------------

TEST_CASE("postgres: unambiguous parameters keep their type without a column to infer it from", "[postgres][values]") {
    TestDatabase db;
    Connection& c = db.connection();
    CHECK(one(c, "SELECT $1", {Value(std::int64_t{42})}) == Value(std::int64_t{42}));
    CHECK(one(c, "SELECT $1", {Value(std::numeric_limits<std::int64_t>::min())}) ==
          Value(std::numeric_limits<std::int64_t>::min()));
    CHECK(one(c, "SELECT $1 + $2", {Value(std::int64_t{40}), Value(std::int64_t{2})}) == Value(std::int64_t{42}));
    CHECK(one(c, "SELECT $1", {Value(true)}) == Value(true));
    CHECK(one(c, "SELECT $1", {Value(2.5)}) == Value(2.5));
    CHECK(one(c, "SELECT $1", {Value("text")}) == Value(std::string("text")));
    CHECK(one(c, "SELECT $1", {Value(Date{2026, 11, 26})}) == Value(Date{2026, 11, 26}));
    CHECK(one(c, "SELECT $1", {Value(Time{5, 6, 7, 123456})}) == Value(Time{5, 6, 7, 123456}));
    CHECK(one(c, "SELECT $1", {Value(DateTime{{2026, 11, 26}, {5, 0, 0, 1}})}) ==
          Value(DateTime{{2026, 11, 26}, {5, 0, 0, 1}}));
    CHECK(one(c, "SELECT $1 IS NULL", {Value(std::int64_t{1})}) == Value(false));
}

TEST_CASE("postgres: doubles keep NaN and infinities - numeric comes back exact as text", "[postgres][values]") {
    TestDatabase db;
    Connection& c = db.connection();
    c.execute_unprepared("CREATE TABLE f (id int PRIMARY KEY, d double precision, r real, n numeric(30,10))");
    const double inf = std::numeric_limits<double>::infinity();
    c.execute("INSERT INTO f VALUES ($1, $2, $3, $4)", {Value(std::int64_t{1}), Value(std::nan("")), Value(inf), Value("12345678901234567890.0123456789")});
    c.execute("INSERT INTO f VALUES ($1, $2, $3, $4)", {Value(std::int64_t{2}), Value(-inf), Value(0.5), Value(2.25)});
    ResultSet r = c.query("SELECT d, r, n FROM f ORDER BY id");
    REQUIRE(r.rows.size() == 2);
    REQUIRE(std::holds_alternative<double>(r.rows[0][0]));
    CHECK(std::isnan(std::get<double>(r.rows[0][0])));
    CHECK(r.rows[0][1] == Value(inf));
    CHECK(r.rows[0][2] == Value(std::string("12345678901234567890.0123456789")));
    CHECK(r.rows[1][0] == Value(-inf));
    CHECK(r.rows[1][1] == Value(0.5));
    CHECK(r.rows[1][2] == Value(std::string("2.2500000000")));
}

TEST_CASE("postgres: strings bind to numeric, date, json, uuid and enum columns", "[postgres][values]") {
    TestDatabase db;
    Connection& c = db.connection();
    run(c, {"CREATE TYPE mood AS ENUM ('sad', 'ok')",
            "CREATE TABLE s (id int PRIMARY KEY, n numeric(6,2), d date, j jsonb, u uuid, m mood, small smallint)"});
    c.execute("INSERT INTO s VALUES ($1, $2, $3, $4, $5, $6, $7)",
              {Value(std::int64_t{1}), Value("3.5"), Value("2024-02-29"), Value("{\"k\": [1, 2]}"),
               Value("123e4567-e89b-12d3-a456-426614174000"), Value("ok"), Value(std::int64_t{7})});
    ResultSet r = c.query("SELECT n, d, j, u, m, small FROM s");
    REQUIRE(r.rows.size() == 1);
    CHECK(r.rows[0][0] == Value(std::string("3.50")));
    CHECK(r.rows[0][1] == Value(Date{2024, 2, 29}));
    CHECK(r.rows[0][2] == Value(std::string("{\"k\": [1, 2]}")));
    CHECK(r.rows[0][3] == Value(std::string("123e4567-e89b-12d3-a456-426614174000")));
    CHECK(r.rows[0][4] == Value(std::string("ok")));
    CHECK(r.rows[0][5] == Value(std::int64_t{7}));
    // The same text with NULLs and with a string where an int8 was bound first.
    c.execute("INSERT INTO s VALUES ($1, $2, $3, $4, $5, $6, $7)",
              {Value(std::int64_t{2}), null, null, null, null, null, Value("8")});
    CHECK(one(c, "SELECT small FROM s WHERE id = $1", {Value(std::int64_t{2})}) == Value(std::int64_t{8}));
    CHECK(one(c, "SELECT count(*) FROM s WHERE m = $1", {Value("ok")}) == Value(std::int64_t{1}));
}

TEST_CASE("postgres: timestamptz values come back in UTC", "[postgres][values]") {
    TestDatabase db;
    Connection& c = db.connection();
    c.execute_unprepared("CREATE TABLE tz (id int PRIMARY KEY, at timestamptz)");
    c.execute_unprepared("INSERT INTO tz VALUES (1, '2020-01-01 05:00:00+02')");
    CHECK(one(c, "SELECT at FROM tz") == Value(DateTime{{2020, 1, 1}, {3, 0, 0, 0}}));
    c.execute("INSERT INTO tz VALUES ($1, $2)", {Value(std::int64_t{2}), Value(DateTime{{2021, 6, 1}, {12, 0, 0, 0}})});
    CHECK(one(c, "SELECT extract(hour FROM at AT TIME ZONE 'UTC')::int FROM tz WHERE id = 2") == Value(std::int64_t{12}));
    CHECK(one(c, "SELECT 'infinity'::timestamp") == Value(std::string("infinity")));
}

TEST_CASE("postgres: a string with a NUL byte is refused before it is sent", "[postgres][values][errors]") {
    TestDatabase db;
    Connection& c = db.connection();
    Error e = expect_error([&] { c.query("SELECT $1", {Value(std::string("a\0b", 3))}); });
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(std::string(e.what()).find("Blob") != std::string::npos);
}

// ---- statements ---------------------------------------------------------------------------

TEST_CASE("postgres: cached statements survive DDL that changes their result columns", "[postgres][statements]") {
    TestDatabase db;
    Connection& c = db.connection();
    c.execute_unprepared("CREATE TABLE t (id int PRIMARY KEY)");
    c.execute("INSERT INTO t VALUES ($1)", {Value(std::int64_t{1})});
    CHECK(c.query("SELECT * FROM t").columns.size() == 1);

    c.execute_unprepared("ALTER TABLE t ADD COLUMN name text");
    ResultSet r = c.query("SELECT * FROM t");
    CHECK(r.columns == std::vector<std::string>{"id", "name"});

    // DDL rolled back inside a transaction: statements prepared against the new shape
    // are forgotten too.
    c.begin();
    c.execute_unprepared("ALTER TABLE t ADD COLUMN extra int");
    CHECK(c.query("SELECT * FROM t").columns.size() == 3);
    c.rollback();
    CHECK(c.query("SELECT * FROM t").columns.size() == 2);

    // Explicit BEGIN / COMMIT through execute_unprepared work: no hidden transaction.
    c.execute_unprepared("BEGIN");
    c.execute("INSERT INTO t (id) VALUES ($1)", {Value(std::int64_t{2})});
    c.execute_unprepared("COMMIT");
    auto other = db.engine().connect();
    CHECK(one(*other, "SELECT count(*) FROM t") == Value(std::int64_t{2}));
}

TEST_CASE("postgres: a cached statement survives DDL run by another session", "[postgres][statements]") {
    TestDatabase db;
    Connection& a = db.connection();
    auto b = db.engine().connect();
    a.execute_unprepared("CREATE TABLE t (id int PRIMARY KEY)");
    a.execute("INSERT INTO t VALUES ($1)", {Value(std::int64_t{1})});
    CHECK(a.query("SELECT * FROM t").columns.size() == 1);
    auto& pg = dynamic_cast<PostgresConnection&>(a);
    std::size_t cached = pg.cached_statements();

    // Outside a transaction: re-prepared and run again, seeing the new column.
    b->execute_unprepared("ALTER TABLE t ADD COLUMN name text DEFAULT 'x'");
    ResultSet r = a.query("SELECT * FROM t");
    CHECK(r.columns == std::vector<std::string>{"id", "name"});
    REQUIRE(r.rows.size() == 1);
    CHECK(r.rows[0][1] == Value("x"));
    CHECK(pg.cached_statements() == cached);

    // A statement the server forgot (26000) is prepared again too.
    a.execute_unprepared("DEALLOCATE ALL");
    CHECK(a.query("SELECT * FROM t").columns.size() == 2);

    // Inside a transaction the failure aborted it: a clear error, not a silent retry; after
    // the rollback the statement works against the new shape.
    b->execute_unprepared("ALTER TABLE t ADD COLUMN extra int");
    a.begin();
    a.execute("INSERT INTO t (id) VALUES ($1)", {Value(std::int64_t{2})});
    Error e = expect_error([&] { a.query("SELECT * FROM t"); });
    CHECK(e.kind() == ErrorKind::database);
    CHECK(e.sqlstate() == "0A000");
    CHECK(std::string(e.what()).find("roll the transaction back") != std::string::npos);
    a.rollback();
    r = a.query("SELECT * FROM t");
    CHECK(r.columns == std::vector<std::string>{"id", "name", "extra"});
    CHECK(r.rows.size() == 1);
    CHECK(one(a, "SELECT count(*) FROM pg_prepared_statements") == Value(static_cast<std::int64_t>(pg.cached_statements())));
}

TEST_CASE("postgres: several statements in one execute_unprepared run, and the first error is reported",
          "[postgres][statements]") {
    TestDatabase db;
    Connection& c = db.connection();
    c.execute_unprepared("CREATE TABLE a (x int); INSERT INTO a VALUES (1); INSERT INTO a VALUES (2)");
    CHECK(one(c, "SELECT count(*) FROM a") == Value(std::int64_t{2}));
    Error e = expect_error([&] { c.execute_unprepared("INSERT INTO a VALUES (3); SELEC 1; INSERT INTO a VALUES (4)"); });
    CHECK(e.kind() == ErrorKind::syntax);
    CHECK(e.sqlstate() == "42601");
    // The connection is ready for the next statement.
    CHECK(one(c, "SELECT count(*) FROM a") == Value(std::int64_t{2}));
}

TEST_CASE("postgres: COPY is refused and leaves the connection usable", "[postgres][statements][errors]") {
    TestDatabase db;
    Connection& c = db.connection();
    c.execute_unprepared("CREATE TABLE cp (x int)");
    CHECK(expect_error([&] { c.execute_unprepared("COPY cp FROM STDIN"); }).kind() == ErrorKind::unsupported);
    CHECK(expect_error([&] { c.execute("COPY cp TO STDOUT"); }).kind() == ErrorKind::unsupported);
    CHECK(expect_error([&] { c.execute_unprepared("INSERT INTO cp VALUES (1); COPY cp TO STDOUT; SELECT 1"); }).kind() ==
          ErrorKind::unsupported);
    CHECK(one(c, "SELECT count(*) FROM cp") == Value(std::int64_t{1}));
}

TEST_CASE("postgres: a wrong number of parameters is a usage error", "[postgres][statements][errors]") {
    TestDatabase db;
    Connection& c = db.connection();
    Error e = expect_error([&] { c.query("SELECT $1::int + $2::int", {Value(std::int64_t{1})}); });
    CHECK(e.kind() == ErrorKind::usage);
}

TEST_CASE("postgres: last_insert_id reads the session's last sequence value", "[postgres][statements]") {
    TestDatabase db;
    Connection& c = db.connection();
    Error none = expect_error([&] { c.last_insert_id(); });
    CHECK(none.kind() == ErrorKind::usage);
    CHECK(std::string(none.what()).find("RETURNING") != std::string::npos);
    c.execute_unprepared("CREATE TABLE g (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text)");
    c.execute("INSERT INTO g (v) VALUES ($1)", {Value("a")});
    c.execute("INSERT INTO g (v) VALUES ($1)", {Value("b")});
    CHECK(c.last_insert_id() == 2);
}

TEST_CASE("postgres: server_version is the bare version number", "[postgres][statements]") {
    TestDatabase db;
    std::string v = db.connection().server_version();
    CHECK(v.find(' ') == std::string::npos);
    CHECK(v.find('.') != std::string::npos);
}

// ---- connection -----------------------------------------------------------------------------

TEST_CASE("postgres: URL query options reach libpq - unknown ones are input errors", "[postgres][connection]") {
    Url url = Url::parse(strata::testing::server_url());
    url.query["application_name"] = "strata-live-test";
    auto conn = create_engine(url.str()).connect();
    CHECK(one(*conn, "SELECT current_setting('application_name')") == Value(std::string("strata-live-test")));
    CHECK(one(*conn, "SELECT current_setting('TimeZone')") == Value(std::string("UTC")));

    Url bad = Url::parse(strata::testing::server_url());
    bad.query["no_such_option"] = "1";
    Error e = expect_error([&] { create_engine(bad.str()).connect(); });
    CHECK(e.kind() == ErrorKind::input);
    CHECK(std::string(e.what()).find("no_such_option") != std::string::npos);
}

TEST_CASE("postgres: an unknown role is an authentication error", "[postgres][connection][errors]") {
    Url url = Url::parse(strata::testing::server_url());
    url.user = "strata_no_such_role_zz";
    url.password = "pw-not-shown";
    Error e = expect_error([&] { create_engine(url.str()).connect(); });
    CHECK(e.kind() == ErrorKind::authentication);
    std::string what = e.what();
    CHECK(what.find("strata_no_such_role_zz") != std::string::npos);
    CHECK(what.find("pw-not-shown") == std::string::npos);
}

TEST_CASE("postgres: connection errors say where and what to do", "[postgres][connection][errors]") {
    Url url = Url::parse(strata::testing::server_url());
    url.host = "127.0.0.1";
    url.port = 1;
    url.password = "pw-not-shown";
    Error e = expect_error([&] { create_engine(url.str()).connect(); });
    CHECK(e.kind() == ErrorKind::connection);
    std::string what = e.what();
    CHECK(what.find("127.0.0.1:1") != std::string::npos);
    CHECK(what.find("is the server running") != std::string::npos);
    CHECK(what.find("pw-not-shown") == std::string::npos);
    CHECK(what.find('\n') == std::string::npos);
}

TEST_CASE("postgres: statement errors carry SQLSTATE, SQL and constraint names", "[postgres][errors]") {
    TestDatabase db;
    Connection& c = db.connection();
    run(c, {"CREATE TABLE p (id int PRIMARY KEY, v int CONSTRAINT ck_p_v CHECK (v > 0) NOT NULL)",
            "CREATE TABLE ch (id int PRIMARY KEY, p_id int CONSTRAINT fk_ch_p REFERENCES p (id))"});
    Error pk = expect_error([&] { c.execute_unprepared("INSERT INTO p VALUES (1, 1), (1, 2)"); });
    CHECK(pk.kind() == ErrorKind::constraint);
    CHECK(pk.constraint() == "p_pkey");
    Error ck = expect_error([&] { c.execute("INSERT INTO p VALUES ($1, $2)", {Value(std::int64_t{2}), Value(std::int64_t{0})}); });
    CHECK(ck.constraint() == "ck_p_v");
    CHECK(ck.sqlstate() == "23514");
    Error fk = expect_error([&] { c.execute_unprepared("INSERT INTO ch VALUES (1, 99)"); });
    CHECK(fk.constraint() == "fk_ch_p");
    Error col = expect_error([&] { c.query("SELECT nope FROM p"); });
    CHECK(col.kind() == ErrorKind::database);
    CHECK(col.sqlstate() == "42703");
    CHECK(col.sql() == "SELECT nope FROM p");
    // Inside a failed transaction the next statement says to roll back.
    c.begin();
    expect_error([&] { c.execute_unprepared("SELECT nope FROM p"); });
    Error aborted = expect_error([&] { c.query("SELECT 1"); });
    CHECK(aborted.sqlstate() == "25P02");
    CHECK(std::string(aborted.what()).find("roll") != std::string::npos);
    c.rollback();
    CHECK(one(c, "SELECT 1") == Value(std::int64_t{1}));
}

// ---- reflection -------------------------------------------------------------------------------

TEST_CASE("postgres: reflection uses eight catalog queries (tables, columns, constraints, indexes, enum types, "
          "domains, sequences, views), nine with what is not modelled",
          "[postgres][reflect]") {
    TestDatabase db;
    Connection& c = db.connection();
    c.execute_unprepared("CREATE TABLE a (id int PRIMARY KEY)");
    c.execute_unprepared("CREATE VIEW v AS SELECT * FROM a");
    auto before = c.stats().statements;
    db.dialect().reflect(c);
    CHECK(c.stats().statements - before == 9);
    ReflectOptions tables_only;
    tables_only.unmodelled = false;
    before = c.stats().statements;
    db.dialect().reflect(c, tables_only);
    CHECK(c.stats().statements - before == 8);
}

TEST_CASE("postgres: checks in many spellings reflect equal to their normalized declaration", "[postgres][reflect]") {
    TestDatabase db;
    Table t;
    t.name = "checked";
    t.columns = {col("id", types::integer(), false), col("a", types::integer()),   col("b", types::numeric(10, 2)),
                 col("c", types::string(10)),        col("d", types::double_()),   col("e", types::text()),
                 col("ts", types::datetime(true)),   col("flag", types::boolean()), col("m", types::enum_({"sad", "ok"}))};
    t.primary_key.columns = {"id"};
    const char* expressions[] = {
        "a > 0",
        "b >= 0 AND b < 100",
        "c IN ('x', 'y')",
        "c NOT IN ('x', 'y')",
        "a IN (1, 2, 3)",
        "a IN (7)",
        "(a > 0) AND (b > 0) OR a IS NULL",
        "a > -1",
        "b > -1.5",
        "d > -1.5",
        "d > 1.5",
        "length(c) > 2",
        "a BETWEEN 1 AND 10",
        "e LIKE 'a%'",
        "c ILIKE 'x%' OR c NOT LIKE 'y%'",
        "a + a * 2 > 3",
        "NOT (a = 3)",
        "a <> 3 AND a != 4",
        "lower(c) = 'x'",
        "CASE WHEN a > 0 THEN b > 0 ELSE true END",
        "coalesce(a, 0) >= 0",
        "a - (1 - 2) > 0",
        "(a > 0) = true",
        "c || 'x' <> 'y'",
        "a * -1 < 0",
        "ts > now() - interval '1 day'",
        "b IS DISTINCT FROM 1",
        "a > 0 AND (b > 0 OR d > 0)",
        "e ~ '^[a-z]+$'",
        "c IS NULL OR length(c) > 0",
        "flag IS NOT TRUE OR a > 0",
        "m <> 'sad'",
        "e <> 'it''s'",
        "upper(e) = e",
    };
    int i = 0;
    for (const char* e : expressions) t.checks.push_back(CheckConstraint{fmt::format("ck_{:02}", i++), e});
    Metadata md;
    md.add(t);
    create_all(md, db.engine());
    Metadata live = reflect(db.engine());
    const Table& r = require_table(live, "checked");
    Table expected = db.dialect().normalize(t);
    REQUIRE(r.checks.size() == expected.checks.size());
    for (std::size_t k = 0; k < expected.checks.size(); ++k) {
        const CheckConstraint& want = expected.checks[k];
        auto it = std::find_if(r.checks.begin(), r.checks.end(), [&](const CheckConstraint& c) { return c.name == want.name; });
        REQUIRE(it != r.checks.end());
        INFO("declared: " << t.checks[k].expression);
        CHECK(it->expression == want.expression);
    }
    CHECK(r == expected);
}

TEST_CASE("postgres: a hand-written schema with enum types, identity, serial and generated columns", "[postgres][reflect]") {
    TestDatabase db;
    Connection& c = db.connection();
    run(c, {"CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
            R"sql(CREATE TABLE people (
                 id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                 serial_no bigserial,
                 small_no smallserial,
                 feeling mood NOT NULL DEFAULT 'ok',
                 feeling2 mood,
                 price numeric(8,2) DEFAULT 9.5,
                 qty integer DEFAULT '-3',
                 total numeric GENERATED ALWAYS AS (price * qty) STORED,
                 doc json DEFAULT '{}',
                 docb jsonb,
                 code char(4),
                 tags integer[],
                 span interval DEFAULT '1 day',
                 at timestamptz(3) DEFAULT LOCALTIMESTAMP,
                 day date DEFAULT CURRENT_DATE,
                 note "char"))sql",
            "CREATE INDEX people_lower_code ON people (lower(code), qty)",
            "CREATE UNIQUE INDEX people_partial ON people (qty) WHERE qty > 0",
            "COMMENT ON TABLE people IS 'folks'",
            "COMMENT ON COLUMN people.qty IS 'how many'"});
    Metadata live = reflect(db.engine());
    const Table& p = require_table(live, "people");
    INFO(p.describe());
    CHECK(p.comment == "folks");
    CHECK(p.primary_key.name == "people_pkey");
    const Column& id = require_column(p, "id");
    CHECK(id.type == types::big_integer());
    CHECK(id.autoincrement);
    CHECK_FALSE(id.server_default.has_value());
    CHECK(require_column(p, "serial_no").autoincrement);
    CHECK(require_column(p, "serial_no").type == types::big_integer());
    CHECK(require_column(p, "small_no").autoincrement);
    CHECK(require_column(p, "small_no").type == types::small_integer());
    const Column& feeling = require_column(p, "feeling");
    // A named enum type is a schema object; its columns name it.
    const EnumType mood{"mood", {"sad", "ok", "happy"}};
    REQUIRE(live.enum_types().find("mood"));
    CHECK(*live.enum_types().find("mood") == mood);
    CHECK(feeling.type == mood.column_type());
    CHECK(feeling.type.native == "mood");
    CHECK(feeling.server_default == ServerDefault::literal("ok"));
    CHECK(require_column(p, "feeling2").type == mood.column_type());
    // The serials' own sequences are the columns' (autoincrement), not schema objects.
    CHECK(live.sequences().empty());
    CHECK(require_column(p, "price").server_default == ServerDefault::literal("9.50"));
    CHECK(require_column(p, "qty").server_default == ServerDefault::literal("-3"));
    CHECK(require_column(p, "qty").comment == "how many");
    const Column& total = require_column(p, "total");
    CHECK_FALSE(total.server_default.has_value());
    CHECK(total.options.values.at("postgresql.generated") == "price * qty");
    CHECK(require_column(p, "doc").type == types::json());
    CHECK(require_column(p, "doc").server_default == ServerDefault::literal("{}"));
    CHECK(require_column(p, "docb").type == types::json());
    CHECK(require_column(p, "code").type == types::char_(4));
    CHECK(require_column(p, "tags").type.kind == TypeKind::other);
    CHECK(require_column(p, "tags").type.native == "integer[]");
    CHECK(require_column(p, "span").type.native == "interval");
    CHECK(require_column(p, "span").server_default == ServerDefault::literal("1 day"));
    CHECK(require_column(p, "at").type == types::datetime(true).fractional(3));
    CHECK(require_column(p, "at").server_default == ServerDefault::expression("CURRENT_TIMESTAMP"));
    CHECK(require_column(p, "day").server_default == ServerDefault::expression("CURRENT_DATE"));
    CHECK(require_column(p, "note").type.kind == TypeKind::other);
    // The expression as the server prints it (with its casts), compared in canonical
    // form; the partial index with its predicate.
    REQUIRE(p.indexes.size() == 2);
    const Index* lower_code = nullptr;
    const Index* partial = nullptr;
    for (const Index& i : p.indexes) {
        if (i.name == "people_lower_code") lower_code = &i;
        if (i.name == "people_partial") partial = &i;
    }
    REQUIRE(lower_code != nullptr);
    CHECK(lower_code->columns == std::vector<std::string>{"lower(code::text)", "qty"});
    for (const Index& i : db.dialect().normalize(p).indexes)
        if (i.name == "people_lower_code") CHECK(i.columns == std::vector<std::string>{"lower(code)", "qty"});
    REQUIRE(partial != nullptr);
    CHECK(partial->unique);
    CHECK(partial->where == "qty > 0");
    CHECK(partial->columns == std::vector<std::string>{"qty"});

    // The reflected table renders back into an equivalent table (the shared enum type
    // is referenced, not recreated, and survives dropping the copy).
    Table copy = p;
    copy.name = "people_copy";
    copy.primary_key.name = "people_copy_pkey";
    for (Index& i : copy.indexes) i.name += "_copy";
    for (const std::string& sql : db.dialect().render_create_table(copy)) c.execute_unprepared(sql);
    Metadata again = reflect(db.engine());
    Table reflected_copy = require_table(again, "people_copy");
    CHECK(reflected_copy == copy);
    for (const std::string& sql : db.dialect().render_drop_table(copy)) c.execute_unprepared(sql);
    CHECK(one(c, "SELECT count(*) FROM pg_type WHERE typname = 'mood'") == Value(std::int64_t{1}));
}

TEST_CASE("postgres: declared enums create and drop their own types", "[postgres][reflect]") {
    TestDatabase db;
    Connection& c = db.connection();
    Metadata md;
    Table t;
    t.name = "shirts";
    t.columns = {col("id", types::integer(), false), col("size", types::enum_({"s", "m", "l"}), false, ServerDefault::literal("m"))};
    t.primary_key.columns = {"id"};
    md.add(t);
    create_all(md, db.engine());
    c.execute("INSERT INTO shirts (id) VALUES ($1)", {Value(std::int64_t{1})});
    CHECK(one(c, "SELECT size FROM shirts") == Value(std::string("m")));
    Error bad = expect_error([&] { c.execute("INSERT INTO shirts VALUES ($1, $2)", {Value(std::int64_t{2}), Value("xl")}); });
    CHECK(bad.kind() == ErrorKind::database);
    CHECK(bad.sqlstate() == "22P02");
    Metadata live = reflect(db.engine());
    CHECK(require_table(live, "shirts") == db.dialect().normalize(t));
    drop_all(md, db.engine());
    CHECK(one(c, "SELECT count(*) FROM pg_type WHERE typname = 'shirts_size_enum'") == Value(std::int64_t{0}));
    create_all(md, db.engine());  // the type name is free again
    CHECK(reflect(db.engine()).find("shirts") != nullptr);
}

TEST_CASE("postgres: a revision's enum change works on a column whose type someone else named", "[postgres][migrate]") {
    TestDatabase db;
    Connection& c = db.connection();
    run(c, {"CREATE TYPE mood AS ENUM ('sad', 'ok')", "CREATE TABLE people (id int PRIMARY KEY, m mood NOT NULL)",
            "INSERT INTO people VALUES (1, 'sad')"});
    // As a revision file has it: portable enums, no type name.
    op::AlterColumn change{"people", col("m", types::enum_({"sad", "ok"}), false),
                           col("m", types::enum_({"sad", "ok", "happy"}), false)};
    Metadata live = reflect(db.engine());
    for (const SqlStatement& st : db.dialect().render_operation(change, RenderContext{live}))
        c.execute_unprepared(st.sql);
    c.execute("INSERT INTO people VALUES ($1, $2)", {Value(std::int64_t{2}), Value("happy")});
    CHECK(one(c, "SELECT count(*) FROM people WHERE m::text IN ('sad', 'happy')") == Value(std::int64_t{2}));
    CHECK(require_column(require_table(reflect(db.engine()), "people"), "m").type.enum_values ==
          std::vector<std::string>{"sad", "ok", "happy"});
    // The named type is someone else's: left alone.
    CHECK(one(c, "SELECT count(*) FROM pg_type WHERE typname = 'mood'") == Value(std::int64_t{1}));
}

TEST_CASE("postgres: only the current schema is reflected - partitions belong to their parent", "[postgres][reflect]") {
    TestDatabase db;
    Connection& c = db.connection();
    run(c, {"CREATE SCHEMA other",
            "CREATE TABLE other.hidden (id int PRIMARY KEY)",
            "CREATE TABLE visible (id int PRIMARY KEY, h int REFERENCES other.hidden (id))",
            "CREATE TABLE measures (at date NOT NULL, v int) PARTITION BY RANGE (at)",
            "CREATE TABLE measures_2024 PARTITION OF measures FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
            "CREATE VIEW a_view AS SELECT 1 AS x"});
    Metadata live = reflect(db.engine());
    INFO(live.describe());
    CHECK(live.tables().size() == 2);
    const Table& v = require_table(live, "visible");
    REQUIRE(v.foreign_keys.size() == 1);
    CHECK(v.foreign_keys[0].ref_table == "other.hidden");
    CHECK(live.find("measures") != nullptr);
    CHECK(live.find("measures_2024") == nullptr);
    CHECK(live.find("hidden") == nullptr);
}

TEST_CASE("postgres: a generated column declared with the dialect option round-trips", "[postgres][reflect]") {
    TestDatabase db;
    Table t;
    t.name = "boxes";
    Column total = col("volume", types::integer());
    total.options.values["postgresql.generated"] = "(w * h) * d";
    t.columns = {col("id", types::integer(), false), col("w", types::integer()), col("h", types::integer()),
                 col("d", types::integer()), total};
    t.primary_key.columns = {"id"};
    Metadata md;
    md.add(t);
    create_all(md, db.engine());
    db.connection().execute_unprepared("INSERT INTO boxes (id, w, h, d) VALUES (1, 2, 3, 4)");
    CHECK(one(db.connection(), "SELECT volume FROM boxes") == Value(std::int64_t{24}));
    Metadata live = reflect(db.engine());
    const Table& r = require_table(live, "boxes");
    Table expected = db.dialect().normalize(t);
    CHECK(r == expected);
    CHECK(require_column(r, "volume").options == require_column(expected, "volume").options);
}
