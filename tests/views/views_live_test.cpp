// Views on a live database, the same scenarios on SQLite, PostgreSQL and MariaDB: a
// schema with views (a view, a view on that view and, on PostgreSQL, a materialized view
// with an index) loaded by raw SQL with rows, then changed the way a revision would.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"
#include "migrations/differ.hpp"
#include "migrations/plan.hpp"
#include "migrations/plan_executor.hpp"
#include "orm/create_all.hpp"
#include "support/test_database.hpp"
#include "../differ/schema_builder.hpp"

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

// Two tables, a view over both, a view over that view; on PostgreSQL also a materialized
// view with an index, and a comment and a grant on the view over the view.
void load_forum_schema(Connection& conn) {
    run_all(conn, {"CREATE TABLE threads (id INTEGER NOT NULL PRIMARY KEY, title VARCHAR(255) NOT NULL, "
                   "state VARCHAR(12) NOT NULL DEFAULT 'open')",
                   "CREATE TABLE posts (id INTEGER NOT NULL PRIMARY KEY, thread_id INTEGER NOT NULL, body TEXT NOT "
                   "NULL, CONSTRAINT fk_posts_thread FOREIGN KEY (thread_id) REFERENCES threads (id))",
                   "CREATE VIEW thread_activity AS SELECT t.id, t.title, count(p.id) AS posts FROM threads t "
                   "LEFT JOIN posts p ON p.thread_id = t.id GROUP BY t.id, t.title",
                   "CREATE VIEW busy_threads AS SELECT id, title FROM thread_activity WHERE posts > 1"});
    if (d() == "postgres")
        run_all(conn, {"CREATE MATERIALIZED VIEW thread_titles AS SELECT id, upper(title) AS shout FROM threads",
                       "CREATE INDEX ix_thread_titles_shout ON thread_titles (shout)",
                       "COMMENT ON VIEW busy_threads IS 'threads with more than one post'",
                       "GRANT SELECT ON busy_threads TO PUBLIC"});
}

void load_forum_rows(Connection& conn) {
    run_all(conn, {"INSERT INTO threads (id, title, state) VALUES (1, 'Welcome', 'locked'), (2, 'Tabs or spaces?', "
                   "'open'), (3, 'Quiet', 'open')",
                   "INSERT INTO posts (id, thread_id, body) VALUES (1, 1, 'Be nice.'), (2, 2, 'Tabs.'), (3, 2, "
                   "'Spaces.')"});
    if (d() == "postgres") conn.execute_unprepared("REFRESH MATERIALIZED VIEW thread_titles");
}

void load_forum(Connection& conn) {
    load_forum_schema(conn);
    load_forum_rows(conn);
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
// diff against the reflected schema (`desired` reflected from a database, or declared
// models, whose views are compared in the database's spelling), plan with the
// connection, execute. Returns the operations.
std::vector<Operation> migrate(TestDatabase& db, const Metadata& desired, bool declared = false) {
    Metadata current = db.dialect().reflect(db.connection());
    DiffResult r = declared ? diff_models(current, desired, db.engine(), {.dialect = &db.dialect()})
                            : diff(current, desired, {.dialect = &db.dialect()});
    Plan plan = make_plan(r.operations, db.dialect(), current, PlanOptions{&db.connection(), nullptr});
    execute_plan(plan, db.connection());
    return r.operations;
}

std::vector<std::string> listing(const std::vector<Operation>& operations) {
    std::vector<std::string> out;
    for (const Operation& op : operations) out.push_back(describe(op));
    return out;
}

// What is left between the database and declared models.
std::vector<std::string> left_over(TestDatabase& db, const Metadata& declared) {
    return listing(diff_models(db.dialect().reflect(db.connection()), declared, db.engine(), {.dialect = &db.dialect()})
                       .operations);
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

TEST_CASE("views: dropping a column a view needs fails with the database's message and changes nothing", "[views]") {
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

TEST_CASE("views: reflected as objects, reproduced on an empty database, equal both ways", "[views]") {
    TestDatabase source;
    load_forum(source.connection());
    const Metadata reflected = source.dialect().reflect(source.connection());
    std::vector<std::string> names;
    for (const View& v : reflected.views()) names.push_back(v.name + (v.materialized ? " (materialized)" : ""));
    std::vector<std::string> expected{"busy_threads", "thread_activity"};
    if (d() == "postgres") expected.push_back("thread_titles (materialized)");
    std::sort(names.begin(), names.end());
    CHECK(names == expected);
    // Views are no longer notes: only the materialized view's index is (PostgreSQL).
    for (const UnmodelledObject& u : reflected.unmodelled()) {
        INFO(note_text(u));
        CHECK(u.kind == UnmodelledKind::materialized_view_index);
    }
    CHECK(diff(reflected, reflected, {.dialect = &source.dialect()}).empty());

    TestDatabase copy;
    const std::vector<std::string> ops = listing(migrate(copy, reflected));
    INFO(fmt::format("{}", fmt::join(ops, "\n")));
    // Views after the tables, the view over a view after the view it reads.
    auto at = [&](const std::string& text) { return std::find(ops.begin(), ops.end(), text) - ops.begin(); };
    CHECK(at("create table posts (3 columns)") < at("create view thread_activity"));
    CHECK(at("create view thread_activity") < at("create view busy_threads"));
    const Metadata copied = copy.dialect().reflect(copy.connection());
    CHECK(listing(diff(copied, reflected, {.dialect = &copy.dialect()}).operations).empty());
    CHECK(listing(diff(reflected, copied, {.dialect = &copy.dialect()}).operations).empty());
    // With the same rows, the copy's views show the same rows.
    load_forum_rows(copy.connection());
    for (const std::string& v : forum_views()) {
        INFO(v);
        CHECK(rows_of(copy.connection(), v) == rows_of(source.connection(), v));
    }
}

namespace {

// The forum declared in C++: tables, and views written as a person writes them.
Metadata declared_forum() {
    using T = strata::testing::TableBuilder;
    Metadata m = strata::testing::schema(
        {T("threads").id().col("title", types::string(255), false).col("state", types::string(12), false),
         T("posts")
             .id()
             .col("thread_id", types::integer(), false)
             .col("body", types::text(), false)
             .fk("fk_posts_thread", {"thread_id"}, "threads", {"id"})});
    m.add_view(View{"thread_activity",
                    "SELECT t.id, t.title, count(p.id) AS posts\n"
                    "FROM threads t LEFT JOIN posts p ON p.thread_id = t.id\n"
                    "GROUP BY t.id, t.title",
                    {},
                    false});
    m.add_view(View{"busy_threads", "select id, title from thread_activity where posts > 1;", {}, false});
    if (d() == "postgres") m.add_view(View{"thread_titles", "SELECT id, upper(title) AS shout FROM threads", {}, true});
    return m;
}

}  // namespace

TEST_CASE("views: declared views are created, compare equal, and a changed SELECT replaces the view", "[views]") {
    TestDatabase db;
    Metadata declared = declared_forum();
    const std::vector<Operation> created = migrate(db, declared, true);
    // The revision carries the SELECT as declared, not the database's rewrite of it.
    for (const Operation& op : created)
        if (const auto* c = std::get_if<op::CreateView>(&op)) {
            INFO(c->view.name);
            CHECK(c->view.definition == trimmed_definition(declared.find_view(c->view.name)->definition));
        }
    CHECK(left_over(db, declared).empty());
    // Compared as typed, the database's rewrite would differ (but on SQLite, which keeps it).
    const bool rewritten = !diff(db.dialect().reflect(db.connection()), declared, {.dialect = &db.dialect()}).empty();
    CHECK(rewritten == (d() != "sqlite"));
    load_forum_rows(db.connection());
    CHECK(rows_of(db.connection(), "busy_threads") == "2|'Tabs or spaces?'|\n");

    declared.find_view("busy_threads")->definition = "SELECT id, title FROM thread_activity WHERE posts > 0";
    CHECK(listing(migrate(db, declared, true)) == std::vector<std::string>{"replace view busy_threads"});
    CHECK(rows_of(db.connection(), "busy_threads") == "1|'Welcome'|\n2|'Tabs or spaces?'|\n");
    CHECK(left_over(db, declared).empty());

    // A view dropped from the models is dropped from the database.
    declared.remove_view("busy_threads");
    CHECK(listing(migrate(db, declared, true)) == std::vector<std::string>{"drop view busy_threads"});
    CHECK(left_over(db, declared).empty());
}

TEST_CASE("views: a view changed with the table it reads goes before the change and comes back after it", "[views]") {
    TestDatabase db;
    Connection& conn = db.connection();
    load_forum(conn);
    const std::string busy = rows_of(conn, "busy_threads");
    Metadata desired = db.dialect().reflect(conn);
    Column pinned = strata::testing::column("pinned", types::integer(), false, ServerDefault::literal("0"));
    desired.find("threads")->columns.push_back(pinned);
    desired.find_view("thread_activity")->definition =
        "SELECT t.id, t.title, t.pinned, count(p.id) AS posts FROM threads t LEFT JOIN posts p ON p.thread_id = t.id "
        "GROUP BY t.id, t.title, t.pinned";
    const std::vector<std::string> ops = listing(migrate(db, desired, true));
    CHECK(ops == std::vector<std::string>{"drop view busy_threads", "drop view thread_activity",
                                          "add column threads.pinned integer NOT NULL DEFAULT '0'",
                                          "create view thread_activity", "create view busy_threads"});
    CHECK(rows_of(conn, "busy_threads") == busy);
    CHECK(rows_of(conn, "thread_activity") == "1|'Welcome'|0|1|\n2|'Tabs or spaces?'|0|2|\n3|'Quiet'|0|0|\n");
    CHECK(left_over(db, desired).empty());
}
