// Connection conformance: one suite, run unchanged against every dialect
// (strata_add_dialect_test). Tables are created through the dialect's own renderer and
// every identifier goes through quote(), every parameter through placeholder(), so the
// same text runs on SQLite, PostgreSQL and MySQL/MariaDB. The only per-dialect pieces
// are the small helpers in the first block: the codes each server reports, and the
// server-only connection errors (which have an SQLite counterpart of their own).
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>

#include "core/error.hpp"
#include "dialects/engine.hpp"
#include "support/test_database.hpp"

using namespace strata;
using strata::testing::TestDatabase;

namespace {

// ---- per-dialect expectations -----------------------------------------------------------

bool is_sqlite() { return strata::testing::dialect() == "sqlite"; }
bool is_postgres() { return strata::testing::dialect() == "postgres"; }
bool is_mysql() { return strata::testing::dialect() == "mysql"; }

// The code a dialect reports for one kind of failure: SQLSTATE on PostgreSQL, the
// server errno on MySQL/MariaDB (any of several), the extended result code on SQLite.
struct ExpectedCode {
    std::string sqlstate;
    std::vector<int> mysql;
    int sqlite = 0;
};

void check_code(const Error& e, const ExpectedCode& code) {
    INFO("error: " << e.what());
    if (is_postgres()) {
        CHECK(e.sqlstate() == code.sqlstate);
    } else if (is_mysql()) {
        CHECK(std::find(code.mysql.begin(), code.mysql.end(), e.server_code()) != code.mysql.end());
    } else {
        CHECK(e.server_code() == code.sqlite);
        CHECK(e.sqlstate().empty());
    }
}

// ---- helpers ----------------------------------------------------------------------------

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

Column col(std::string name, ColumnType type, bool nullable = true) {
    Column c;
    c.name = std::move(name);
    c.type = std::move(type);
    c.nullable = nullable;
    return c;
}

void create(Connection& c, Table t) {
    apply_naming_convention(t);
    for (const std::string& sql : c.dialect().render_create_table(t)) c.execute_unprepared(sql);
}

// A table "vals" with an integer key and one column of each value type.
void create_values_table(Connection& c) {
    Table t;
    t.name = "vals";
    t.columns = {col("id", types::integer(), false), col("b", types::boolean()),  col("i", types::big_integer()),
                 col("d", types::double_()),          col("s", types::text()),     col("bl", types::blob()),
                 col("dt", types::date()),            col("tm", types::time()),    col("ts", types::datetime())};
    t.primary_key.columns = {"id"};
    create(c, t);
}

struct Sql {
    const Dialect& d;
    std::string q(std::string_view id) const { return d.quote(id); }
    std::string p(std::size_t i) const { return d.placeholder(i); }
};

// Inserts `v` into column `column` of row `id` of "vals" and reads it back.
Value round_trip(Connection& c, const std::string& column, const Value& v, std::int64_t id = 1) {
    Sql s{c.dialect()};
    c.execute(fmt::format("INSERT INTO {} ({}, {}) VALUES ({}, {})", s.q("vals"), s.q("id"), s.q(column), s.p(1), s.p(2)),
              {Value(id), v});
    ResultSet r = c.query(fmt::format("SELECT {} FROM {} WHERE {} = {}", s.q(column), s.q("vals"), s.q("id"), s.p(1)),
                          {Value(id)});
    REQUIRE(r.rows.size() == 1);
    REQUIRE(r.rows[0].size() == 1);
    return r.rows[0][0];
}

std::int64_t count_rows(Connection& c, const std::string& table) {
    ResultSet r = c.query(fmt::format("SELECT COUNT(*) FROM {}", c.dialect().quote(table)));
    REQUIRE(r.rows.size() == 1);
    const Value& v = r.rows[0][0];
    if (auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (auto* s = std::get_if<std::string>(&v)) return std::stoll(*s);  // drivers that report COUNT as decimal text
    FAIL("COUNT(*) came back as " << type_name(v));
    return -1;
}

// Date/time values come back as their own alternative where the driver reports the
// column type, as ISO text where it does not (SQLite): both are accepted, the value must match.
Date as_date(const Value& v) {
    if (auto* d = std::get_if<Date>(&v)) return *d;
    if (auto* s = std::get_if<std::string>(&v)) return parse_date(*s);
    FAIL("a date came back as " << type_name(v));
    return {};
}
Time as_time(const Value& v) {
    if (auto* t = std::get_if<Time>(&v)) return *t;
    if (auto* s = std::get_if<std::string>(&v)) return parse_time(*s);
    FAIL("a time came back as " << type_name(v));
    return {};
}
DateTime as_datetime(const Value& v) {
    if (auto* t = std::get_if<DateTime>(&v)) return *t;
    if (auto* s = std::get_if<std::string>(&v)) return parse_datetime(*s);
    FAIL("a datetime came back as " << type_name(v));
    return {};
}
// Booleans come back as bool where the server has a boolean type, else as integer 0/1.
bool as_bool(const Value& v) {
    if (auto* b = std::get_if<bool>(&v)) return *b;
    if (auto* i = std::get_if<std::int64_t>(&v)) {
        REQUIRE((*i == 0 || *i == 1));
        return *i == 1;
    }
    FAIL("a boolean came back as " << type_name(v));
    return false;
}

// A URL for the same server with one part changed (servers only).
Url server(const std::function<void(Url&)>& change) {
    Url u = Url::parse(strata::testing::server_url());
    change(u);
    return u;
}

// Redirects std::cerr (where echo writes) for the lifetime of the object.
class CaptureStderr {
public:
    CaptureStderr() : old_(std::cerr.rdbuf(buffer_.rdbuf())) {}
    ~CaptureStderr() { std::cerr.rdbuf(old_); }
    std::string text() const { return buffer_.str(); }

private:
    std::ostringstream buffer_;
    std::streambuf* old_;
};

}  // namespace

// ---- values -----------------------------------------------------------------------------

TEST_CASE("NULL round-trips in every column type", "[connection][values]") {
    TestDatabase db;
    Connection& c = db.connection();
    create_values_table(c);
    std::int64_t id = 1;
    for (const char* column : {"b", "i", "d", "s", "bl", "dt", "tm", "ts"}) {
        INFO("column " << column);
        CHECK(is_null(round_trip(c, column, null, id++)));
    }
}

TEST_CASE("integers round-trip, including int64 min and max", "[connection][values]") {
    TestDatabase db;
    Connection& c = db.connection();
    create_values_table(c);
    const std::int64_t cases[] = {0, 1, -1, 42, 2147483647LL, -2147483648LL, 4294967296LL,
                                  std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min()};
    std::int64_t id = 1;
    for (std::int64_t n : cases) {
        INFO("value " << n);
        Value back = round_trip(c, "i", Value(n), id++);
        REQUIRE(std::holds_alternative<std::int64_t>(back));
        CHECK(std::get<std::int64_t>(back) == n);
    }
}

TEST_CASE("doubles round-trip exactly", "[connection][values]") {
    TestDatabase db;
    Connection& c = db.connection();
    create_values_table(c);
    const double cases[] = {0.0, 1.5, -2.25, 3.141592653589793, 1e300, -1e-300, 0.1, 123456789.123456789};
    std::int64_t id = 1;
    for (double d : cases) {
        INFO("value " << d);
        Value back = round_trip(c, "d", Value(d), id++);
        REQUIRE(std::holds_alternative<double>(back));
        CHECK(std::get<double>(back) == d);
    }
}

TEST_CASE("booleans round-trip", "[connection][values]") {
    TestDatabase db;
    Connection& c = db.connection();
    create_values_table(c);
    CHECK(as_bool(round_trip(c, "b", Value(true), 1)) == true);
    CHECK(as_bool(round_trip(c, "b", Value(false), 2)) == false);
}

TEST_CASE("strings round-trip verbatim: Unicode, quotes, backslashes, empty, long", "[connection][values]") {
    TestDatabase db;
    Connection& c = db.connection();
    create_values_table(c);
    const std::string cases[] = {
        "plain",
        "Zo\xC3\xAB \xF0\x9F\x9A\x80 \xE6\x97\xA5\xE6\x9C\xAC",  // "Zoë 🚀 日本"
        "it's \"quoted\" `ticked`",
        "back\\slash \\n \\' \\\\",
        "line\nbreak\ttab\r\n",
        "",
        "%_ wildcard-looking ? $1 :name",
        std::string(50000, 'x'),
    };
    std::int64_t id = 1;
    for (const std::string& s : cases) {
        INFO("value " << s.substr(0, 40));
        Value back = round_trip(c, "s", Value(s), id++);
        REQUIRE(std::holds_alternative<std::string>(back));
        CHECK(std::get<std::string>(back) == s);
    }
}

TEST_CASE("blobs round-trip every byte value, NUL included", "[connection][values]") {
    TestDatabase db;
    Connection& c = db.connection();
    create_values_table(c);
    std::vector<std::uint8_t> all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<std::uint8_t>(i));
    const Blob cases[] = {Blob(all), Blob(std::vector<std::uint8_t>{0, 0, 0}), Blob(std::string_view("a\0b", 3)),
                          Blob()};
    std::int64_t id = 1;
    for (const Blob& b : cases) {
        INFO("blob of " << b.bytes.size() << " bytes");
        Value back = round_trip(c, "bl", Value(b), id++);
        REQUIRE(std::holds_alternative<Blob>(back));
        CHECK(std::get<Blob>(back) == b);
    }
}

TEST_CASE("dates, times and datetimes round-trip", "[connection][values]") {
    TestDatabase db;
    Connection& c = db.connection();
    create_values_table(c);
    Date d{2026, 11, 26};
    Time t{5, 6, 7, 0};
    DateTime dt{{1999, 12, 31}, {23, 59, 58, 0}};
    CHECK(as_date(round_trip(c, "dt", Value(d), 1)) == d);
    CHECK(as_date(round_trip(c, "dt", Value(Date{1000, 1, 1}), 2)) == Date{1000, 1, 1});
    CHECK(as_time(round_trip(c, "tm", Value(t), 3)) == t);
    CHECK(as_datetime(round_trip(c, "ts", Value(dt), 4)) == dt);
    CHECK(as_datetime(round_trip(c, "ts", Value(DateTime{{2038, 1, 19}, {3, 14, 8, 0}}), 5)) ==
          DateTime{{2038, 1, 19}, {3, 14, 8, 0}});
}

TEST_CASE("an injection attempt is stored verbatim and the table survives", "[connection][values]") {
    TestDatabase db;
    Connection& c = db.connection();
    Table users;
    users.name = "users";
    users.columns = {col("id", types::integer(), false), col("name", types::string(100), false)};
    users.primary_key.columns = {"id"};
    create(c, users);
    Sql s{c.dialect()};
    const std::string evil = "'; DROP TABLE users; --";
    c.execute(fmt::format("INSERT INTO {} ({}, {}) VALUES ({}, {})", s.q("users"), s.q("id"), s.q("name"), s.p(1), s.p(2)),
              {Value(std::int64_t{1}), Value(evil)});
    ResultSet r = c.query(fmt::format("SELECT {} FROM {} WHERE {} = {}", s.q("name"), s.q("users"), s.q("name"), s.p(1)),
                          {Value(evil)});
    REQUIRE(r.rows.size() == 1);
    CHECK(std::get<std::string>(r.rows[0][0]) == evil);
    CHECK(count_rows(c, "users") == 1);
}

TEST_CASE("identifiers with spaces and quote characters are quoted", "[connection][values]") {
    TestDatabase db;
    Connection& c = db.connection();
    Table t;
    t.name = "my table";
    t.columns = {col("id", types::integer(), false), col("we\"ird`col", types::string(20))};
    t.primary_key.columns = {"id"};
    create(c, t);
    Sql s{c.dialect()};
    c.execute(fmt::format("INSERT INTO {} ({}, {}) VALUES ({}, {})", s.q("my table"), s.q("id"), s.q("we\"ird`col"),
                          s.p(1), s.p(2)),
              {Value(std::int64_t{7}), Value("ok")});
    ResultSet r = c.query(fmt::format("SELECT {} AS {} FROM {}", s.q("we\"ird`col"), s.q("out"), s.q("my table")));
    REQUIRE(r.rows.size() == 1);
    CHECK(r.columns == std::vector<std::string>{"out"});
    CHECK(std::get<std::string>(r.rows[0][0]) == "ok");
}

// ---- statements -------------------------------------------------------------------------

TEST_CASE("repeated statements are prepared once and reused", "[connection][statements]") {
    TestDatabase db;
    Connection& c = db.connection();
    create_values_table(c);
    Sql s{c.dialect()};
    std::string insert = fmt::format("INSERT INTO {} ({}, {}) VALUES ({}, {})", s.q("vals"), s.q("id"), s.q("i"), s.p(1), s.p(2));
    c.execute(insert, {Value(std::int64_t{1}), Value(std::int64_t{10})});
    std::uint64_t prepares = c.stats().prepares;
    std::uint64_t statements = c.stats().statements;
    for (std::int64_t id = 2; id <= 50; ++id) c.execute(insert, {Value(id), Value(id * 10)});
    CHECK(c.stats().prepares == prepares);
    CHECK(c.stats().statements == statements + 49);

    std::string select = fmt::format("SELECT {} FROM {} WHERE {} = {}", s.q("i"), s.q("vals"), s.q("id"), s.p(1));
    c.query(select, {Value(std::int64_t{1})});
    prepares = c.stats().prepares;
    for (std::int64_t id = 1; id <= 50; ++id) {
        ResultSet r = c.query(select, {Value(id)});
        REQUIRE(r.rows.size() == 1);
        CHECK(std::get<std::int64_t>(r.rows[0][0]) == id * 10);
    }
    CHECK(c.stats().prepares == prepares);
}

TEST_CASE("execute reports affected rows and query reports column names", "[connection][statements]") {
    TestDatabase db;
    Connection& c = db.connection();
    create_values_table(c);
    Sql s{c.dialect()};
    std::string insert = fmt::format("INSERT INTO {} ({}, {}) VALUES ({}, {})", s.q("vals"), s.q("id"), s.q("i"), s.p(1), s.p(2));
    for (std::int64_t id = 1; id <= 5; ++id) CHECK(c.execute(insert, {Value(id), Value(std::int64_t{0})}) == 1);
    CHECK(c.execute(fmt::format("UPDATE {} SET {} = {} WHERE {} <= {}", s.q("vals"), s.q("i"), s.p(1), s.q("id"), s.p(2)),
                    {Value(std::int64_t{7}), Value(std::int64_t{3})}) == 3);
    CHECK(c.execute(fmt::format("DELETE FROM {} WHERE {} = {}", s.q("vals"), s.q("id"), s.p(1)),
                    {Value(std::int64_t{99})}) == 0);
    CHECK(c.execute(fmt::format("DELETE FROM {} WHERE {} > {}", s.q("vals"), s.q("id"), s.p(1)),
                    {Value(std::int64_t{3})}) == 2);

    ResultSet r = c.query(fmt::format("SELECT {} AS {}, {} AS {} FROM {} ORDER BY {}", s.q("id"), s.q("first"), s.q("i"),
                                      s.q("second"), s.q("vals"), s.q("id")));
    CHECK(r.columns == std::vector<std::string>{"first", "second"});
    REQUIRE(r.rows.size() == 3);
    CHECK(std::get<std::int64_t>(r.rows[2][0]) == 3);
    CHECK(std::get<std::int64_t>(r.rows[2][1]) == 7);

    // The callback form sees the same rows, one at a time.
    std::int64_t sum = 0;
    c.query(fmt::format("SELECT {} FROM {}", s.q("id"), s.q("vals")), {}, [&](const RowView& row) {
        REQUIRE(row.size() == 1);
        CHECK(!row.is_null(0));
        sum += std::get<std::int64_t>(row.get(0));
    });
    CHECK(sum == 6);
}

TEST_CASE("a generated key is available after an insert", "[connection][statements]") {
    TestDatabase db;
    Connection& c = db.connection();
    Table t;
    t.name = "things";
    Column id = col("id", types::integer(), false);
    id.autoincrement = true;
    t.columns = {id, col("label", types::string(30))};
    t.primary_key.columns = {"id"};
    create(c, t);
    Sql s{c.dialect()};
    std::string insert = fmt::format("INSERT INTO {} ({}) VALUES ({})", s.q("things"), s.q("label"), s.p(1));
    if (c.dialect().capabilities().returning) {
        ResultSet r = c.query(insert + " RETURNING " + s.q("id"), {Value("a")});
        REQUIRE(r.rows.size() == 1);
        CHECK(std::get<std::int64_t>(r.rows[0][0]) == 1);
    } else {
        c.execute(insert, {Value("a")});
    }
    if (!is_postgres()) {  // PostgreSQL has no last-insert id; RETURNING is its way
        c.execute(insert, {Value("b")});
        CHECK(c.last_insert_id() == 2);
    }
}

TEST_CASE("server_version reports a version number", "[connection][statements]") {
    TestDatabase db;
    std::string v = db.connection().server_version();
    REQUIRE(!v.empty());
    CHECK(v[0] >= '1');
    CHECK(v[0] <= '9');
    CHECK(v.find('.') != std::string::npos);
}

// ---- transactions -----------------------------------------------------------------------

TEST_CASE("commit keeps work and rollback discards it", "[connection][transactions]") {
    TestDatabase db;
    Connection& c = db.connection();
    create_values_table(c);
    Sql s{c.dialect()};
    std::string insert = fmt::format("INSERT INTO {} ({}) VALUES ({})", s.q("vals"), s.q("id"), s.p(1));

    c.begin();
    CHECK(c.in_transaction());
    c.execute(insert, {Value(std::int64_t{1})});
    c.commit();
    CHECK_FALSE(c.in_transaction());
    CHECK(count_rows(c, "vals") == 1);

    c.begin();
    c.execute(insert, {Value(std::int64_t{2})});
    CHECK(count_rows(c, "vals") == 2);  // visible inside the transaction
    c.rollback();
    CHECK_FALSE(c.in_transaction());
    CHECK(count_rows(c, "vals") == 1);

    // Committed work is visible to another connection.
    auto other = db.engine().connect();
    CHECK(count_rows(*other, "vals") == 1);
}

TEST_CASE("rollback to a savepoint keeps the outer work", "[connection][transactions]") {
    TestDatabase db;
    Connection& c = db.connection();
    create_values_table(c);
    Sql s{c.dialect()};
    std::string insert = fmt::format("INSERT INTO {} ({}) VALUES ({})", s.q("vals"), s.q("id"), s.p(1));
    c.begin();
    c.execute(insert, {Value(std::int64_t{1})});
    c.savepoint("sp1");
    c.execute(insert, {Value(std::int64_t{2})});
    c.rollback_to_savepoint("sp1");
    c.execute(insert, {Value(std::int64_t{3})});
    c.savepoint("sp2");
    c.execute(insert, {Value(std::int64_t{4})});
    c.release_savepoint("sp2");
    c.commit();
    ResultSet r = c.query(fmt::format("SELECT {} FROM {} ORDER BY {}", s.q("id"), s.q("vals"), s.q("id")));
    REQUIRE(r.rows.size() == 3);
    CHECK(std::get<std::int64_t>(r.rows[0][0]) == 1);
    CHECK(std::get<std::int64_t>(r.rows[1][0]) == 3);
    CHECK(std::get<std::int64_t>(r.rows[2][0]) == 4);
}

TEST_CASE("transaction misuse is a usage error", "[connection][transactions][errors]") {
    TestDatabase db;
    Connection& c = db.connection();
    CHECK(expect_error([&] { c.commit(); }).kind() == ErrorKind::usage);
    CHECK(expect_error([&] { c.rollback(); }).kind() == ErrorKind::usage);
    CHECK(expect_error([&] { c.savepoint("sp"); }).kind() == ErrorKind::usage);
    c.begin();
    Error e = expect_error([&] { c.begin(); });
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(c.in_transaction());  // the first transaction is still open and usable
    c.rollback();
    CHECK_FALSE(c.in_transaction());
}

TEST_CASE("a failed statement inside a transaction can be rolled back", "[connection][transactions][errors]") {
    TestDatabase db;
    Connection& c = db.connection();
    create_values_table(c);
    Sql s{c.dialect()};
    std::string insert = fmt::format("INSERT INTO {} ({}) VALUES ({})", s.q("vals"), s.q("id"), s.p(1));
    c.execute(insert, {Value(std::int64_t{1})});
    c.begin();
    c.execute(insert, {Value(std::int64_t{2})});
    CHECK(expect_error([&] { c.execute(insert, {Value(std::int64_t{1})}); }).kind() == ErrorKind::constraint);
    c.rollback();
    CHECK_FALSE(c.in_transaction());
    CHECK(count_rows(c, "vals") == 1);
    // The connection is usable afterwards, in and out of transactions.
    c.begin();
    c.execute(insert, {Value(std::int64_t{5})});
    c.commit();
    CHECK(count_rows(c, "vals") == 2);
}

// A COMMIT never reports success while losing work: PostgreSQL aborts a transaction at the
// first failed statement (and would answer COMMIT with a silent ROLLBACK), so commit()
// refuses there; SQLite and MySQL keep the earlier statements and commit them.
TEST_CASE("commit after a failed statement saves everything or says it saved nothing", "[connection][transactions][errors]") {
    TestDatabase db;
    Connection& c = db.connection();
    create_values_table(c);
    Sql s{c.dialect()};
    std::string insert = fmt::format("INSERT INTO {} ({}) VALUES ({})", s.q("vals"), s.q("id"), s.p(1));
    c.begin();
    c.execute(insert, {Value(std::int64_t{1})});
    CHECK_THROWS_AS(c.execute("SELECT * FROM no_such_table_here"), Error);
    bool committed = true;
    try {
        c.commit();
    } catch (const Error& e) {
        committed = false;
        CHECK(e.kind() == ErrorKind::database);
        CHECK_THAT(e.what(), Catch::Contains("nothing in it was saved"));
    }
    CHECK_FALSE(c.in_transaction());
    CHECK(count_rows(c, "vals") == (committed ? 1 : 0));
    CHECK(committed == (strata::testing::dialect() != "postgres"));
}

// ---- connection errors ------------------------------------------------------------------

TEST_CASE("a malformed URL is an input error that does not show the password", "[connection][errors]") {
    std::string scheme(dialect_named(strata::testing::dialect()).name());
    Error e = expect_error([&] { create_engine(scheme + "://strata:s3cr3t-pw@127.0.0.1:99999/db").connect(); });
    CHECK(e.kind() == ErrorKind::input);
    CHECK(std::string(e.what()).find("s3cr3t-pw") == std::string::npos);
}

TEST_CASE("an unknown URL scheme is an input error", "[connection][errors]") {
    Error e = expect_error([&] { create_engine("oracle://scott:tiger@localhost/orcl"); });
    CHECK(e.kind() == ErrorKind::input);
    CHECK(std::string(e.what()).find("oracle") != std::string::npos);
}

TEST_CASE("an unreachable database is a connection error", "[connection][errors]") {
    std::string url;
    if (is_sqlite()) url = "sqlite:////nonexistent-strata-dir/sub/test.db";
    else url = server([](Url& u) {
                   u.host = "127.0.0.1";
                   u.port = 1;  // nothing listens on port 1
               }).str();
    Error e = expect_error([&] { create_engine(url).connect(); });
    CHECK(e.kind() == ErrorKind::connection);
    INFO(e.what());
    if (is_sqlite()) CHECK(std::string(e.what()).find("nonexistent-strata-dir") != std::string::npos);
    else CHECK(std::string(e.what()).find("127.0.0.1") != std::string::npos);
}

TEST_CASE("wrong credentials are an authentication error (SQLite: a file that is not a database)",
          "[connection][errors]") {
    if (is_sqlite()) {
        // SQLite has no passwords; the nearest failure is a file it cannot use.
        auto path = std::filesystem::temp_directory_path() / "strata_not_a_database.db";
        {
            std::ofstream f(path, std::ios::binary);
            f << std::string(4096, 'Z');
        }
        Error e = expect_error([&] { create_engine("sqlite:///" + path.string()).connect(); });
        std::filesystem::remove(path);
        CHECK(e.kind() == ErrorKind::connection);
        CHECK(e.server_code() == 26);  // SQLITE_NOTADB
        return;
    }
    // An unknown user as well as a wrong password: throwaway test servers often trust local
    // connections (any password accepted), but never an unknown role.
    Url bad = server([](Url& u) {
        u.user = "strata_no_such_user";
        u.password = "definitely-wrong-pw";
    });
    Error e = expect_error([&] { create_engine(bad.str()).connect(); });
    CHECK(e.kind() == ErrorKind::authentication);
    INFO(e.what());
    CHECK(std::string(e.what()).find("definitely-wrong-pw") == std::string::npos);
}

TEST_CASE("a missing database is reported as such (SQLite: a missing file is created)", "[connection][errors]") {
    if (is_sqlite()) {
        auto path = std::filesystem::temp_directory_path() / "strata_created_on_open.db";
        std::filesystem::remove(path);
        {
            auto conn = create_engine("sqlite:///" + path.string()).connect();
            conn->execute_unprepared("CREATE TABLE t (x INTEGER)");
        }
        CHECK(std::filesystem::exists(path));
        std::filesystem::remove(path);
        return;
    }
    Url bad = server([](Url& u) { u.database = "strata_no_such_database_zz"; });
    Error e = expect_error([&] { create_engine(bad.str()).connect(); });
    CHECK(e.kind() == ErrorKind::missing_database);
    INFO(e.what());
    CHECK(std::string(e.what()).find("strata_no_such_database_zz") != std::string::npos);
}

// ---- statement errors -------------------------------------------------------------------

TEST_CASE("a syntax error is classified with its code and keeps the SQL", "[connection][errors]") {
    TestDatabase db;
    Connection& c = db.connection();
    const std::string bad = "SELEC 1 FROMM nowhere";
    Error e = expect_error([&] { c.execute(bad); });
    CHECK(e.kind() == ErrorKind::syntax);
    CHECK(e.sql() == bad);
    check_code(e, {"42601", {1064}, 1});
    if (is_sqlite()) CHECK(std::string(e.what()).find("syntax") != std::string::npos);
    // Unprepared statements are classified the same way.
    CHECK(expect_error([&] { c.execute_unprepared(bad); }).kind() == ErrorKind::syntax);
    // A failed prepare is not cached: the same text fails again.
    CHECK(expect_error([&] { c.execute(bad); }).kind() == ErrorKind::syntax);
}

namespace {

// people(id PK, email UNIQUE uq_people_email, name NOT NULL, age CHECK ck_people_age),
// pets(id PK, owner_id FK fk_pets_owner_id_people -> people.id).
void create_people_and_pets(Connection& c) {
    Table people;
    people.name = "people";
    people.columns = {col("id", types::integer(), false), col("email", types::string(100)),
                      col("name", types::string(50), false), col("age", types::integer())};
    people.primary_key.columns = {"id"};
    people.uniques = {{"uq_people_email", {"email"}}};
    people.checks = {{"ck_people_age", c.dialect().quote("age") + " >= 0"}};
    create(c, people);
    Table pets;
    pets.name = "pets";
    pets.columns = {col("id", types::integer(), false), col("owner_id", types::integer(), false)};
    pets.primary_key.columns = {"id"};
    ForeignKey fk;
    fk.name = "fk_pets_owner_id_people";
    fk.columns = {"owner_id"};
    fk.ref_table = "people";
    fk.ref_columns = {"id"};
    pets.foreign_keys = {fk};
    create(c, pets);
}

std::string insert_person(const Dialect& d) {
    return fmt::format("INSERT INTO {} ({}, {}, {}, {}) VALUES ({}, {}, {}, {})", d.quote("people"), d.quote("id"),
                       d.quote("email"), d.quote("name"), d.quote("age"), d.placeholder(1), d.placeholder(2),
                       d.placeholder(3), d.placeholder(4));
}

}  // namespace

TEST_CASE("a unique violation is a constraint error naming the constraint", "[connection][errors]") {
    TestDatabase db;
    Connection& c = db.connection();
    create_people_and_pets(c);
    std::string insert = insert_person(c.dialect());
    c.execute(insert, {Value(std::int64_t{1}), Value("a@example.com"), Value("A"), Value(std::int64_t{30})});
    Error e = expect_error(
        [&] { c.execute(insert, {Value(std::int64_t{2}), Value("a@example.com"), Value("B"), Value(std::int64_t{31})}); });
    CHECK(e.kind() == ErrorKind::constraint);
    CHECK(e.constraint() == "uq_people_email");
    CHECK(e.sql() == insert);
    check_code(e, {"23505", {1062}, 2067});  // SQLITE_CONSTRAINT_UNIQUE
    CHECK(count_rows(c, "people") == 1);
}

TEST_CASE("a duplicate primary key is a constraint error", "[connection][errors]") {
    TestDatabase db;
    Connection& c = db.connection();
    create_people_and_pets(c);
    std::string insert = insert_person(c.dialect());
    c.execute(insert, {Value(std::int64_t{1}), Value("a@example.com"), Value("A"), Value(std::int64_t{30})});
    Error e = expect_error(
        [&] { c.execute(insert, {Value(std::int64_t{1}), Value("b@example.com"), Value("B"), Value(std::int64_t{31})}); });
    CHECK(e.kind() == ErrorKind::constraint);
    check_code(e, {"23505", {1062}, 1555});  // SQLITE_CONSTRAINT_PRIMARYKEY
}

TEST_CASE("a NOT NULL violation is a constraint error", "[connection][errors]") {
    TestDatabase db;
    Connection& c = db.connection();
    create_people_and_pets(c);
    Error e = expect_error([&] {
        c.execute(insert_person(c.dialect()), {Value(std::int64_t{1}), Value("a@example.com"), null, Value(std::int64_t{3})});
    });
    CHECK(e.kind() == ErrorKind::constraint);
    check_code(e, {"23502", {1048}, 1299});  // SQLITE_CONSTRAINT_NOTNULL
    CHECK(std::string(e.what()).find("name") != std::string::npos);
}

TEST_CASE("a foreign key violation is a constraint error", "[connection][errors]") {
    TestDatabase db;
    Connection& c = db.connection();
    create_people_and_pets(c);
    const Dialect& d = c.dialect();
    std::string insert_pet = fmt::format("INSERT INTO {} ({}, {}) VALUES ({}, {})", d.quote("pets"), d.quote("id"),
                                         d.quote("owner_id"), d.placeholder(1), d.placeholder(2));
    Error e = expect_error([&] { c.execute(insert_pet, {Value(std::int64_t{1}), Value(std::int64_t{404})}); });
    CHECK(e.kind() == ErrorKind::constraint);
    check_code(e, {"23503", {1452}, 787});  // SQLITE_CONSTRAINT_FOREIGNKEY
    // SQLite does not say which foreign key failed; the servers do.
    if (!is_sqlite()) CHECK(e.constraint() == "fk_pets_owner_id_people");

    // Deleting a referenced parent fails the same way.
    c.execute(insert_person(d), {Value(std::int64_t{1}), Value("a@example.com"), Value("A"), Value(std::int64_t{3})});
    c.execute(insert_pet, {Value(std::int64_t{1}), Value(std::int64_t{1})});
    Error del = expect_error([&] {
        c.execute(fmt::format("DELETE FROM {} WHERE {} = {}", d.quote("people"), d.quote("id"), d.placeholder(1)),
                  {Value(std::int64_t{1})});
    });
    CHECK(del.kind() == ErrorKind::constraint);
    check_code(del, {"23503", {1451}, 787});
}

TEST_CASE("a check violation is a constraint error naming the check", "[connection][errors]") {
    TestDatabase db;
    Connection& c = db.connection();
    create_people_and_pets(c);
    Error e = expect_error([&] {
        c.execute(insert_person(c.dialect()), {Value(std::int64_t{1}), Value("a@example.com"), Value("A"), Value(std::int64_t{-5})});
    });
    CHECK(e.kind() == ErrorKind::constraint);
    CHECK(e.constraint() == "ck_people_age");
    check_code(e, {"23514", {3819, 4025}, 275});  // SQLITE_CONSTRAINT_CHECK; MySQL 3819, MariaDB 4025
}

TEST_CASE("a statement on a missing table is a database error", "[connection][errors]") {
    TestDatabase db;
    Connection& c = db.connection();
    Error e = expect_error([&] { c.query("SELECT * FROM " + c.dialect().quote("no_such_table")); });
    CHECK(e.kind() == ErrorKind::database);
    CHECK(std::string(e.what()).find("no_such_table") != std::string::npos);
}

// ---- diagnostics ------------------------------------------------------------------------

TEST_CASE("echo writes each statement and its parameters to stderr", "[connection][echo]") {
    TestDatabase db(EngineOptions{.echo = true});
    Connection& c = db.connection();
    CHECK(c.echo());
    create_values_table(c);
    Sql s{c.dialect()};
    std::string insert = fmt::format("INSERT INTO {} ({}, {}) VALUES ({}, {})", s.q("vals"), s.q("id"), s.q("s"), s.p(1), s.p(2));
    std::string out;
    {
        CaptureStderr capture;
        c.execute(insert, {Value(std::int64_t{7}), Value("echo-marker-value")});
        out = capture.text();
    }
    INFO(out);
    CHECK(out.find(insert) != std::string::npos);
    CHECK(out.find("echo-marker-value") != std::string::npos);
    CHECK(out.find('7') != std::string::npos);

    c.set_echo(false);
    CaptureStderr quiet;
    c.execute(insert, {Value(std::int64_t{8}), Value("silent")});
    CHECK(quiet.text().empty());
}
