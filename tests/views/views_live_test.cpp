// Views on a live database, the same scenarios on SQLite, PostgreSQL and MariaDB: a
// schema with views (a view, a view on that view and, on PostgreSQL, a materialized view
// with an index) loaded by raw SQL with rows, then changed the way a revision would.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "migrations/differ.hpp"
#include "migrations/plan.hpp"
#include "migrations/plan_executor.hpp"
#include "support/test_database.hpp"

using namespace strata;
using strata::testing::TestDatabase;

namespace {

const std::string& d() { return strata::testing::dialect(); }

void run_all(Connection& conn, const std::vector<std::string>& statements) {
    for (const std::string& sql : statements) {
        INFO(sql);
        conn.execute_unprepared(sql);
    }
}

// Two tables with rows, a view over both, a view over that view; on PostgreSQL also a
// materialized view with an index, and a comment and a grant on the view over the view.
void load_forum(Connection& conn) {
    run_all(conn, {"CREATE TABLE threads (id INTEGER NOT NULL PRIMARY KEY, title VARCHAR(255) NOT NULL, "
                   "state VARCHAR(12) NOT NULL DEFAULT 'open')",
                   "CREATE TABLE posts (id INTEGER NOT NULL PRIMARY KEY, thread_id INTEGER NOT NULL, body TEXT NOT "
                   "NULL, CONSTRAINT fk_posts_thread FOREIGN KEY (thread_id) REFERENCES threads (id))",
                   "CREATE VIEW thread_activity AS SELECT t.id, t.title, count(p.id) AS posts FROM threads t "
                   "LEFT JOIN posts p ON p.thread_id = t.id GROUP BY t.id, t.title",
                   "CREATE VIEW busy_threads AS SELECT id, title FROM thread_activity WHERE posts > 1",
                   "INSERT INTO threads (id, title, state) VALUES (1, 'Welcome', 'locked'), (2, 'Tabs or spaces?', "
                   "'open'), (3, 'Quiet', 'open')",
                   "INSERT INTO posts (id, thread_id, body) VALUES (1, 1, 'Be nice.'), (2, 2, 'Tabs.'), (3, 2, "
                   "'Spaces.')"});
    if (d() == "postgres")
        run_all(conn, {"CREATE MATERIALIZED VIEW thread_titles AS SELECT id, upper(title) AS shout FROM threads",
                       "CREATE INDEX ix_thread_titles_shout ON thread_titles (shout)",
                       "COMMENT ON VIEW busy_threads IS 'threads with more than one post'",
                       "GRANT SELECT ON busy_threads TO PUBLIC"});
}

// Every row of a view or table, in a fixed order, as text.
std::string rows_of(Connection& conn, const std::string& relation) {
    std::string out;
    for (const auto& row : conn.query("SELECT * FROM " + relation + " ORDER BY 1").rows) {
        for (const Value& v : row) out += to_display(v) + "|";
        out += "\n";
    }
    return out;
}

// Brings the database to `desired` the way `revision --autogenerate` + `upgrade` do:
// diff against the reflected schema, plan with the connection, execute.
void migrate(TestDatabase& db, const Metadata& desired) {
    Metadata current = db.dialect().reflect(db.connection());
    DiffResult r = diff(current, desired, {.dialect = &db.dialect()});
    Plan plan = make_plan(r.operations, db.dialect(), current, PlanOptions{&db.connection(), nullptr});
    execute_plan(plan, db.connection());
}

std::vector<std::string> forum_views() {
    std::vector<std::string> out{"thread_activity", "busy_threads"};
    if (d() == "postgres") out.push_back("thread_titles");
    return out;
}

}  // namespace

TEST_CASE("views: widening a column that views read keeps the views and their rows", "[views]") {
    TestDatabase db;
    Connection& conn = db.connection();
    load_forum(conn);
    std::map<std::string, std::string> before;
    for (const std::string& v : forum_views()) before[v] = rows_of(conn, v);
    REQUIRE(before["busy_threads"] == "2|'Tabs or spaces?'|\n");

    Metadata changed = db.dialect().reflect(conn);
    changed.find("threads")->find_column("title")->type.length = 265;
    changed.find("threads")->find_column("state")->type.length = 20;
    migrate(db, changed);

    for (const std::string& v : forum_views()) {
        INFO(v);
        CHECK(rows_of(conn, v) == before[v]);
    }
    CHECK(diff(db.dialect().reflect(conn), changed, {.dialect = &db.dialect()}).empty());
    // A title longer than the old limit goes in, and the views show it.
    conn.execute_unprepared("UPDATE threads SET title = '" + std::string(260, 'x') + "' WHERE id = 2");
    CHECK(conn.query("SELECT title FROM busy_threads").rows.at(0).at(0) == Value(std::string(260, 'x')));
    if (d() == "postgres") {
        // What dropping the views removed came back with them.
        CHECK(conn.query("SELECT 1 FROM pg_indexes WHERE indexname = 'ix_thread_titles_shout'").rows.size() == 1);
        CHECK(conn.query("SELECT obj_description('busy_threads'::regclass, 'pg_class')").rows.at(0).at(0) ==
              Value(std::string("threads with more than one post")));
        CHECK(conn.query("SELECT has_table_privilege('public', 'busy_threads', 'SELECT')").rows.at(0).at(0) ==
              Value(true));
    }
}

TEST_CASE("views: dropping a column a view needs fails with the database's message and changes nothing",
          "[views]") {
    if (d() == "mysql") {
        // MySQL and MariaDB drop the column and leave the view invalid: nothing to refuse.
        SUCCEED("not enforced by MariaDB");
        return;
    }
    TestDatabase db;
    Connection& conn = db.connection();
    load_forum(conn);
    const std::string before = rows_of(conn, "busy_threads");
    Metadata changed = db.dialect().reflect(conn);
    std::erase_if(changed.find("threads")->columns, [](const Column& c) { return c.name == "title"; });
    try {
        migrate(db, changed);
        FAIL("the migration should have failed");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::database);
        CHECK_THAT(e.what(), Catch::Contains("title"));
    }
    CHECK(db.dialect().reflect(conn).find("threads")->find_column("title") != nullptr);
    CHECK(rows_of(conn, "busy_threads") == before);
}
