// SQLite-only behaviour against real databases (temp files): reflection details that
// come from parsing CREATE TABLE text, AUTOINCREMENT, enum checks, constraint names in
// errors, the statement cache, transactions SQLite handles its own way, URL options.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <atomic>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include <unistd.h>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/sqlite/sqlite_connection.hpp"
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

Column col(std::string name, ColumnType type, bool nullable = true) {
    Column c;
    c.name = std::move(name);
    c.type = std::move(type);
    c.nullable = nullable;
    return c;
}

SqliteConnection& sqlite_conn(TestDatabase& db) {
    auto* c = dynamic_cast<SqliteConnection*>(&db.connection());
    REQUIRE(c != nullptr);
    return *c;
}

void run(Connection& c, std::initializer_list<const char*> statements) {
    for (const char* sql : statements) c.execute_unprepared(sql);
}

std::string describe_diff(const Table& expected, const Table& reflected) {
    return "expected:\n" + expected.describe() + "reflected:\n" + reflected.describe();
}

}  // namespace

// ---- reflection -------------------------------------------------------------------------

TEST_CASE("sqlite-specific: AUTOINCREMENT is reflected from the CREATE TABLE text", "[sqlite][reflect]") {
    TestDatabase db;
    run(db.connection(), {
                             "CREATE TABLE with_auto (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)",
                             "CREATE TABLE rowid_alias (id INTEGER PRIMARY KEY, v TEXT)",
                             "CREATE TABLE \"quoted auto\" (\"the id\" integer   primary key   autoincrement)",
                             "INSERT INTO with_auto (v) VALUES ('a')",  // creates sqlite_sequence
                         });
    Metadata live = reflect(db.engine());
    CHECK(live.find("sqlite_sequence") == nullptr);
    REQUIRE(live.tables().size() == 3);
    const Column& a = *live.find("with_auto")->find_column("id");
    CHECK(a.autoincrement);
    CHECK(a.type == types::integer());
    CHECK_FALSE(a.nullable);
    CHECK_FALSE(live.find("rowid_alias")->find_column("id")->autoincrement);
    CHECK(live.find("quoted auto")->find_column("the id")->autoincrement);
    CHECK(live.find("quoted auto")->primary_key.columns == std::vector<std::string>{"the id"});
    CHECK(live.find("quoted auto")->primary_key.name == "pk_quoted auto");
}

TEST_CASE("sqlite-specific: a big_integer autoincrement key renders as INTEGER and round-trips", "[sqlite][reflect]") {
    TestDatabase db;
    Table t;
    t.name = "big_auto";
    Column id = col("id", types::big_integer(), false);
    id.autoincrement = true;
    t.columns = {id, col("v", types::text())};
    t.primary_key.columns = {"id"};
    Metadata md;
    md.add(t);
    create_all(md, db.engine());
    // A rowid alias: keys are assigned, and 64-bit keys fit.
    Connection& c = db.connection();
    c.execute("INSERT INTO big_auto (id, v) VALUES (?, 'big')", {Value(std::int64_t{9000000000})});
    c.execute("INSERT INTO big_auto (v) VALUES ('next')");
    CHECK(c.last_insert_id() == 9000000001);
    Metadata live = reflect(db.engine());
    const Table expected = db.dialect().normalize(*md.find("big_auto"));
    INFO(describe_diff(expected, *live.find("big_auto")));
    CHECK(*live.find("big_auto") == expected);
}

TEST_CASE("sqlite-specific: names with quotes, parentheses and commas survive create and reflect", "[sqlite][reflect]") {
    TestDatabase db;
    Metadata md;
    Table parent;
    parent.name = "pa(rent, \"one\")";
    parent.columns = {col("k (1)", types::integer(), false), col("code, x", types::string(10), false)};
    parent.primary_key = {"pk ) weird", {"k (1)"}};
    parent.uniques = {{"uq, \"code\"", {"code, x"}}};
    md.add(parent);
    Table child;
    child.name = "child [x]";
    child.columns = {col("id", types::integer(), false), col("ref, k", types::integer()),
                     col("state", types::enum_({"on", "off", "a'b"}), false)};
    child.primary_key.columns = {"id"};
    ForeignKey fk;
    fk.name = "fk (child), to parent";
    fk.columns = {"ref, k"};
    fk.ref_table = parent.name;
    fk.ref_columns = {"k (1)"};
    fk.on_delete = FkAction::cascade;
    child.foreign_keys = {fk};
    child.checks = {{"ck \"ref\" positive", "\"ref, k\" > 0"}, {"", "\"ref, k\" < 1000"}};
    child.indexes = {{"ix (state, ref)", {"state", "ref, k"}, false}};
    md.add(child);
    create_all(md, db.engine());

    Metadata live = reflect(db.engine());
    for (const Table& t : md.tables()) {
        const Table* r = live.find(t.name);
        REQUIRE(r != nullptr);
        const Table expected = db.dialect().normalize(t);
        INFO(describe_diff(expected, *r));
        CHECK(*r == expected);
    }
    // The enum came back as an enum (from its CHECK), not as a string plus a check.
    const Table& rc = *live.find("child [x]");
    CHECK(rc.find_column("state")->type == types::enum_({"on", "off", "a'b"}));
    CHECK(rc.checks.size() == 2);
}

TEST_CASE("sqlite-specific: an enum column rejects values outside the enum", "[sqlite][reflect]") {
    TestDatabase db;
    Table t;
    t.name = "shirts";
    t.columns = {col("id", types::integer(), false), col("size", types::enum_({"S", "M", "L"}))};
    t.primary_key.columns = {"id"};
    Metadata md;
    md.add(t);
    create_all(md, db.engine());
    Connection& c = db.connection();
    c.execute("INSERT INTO shirts (id, size) VALUES (?, ?)", {Value(std::int64_t{1}), Value("M")});
    c.execute("INSERT INTO shirts (id, size) VALUES (?, ?)", {Value(std::int64_t{2}), null});
    Error e = expect_error(
        [&] { c.execute("INSERT INTO shirts (id, size) VALUES (?, ?)", {Value(std::int64_t{3}), Value("XXL")}); });
    CHECK(e.kind() == ErrorKind::constraint);
    CHECK(e.server_code() == 275);  // SQLITE_CONSTRAINT_CHECK
}

TEST_CASE("sqlite-specific: hand-written constraints reflect with convention names where unnamed", "[sqlite][reflect]") {
    TestDatabase db;
    run(db.connection(), {
                             "CREATE TABLE p (id INTEGER PRIMARY KEY, a INT, b INT, UNIQUE (a, b))",
                             R"(CREATE TABLE c (
                                  id INTEGER PRIMARY KEY,
                                  pid INTEGER REFERENCES p,               -- no columns: p's primary key
                                  qa INT, qb INT,
                                  email TEXT UNIQUE,
                                  n INT CHECK (n > 0),
                                  FOREIGN KEY (qa, qb) REFERENCES p (a, b) ON UPDATE CASCADE
                                ))",
                             "CREATE INDEX c_lower_email ON c (lower(email))",  // an expression key
                             "CREATE UNIQUE INDEX c_n_unique ON c (n)",
                             "CREATE VIEW v AS SELECT * FROM c",
                         });
    Metadata live = reflect(db.engine());
    REQUIRE(live.tables().size() == 2);  // the view is not a table
    REQUIRE(live.views().size() == 1);    // but a view
    CHECK(live.views()[0].definition == "SELECT * FROM c");
    const Table& c = *live.find("c");
    INFO(c.describe());
    REQUIRE(c.foreign_keys.size() == 2);
    // Declaration order, whatever order SQLite numbers them in.
    CHECK(c.foreign_keys[0].columns == std::vector<std::string>{"pid"});
    CHECK(c.foreign_keys[0].ref_columns == std::vector<std::string>{"id"});
    CHECK(c.foreign_keys[0].name == naming::foreign_key("c", {"pid"}, "p"));
    CHECK(c.foreign_keys[1].columns == std::vector<std::string>{"qa", "qb"});
    CHECK(c.foreign_keys[1].on_update == FkAction::cascade);
    REQUIRE(c.uniques.size() == 1);
    CHECK(c.uniques[0].name == "uq_c_email");
    REQUIRE(c.checks.size() == 1);
    CHECK(c.checks[0].name == "ck_c_n_0");
    CHECK(c.checks[0].expression == "n > 0");
    REQUIRE(c.indexes.size() == 2);
    CHECK(c.indexes[0] == Index{"c_lower_email", {"lower(email)"}, false});
    CHECK(c.indexes[1] == Index{"c_n_unique", {"n"}, true});
    CHECK(c.primary_key.name == "pk_c");
    const Table& p = *live.find("p");
    REQUIRE(p.uniques.size() == 1);
    CHECK(p.uniques[0].name == "uq_p_a_b");
}

TEST_CASE("sqlite-specific: reflection takes five catalog queries (the views' included), six with what is not modelled",
          "[sqlite][reflect]") {
    TestDatabase db;
    run(db.connection(), {"CREATE TABLE a (id INTEGER PRIMARY KEY)", "CREATE TABLE b (id INTEGER PRIMARY KEY)",
                          "CREATE VIEW v AS SELECT * FROM a",
                          "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END"});
    auto before = db.connection().stats().statements;
    reflect(db.engine());
    CHECK(db.connection().stats().statements - before == 6);
    ReflectOptions tables_only;
    tables_only.unmodelled = false;
    before = db.connection().stats().statements;
    db.dialect().reflect(db.connection(), tables_only);
    CHECK(db.connection().stats().statements - before == 5);
}

// ---- errors ------------------------------------------------------------------------------

TEST_CASE("sqlite-specific: unique violations name the constraint or index", "[sqlite][errors]") {
    TestDatabase db;
    Connection& c = db.connection();
    run(c, {
               "CREATE TABLE u (id INTEGER CONSTRAINT my_pk PRIMARY KEY, email TEXT UNIQUE, a INT, b INT, code TEXT, "
               "CONSTRAINT \"uq a,b\" UNIQUE (a, b))",
               "CREATE UNIQUE INDEX u_code_idx ON u (code)",
               "INSERT INTO u VALUES (1, 'x', 1, 1, 'c')",
           });
    auto violation = [&](const char* sql) {
        Error e = expect_error([&] { c.execute(sql); });
        CHECK(e.kind() == ErrorKind::constraint);
        return e.constraint();
    };
    CHECK(violation("INSERT INTO u VALUES (2, 'x', 2, 2, 'd')") == "uq_u_email");
    CHECK(violation("INSERT INTO u VALUES (2, 'y', 1, 1, 'd')") == "uq a,b");
    CHECK(violation("INSERT INTO u VALUES (2, 'y', 2, 2, 'c')") == "u_code_idx");
    CHECK(violation("INSERT INTO u VALUES (1, 'y', 2, 2, 'd')") == "my_pk");
}

TEST_CASE("sqlite-specific: API misuse is a usage error", "[sqlite][errors]") {
    TestDatabase db;
    Connection& c = db.connection();
    c.execute("CREATE TABLE t (x INTEGER)");
    CHECK(expect_error([&] { c.execute("INSERT INTO t VALUES (?)"); }).kind() == ErrorKind::usage);
    CHECK(expect_error([&] { c.execute("INSERT INTO t VALUES (?)", {Value(std::int64_t{1}), Value(std::int64_t{2})}); })
              .kind() == ErrorKind::usage);
    Error two = expect_error([&] { c.execute("INSERT INTO t VALUES (1); DROP TABLE t"); });
    CHECK(two.kind() == ErrorKind::usage);
    CHECK(expect_error([&] { c.execute("   -- nothing\n"); }).kind() == ErrorKind::usage);
    // Trailing semicolons and comments are fine; nothing above ran.
    c.execute("INSERT INTO t VALUES (5); -- done\n;");
    auto r = c.query("SELECT COUNT(*) FROM t");
    CHECK(r.rows[0][0] == Value(std::int64_t{1}));
    // Scripts go through execute_unprepared.
    c.execute_unprepared("INSERT INTO t VALUES (6); INSERT INTO t VALUES (7)");
    CHECK(c.query("SELECT COUNT(*) FROM t").rows[0][0] == Value(std::int64_t{3}));
    Error range = expect_error([&] {
        c.query("SELECT x FROM t", {}, [](const RowView& row) { (void)row.get(3); });
    });
    CHECK(range.kind() == ErrorKind::usage);
}

TEST_CASE("sqlite-specific: a lock held by another connection fails after the timeout with a hint", "[sqlite][errors]") {
    TestDatabase db;
    db.connection().execute("CREATE TABLE t (x INTEGER)");
    db.connection().begin();  // BEGIN IMMEDIATE: holds the write lock
    db.connection().execute("INSERT INTO t VALUES (1)");
    auto other = create_engine(db.url() + "?timeout=50").connect();
    Error e = expect_error([&] { other->begin(); });
    CHECK(e.kind() == ErrorKind::database);
    CHECK((e.server_code() & 0xff) == 5);  // SQLITE_BUSY
    CHECK(std::string(e.what()).find("timeout") != std::string::npos);
    CHECK_FALSE(other->in_transaction());
    db.connection().commit();
    other->begin();
    other->execute("INSERT INTO t VALUES (2)");
    other->commit();
    CHECK(db.connection().query("SELECT COUNT(*) FROM t").rows[0][0] == Value(std::int64_t{2}));
}

TEST_CASE("sqlite-specific: URL options and in-memory databases", "[sqlite][connection]") {
    CHECK(expect_error([] { create_engine("sqlite://:memory:?timeout=soon").connect(); }).kind() == ErrorKind::input);
    CHECK(expect_error([] { create_engine("sqlite://:memory:?journal=wal").connect(); }).kind() == ErrorKind::input);
    for (const char* url : {"sqlite://", "sqlite://:memory:", "sqlite://:memory:?timeout=10"}) {
        INFO(url);
        auto c = create_engine(url).connect();
        auto* s = dynamic_cast<SqliteConnection*>(c.get());
        REQUIRE(s != nullptr);
        CHECK(s->path() == ":memory:");
        c->execute("CREATE TABLE t (x)");
        CHECK(c->query("SELECT COUNT(*) FROM t").rows[0][0] == Value(std::int64_t{0}));
    }
    auto c = create_engine("sqlite://:memory:?timeout=10").connect();
    CHECK(dynamic_cast<SqliteConnection&>(*c).busy_timeout_ms() == 10);
    // Foreign keys are enforced from the start.
    CHECK(c->query("PRAGMA foreign_keys").rows[0][0] == Value(std::int64_t{1}));
}

TEST_CASE("sqlite-specific: an in-memory engine shares its one connection with every checkout",
          "[sqlite][connection][pool]") {
    Engine e = create_engine("sqlite://:memory:");
    e.connection().execute("CREATE TABLE t (x INTEGER)");
    {
        PooledConnection a = e.connect();
        PooledConnection b = e.connect();  // the same thread may hold several checkouts
        CHECK(a.get() == &e.connection());
        CHECK(b.get() == a.get());
        a->execute("INSERT INTO t VALUES (1)");
        CHECK(b->query("SELECT COUNT(*) FROM t").rows[0][0] == Value(std::int64_t{1}));
        CHECK(e.pool_status().checked_out == 1);
    }
    // Returning every checkout keeps the connection, and so the database, open.
    CHECK(e.pool_status().idle == 1);
    CHECK(e.connect()->query("SELECT COUNT(*) FROM t").rows[0][0] == Value(std::int64_t{1}));
}

TEST_CASE("sqlite-specific: first checkouts from several threads open one in-memory connection",
          "[sqlite][connection][pool]") {
    Engine e = create_engine("sqlite://:memory:");
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&] {
            PooledConnection c = e.connect();
            if (c->query("SELECT 1").rows.at(0).at(0) == Value(std::int64_t{1})) ++ok;
        });
    for (auto& t : threads) t.join();
    CHECK(ok == 4);
    CHECK(e.pool_status().created == 1);
}

TEST_CASE("sqlite-specific: another thread waits for the in-memory connection, then times out",
          "[sqlite][connection][pool][errors]") {
    EngineOptions o;
    o.pool.timeout_seconds = 0.2;
    Engine e = create_engine("sqlite://:memory:", o);
    PooledConnection mine = e.connect();
    mine->execute("CREATE TABLE t (x INTEGER)");
    std::optional<Error> waited;
    std::thread other([&] {
        try {
            (void)e.connect();
        } catch (const Error& err) {
            waited = err;
        }
    });
    other.join();
    REQUIRE(waited);
    CHECK(waited->kind() == ErrorKind::pool_timeout);
    CHECK(std::string(waited->what()).find("use a database file") != std::string::npos);
    // Once this thread returns it, another thread gets it (and sees the same database).
    std::thread returner([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        mine.release();
    });
    std::int64_t rows = -1;  // the taker waits up to 0.2 s; the returner is done after 0.05 s
    std::thread taker([&] { rows = std::get<std::int64_t>(e.connect()->query("SELECT COUNT(*) FROM t").rows[0][0]); });
    returner.join();
    taker.join();
    CHECK(rows == 0);
}

TEST_CASE("sqlite-specific: create_if_missing = false opens existing files and never creates one",
          "[sqlite][connection]") {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / fmt::format("strata_create_if_missing_{}", ::getpid());
    fs::create_directories(dir);
    std::string file = (dir / "app.db").string();
    std::string url = "sqlite:///" + file;
    EngineOptions no_create;
    no_create.create_if_missing = false;

    Error e = expect_error([&] { create_engine(url, no_create).connect(); });
    CHECK(e.kind() == ErrorKind::connection);
    CHECK(std::string(e.what()).find("database file '" + file + "' does not exist") != std::string::npos);
    CHECK(std::string(e.what()).find("strata upgrade") != std::string::npos);
    CHECK_FALSE(fs::exists(file));

    // In memory there is no file to miss.
    CHECK_NOTHROW(create_engine("sqlite://:memory:", no_create).connect());

    // The default creates it; afterwards it opens without creating.
    create_engine(url).connect()->execute("CREATE TABLE t (x)");
    REQUIRE(fs::exists(file));
    auto c = create_engine(url, no_create).connect();
    CHECK(c->query("SELECT COUNT(*) FROM t").rows[0][0] == Value(std::int64_t{0}));
    c.release();
    fs::remove_all(dir);
}

// ---- statements and values ----------------------------------------------------------------

TEST_CASE("sqlite-specific: the statement cache handles re-entry and stays bounded", "[sqlite][statements]") {
    TestDatabase db;
    SqliteConnection& c = sqlite_conn(db);
    c.execute("CREATE TABLE t (x INTEGER)");
    for (std::int64_t i = 1; i <= 3; ++i) c.execute("INSERT INTO t VALUES (?)", {Value(i)});

    // The same text queried again from inside its own row callback gets a statement of its own.
    const char* select = "SELECT x FROM t WHERE x >= ? ORDER BY x";
    std::vector<std::int64_t> seen;
    c.query(select, std::vector<Value>{Value(std::int64_t{1})}, [&](const RowView& row) {
        std::int64_t x = std::get<std::int64_t>(row.get(0));
        auto inner = c.query(select, {Value(x)});
        seen.push_back(x * 10 + static_cast<std::int64_t>(inner.rows.size()));
    });
    CHECK(seen == std::vector<std::int64_t>{13, 22, 31});

    for (int i = 0; i < 600; ++i) c.query(fmt::format("SELECT {}", i));
    CHECK(c.cached_statements() <= SqliteConnection::kMaxCachedStatements);
    c.clear_statement_cache();
    CHECK(c.cached_statements() == 0);
    auto prepares = c.stats().prepares;
    c.query(select, {Value(std::int64_t{2})});
    c.query(select, {Value(std::int64_t{2})});
    CHECK(c.stats().prepares == prepares + 1);
}

TEST_CASE("sqlite-specific: execute counts only the rows its own statement changed", "[sqlite][statements]") {
    TestDatabase db;
    Connection& c = db.connection();
    c.execute("CREATE TABLE t (x INTEGER)");
    CHECK(c.execute("INSERT INTO t VALUES (1), (2), (3)") == 3);
    CHECK(c.execute("CREATE TABLE u (y INTEGER)") == 0);  // not the 3 of the previous INSERT
    CHECK(c.execute("SELECT * FROM t") == 0);
    CHECK(c.execute("UPDATE t SET x = x + 1") == 3);
    CHECK(c.execute("UPDATE t SET x = 0 WHERE x > 100") == 0);
}

TEST_CASE("sqlite-specific: dates bind as ISO text, booleans as integers, RETURNING works", "[sqlite][values]") {
    TestDatabase db;
    Connection& c = db.connection();
    c.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, d DATE, ts DATETIME, tm TIME, b BOOLEAN)");
    auto r = c.query("INSERT INTO t (d, ts, tm, b) VALUES (?, ?, ?, ?) RETURNING id, d, ts, tm, b, typeof(b)",
                     {Value(Date{2026, 11, 26}), Value(DateTime{{2026, 11, 26}, {5, 0, 0, 250000}}),
                      Value(Time{23, 59, 59, 0}), Value(true)});
    REQUIRE(r.rows.size() == 1);
    CHECK(r.rows[0][0] == Value(std::int64_t{1}));
    CHECK(r.rows[0][1] == Value(std::string("2026-11-26")));
    CHECK(r.rows[0][2] == Value(std::string("2026-11-26 05:00:00.250000")));
    CHECK(r.rows[0][3] == Value(std::string("23:59:59")));
    CHECK(r.rows[0][4] == Value(std::int64_t{1}));
    CHECK(r.rows[0][5] == Value(std::string("integer")));
    // Text compares as dates do, so range queries on ISO text work.
    auto n = c.query("SELECT COUNT(*) FROM t WHERE d BETWEEN ? AND ?", {Value(Date{2026, 1, 1}), Value(Date{2026, 12, 31})});
    CHECK(n.rows[0][0] == Value(std::int64_t{1}));
}

// ---- transactions ------------------------------------------------------------------------

TEST_CASE("sqlite-specific: a COMMIT failing on a deferred foreign key rolls back", "[sqlite][transactions]") {
    TestDatabase db;
    Connection& c = db.connection();
    run(c, {"CREATE TABLE p (id INTEGER PRIMARY KEY)",
            "CREATE TABLE ch (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED)"});
    c.begin();
    c.execute("INSERT INTO ch (id, pid) VALUES (1, 42)");  // allowed until COMMIT
    Error e = expect_error([&] { c.commit(); });
    CHECK(e.kind() == ErrorKind::constraint);
    CHECK(e.server_code() == 787);  // SQLITE_CONSTRAINT_FOREIGNKEY
    CHECK_FALSE(c.in_transaction());
    CHECK(c.query("SELECT COUNT(*) FROM ch").rows[0][0] == Value(std::int64_t{0}));
    // Usable afterwards: a new transaction starts cleanly.
    c.begin();
    c.execute("INSERT INTO p (id) VALUES (42)");
    c.execute("INSERT INTO ch (id, pid) VALUES (1, 42)");
    c.commit();
    CHECK(c.query("SELECT COUNT(*) FROM ch").rows[0][0] == Value(std::int64_t{1}));
}

TEST_CASE("sqlite-specific: DDL is transactional", "[sqlite][transactions]") {
    TestDatabase db;
    Connection& c = db.connection();
    c.begin();
    c.execute("CREATE TABLE gone (x INTEGER)");
    c.rollback();
    CHECK(reflect(db.engine()).empty());
}
