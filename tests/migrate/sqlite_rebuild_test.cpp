// SQLite only: what a table rebuild must keep that the schema model does not describe.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "migrations/differ.hpp"
#include "migrations/plan.hpp"
#include "migrations/plan_executor.hpp"
#include "migrations/schema_edit.hpp"
#include "support/test_database.hpp"
#include "../differ/schema_builder.hpp"

using namespace strata;
using strata::testing::TestDatabase;
using T = strata::testing::TableBuilder;

namespace {

void migrate(Connection& conn, const Metadata& desired) {
    const Dialect& d = conn.dialect();
    Metadata current = d.reflect(conn);
    DiffOptions o;
    o.dialect = &d;
    // The connection is given, so the planner reads the triggers to recreate.
    execute_plan(make_plan(diff(current, desired, o).operations, d, current, PlanOptions{&conn, nullptr}), conn);
}

}  // namespace

TEST_CASE("sqlite rebuild keeps triggers, views, rowids and enforcement", "[sqlite][migrate]") {
    REQUIRE(strata::testing::dialect() == "sqlite");
    TestDatabase db;
    Connection& conn = db.connection();
    Metadata a = strata::testing::schema(
        {T("users").id("id", true).col("name", types::string(20), false),
         T("log").col("msg", types::text()),  // no primary key: a plain rowid table
         T("posts").id().col("user_id", types::integer()).fk("fk_posts_user", {"user_id"}, "users", {"id"},
                                                               FkAction::cascade)});
    migrate(conn, a);
    conn.execute_unprepared("CREATE TRIGGER users_log AFTER INSERT ON users BEGIN INSERT INTO log (msg) VALUES "
                            "('user ' || new.name); END");
    conn.execute_unprepared("CREATE VIEW user_names AS SELECT name FROM users");
    a.add_view(View{"user_names", "SELECT name FROM users", {}, false});  // views are modelled
    conn.execute_unprepared("INSERT INTO users (name) VALUES ('ann'), ('bob')");
    conn.execute_unprepared("INSERT INTO posts (id, user_id) VALUES (1, 1), (2, 2)");
    conn.execute_unprepared("DELETE FROM log WHERE msg = 'user ann'");  // rowid 1 gone, rowid 2 stays

    Metadata b = a;
    b.find("users")->find_column("name")->type = types::string(40);
    b.find("log")->columns.push_back(strata::testing::column("level", types::integer()));
    b.find("log")->find_column("msg")->nullable = false;  // a rebuild of the rowid table
    migrate(conn, b);

    DiffOptions o;
    o.dialect = &conn.dialect();
    CHECK(diff(conn.dialect().reflect(conn), b, o).empty());
    // The trigger came back and fires.
    conn.execute_unprepared("INSERT INTO users (name) VALUES ('cy')");
    ResultSet log = conn.query("SELECT rowid, msg FROM log ORDER BY rowid");
    REQUIRE(log.rows.size() == 2);
    CHECK(std::get<std::int64_t>(log.rows[0][0]) == 2);  // the rowid survived the rebuild
    CHECK(std::get<std::string>(log.rows[1][1]) == "user cy");
    // The view still works.
    CHECK(conn.query("SELECT count(*) FROM user_names").rows.at(0).at(0) == Value(std::int64_t{3}));
    // Foreign keys are enforced again, with their actions.
    CHECK_THROWS(conn.execute_unprepared("INSERT INTO posts (id, user_id) VALUES (3, 99)"));
    conn.execute_unprepared("DELETE FROM users WHERE id = 1");
    CHECK(conn.query("SELECT count(*) FROM posts").rows.at(0).at(0) == Value(std::int64_t{1}));
}

TEST_CASE("sqlite rebuild that would break a reference fails and leaves everything", "[sqlite][migrate]") {
    REQUIRE(strata::testing::dialect() == "sqlite");
    TestDatabase db;
    Connection& conn = db.connection();
    Metadata a = strata::testing::schema(
        {T("users").id().col("name", types::string(20)), T("posts").id().col("user_id", types::integer())});
    migrate(conn, a);
    conn.execute_unprepared("INSERT INTO users (id, name) VALUES (1, 'ann')");
    conn.execute_unprepared("INSERT INTO posts (id, user_id) VALUES (1, 1), (2, 42)");
    Metadata b = a;
    b.find("posts")->foreign_keys.push_back(ForeignKey{"fk_posts_user", {"user_id"}, "users", {"id"},
                                                       FkAction::no_action, FkAction::no_action});
    try {
        migrate(conn, b);
        FAIL("expected the foreign-key check to fail");
    } catch (const Error& e) {
        CHECK(std::string(e.what()).find("foreign keys violated") != std::string::npos);
        CHECK(std::string(e.what()).find("rolled back") != std::string::npos);
    }
    CHECK(conn.dialect().reflect(conn).find("posts")->foreign_keys.empty());
    CHECK(conn.query("SELECT count(*) FROM posts").rows.at(0).at(0) == Value(std::int64_t{2}));
    CHECK(conn.query("PRAGMA foreign_keys").rows.at(0).at(0) == Value(std::int64_t{1}));
}

TEST_CASE("sqlite rebuild keeps partial and expression indexes, which reflection models",
          "[sqlite][migrate]") {
    REQUIRE(strata::testing::dialect() == "sqlite");
    TestDatabase db;
    Connection& conn = db.connection();
    Metadata a = strata::testing::schema({T("users").id("id", true).col("email", types::string(50)).col("score",
                                                                                                       types::integer())});
    migrate(conn, a);
    conn.execute_unprepared("CREATE INDEX ix_users_lower_email ON users (lower(email))");
    conn.execute_unprepared("CREATE UNIQUE INDEX ix_users_positive ON users (email) WHERE score > 0");
    conn.execute_unprepared("CREATE TABLE untyped (a, b INTEGER)");

    // The expression and partial indexes are modelled, not notes.
    Metadata reflected = conn.dialect().reflect(conn);
    const Table& users = *reflected.find("users");
    INFO(users.describe());
    REQUIRE(users.indexes.size() == 2);
    CHECK(users.indexes[0].name == "ix_users_lower_email");
    CHECK(users.indexes[0].columns == std::vector<std::string>{"lower(email)"});
    CHECK(users.indexes[1].name == "ix_users_positive");
    CHECK(users.indexes[1].columns == std::vector<std::string>{"email"});
    CHECK(users.indexes[1].unique);
    CHECK(users.indexes[1].where == "score > 0");
    CHECK(reflected.unmodelled().empty());
    // A column without a declared type has BLOB affinity: a portable blob.
    CHECK(reflected.find("untyped")->find_column("a")->type.kind == TypeKind::blob);
    DiffOptions o;
    o.dialect = &conn.dialect();
    Metadata with_untyped = a;
    with_untyped.find("users")->indexes = users.indexes;
    with_untyped.add(*reflected.find("untyped"));
    CHECK(diff(reflected, with_untyped, o).empty());

    Metadata b = with_untyped;
    b.find("users")->find_column("score")->nullable = false;  // forces a rebuild
    b.find("users")->find_column("score")->server_default = ServerDefault::literal("0");
    migrate(conn, b);

    ResultSet kept = conn.query("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'users' "
                                "AND sql IS NOT NULL ORDER BY name");
    REQUIRE(kept.rows.size() == 2);
    CHECK(std::get<std::string>(kept.rows[0][0]) == "ix_users_lower_email");
    CHECK(std::get<std::string>(kept.rows[1][0]) == "ix_users_positive");
    CHECK(diff(conn.dialect().reflect(conn), b, o).empty());
    // The partial unique index still only covers positive scores.
    conn.execute_unprepared("INSERT INTO users (email, score) VALUES ('a@x', 0), ('a@x', 0), ('b@x', 1)");
    CHECK_THROWS(conn.execute_unprepared("INSERT INTO users (email, score) VALUES ('b@x', 2)"));

    // Dropping the partial index in a revision that also rebuilds the table leaves it
    // dropped: the rebuild recreates only what the model still has.
    Metadata c = b;
    c.find("users")->indexes.pop_back();
    c.find("users")->find_column("email")->type = types::string(80);
    migrate(conn, c);
    CHECK(conn.query("SELECT count(*) FROM sqlite_schema WHERE name = 'ix_users_positive'").rows.at(0).at(0) ==
          Value(std::int64_t{0}));
    CHECK(conn.query("SELECT count(*) FROM sqlite_schema WHERE name = 'ix_users_lower_email'").rows.at(0).at(0) ==
          Value(std::int64_t{1}));
}

TEST_CASE("sqlite generated columns, STRICT and WITHOUT ROWID survive reflection, creation and rebuilds",
          "[sqlite][migrate]") {
    REQUIRE(strata::testing::dialect() == "sqlite");
    TestDatabase db;
    Connection& conn = db.connection();
    conn.execute_unprepared("CREATE TABLE w (k TEXT PRIMARY KEY, v REAL, a ANY) STRICT, WITHOUT ROWID");
    conn.execute_unprepared("CREATE TABLE g (id INTEGER PRIMARY KEY, a INT, twice INT GENERATED ALWAYS AS (a * 2) "
                            "STORED, next INT AS (a + 1))");
    conn.execute_unprepared("INSERT INTO w VALUES ('k1', 1.5, 'x')");
    conn.execute_unprepared("INSERT INTO g (a) VALUES (5)");
    const Dialect& d = conn.dialect();
    Metadata live = d.reflect(conn);
    const Table& w = *live.find("w");
    CHECK(w.options.values.at("sqlite.strict") == "true");
    CHECK(w.options.values.at("sqlite.without_rowid") == "true");
    const Table& g = *live.find("g");
    CHECK(g.find_column("twice")->options.values.at("sqlite.generated") == "a * 2");
    CHECK(g.find_column("twice")->options.values.at("sqlite.generated_stored") == "true");
    CHECK(g.find_column("next")->options.values.at("sqlite.generated") == "a + 1");
    CHECK(g.find_column("next")->options.values.count("sqlite.generated_stored") == 0);

    // Created elsewhere from the reflected tables: the same tables.
    TestDatabase other;
    for (const Table* t : {&w, &g})
        for (const std::string& sql : d.render_create_table(*t)) other.connection().execute_unprepared(sql);
    Metadata copy = d.reflect(other.connection());
    CHECK(copy.find("w")->options == w.options);
    CHECK(*copy.find("g")->find_column("twice") == *g.find_column("twice"));
    CHECK(copy.find("g")->find_column("twice")->options == g.find_column("twice")->options);

    // Rebuilds (a NOT NULL change) keep the kinds of tables and the generated columns.
    Metadata b = live;
    b.find("w")->find_column("v")->nullable = false;
    b.find("w")->find_column("v")->server_default = ServerDefault::literal("0");
    b.find("g")->find_column("a")->nullable = false;
    b.find("g")->find_column("a")->server_default = ServerDefault::literal("0");
    migrate(conn, b);
    ResultSet rows = conn.query("SELECT a, twice, next FROM g");
    REQUIRE(rows.rows.size() == 1);
    CHECK(rows.rows[0] == std::vector<Value>{Value(std::int64_t{5}), Value(std::int64_t{10}), Value(std::int64_t{6})});
    CHECK(conn.query("SELECT v FROM w WHERE k = 'k1'").rows.at(0).at(0) == Value(1.5));
    Metadata after = d.reflect(conn);
    CHECK(after.find("w")->options == w.options);
    CHECK(after.find("g")->find_column("twice")->options == g.find_column("twice")->options);
    CHECK_THROWS(conn.execute_unprepared("INSERT INTO w (k, v) VALUES ('k2', 'not a number')"));  // still STRICT
}

TEST_CASE("sqlite rebuild of a table whose expression index a revision created recreates it once",
          "[sqlite][migrate]") {
    REQUIRE(strata::testing::dialect() == "sqlite");
    TestDatabase db;
    Connection& conn = db.connection();
    Metadata a = strata::testing::schema({T("users").id("id", true).col("name", types::string(50))});
    migrate(conn, a);
    // As the runner sees it after a revision with this create_index: the index is in the
    // schema it tracks (and, being modelled, not among the native objects).
    op::CreateIndex create{"users", Index{"ix_users_lower_name", {"lower(name)"}, false}};
    const Dialect& d = conn.dialect();
    execute_plan(make_plan({create}, d, a, PlanOptions{&conn, nullptr}), conn);
    Metadata tracked = a;
    strata::apply(tracked, Operation{create});
    Column to = *tracked.find("users")->find_column("name");
    to.nullable = false;
    to.server_default = ServerDefault::literal("");
    op::AlterColumn change{"users", *tracked.find("users")->find_column("name"), to};
    execute_plan(make_plan({change}, d, tracked, PlanOptions{&conn, nullptr}), conn);
    CHECK(conn.query("SELECT count(*) FROM sqlite_schema WHERE name = 'ix_users_lower_name'").rows.at(0).at(0) ==
          Value(std::int64_t{1}));
}
