// MySQL/MariaDB-only behaviour on a live server (STRATA_TEST_MYSQL_URL): value types
// the conformance suite does not cover, the statement cache, CLIENT_FOUND_ROWS, error
// details, URL options, and reflection of MariaDB-specific schemas.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <limits>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/mysql/mysql_dialect.hpp"
#include "dialects/url.hpp"
#include "support/test_database.hpp"

using namespace strata;
using strata::testing::TestDatabase;

namespace {

Value one(Connection& conn, std::string_view sql, std::initializer_list<Value> params = {}) {
    ResultSet r = conn.query(sql, params);
    REQUIRE(r.rows.size() == 1);
    REQUIRE(r.rows[0].size() >= 1);
    return r.rows[0][0];
}

ErrorKind kind_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.kind();
    }
    FAIL("expected a strata::Error");
    return ErrorKind::internal;
}

Error error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    FAIL("expected a strata::Error");
    return Error(ErrorKind::internal, "unreachable");
}

void create(Connection& conn, const Table& t) {
    for (const std::string& sql : conn.dialect().render_create_table(t)) conn.execute_unprepared(sql);
}

Column col(std::string name, ColumnType type, bool nullable = true, std::optional<ServerDefault> def = std::nullopt) {
    Column c;
    c.name = std::move(name);
    c.type = std::move(type);
    c.nullable = nullable;
    c.server_default = std::move(def);
    return c;
}

Table table(std::string name, std::vector<Column> columns, std::vector<std::string> pk = {"id"}) {
    Table t;
    t.name = std::move(name);
    t.columns = std::move(columns);
    t.primary_key.columns = std::move(pk);
    return t;
}

// normalize(declared) == reflect(create(declared)), with a readable diff on failure.
void round_trip(Connection& conn, std::vector<Table> declared) {
    const Dialect& dialect = conn.dialect();
    for (Table& t : declared) {
        apply_naming_convention(t);
        create(conn, t);
    }
    Metadata live = dialect.reflect(conn);
    for (const Table& t : declared) {
        Table expected = dialect.normalize(t);
        const Table* got = live.find(t.name);
        REQUIRE(got);
        INFO("expected:\n" << expected.describe() << "reflected:\n" << got->describe());
        CHECK(expected == *got);
    }
}

}  // namespace

// ---- values -------------------------------------------------------------------------------

TEST_CASE("mysql live: MySQL-specific column types read back as documented", "[mysql][live]") {
    TestDatabase db;
    Connection& conn = db.connection();
    conn.execute(
        "CREATE TABLE v (id INT PRIMARY KEY, u BIGINT UNSIGNED, f FLOAT, n DECIMAL(10,2), bits BIT(8), "
        "flag TINYINT(1), y YEAR, e ENUM('small','large'), j JSON, uu UUID, vb VARBINARY(8), t TIME(6), "
        "m MEDIUMINT UNSIGNED)");
    conn.execute("INSERT INTO v VALUES (1, 18446744073709551615, 0.1, 1.5, b'101', 1, 2024, 'large', '{\"a\": 1}', "
                 "'123e4567-e89b-12d3-a456-426614174000', x'00ff00', '-01:02:03.5', 16777215)");
    ResultSet r = conn.query("SELECT u, f, n, bits, flag, y, e, j, uu, vb, t, m, NULL FROM v");
    REQUIRE(r.rows.size() == 1);
    const auto& row = r.rows[0];
    CHECK(row[0] == Value(std::string("18446744073709551615")));
    CHECK(row[1] == Value(0.1));
    CHECK(row[2] == Value(std::string("1.50")));
    CHECK(row[3] == Value(std::int64_t{5}));
    CHECK(row[4] == Value(std::int64_t{1}));
    CHECK(row[5] == Value(std::int64_t{2024}));
    CHECK(row[6] == Value(std::string("large")));
    CHECK(row[7] == Value(std::string("{\"a\": 1}")));
    CHECK(row[8] == Value(std::string("123e4567-e89b-12d3-a456-426614174000")));
    CHECK(row[9] == Value(Blob(std::string_view("\x00\xff\x00", 3))));
    CHECK(row[10] == Value(Time{-1, 2, 3, 500000}));
    CHECK(row[11] == Value(std::int64_t{16777215}));
    CHECK(row[12] == Value(Null{}));
    CHECK(r.columns == std::vector<std::string>{"u", "f", "n", "bits", "flag", "y", "e", "j", "uu", "vb", "t", "m",
                                                "NULL"});

    // Small unsigned values are plain integers; TIME beyond 24 hours keeps its hours.
    conn.execute("UPDATE v SET u = 42, t = '100:00:00'");
    CHECK(one(conn, "SELECT u FROM v") == Value(std::int64_t{42}));
    CHECK(one(conn, "SELECT t FROM v") == Value(Time{100, 0, 0, 0}));
}

TEST_CASE("mysql live: long values grow the buffers and shorter rows still read right", "[mysql][live]") {
    TestDatabase db;
    Connection& conn = db.connection();
    conn.execute("CREATE TABLE docs (id INT PRIMARY KEY, body LONGTEXT, data LONGBLOB)");
    const std::size_t sizes[] = {3, 300, 70000, 10, 1 << 20, 0, 5000};
    std::int64_t id = 0;
    for (std::size_t n : sizes) {
        std::string text(n, 'x');
        for (std::size_t i = 0; i < n; i += 97) text[i] = static_cast<char>('a' + (i % 26));
        std::vector<std::uint8_t> bytes(n);
        for (std::size_t i = 0; i < n; ++i) bytes[i] = static_cast<std::uint8_t>(i * 7);
        conn.execute("INSERT INTO docs VALUES (?, ?, ?)", {Value(++id), Value(text), Value(Blob(bytes))});
    }
    std::size_t k = 0;
    conn.query("SELECT id, body, data FROM docs ORDER BY id", {}, [&](const RowView& row) {
        std::size_t n = sizes[k++];
        std::string expected(n, 'x');
        for (std::size_t i = 0; i < n; i += 97) expected[i] = static_cast<char>('a' + (i % 26));
        CHECK(row.get(1) == Value(expected));
        Blob blob = std::get<Blob>(row.get(2));
        REQUIRE(blob.bytes.size() == n);
        for (std::size_t i = 0; i < n; ++i) {
            if (blob.bytes[i] != static_cast<std::uint8_t>(i * 7)) {
                FAIL_CHECK("byte " << i << " of row " << k << " differs");
                break;
            }
        }
    });
    CHECK(k == std::size(sizes));
}

TEST_CASE("mysql live: parameters of every type compare correctly on the server", "[mysql][live]") {
    TestDatabase db;
    Connection& conn = db.connection();
    CHECK(one(conn, "SELECT ? = 1", {Value(true)}) == Value(std::int64_t{1}));
    CHECK(one(conn, "SELECT ? + 1", {Value(std::numeric_limits<std::int64_t>::max() - 1)}) ==
          Value(std::numeric_limits<std::int64_t>::max()));
    CHECK(one(conn, "SELECT DAYOFWEEK(?)", {Value(Date{2024, 1, 31})}) == Value(std::int64_t{4}));
    CHECK(one(conn, "SELECT ADDTIME(?, '01:00:00')", {Value(DateTime{{2024, 1, 31}, {23, 30, 0, 250000}})}) ==
          Value(DateTime{{2024, 2, 1}, {0, 30, 0, 250000}}));
    CHECK(one(conn, "SELECT OCTET_LENGTH(?)", {Value(Blob(std::string_view("a\0b", 3)))}) == Value(std::int64_t{3}));
    CHECK(one(conn, "SELECT CHAR_LENGTH(?)", {Value(std::string("héllo 👋"))}) == Value(std::int64_t{7}));
    CHECK(one(conn, "SELECT ? IS NULL", {Value(Null{})}) == Value(std::int64_t{1}));
}

// ---- statements ---------------------------------------------------------------------------

TEST_CASE("mysql live: statements are cached, DDL is not prepared, a nested call can reuse the text", "[mysql][live]") {
    TestDatabase db;
    Connection& conn = db.connection();
    auto before = conn.stats();
    conn.execute("CREATE TABLE c (id INT PRIMARY KEY, v INT)");
    CHECK(conn.stats().prepares == before.prepares);
    CHECK(conn.stats().statements == before.statements + 1);

    for (int i = 1; i <= 5; ++i) conn.execute("INSERT INTO c VALUES (?, ?)", {Value(std::int64_t{i}), Value(std::int64_t{i * 10})});
    CHECK(conn.stats().prepares == before.prepares + 1);

    // A callback that runs the same SELECT again while the outer one is being read.
    int outer = 0, inner = 0;
    conn.query("SELECT id FROM c WHERE id <= ? ORDER BY id", std::vector<Value>{Value(std::int64_t{2})},
               [&](const RowView& row) {
                   ++outer;
                   conn.query("SELECT id FROM c WHERE id <= ? ORDER BY id", std::vector<Value>{row.get(0)},
                              [&](const RowView&) { ++inner; });
               });
    CHECK(outer == 2);
    CHECK(inner == 1 + 2);
}

TEST_CASE("mysql live: a cached SELECT * sees columns added after it was prepared", "[mysql][live]") {
    TestDatabase db;
    Connection& conn = db.connection();
    conn.execute("CREATE TABLE s (id INT PRIMARY KEY)");
    conn.execute("INSERT INTO s VALUES (1)");
    CHECK(conn.query("SELECT * FROM s").columns.size() == 1);
    conn.execute("ALTER TABLE s ADD COLUMN name VARCHAR(10) DEFAULT 'x'");
    ResultSet r = conn.query("SELECT * FROM s");
    CHECK(r.columns == std::vector<std::string>{"id", "name"});
    CHECK(r.rows.at(0).at(1) == Value(std::string("x")));
    conn.execute("UPDATE s SET name = '7'");
    conn.execute("ALTER TABLE s MODIFY COLUMN name INT DEFAULT 7");
    CHECK(conn.query("SELECT * FROM s").rows.at(0).at(1) == Value(std::int64_t{7}));
}

TEST_CASE("mysql live: statements the server cannot prepare run as plain text", "[mysql][live]") {
    TestDatabase db;
    Connection& conn = db.connection();
    conn.execute("PREPARE strata_x FROM 'SELECT 1'");
    conn.execute("DEALLOCATE PREPARE strata_x");
    Error e = error_of([&] { conn.execute("PREPARE strata_y FROM ?", {Value(std::string("SELECT 1"))}); });
    CHECK(e.kind() == ErrorKind::unsupported);
    CHECK(e.server_code() == 1295);
}

TEST_CASE("mysql live: UPDATE reports matched rows, even when nothing changes", "[mysql][live]") {
    TestDatabase db;
    Connection& conn = db.connection();
    conn.execute("CREATE TABLE u (id INT PRIMARY KEY, v INT)");
    conn.execute("INSERT INTO u VALUES (1, 5), (2, 5)");
    CHECK(conn.execute("UPDATE u SET v = 5") == 2);
    CHECK(conn.execute("UPDATE u SET v = 6 WHERE id = ?", {Value(std::int64_t{1})}) == 1);
    CHECK(conn.execute("DELETE FROM u WHERE id = 99") == 0);
}

TEST_CASE("mysql live: last_insert_id follows inserts that generate a key only", "[mysql][live]") {
    TestDatabase db;
    Connection& conn = db.connection();
    conn.execute("CREATE TABLE a (id BIGINT AUTO_INCREMENT PRIMARY KEY, v INT)");
    conn.execute("INSERT INTO a (v) VALUES (?)", {Value(std::int64_t{1})});
    CHECK(conn.last_insert_id() == 1);
    conn.execute("INSERT INTO a (v) VALUES (?)", {Value(std::int64_t{2})});
    CHECK(conn.last_insert_id() == 2);
    conn.query("SELECT * FROM a");
    conn.execute("UPDATE a SET v = 3");
    CHECK(conn.last_insert_id() == 2);
    conn.execute_unprepared("INSERT INTO a (v) VALUES (4)");
    CHECK(conn.last_insert_id() == 3);
}

// ---- errors -------------------------------------------------------------------------------

TEST_CASE("mysql live: constraint errors name the constraint", "[mysql][live]") {
    TestDatabase db;
    Connection& conn = db.connection();
    conn.execute("CREATE TABLE parent (id INT PRIMARY KEY)");
    conn.execute("CREATE TABLE child (id INT PRIMARY KEY, p INT NOT NULL, qty INT, "
                 "CONSTRAINT fk_child_parent FOREIGN KEY (p) REFERENCES parent (id), "
                 "CONSTRAINT ck_child_qty CHECK (qty >= 0))");
    conn.execute("INSERT INTO parent VALUES (1)");
    conn.execute("INSERT INTO child VALUES (1, 1, 0)");

    Error e = error_of([&] { conn.execute("DELETE FROM parent WHERE id = ?", {Value(std::int64_t{1})}); });
    CHECK(e.kind() == ErrorKind::constraint);
    CHECK(e.constraint() == "fk_child_parent");
    CHECK(e.server_code() == 1451);

    e = error_of([&] { conn.execute("INSERT INTO child VALUES (2, 1, -5)"); });
    CHECK(e.kind() == ErrorKind::constraint);
    CHECK(e.constraint() == "ck_child_qty");
    CHECK(e.sql() == "INSERT INTO child VALUES (2, 1, -5)");

    e = error_of([&] { conn.execute("INSERT INTO child (id, qty) VALUES (3, 1)"); });
    CHECK(e.kind() == ErrorKind::constraint);
    CHECK(e.server_code() == 1364);

    e = error_of([&] { conn.execute("INSERT INTO child VALUES (1, 1, 1)"); });
    CHECK(e.kind() == ErrorKind::constraint);
    CHECK(e.constraint() == "PRIMARY");
    CHECK(e.sqlstate() == "23000");
}

TEST_CASE("mysql live: misuse and server errors are classified", "[mysql][live]") {
    TestDatabase db;
    Connection& conn = db.connection();
    CHECK(kind_of([&] { conn.execute("SELECT ?, ?", {Value(std::int64_t{1})}); }) == ErrorKind::usage);
    CHECK(kind_of([&] { conn.query("SELEC 1"); }) == ErrorKind::syntax);
    CHECK(kind_of([&] { conn.execute_unprepared("SELEC 1"); }) == ErrorKind::syntax);
    CHECK(kind_of([&] { conn.execute("CREATE TABLE (x INT)"); }) == ErrorKind::syntax);
    CHECK(kind_of([&] { conn.query("SELECT * FROM missing_table"); }) == ErrorKind::database);
    // The failed prepare was not cached: the same text fails the same way again.
    auto prepares = conn.stats().prepares;
    CHECK(kind_of([&] { conn.query("SELECT * FROM missing_table"); }) == ErrorKind::database);
    CHECK(conn.stats().prepares == prepares + 1);
    // The connection is still usable.
    CHECK(one(conn, "SELECT 1") == Value(std::int64_t{1}));
}

TEST_CASE("mysql live: connection failures say where and never show the password", "[mysql][live]") {
    Url base = Url::parse(strata::testing::server_url());

    Url wrong_password = base;
    wrong_password.password = "s3cr3t-Pw-not-it";
    Error e = error_of([&] { create_engine(wrong_password.str()).connect(); });
    CHECK(e.kind() == ErrorKind::authentication);
    CHECK(std::string(e.what()).find("s3cr3t-Pw-not-it") == std::string::npos);
    CHECK(std::string(e.what()).find(base.host) != std::string::npos);

    Url refused = base;
    refused.host = "127.0.0.1";
    refused.port = 1;
    refused.password = "s3cr3t-Pw-not-it";
    e = error_of([&] { create_engine(refused.str()).connect(); });
    CHECK(e.kind() == ErrorKind::connection);
    CHECK(std::string(e.what()).find("127.0.0.1:1") != std::string::npos);
    CHECK(std::string(e.what()).find("s3cr3t-Pw-not-it") == std::string::npos);

    Url no_socket = base;
    no_socket.host = "localhost";
    no_socket.port.reset();
    no_socket.query["socket"] = "/nonexistent/strata-test.sock";
    e = error_of([&] { create_engine(no_socket.str()).connect(); });
    CHECK(e.kind() == ErrorKind::connection);
    CHECK(std::string(e.what()).find("/nonexistent/strata-test.sock") != std::string::npos);

    Url missing = base.with_database("strata_no_such_database_here");
    e = error_of([&] { create_engine(missing.str()).connect(); });
    CHECK(e.kind() == ErrorKind::missing_database);
    CHECK(std::string(e.what()).find("strata_no_such_database_here") != std::string::npos);

    Url bad_option = base;
    bad_option.query["sslmode"] = "disable";
    CHECK(kind_of([&] { create_engine(bad_option.str()).connect(); }) == ErrorKind::input);

    Url timeout = base;
    timeout.query["connect_timeout"] = "5";
    CHECK(create_engine(timeout.str()).connect()->server_version().find("MariaDB") != std::string::npos);
}

TEST_CASE("mysql live: the session runs in UTC with strict SQL mode", "[mysql][live]") {
    TestDatabase db;
    Connection& conn = db.connection();
    CHECK(one(conn, "SELECT @@session.time_zone") == Value(std::string("+00:00")));
    std::string mode = std::get<std::string>(one(conn, "SELECT @@session.sql_mode"));
    CHECK(mode.find("STRICT_ALL_TABLES") != std::string::npos);
    CHECK(mode.find("ANSI_QUOTES") == std::string::npos);
    CHECK(one(conn, "SELECT @@character_set_client") == Value(std::string("utf8mb4")));
    conn.execute("CREATE TABLE strict_t (v VARCHAR(3))");
    CHECK(kind_of([&] { conn.execute("INSERT INTO strict_t VALUES ('toolong')"); }) == ErrorKind::database);
}

// ---- reflection ---------------------------------------------------------------------------

TEST_CASE("mysql live: JSON columns round-trip and their implicit check stays hidden but enforced", "[mysql][live]") {
    TestDatabase db;
    Connection& conn = db.connection();
    Table t = table("docs", {col("id", types::integer(), false), col("doc", types::json(), false),
                             col("extra", types::json(), true, ServerDefault::literal("{}"))});
    round_trip(conn, {t});
    CHECK(kind_of([&] { conn.execute("INSERT INTO docs (id, doc) VALUES (1, 'not json')"); }) == ErrorKind::constraint);
    conn.execute("INSERT INTO docs (id, doc) VALUES (1, '[1, 2]')");
}

TEST_CASE("mysql live: check expressions and default expressions round-trip through the server's rewrites",
          "[mysql][live]") {
    TestDatabase db;
    Connection& conn = db.connection();
    Table t = table("rules", {col("id", types::integer(), false), col("a", types::integer()),
                              col("b", types::string(20)), col("c", types::integer()), col("d", types::double_()),
                              col("n", types::integer(), true, ServerDefault::expression("2*3+1")),
                              col("u", types::string(36), true, ServerDefault::expression("UUID()")),
                              col("day", types::date(), true, ServerDefault::expression("CURRENT_DATE")),
                              col("at", types::datetime(), true, ServerDefault::expression("now(6)")),
                              col("z", types::integer(), true, ServerDefault::expression("0"))});
    const char* checks[] = {"a > 0 AND NOT (c = 3)", "lower(b) = b", "(a > 0) OR (c > 0)",
                            "b IN ('x', 'it''s')", "NOT (a > 0 AND c > 0) OR d IS NULL", "a % 2 = 0",
                            "length(b) < 10 && b != ''", "a BETWEEN -1 AND 5", "b NOT LIKE '%z%'",
                            "CASE WHEN a > 0 THEN c > 0 ELSE TRUE END", "a in (7)", "NOT (b IS NULL)"};
    int k = 0;
    for (const char* expr : checks) t.checks.push_back(CheckConstraint{fmt::format("ck_rules_{}", ++k), expr});
    round_trip(conn, {t});
}

TEST_CASE("mysql live: hand-written MariaDB DDL reflects in normalized form", "[mysql][live]") {
    TestDatabase db;
    Connection& conn = db.connection();
    conn.execute_unprepared("CREATE TABLE authors (id INT(11) NOT NULL AUTO_INCREMENT, name VARCHAR(30) NOT NULL, "
                            "PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT='who writes'");
    conn.execute_unprepared(
        "CREATE TABLE books (id BIGINT(20) UNSIGNED NOT NULL, author_id INT(11), editor_id INT, "
        "active TINYINT(1) NOT NULL DEFAULT '1', price DECIMAL(10,2) DEFAULT '9.5', "
        "title VARCHAR(100) NOT NULL DEFAULT 'untitled' COMMENT 'the title', "
        "kind ENUM('novel','it''s') DEFAULT 'novel', meta JSON, "
        "created TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, "
        "pages INT CHECK (pages > 0), doubled INT AS (pages * 2) VIRTUAL, "
        "blurb TEXT, "
        "PRIMARY KEY (id), UNIQUE KEY title_once (title), KEY by_price (price, id), "
        "KEY title_start (title(10)), UNIQUE KEY blurb_start (blurb(20)), FULLTEXT KEY blurb_words (blurb), "
        "FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE, "
        "CONSTRAINT editor_fk FOREIGN KEY (editor_id) REFERENCES authors (id))");
    Metadata md = conn.dialect().reflect(conn);
    REQUIRE(md.tables().size() == 2);
    CHECK(md.tables()[0].name == "authors");  // sorted by name
    const Table* authors = md.find("authors");
    REQUIRE(authors);
    CHECK(authors->comment == "who writes");
    CHECK(authors->options.values.at("mysql.charset") == "latin1");
    CHECK(authors->options.values.at("mysql.engine") == "InnoDB");
    CHECK(authors->columns[0].autoincrement);
    CHECK(authors->columns[0].type == types::integer());
    CHECK(authors->primary_key == PrimaryKey{"pk_authors", {"id"}});

    const Table* books = md.find("books");
    REQUIRE(books);
    auto c = [&](const char* name) {
        const Column* col = books->find_column(name);
        REQUIRE(col);
        return *col;
    };
    CHECK(c("id").type == types::big_integer().unsigned_());
    CHECK(c("id").type.native == "bigint(20) unsigned");
    CHECK(c("active").type == types::boolean());
    CHECK(c("active").server_default == ServerDefault::literal("true"));
    CHECK(c("price").server_default == ServerDefault::literal("9.50"));
    CHECK(c("title").server_default == ServerDefault::literal("untitled"));
    CHECK(c("title").comment == "the title");
    CHECK(c("kind").type == types::enum_({"novel", "it's"}));
    CHECK(c("meta").type == types::json());
    CHECK(c("created").type == types::native("timestamp"));  // not DATETIME: kept as the server's own type
    CHECK(c("created").server_default == ServerDefault::expression("CURRENT_TIMESTAMP"));
    CHECK(c("created").options.values.at("mysql.on_update") == "CURRENT_TIMESTAMP");
    CHECK_FALSE(c("doubled").server_default.has_value());
    CHECK(c("doubled").options.values.count("mysql.generated") == 1);

    CHECK(books->uniques == std::vector<UniqueConstraint>{{"title_once", {"title"}}});
    // by_price stays; the indexes InnoDB made for the two FKs (named author_id and
    // editor_fk) do not appear, nor do those with no portable form (on a prefix,
    // FULLTEXT): reported as plain indexes, they would be recreated as something else.
    CHECK(books->indexes == std::vector<Index>{{"by_price", {"price", "id"}, false}});
    REQUIRE(books->foreign_keys.size() == 2);
    CHECK(books->foreign_keys[0].name == "books_ibfk_1");
    CHECK(books->foreign_keys[0].on_delete == FkAction::cascade);
    CHECK(books->foreign_keys[0].on_update == FkAction::no_action);
    CHECK(books->foreign_keys[1] == ForeignKey{"editor_fk", {"editor_id"}, "authors", {"id"}, FkAction::no_action,
                                               FkAction::no_action});
    // The column-level check is kept (named after its column); JSON's is not.
    CHECK(books->checks == std::vector<CheckConstraint>{{"pages", "`pages` > 0"}});
}

TEST_CASE("mysql live: reflection uses eight queries whatever the number of tables", "[mysql][live]") {
    TestDatabase db;
    Connection& conn = db.connection();
    auto count = [&] {
        auto before = conn.stats().statements;
        conn.dialect().reflect(conn);
        return conn.stats().statements - before;
    };
    conn.execute("CREATE TABLE t0 (id INT PRIMARY KEY)");
    auto small = count();
    for (int i = 1; i <= 30; ++i)
        conn.execute(fmt::format("CREATE TABLE t{} (id INT PRIMARY KEY, p INT, CONSTRAINT fk_{} FOREIGN KEY (p) "
                                 "REFERENCES t{} (id), CONSTRAINT ck_{} CHECK (p > 0))",
                                 i, i, i - 1, i));
    CHECK(count() == small);
    CHECK(small == 8);  // six for the tables, one for the views, one for what is not modelled
    // strata's own tables are skipped unless asked for.
    conn.execute("CREATE TABLE strata_version (v INT)");
    CHECK(conn.dialect().reflect(conn).find("strata_version") == nullptr);
    ReflectOptions all;
    all.internal_prefix.clear();
    CHECK(conn.dialect().reflect(conn, all).find("strata_version") != nullptr);
}

TEST_CASE("mysql live: an index over a TEXT column is refused before reaching the server", "[mysql][live]") {
    TestDatabase db;
    Connection& conn = db.connection();
    Table t = table("notes", {col("id", types::integer(), false), col("body", types::text())});
    t.indexes = {Index{"ix_notes_body", {"body"}, false}};
    auto before = conn.stats().statements;
    CHECK(kind_of([&] { create(conn, t); }) == ErrorKind::unsupported);
    CHECK(conn.stats().statements == before);
}
